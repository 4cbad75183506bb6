from django.http import Http404
from django.shortcuts import render

from catalog.models import LanguageModel


def home(request):
    return render(request, "comparisons/home.html", {})


def detail(request, pair: str):
    a, sep, b = pair.partition("-vs-")
    models = {m.slug: m for m in LanguageModel.objects.published().filter(slug__in=[a, b])}
    if not sep or a == b or len(models) != 2:
        raise Http404("No such comparison.")
    return render(request, "comparisons/detail.html", {"a": models[a], "b": models[b]})

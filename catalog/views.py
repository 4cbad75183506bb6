from django.shortcuts import get_object_or_404, render

from catalog.models import LanguageModel, Provider


def model_list(request):
    models = LanguageModel.objects.published().select_related("organization")
    return render(request, "catalog/model_list.html", {"models": models})


def model_detail(request, slug: str):
    model = get_object_or_404(LanguageModel.objects.published(), slug=slug)
    return render(request, "catalog/model_detail.html", {"model": model})


def provider_detail(request, slug: str):
    provider = get_object_or_404(Provider, slug=slug)
    return render(request, "catalog/provider_detail.html", {"provider": provider})

"""A stand-in /api/ view that reads the database, for the database-outage tests."""

from django.http import JsonResponse
from django.urls import include, path

from catalog.models import Provider


def probe(request):
    return JsonResponse({"providers": Provider.objects.count()})


urlpatterns = [
    path("api/v1/probe/", probe),
    path("", include("config.urls")),
]

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api import views

app_name = "api"

router = SimpleRouter()
router.register("models", views.LanguageModelViewSet, basename="model")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("providers", views.ProviderViewSet, basename="provider")
router.register("offerings", views.OfferingViewSet, basename="offering")
router.register("benchmarks", views.BenchmarkViewSet, basename="benchmark")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/comparisons/<str:pair>/", views.ComparisonView.as_view(), name="comparison"),
    path("v1/cost/", views.CostView.as_view(), name="cost"),
    path("v1/changes/", views.ChangeLogView.as_view(), name="changes"),
    path("v1/export.json.gz", views.CatalogExportView.as_view(), name="export"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "LLM Compare editors"
admin.site.site_title = "LLM Compare admin"
admin.site.index_title = "Catalog"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("changes/", include("catalog.changes_urls")),
    path("", include("comparisons.urls")),
    path("", include("catalog.urls")),
]

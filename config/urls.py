from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "LLM Compare editors"
admin.site.site_title = "LLM Compare admin"
admin.site.index_title = "Catalog"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", include("comparisons.urls")),
    path("", include("catalog.urls")),
]

# JSON errors under /api/, the site's pages elsewhere.
handler404 = "api.exceptions.not_found"
handler500 = "api.exceptions.server_error"

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from comparisons.sitemaps import SITEMAPS, comparison_sitemap_page, sitemap_index
from comparisons.views import robots_txt
from config.security import ThrottledAdminAuthenticationForm
from config.views import favicon
from sitecache.query_params import reads_query_params

admin.site.site_header = "LLM Compare editors"
admin.site.site_title = "LLM Compare admin"
admin.site.index_title = "Catalog"
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap_index, name="sitemap-index"),
    path("sitemap-comparisons.xml", comparison_sitemap_page, name="sitemap-comparisons"),
    path(
        "sitemap-<section>.xml",
        reads_query_params("p")(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", include("api.urls")),
    path("changes/", include("catalog.changes_urls")),
    path("", include("comparisons.urls")),
    path("", include("catalog.urls")),
]

# JSON errors under /api/, the site's pages elsewhere.
handler404 = "api.exceptions.not_found"
handler500 = "api.exceptions.server_error"

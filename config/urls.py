from django.contrib import admin
from django.urls import include, path

from config.security import ThrottledAdminAuthenticationForm

admin.site.site_header = "LLM Compare editors"
admin.site.site_title = "LLM Compare admin"
admin.site.index_title = "Catalog"
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("comparisons.urls")),
    path("", include("catalog.urls")),
]

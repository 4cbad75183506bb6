from django.urls import path

from catalog import views, views_search

app_name = "catalog"

urlpatterns = [
    path("models/", views.model_list, name="model-list"),
    path("models/<slug:slug>/", views.model_detail, name="model-detail"),
    path("search/", views_search.search_page, name="search"),
    path("search/suggest/", views_search.suggest, name="search-suggest"),
    path("providers/<slug:slug>/", views.provider_detail, name="provider-detail"),
]

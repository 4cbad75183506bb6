from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("models/", views.model_list, name="model-list"),
    path("models/<slug:slug>/", views.model_detail, name="model-detail"),
    path("providers/<slug:slug>/", views.provider_detail, name="provider-detail"),
]

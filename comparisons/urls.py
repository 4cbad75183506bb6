from django.urls import path

from comparisons import views

app_name = "comparisons"

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.pick, name="pick"),
    path("compare/<str:pair>/", views.detail, name="detail"),
    path("benchmarks/", views.benchmark_list, name="benchmark-list"),
    path("benchmarks/<slug:slug>/", views.benchmark_detail, name="benchmark-detail"),
]

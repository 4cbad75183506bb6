from django.urls import path

from catalog import changes

app_name = "changes"

urlpatterns = [
    path("", changes.change_list, name="list"),
    path("feed/", changes.PriceChangesFeed(), name="feed"),
]

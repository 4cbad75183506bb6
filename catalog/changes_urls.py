from django.urls import path

from catalog import changes
from sitecache.query_params import reads_query_params

app_name = "changes"

urlpatterns = [
    path("", changes.change_list, name="list"),
    path("feed/", reads_query_params("since")(changes.CatalogChangesFeed()), name="feed"),
    path(
        "feed.json",
        reads_query_params("since")(changes.CatalogChangesJsonFeed()),
        name="json-feed",
    ),
]

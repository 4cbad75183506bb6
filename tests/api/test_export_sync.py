"""A partner who loads the export and then follows the change log from its watermark,
over real HTTP, holds what the API serves after edits of every kind.

In a file of its own: its transactional database is emptied afterwards (see
test_change_log_sync.py), and the export is read outside any test transaction, in its
own snapshot, as in production."""

import gzip
import json

import pytest

from tests.api.test_change_log_sync import (  # noqa: F401 (fixtures)
    EDITS,
    ENDPOINTS,
    SyncClient,
    plain_http_server,
    sync_catalog,
)

# The export's lists, by the change log's resource names.
EXPORT_LISTS = {
    "model": "models",
    "organization": "organizations",
    "provider": "providers",
    "offering": "offerings",
    "benchmark": "benchmarks",
}


def load_export(client: SyncClient) -> dict:
    response = client.http.get(f"{client.base}/api/v1/export.json.gz", timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/gzip"
    return json.loads(gzip.decompress(response.content))


def mirror_of(export: dict) -> dict[str, dict[str, dict]]:
    return {
        resource: {str(row[ENDPOINTS[resource][1]]): row for row in export[name]}
        for resource, name in EXPORT_LISTS.items()
    }


@pytest.mark.django_db(transaction=True)
def test_an_export_synced_from_its_watermark_equals_the_api_after_edits(
    plain_http_server,  # noqa: F811
    sync_catalog,  # noqa: F811
):
    client = SyncClient(plain_http_server.url)
    export = load_export(client)
    mirror = mirror_of(export)
    assert mirror == client.full_walk()
    for edit in EDITS:
        edit(sync_catalog)
    watermark, events = client.sync(mirror, export["watermark"])
    assert {event["action"] for event in events} == {
        "created",
        "updated",
        "deleted",
        "unpublished",
        "renamed",
    }
    assert mirror == client.full_walk()
    # And a new export is the synced mirror, as of the watermark the sync reached.
    fresh = load_export(client)
    assert mirror_of(fresh) == mirror
    assert fresh["watermark"] == watermark

"""A deploy never serves what the previous build rendered (sitecache.build): the build is
part of the key and ETag of every cached page, API answer and the catalog export."""

from __future__ import annotations

import os

import pytest
from django.utils.http import http_date
from rest_framework.test import APIClient

import sitecache.build
from catalog.pairs import compare_url
from sitecache.build import build_id, build_time, source_digest, source_time
from sitecache.versioning import current_version
from tests.comparisons.test_page_dependencies import spread_catalog
from tests.factories import LanguageModelFactory

EXPORT_URL = "/api/v1/export.json.gz"


def write(root, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_digest_follows_the_source_a_page_depends_on_and_nothing_else(tmp_path):
    write(tmp_path, "templates/page.html", "<p>{{ x }}</p>")
    write(tmp_path, "comparisons/views.py", "x = 1")
    write(tmp_path, "requirements.txt", "Django==5.2.19")
    write(tmp_path, "tests/test_page.py", "assert True")
    first = source_digest(tmp_path)
    assert first == source_digest(tmp_path)

    write(tmp_path, "tests/test_page.py", "assert 1")  # tests, docs, bench: not served
    write(tmp_path, "docs/notes.md", "notes")
    write(tmp_path, "comparisons/__pycache__/views.cpython-311.pyc", "bytes")
    assert source_digest(tmp_path) == first

    for relative, text in [
        ("templates/page.html", "<p>{{ x }}!</p>"),
        ("comparisons/views.py", "x = 2"),
        ("requirements.txt", "Django==5.2.20"),
        ("static/site.css", "p { color: red }"),
    ]:
        before = source_digest(tmp_path)
        write(tmp_path, relative, text)
        assert source_digest(tmp_path) != before, relative


def test_a_configured_build_id_names_the_build(settings):
    settings.BUILD_ID = "release-2026.12.03"
    assert build_id() == "release-2026.12.03"
    settings.BUILD_ID = ""
    assert len(build_id()) == 16  # the digest of this checkout


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["model page", "comparison page"])
def test_a_page_cached_by_one_build_is_rendered_afresh_by_the_next(client, settings, page):
    if page == "model page":
        url = LanguageModelFactory().get_absolute_url()
    else:
        a, b = spread_catalog(2)
        url = compare_url(a.slug, b.slug)
    settings.BUILD_ID = "old"
    client.get(url)
    old = client.get(url)
    assert old["X-Page-Cache"] == "hit"

    settings.BUILD_ID = "new"
    new = client.get(url)
    assert new["X-Page-Cache"] == "miss"
    assert new["ETag"] != old["ETag"]
    # A browser's copy from the old build is sent in full, not confirmed with a 304.
    assert client.get(url, HTTP_IF_NONE_MATCH=old["ETag"]).status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=new["ETag"]).status_code == 304


@pytest.mark.django_db
def test_an_api_answer_and_the_export_cached_by_one_build_are_built_afresh_by_the_next(
    settings, django_assert_max_num_queries
):
    LanguageModelFactory()
    api = APIClient()
    settings.BUILD_ID = "old"
    api.get("/api/v1/models/")
    old_export = api.get(EXPORT_URL)
    with django_assert_max_num_queries(1):  # a hit: the version, no more
        api.get("/api/v1/models/")

    settings.BUILD_ID = "new"
    with django_assert_max_num_queries(20) as built:
        assert api.get("/api/v1/models/").status_code == 200
    assert len(built) > 1  # built again, not served from the old build's entry
    new_export = api.get(EXPORT_URL)
    assert new_export["ETag"] != old_export["ETag"]
    assert api.get(EXPORT_URL, HTTP_IF_NONE_MATCH=old_export["ETag"]).status_code == 200


def test_the_build_time_is_the_newest_change_to_served_source(tmp_path):
    write(tmp_path, "templates/page.html", "old")
    write(tmp_path, "tests/test_page.py", "not served")
    os.utime(tmp_path / "templates/page.html", (1_000_000_000, 1_000_000_000))
    os.utime(tmp_path / "tests/test_page.py", (2_000_000_000, 2_000_000_000))
    assert source_time(tmp_path) == 1_000_000_000


@pytest.mark.django_db
def test_last_modified_is_never_before_the_build(client, monkeypatch):
    """A client that revalidates with If-Modified-Since alone gets the new build's page."""
    url = LanguageModelFactory().get_absolute_url()
    changed = current_version().changed_at.timestamp()
    first = client.get(url)
    assert first["Last-Modified"] == http_date(int(max(changed, build_time())))
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    monkeypatch.setattr(sitecache.build, "_build_time", changed + 3600)  # deployed later
    after_deploy = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert after_deploy.status_code == 200
    assert after_deploy["Last-Modified"] == http_date(int(changed + 3600))
    api = APIClient().get("/api/v1/models/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert api.status_code == 200 and api["Last-Modified"] == http_date(int(changed + 3600))

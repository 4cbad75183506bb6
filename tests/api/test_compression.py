"""gzip, brotli and zstd for API answers and pages, with validators that still give 304s;
never for the admin or a page holding a CSRF token (BREACH)."""

import gzip

import brotli
import pytest
import zstandard
from django.test import RequestFactory

from config.middleware import ResponseCompressionMiddleware
from tests.factories import fading_and_steady

pytestmark = pytest.mark.django_db

DECODERS = {
    "gzip": gzip.decompress,
    "br": brotli.decompress,
    "zstd": lambda body: zstandard.ZstdDecompressor().decompressobj().decompress(body),
}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response["Vary"].split(",")}


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_api_answers_are_compressed_with_what_the_client_accepts(api, catalog, encoding):
    plain = api.get("/api/v1/models/")
    assert "Content-Encoding" not in plain
    packed = api.get("/api/v1/models/", HTTP_ACCEPT_ENCODING=encoding)
    assert packed["Content-Encoding"] == encoding
    assert len(packed.content) < len(plain.content)
    assert DECODERS[encoding](packed.content) == plain.content
    assert {"accept", "accept-encoding"} <= vary(packed) and "accept-encoding" in vary(plain)
    # One weak validator for the content, whatever the coding.
    assert packed["ETag"] == plain["ETag"] and plain["ETag"].startswith('W/"')


def test_a_compressed_answers_etag_revalidates_to_a_304_in_any_encoding(api, catalog):
    etag = api.get("/api/v1/models/", HTTP_ACCEPT_ENCODING="br")["ETag"]
    for encoding in ("br", "gzip", "identity"):
        response = api.get(
            "/api/v1/models/", HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH=etag
        )
        assert response.status_code == 304
        assert response["ETag"] == etag
        assert "accept-encoding" in vary(response)


def test_pages_are_compressed_on_a_miss_and_a_hit_and_revalidate(client):
    fading_and_steady()
    miss = client.get("/models/", HTTP_ACCEPT_ENCODING="gzip, br")
    hit = client.get("/models/", HTTP_ACCEPT_ENCODING="gzip")
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert miss["Content-Encoding"] == "br" and hit["Content-Encoding"] == "gzip"
    assert brotli.decompress(miss.content) == gzip.decompress(hit.content)
    assert b"Fading" in gzip.decompress(hit.content)
    assert "accept-encoding" in vary(hit)
    again = client.get("/models/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=miss["ETag"])
    assert again.status_code == 304


def test_the_admin_is_never_compressed(client, db):
    response = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_a_response_that_rendered_a_csrf_token_is_never_compressed():
    request = RequestFactory().get("/somewhere/", HTTP_ACCEPT_ENCODING="gzip")
    assert not ResponseCompressionMiddleware.must_not_compress(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # set by django.middleware.csrf.get_token
    assert ResponseCompressionMiddleware.must_not_compress(request)

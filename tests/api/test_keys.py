import re

import pytest
from django.contrib.auth.models import Permission

from api.models import ApiKey, hash_key
from api.services import issue_api_key
from tests.factories import editor_group

pytestmark = pytest.mark.django_db


def test_issued_key_is_stored_only_as_a_hash(partner_key):
    api_key, raw_key = partner_key
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert raw_key.startswith(f"{stored.prefix}.")
    assert stored.hashed_key == hash_key(raw_key)
    assert raw_key not in {getattr(stored, f.attname) for f in ApiKey._meta.fields}


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_API_KEY"])
def test_valid_key_in_either_header_is_accepted_and_recorded(api, catalog, partner_key, header):
    api_key, raw_key = partner_key
    value = f"Api-Key {raw_key}" if header == "HTTP_AUTHORIZATION" else raw_key
    response = api.get("/api/v1/models/", **{header: value})
    assert response.status_code == 200
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_missing_key_reads_anonymously(api, catalog):
    assert api.get("/api/v1/models/").status_code == 200


@pytest.mark.parametrize(
    "value",
    ["Api-Key deadbeef.not-the-secret", "Api-Key garbage", "Api-Key "],
)
def test_unknown_or_malformed_key_is_a_json_401(api, catalog, partner_key, value):
    response = api.get("/api/v1/models/", HTTP_AUTHORIZATION=value)
    if value == "Api-Key ":
        # An empty value is no key at all: an anonymous read.
        assert response.status_code == 200
        return
    assert response.status_code == 401
    assert response.json() == {
        "status": 401,
        "code": "authentication_failed",
        "message": "Unknown API key.",
    }
    assert response["WWW-Authenticate"] == "Api-Key"


def test_right_prefix_wrong_secret_is_refused(api, catalog, partner_key):
    api_key, raw_key = partner_key
    response = api.get("/api/v1/models/", HTTP_X_API_KEY=f"{api_key.prefix}.wrong")
    assert response.status_code == 401


def test_revoked_key_is_a_json_401(api, catalog, partner_key):
    api_key, raw_key = partner_key
    api_key.revoke()
    response = api.get("/api/v1/models/", HTTP_X_API_KEY=raw_key)
    assert response.status_code == 401
    assert response.json()["message"] == "This API key has been revoked."


def test_editor_group_has_no_api_key_permissions(db):
    editor_perms = Permission.objects.filter(group__name="Editor")
    assert not editor_perms.filter(content_type__app_label="api").exists()


def test_editors_cannot_see_api_keys_in_the_admin(editor_client, partner_key):
    # Even a stray permission given to the group would not open the admin to editors.
    editor_group().permissions.add(*Permission.objects.filter(content_type__app_label="api"))
    assert editor_client.get("/admin/api/apikey/").status_code == 403
    assert editor_client.get("/admin/api/apikey/add/").status_code == 403
    assert b"API keys" not in editor_client.get("/admin/").content


def test_superuser_creates_a_key_and_sees_it_once(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-12345")
    client.force_login(admin)
    response = client.post("/admin/api/apikey/add/", {"name": "Nightly", "partner": "Acme"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = re.search(r'id="new-api-key"[^>]*>([0-9a-f]{8}\.[\w-]+)<', response.content.decode())
    assert shown, "the new key is shown once"
    api_key = ApiKey.objects.get()
    assert api_key.hashed_key == hash_key(shown.group(1))
    assert api_key.history.get().history_user == admin
    for page in ("/admin/api/apikey/", f"/admin/api/apikey/{api_key.pk}/change/"):
        assert shown.group(1) not in client.get(page).content.decode()
    assert not client.cookies.get("messages")


def test_superuser_revokes_keys_with_the_admin_action(client, django_user_model, api, catalog):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-12345")
    client.force_login(admin)
    api_key, raw_key = issue_api_key(name="Nightly", partner="Acme")
    client.post(
        "/admin/api/apikey/",
        {"action": "revoke_keys", "_selected_action": [api_key.pk]},
    )
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert api_key.history.latest().history_user == admin
    assert api.get("/api/v1/models/", HTTP_X_API_KEY=raw_key).status_code == 401


def test_a_bearer_key_is_checked_like_any_other_key(api, catalog, partner_key):
    api_key, raw_key = partner_key
    response = api.get("/api/v1/models/", HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert response.status_code == 200
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None

    unknown = api.get("/api/v1/models/", HTTP_AUTHORIZATION="Bearer abcd1234.not-a-key")
    assert unknown.status_code == 401
    assert unknown.json() == {
        "status": 401,
        "code": "authentication_failed",
        "message": "Unknown API key.",
    }

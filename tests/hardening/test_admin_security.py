"""The admin is for staff only, refuses password guessing after a few tries, and an
editor cannot give themselves more power."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse

from tests.factories import editor_group

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_five_failed_sign_ins_lock_the_account_even_for_the_right_password(client, editor):
    for _ in range(5):
        response = sign_in(client, "edith", "wrong password")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    response = sign_in(client, "edith", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # still signed out


def test_four_failures_then_the_right_password_signs_in_and_resets_the_count(client, editor):
    for _ in range(4):
        sign_in(client, "edith", "wrong password")
    assert sign_in(client, "edith", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "edith", "wrong password")
    assert sign_in(client, "edith", PASSWORD).status_code == 302


def test_the_lock_is_per_address_and_ends_after_the_cooldown(client, editor, settings):
    for _ in range(5):
        sign_in(client, "edith", "wrong password")
    # The same person from another address is not locked out by an attacker elsewhere.
    assert sign_in(client, "edith", PASSWORD, address="198.51.100.9").status_code == 302
    client.logout()
    assert sign_in(client, "edith", PASSWORD).status_code == 200
    cache.clear()  # what the cooldown's expiry does
    assert sign_in(client, "edith", PASSWORD).status_code == 302


def test_a_signed_in_user_who_is_not_staff_cannot_reach_the_admin(client, django_user_model):
    user = django_user_model.objects.create_user(username="visitor", password=PASSWORD)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.get(reverse("admin:catalog_languagemodel_changelist")).status_code == 302


def test_the_editor_group_grants_catalog_work_and_nothing_over_people_or_keys(editor):
    granted = {
        f"{app}.{codename}"
        for app, codename in editor_group().permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    # What an editor's day needs (an empty group would fail here)...
    assert {
        "catalog.change_price",
        "catalog.add_price",
        "catalog.change_languagemodel",
        "catalog.view_historicalprice",
        "comparisons.change_comparison",
    } <= granted
    assert editor.has_perm("catalog.change_price")
    # ...and nothing over users, groups or partner keys, nor deleting price history.
    assert not {p for p in granted if p.split(".")[0] in {"auth", "api"}}
    assert "catalog.delete_price" not in granted
    assert not editor.has_perm("auth.change_user")
    assert not editor.has_perm("api.add_apikey")


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("admin:auth_user_changelist", []),
        ("admin:auth_user_add", []),
        ("admin:auth_group_changelist", []),
        ("admin:auth_group_add", []),
    ],
)
def test_an_editor_gets_403_on_user_and_group_admin(editor_client, url_name, args):
    assert editor_client.get(reverse(url_name, args=args)).status_code == 403
    assert editor_client.post(reverse(url_name, args=args), {}).status_code == 403


def test_an_editor_cannot_make_themselves_superuser_or_grant_permissions(editor_client, editor):
    own_page = reverse("admin:auth_user_change", args=[editor.pk])
    assert editor_client.get(own_page).status_code == 403
    everything = list(Permission.objects.values_list("pk", flat=True))
    response = editor_client.post(
        own_page,
        {
            "username": "edith",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "user_permissions": everything,
        },
    )
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert editor.user_permissions.count() == 0

    group = editor_group()
    before = set(group.permissions.values_list("pk", flat=True))
    response = editor_client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Editor", "permissions": everything},
    )
    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before

"""Production settings pass Django's deploy checks, and every response carries the
security headers, pages and errors alike."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse

from config.middleware import csp_for_path
from tests.factories import ProviderFactory, gemini_seed_pair

BASE_DIR = Path(__file__).resolve().parents[2]

SITE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def run_deploy_check(**environment) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO", "SECURE_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "WEB_")
        )
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deploy_checks_pass_with_only_debug_off_a_secret_hosts_and_redis():
    result = run_deploy_check(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="llm.example.com",
        REDIS_URL="redis://127.0.0.1:6379/0",  # not contacted by the checks
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_checks_fail_when_counters_are_not_shared():
    result = run_deploy_check(
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="llm.example.com"
    )
    assert result.returncode != 0
    assert "sitecache.E001" in result.stderr
    assert "REDIS_URL" in result.stderr


@pytest.mark.parametrize(
    ("workers", "backend", "warned"),
    [
        (3, "django.core.cache.backends.locmem.LocMemCache", True),
        (1, "django.core.cache.backends.locmem.LocMemCache", False),
        (3, "sitecache.backends.LocalMemoryCache", True),
        (3, "sitecache.backends.FailoverRedisCache", False),
    ],
)
def test_several_workers_without_a_shared_cache_are_warned_about(
    settings, workers, backend, warned
):
    settings.WEB_CONCURRENCY = workers
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:1/0"}}
    messages = [m for m in run_checks() if m.id == "sitecache.W001"]
    assert bool(messages) is warned
    if warned:
        assert "3 times as lenient" in messages[0].msg
        assert "REDIS_URL" in messages[0].hint


def make_serve_check(**environment) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "WEB_CONCURRENCY"}}
    env.update(environment)
    return subprocess.run(
        ["make", "-s", "serve-check", f"BIN={Path(sys.executable).parent}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_serve_says_whether_its_workers_share_redis():
    alone = make_serve_check()
    assert alone.returncode == 0, alone.stderr
    assert "REDIS_URL is not set" in alone.stdout
    assert "sitecache.W001" in alone.stderr
    assert "3 times as lenient" in alone.stderr  # make serve's default: 3 workers

    shared = make_serve_check(REDIS_URL="redis://127.0.0.1:6379/0")
    assert shared.returncode == 0, shared.stderr
    assert "cache: Redis (REDIS_URL), shared by the 3 workers" in shared.stdout
    assert "sitecache.W001" not in shared.stderr


def test_deploy_checks_flag_the_development_secret_key(settings):
    # What settings.py falls back to when SECRET_KEY is unset (checked in-process: the
    # subprocess above already proves the environment is read).
    settings.SECRET_KEY = "django-insecure-local-development-key-do-not-use-in-production"
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "security.W009" in ids


def headers_of(response) -> dict:
    return {key.lower(): value for key, value in response.headers.items()}


def assert_security_headers(response, csp=SITE_CSP):
    headers = headers_of(response)
    assert headers["content-security-policy"] == csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "camera=()" in headers["permissions-policy"]
    assert "geolocation=()" in headers["permissions-policy"]


@pytest.mark.django_db
def test_a_public_page_carries_the_security_headers(client):
    response = client.get(ProviderFactory(name="Groq").get_absolute_url())
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_the_admin_login_carries_the_security_headers(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_a_404_carries_the_security_headers(client):
    response = client.get("/models/no-such-model/")
    assert response.status_code == 404
    assert_security_headers(response)


def test_only_the_api_docs_may_run_inline_code():
    assert "'unsafe-inline'" in csp_for_path("/api/docs/")
    assert "frame-ancestors 'none'" in csp_for_path("/api/docs/")
    for path in ("/", "/admin/", "/api/v1/models/", "/api/docsx"):
        assert "unsafe-inline" not in csp_for_path(path)


def test_https_and_cookie_settings_follow_production_defaults(settings):
    # The suite runs with production defaults (DEBUG off); conftest only turns the
    # redirect off for the plain-HTTP test client.
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS >= 31_536_000


@pytest.mark.django_db
@pytest.mark.parametrize("cached", [False, True])
def test_pages_and_api_answers_say_how_long_the_server_took(client, cached):
    """make bench reads Server-Timing to report server time; a page-cache hit has its
    own (smaller) figure, not the one stored with the page."""
    provider = ProviderFactory(name="Groq")
    for url in (provider.get_absolute_url(), "/api/v1/providers/"):
        first = client.get(url)
        response = client.get(url) if cached else first
        assert response.status_code == 200
        match = re.fullmatch(r"app;dur=(\d+\.\d)", response["Server-Timing"])
        assert match, response["Server-Timing"]
        assert 0 <= float(match[1]) < 10_000


@pytest.mark.django_db
def test_the_http_to_https_redirect_carries_the_security_headers(settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/models/")  # a new client: middleware reads the setting once
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/models/"
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize("cached", [False, True])
def test_head_answers_like_get_without_a_body(
    client, settings, cached, django_assert_max_num_queries
):
    settings.PAGE_CACHE_ENABLED = cached
    live, lite = gemini_seed_pair()
    pair = "-vs-".join(sorted([live.slug, lite.slug]))
    for url in (
        "/",
        "/models/",
        live.get_absolute_url(),
        "/providers/google-ai-studio/",
        f"/compare/{pair}/",
        "/compare/",
        "/robots.txt",
    ):
        with django_assert_max_num_queries(12):
            head = client.head(url)
        get = client.get(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b""
        assert head["Content-Type"] == get["Content-Type"]
        assert_security_headers(head, csp=head["Content-Security-Policy"])

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from config.settings import redis_cache
from sitecache.versioning import forget_derived
from tests.browser import CHROMIUM
from tests.factories import editor_group
from tests.redis_server import OwnRedis

# The public catalog files (../shared/data, see its SOURCES.md); never copied here.
SHARED_DATA = Path(settings.BASE_DIR).parent / "shared" / "data"


@pytest.fixture
def shared_data():
    """The shared source files; the test is skipped, saying why, when they are absent."""
    if not (SHARED_DATA / "litellm" / "model_prices_and_context_window.json").exists():
        pytest.skip(f"the shared source files are not at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Tasks (catalog.tasks) run inside the call that enqueues them, as under `make run`;
    # the tests of the database queue and its worker choose that backend themselves.
    settings.TASKS = {"default": {"BACKEND": settings.IMMEDIATE_TASK_BACKEND}}


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # Production settings redirect to HTTPS; the test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        username="edith", password="correct horse battery", is_staff=True
    )
    user.groups.add(editor_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def own_redis(settings):
    """A redis-server of the test's own (tests/redis_server.py) as the default cache."""
    server = OwnRedis()
    server.start()
    settings.CACHES = {"default": redis_cache(server.url)}
    yield server
    cache.clear()  # what this process keeps of it too (sitecache.backends.KeptValues)
    server.stop()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test rolls its database back, so catalog versions repeat between tests: start
    # every test with an empty cache so no page from another test's catalog is served.
    cache.clear()
    forget_derived()
    yield
    cache.clear()
    forget_derived()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def chromium():
    """Debian's chromium driven by playwright (never a downloaded browser). Tests that
    use it are marked to skip when /usr/bin/chromium is absent."""
    # Playwright's sync API runs an event loop; the Django test client is sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()

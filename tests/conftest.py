import pytest
from django.contrib.auth.models import Group


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # Production settings redirect to HTTPS; the test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        username="edith", password="correct horse battery", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test rolls its database back, so catalog versions repeat between tests: start
    # every test with an empty cache so no page from another test's catalog is served.
    from django.core.cache import cache

    from sitecache.versioning import forget_derived

    cache.clear()
    forget_derived()
    yield
    cache.clear()
    forget_derived()

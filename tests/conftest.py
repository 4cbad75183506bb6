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

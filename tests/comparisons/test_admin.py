"""Editors feature a pair and write its verdict in the admin; the page shows it as theirs."""

import pytest

from comparisons.models import Comparison
from tests.admin_forms import change_form_data
from tests.factories import gemini_seed_pair

SEED_URL = "/compare/gemini-2-5-flash-live-api-vs-gemini-3-1-flash-lite/"


@pytest.fixture
def seed_pair(db):
    return gemini_seed_pair()


def test_an_editor_writes_a_verdict_and_features_a_pair(editor_client, seed_pair):
    live, lite = seed_pair
    add = editor_client.get("/admin/comparisons/comparison/add/")
    assert add.status_code == 200
    data = change_form_data(add)
    data.update(
        model_a=str(lite.pk),  # reverse order: stored canonically
        model_b=str(live.pk),
        featured="on",
        verdict_override="Pick Flash-Lite unless you need spoken answers.",
        editor_note="Tried both on our call-centre transcripts.",
    )
    response = editor_client.post("/admin/comparisons/comparison/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    comparison = Comparison.objects.get()
    assert (comparison.model_a, comparison.model_b) == (live, lite)
    assert comparison.featured

    html = editor_client.get(SEED_URL).content.decode()
    assert "Editor's verdict:</strong> Pick Flash-Lite unless you need spoken answers." in html
    assert "Tried both on our call-centre transcripts." in html

    listing = editor_client.get("/admin/comparisons/comparison/?q=flash")
    assert listing.status_code == 200
    assert SEED_URL in listing.content.decode()


def test_a_pair_of_one_model_is_refused_with_a_message(editor_client, seed_pair):
    live, _lite = seed_pair
    data = change_form_data(editor_client.get("/admin/comparisons/comparison/add/"))
    data.update(model_a=str(live.pk), model_b=str(live.pk))
    response = editor_client.post("/admin/comparisons/comparison/add/", data)
    assert response.status_code == 200
    assert "A model cannot be compared with itself." in response.content.decode()
    assert not Comparison.objects.exists()

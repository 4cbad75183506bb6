import json
import re
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from catalog.importers import PARSERS
from catalog.models import Offering, Price
from pricewatch.models import Finding
from pricewatch.reconcile import reconcile
from tests.factories import LanguageModelFactory
from tests.pricewatch.test_reconcile import catalog, planted  # noqa: F401

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:pricewatch_finding_changelist")


def run(path):
    return reconcile("litellm", PARSERS["litellm"](path))


def test_editor_lists_and_filters_findings(editor_client, catalog, litellm_file):  # noqa: F811
    run(planted(litellm_file))
    page = editor_client.get(CHANGELIST)
    assert page.status_code == 200
    assert "slip-1" in page.content.decode() or "slip" in page.content.decode()
    tenfold = editor_client.get(CHANGELIST, {"size": "large"})
    shown = {f.pk for f in tenfold.context["cl"].result_list}
    swap = Finding.objects.get(offering=catalog["swap"], field="input")  # 2 -> 8: +300%
    assert shown == {swap.pk}
    tenfold = editor_client.get(CHANGELIST, {"size": "10x"})
    assert {(f.offering.provider_model_id, f.field) for f in tenfold.context["cl"].result_list} == {
        ("slip-1", "input"),
        ("cache-1", "cache_read"),
    }
    small = editor_client.get(CHANGELIST, {"field": "output"})
    assert {f.field for f in small.context["cl"].result_list} == {"output"}


def test_ours_is_right_asks_for_a_note_and_survives_a_rerun(editor_client, catalog, litellm_file):  # noqa: F811
    path = planted(litellm_file)
    run(path)
    finding = Finding.objects.get(offering=catalog["slip"], field="input")
    post = {"action": "ours_is_right", ACTION_CHECKBOX_NAME: [finding.pk]}
    asked = editor_client.post(CHANGELIST, post)
    assert asked.status_code == 200 and "Why ours is right" in asked.content.decode()
    finding.refresh_from_db()
    assert finding.status == "open"

    empty = editor_client.post(CHANGELIST, {**post, "apply": "1", "note": " "})
    assert empty.status_code == 200
    finding.refresh_from_db()
    assert finding.status == "open"

    done = editor_client.post(CHANGELIST, {**post, "apply": "1", "note": "Checked the page"})
    assert done.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.note, finding.resolved_by.username) == (
        "dismissed",
        "Checked the page",
        "edith",
    )
    run(path)
    finding.refresh_from_db()
    assert finding.status == "dismissed"


def test_take_theirs_appends_history_and_shows_on_the_public_page(
    editor_client,
    client,
    catalog,  # noqa: F811
    litellm_file,
):
    path = planted(litellm_file)
    run(path)
    offering = catalog["cache"]
    finding = Finding.objects.get(offering=offering, field="cache_read")
    before = Price.objects.filter(offering=offering).count()
    response = editor_client.post(
        CHANGELIST, {"action": "take_theirs_action", ACTION_CHECKBOX_NAME: [finding.pk]}
    )
    assert response.status_code == 302
    offering.refresh_from_db()
    assert Price.objects.filter(offering=offering).count() == before + 1
    assert offering.current_price.cache_read == Decimal("3.75")
    assert offering.current_price.input == Decimal("3")
    finding.refresh_from_db()
    assert finding.status == "accepted"
    assert "3.75" in client.get(offering.model.get_absolute_url()).content.decode()
    run(path)
    finding.refresh_from_db()
    assert finding.status == "resolved"


def test_take_theirs_on_context_window_sets_the_offerings_own_limit(
    editor_client,
    catalog,  # noqa: F811
    litellm_file,  # noqa: F811
):
    model_window = catalog["same"].model.context_window
    run(litellm_file({"same-1": ("0.15", "0.6", "0.075", 64_000, 8_192)}))
    finding = Finding.objects.get(field="context_window")
    editor_client.post(
        CHANGELIST, {"action": "take_theirs_action", ACTION_CHECKBOX_NAME: [finding.pk]}
    )
    offering = catalog["same"]
    offering.refresh_from_db()
    offering.model.refresh_from_db()
    # The source speaks for this provider: the offering gets its own window, the model
    # (and its other providers) keep theirs, and the next run agrees.
    assert offering.context_window == 64_000
    assert offering.effective_context_window == 64_000
    assert offering.model.context_window == model_window
    assert offering.history.count() >= 2
    run(litellm_file({"same-1": ("0.15", "0.6", "0.075", 64_000, 8_192)}))
    assert not Finding.objects.filter(field="context_window", status="open").exists()


def test_take_theirs_adds_an_offering_we_lacked_with_their_price(
    editor_client,
    client,
    catalog,  # noqa: F811
    litellm_file,
):
    model = LanguageModelFactory(name="Elsewhere 1", slug="elsewhere-1")
    run(litellm_file({"elsewhere-1": ("0.5", "1.5", "0.05", 64_000, 4_096)}))
    finding = Finding.objects.get(kind="not_in_catalog")
    listing = editor_client.get(CHANGELIST, {"kind": "not_in_catalog"}).content.decode()
    assert "Elsewhere 1 on OpenAI (not in our catalog)" in listing

    response = editor_client.post(
        CHANGELIST, {"action": "take_theirs_action", ACTION_CHECKBOX_NAME: [finding.pk]}
    )
    assert response.status_code == 302
    added = Offering.objects.get(model=model, provider=finding.provider)
    assert added.provider_model_id == "elsewhere-1"
    price = added.current_price
    assert (price.input, price.output, price.cache_read) == (
        Decimal("0.5"),
        Decimal("1.5"),
        Decimal("0.05"),
    )
    finding.refresh_from_db()
    assert finding.status == "accepted" and finding.resolved_by.username == "edith"
    assert finding.subject == "Elsewhere 1 on OpenAI (added from litellm)"
    assert "OpenAI" in client.get(model.get_absolute_url()).content.decode()


def test_adding_an_offering_settles_the_other_sources_saying_we_lack_it(
    editor_client,
    catalog,  # noqa: F811
    litellm_file,
):
    LanguageModelFactory(name="Elsewhere 1", slug="elsewhere-1")
    path = litellm_file({"elsewhere-1": ("0.5", "1.5", None, 64_000, 4_096)})
    run(path)
    reconcile("genai-prices", _genai_file(path.parent, "elsewhere-1"))
    from_litellm = Finding.objects.get(kind="not_in_catalog", source="litellm")
    from_genai = Finding.objects.get(kind="not_in_catalog", source="genai-prices")
    listing = editor_client.get(CHANGELIST, {"kind": "not_in_catalog"}).content.decode()
    assert "$0.5 in / $1.5 out per 1M" in listing  # their price, before taking it

    editor_client.post(
        CHANGELIST, {"action": "take_theirs_action", ACTION_CHECKBOX_NAME: [from_litellm.pk]}
    )
    from_genai.refresh_from_db()
    assert from_genai.status == "resolved"
    assert "added from litellm" in from_genai.note


def _genai_file(folder, model_id):
    path = folder / "genai.json"
    path.write_text(
        json.dumps(
            [
                {
                    "id": "openai",
                    "models": [{"id": model_id, "prices": {"input_mtok": 0.5, "output_mtok": 1.5}}],
                }
            ]
        )
    )
    return PARSERS["genai-prices"](path)


def test_ours_is_right_page_names_whole_offering_findings(
    editor_client,
    catalog,  # noqa: F811
    litellm_file,
    django_assert_max_num_queries,
):
    LanguageModelFactory(name="Elsewhere 1", slug="elsewhere-1")
    run(litellm_file({"elsewhere-1": ("0.5", "1.5", None, 64_000, 4_096)}))
    chosen = Finding.objects.filter(kind__in=["not_in_catalog", "not_in_source"])
    assert chosen.count() == 6
    with django_assert_max_num_queries(10):  # the same for 6 findings as for 1
        page = editor_client.post(
            CHANGELIST,
            {"action": "ours_is_right", ACTION_CHECKBOX_NAME: [f.pk for f in chosen]},
        ).content.decode()
    assert "Elsewhere 1 on OpenAI (not in our catalog)" in page
    assert "slip-1 on OpenAI: Missing there" in page
    assert "None" not in page


def test_take_theirs_refuses_an_offering_the_source_lacks(editor_client, catalog, litellm_file):  # noqa: F811
    run(litellm_file({"same-1": ("0.15", "0.6", "0.075", 128_000, 8_192)}))
    finding = Finding.objects.get(offering=catalog["slip"], kind="not_in_source")
    prices = Price.objects.count()
    response = editor_client.post(
        CHANGELIST,
        {"action": "take_theirs_action", ACTION_CHECKBOX_NAME: [finding.pk]},
        follow=True,
    )
    assert "does not list this offering" in response.content.decode()
    assert Price.objects.count() == prices
    finding.refresh_from_db()
    assert finding.status == "open"


def test_the_admin_index_counts_open_findings_and_links_to_them(
    editor_client,
    catalog,  # noqa: F811
    litellm_file,
    django_assert_max_num_queries,
):
    run(planted(litellm_file))  # 4 disagreements (2 of them 10x), 1 offering not listed
    Finding.objects.filter(offering=catalog["swap"], field="output").update(status="dismissed")
    with django_assert_max_num_queries(12):
        index = editor_client.get(reverse("admin:index"))
    box = index.content.decode().split('id="price-watch"')[1].split("</table>")[0]
    assert "4 open findings" in box
    counts = dict(
        re.findall(r'<a href="([^"]+)">[^<]+</a></th><td class="finding-count">(\d+)', box)
    )
    assert sorted(counts.values()) == ["0", "0", "1", "2", "3"]
    for url, count in counts.items():
        listed = editor_client.get(url.replace("&amp;", "&")).context["cl"].result_count
        assert listed == int(count)


def test_the_price_watch_box_is_hidden_from_staff_who_may_not_see_findings(
    admin_client, django_user_model
):
    user = django_user_model.objects.create_user("staffer", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    assert 'id="price-watch"' not in client.get(reverse("admin:index")).content.decode()
    assert 'id="price-watch"' in admin_client.get(reverse("admin:index")).content.decode()

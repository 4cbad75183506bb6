"""The price workbench: an editor retypes an offering's current prices in place; each
save goes through record_price, asks the plausibility questions, and shows old -> new."""

from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import ChangeEvent, Offering, Price
from catalog.services import PriceInput, record_price
from pricewatch.models import Finding
from tests.factories import (
    LanguageModelFactory,
    OfferingFactory,
    OrganizationFactory,
    ProviderFactory,
    gemini_seed_pair,
    offer,
)

pytestmark = pytest.mark.django_db

WORKBENCH = reverse("admin:catalog_offering_workbench")


@pytest.fixture
def offering():
    model = LanguageModelFactory(name="Gemini 2.5 Pro")
    return offer(model, ProviderFactory(name="Vertex AI"), input="1.25", output="10")


def row_data(offering, **figures) -> dict:
    """What the row's form posts: its current figures, with `figures` retyped."""
    price = offering.current_price
    values = {
        "input": price.input,
        "output": price.output,
        "cache_read": price.cache_read,
        "cache_write": price.cache_write,
        "effective_date": timezone.localdate().isoformat(),
        **figures,
    }
    data = {f"o{offering.pk}-{name}": "" if v is None else str(v) for name, v in values.items()}
    return {"offering": str(offering.pk), **data}


def shown_offerings(response) -> list[str]:
    return [str(row.offering) for row in response.context["rows"]]


def test_the_workbench_lists_offerings_with_their_prices_as_people_write_them(
    editor_client, offering
):
    response = editor_client.get(WORKBENCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="o{offering.pk}-input" value="1.25"' in html
    assert f'name="o{offering.pk}-output" value="10"' in html
    assert "1.250000" not in html
    today = timezone.localdate().isoformat()
    assert f'name="o{offering.pk}-effective_date" value="{today}"' in html
    # Each cell belongs to its row's form, so Enter in any cell saves that row only.
    assert f'form="row-{offering.pk}"' in html
    assert reverse("admin:catalog_offering_history", args=[offering.pk]) in html


def test_enter_saves_a_new_dated_price_through_the_price_service(editor_client, editor, offering):
    url = WORKBENCH + "?q=gemini"
    response = editor_client.post(url, row_data(offering, input="1.5"))
    assert response.status_code == 302
    assert response["Location"] == f"{url}#offering-{offering.pk}"

    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("1.5")
    assert offering.current_price.effective_date == timezone.localdate()
    inputs = sorted(offering.prices.values_list("input", flat=True))
    assert inputs == [Decimal("1.25"), Decimal("1.5")]
    record = Price.history.filter(id=offering.current_price_id).latest("history_date")
    assert record.history_user == editor
    assert ChangeEvent.objects.filter(resource="offering", key=str(offering.pk)).exists()

    page = editor_client.get(response["Location"])
    text = unescape(page.content.decode())
    assert "Input $1.25 → $1.50" in text  # the message and the row's old -> new
    assert page.context["rows"][0].saved["lines"] == [
        {"field": "Input", "old": "$1.25", "new": "$1.50"}
    ]
    # Shown once: the next visit is a plain workbench.
    assert editor_client.get(url).context["rows"][0].saved == {}


def test_a_save_by_fetch_answers_the_redrawn_row(editor_client, offering):
    response = editor_client.post(
        WORKBENCH, row_data(offering, output="12"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["ok"] is True
    assert "Output $10 → $12" in answer["message"]
    row = unescape(answer["row"])
    assert row.startswith(f'<tr id="offering-{offering.pk}"')
    assert "Output $10 → $12" in row and 'value="12"' in row
    assert reverse("admin:catalog_offering_history", args=[offering.pk]) in row


def test_the_public_comparison_page_shows_the_new_price_at_once(editor_client):
    visitor = Client()
    live, lite = gemini_seed_pair()
    url = f"/compare/{live.slug}-vs-{lite.slug}/"
    assert "$0.25 / 1M tokens" in visitor.get(url).content.decode()
    assert visitor.get(url)["X-Page-Cache"] == "hit"
    offering = lite.offerings.get(provider__slug="google-ai-studio")
    other = lite.offerings.get(provider__slug="openrouter")
    for each in (offering, other):
        response = editor_client.post(WORKBENCH, row_data(each, input="0.21"))
        assert response.status_code == 302
    html = visitor.get(url).content.decode()
    assert "$0.21 / 1M tokens" in html


def test_a_chosen_effective_date_schedules_the_price(editor_client, offering):
    later = timezone.localdate() + timedelta(days=7)
    response = editor_client.post(
        WORKBENCH, row_data(offering, input="2", effective_date=later.isoformat())
    )
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("1.25")  # not before its day
    assert offering.prices.get(effective_date=later).input == Decimal("2")
    saved = editor_client.get(response["Location"]).context["rows"][0].saved
    assert saved["scheduled"] and saved["lines"][0]["new"] == "$2"


def test_an_implausible_price_is_held_until_the_editor_confirms(editor_client, offering):
    data = row_data(offering, input="12.5")  # a slipped decimal: 10x the old price
    response = editor_client.post(WORKBENCH, data)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Please check: input: changes from $1.25 to $12.50" in html
    assert f'name="o{offering.pk}-confirm_warnings"' in html
    assert offering.prices.count() == 1

    answer = editor_client.post(WORKBENCH, data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400 and "Please check" in unescape(answer.json()["row"])
    assert offering.prices.count() == 1

    data[f"o{offering.pk}-confirm_warnings"] = "on"
    assert editor_client.post(WORKBENCH, data).status_code == 302
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("12.5")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "Ensure this value is greater than or equal to 0."),
        ("abc", "Enter a number."),
        ("1e30", "Ensure that there are no more than 12 digits in total."),
        ("NaN", "Enter a number."),
        ("0.0000001", "Ensure that there are no more than 6 decimal places."),
        ("", "This field is required."),
    ],
)
def test_bad_input_shows_on_the_row_and_changes_nothing(editor_client, offering, typed, message):
    response = editor_client.post(WORKBENCH, row_data(offering, input=typed))
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row.form.errors and message in unescape(response.content.decode())
    answer = editor_client.post(
        WORKBENCH, row_data(offering, input=typed), HTTP_ACCEPT="application/json"
    )
    assert answer.status_code == 400 and message in unescape(answer.json()["row"])
    assert offering.prices.count() == 1


def test_a_bad_date_or_a_missing_offering_is_refused_without_a_change(editor_client, offering):
    response = editor_client.post(WORKBENCH, row_data(offering, effective_date="2026-02-31"))
    assert "Enter a valid date." in unescape(response.content.decode())
    for key in ("", "abc", "999999"):
        answer = editor_client.post(
            WORKBENCH, {**row_data(offering), "offering": key}, HTTP_ACCEPT="application/json"
        )
        assert answer.status_code == 400 and "no longer exists" in answer.json()["message"]
    assert editor_client.post(WORKBENCH, {"offering": "x"}).status_code == 302
    assert offering.prices.count() == 1


def test_saving_needs_the_csrf_token(editor, offering):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(WORKBENCH, row_data(offering, input="2")).status_code == 403
    assert offering.prices.count() == 1


def test_only_editors_may_open_the_workbench(client, django_user_model, offering):
    login = client.get(WORKBENCH)
    assert login.status_code == 302 and reverse("admin:login") in login["Location"]
    viewer = django_user_model.objects.create_user(username="viewer", is_staff=True)
    client.force_login(viewer)
    assert client.get(WORKBENCH).status_code == 403
    assert client.post(WORKBENCH, row_data(offering, input="2")).status_code == 403
    assert offering.prices.count() == 1


def test_filters_narrow_the_rows(editor_client, offering):
    today = timezone.localdate()
    lab = OrganizationFactory(name="Other Lab")
    other_model = LanguageModelFactory(name="Claude Sonnet", organization=lab)
    other_provider = ProviderFactory(name="Bedrock")
    stale = OfferingFactory(
        model=other_model, provider=other_provider, last_reviewed=today - timedelta(days=400)
    )
    disputed = offer(other_model, ProviderFactory(name="Azure"))
    Finding.objects.create(
        source="openrouter",
        offering=disputed,
        provider=disputed.provider,
        provider_model_id="claude",
        field="input",
        our_value=Decimal("1"),
        their_value=Decimal("2"),
        first_seen=timezone.now(),
        last_seen=timezone.now(),
    )
    everyone = {str(offering), str(stale), str(disputed)}
    assert set(shown_offerings(editor_client.get(WORKBENCH))) == everyone
    cases = {
        f"provider__id__exact={other_provider.pk}": [str(stale)],
        f"model__organization__id__exact={lab.pk}": [str(stale), str(disputed)],
        f"model__id__exact={offering.model_id}": [str(offering)],
        "stale=yes": [str(stale)],
        "finding=open": [str(disputed)],
        "q=vertex": [str(offering)],
    }
    for query, expected in cases.items():
        response = editor_client.get(f"{WORKBENCH}?{query}")
        assert sorted(shown_offerings(response)) == sorted(expected), query
    assert editor_client.get(WORKBENCH + "?nonsense=1").status_code == 302


@pytest.mark.parametrize("count", [5, 50])
def test_the_workbench_runs_a_bounded_number_of_queries(
    editor_client, django_assert_max_num_queries, count
):
    provider = ProviderFactory()
    for _ in range(count):
        offer(LanguageModelFactory(), provider)
    # Session, user, the filters' choices (providers, organisations, models), the count,
    # the page of offerings with their current prices, the session's saved rows.
    with django_assert_max_num_queries(9):
        response = editor_client.get(WORKBENCH)
    assert len(response.context["rows"]) == count
    first = Offering.objects.select_related("current_price").order_by("model__name").first()
    # One row's save: the offering, the price in force, record_price with its history
    # rows and the change log; none of it per offering on the page.
    with django_assert_max_num_queries(24):
        editor_client.post(WORKBENCH, row_data(first, input="1.5"), HTTP_ACCEPT="application/json")


def test_the_offering_list_and_the_admin_index_link_to_the_workbench(editor_client):
    offerings = editor_client.get(reverse("admin:catalog_offering_changelist"))
    assert WORKBENCH in offerings.content.decode()
    assert WORKBENCH in editor_client.get(reverse("admin:index")).content.decode()


def test_behind_the_maker_finds_resellers_still_at_the_makers_old_price(editor_client):
    """Claude Sonnet 5's case in the seed: the maker moved from $2/$10 to $3/$15 on 1
    September, a cloud that followed shows $3/$15, while another's newest evidence is
    July's $2/$10. The filter lists that one, in the workbench and the offerings list,
    and not resellers with prices of their own or checked since the change."""
    lab = OrganizationFactory(name="Sonnet Lab")
    model = LanguageModelFactory(name="Sonnet 5", organization=lab)
    own_api = ProviderFactory(name="Sonnet Lab API", maker=lab)
    july, september = date(2026, 7, 2), date(2026, 9, 1)
    maker = offer(model, own_api, input="2", output="10", effective_date=july)
    record_price(
        offering=maker,
        price=PriceInput(input=Decimal("3"), output=Decimal("15")),
        effective_date=september,
    )
    behind = offer(
        model, ProviderFactory(name="Old Cloud"), input="2", output="10", effective_date=july
    )
    followed = offer(
        model, ProviderFactory(name="New Cloud"), input="2", output="10", effective_date=july
    )
    record_price(
        offering=followed,
        price=PriceInput(input=Decimal("3"), output=Decimal("15")),
        effective_date=date(2026, 9, 3),
    )
    # Rechecked since the change and still cheaper: a price of its own, not one left behind.
    rechecked = offer(
        model,
        ProviderFactory(name="Checked Cloud"),
        input="2",
        output="10",
        effective_date=july,
        checked_on=date(2026, 10, 1),
    )
    # A price of its own from July (a markup on the old price): not one the maker left.
    offer(
        model,
        ProviderFactory(name="Markup Cloud"),
        input="2.5",
        output="12",
        effective_date=july,
    )
    # A maker two changes on ($2 in January, $3 in March, $4 in September): a cloud seen at
    # $2 in May had a price of its own by then, not the one the maker just left.
    stepper = LanguageModelFactory(name="Stepper", organization=lab)
    steps = offer(stepper, own_api, input="2", output="2", effective_date=date(2026, 1, 5))
    for month, figure in ((3, "3"), (9, "4")):
        record_price(
            offering=steps,
            price=PriceInput(input=Decimal(figure), output=Decimal(figure)),
            effective_date=date(2026, month, 1),
        )
    offer(stepper, behind.provider, input="2", output="2", effective_date=date(2026, 5, 1))
    # Another maker's model on the same cloud, with no own-API price to fall behind.
    offer(LanguageModelFactory(name="Lone"), behind.provider, input="1", output="1")

    response = editor_client.get(f"{WORKBENCH}?behind_maker=yes")
    assert shown_offerings(response) == [str(behind)]
    listing = editor_client.get(reverse("admin:catalog_offering_changelist") + "?behind_maker=yes")
    assert listing.status_code == 200
    assert [str(o) for o in listing.context["cl"].result_list] == [str(behind)]
    assert str(rechecked) not in [str(o) for o in listing.context["cl"].result_list]

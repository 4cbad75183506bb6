"""Numbers beside words: every figure the comparison document shows as text also travels
as a value partners can compute with, and the value is the database's, not the text's.

Each test runs on a factory-built pair and on real pairs of the shipped seed; the
expected values are read from the database here, never from the document's text."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from catalog.models import BUYABLE_LIFECYCLES, BenchmarkScore, LanguageModel, Offering
from tests.factories import (
    LanguageModelFactory,
    OrganizationFactory,
    ProviderFactory,
    figures_pair,
    offer,
)

pytestmark = pytest.mark.django_db

SIX_PLACES = Decimal("0.000001")
SEED_PAIRS = [
    # Eight shared benchmarks, every date disclosed, each on several providers.
    "gemini-2-5-flash-vs-o4-mini",
    # The seed page's pair: Flash Live discloses no max output and no knowledge cutoff.
    "gemini-2-5-flash-live-api-vs-gemini-3-1-flash-lite",
]


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    # Loaded once for the module and rolled back at its end (as tests/catalog/test_seed).
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_catalog", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture(params=["factory", *(f"seed:{pair}" for pair in SEED_PAIRS)])
def compared(request, _seeded_module, api):
    """(body, model_a, model_b) for the pair, read back from the database. The seed is
    there for the factory pair too: it must open before the test's transaction."""
    seed_pair = request.param.removeprefix("seed:")
    pair = figures_pair() if request.param == "factory" else seed_pair
    response = api.get(f"/api/v1/comparisons/{pair}/")
    assert response.status_code == 200, response.content
    body = response.json()
    slug_a, slug_b = pair.split("-vs-")
    models = LanguageModel.objects.in_bulk([slug_a, slug_b], field_name="slug")
    return body, models[slug_a], models[slug_b]


def money(value: Decimal) -> str:
    """How /api/v1/models/ writes a price: six decimal places."""
    return f"{value.quantize(SIX_PLACES):f}"


def quoted_offering(model: LanguageModel, provider_name: str) -> Offering:
    return Offering.objects.select_related("current_price").get(
        model=model, provider__name=provider_name
    )


def cheapest_cached(model: LanguageModel, quoted: Offering) -> Decimal | None:
    """The lowest cached price among the buyable offerings charging the quoted price."""
    price = quoted.current_price
    rows = Offering.objects.filter(
        model=model,
        lifecycle__in=BUYABLE_LIFECYCLES,
        current_price__input=price.input,
        current_price__output=price.output,
        current_price__cache_read__isnull=False,
    ).values_list("current_price__cache_read", flat=True)
    return min(rows, default=None)


def blended(input_price: Decimal, output_price: Decimal, parts=(7, 3)) -> Decimal:
    mix = (input_price * parts[0] + output_price * parts[1]) / sum(parts)
    return mix.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def rows_by_field(rows: list[dict]) -> dict[str, dict]:
    return {row["field"]: row for row in rows if row["field"]}


def test_quoted_prices_are_the_stored_prices_as_decimal_strings(compared):
    body, model_a, model_b = compared
    for side, model in (("a", model_a), ("b", model_b)):
        figures = body[f"model_{side}"]
        quoted = quoted_offering(model, body[f"cheapest_provider_{side}"])
        price = quoted.current_price
        assert figures["input_usd_per_mtok"] == money(price.input)
        assert figures["output_usd_per_mtok"] == money(price.output)
        cached = cheapest_cached(model, quoted)
        assert figures["cached_input_usd_per_mtok"] == (None if cached is None else money(cached))
        assert figures["provider_count"] == model.offerings.count()
    # Each price row says where its value is; the display text stays as it was.
    rows = rows_by_field(body["pricing_rows"])
    assert set(rows) == {
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
        "blended_usd_per_mtok",
        "provider_count",
    }
    assert rows["input_usd_per_mtok"]["a"].endswith(" / 1M tokens")


def test_every_provider_row_carries_its_stored_price_and_check_date(compared):
    body, model_a, model_b = compared
    names = {model_a.name: model_a, model_b.name: model_b}
    assert body["provider_price_rows"]
    for row in body["provider_price_rows"]:
        offering = quoted_offering(names[row["model_name"]], row["provider"]["text"])
        price = offering.current_price
        assert row["input_usd_per_mtok"] == money(price.input)
        assert row["output_usd_per_mtok"] == money(price.output)
        cached = price.cache_read
        assert row["cached_input_usd_per_mtok"] == (None if cached is None else money(cached))
        checked = price.checked_on
        assert row["checked_on_date"] == (None if checked is None else checked.isoformat())


def test_a_price_the_page_rounds_is_given_exactly(api):
    figures_pair()
    body = api.get("/api/v1/comparisons/nimbus-2-vs-quill-7/").json()
    input_row = rows_by_field(body["pricing_rows"])["input_usd_per_mtok"]
    assert input_row["b"] == "$0.1235 / 1M tokens"
    assert body["model_b"]["input_usd_per_mtok"] == "0.123456"
    # The quoted cached price is another provider's at the same price.
    assert body["model_b"]["cached_input_usd_per_mtok"] == "0.012345"


def test_prices_are_written_as_the_models_endpoint_writes_them(api):
    figures_pair()
    body = api.get("/api/v1/comparisons/nimbus-2-vs-quill-7/").json()
    model = api.get("/api/v1/models/nimbus-2/").json()
    (offering,) = model["offerings"]
    price = offering["current_price"]
    assert body["model_a"]["input_usd_per_mtok"] == price["input_usd_per_mtok"] == "0.300000"
    assert body["model_a"]["output_usd_per_mtok"] == price["output_usd_per_mtok"]
    assert body["model_a"]["cached_input_usd_per_mtok"] == price["cache_read_usd_per_mtok"]


def test_token_limits_are_integers_and_null_when_undisclosed(compared):
    body, model_a, model_b = compared
    rows = rows_by_field(body["spec_rows"])
    for field in ("context_window", "max_output_tokens", "parameter_count"):
        assert field in rows
        for side, model in (("a", model_a), ("b", model_b)):
            value = body[f"model_{side}"][field]
            assert value == getattr(model, field)  # None where undisclosed, never 0
            assert value is None or type(value) is int
    names = {model_a.name: model_a, model_b.name: model_b}
    for row in body["provider_price_rows"]:
        model = names[row["model_name"]]
        offering = quoted_offering(model, row["provider"]["text"])
        assert row["context_window"] == offering.effective_context_window
        assert row["max_output_tokens"] == offering.effective_max_output_tokens


def test_a_providers_own_window_is_its_rows_value(api):
    figures_pair()
    body = api.get("/api/v1/comparisons/nimbus-2-vs-quill-7/").json()
    row = next(r for r in body["provider_price_rows"] if r["model_name"] == "Nimbus 2")
    assert row["own_limits"] and "32K context window" in row["limits"]
    assert (row["context_window"], row["max_output_tokens"]) == (32_000, 16_384)
    assert body["model_a"]["context_window"] == 128_000
    quill = body["model_b"]
    assert quill["max_output_tokens"] is None and quill["knowledge_cutoff"] is None


def test_dates_are_iso_8601_beside_their_text(compared):
    body, model_a, model_b = compared
    rows = rows_by_field(body["spec_rows"])
    assert {"release_date", "knowledge_cutoff"} <= set(rows)
    for side, model in (("a", model_a), ("b", model_b)):
        figures = body[f"model_{side}"]
        for field in ("release_date", "knowledge_cutoff"):
            stored = getattr(model, field)
            assert figures[field] == (None if stored is None else stored.isoformat())
    if model_a.release_date:
        assert str(model_a.release_date.year) in rows["release_date"]["a"]


def test_scores_are_numbers_with_their_scale(compared):
    body, model_a, model_b = compared
    shared = set(
        BenchmarkScore.objects.filter(model=model_a).values_list("benchmark__slug", flat=True)
    ) & set(BenchmarkScore.objects.filter(model=model_b).values_list("benchmark__slug", flat=True))
    assert {row["benchmark"] for row in body["benchmark_rows"]} == shared
    for row in body["benchmark_rows"]:
        for side, model in (("a", model_a), ("b", model_b)):
            stored = BenchmarkScore.objects.select_related("benchmark").get(
                model=model, benchmark__slug=row["benchmark"]
            )
            value = row[f"{side}_score"]
            assert isinstance(value, int | float) and not isinstance(value, bool)
            assert Decimal(str(value)) == stored.score
            assert row["scale"] == stored.benchmark.scale
            assert row["metric"] == stored.benchmark.metric
            assert row["higher_is_better"] is stored.benchmark.higher_is_better
        assert row["field"] is None


def test_factory_pair_has_scores_on_both_scales(api):
    figures_pair()
    body = api.get("/api/v1/comparisons/nimbus-2-vs-quill-7/").json()
    rows = {row["benchmark"]: row for row in body["benchmark_rows"]}
    assert (rows["figures-qa"]["scale"], rows["figures-qa"]["a_score"]) == ("0-100", 64.25)
    assert (rows["figures-code"]["scale"], rows["figures-code"]["b_score"]) == ("0-1", 0.8125)


@pytest.mark.parametrize("blend", [None, "3:1"])
def test_blended_cost_and_price_gaps_are_values_from_the_stored_prices(compared, api, blend):
    body, model_a, model_b = compared
    parts = (7, 3)
    if blend:
        parts = (3, 1)
        body = api.get(f"/api/v1/comparisons/{model_a.slug}-vs-{model_b.slug}/?blend={blend}")
        body = body.json()
    values = {}
    for side, model in (("a", model_a), ("b", model_b)):
        price = quoted_offering(model, body[f"cheapest_provider_{side}"]).current_price
        values[side] = blended(price.input, price.output, parts)
        assert body[f"model_{side}"]["blended_usd_per_mtok"] == money(values[side])
    gap = body["price_gaps"]["blended"]
    cheap, dear = sorted(values.values())
    assert gap["cheaper"] == (None if cheap == dear else min(values, key=values.get))
    assert Decimal(gap["difference_usd_per_mtok"]) == dear - cheap
    if dear:
        percent = ((dear - cheap) / dear * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        assert gap["percent_cheaper"] == int(percent)
    if cheap:
        multiple = (dear / cheap).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        assert Decimal(str(gap["multiple"])) == multiple
    for kind, field in (("input", "input_usd_per_mtok"), ("output", "output_usd_per_mtok")):
        a, b = Decimal(body["model_a"][field]), Decimal(body["model_b"][field])
        assert Decimal(body["price_gaps"][kind]["difference_usd_per_mtok"]) == abs(a - b)


def test_missing_prices_are_null_never_zero(api):
    org = OrganizationFactory(name="Figures Lab", slug="figures-lab")
    priced = LanguageModelFactory(name="Priced 1", organization=org)
    LanguageModelFactory(name="Unpriced 1", organization=org, parameter_count=None)
    offer(priced, ProviderFactory(), input="0", output="0")
    body = api.get("/api/v1/comparisons/priced-1-vs-unpriced-1/").json()
    free, unpriced = body["model_a"], body["model_b"]
    # Free is a known price of zero; unpublished is null.
    assert free["input_usd_per_mtok"] == "0.000000"
    assert free["blended_usd_per_mtok"] == "0.000000"
    for field in (
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
        "blended_usd_per_mtok",
        "parameter_count",
    ):
        assert unpriced[field] is None, field
    assert unpriced["provider_count"] == 0
    assert body["price_gaps"] == {
        "input": None,
        "output": None,
        "cached_input": None,
        "blended": None,
    }


def test_a_free_model_against_a_priced_one_has_no_multiple(api):
    org = OrganizationFactory(name="Figures Lab", slug="figures-lab")
    cloud = ProviderFactory()
    offer(LanguageModelFactory(name="Free 1", organization=org), cloud, input="0", output="0")
    offer(LanguageModelFactory(name="Paid 1", organization=org), cloud, input="1", output="2")
    gap = api.get("/api/v1/comparisons/free-1-vs-paid-1/").json()["price_gaps"]["blended"]
    assert gap == {
        "cheaper": "a",
        "difference_usd_per_mtok": "1.300000",
        "percent_cheaper": 100,
        "multiple": None,
    }

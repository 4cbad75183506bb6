import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from catalog.importers import PARSERS
from catalog.models import Offering, OfferingAlias
from catalog.services import PriceInput, record_price
from pricewatch.models import WHOLE_OFFERING, Finding, OfferingCheck
from pricewatch.reconcile import reconcile
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db


def _offering(provider, model_id, *, input, output, cache_read=None, ctx=128_000, max_out=8_192):
    model = LanguageModelFactory(name=model_id, context_window=ctx, max_output_tokens=max_out)
    offering = offer(model, provider, input=input, output=output, cache_read=cache_read)
    Offering.objects.filter(pk=offering.pk).update(provider_model_id=model_id)
    return Offering.objects.get(pk=offering.pk)


@pytest.fixture
def catalog():
    openai = ProviderFactory(name="OpenAI", slug="openai")
    return {
        "slip": _offering(openai, "slip-1", input="1.25", output="10", cache_read="0.125"),
        "swap": _offering(openai, "swap-1", input="2", output="8", cache_read="0.5"),
        "cache": _offering(openai, "cache-1", input="3", output="15", cache_read="0.3"),
        "same": _offering(openai, "same-1", input="0.15", output="0.6", cache_read="0.075"),
        "alias": _offering(openai, "our-id", input="1", output="2"),
    }


def planted(litellm_file):
    return litellm_file(
        {
            "slip-1": ("12.5", "10", "0.125", 128_000, 8_192),  # a 10x slip on input
            "swap-1": ("8", "2", "0.5", 128_000, 8_192),  # input and output swapped
            "cache-1": ("3", "15", "3.75", 128_000, 8_192),  # cache write in cache read
            "same-1": ("0.15", "0.6", "0.075", 128_000, 8_192),
            "their-id": ("1", "2", None, 128_000, 8_192),  # matched through our alias
            "not-ours": ("1", "2", None, 1000, 100),
        }
    )


def run(path, source="litellm"):
    return reconcile(source, PARSERS[source](path))


def open_findings():
    """Open findings about one figure of an offering (not about whole offerings)."""
    return {
        (f.offering.provider_model_id, f.field): (f.our_value, f.their_value)
        for f in Finding.objects.filter(status=Finding.Status.OPEN)
        .exclude(field=WHOLE_OFFERING)
        .select_related("offering")
    }


def whole_offering_findings(status=Finding.Status.OPEN):
    return {
        (f.kind, f.subject, f.provider_model_id)
        for f in Finding.objects.filter(field=WHOLE_OFFERING, status=status).select_related(
            "offering__model", "offering__provider", "model", "provider"
        )
    }


def test_planted_mistakes_are_found_and_equal_values_are_not(catalog, litellm_file):
    OfferingAlias.objects.create(offering=catalog["alias"], alias="their-id")
    report = run(planted(litellm_file))

    assert open_findings() == {
        ("slip-1", "input"): (Decimal("1.25"), Decimal("12.5")),
        ("swap-1", "input"): (Decimal("2"), Decimal("8")),
        ("swap-1", "output"): (Decimal("8"), Decimal("2")),
        ("cache-1", "cache_read"): (Decimal("0.3"), Decimal("3.75")),
    }
    slip = Finding.objects.get(field="input", offering=catalog["slip"])
    assert slip.relative_difference == Decimal("9")
    assert slip.source == "litellm" and slip.provider_model_id == "slip-1"
    assert report.matched == 5  # the alias matched too
    checks = {c.offering.provider_model_id: c.agrees for c in OfferingCheck.objects.all()}
    assert checks == {
        "slip-1": False,
        "swap-1": False,
        "cache-1": False,
        "same-1": True,
        "our-id": True,
    }


def test_offerings_one_side_lacks_are_findings(catalog, litellm_file):
    """Missing there: an offering of ours the source does not list. Missing here: the
    source lists one of our models on a provider we carry, and we have no offering."""
    elsewhere = LanguageModelFactory(name="Elsewhere 1", slug="elsewhere-1")
    offer(elsewhere, ProviderFactory(name="Other Cloud", slug="other-cloud"), input="1", output="2")
    path = litellm_file(
        {
            "same-1": ("0.15", "0.6", "0.075", 128_000, 8_192),
            "elsewhere-1": ("0.5", "1.5", None, 64_000, 4_096),
            "no-such-model": ("1", "2", None, 1000, 100),
        }
    )
    report = run(path)

    assert whole_offering_findings() == {
        ("not_in_source", "slip-1 on OpenAI", "slip-1"),
        ("not_in_source", "swap-1 on OpenAI", "swap-1"),
        ("not_in_source", "cache-1 on OpenAI", "cache-1"),
        ("not_in_source", "our-id on OpenAI", "our-id"),
        ("not_in_catalog", "Elsewhere 1 on OpenAI (not in our catalog)", "elsewhere-1"),
    }
    lacking = Finding.objects.get(kind="not_in_catalog")
    assert lacking.offering is None and lacking.model == elsewhere
    assert lacking.their_figures == {
        "input": "0.5",
        "output": "1.5",
        "context_window": "64000",
        "max_output_tokens": "4096",
    }
    assert len(report.missing_there) == 4 and len(report.missing_here) == 1
    # A model we do not carry at all is counted, never a finding; nor is a provider the
    # source does not cover ("Other Cloud").
    assert report.unmatched_rows == 2
    assert "4 of our offerings not in the source" in report.summary()
    assert "1 of its offerings of our models not in our catalog" in report.summary()


def test_retiring_an_offering_settles_its_missing_there(catalog, litellm_file):
    path = litellm_file({"same-1": ("0.15", "0.6", "0.075", 128_000, 8_192)})
    run(path)
    assert ("not_in_source", "slip-1 on OpenAI", "slip-1") in whole_offering_findings()
    Offering.objects.filter(pk=catalog["slip"].pk).update(lifecycle="retired")
    run(path)
    subjects = {subject for _kind, subject, _id in whole_offering_findings()}
    assert "slip-1 on OpenAI" not in subjects
    assert "swap-1 on OpenAI" in subjects
    assert Finding.objects.get(offering=catalog["slip"]).status == Finding.Status.RESOLVED


def test_a_source_listing_part_of_a_provider_never_calls_the_rest_missing(tmp_path):
    """genai-prices' Claude-only Vertex AI rows: compared where they match, but our
    Gemini offerings on Vertex AI are not "missing there"."""
    vertex = ProviderFactory(name="Google Cloud Vertex AI", slug="google-vertex-ai")
    claude = _offering(vertex, "claude-x", input="3", output="15")
    gemini = _offering(vertex, "gemini-x", input="1", output="4")
    path = tmp_path / "data.json"
    path.write_text(
        json.dumps(
            [
                {
                    "id": "google",
                    "models": [{"id": "claude-x", "prices": {"input_mtok": 3, "output_mtok": 16}}],
                }
            ]
        )
    )
    report = run(path, source="genai-prices")
    assert report.matched == 1 and report.missing_there == []
    assert {(f.offering, f.field) for f in Finding.objects.all()} == {(claude, "output")}
    assert not Finding.objects.filter(offering=gemini).exists()


def test_whole_offering_findings_resolve_stay_dismissed_and_reopen(catalog, litellm_file):
    LanguageModelFactory(name="Elsewhere 1", slug="elsewhere-1")
    full = planted(litellm_file)
    only_same = litellm_file(
        {
            "same-1": ("0.15", "0.6", "0.075", 128_000, 8_192),
            "elsewhere-1": ("0.5", "1.5", None, 64_000, 4_096),
        },
        name="small.json",
    )
    run(only_same)
    missing = Finding.objects.get(offering=catalog["slip"], field=WHOLE_OFFERING)
    missing.status, missing.note = Finding.Status.DISMISSED, "litellm lags; still sold"
    missing.save()

    report = run(only_same)  # same gap again: stays dismissed, nothing new
    missing.refresh_from_db()
    assert missing.status == Finding.Status.DISMISSED
    assert (report.opened, report.reopened, report.resolved) == (0, 0, 0)

    run(full)  # the source lists it again, and drops elsewhere-1: both settle
    missing.refresh_from_db()
    assert missing.status == Finding.Status.RESOLVED
    assert Finding.objects.get(kind="not_in_catalog").status == Finding.Status.RESOLVED

    report = run(only_same)  # gone again: a settled gap that comes back reopens
    missing.refresh_from_db()
    assert missing.status == Finding.Status.OPEN
    assert report.reopened == 4  # slip, swap, cache and elsewhere-1 (our-id never left)


def test_a_row_without_a_price_still_lists_the_offering(catalog, litellm_file):
    """Listed without a price: nothing to compare, but not "missing there"; and a
    dismissed "we lack it" stays dismissed while the row has no price for a run."""
    LanguageModelFactory(name="Elsewhere 1", slug="elsewhere-1")
    priced = litellm_file({"elsewhere-1": ("0.5", "1.5", None, 64_000, 4_096)}, name="a.json")
    run(priced)
    lacking = Finding.objects.get(kind="not_in_catalog")
    lacking.status = Finding.Status.DISMISSED
    lacking.save()

    unpriced = priced.parent / "unpriced.json"
    unpriced.write_text(
        json.dumps(
            {
                key: {"litellm_provider": "openai", "mode": "chat"}
                for key in ("slip-1", "elsewhere-1")
            }
        )
    )
    report = run(unpriced)
    assert "slip-1 on OpenAI" not in report.missing_there
    # The first run called it missing; listed now, that finding settles.
    assert Finding.objects.get(offering=catalog["slip"]).status == Finding.Status.RESOLVED
    lacking.refresh_from_db()
    assert lacking.status == Finding.Status.DISMISSED
    run(priced)  # priced again: still dismissed, not settled and reopened
    lacking.refresh_from_db()
    assert lacking.status == Finding.Status.DISMISSED


def test_an_offering_listed_under_another_id_is_not_missing_there(catalog, litellm_file):
    """The source names our model's offering differently (an alias is missing): it is
    listed, not missing; and it is not compared, since the match is unsure."""
    LanguageModelFactory._meta.model.objects.filter(pk=catalog["alias"].model_id).update(
        slug="the-model"
    )
    report = run(litellm_file({"the-model": ("9", "9", None, 128_000, 8_192)}))
    assert "our-id on OpenAI" not in report.missing_there
    assert not Finding.objects.filter(offering=catalog["alias"]).exists()
    assert report.unmatched_rows == 1 and report.missing_here == []


def test_findings_follow_an_offering_moved_to_another_provider(catalog, litellm_file):
    path = planted(litellm_file)
    run(path)
    moved_to = ProviderFactory(name="Azure", slug="azure")
    Offering.objects.filter(pk=catalog["slip"].pk).update(provider=moved_to)
    azure = path.parent / "azure.json"
    azure.write_text(
        path.read_text().replace('"litellm_provider": "openai"', '"litellm_provider": "azure"')
    )
    run(azure)  # the old provider has no rows now; the finding must not be made twice
    finding = Finding.objects.get(offering=catalog["slip"], field="input")
    assert finding.provider == moved_to


def test_rerunning_changes_nothing(catalog, litellm_file):
    path = planted(litellm_file)
    run(path)
    before = list(
        Finding.objects.values_list("pk", "status", "our_value", "their_value", "first_seen")
    )
    checks = list(OfferingCheck.objects.values_list("pk", "agrees", "disagreements"))
    report = run(path)
    after = list(
        Finding.objects.values_list("pk", "status", "our_value", "their_value", "first_seen")
    )
    assert after == before
    assert list(OfferingCheck.objects.values_list("pk", "agrees", "disagreements")) == checks
    assert (report.opened, report.reopened, report.resolved) == (0, 0, 0)


def test_dismissed_finding_stays_dismissed_until_a_new_value(catalog, litellm_file):
    path = planted(litellm_file)
    run(path)
    finding = Finding.objects.get(offering=catalog["slip"], field="input")
    finding.status = Finding.Status.DISMISSED
    finding.note = "provider page says 1.25"
    finding.save()

    run(path)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.DISMISSED
    assert finding.note == "provider page says 1.25"

    changed = planted(litellm_file)
    text = changed.read_text().replace('"12.5e-6"', '"20e-6"')
    changed.write_text(text)
    report = run(changed)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN
    assert finding.their_value == Decimal("20")
    assert report.reopened == 1


def test_values_that_now_agree_resolve_the_finding(catalog, litellm_file):
    run(planted(litellm_file))
    record_price(
        offering=catalog["slip"],
        price=PriceInput(Decimal("12.5"), Decimal("10"), cache_read=Decimal("0.125")),
    )
    report = run(planted(litellm_file))
    finding = Finding.objects.get(offering=catalog["slip"], field="input")
    assert finding.status == Finding.Status.RESOLVED
    assert report.resolved == 1
    assert OfferingCheck.objects.get(offering=catalog["slip"]).agrees


def test_tolerance_setting_decides_agreement(catalog, litellm_file, settings):
    path = litellm_file({"same-1": ("0.153", "0.6", "0.075", 128_000, 8_192)})
    settings.PRICE_WATCH_TOLERANCE = "0.05"
    run(path)
    assert open_findings() == {}
    settings.PRICE_WATCH_TOLERANCE = "0"
    run(path)
    assert open_findings() == {("same-1", "input"): (Decimal("0.15"), Decimal("0.153"))}


def test_context_window_and_max_output_are_compared(catalog, litellm_file):
    run(litellm_file({"same-1": ("0.15", "0.6", "0.075", 64_000, 16_384)}))
    assert open_findings() == {
        ("same-1", "context_window"): (Decimal(128_000), Decimal(64_000)),
        ("same-1", "max_output_tokens"): (Decimal(8_192), Decimal(16_384)),
    }


def test_command_reads_several_sources_and_never_changes_a_price(catalog, litellm_file, capsys):
    path = planted(litellm_file)
    prices = list(Offering.objects.values_list("pk", "current_price__input"))
    call_command("reconcile_prices", "--source", f"litellm={path}")
    assert len(open_findings()) == 4
    assert whole_offering_findings() == {("not_in_source", "our-id on OpenAI", "our-id")}
    assert list(Offering.objects.values_list("pk", "current_price__input")) == prices
    out = capsys.readouterr().out
    assert "litellm: 4 offerings matched" in out  # "their-id" has no alias here
    assert "1 of our offerings not in the source" in out


@pytest.mark.parametrize(
    "arg, message",
    [
        ("litellm", "NAME=PATH"),
        ("nonsense=/tmp/x.json", "unknown source"),
        ("litellm=/no/such/file.json", "does not exist"),
    ],
)
def test_command_refuses_bad_sources_and_stores_nothing(catalog, arg, message):
    with pytest.raises(CommandError, match=message):
        call_command("reconcile_prices", "--source", arg)
    assert not Finding.objects.exists()


def test_command_refuses_an_unreadable_file_before_storing_anything(
    catalog, litellm_file, tmp_path
):
    good = planted(litellm_file)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError):
        call_command(
            "reconcile_prices", "--source", f"litellm={good}", "--source", f"openrouter={bad}"
        )
    assert not Finding.objects.exists()


def test_real_files_against_the_seed_catalog(shared_data, django_assert_max_num_queries):
    call_command("seed_catalog", verbosity=0)
    sources = {
        "litellm": shared_data / "litellm" / "model_prices_and_context_window.json",
        "openrouter": shared_data / "openrouter" / "models.json",
        "models-dev": shared_data / "models-dev",
        "genai-prices": shared_data / "genai-prices" / "data.json",
    }
    parsed = {name: PARSERS[name](path) for name, path in sources.items()}
    for name, source in parsed.items():
        # No query per row or offering; bulk writes go in batches of the database's
        # parameter limit (SQLite: 999 values), about one per 50 findings, and the
        # change-log events for the offerings whose checks changed, one per 199.
        with django_assert_max_num_queries(60):
            report = reconcile(name, source)
        assert report.matched > 20
    # Equal values are never flagged.
    for finding in Finding.objects.filter(kind="disagree"):
        assert finding.our_value != finding.their_value
    # Whole offerings: "we lack it" only for pairs we do not carry, "missing there" only
    # for offerings still sold; both kinds occur in the real files.
    lacking = Finding.objects.filter(kind="not_in_catalog")
    missing = Finding.objects.filter(kind="not_in_source").select_related("offering")
    assert lacking.exists() and missing.exists()
    for finding in lacking:
        assert not Offering.objects.filter(model=finding.model, provider=finding.provider)
    assert all(f.offering.lifecycle != "retired" for f in missing)
    assert OfferingCheck.objects.filter(agrees=True).count() > 50
    before = list(Finding.objects.order_by("pk").values_list("pk", "status", "their_value"))

    # A rerun changes nothing.
    for name, source in parsed.items():
        reconcile(name, source)
    assert list(Finding.objects.order_by("pk").values_list("pk", "status", "their_value")) == before

    # A 10x slip planted on an offering that agreed is found on the next run.
    check = (
        OfferingCheck.objects.filter(
            agrees=True, source="openrouter", offering__current_price__input__gt=0
        )
        .select_related("offering__current_price")
        .order_by("offering__provider_model_id", "pk")
        .first()
    )
    current = check.offering.current_price
    record_price(
        offering=check.offering,
        price=PriceInput(
            current.input * 10, current.output, current.cache_read, current.cache_write
        ),
    )
    reconcile("openrouter", parsed["openrouter"])
    finding = Finding.objects.get(source="openrouter", offering=check.offering, field="input")
    assert finding.status == "open"
    assert finding.relative_difference == Decimal("0.9")  # theirs is a tenth of ours

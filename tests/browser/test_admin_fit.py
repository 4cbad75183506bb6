"""The editors' admin fits a 1280 px screen (issue #19): no list or model page scrolls
sideways and list rows are one line high, with a catalog whose names are long and whose
model has many offerings and scores. Screenshots in the test's tmp folder."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from pricewatch.models import Finding
from tests.browser import IN_CHROMIUM
from tests.browser.test_editor_import import plain_http_server
from tests.browser.test_editor_journey import sign_in_as_editor
from tests.factories import (
    BenchmarkFactory,
    BenchmarkScoreFactory,
    LanguageModelFactory,
    OrganizationFactory,
    ProviderFactory,
    offer,
)

WIDTH = 1280
ROW_HEIGHT_MAX = 40  # one line of text with the admin's cell padding

pytestmark = IN_CHROMIUM
__all__ = ["plain_http_server"]

LISTS = [
    "catalog_languagemodel",
    "catalog_offering",
    "catalog_price",
    "catalog_provider",
    "catalog_organization",
    "catalog_benchmarkscore",
    "pricewatch_finding",
]


def long_named_catalog():
    """Names as long as real ones, a model on many providers with many scores."""
    maker = OrganizationFactory(name="Mistral AI Research and Development Laboratories")
    providers = [
        ProviderFactory(name=f"Amazon Bedrock Cross-Region Inference {i}") for i in range(8)
    ]
    model = None
    for i in range(12):
        model = LanguageModelFactory(
            name=f"Mistral Large Instruct 2411 Preview Experimental Edition {i}",
            organization=maker,
        )
        for provider in providers[: i + 1]:  # the last on all of them
            offer(model, provider, input="1.25", output="10", cache_read="0.025")
    offering = model.offerings.first()
    now = timezone.now()
    Finding.objects.create(
        source="openrouter",
        offering=offering,
        provider=offering.provider,
        model=model,
        provider_model_id=offering.provider_model_id,
        field="input",
        our_value=Decimal("1.25"),
        their_value=Decimal("1.5"),
        relative_difference=Decimal("0.2"),
        first_seen=now,
        last_seen=now,
    )
    for i in range(6):
        BenchmarkScoreFactory(model=model, benchmark=BenchmarkFactory(name=f"MMLU-Pro {i}"))
    return model


def logged_in_editor(chromium, django_user_model, site):
    return sign_in_as_editor(
        chromium, django_user_model, site, WIDTH, 800, permissions=["view_finding"]
    )


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def sideways_overflow(page) -> list[str]:
    """The page, and any box scrolling sideways inside it (the admin lets a list's
    table scroll within its column rather than the page)."""
    return page.evaluate(
        """() => [document.documentElement, ...document.querySelectorAll('body *')]
        .filter(el => el.scrollWidth > el.clientWidth + 1 && (el === document.documentElement
            || ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)))
        .map(el => el.id || el.className || el.tagName)"""
    )


def tallest_row(page) -> float:
    return page.evaluate(
        "Math.max(0, ...[...document.querySelectorAll('#result_list tbody tr')]"
        ".map(row => row.getBoundingClientRect().height))"
    )


def test_the_editors_lists_and_model_page_fit_1280_px(
    plain_http_server, chromium, django_user_model, tmp_path
):
    model = long_named_catalog()
    site = plain_http_server.url
    page = logged_in_editor(chromium, django_user_model, site)

    failures = []
    for name in LISTS:
        page.goto(site + reverse(f"admin:{name}_changelist"))
        page.screenshot(path=tmp_path / f"{name}-list.png", full_page=True)
        assert page.locator("#result_list tbody tr").count() > 0, name
        if page_width(page) > WIDTH or sideways_overflow(page):
            failures.append(f"{name} scrolls sideways: {sideways_overflow(page)}")
        if tallest_row(page) > ROW_HEIGHT_MAX:
            failures.append(f"{name} has a row {tallest_row(page)} px high")

    assert failures == []

    page.goto(site + reverse("admin:catalog_languagemodel_change", args=[model.pk]))
    page.screenshot(path=tmp_path / "model-page.png", full_page=True)
    assert page_width(page) <= WIDTH
    assert sideways_overflow(page) == []
    assert page.locator("#offerings-group tbody tr.has_original").count() == 8
    workbench = page.get_by_role("link", name="Edit prices in the workbench")
    assert workbench.get_attribute("href").endswith(f"?model__id__exact={model.pk}")

""" "Continue comparing" looks only at the candidates near a pair's prices
(comparisons.selectors.nearest_by_input_price): it must pick exactly what sorting every
published model by price distance picks, ties and all."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from comparisons.selectors import (
    Candidate,
    index_candidates,
    nearest_by_input_price,
    priced_within,
)

# Few distinct prices and names, so ties in distance and in name are common.
PRICES = [None, Decimal(0), Decimal("0.1"), Decimal("0.25"), Decimal("0.5"), Decimal("1.5")]
NAMES = ["Alpha", "Beta", "Gamma"]


@st.composite
def catalogs(draw):
    count = draw(st.integers(min_value=0, max_value=30))
    return [
        Candidate(
            slug=f"model-{i}",
            name=draw(st.sampled_from(NAMES)),
            organization_slug="org",
            release_date=date(2025, 1, 1),
            capabilities=(),
            cheapest_input=draw(st.sampled_from(PRICES)),
        )
        for i in range(count)
    ]


def nearest_by_sorting_everything(candidates, prices, *, count, excluded):
    """The definition: every priced candidate but the pair's own, by distance to the
    nearest price, then name, in catalog order among equals."""
    priced = [c for c in candidates if c.slug not in excluded and c.cheapest_input is not None]
    return sorted(priced, key=lambda c: (min(abs(c.cheapest_input - p) for p in prices), c.name))[
        :count
    ]


@settings(max_examples=300, deadline=None)
@given(
    candidates=catalogs(),
    prices=st.lists(
        st.sampled_from(PRICES[1:] + [Decimal("0.3"), Decimal(9)]), min_size=1, max_size=2
    ),
    count=st.integers(min_value=1, max_value=12),
    excluded=st.sets(st.sampled_from([f"model-{i}" for i in range(6)]), max_size=2),
)
def test_nearest_input_price_matches_sorting_every_candidate(candidates, prices, count, excluded):
    index = index_candidates(candidates)

    found = nearest_by_input_price(index, prices, count=count, excluded=excluded)

    expected = nearest_by_sorting_everything(candidates, prices, count=count, excluded=excluded)
    assert [c.slug for c in found] == [c.slug for c in expected]


@settings(max_examples=300, deadline=None)
@given(
    candidates=catalogs(),
    windows=st.lists(
        st.tuples(st.sampled_from(PRICES[1:]), st.sampled_from(PRICES[1:] + [Decimal(9)])),
        min_size=1,
        max_size=2,
    ),
)
def test_the_models_inside_the_price_windows_are_those_testing_each_finds(candidates, windows):
    """What the page cache records for the nearest-price part (page_dependencies): the
    priced models inside any window, bounds included, in catalog order."""
    index = index_candidates(candidates)

    found = priced_within(index, windows)

    expected = [
        c
        for c in candidates
        if c.cheapest_input is not None
        and any(low <= c.cheapest_input <= high for low, high in windows)
    ]
    assert [c.slug for c in found] == [c.slug for c in expected]

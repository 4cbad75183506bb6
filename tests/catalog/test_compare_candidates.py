""" "Compare with" on a model page (catalog.selectors.compare_candidates) picks the nearest
model of each other maker without sorting every model: it must pick exactly what the
definition, sorting them all by nearness and taking makers in turn, picks."""

import math
from types import SimpleNamespace
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog import selectors
from catalog.selectors import CompareCandidate

MODALITIES = ["text", "text,image"]


def by_sorting_everything(model, rows, *, same_maker=4, limit=8):
    """The definition, as the page first wrote it."""
    mine = next((m.blend for m in rows if m.pk == model.pk), None)
    others = [m for m in rows if m.pk != model.pk]
    chosen = [m for m in others if m.organization_id == model.organization_id][:same_maker]

    def nearness(other):
        price = other.blend
        distance = abs(math.log(price / mine)) if mine and price else math.inf
        return other.output_modalities != model.output_modalities, distance, -other.provider_count

    makers = {model.organization_id}
    for other in sorted(others, key=nearness):
        if len(chosen) >= limit:
            break
        if other.organization_id not in makers:
            makers.add(other.organization_id)
            chosen.append(other)
    return chosen


rows_strategy = st.lists(
    st.tuples(
        st.integers(1, 6),  # maker
        st.sampled_from(MODALITIES),
        st.integers(0, 4),  # providers
        # Few distinct prices, so ties (in price and in ratio) are common.
        st.one_of(st.none(), st.sampled_from([0.5, 1.0, 2.0, 4.0, 10.0, 20.0, 3.0])),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(rows=rows_strategy, me=st.integers(0, 39), limit=st.integers(0, 10))
def test_the_same_choice_as_sorting_every_model(rows, me, limit):
    candidates = [
        CompareCandidate(
            pk=n + 1,
            slug=f"m{n}",
            name=f"M{n}",
            organization_id=maker,
            output_modalities=modalities,
            provider_count=providers,
            blend=blend,
        )
        for n, (maker, modalities, providers, blend) in enumerate(rows)
    ]
    mine = candidates[me % len(candidates)]
    model = SimpleNamespace(
        pk=mine.pk,
        organization_id=mine.organization_id,
        output_modalities=mine.output_modalities,
        is_published=True,
    )
    index = selectors.CandidateIndex(candidates)
    with patch.object(selectors, "published_candidate_index", return_value=index):
        chosen = selectors.compare_candidates(model, limit=limit)
    assert chosen == by_sorting_everything(model, candidates, limit=limit)

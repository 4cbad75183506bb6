"""The generator's rules over real models: snapshots of the shipped seed, not only random
ones. Names become Alpha and Beta (the rules' patterns name them); every figure, limit,
capability, offering and score is the seed's own."""

import dataclasses
import random

import pytest
from django.core.management import call_command
from django.db import transaction

from catalog.models import LanguageModel
from comparisons.pricing import BlendRatio
from comparisons.snapshot import model_snapshots
from tests.comparisons.test_narrative_properties import assert_true_to_the_data

PAIRS = 2_000  # every pair is about 71,000 at 378 models: a fixed sample


@pytest.fixture(scope="module")
def seed_snapshots(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_catalog", verbosity=0)
        models = list(LanguageModel.objects.published().select_related("organization"))
        snapshots = model_snapshots(models)
        transaction.set_rollback(True)
    return [snapshots[m.slug] for m in sorted(models, key=lambda m: m.slug)]


def _named(snapshot, name):
    return dataclasses.replace(snapshot, name=name, slug=name.lower())


def test_prose_is_true_to_the_data_on_real_seed_pairs(seed_snapshots, db):
    assert len(seed_snapshots) >= 300
    rng = random.Random(20261202)  # a fixed sample, so a failure names its pair again
    pairs = [tuple(rng.sample(seed_snapshots, 2)) for _ in range(PAIRS)]
    blends = [BlendRatio(7, 3), BlendRatio(3, 1), BlendRatio(1, 1)]
    # Pairs that tie on price or context are where false claims hide: include them.
    by_window = {}
    for snapshot in seed_snapshots:
        by_window.setdefault(snapshot.context_window, []).append(snapshot)
    pairs += [tuple(group[:2]) for group in by_window.values() if len(group) >= 2]
    for index, (a, b) in enumerate(pairs):
        for blend in (blends[index % 3],):
            try:
                assert_true_to_the_data(_named(a, "Alpha"), _named(b, "Beta"), blend)
            except AssertionError as exc:
                raise AssertionError(f"{a.slug} vs {b.slug} at {blend.label}: {exc}") from exc

"""The generator's phrasing helpers, rule by rule."""

from decimal import Decimal

import pytest

from comparisons.narrative.english import (
    a_or_an,
    count_noun,
    join_words,
    licence_phrase,
    multiple_phrase,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80%", "an 80%"),
        ("34%", "a 34%"),
        ("8K-token", "an 8K-token"),
        ("11K-token", "an 11K-token"),
        ("110K-token", "a 110K-token"),
        ("18M-token", "an 18M-token"),
        ("180K-token", "a 180K-token"),
        ("1M-token", "a 1M-token"),
        ("1.05M-token", "a 1.05M-token"),
        ("11,000", "an 11,000"),
        ("1,800", "a 1,800"),
        ("70/30", "a 70/30"),
        ("80/20", "an 80/20"),
        ("open model", "an open model"),
        ("unified API", "a unified API"),
    ],
)
def test_the_article_follows_the_number_read_aloud(text, expected):
    assert a_or_an(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2", "2x"), ("2.04", "2x"), ("2.45", "2.5x"), ("9.96", "10x"), ("833.33", "833x")],
)
def test_multiples_have_the_precision_they_deserve(value, expected):
    assert multiple_phrase(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("licence", "expected"),
    [
        ("MIT", "the MIT licence"),
        ("Apache-2.0", "the Apache-2.0 licence"),
        ("Llama 3.1 Community License", "the Llama 3.1 Community License"),
        ("Proprietary", "a proprietary licence"),
    ],
)
def test_licences_read_after_under(licence, expected):
    assert licence_phrase(licence) == expected


def test_lists_and_counts():
    assert join_words([]) == ""
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert count_noun(1, "provider") == "one provider"
    assert count_noun(3, "provider") == "three providers"
    assert count_noun(12, "provider") == "12 providers"

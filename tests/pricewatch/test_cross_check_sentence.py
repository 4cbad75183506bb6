from datetime import date

import pytest

from catalog.formatting import cross_check_sentence


@pytest.mark.parametrize(
    ("checked", "agreeing", "text"),
    [
        (0, 0, "not cross-checked yet"),
        (1, 1, "matches 1 of 1 source checked on 3 November 2026"),
        (2, 2, "matches 2 of 2 sources checked on 3 November 2026"),
        (2, 1, "1 of 2 sources disagrees (checked on 3 November 2026)"),
        (3, 0, "3 of 3 sources disagree (checked on 3 November 2026)"),
    ],
)
def test_cross_check_sentence_counts_and_plurals(checked, agreeing, text):
    assert cross_check_sentence(checked, agreeing, date(2026, 11, 3)) == text

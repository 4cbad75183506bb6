"""Small phrasing helpers the generator shares: lists, articles, counts, licences.

Pure functions of their arguments, so each rule is tested on its own
(tests/comparisons/test_english.py).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def join_words(items: list[str] | tuple[str, ...], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def number_word(count: int) -> str:
    """Counts under ten in words ("three"), larger ones in figures ("12")."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def count_noun(count: int, singular: str, plural: str | None = None) -> str:
    """ "one provider", "three providers", "12 providers"."""
    word = singular if count == 1 else (plural or f"{singular}s")
    return f"{number_word(count)} {word}"


_AN_WORDS = re.compile(r"^(?:[aeio]|u(?!ni|se|su)|hour|honest|8|18\b|11\b|MIT\b|FP|LLM\b)", re.I)


def a_or_an(text: str) -> str:
    """The indefinite article for `text` as it is read aloud: "an 80%", "a 34%",
    "an 11K", "a 110K", "an 18M", "an 8x", "a 1M"."""
    leading = re.match(r"^[\d,]+", text)
    if leading:
        digits = leading.group(0).replace(",", "")
        # Read aloud: eight..., eleven..., eighteen... take "an"; "eleven" and "eighteen"
        # only when the group of digits they open is two long (11, 18,000, 11.5).
        group = len(digits) % 3 or 3
        if digits.startswith("8") or (group == 2 and digits[:2] in ("11", "18")):
            return f"an {text}"
        return f"a {text}"
    return f"an {text}" if _AN_WORDS.match(text) else f"a {text}"


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def percent_phrase(percent: Decimal) -> str:
    """A rounded percentage as words that stay true at the ends of the scale."""
    if percent >= 100:
        return "more than 99%"
    if percent <= 0:
        return "less than 1%"
    return f"{percent}%"


def multiple_phrase(multiple: Decimal) -> str:
    """How many times as much, at the precision the number deserves: "2x", "2.5x",
    "12x", "833x" (one decimal below ten, whole numbers above)."""
    places = Decimal("0.1") if multiple < 10 else Decimal(1)
    rounded = multiple.quantize(places, rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}x"


def licence_phrase(licence: str) -> str:
    """A licence as it reads after "under": "the MIT licence", "the Apache-2.0 licence",
    "the Llama 3.1 Community License", "a proprietary licence"."""
    name = licence.strip()
    if name.lower().startswith("proprietary"):
        return "a proprietary licence"
    if re.search(r"licen[cs]e", name, re.I):
        return name if name.lower().startswith("the ") else f"the {name}"
    return f"the {name} licence"

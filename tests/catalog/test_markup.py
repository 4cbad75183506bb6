"""catalog.markup.escape_html gives what Django's conditional_escape gives."""

from decimal import Decimal

import pytest
from django.utils.functional import lazystr
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from catalog.markup import escape_html


@pytest.mark.parametrize(
    "value",
    [
        "Plain",
        "<script>alert('x')</script> & \"quoted\"",
        mark_safe("<b>already markup</b>"),
        lazystr("lazy <text>"),
        Decimal("0.25"),
        12,
        None,
        "",
    ],
)
def test_the_same_text_as_conditional_escape(value):
    assert escape_html(value) == conditional_escape(value)

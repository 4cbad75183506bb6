"""comparisons.calculator.read_options: what a query asks of the comparison page, kept
per query in the process (bounded), so a page with the usual query builds no form."""

from decimal import Decimal

from django.http import QueryDict

from comparisons import calculator
from comparisons.calculator import read_options


def test_the_same_query_gives_the_same_answer_without_building_it_again():
    first = read_options(QueryDict(""))
    assert read_options(QueryDict("")) is first
    form, blend, workload = first
    assert form.is_valid()
    assert workload is not None
    assert blend.label == calculator.DEFAULT_BLEND.label


def test_each_query_is_read_on_its_own():
    default = read_options(QueryDict(""))
    form, _blend, workload = read_options(QueryDict("input_tokens=5&cached_percent=20"))
    assert workload.input_tokens == 5
    assert workload.cached_share == Decimal("0.2")
    assert default[2].input_tokens != 5
    bad_form, _blend, bad_workload = read_options(QueryDict("input_tokens=-1"))
    assert bad_workload is None
    assert "input_tokens" in bad_form.errors


def test_hostile_queries_cannot_grow_the_memo(monkeypatch):
    monkeypatch.setattr(calculator, "MOST_QUERIES", 3)
    for tokens in range(10):
        read_options(QueryDict(f"input_tokens={tokens + 1}"))
        assert len(calculator._read) <= 3

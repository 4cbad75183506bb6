from decimal import Decimal as D

from catalog.plausibility import check_limits, check_price


def fields(warnings):
    return sorted(w.field for w in warnings)


def test_a_sane_price_has_no_warnings():
    assert (
        check_price(
            {"input": D("2.5"), "output": D("10")}, previous={"input": D("2"), "output": D("8")}
        )
        == []
    )


def test_swapped_output_below_input():
    assert fields(check_price({"input": D("10"), "output": D("0.5")})) == ["output"]
    assert check_price({"input": D("10"), "output": D("1")}) == []  # exactly 10x is allowed


def test_more_than_5x_change_either_way():
    previous = {"input": D("1.25"), "output": D("10"), "cache_read": D("0.125")}
    new = {"input": D("12.5"), "output": D("10"), "cache_read": D("0.02")}
    assert fields(check_price(new, previous=previous)) == ["cache_read", "input"]
    assert check_price({"input": D("6.25"), "output": D("10")}, previous=previous) == []


def test_zero_on_a_paid_offering_but_not_on_free():
    zero = {"input": D("0"), "output": D("0")}
    assert fields(check_price(zero, provider_model_id="x/y")) == ["input", "output"]
    assert check_price(zero, provider_model_id="x/y:free") == []


def test_context_window_below_max_output():
    warnings = check_limits(context_window=8000, max_output_tokens=16000)
    assert fields(warnings) == ["max_output_tokens"] and "16000" in warnings[0].message
    assert check_limits(context_window=16000, max_output_tokens=16000) == []
    assert check_limits(context_window=16000, max_output_tokens=None) == []

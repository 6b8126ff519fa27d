"""The "what would prove the idea wrong" rule, on a corpus of answers people actually type.

The pause page asks for what would have to happen for the idea to be false: 'Not "if it goes
down"' (docs/pause-protocol.md). An answer passes when it names something observable: a price or
level, a candle close on a time frame, or an event. Each list below is written by hand; a comment
gives the reasoning for every borderline entry, so a change to the word lists that flips one of them
is a decision, not an accident.
"""

import json

import pytest

from calculators.pause import MIN_CHARS, MIN_WORDS, NOT_OBSERVABLE, evaluate_pause

WAIT = "There will be another setup next week if I skip this one"

# Answers that name something a person could see happen.
MUST_PASS = [
    "4h close below 58k",
    "CPI prints hot and btc loses 60k",
    "daily candle closes back inside the range",
    "if btc loses the weekly open",
    "if we close below the 200 ema on the daily",
    "price closes under 3100 on the 4h",
    "eth loses 2.8k support",
    "funding flips negative while price stalls",
    "sol closes below the range low on the 1h",
    "if the breakout fails and we close back in the range",
    "if the listing gets delayed or cancelled",
    "FOMC hikes rates instead of pausing",
    "if the ETF outflows continue for another week",
    "open interest keeps rising while price falls",
    "a lower low on the 4h chart",
    "btc dominance breaks above 60%",
    "weekly close below 55k",
    "if it wicks below 57.5k and doesnt reclaim",
    "the token unlock on friday dumps supply on the market",
    "if the daily closes red below yesterdays low",
    "price loses the vwap and cant reclaim it",
    "the retest of 62k fails",
    "if suport at 58000 breaks",  # misspelt, and the number alone would pass
    "if it closes below resistence turned support",  # "resistence" is read as resistance
    "if nfp comes in strong and yields jump",
    "if we lose the trendline from the march low",
    "a daily close under the 50 day moving average",
    "eth/btc makes a new low",  # a new low is a level on the ratio's chart
    "SEC denies the etf application",
    # Borderline: no price, but a hack's size is reported news someone can check.
    "if the hack turns out to be bigger than reported",
    # Borderline: a deadline is a valid invalidation ("no follow-through by Friday means the breakout
    # was not real"); the weekday is the observable part.
    "if it doesnt break out by friday the idea is dead",
    "price trades below 0.45 for more than two hours",
    # Borderline: a percentage from entry is a price level, even if the idea behind it is thin; the
    # rule checks that something can be observed, not that the idea is good.
    "-5% from entry",
    "if btc closes the week below 90k",
    "the fed cuts less than expected",
    "funding goes deeply negative and price still falls",
    "if the neckline at 2450 gets reclaimed",
    "if we get a daily close inside the old range",
    "Price closes back under the breakout level on the daily",
    "if the airdrop snapshot gets postponed",
    "if the bid wall at 1.05 gets pulled",
    "if the 1h candle closes below the asian session low",
    "USDT depegs or tether gets FUD",
    "if the mainnet launch slips again",
    # Borderline: the Coinbase premium is a published spread, so its sign can be read off a chart.
    "if coinbase premium turns negative",
    "a close below the 0.618 fib",
    "if it loses the POC of the value area",
    "if the gap fills down to 61.2k",
    "BTC closing below yesterday's high",
    "if the higher low at 2,950 breaks",
    "The price closes the day back inside the range it just broke out of",  # the page's own example
]

# Answers that only give a direction, a feeling or the trader's own outcome.
MUST_FAIL = [
    "if it goes down",
    "if price drops",
    "when it dumps hard",
    "if I'm wrong about this",
    "if the trade goes against me",
    "if the market turns bearish",
    "if btc dumps",
    "if it starts going down fast",
    "when the price crashes",
    "if sentiment changes",
    "if it doesn't pump",
    "if eth keeps bleeding",
    # Borderline: "breaks down" is a direction; a named breakdown level ("the breakdown of 58k") passes.
    "if it breaks down",
    # Borderline: the stop is line 2 of the protocol; pointing at it does not say what would happen.
    "if my stop gets hit",
    "if I get liquidated",
    # Borderline: "goes red" here is the position's PnL, not a candle; "the daily closes red" passes.
    "if it goes red",
    "if the chart looks bad",
    # Borderline: whales' selling is not visible as such; a named flow ("exchange inflows") passes.
    "if whales start selling",
    # Borderline: "market structure" names no swing a person could point to; "the 4h higher low" passes.
    "if the market structure breaks",
    "if it gets too high",  # "too high" names no level; "the weekly high" would
    "if the trend reverses",
    "if momentum dies out",
    "if bears take control",
    "if I lose money on it",
    "price goes the other way",
    "if it moons instead",
    "if the pump was fake",
    "if it tanks after i buy",
    "when i feel like its wrong",
    # Borderline: another market's direction is still only a direction.
    "if the dollar pumps",
    # Borderline: "bad news" names no event; "the ETF gets denied" passes.
    "if bad news comes out",
    "if stocks sell off hard",  # same reasoning as the dollar
    # Borderline: "soon" is no time anyone can check; "by friday" passes.
    "if it doesnt go up soon",
    "if everyone turns bearish on twitter",
    "if it keeps falling like yesterday",
    # Borderline: "today" with a direction is still a direction; "the daily closes red" passes.
    "if it drops a lot today",
    "honestly if it just goes down",
    "if alts bleed again",
    "when the pump is over",
    # Borderline: volume is left out of the lists: "volume dies" is a direction of a second series.
    "if volume dies",
    # Borderline: below what? "breaks below 58k" or "below the range" passes.
    "if it breaks below",
    # Borderline: an indicator's direction alone; "RSI closes below 30" passes on the number.
    "if the rsi turns down",
    # Borderline: closing the trade is the trader's action, not something the market shows.
    "if i close the trade in loss",
    "if price goes lower than i expect",
    # Borderline: "the setup" is not named; "the breakout fails" passes because a breakout is a level.
    "if the setup fails",
    "if sellers step in",
]


def wrong_if_check(text: str):
    result = evaluate_pause(wrong_if=text, invalidation_price=57000, reason_to_wait=WAIT, seconds_paused=30)
    return result, next(c for c in result.checks if c.name == "wrong_if")


def test_corpus_is_large_enough_and_disjoint():
    assert len(MUST_PASS) >= 40 and len(MUST_FAIL) >= 40
    assert len(set(MUST_PASS)) == len(MUST_PASS) and len(set(MUST_FAIL)) == len(MUST_FAIL)
    assert not set(MUST_PASS) & set(MUST_FAIL)


@pytest.mark.parametrize("text", MUST_PASS)
def test_observable_answers_pass(text):
    result, check = wrong_if_check(text)
    assert check.passed is True, check.message
    assert result.verdict == "ready"


@pytest.mark.parametrize("text", MUST_FAIL)
def test_direction_only_answers_fail_for_that_reason(text):
    # Long enough to pass the length check: the rule under test is the one that fails them.
    assert len(text.split()) >= MIN_WORDS and len(text) >= MIN_CHARS
    result, check = wrong_if_check(text)
    assert check.passed is False
    assert check.message == NOT_OBSERVABLE
    assert result.verdict == "not-ready"
    assert result.headline == "Not ready: what would prove the idea wrong names nothing you could see happen."


def test_the_explanation_is_plain_and_gives_a_good_example():
    _, check = wrong_if_check("if it goes down")
    assert '"if it goes down"' in check.message  # names the pattern, in the page's own words
    for what in ("price or level", "candle close", "event", "for example"):
        assert what in check.message
    # The examples in the message pass the rule themselves.
    for example in check.message.split('"')[3::2]:
        assert wrong_if_check(example)[1].passed is True, example


@pytest.mark.parametrize("text", ["IF IT GOES DOWN", "If it goes down!!!", "  if   it goes\tdown  "])
def test_case_spacing_and_punctuation_do_not_change_the_verdict(text):
    assert wrong_if_check(text)[1].passed is False


@pytest.mark.parametrize(
    "text",
    ["<b>if it goes down</b> and more", "if it goes down <script>alert('x')</script>", "if it dumps {{ x*y }} ok"],
)
def test_a_failed_answer_is_never_echoed(text):
    result, check = wrong_if_check(text)
    assert check.passed is False
    encoded = json.dumps(result.to_dict())
    assert "<script>" not in encoded and "<b>" not in encoded and "x*y" not in encoded


def test_reason_to_wait_needs_no_observable_sign():
    # The third answer is about the trader, not the market: "I already have a position open" is fine.
    result = evaluate_pause(
        wrong_if="4h close below 58k",
        invalidation_price=57000,
        reason_to_wait="I already have one position open and nothing to prove",
        seconds_paused=30,
    )
    assert result.verdict == "ready"

"""The pause protocol: three written answers, checked before an order.

Before a trade the trader writes (1) one sentence that would prove the idea wrong, (2) the price
where the idea is invalid, and (3) one reason they are willing to do nothing. With the position's
details we can also check that the invalidation price sits on the losing side of entry, that it is
reached before the exchange's liquidation price, and what being wrong would cost as a share of the
account. Prices and losses come from the engine (`liquidation_price`) and from `stops.planned_exit`,
the same check the calculator runs on a stop; nothing here re-writes the margin or PnL formulas.

The text answers may be anything a visitor (or a bot) types. They are only measured (length,
words, comparison with a short list of placeholders, and for the first answer a look-up of its words
in the lists of observable signs below); they are never executed, interpreted, stored or echoed back,
and only the first `MAX_ANSWER_CHARS` characters are looked at.
"""

import difflib
import math
from dataclasses import asdict, dataclass

from . import formatting, inputs
from .engine import SIDES, _check_leverage, liquidation_price
from .errors import InputError
from .stops import planned_exit
from .venues import LINEAR, VENUE_KEYS, VENUES

PAUSE_SECONDS = 30  # how long the visitor waits between writing the answers and the order

# The site's rule of thumb for risk per trade (the position-sizing page uses the same 1 %): being wrong
# should cost at most this share of the account. A habit many traders keep, not a law; the check
# states the figure it uses either way.
RISK_PER_TRADE_LIMIT = 0.01

MAX_ANSWER_CHARS = 500  # only this much of each written answer is looked at
MIN_WORDS = 3
MIN_CHARS = 12

DEFAULT_VENUE = "binance"

# Answers that fill the box without answering, compared after lower-casing and dropping
# punctuation ("N/A." -> "n a", "I don't know" -> "i dont know").
PLACEHOLDERS = frozenset(
    {
        "n a",
        "na",
        "none",
        "idk",
        "no",
        "nothing",
        "asdf",
        "nope",
        "nil",
        "null",
        "nan",
        "tbd",
        "todo",
        "test",
        "testing",
        "x",
        "xx",
        "xxx",
        "ok",
        "okay",
        "yes",
        "dunno",
        "whatever",
        "same",
        "blah",
        "qwerty",
        "lol",
        "not sure",
        "no idea",
        "no idea at all",
        "no clue",
        "no clue at all",
        "i have no clue",
        "idk lol",
        "none at all",
        "nothing at all",
        "no reason",
        "i dont know",
        "i do not know",
        "i have no idea",
        "i dont have one",
        "i do not have one",
        "not sure yet",
        "same as above",
        "see above",
        "as above",
        "no comment",
        "nothing really",
        "there is none",
        "there isnt one",
        "there is no reason",
        "no reason to wait",
        "nothing would prove me wrong",
        "nothing can prove me wrong",
        "nothing will prove me wrong",
        "nothing would prove it wrong",
        "nothing can prove it wrong",
        "nothing will prove it wrong",
        "i am not wrong",
        "im not wrong",
        "i wont be wrong",
        "i will not be wrong",
        "it cant go wrong",
        "no reason to do nothing",
        "i cant think of one",
        "i cannot think of one",
        "i cant think of any",
        "i cannot think of any",
    }
)
# Keyboard mash and filler words that give an answer away wherever they appear.
FILLER_WORDS = frozenset({"asdf", "asdfgh", "asdfghjkl", "qwerty", "qwertyuiop", "lorem", "ipsum", "jkl", "zxcv"})

FIELD_QUESTIONS = {
    "wrong_if": "one sentence that would prove this idea wrong",
    "reason_to_wait": "one reason you are willing to do nothing",
}
FIELD_NAMES = {
    "wrong_if": "what would prove you wrong",
    "reason_to_wait": "your reason to do nothing",
}

# --- what counts as observable -------------------------------------------------------------------
#
# "What would prove the idea wrong" must name something a person could see happen: a price or level,
# a candle close on a time frame, or an event. An answer passes when it contains at least one of the
# signs below; "if it goes down", "when it dumps" or "if I'm wrong" contain none, because a direction
# alone is not a test. The lists are matched against whole lower-cased words (see `_key`); nothing is
# evaluated. A number is always a sign: a price ("58k"), a percentage, a time frame ("4h") or a date.

# Words that name a level or a chart structure someone could point to.
LEVEL_WORDS = frozenset(
    {
        "support", "resistance", "level", "range", "trendline", "channel", "wedge", "triangle", "pennant",
        "neckline", "lows", "highs", "ath", "atl", "ema", "sma", "ma", "vwap", "fib", "fibonacci", "retracement",
        "gap", "fvg", "zone", "breakout", "breakdown", "retest", "pivot", "bollinger", "band", "poc",
    }
)  # fmt: skip
# Words that name a candle, a candle close, a chart time frame or a date.
TIME_WORDS = frozenset(
    {
        "candle", "wick", "daily", "weekly", "monthly", "hourly", "session", "eod", "eow", "eom",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "april", "june", "july", "august", "september", "october", "november",
        "december", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip
# Words that name an event: a data release, a central bank, a listing, an unlock, a funding flip...
EVENT_WORDS = frozenset(
    {
        "cpi", "ppi", "pce", "nfp", "payrolls", "unemployment", "gdp", "inflation", "fomc", "fed", "powell",
        "ecb", "boj", "rates", "hike", "earnings", "listing", "listed", "delisting", "delisted", "delist",
        "unlock", "vesting", "airdrop", "halving", "upgrade", "fork", "hardfork", "mainnet", "hack", "hacked",
        "exploit", "exploited", "depeg", "depegged", "lawsuit", "sec", "etf", "approval", "approved", "ruling",
        "court", "vote", "election", "tariff", "funding", "oi", "inflows", "outflows", "netflows", "flows",
        "dominance", "premium", "basis",
    }
)  # fmt: skip
_SIGN_WORDS = LEVEL_WORDS | TIME_WORDS | EVENT_WORDS
# Word sequences that are signs only together ("open interest", not "open" or "interest").
OBSERVABLE_PHRASES = (
    ("open", "interest"),
    ("moving", "average"),
    ("order", "block"),
    ("value", "area"),
    ("double", "top"),
    ("double", "bottom"),
    ("rate", "cut"),
    ("rate", "hike"),
    ("rate", "decision"),
    ("jobs", "report"),
    ("end", "of", "day"),
    ("end", "of", "the", "day"),
    ("end", "of", "week"),
    ("end", "of", "the", "week"),
    ("end", "of", "month"),
    ("end", "of", "the", "month"),
)
# "low", "high" and "open" name a level only after a word that says which one ("the weekly low",
# "a lower high", "the open"); "if it gets too high" names none.
QUALIFIED_WORDS = frozenset({"low", "high", "open"})
QUALIFIERS = frozenset(
    {
        "the", "a", "new", "lower", "higher", "equal", "swing", "range", "local", "previous", "prior", "last",
        "recent", "yesterdays", "todays", "weeks", "months", "days", "years", "weekly", "daily", "monthly",
        "session", "asia", "asian", "london", "ny", "its", "this", "that", "key", "major", "time", "cycle",
    }
)  # fmt: skip
# A close is a sign when the answer says where or how it closes ("closes below", "close back inside",
# "closes red"); "if I close the trade" is not.
CLOSE_WORDS = frozenset({"close", "closes", "closed", "closing"})
CLOSE_WHERE = frozenset(
    {
        "below", "above", "under", "over", "beneath", "back", "inside", "outside", "into", "through", "red",
        "green", "lower", "higher", "bearish", "bullish",
    }
)  # fmt: skip
# Common misspellings, read as the word meant.
MISSPELLINGS = {
    "suport": "support",
    "supprt": "support",
    "supoort": "support",
    "resistence": "resistance",
    "resistnace": "resistance",
    "resistanse": "resistance",
    "resitance": "resistance",
    "trendlien": "trendline",
    "candel": "candle",
    "canlde": "candle",
    "dialy": "daily",
    "daliy": "daily",
    "weelky": "weekly",
    "weekley": "weekly",
    "clsoe": "close",
    "colse": "close",
    "clsoes": "closes",
    "fundign": "funding",
    "listng": "listing",
}
NOT_OBSERVABLE = (
    'That names nothing you could see happen: a direction such as "if it goes down" is not a test. '
    'Name a price or level, a candle close on a time frame, or an event; for example: "the 4h candle '
    'closes below 58k, the low of the range I am buying" or "CPI prints hot and BTC loses the weekly open".'
)

# Why the verdict is "not-ready", in headline form, per failed check.
_HEADLINE_REASONS = {
    "wrong_if": "you have not written what would prove the idea wrong",
    "wrong_if_vague": "what would prove the idea wrong names nothing you could see happen",
    "invalidation_price": "you have not set a usable invalidation price",
    "reason_to_wait": "you have not written a reason you are willing to do nothing",
    "losing_side": "your invalidation price is on the winning side of your entry",
    "before_liquidation": (
        "your invalidation price is beyond your liquidation price, so the exchange exits for you first"
    ),
    "loss_share": f"being wrong would cost more than {formatting.percent(RISK_PER_TRADE_LIMIT, 0)} of your account",
}
_SAME_ANSWER_REASON = "your two written answers are the same"

# When the exchange would exit first. The invalidation comes from the idea, so the advice never moves
# it: only the leverage, the size or the decision to trade can change.
_FIT_ADVICE = (
    "Keep the invalidation where your idea puts it; instead lower the leverage, make the position smaller "
    "relative to your account (so a lower leverage needs no more margin), or skip the trade."
)


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    passed: bool | None  # None: not checked, because the context it needs was not given
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PauseResult:
    verdict: str  # "ready" | "pause" | "not-ready"
    headline: str  # one plain sentence for a person
    checks: tuple[Check, ...]
    liquidation_price: float | None  # None: not computed (context missing) or no positive price
    loss_at_invalidation: float | None  # quote currency; None unless computed on the losing side
    loss_share: float | None  # loss_at_invalidation / account_balance
    seconds_remaining: int  # 0 once the pause is done

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "headline": self.headline,
            "checks": [check.to_dict() for check in self.checks],
            "liquidation_price": self.liquidation_price,
            "loss_at_invalidation": self.loss_at_invalidation,
            "loss_share": self.loss_share,
            "seconds_remaining": self.seconds_remaining,
        }


def evaluate_pause(
    *,
    wrong_if=None,
    invalidation_price=None,
    reason_to_wait=None,
    seconds_paused=0,
    side=None,
    entry_price=None,
    quantity=None,
    leverage=None,
    venue=DEFAULT_VENUE,
    maintenance_margin_rate=None,
    account_balance=None,
) -> PauseResult:
    """Check the three written answers (and, given the position, the numbers behind them).

    A bad invalidation price is a failed check, not an error. Position details that are given but
    unusable, an unknown venue or side, and a bad `seconds_paused` raise `InputError`.
    """
    paused = _seconds_paused(seconds_paused)
    ctx = _Context.read(side, entry_price, quantity, leverage, venue, maintenance_margin_rate, account_balance)

    wrong_text, reason_text = _clean(wrong_if), _clean(reason_to_wait)
    same = _is_same(wrong_text, reason_text)
    wrong_check, wrong_reason = _answer_check("wrong_if", wrong_text, same)
    reason_check, reason_reason = _answer_check("reason_to_wait", reason_text, same)
    # Headline reasons that differ from the usual one for that check (a repeated or a vague answer).
    special = {
        name: reason for name, reason in (("wrong_if", wrong_reason), ("reason_to_wait", reason_reason)) if reason
    }

    try:
        price = inputs.positive("invalidation_price", invalidation_price)
        price_check = Check("invalidation_price", True, f"Your invalidation price is {formatting.price(price)}.")
    except InputError as error:
        price, price_check = None, Check("invalidation_price", False, error.message)

    liq = ctx.liquidation()
    side_check = _losing_side_check(ctx, price)
    # The invalidation price is a planned exit: the calculator's stop check answers which exit
    # comes first and what being wrong costs.
    exit_check = planned_exit(liq, price, field="invalidation_price") if liq is not None and side_check.passed else None
    liq_check = _before_liquidation_check(ctx, price, liq, side_check, exit_check)
    loss = share = None
    if exit_check is not None:
        loss = _finite(exit_check.loss_at_exit)
        if loss is not None and ctx.balance is not None:
            share = _finite(loss / ctx.balance)
    share_check = _loss_share_check(ctx, price, liq, side_check, loss, share)

    checks = (wrong_check, price_check, reason_check, side_check, liq_check, share_check)
    remaining = 0 if paused >= PAUSE_SECONDS else math.ceil(PAUSE_SECONDS - paused)
    verdict, headline = _verdict(checks, special, remaining)
    return PauseResult(
        verdict=verdict,
        headline=headline,
        checks=checks,
        liquidation_price=None if liq is None else _finite(liq.liquidated_at),
        loss_at_invalidation=loss,
        loss_share=share,
        seconds_remaining=remaining,
    )


# --- when the pause starts -----------------------------------------------------------------------
# The pause counts from the moment all three answers are written, not from the first keystroke:
# a visitor who typed one letter, waited and then wrote everything has not paused after writing.
# Rewriting an answer substantially (or clearing it) starts the pause again.

ANSWERS = ("wrong_if", "invalidation_price", "reason_to_wait")
REWRITTEN_BELOW = 0.5  # similarity (difflib's ratio) under which an answer counts as rewritten


@dataclass(frozen=True, slots=True)
class PauseStart:
    basis: dict[str, str] | None  # the answers the pause counts from; None: not all three written yet
    restarted: bool  # the pause starts (again) with these answers


def pause_start(answers: dict, previous: object) -> PauseStart:
    """Whether the pause counts on, starts now, or has not started. `answers` are the form's values;
    `previous` is the basis this function returned before (anything else counts as none)."""
    current = {name: _clean(answers.get(name)) for name in ANSWERS}
    if not all(current.values()):
        return PauseStart(None, False)
    basis = _basis(previous)
    if basis is not None and not any(_rewritten(basis[name], current[name]) for name in ANSWERS):
        return PauseStart(basis, False)
    return PauseStart(current, True)


def _basis(previous: object) -> dict[str, str] | None:
    """A basis as pause_start returns it (the three answers' texts), or None for anything else."""
    if not isinstance(previous, dict) or set(previous) != set(ANSWERS):
        return None
    texts = {name: previous[name] for name in ANSWERS}
    return texts if all(isinstance(text, str) for text in texts.values()) else None


def _rewritten(before: str, after: str) -> bool:
    before, after = _clean(before), _clean(after)
    if before == after:
        return False
    return difflib.SequenceMatcher(None, before, after, autojunk=False).ratio() < REWRITTEN_BELOW


# --- the written answers ------------------------------------------------------------------------


def _clean(value) -> str:
    """The first MAX_ANSWER_CHARS characters of an answer, with control characters as spaces.

    Anything that is not a string counts as no answer: it is never converted or inspected.
    """
    if not isinstance(value, str):
        return ""
    head = value[: MAX_ANSWER_CHARS * 4]  # bound the work on very long input
    text = "".join(ch if ch.isprintable() else " " for ch in head)
    return " ".join(text.split())[:MAX_ANSWER_CHARS]


def _key(text: str) -> str:
    """Lower-case letters and digits only, words separated by single spaces: for comparisons."""
    text = text.casefold().replace("'", "").replace("\u2019", "")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _words(text: str) -> int:
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def _is_placeholder(text: str) -> bool:
    key = _key(text)
    if not key:  # punctuation, symbols or emoji only
        return True
    tokens = key.split()
    return (
        key in PLACEHOLDERS
        or len(set(key.replace(" ", ""))) == 1  # "aaaa", "1111", "x x x"
        or (len(tokens) > 1 and len(set(tokens)) == 1)  # "blah blah blah"
        or any(token in FILLER_WORDS for token in tokens)
    )


def _is_same(first: str, second: str) -> bool:
    """The two answers say the same thing, ignoring case, spacing and punctuation."""
    key = _key(first)
    return bool(key) and key == _key(second)


def _observable_sign(text: str) -> bool:
    """Whether the answer names something a person could see happen (see LEVEL_WORDS and the rest)."""
    tokens = [MISSPELLINGS.get(token, token) for token in _key(text).split()]
    for i, token in enumerate(tokens):
        singular = token[:-1] if len(token) > 3 and token.endswith("s") else token
        if any(ch.isdigit() for ch in token):
            return True
        if {token, singular} & _SIGN_WORDS:
            return True
        if token in QUALIFIED_WORDS and i > 0 and tokens[i - 1] in QUALIFIERS:
            return True
        if token in CLOSE_WORDS and i + 1 < len(tokens) and tokens[i + 1] in CLOSE_WHERE:
            return True
        if any(tuple(tokens[i : i + len(phrase)]) == phrase for phrase in OBSERVABLE_PHRASES):
            return True
    return False


def _answer_check(name: str, text: str, same: bool) -> tuple[Check, str | None]:
    """The check for one written answer, and the headline reason when it differs from the usual one."""
    question = FIELD_QUESTIONS[name]
    if not text:
        return Check(name, False, f"Empty: write {question}."), None
    if _is_placeholder(text):
        return Check(name, False, f"That is a placeholder, not an answer: write {question}."), None
    if _words(text) < MIN_WORDS or len(text) < MIN_CHARS:
        return Check(
            name,
            False,
            f"Too short to be an answer: write {question}, in at least {MIN_WORDS} words and {MIN_CHARS} characters.",
        ), None
    if same:
        other = FIELD_NAMES["reason_to_wait" if name == "wrong_if" else "wrong_if"]
        return Check(name, False, f"This is the same as {other}: each question needs its own answer."), (
            _SAME_ANSWER_REASON
        )
    if name == "wrong_if":
        if not _observable_sign(text):
            return Check(name, False, NOT_OBSERVABLE), _HEADLINE_REASONS["wrong_if_vague"]
        return Check(name, True, "You wrote what would prove the idea wrong."), None
    return Check(name, True, "You wrote a reason you are willing to do nothing."), None


# --- the position context -----------------------------------------------------------------------


def _given(value) -> bool:
    """None and blank strings mean 'not given' (an empty form field)."""
    return value is not None and not (isinstance(value, str) and not value.strip())


@dataclass(frozen=True, slots=True)
class _Context:
    venue: str
    side: str | None
    entry: float | None
    quantity: float | None
    leverage: float | None
    rate: float | None
    balance: float | None

    @classmethod
    def read(cls, side, entry_price, quantity, leverage, venue, rate, balance) -> "_Context":
        """Check every detail that was given; raise InputError for any that is unusable."""
        venue_key = inputs.choice("venue", venue if _given(venue) else None, VENUE_KEYS, default=DEFAULT_VENUE)
        the_venue = VENUES[venue_key]
        if LINEAR not in the_venue.contracts:
            raise InputError(
                "venue",
                f"{the_venue.name} is modelled here for inverse contracts only; the pause check uses "
                "linear (USDT-margined) positions, so choose another venue.",
            )
        lev = None
        if _given(leverage):
            lev = inputs.number("leverage", leverage)
            _check_leverage(lev, the_venue.max_leverage, the_venue, None)
        return cls(
            venue=venue_key,
            side=inputs.choice("side", side, SIDES) if _given(side) else None,
            entry=inputs.positive("entry_price", entry_price) if _given(entry_price) else None,
            quantity=inputs.positive("quantity", quantity) if _given(quantity) else None,
            leverage=lev,
            rate=inputs.rate("maintenance_margin_rate", rate) if _given(rate) else None,
            balance=inputs.positive("account_balance", balance) if _given(balance) else None,
        )

    def missing(self, *names: str) -> list[str]:
        return [inputs.label(name).lower() for name in names if getattr(self, _ATTRS[name]) is None]

    def liquidation(self):
        """The engine's LiquidationResult, or None when a detail it needs is missing."""
        if self.missing(*_LIQUIDATION_FIELDS):
            return None
        return liquidation_price(
            venue=self.venue,
            side=self.side,
            entry_price=self.entry,
            quantity=self.quantity,
            leverage=self.leverage,
            maintenance_margin_rate=self.rate,
        )


_ATTRS = {
    "side": "side",
    "entry_price": "entry",
    "quantity": "quantity",
    "leverage": "leverage",
    "maintenance_margin_rate": "rate",
    "account_balance": "balance",
}
_LIQUIDATION_FIELDS = ("side", "entry_price", "quantity", "leverage", "maintenance_margin_rate")


def _not_checked(name: str, missing: list[str], what: str) -> Check:
    return Check(name, None, f"Not checked: add your {_join(missing)} to {what}.")


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _losing_side_check(ctx: _Context, price: float | None) -> Check:
    name = "losing_side"
    missing = ctx.missing("side", "entry_price")
    if missing:
        return _not_checked(name, missing, "check which side of entry your invalidation price is on")
    if price is None:
        return Check(name, None, "Not checked: the invalidation price is not usable yet.")
    entry_price = ctx.entry
    if entry_price is None:  # not reached: `missing` above names an empty entry (this narrows the type)
        return _not_checked(name, ctx.missing("entry_price"), "check which side of entry your invalidation price is on")
    where, fall = ("below", "falls") if ctx.side == "long" else ("above", "rises")
    entry, at = formatting.price(entry_price), formatting.price(price)
    if (price < entry_price) if ctx.side == "long" else (price > entry_price):
        return Check(
            name,
            True,
            f"For a {ctx.side}, {at} is {where} your entry of {entry}: the idea is wrong if the price {fall} there.",
        )
    if price == ctx.entry:
        return Check(
            name,
            False,
            f"Your invalidation price is your entry price ({entry}): for a {ctx.side} "
            f"it must be {where} entry, where the idea would be proven wrong.",
        )
    return Check(
        name,
        False,
        f"For a {ctx.side}, the invalidation price must be {where} your entry of "
        f"{entry}, and {at} is not: that is where you would be right, not wrong.",
    )


def _before_liquidation_check(ctx: _Context, price: float | None, liq, side_check: Check, exit_check) -> Check:
    name = "before_liquidation"
    missing = ctx.missing(*_LIQUIDATION_FIELDS)
    if missing:
        return _not_checked(name, missing, "compare your invalidation price with your liquidation price")
    if price is None:
        return Check(name, None, "Not checked: the invalidation price is not usable yet.")
    if side_check.passed is not True:
        return Check(name, None, "Not checked: the invalidation price is not on the losing side of entry.")
    at = formatting.price(price)
    if liq.price is None:
        return Check(
            name, True, f"This position has no liquidation price it can reach, so your own exit at {at} comes first."
        )
    trigger = formatting.price(liq.price)
    if exit_check.first == "planned":
        return Check(
            name,
            True,
            f"Your invalidation price ({at}) is reached before your liquidation "
            f"price ({trigger}), so your own exit comes first.",
        )
    return Check(
        name,
        False,
        f"Your invalidation price ({at}) is at or beyond your liquidation price "
        f"({trigger}): the exchange would close the position for you before your "
        f"own exit is reached. {_FIT_ADVICE}",
    )


def _loss_share_check(ctx: _Context, price, liq, side_check: Check, loss, share) -> Check:
    name = "loss_share"
    missing = ctx.missing(*_LIQUIDATION_FIELDS, "account_balance")
    if missing:
        return _not_checked(name, missing, "see what being wrong would cost as a share of your account")
    if price is None:
        return Check(name, None, "Not checked: the invalidation price is not usable yet.")
    if side_check.passed is not True:
        return Check(
            name,
            None,
            "Not checked: there is no loss to measure when the invalidation price is not on the losing side of entry.",
        )
    if share is None:
        return Check(name, None, "Not checked: the loss at this invalidation price is too large to compute.")
    limit = formatting.percent(RISK_PER_TRADE_LIMIT, 0)
    cost = (
        f"Being wrong at {formatting.price(price)} would lose {formatting.price(loss)}, "
        f"{formatting.percent(share)} of your {formatting.price(ctx.balance)} account"
    )
    if share <= RISK_PER_TRADE_LIMIT:
        return Check(name, True, f"{cost}: within the {limit} of the account this check allows per trade.")
    return Check(
        name,
        False,
        f"{cost}: more than the {limit} of the account this check allows per trade (a rule of thumb, not a law). "
        "Leverage does not change this loss; the size does. Keep the invalidation where your idea puts it, "
        "and make the position smaller or skip the trade.",
    )


# --- the verdict --------------------------------------------------------------------------------


def _verdict(checks: tuple[Check, ...], special: dict[str, str], remaining: int) -> tuple[str, str]:
    failed = [check for check in checks if check.passed is False]
    if failed:
        reasons = []  # one per distinct problem: two answers that repeat each other are one problem
        for check in failed:
            reason = special.get(check.name, _HEADLINE_REASONS[check.name])
            if reason not in reasons:
                reasons.append(reason)
        others = len(reasons) - 1
        more = f"; {others} more {'problem is' if others == 1 else 'problems are'} listed below" if others else ""
        return "not-ready", f"Not ready: {reasons[0]}{more}."
    skipped = sum(1 for check in checks if check.passed is None)
    unchecked = (
        f" ({skipped} {'check needs' if skipped == 1 else 'checks need'} your position details)" if skipped else ""
    )
    if remaining:
        unit = "second" if remaining == 1 else "seconds"
        return "pause", (
            f"Pause: your answers hold up{unchecked}; wait {remaining} more {unit} before you place the order."
        )
    return "ready", (
        f"Ready: your answers hold up{unchecked} and you have paused for {PAUSE_SECONDS} "
        "seconds; place the order only if you still want it."
    )


# --- timing -------------------------------------------------------------------------------------


def _seconds_paused(value) -> float:
    if not _given(value):
        return 0.0
    return inputs.non_negative("seconds_paused", value)

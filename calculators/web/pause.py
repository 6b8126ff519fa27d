"""The pause-protocol widget: the three questions, optional position context, the verdict."""

from .. import formatting as fmt
from ..errors import InputError
from ..pause import PAUSE_SECONDS, PauseStart, evaluate_pause, pause_start
from ..venues import VENUES
from . import handoff, journal, markup
from .form import Field, all_errors, parse
from .registry import Widget
from .venue_values import starting_values

FIELDS = (
    Field(
        "wrong_if",
        "1. One sentence that would prove the idea wrong",
        "textarea",
        help="Write it before you look at the chart again.",
    ),
    Field("invalidation_price", "2. The price where the idea is invalid", optional=True, unit="USDT"),
    Field("reason_to_wait", "3. One reason you are willing to do nothing", "textarea"),
    Field(
        "side",
        "Side",
        "select",
        "",
        optional=True,
        group="context",
        options=(("", "Not given"), ("long", "Long"), ("short", "Short")),
    ),
    Field("entry_price", "Planned entry price", optional=True, unit="USDT", group="context"),
    Field("quantity", "Quantity", optional=True, unit="coin", group="context"),
    Field("leverage", "Leverage", optional=True, unit="x", group="context"),
    Field(
        "venue",
        "Venue",
        "select",
        "binance",
        group="context",
        options=tuple((k, v.name) for k, v in VENUES.items() if "linear" in v.contracts),
    ),
    Field("maintenance_margin_rate", "Maintenance margin rate", optional=True, unit="%", percent=True, group="context"),
    Field(
        "account_balance",
        "Account balance",
        optional=True,
        unit="USDT",
        group="context",
        help="To see what being wrong costs as a share of the account.",
    ),
)
GROUPS = {"main": "Before the order", "context": "+Optional: the position you are about to open"}
VERDICT_WORDS = {"ready": "Ready", "pause": "Pause", "not-ready": "Not ready"}


def compute(values: dict, seconds_paused: float = 0.0):
    """(result, errors). Text answers are data; the invalidation price may be left empty."""

    def once(trial):
        kwargs, errors = parse(FIELDS, trial)
        if errors:
            return None, errors
        try:
            return evaluate_pause(seconds_paused=seconds_paused, **kwargs), {}
        except InputError as error:
            return None, {error.field if error.field in {f.name for f in FIELDS} else "_": error.message}

    return all_errors(once, FIELDS, values)


def render_result(result) -> str:
    checks = "".join(
        f'<li class="check check-{_state(c.passed)}" data-check="{c.name}">'
        f'<span class="check-mark" aria-hidden="true">{_mark(c.passed)}</span>'
        f'<span class="visually-hidden">{_state_words(c.passed)}: </span>{markup.escape(c.message)}</li>'
        for c in result.checks
    )
    figures = []
    if result.liquidation_price is not None:
        figures.append(f"Liquidation price: {fmt.price(result.liquidation_price)}")
    if result.loss_at_invalidation is not None:
        figures.append(f"loss if wrong: {fmt.price(result.loss_at_invalidation)}")
    if result.loss_share is not None:
        figures.append(f"{fmt.percent(result.loss_share)} of the account")
    numbers = f'<p class="pause-figures">{markup.escape("; ".join(figures))}.</p>' if figures else ""
    word, colon, rest = result.headline.partition(":")
    headline = (
        f"<strong>{markup.escape(word)}:</strong>{markup.escape(rest)}"
        if colon
        else f"<strong>{VERDICT_WORDS[result.verdict]}.</strong> {markup.escape(result.headline)}"
    )
    return (
        f'<p class="verdict verdict-{result.verdict}" data-out="verdict" data-value="{result.verdict}" '
        f'data-seconds-remaining="{result.seconds_remaining}">{headline}</p>'
        f'{numbers}<ul class="checks">{checks}</ul>'
    )


def render_waiting() -> str:
    """What the verdict area says before the visitor has written anything."""
    return (
        f'<p class="verdict verdict-waiting" data-out="verdict" data-value="waiting">Write your three answers. '
        f'The verdict can only be "ready" after a {PAUSE_SECONDS}-second pause.</p>'
    )


def _state(passed) -> str:
    return {True: "pass", False: "fail", None: "skipped"}[passed]


def _mark(passed) -> str:
    return {True: "✓", False: "✗", None: "–"}[passed]


def _state_words(passed) -> str:
    return {True: "Passed", False: "Needs work", None: "Not checked"}[passed]


def _seconds_paused(request: dict, start: PauseStart) -> float:
    """The page's count since the basis it sent; zero when the pause starts now or has not started."""
    if start.basis is None or start.restarted:
        return 0
    seconds = request.get("seconds_paused", 0)
    return seconds if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) else 0


def _compute(values: dict, request: dict):
    """compute()'s (result, errors), with the form values (for the link back to the calculator) and
    when the pause started (for the page's clock)."""
    start = pause_start(values, request.get("pause_basis"))
    result, errors = compute(values, _seconds_paused(request, start))
    return (result, values, start), errors


def _verdict_extras(answer, request: dict, values: dict) -> dict:
    """The verdict for the page's timer, when the pause counts from (the page starts its count when
    `restart` is true and stops it when `basis` is null) and, when the visitor submitted, the entry."""
    result, _, start = answer
    extras = {
        "verdict": result.verdict,
        "seconds_remaining": result.seconds_remaining,
        "pause": {"basis": start.basis, "restart": start.restarted},
    }
    if request.get("save") and result.verdict != "pause":
        extras["entry"] = journal.make_entry(
            str(request.get("id", "")), str(request.get("saved_at", "")), values, result.verdict, result.headline
        )
    return extras


WIDGET = Widget(
    kind="pause",
    title="Pause check",
    prefix="pause",
    fields=FIELDS,
    groups=GROUPS,
    compute=_compute,
    render=lambda answer: render_result(answer[0]) + handoff.to_calculator(answer[1]),
    extras=_verdict_extras,
    placeholder=render_waiting,
    behaviours=("timed", "journal", "from-link"),
    follows=("venue",),
    suggest=lambda values: starting_values(values, FIELDS),
    page=handoff.PAUSE_PAGE,
)

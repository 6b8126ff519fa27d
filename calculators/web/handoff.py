"""Links that carry a position from one widget to another, in the URL fragment (never sent to the
host): the calculator's result offers "Write your pause for this trade", and the pause check's
result links back to the calculator with the same position.

Widgets live on known pages (each record's `page`), so the links are relative paths between them:
they work under any base path, and with JavaScript off in the pre-rendered result.
"""

import posixpath

from ..venues import VENUES
from . import markup
from .venue_values import percent_text

CALCULATOR_PAGE = "calculators/"
PAUSE_PAGE = "pause-protocol/"
# The position both widgets understand, by field name (the same names in both forms).
POSITION = ("side", "entry_price", "quantity", "leverage", "venue", "maintenance_margin_rate")


def href(from_page: str, to_page: str, values: dict[str, str]) -> str:
    base = posixpath.relpath(to_page, from_page.rstrip("/") or ".") + "/"
    fragment = markup.form_urlencode({k: v for k, v in values.items() if v != ""})
    return base + ("#" + fragment if fragment else "")


def number_text(value: float) -> str:
    """A number as a visitor would type it back: no exponent for ordinary sizes, 12 significant digits."""
    return format(value, ".12g")


def to_pause(result, from_page: str = CALCULATOR_PAGE) -> str:
    """The calculator's link to the pause check, for a linear position (the pause check is linear)."""
    if result.contract != "linear":
        return ""
    values = {
        "side": result.side,
        "entry_price": number_text(result.entry_price),
        "quantity": number_text(result.quantity),
        "leverage": number_text(result.leverage),
        "venue": result.venue if "linear" in VENUES[result.venue].contracts else "",
        "maintenance_margin_rate": percent_text(result.maintenance_margin_rate),
    }
    link = markup.escape(href(from_page, PAUSE_PAGE, values))
    return (
        f'<p class="result-handoff"><a class="md-button" href="{link}" data-out="to_pause">'
        "Write your pause for this trade</a> The pause check opens with this position filled in.</p>"
    )


def to_calculator(values: dict[str, str], from_page: str = PAUSE_PAGE) -> str:
    """The pause check's link back to the calculator with the position it was given (and the
    invalidation price as the planned stop); nothing when no position was given."""
    position = {name: values.get(name, "") for name in POSITION}
    if not (position["side"] and position["entry_price"]):
        return ""
    position["stop_price"] = values.get("invalidation_price", "")
    link = markup.escape(href(from_page, CALCULATOR_PAGE, position))
    return (
        f'<p class="result-handoff"><a href="{link}" data-out="to_calculator">'
        "Open this position in the liquidation calculator</a>, with your invalidation price as the stop.</p>"
    )

"""Turning raw inputs (numbers from Python, strings from a form or a URL) into checked floats.

Every check raises `InputError` naming the field, so nothing downstream ever sees NaN, an
infinity, a boolean posing as a number, or a string it cannot use.
"""

import math
from collections.abc import Collection, Iterable

from .errors import InputError

# What a caller may hand in before it is checked: a number from Python, a string from a form or a
# URL, None for "not given", or anything else by mistake (rejected with an InputError naming the
# field). The checks below narrow it; nothing past them sees anything but a float or a known word.
Raw = object

_WORDS = {
    "entry_price": "Entry price",
    "quantity": "Quantity",
    "leverage": "Leverage",
    "margin": "Margin",
    "maintenance_margin_rate": "Maintenance margin rate",
    "maintenance_amount": "Maintenance amount",
    "other_maintenance": "Other positions' maintenance margin",
    "other_unrealized_pnl": "Other positions' unrealised PnL",
    "extra_margin": "Extra margin",
    "taker_fee_rate": "Taker fee rate",
    "funding_paid": "Funding paid",
}


def label(field: str) -> str:
    """The human name of a field, for messages ("steps.2.price" reads "Step 3: price")."""
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "steps" and parts[1].isdigit():
        return f"Step {int(parts[1]) + 1}: {label(parts[2]).lower()}"
    return _WORDS.get(field, field.replace("_", " ").capitalize())


def number(field: str, value: Raw) -> float:
    """A finite float from an int, a float or a numeric string; anything else is an InputError."""
    if value is None:
        raise InputError(field, f"{label(field)} is missing: enter a number.")
    if isinstance(value, bool):
        raise InputError(field, f"{label(field)} must be a number, not true/false.")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InputError(field, f"{label(field)} is empty: enter a number.")
        try:
            result = float(text)
        except ValueError:
            raise InputError(field, f"{label(field)} must be a number such as 42 or 0.5; got {_quote(text)}.") from None
    elif isinstance(value, (int, float)):
        try:
            result = float(value)
        except OverflowError:
            raise InputError(field, f"{label(field)} is far too large to be a real figure.") from None
    else:
        raise InputError(field, f"{label(field)} must be a number.")
    if math.isnan(result):
        raise InputError(field, f"{label(field)} is not a number (NaN): enter a real figure.")
    if math.isinf(result):
        raise InputError(field, f"{label(field)} must be finite, not infinity.")
    return result


def positive(field: str, value: Raw) -> float:
    result = number(field, value)
    if result <= 0:
        raise InputError(field, f"{label(field)} must be greater than zero.")
    return result


def non_negative(field: str, value: Raw, default: float = 0.0) -> float:
    if value is None:
        return default
    result = number(field, value)
    if result < 0:
        raise InputError(field, f"{label(field)} cannot be negative.")
    return result


def optional_number(field: str, value: Raw, default: float = 0.0) -> float:
    return default if value is None else number(field, value)


def rate(field: str, value: Raw, default: float | None = None) -> float:
    """A fraction in [0, 1): 0.004 means 0.4 %."""
    if value is None and default is not None:
        return default
    result = number(field, value)
    if not 0 <= result < 1:
        raise InputError(
            field,
            f"{label(field)} must be a fraction from 0 up to (not including) 1, e.g. 0.005 for 0.5 %; got {result:g}.",
        )
    return result


def choice(field: str, value: Raw, allowed: Collection[str], default: str | None = None) -> str:
    """One of a fixed set of words, compared without regard to case or surrounding spaces."""
    if value is None:
        if default is not None:
            return default
        raise InputError(field, f"{label(field)} is missing: choose one of {_listing(allowed)}.")
    if not isinstance(value, str):
        raise InputError(field, f"{label(field)} must be one of {_listing(allowed)}.")
    word = value.strip().lower()
    if word not in allowed:
        raise InputError(
            field, f"{_quote(value)} is not a known {label(field).lower()}: choose one of {_listing(allowed)}."
        )
    return word


def _listing(words: Iterable[str]) -> str:
    return ", ".join(f'"{w}"' for w in words)


def _quote(text: str) -> str:
    """Echo a bad value back safely: short, and printable only."""
    shown = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    if len(shown) > 24:
        shown = shown[:21] + "..."
    return f'"{shown}"'


def finite(*values: float | None) -> bool:
    """True when every value that is not None is a finite number."""
    return all(v is None or math.isfinite(v) for v in values)


def most_extreme(values: dict) -> str:
    """The field whose (non-zero) value is furthest from 1 in orders of magnitude: the likeliest cause
    when a result overflows or vanishes."""
    given = {field: abs(v) for field, v in values.items() if v}
    if not given:
        return next(iter(values))
    return max(given, key=lambda field: abs(math.log10(given[field])))


def out_of_range(values: dict) -> InputError:
    """An InputError for inputs that are each finite but together overflow or vanish."""
    field = most_extreme(values)
    size = abs(values.get(field) or 0.0)
    word = "large" if size >= 1 else "small"
    return InputError(
        field,
        f"{label(field)} is too {word} for the other figures: together they give numbers beyond what can be "
        "computed. Enter a realistic figure.",
    )

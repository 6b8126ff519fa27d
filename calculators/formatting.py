"""How numbers are written on the site. Build-time pages and in-browser widgets both format
through here, so a figure reads the same wherever it appears."""

import math


def percent(fraction: float | None, digits: int = 2) -> str:
    """0.0954 -> '9.54%'. None (no such figure) -> an em dash."""
    if fraction is None:
        return "—"
    return f"{fraction * 100:.{digits}f}%"


def price(value: float | None, digits: int | None = None) -> str:
    """A price with thousands separators; precision follows the size of the number."""
    if value is None:
        return "—"
    if digits is None:
        magnitude = abs(value)
        digits = 2 if magnitude >= 1 else 6 if magnitude > 0 else 2
    return f"{value:,.{digits}f}"


def amount(value: float | None, unit: str = "", digits: int | None = None) -> str:
    """A sum of money, with its unit after it: '46.18 USDT', '0.000120 BTC'."""
    text = price(value, digits)
    return f"{text} {unit}".strip() if value is not None else text


def leverage(value: float) -> str:
    """10.0 -> '10x'; 12.5 -> '12.5x'."""
    return f"{value:g}x" if math.isfinite(value) else "—"


def ratio(value: float | None) -> str:
    """A health factor or other plain ratio, to three decimals as the lending protocols show it: '1.333'."""
    return "—" if value is None else f"{value:,.3f}"

"""How numbers are written on the site. Build-time pages and in-browser widgets both format
through here, so a figure reads the same wherever it appears."""

import math

SIGNIFICANT = 3  # digits kept for prices below 1
TINY = 1e-12  # below this a price is written in scientific notation


def percent(fraction: float | None, digits: int = 2) -> str:
    """0.0954 -> '9.54%'. None (no such figure) -> an em dash."""
    if fraction is None:
        return "—"
    return f"{_unsigned_zero(f'{fraction * 100:.{digits}f}')}%"


def price(value: float | None, digits: int | None = None) -> str:
    """A price with thousands separators; precision follows the size of the number."""
    if value is None:
        return "—"
    magnitude = abs(value)
    if digits is None and 0 < magnitude < TINY:
        return _unsigned_zero(f"{value:.{SIGNIFICANT}g}")  # beyond any real tick size: no run of zeros
    if digits is None:
        # Below 1, at least SIGNIFICANT significant digits (0.000123, 0.0000000123): a tiny price
        # must never read as 0.000000.
        digits = 2 if magnitude >= 1 or magnitude == 0 else max(6, SIGNIFICANT - 1 - math.floor(math.log10(magnitude)))
    return _unsigned_zero(f"{value:,.{digits}f}")


def _unsigned_zero(text: str) -> str:
    """'-0.00' -> '0.00': a value that rounds to zero is written without a sign."""
    return text[1:] if text.startswith("-") and not any(ch in "123456789" for ch in text.split("e")[0]) else text


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

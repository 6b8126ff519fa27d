"""Build-time charts on the pages: the same functions (calculators/web/charts.py) the widgets draw
live, fed by the teaching scenario, so a picture and the prose beside it show the same numbers."""

from calculators.comparisons import liquidation_path
from calculators.markets import BTC
from calculators.scenarios import TEACHING
from calculators.web import charts

from .tables import ladder_rows


def leverage_curve_chart(id_prefix: str = "leverage-curve") -> str:
    """The move to liquidation against leverage, 1x to 100x, with BTC's typical day, week and month."""
    return charts.leverage_curve(ladder_rows(), bands=BTC, id_prefix=id_prefix)


def path_chart_figure(leverage: float = 10, id_prefix: str = "path-chart") -> str:
    """The forced-liquidation path of the teaching long, step by step, with its margin ratio."""
    _, steps = liquidation_path(
        venue=TEACHING.venue,
        side="long",
        entry_price=TEACHING.entry_price,
        quantity=TEACHING.quantity,
        leverage=leverage,
        maintenance_margin_rate=TEACHING.maintenance_margin_rate,
    )
    return charts.path_chart(steps, id_prefix=id_prefix)


MACROS = (leverage_curve_chart, path_chart_figure)

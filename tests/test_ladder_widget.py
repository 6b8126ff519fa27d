"""The leverage ladder widget (calculators/web/ladder.py): the per-request path it takes for speed
(levels' odds in one call, one escape check per table) against the public, checked functions.

Properties (hypothesis), not copied values: the widget's odds are `touch_probability` of each row's
liquidation prices, and each rendered cell is the escaped text of `cells(row)` and `odds_text`.
"""

import html
from html.parser import HTMLParser

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calculators.odds import touch_probability
from calculators.venues import VENUES
from calculators.web import charts, ladder, odds_view

venues_and_contracts = st.sampled_from([(key, c) for key, v in VENUES.items() for c in v.contracts])


@st.composite
def form_values(draw) -> dict[str, str]:
    """The browser's strings for a ladder the engine accepts (rates kept where every venue allows them)."""
    venue, contract = draw(venues_and_contracts)
    return {
        "venue": venue,
        "contract": contract,
        "entry_price": repr(draw(st.floats(min_value=1e-6, max_value=1e7))),
        "maintenance_margin_rate": repr(draw(st.floats(min_value=0, max_value=5))),
        "taker_fee_rate": repr(draw(st.floats(min_value=0, max_value=0.2))),
        "leverage": repr(draw(st.floats(min_value=1, max_value=120))),
        "asset": draw(st.sampled_from([*odds_view.REFERENCES, odds_view.OTHER])),
        "annual_volatility": repr(draw(st.floats(min_value=0.01, max_value=999))),
        "horizon_days": repr(draw(st.floats(min_value=0.01, max_value=3650))),
    }


def _answer(values: dict[str, str]) -> ladder.Ladder:
    answer, errors = ladder.compute(values)
    assume(not errors)
    assert answer is not None
    return answer


@settings(max_examples=60, deadline=None)
@given(values=form_values())
def test_odds_are_the_public_touch_probability_of_each_row(values):
    answer = _answer(values)
    entry = answer.settings["entry_price"]
    expected = [
        (
            touch_probability(entry, row.long_price, answer.volatility, answer.horizon),
            touch_probability(entry, row.short_price, answer.volatility, answer.horizon),
        )
        for row in answer.rows
    ]
    assert answer.odds == expected


class _Rows(HTMLParser):
    """The ladder table's body rows: (attributes of the <tr>, [text of each <td>]) in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[dict, list[str]]] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append((dict(attrs), []))
        elif self._in_body and tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1][1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@settings(max_examples=40, deadline=None)
@given(values=form_values())
def test_each_rendered_row_is_its_cells_and_odds(values):
    answer = _answer(values)
    parser = _Rows()
    parser.feed(ladder.render_result(answer))
    assert len(parser.rows) == len(answer.rows) == 100
    for (attrs, texts), row, odds in zip(parser.rows, answer.rows, answer.odds, strict=True):
        expected = [*ladder.cells(row), *(odds_view.odds_text(p) for p in odds)]
        if not row.within_venue_cap:  # the note sits in the first cell only
            expected[0] += " (over the cap)"
        assert texts == expected
        assert attrs["data-row"] == str(int(row.leverage))
        if row.leverage == round(answer.mine):
            assert attrs.get("class") == "mine" and attrs.get("aria-current") == "true"
        else:
            assert attrs.get("class") == (None if row.within_venue_cap else "beyond-cap")


@given(rows=st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=8), max_size=12))
def test_one_escape_check_per_table_equals_escaping_every_cell(rows):
    # Text with &, <, >, " or ' must come out escaped exactly as html.escape escapes each cell alone.
    assert ladder._escaped(rows) == [[html.escape(text) for text in row] for row in rows]


@given(rows=st.lists(st.lists(st.sampled_from(["10x", "9.54%", "60,000.00", "—", "none"]), min_size=1), max_size=5))
def test_cells_with_nothing_to_escape_are_unchanged(rows):
    assert ladder._escaped(rows) == rows


def test_a_maintenance_rate_that_leaves_no_long_any_room_is_answered_with_the_table_and_a_sentence():
    """Algebra: with no fee, a linear long at leverage L has room only while its initial margin 1/L
    exceeds the maintenance rate m; at m = 50 % that leaves 1x alone, whose liquidation price
    (1 - 1/L) / (1 - m) of the entry is zero, a price a long never reaches. So no row has a curve
    point. The inputs are valid: the visitor gets the table and a plain sentence, not a failure."""
    for venue in ("binance", "okx"):
        values = {**ladder.WIDGET.defaults(), "venue": venue, "contract": "linear", "taker_fee_rate": "0"}
        values["maintenance_margin_rate"] = "50"
        response = ladder.WIDGET.respond(values, {"widget": "ladder"})
        assert response["ok"], response
        assert charts.NO_ROOM_NOTE in html.unescape(response["html"])
        assert "<svg" not in response["html"].split("<table")[0]
        assert response["html"].count('<tr data-row="') == 100

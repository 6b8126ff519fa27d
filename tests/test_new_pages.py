"""The funding, formula, after-liquidation, October 2025, DeFi lending and About pages.

Structure (each builds, cites its sources, types no figure) and every engine figure they quote,
recomputed from the closed forms in the brief (shared/brief/liquidation-math.md), not from the engine.
"""

import pathlib
import re

import pytest
import yaml

from calculators import formatting
from calculators.scenarios import TEACHING
from macros.newfigures import COMPARISON_FEE

from .site_html import all_pages

ROOT = pathlib.Path(__file__).resolve().parent.parent

NEW_PAGES = (
    "funding-and-fees/",
    "liquidation-formula/",
    "after-liquidation/",
    "october-2025-cascade/",
    "defi-lending/",
    "about/",
)
DECIMAL_PERCENT = re.compile(r"\d+\.\d+\s?%")
REVIEW_DATE = "2026-12-01"

# Binance BTCUSDT brackets as given in the brief (Oct 2024): (floor, cap, rate, cum).
BRIEF_BINANCE_BRACKETS = (
    (0, 50_000, 0.004, 0),
    (50_000, 600_000, 0.005, 50),
    (600_000, 3_000_000, 0.0065, 950),
    (3_000_000, 12_000_000, 0.01, 11_450),
    (12_000_000, 70_000_000, 0.02, 131_450),
)


@pytest.fixture(scope="module")
def pages(built_site):
    return all_pages(built_site)


def _html(built_site, url):
    return (built_site / url / "index.html").read_text()


def _sources_section(html: str) -> str:
    start = html.index('id="sources"')
    end = html.find("<h2", start)
    return html[start:end]


# --- structure --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", NEW_PAGES)
def test_page_builds_with_the_site_structure(pages, url):
    page = pages[url]
    assert page.h1, f"{url} has no title"
    front = (ROOT / "docs" / (url.rstrip("/") + ".md")).read_text().split("---")[1]
    assert page.meta.get("description") == yaml.safe_load(front)["description"], f"{url}: front matter not read"
    assert len(page.h1[0]) <= 60, f"{url}: title longer than 60 characters"
    text = " ".join(page.prose).lower()
    assert "what you will learn" in text
    assert page.h2[-1].lower().startswith("where to go next")
    assert "Sources" in page.h2, f"{url}: no Sources section"
    assert page.h2.index("Sources") == len(page.h2) - 2, f"{url}: Sources should come right before 'Where to go next'"


@pytest.mark.parametrize("url", [u for u in NEW_PAGES if u != "about/"])
def test_sources_link_out_and_carry_the_date_read(built_site, url):
    section = _sources_section(_html(built_site, url))
    external = re.findall(r'href="(https?://[^"]+)"', section)
    assert len(external) >= 3, f"{url}: Sources should link the venues' and protocols' own pages"
    assert f"read {REVIEW_DATE}" in section


def test_about_lists_every_page_with_its_review_date(built_site, pages):
    html = _html(built_site, "about/")
    table = html[html.index('id="when-each-page-was-last-reviewed"') :]
    table = table[: table.index("</table>")]
    linked = set(re.findall(r'href="\.\./([^"#]*)"', table))
    content = {url for url, p in pages.items() if url != "404.html" and p.h1 and url != "about/"}
    assert {u or "" for u in linked} >= content - {""}, "a page is missing from the review table"
    assert table.count(REVIEW_DATE) == len(content) + 1  # every page, plus About itself


@pytest.mark.parametrize("url", NEW_PAGES)
def test_no_hand_typed_decimal_percentages(pages, url):
    typed = DECIMAL_PERCENT.findall(" ".join(pages[url].prose))
    assert not typed, f"{url}: hand-typed figures {typed}"


def test_lending_page_carries_its_calculator(built_site):
    """The calculator the page once promised is on it now, pre-rendered."""
    html = _html(built_site, "defi-lending/")
    assert 'data-widget="lending"' in html and 'data-out="health_factor"' in html


# --- figures, from the brief's closed forms ---------------------------------------------------


def _side(args):
    return 1 if args["side"] == "long" else -1


def _margin(args):
    """M: the given margin (cross wallet) or notional / leverage, less any funding paid."""
    q, e = args["quantity"], args["entry_price"]
    m0 = args["margin"] if "margin" in args else q * e / args["leverage"]
    return m0 - args.get("funding_paid", 0.0)


def _bracket(notional):
    for floor, cap, rate, cum in BRIEF_BINANCE_BRACKETS:
        if floor <= notional < cap:
            return rate, cum
    raise AssertionError(f"notional {notional} outside the brackets this test knows")


def _closed_form(spec):
    """(price, maintenance rate + fee, cum) for the linear venues these pages quote."""
    a = spec["args"]
    s, q, e, m_total = _side(a), a["quantity"], a["entry_price"], _margin(a)
    if a["venue"] == "okx":  # OKX: taker fee reserved inside maintenance (long formula in the brief)
        assert s == 1
        rate, cum = a["maintenance_margin_rate"] + a.get("taker_fee_rate", 0.0), 0.0
        return (e - m_total / q) / (1 - rate), rate, cum
    assert a["venue"] == "binance" and a.get("contract", "linear") == "linear"
    if "tiers" in a:  # the bracket holding the notional at the liquidation price
        rate, cum = _bracket(q * e)
        for _ in range(5):
            price = (m_total + cum - s * q * e) / (q * rate - s * q)
            rate, cum = _bracket(q * price)
    else:
        rate, cum = a["maintenance_margin_rate"], 0.0
    # Binance: P = (WB + cum - s*Q*E) / (Q*m - s*Q)
    return (m_total + cum - s * q * e) / (q * rate - s * q), rate, cum


def _lending_expected(spec):
    """One collateral against one debt on Aave v3, from the health-factor algebra (aave.com/help/borrowing/
    liquidations: HF = collateral x liquidation threshold / debt) and Aave v3.3's close factor (half of the
    debt while the health factor is above 0.95 and both sides are worth $2,000 or more; Aave-v3.3-features.md)."""
    a, field = spec["args"], spec["field"]
    assert a["protocol"] == "aave-v3"
    (c,), (d,) = a["collaterals"], a["debts"]
    collateral, debt = c["amount"] * c["price"], d["amount"] * d["price"]
    limit = collateral * c["liquidation_threshold"]
    trigger = debt / (c["amount"] * c["liquidation_threshold"])
    values = {
        "health_factor": limit / debt,
        "liquidation_limit": limit,
        "loan_to_value": debt / collateral,
        "price": trigger,
        "move": 1 - trigger / c["price"],
    }
    if spec["fn"] == "lending_liquidation":
        assert 0.95 < limit / debt < 1 and min(collateral, debt) >= 2_000
        repaid = debt / 2
        values.update(
            repaid_value=repaid,
            seized_value=repaid * (1 + c["liquidation_bonus"]),
            penalty_value=repaid * c["liquidation_bonus"],
        )
    return values[field]


def _expected(spec):
    a, field = spec["args"], spec["field"]
    if spec["fn"] in ("health_factor", "price_for_liquidation", "lending_liquidation"):
        return _lending_expected(spec)
    if spec["fn"] == "leverage_ladder":
        assert field == "textbook_move"
        return 1 / a["leverages"][0] - a["maintenance_margin_rate"]
    price, rate, cum = _closed_form(spec)
    s, q, e = _side(a), a["quantity"], a["entry_price"]
    values = {
        "price": price,
        "adverse_move": s * (e - price) / e,
        "bankruptcy_price": e - s * _margin(a) / q,
        "initial_margin": a["margin"] if "margin" in a else q * e / a["leverage"],
        "margin": _margin(a),
        "notional": q * e,
        "loss_at_liquidation": s * q * (e - price),
        "maintenance_margin": rate * q * price - cum,
    }
    return values[field]


@pytest.mark.parametrize("url", NEW_PAGES)
def test_every_quoted_figure_matches_the_closed_form(pages, url):
    for spec, text in pages[url].figures:
        expected = getattr(formatting, spec["format"])(_expected(spec))
        assert text == expected, f"{url}: {spec} shows {text}, the closed form gives {expected}"


def test_the_figure_pages_quote_figures(pages):
    for url in ("funding-and-fees/", "liquidation-formula/", "after-liquidation/", "october-2025-cascade/"):
        assert len(pages[url].figures) >= 3, url


def test_funding_paid_moves_a_long_closer_and_funding_received_moves_it_away(pages):
    by_funding = {}
    for spec, _ in pages["funding-and-fees/"].figures:
        if spec["field"] == "price" and spec["args"]["venue"] == "binance":
            by_funding[spec["args"].get("funding_paid", 0.0)] = _closed_form(spec)[0]
    paid, received = max(by_funding), min(by_funding)
    assert paid > 0 > received and 0.0 in by_funding
    assert by_funding[paid] > by_funding[0.0] > by_funding[received]
    # a month of funding at the sourced rate: one interval costs notional x rate (Bybit's example rate)
    assert paid == pytest.approx(TEACHING.quantity * TEACHING.entry_price * 0.0001 * 3 * 30)


def test_fee_reserve_pulls_the_okx_price_closer(pages):
    prices = {
        s["args"]["taker_fee_rate"]: _closed_form(s)[0]
        for s, _ in pages["funding-and-fees/"].figures
        if s["args"].get("venue") == "okx" and s["field"] == "price"
    }
    assert set(prices) == {0.0, COMPARISON_FEE}
    assert prices[COMPARISON_FEE] > prices[0.0]


def test_large_position_sits_in_a_higher_bracket_and_liquidates_sooner(pages):
    moves = {
        s["args"]["quantity"]: _expected(s)
        for s, _ in pages["liquidation-formula/"].figures
        if "tiers" in s["args"] and s["field"] == "adverse_move"
    }
    small, large = min(moves), max(moves)
    assert moves[large] < moves[small]
    assert _bracket(large * TEACHING.entry_price)[0] > _bracket(small * TEACHING.entry_price)[0]


def test_cross_position_survives_further_and_loses_more(pages):
    figures = pages["after-liquidation/"].figures
    cross = {s["field"]: _expected(s) for s, _ in figures if s["args"].get("margin_mode") == "cross"}
    isolated = {s["field"]: _expected(s) for s, _ in figures if "margin_mode" not in s["args"]}
    assert cross["price"] < isolated["price"]
    assert cross["loss_at_liquidation"] > isolated["loss_at_liquidation"]
    # what is left at the trigger is the maintenance margin: posted margin minus the loss so far
    assert isolated["initial_margin"] - isolated["loss_at_liquidation"] == pytest.approx(isolated["maintenance_margin"])


def test_october_claim_about_10x_and_5x_holds():
    """The page says a fall of more than 14% (CoinShares) liquidates a 10x long but not a 5x one,
    under the teaching convention: adverse move = 1 - (1 - 1/L) / (1 - m) for an isolated long."""
    m = TEACHING.maintenance_margin_rate

    def move(lev):
        return 1 - (1 - 1 / lev) / (1 - m)

    assert move(10) < 0.14 < move(5)


def test_margin_ratio_table_follows_each_venues_definition(pages):
    """Binance: maintenance / margin balance (rises to 100%). OKX: equity / (maintenance + fee to
    close) (falls to 100%). Both from the same isolated long: M = Q*E/L."""
    table = pages["liquidation-formula/"].tables["margin-ratio"]
    q, e, m, f = TEACHING.quantity, TEACHING.entry_price, TEACHING.maintenance_margin_rate, COMPARISON_FEE
    margin = q * e / 10
    rows = table[1:]
    assert len(rows) >= 5
    seen_binance_trigger = seen_okx_trigger = False
    for price_text, _, binance, okx in rows:
        price = float(price_text.replace(",", ""))
        equity = margin + q * (price - e)
        if binance != "liquidated":
            assert binance == formatting.percent(m * q * price / equity, 1)
            seen_binance_trigger |= binance == "100.0%"
        if okx != "liquidated":
            assert okx == formatting.percent(equity / ((m + f) * q * price), 1)
            seen_okx_trigger |= okx == "100.0%"
    assert seen_binance_trigger and seen_okx_trigger
    assert rows[-1][3] == "liquidated"  # OKX, reserving the fee, triggers first for a long

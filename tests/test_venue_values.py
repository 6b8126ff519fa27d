"""Starting values follow the venue (issue 9, item 4): rate, fee and contract, unless typed."""

import pytest

from calculators.venues import VENUES
from calculators.web import api, registry

BASE = {"widget": "liquidation", "refill": True, "touched": []}


def _respond(values: dict, **request) -> dict:
    return api.handle({**BASE, **request, "values": {**registry.get("liquidation").defaults(), **values}})


def test_hyperliquid_rate_is_half_the_initial_margin_at_its_maximum_leverage():
    # Hyperliquid docs ("Margining"): maintenance margin is half of the initial margin at max leverage;
    # BTC's maximum is 40x, so 1 / 40 / 2 = 1.25 %.
    response = _respond({"venue": "hyperliquid"})
    assert response["ok"], response
    assert response["fields"]["maintenance_margin_rate"] == "1.25"
    assert 'data-out="starting_values"' in response["html"] and "Hyperliquid" in response["html"]


def test_an_inverse_only_venue_switches_the_contract_instead_of_failing():
    response = _respond({"venue": "bitmex", "contract": "linear"})
    assert response["ok"], response["errors"]
    assert response["fields"]["contract"] == "inverse"


def test_typed_values_are_kept_when_the_venue_changes():
    response = _respond({"venue": "okx", "maintenance_margin_rate": "0.7"}, touched=["maintenance_margin_rate"])
    assert "maintenance_margin_rate" not in response.get("fields", {})
    assert response["fields"]["taker_fee_rate"] == "0.05"  # OKX reserves its fee: its own rate fills in
    assert "maintenance rate" not in response["html"].split('data-out="starting_values"')[-1].split("</p>")[0]


def test_without_a_venue_change_nothing_is_refilled():
    response = api.handle(
        {"widget": "liquidation", "values": {**registry.get("liquidation").defaults(), "venue": "dydx"}}
    )
    assert "fields" not in response


def _offered() -> list[tuple[str, str]]:
    """(widget, venue) for every venue each widget offers (the pause check lists linear venues)."""
    pairs = []
    for kind in registry.kinds():
        for venue_field in (f for f in registry.get(kind).fields if f.name == "venue"):  # widgets with a venue
            pairs += [(kind, venue) for venue, _ in venue_field.options]
    return pairs


@pytest.mark.parametrize(("kind", "venue"), _offered())
def test_every_widget_computes_with_every_venues_starting_values(kind, venue):
    record = registry.get(kind)
    values = {**record.defaults(), "venue": venue}
    if kind == "pause":
        values.update(wrong_if="BTC closes a daily candle below 58,000", reason_to_wait="No edge this week.")
    response = api.handle({"widget": kind, "values": values, "refill": True, "touched": []})
    assert response["ok"], (venue, response.get("errors"))
    filled = response.get("fields", {})
    expected_rate = f"{VENUES[venue].maintenance_rate * 100:g}"
    assert {**values, **filled}["maintenance_margin_rate"] == expected_rate


def test_every_venue_states_where_its_starting_values_come_from():
    for venue in VENUES.values():
        assert 0 < venue.maintenance_rate < 1 / venue.max_leverage, venue.key  # not liquidated at entry at the cap
        assert venue.maintenance_rate_source, venue.key
        assert (venue.taker_fee > 0) == venue.uses_taker_fee and (not venue.uses_taker_fee or venue.taker_fee_source)

"""Bad input: every mistake a visitor (or a script) can make comes back as an InputError that names
the field and says, in plain words, what is wrong. Nothing else may escape: no ZeroDivisionError,
TypeError, OverflowError or a traceback from the command line.
"""

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from calculators import TIER_PRESETS, InputError, lending, leverage_ladder, liquidation_price

ROOT = Path(__file__).resolve().parent.parent
DROP = object()  # marks a field to leave out entirely

GOOD = dict(venue="binance", side="long", entry_price=50_000, quantity=0.02, leverage=20, maintenance_margin_rate=0.004)
GOOD_LADDER = dict(leverages=range(1, 11), venue="binance", maintenance_margin_rate=0.005)
JARGON = ("Traceback", "NoneType", "float()", "int()", "Error", "Exception", "<class", "__", "self.")


def liq(**changes):
    return ("liquidation", changes)


def ladder(**changes):
    return ("ladder", changes)


def tiers(*rows):
    return list(rows)


def bracket(**fields):
    row = {"floor": 0, "cap": 50_000, "max_leverage": 125, "maintenance_margin_rate": 0.004}
    row.update(fields)
    return row


CASES = [
    # Missing fields.
    ("missing venue", liq(venue=DROP), "venue"),
    ("missing side", liq(side=DROP), "side"),
    ("missing entry price", liq(entry_price=DROP), "entry_price"),
    ("missing quantity", liq(quantity=DROP), "quantity"),
    ("neither leverage nor margin", liq(leverage=DROP), "leverage"),
    ("missing maintenance rate", liq(maintenance_margin_rate=DROP), "maintenance_margin_rate"),
    ("empty entry string", liq(entry_price="  "), "entry_price"),
    # Non-numeric strings, booleans, containers.
    ("entry is a word", liq(entry_price="fifty thousand"), "entry_price"),
    ("leverage with an x", liq(leverage="20x"), "leverage"),
    ("quantity with a comma", liq(quantity="0,02"), "quantity"),
    ("taker fee is a word", liq(venue="okx", taker_fee_rate="low"), "taker_fee_rate"),
    ("funding is a word", liq(venue="bybit", funding_paid="lots"), "funding_paid"),
    ("maintenance amount is a word", liq(maintenance_amount="fifty"), "maintenance_amount"),
    ("entry is True", liq(entry_price=True), "entry_price"),
    ("leverage is False", liq(leverage=False), "leverage"),
    ("maintenance rate is True", liq(maintenance_margin_rate=True), "maintenance_margin_rate"),
    ("entry is a list", liq(entry_price=[50_000]), "entry_price"),
    ("quantity is a dict", liq(quantity={"value": 1}), "quantity"),
    ("leverage is a list", liq(leverage=[20]), "leverage"),
    ("margin is a dict", liq(leverage=DROP, margin={"usdt": 50}), "margin"),
    ("venue is a number", liq(venue=5), "venue"),
    ("side is a list", liq(side=["long"]), "side"),
    # NaN and infinities, as floats and as strings.
    ("quantity NaN", liq(quantity=math.nan), "quantity"),
    ("entry 'nan'", liq(entry_price="nan"), "entry_price"),
    ("entry +inf", liq(entry_price=math.inf), "entry_price"),
    ("quantity -inf", liq(quantity=-math.inf), "quantity"),
    ("leverage 'inf'", liq(leverage="inf"), "leverage"),
    ("entry '1e400' overflows to inf", liq(entry_price="1e400"), "entry_price"),
    ("other pnl NaN", liq(margin_mode="cross", other_unrealized_pnl=math.nan), "other_unrealized_pnl"),
    ("entry is a huge int", liq(entry_price=10**400), "entry_price"),
    # Zero and negative prices and quantities.
    ("entry zero", liq(entry_price=0), "entry_price"),
    ("entry negative", liq(entry_price=-50_000), "entry_price"),
    ("quantity zero", liq(quantity=0), "quantity"),
    ("quantity negative", liq(quantity="-1"), "quantity"),
    # Leverage below 1 and above the venue's cap.
    ("leverage 0.5", liq(leverage=0.5), "leverage"),
    ("leverage zero", liq(leverage=0), "leverage"),
    ("leverage negative", liq(leverage=-5), "leverage"),
    ("leverage above binance cap", liq(leverage=126), "leverage"),
    ("leverage above bybit cap", liq(venue="bybit", leverage=101), "leverage"),
    ("leverage above dydx cap", liq(venue="dydx", leverage=21), "leverage"),
    ("leverage above hyperliquid cap", liq(venue="hyperliquid", leverage=41), "leverage"),
    (
        "leverage above the bracket's cap",
        liq(quantity=20, leverage=80, maintenance_margin_rate=DROP, tiers="binance-btcusdt-2024-10"),
        "leverage",
    ),
    # Rates outside [0, 1).
    ("maintenance rate 1", liq(maintenance_margin_rate=1), "maintenance_margin_rate"),
    ("maintenance rate 1.5", liq(maintenance_margin_rate=1.5), "maintenance_margin_rate"),
    ("maintenance rate negative", liq(maintenance_margin_rate=-0.004), "maintenance_margin_rate"),
    ("maintenance rate as a percent", liq(maintenance_margin_rate="40"), "maintenance_margin_rate"),
    ("taker fee 1", liq(venue="okx", taker_fee_rate=1), "taker_fee_rate"),
    ("taker fee negative", liq(venue="okx", taker_fee_rate=-0.0005), "taker_fee_rate"),
    # Unknown words.
    ("unknown venue", liq(venue="kraken"), "venue"),
    ("unknown side", liq(side="buy"), "side"),
    ("unknown contract", liq(contract="quanto"), "contract"),
    ("unknown margin mode", liq(margin_mode="portfolio"), "margin_mode"),
    # Negative amounts.
    ("margin negative", liq(margin=-1), "margin"),
    ("margin zero without leverage", liq(leverage=DROP, margin=0), "margin"),
    ("extra margin negative", liq(extra_margin=-5), "extra_margin"),
    ("taker fee negative (bitmex)", liq(venue="bitmex", contract="inverse", taker_fee_rate=-0.001), "taker_fee_rate"),
    ("other maintenance negative", liq(margin_mode="cross", other_maintenance=-1), "other_maintenance"),
    ("maintenance amount negative", liq(maintenance_amount=-50), "maintenance_amount"),
    # Unsupported combinations.
    ("dydx inverse", liq(venue="dydx", contract="inverse"), "contract"),
    ("hyperliquid inverse", liq(venue="hyperliquid", contract="inverse"), "contract"),
    ("bitmex linear", liq(venue="bitmex"), "contract"),
    ("tiers and a maintenance rate", liq(tiers="binance-btcusdt-2024-10"), "maintenance_margin_rate"),
    (
        "tiers and a maintenance amount",
        liq(maintenance_margin_rate=DROP, maintenance_amount=50, tiers="binance-btcusdt-2024-10"),
        "maintenance_amount",
    ),
    ("preset for another venue", liq(maintenance_margin_rate=DROP, tiers="bybit-btcusdt-2026-08"), "tiers"),
    (
        "binance preset on bybit",
        liq(venue="bybit", maintenance_margin_rate=DROP, tiers="binance-btcusdt-2024-10"),
        "tiers",
    ),
    (
        "preset table object for another venue",
        liq(maintenance_margin_rate=DROP, tiers=TIER_PRESETS["bybit-btcusdt-2026-08"]),
        "tiers",
    ),
    ("other positions' maintenance in isolated", liq(other_maintenance=10), "other_maintenance"),
    ("other positions' pnl in isolated", liq(other_unrealized_pnl=-10), "other_unrealized_pnl"),
    ("unknown preset", liq(maintenance_margin_rate=DROP, tiers="binance-ethusdt-2024-10"), "tiers"),
    # Malformed custom tiers.
    ("tiers empty list", liq(maintenance_margin_rate=DROP, tiers=[]), "tiers"),
    ("tiers a number", liq(maintenance_margin_rate=DROP, tiers=42), "tiers"),
    ("tiers a dict", liq(maintenance_margin_rate=DROP, tiers=bracket()), "tiers"),
    ("tiers rows not dicts", liq(maintenance_margin_rate=DROP, tiers=[[0, 50_000, 125, 0.004]]), "tiers"),
    (
        "tiers gap between brackets",
        liq(maintenance_margin_rate=DROP, tiers=tiers(bracket(), bracket(floor=60_000, cap=None))),
        "tiers",
    ),
    ("tiers first floor not zero", liq(maintenance_margin_rate=DROP, tiers=tiers(bracket(floor=10))), "tiers"),
    (
        "tiers cap below floor",
        liq(maintenance_margin_rate=DROP, tiers=tiers(bracket(), bracket(floor=50_000, cap=40_000))),
        "tiers",
    ),
    ("tiers rate 1.2", liq(maintenance_margin_rate=DROP, tiers=tiers(bracket(maintenance_margin_rate=1.2))), "tiers"),
    (
        "tiers rate a word",
        liq(maintenance_margin_rate=DROP, tiers=tiers(bracket(maintenance_margin_rate="low"))),
        "tiers",
    ),
    ("tiers max leverage below 1", liq(maintenance_margin_rate=DROP, tiers=tiers(bracket(max_leverage=0.5))), "tiers"),
    (
        "tiers max leverage missing",
        liq(maintenance_margin_rate=DROP, tiers=[{"floor": 0, "maintenance_margin_rate": 0.004}]),
        "tiers",
    ),
    ("tiers amount a word", liq(maintenance_margin_rate=DROP, tiers=tiers(bracket(maintenance_amount="x"))), "tiers"),
    ("tiers cap NaN", liq(maintenance_margin_rate=DROP, tiers=tiers(bracket(cap=math.nan))), "tiers"),
    # Rates that are each valid but together reserve 100 % of the position.
    (
        "okx maintenance + fee = 1 (long)",
        liq(venue="okx", leverage=1, maintenance_margin_rate=0.5, taker_fee_rate=0.5),
        "taker_fee_rate",
    ),
    (
        "okx maintenance + fee = 1 (inverse short)",
        liq(venue="okx", side="short", contract="inverse", leverage=1, maintenance_margin_rate=0.5, taker_fee_rate=0.5),
        "taker_fee_rate",
    ),
    # leverage_ladder.
    ("ladder: missing venue", ladder(venue=DROP), "venue"),
    ("ladder: missing maintenance rate", ladder(maintenance_margin_rate=DROP), "maintenance_margin_rate"),
    ("ladder: venue None", ladder(venue=None), "venue"),
    ("ladder: unknown venue", ladder(venue="ftx"), "venue"),
    ("ladder: maintenance rate 1", ladder(maintenance_margin_rate=1), "maintenance_margin_rate"),
    ("ladder: maintenance rate a word", ladder(maintenance_margin_rate="half"), "maintenance_margin_rate"),
    ("ladder: maintenance rate None", ladder(maintenance_margin_rate=None), "maintenance_margin_rate"),
    ("ladder: taker fee negative", ladder(taker_fee_rate=-0.1), "taker_fee_rate"),
    ("ladder: taker fee True", ladder(taker_fee_rate=True), "taker_fee_rate"),
    ("ladder: dydx inverse", ladder(venue="dydx", contract="inverse"), "contract"),
    ("ladder: bitmex linear", ladder(venue="bitmex"), "contract"),
    ("ladder: unknown contract", ladder(contract="option"), "contract"),
    ("ladder: entry zero", ladder(entry_price=0), "entry_price"),
    ("ladder: entry a word", ladder(entry_price="abc"), "entry_price"),
    ("ladder: entry inf", ladder(entry_price=math.inf), "entry_price"),
    ("ladder: no leverages", ladder(leverages=[]), "leverages"),
    ("ladder: leverages a number", ladder(leverages=5), "leverages"),
    ("ladder: leverages None", ladder(leverages=None), "leverages"),
    ("ladder: leverage below 1", ladder(leverages=[0.5, 2]), "leverage"),
    ("ladder: leverage a word", ladder(leverages=[10, "abc"]), "leverage"),
    ("ladder: leverage True", ladder(leverages=[True]), "leverage"),
    ("ladder: leverage NaN", ladder(leverages=[math.nan]), "leverage"),
    ("ladder: leverage inf", ladder(leverages=[math.inf]), "leverage"),
    ("ladder: leverage a list", ladder(leverages=[[10]]), "leverage"),
    (
        "ladder: okx maintenance + fee = 1",
        ladder(venue="okx", maintenance_margin_rate=0.5, taker_fee_rate=0.5),
        "taker_fee_rate",
    ),
]


def _params():
    for case in CASES:
        marks: list[pytest.MarkDecorator]
        label, (target, changes), field, *marks = case
        yield pytest.param(target, changes, field, id=label, marks=marks)


def _call(target, changes):
    # Any on purpose: these are hostile values of every type, for the engine to reject.
    kwargs: dict[str, Any] = dict(GOOD if target == "liquidation" else GOOD_LADDER)
    for key, value in changes.items():
        if value is DROP:
            kwargs.pop(key, None)
        else:
            kwargs[key] = value
    if target == "liquidation":
        return liquidation_price(**kwargs)
    leverages = kwargs.pop("leverages")
    return leverage_ladder(leverages, **kwargs)


def assert_plain_sentence(message):
    assert isinstance(message, str) and message.strip()
    assert message[0].isupper() or message[0] == '"' or message.startswith("dYdX"), message
    assert message.rstrip().endswith("."), message
    for word in JARGON:
        assert word not in message, f"{word!r} in {message!r}"


@pytest.mark.parametrize("target, changes, field", list(_params()))
def test_bad_input_raises_input_error(target, changes, field):
    try:
        _call(target, changes)
    except InputError as error:
        assert error.field == field, error.message
        assert_plain_sentence(error.message)
        assert error.to_dict() == {"field": field, "message": error.message}
    except Exception as error:  # noqa: BLE001 - the point is that nothing else escapes
        pytest.fail(f"raised {type(error).__name__} ({error}) instead of InputError({field!r})")
    else:
        pytest.fail(f"accepted a bad {field}")


def test_the_table_is_big_enough():
    assert len(CASES) >= 30
    assert {target for _, (target, _), *_ in CASES} == {"liquidation", "ladder"}


def test_good_inputs_are_accepted():
    """The baselines the table edits are themselves valid, so each case fails for its own reason."""
    assert liquidation_price(**GOOD).price is not None
    assert len(_call("ladder", {})) == 10


@pytest.mark.parametrize("text", ["50000", " 50000 ", "5e4", "50000.0"])
def test_numeric_strings_are_accepted(text):
    assert liquidation_price(**dict(GOOD, entry_price=text)).entry_price == 50_000


def test_words_ignore_case_and_spaces():
    r = liquidation_price(**dict(GOOD, venue=" Binance ", side="LONG", contract="Linear", margin_mode="Isolated"))
    assert (r.venue, r.side, r.contract, r.margin_mode) == ("binance", "long", "linear", "isolated")


# ---------------------------------------------------------------------------------------------
# The command line.
# ---------------------------------------------------------------------------------------------


def _no_constants(name):
    raise ValueError(f"not strict JSON: {name}")


def run_cli(*args):
    done = subprocess.run(
        [sys.executable, "-m", "calculators", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    try:
        output = json.loads(done.stdout, parse_constant=_no_constants)
    except ValueError:
        output = None
    return done, output


LIQUIDATION_ARGS = [
    "liquidation",
    "--venue",
    "binance",
    "--side",
    "long",
    "--entry-price",
    "50000",
    "--quantity",
    "0.02",
    "--leverage",
    "20",
    "--maintenance-margin-rate",
    "0.004",
    "--json",
]


def test_cli_liquidation_prints_json():
    done, output = run_cli(*LIQUIDATION_ARGS)
    assert done.returncode == 0, done.stderr
    q, e, lev, m = 0.02, 50_000, 20, 0.004
    assert output["price"] == pytest.approx((q * e - q * e / lev) / (q * (1 - m)), rel=1e-12)
    assert output["venue"] == "binance" and output["side"] == "long"
    assert isinstance(output["warnings"], list)


def test_cli_liquidation_with_a_preset():
    args = [a for a in LIQUIDATION_ARGS if a not in ("--maintenance-margin-rate", "0.004")]
    done, output = run_cli(*args, "--tiers", "binance-btcusdt-2024-10")
    assert done.returncode == 0, done.stderr
    assert output["tier"]["maintenance_margin_rate"] == 0.004


def test_cli_bad_venue_prints_error_json():
    args = ["kraken" if a == "binance" else a for a in LIQUIDATION_ARGS]
    done, output = run_cli(*args)
    assert done.returncode == 2
    assert set(output) == {"error"}
    assert output["error"]["field"] == "venue"
    assert_plain_sentence(output["error"]["message"])
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "flag, value, field",
    [
        ("--entry-price", "abc", "entry_price"),
        ("--leverage", "500", "leverage"),
        ("--maintenance-margin-rate", "nan", "maintenance_margin_rate"),
    ],
)
def test_cli_bad_numbers_print_error_json(flag, value, field):
    args = list(LIQUIDATION_ARGS)
    args[args.index(flag) + 1] = value
    done, output = run_cli(*args)
    assert done.returncode == 2
    assert output["error"]["field"] == field


def test_cli_ladder_prints_json():
    done, output = run_cli(
        "ladder", "--venue", "binance", "--maintenance-margin-rate", "0.005", "--from", "1", "--to", "5", "--json"
    )
    assert done.returncode == 0, done.stderr
    assert [row["leverage"] for row in output] == [1, 2, 3, 4, 5]
    assert output[1]["textbook_move"] == pytest.approx(1 / 2 - 0.005)


def test_cli_ladder_bad_range_prints_error_json():
    done, output = run_cli("ladder", "--venue", "binance", "--maintenance-margin-rate", "0.005", "--from", "one")
    assert done.returncode == 2
    assert output["error"]["field"] == "from"


def test_cli_ladder_missing_venue_prints_error_json():
    done, output = run_cli("ladder", "--maintenance-margin-rate", "0.005", "--json")
    assert done.returncode == 2
    assert output == {"error": {"field": "venue", "message": output["error"]["message"]}}


# ---------------------------------------------------------------------------------------------
# Lending (calculators/lending.py): the same contract, with fields named by their place in the lists.
# ---------------------------------------------------------------------------------------------

GOOD_COLLATERAL = {"amount": 5, "price": 2_000, "liquidation_threshold": 0.8, "liquidation_bonus": 0.05}
GOOD_LENDING = dict(protocol="aave-v3", collaterals=[GOOD_COLLATERAL], debts=[{"amount": 6_000, "price": 1}])


def collateral(**changes):
    entry = dict(GOOD_COLLATERAL)
    for key, value in changes.items():
        if value is DROP:
            entry.pop(key, None)
        else:
            entry[key] = value
    return [entry]


LENDING_CASES = [
    ("missing protocol", dict(protocol=DROP), "protocol"),
    ("unknown protocol", dict(protocol="maker"), "protocol"),
    ("protocol a number", dict(protocol=3), "protocol"),
    ("missing collaterals", dict(collaterals=DROP), "collaterals"),
    ("collaterals empty", dict(collaterals=[]), "collaterals"),
    ("collaterals a string", dict(collaterals="5 ETH"), "collaterals"),
    ("collaterals a dict", dict(collaterals=GOOD_COLLATERAL), "collaterals"),
    ("collateral not a dict", dict(collaterals=[[5, 2_000, 0.8]]), "collaterals.0"),
    ("collateral amount missing", dict(collaterals=collateral(amount=DROP)), "collaterals.0.amount"),
    ("collateral amount a word", dict(collaterals=collateral(amount="five")), "collaterals.0.amount"),
    ("collateral amount negative", dict(collaterals=collateral(amount=-1)), "collaterals.0.amount"),
    ("collateral amount NaN", dict(collaterals=collateral(amount=math.nan)), "collaterals.0.amount"),
    ("collateral price zero", dict(collaterals=collateral(price=0)), "collaterals.0.price"),
    ("collateral price inf", dict(collaterals=collateral(price=math.inf)), "collaterals.0.price"),
    ("collateral price True", dict(collaterals=collateral(price=True)), "collaterals.0.price"),
    (
        "threshold 1 on Aave",
        dict(collaterals=collateral(liquidation_threshold=1)),
        "collaterals.0.liquidation_threshold",
    ),
    (
        "threshold as percent",
        dict(collaterals=collateral(liquidation_threshold=80)),
        "collaterals.0.liquidation_threshold",
    ),
    (
        "threshold missing",
        dict(collaterals=collateral(liquidation_threshold=DROP)),
        "collaterals.0.liquidation_threshold",
    ),
    ("bonus missing on Aave", dict(collaterals=collateral(liquidation_bonus=DROP)), "collaterals.0.liquidation_bonus"),
    ("bonus negative", dict(collaterals=collateral(liquidation_bonus=-0.05)), "collaterals.0.liquidation_bonus"),
    (
        "bonus too big for threshold",
        dict(collaterals=collateral(liquidation_bonus=0.3)),
        "collaterals.0.liquidation_bonus",
    ),
    ("factor on Aave", dict(collaterals=collateral(liquidation_factor=0.95)), "collaterals.0.liquidation_factor"),
    ("unknown collateral field", dict(collaterals=collateral(lt=0.8)), "collaterals.0.lt"),
    ("bonus on Compound", dict(protocol="compound-v3"), "collaterals.0.liquidation_bonus"),
    (
        "factor missing on Compound",
        dict(protocol="compound-v3", collaterals=collateral(liquidation_bonus=DROP)),
        "collaterals.0.liquidation_factor",
    ),
    (
        "factor zero on Compound",
        dict(protocol="compound-v3", collaterals=collateral(liquidation_bonus=DROP, liquidation_factor=0)),
        "collaterals.0.liquidation_factor",
    ),
    ("bonus on Morpho", dict(protocol="morpho-blue"), "collaterals.0.liquidation_bonus"),
    ("two debts on Compound", dict(protocol="compound-v3", debts=[{"amount": 1, "price": 1}] * 2), "debts"),
    ("debts a number", dict(debts=6_000), "debts"),
    ("debt price missing", dict(debts=[{"amount": 1, "price": 1}, {"amount": 6_000}]), "debts.1.price"),
    ("debt amount a word", dict(debts=[{"amount": "lots", "price": 1}]), "debts.0.amount"),
    ("debt price negative", dict(debts=[{"amount": 1, "price": -1}]), "debts.0.price"),
    ("unknown debt field", dict(debts=[{"amount": 1, "price": 1, "rate": 0.05}]), "debts.0.rate"),
    (
        "products overflow",
        dict(collaterals=collateral(amount=1e300, price=1e300)),
        "collaterals.0.amount",
    ),
]


@pytest.mark.parametrize("changes, field", [pytest.param(c, f, id=label) for label, c, f in LENDING_CASES])
def test_bad_lending_input_raises_input_error(changes, field):
    kwargs: dict[str, Any] = dict(GOOD_LENDING)
    for key, value in changes.items():
        if value is DROP:
            kwargs.pop(key, None)
        else:
            kwargs[key] = value
    for call in (lending.health_factor, lending.price_for_liquidation, lending.liquidation):
        try:
            call(**kwargs)
        except InputError as error:
            assert error.field == field, error.message
            assert_plain_sentence(error.message)
        except Exception as error:  # noqa: BLE001 - the point is that nothing else escapes
            pytest.fail(f"{call.__name__} raised {type(error).__name__} ({error}) instead of InputError({field!r})")
        else:
            pytest.fail(f"{call.__name__} accepted a bad {field}")


@pytest.mark.parametrize(
    "call, keyword, value",
    [
        ("price_for_liquidation", "moving", "debts.3"),
        ("price_for_liquidation", "moving", "collateral"),
        ("price_for_liquidation", "moving", 0),
        ("liquidation", "repay", "collaterals.0"),
        ("liquidation", "seize", "collaterals.9"),
    ],
)
def test_bad_lending_position_names(call, keyword, value):
    book = dict(GOOD_LENDING, collaterals=collateral(price=1_000))  # liquidatable, so liquidation reads its targets
    with pytest.raises(InputError) as error:
        getattr(lending, call)(**book, **{keyword: value})
    assert error.value.field == keyword
    assert_plain_sentence(error.value.message)


def test_good_lending_inputs_are_accepted():
    assert lending.health_factor(**GOOD_LENDING).health_factor == pytest.approx(10_000 * 0.8 / 6_000)


def test_a_deeply_nested_request_is_refused_before_it_is_parsed():
    """Under Pyodide a request nested deep enough overflows the JavaScript stack inside json.loads and
    ends the runtime: the worker's entry point refuses it from the text, with the usual message."""
    import json

    from calculators.web import api

    deep = '{"widget": "liquidation", "values": ' + "[" * 10_000 + "]" * 10_000 + "}"
    assert json.loads(api.handle_json(deep)) == {
        "ok": False,
        "errors": {"_": "The calculator received a malformed request."},
    }
    flat = json.loads(api.handle_json(json.dumps({"widget": "ladder", "values": {}})))
    assert flat["ok"] is True


def test_prepare_imports_a_known_widget_and_ignores_any_other_name():
    """The worker passes the page's widget kinds to `api.prepare` as data (calc-worker.mjs). A known
    kind's module is imported, nothing else is: not an unknown name, not a module path, not a number."""
    script = """
import json, sys
from calculators.web import api
before = set(sys.modules)
results = [api.prepare(name) for name in ("liquidation", "no-such-widget", "web.liquidation", "os", "", 3, None)]
added = sorted(m for m in set(sys.modules) - before if m.startswith("calculators"))
print(json.dumps({"results": results, "added": added}))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    assert report["results"] == [True, False, False, False, False, False, False]
    assert "calculators.web.liquidation" in report["added"]
    assert not [
        m for m in report["added"] if m.startswith("calculators.web.") and m.split(".")[-1] in ("ladder", "pause")
    ]

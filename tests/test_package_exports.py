"""The package's names load on first use (calculators/__init__.py, PEP 562), and each is the very
object its module defines: the lazy form changes when a module is imported, never what a name means."""

import importlib
import subprocess
import sys

import calculators

EXPECTED = {  # name -> (module, attribute), written out here rather than read from the package
    "InputError": ("calculators.errors", "InputError"),
    "LadderRow": ("calculators.ladder", "LadderRow"),
    "LiquidationResult": ("calculators.engine", "LiquidationResult"),
    "TIER_PRESETS": ("calculators.tiers", "PRESETS"),
    "Tier": ("calculators.tiers", "Tier"),
    "TierTable": ("calculators.tiers", "TierTable"),
    "VENUES": ("calculators.venues", "VENUES"),
    "Venue": ("calculators.venues", "Venue"),
    "leverage_ladder": ("calculators.ladder", "leverage_ladder"),
    "liquidation_price": ("calculators.engine", "liquidation_price"),
    "PositionState": ("calculators.positions", "PositionState"),
    "Step": ("calculators.positions", "Step"),
    "build_position": ("calculators.positions", "build_position"),
    "health_factor": ("calculators.lending", "health_factor"),
    "price_for_liquidation": ("calculators.lending", "price_for_liquidation"),
    "lending_liquidation": ("calculators.lending", "liquidation"),
}


def test_every_exported_name_is_the_object_its_module_defines():
    assert sorted(calculators.__all__) == sorted([*EXPECTED, "lending"])
    for name, (module, attribute) in EXPECTED.items():
        assert getattr(calculators, name) is getattr(importlib.import_module(module), attribute), name
    assert calculators.lending is importlib.import_module("calculators.lending")


def test_an_unknown_name_is_an_attribute_error():
    try:
        calculators.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("an unknown name resolved")


def test_importing_the_package_or_one_widget_leaves_the_unrelated_modules_unimported():
    """What the browser gains: the liquidation widget never imports the lending book.
    Run in a fresh interpreter, since this one has imported everything."""
    code = (
        "import sys, calculators\n"
        "bare = sorted(m for m in sys.modules if m.startswith('calculators'))\n"
        "import calculators.web.api as api, json\n"
        "api.handle_json(json.dumps({'widget': 'liquidation', 'values': {}, 'touched': []}))\n"
        "print(bare, 'calculators.lending' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['calculators'] False"

"""Command line: `python -m calculators liquidation --venue binance --side long ... --json`.

Prints the result, or the input error, as JSON (exit code 2 for bad input), so scripts and
people get the same plain-language messages as the web widgets.
"""

import argparse
import json
import sys

from .engine import liquidation_price
from .errors import InputError
from .ladder import leverage_ladder

_LIQUIDATION_FIELDS = (
    "venue",
    "side",
    "contract",
    "margin_mode",
    "entry_price",
    "quantity",
    "leverage",
    "margin",
    "maintenance_margin_rate",
    "maintenance_amount",
    "tiers",
    "other_maintenance",
    "other_unrealized_pnl",
    "extra_margin",
    "taker_fee_rate",
    "funding_paid",
)
_LADDER_FIELDS = ("venue", "maintenance_margin_rate", "taker_fee_rate", "contract", "entry_price")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m calculators", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, fields in (("liquidation", _LIQUIDATION_FIELDS), ("ladder", _LADDER_FIELDS)):
        command = commands.add_parser(name)
        for field in fields:
            # Values stay strings: the engine parses and checks them, with its own messages.
            command.add_argument("--" + field.replace("_", "-"), dest=field)
        if name == "ladder":
            command.add_argument("--from", dest="low", default="1")
            command.add_argument("--to", dest="high", default="100")
        command.add_argument("--json", action="store_true", help="print JSON (the default output)")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    given = {k: v for k, v in vars(args).items() if k not in ("command", "json", "low", "high") and v is not None}
    output: dict | list[dict]
    try:
        if args.command == "liquidation":
            output = liquidation_price(**given).to_dict()
        else:
            low, high = _whole("from", args.low), _whole("to", args.high)
            output = [row.to_dict() for row in leverage_ladder(range(low, high + 1), **given)]
    except InputError as error:
        print(json.dumps({"error": error.to_dict()}))
        return 2
    print(json.dumps(output, indent=2))
    return 0


def _whole(field: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InputError(field, f"--{field} must be a whole number of leverage, e.g. 100.") from None


if __name__ == "__main__":
    sys.exit(main())

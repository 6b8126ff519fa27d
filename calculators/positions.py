"""Building a position step by step: open, add, reduce, close, move margin, pay funding.

After every step the position is handed to `engine.liquidation_price`, so every liquidation and
bankruptcy price here comes from the one engine model; this module only keeps the books (quantity,
average entry, realised PnL, margin). Steps are plain data (a `Step` or a dict with a `kind`), so a
browser widget can send them as JSON; a bad step raises `InputError` whose field is
"steps.<index>.<field>", so the widget can show it on that row.
"""

from dataclasses import dataclass

from . import inputs
from .engine import MARGIN_MODES, SIDES, LiquidationResult, liquidation_price
from .errors import InputError
from .inputs import Raw
from .venues import INVERSE, LINEAR

KINDS = ("open", "add", "reduce", "close", "add_margin", "remove_margin", "funding")
CLOSED = "The position was closed: start a new list to open another."  # a step after a close

# How venues keep the books when a position changes, as data. Source: Bybit, "How to Calculate
# Average Entry Price" (bybit.com/en/help-center/article/How-to-Calculate-Average-Entry-Price, id
# 000001113, read 2026-12-01): USDT contracts average by value, sum(q x p) / sum(q); inverse contracts
# by contracts over coin value, sum(q) / sum(q / p). No Binance page with a worked averaging example
# was found; the other venues are assumed to follow the same value-weighted rule (an assumption, said
# so here and in the report), which is the only rule that keeps unrealised PnL continuous across an add.
AVERAGING = {
    LINEAR: "value-weighted: sum(quantity x price) / sum(quantity)",
    INVERSE: "contract-weighted: sum(contracts) / sum(contracts / price)",
}
AVERAGING_SOURCE = "https://www.bybit.com/en/help-center/article/How-to-Calculate-Average-Entry-Price"
# Isolated margin: an add brings its own initial margin (its value / leverage); a reduce releases
# margin pro rata and realises PnL = q x (exit - entry) x side (linear) or q x (1/entry - 1/exit) x side
# (inverse), which goes to the wallet, not to the position. Funding is paid from the position margin.
# In cross margin the margin is the wallet balance: realised PnL and funding change it, adds do not.
ISOLATED_RULES = {
    "add": "the added quantity brings its value / leverage as margin",
    "reduce": "margin is released in proportion to the quantity closed; the PnL realised goes to the wallet",
    "funding": "paid from (or received into) the position margin",
}


@dataclass(frozen=True, slots=True)
class Step:
    kind: str
    quantity: float | None = None  # open / add / reduce (contracts for inverse)
    price: float | None = None  # fill price (open / add / reduce / close); mark price for the others
    amount: float | None = None  # add_margin / remove_margin / funding (paid > 0, received < 0)


@dataclass(frozen=True, slots=True)
class PositionState:
    step: int
    kind: str
    quantity: float  # 0 once closed
    entry_price: float | None  # average entry; None once closed
    realised_pnl: float  # cumulative, in the settlement currency
    margin: float  # isolated: position margin; cross: wallet balance
    mark_price: float  # the step's price, or the last price seen
    liquidation_price: float | None
    bankruptcy_price: float | None
    move_to_liquidation: float | None  # fraction of the mark the price must still move against you
    result: LiquidationResult | None  # the engine's full answer for this state

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__ if name != "result"}


def build_position(
    venue: Raw,
    side: Raw,
    steps: Raw,
    *,
    contract: Raw = LINEAR,
    margin_mode: Raw = "isolated",
    leverage: Raw = None,
    wallet_balance: Raw = None,
    maintenance_margin_rate: Raw = None,
    maintenance_amount: Raw = None,
    tiers: Raw = None,
    taker_fee_rate: Raw = None,
    other_maintenance: Raw = None,
    other_unrealized_pnl: Raw = None,
) -> list[PositionState]:
    """The position after every step. Isolated margin needs `leverage` (each open or add brings its
    value / leverage); cross margin needs `wallet_balance`. Other engine inputs pass straight through."""
    side = inputs.choice("side", side, SIDES)
    margin_mode = inputs.choice("margin_mode", margin_mode, MARGIN_MODES, default="isolated")
    cross = margin_mode == "cross"
    lev = inputs.number("leverage", leverage) if not cross else None
    if lev is not None and lev < 1:
        raise InputError("leverage", "Leverage must be at least 1 (1 means no borrowed exposure).")
    wallet = inputs.positive("wallet_balance", wallet_balance) if cross else None
    if not isinstance(steps, (list, tuple)) or not steps:
        raise InputError("steps", "Give at least one step, starting with an open.")
    engine_args: dict[str, Raw] = dict(
        venue=venue,
        side=side,
        contract=contract,
        margin_mode=margin_mode,
        maintenance_margin_rate=maintenance_margin_rate,
        maintenance_amount=maintenance_amount,
        tiers=tiers,
        taker_fee_rate=taker_fee_rate,
        other_maintenance=other_maintenance,
        other_unrealized_pnl=other_unrealized_pnl,
    )
    inverse = inputs.choice("contract", contract, (LINEAR, INVERSE), default=LINEAR) == INVERSE
    s = 1 if side == "long" else -1
    book = _Book(s, inverse, lev, wallet)
    states = []
    for index, raw in enumerate(steps):
        step = _step(index, raw, first=index == 0, open_now=book.quantity > 0)
        book.apply(index, step)
        states.append(book.state(index, step.kind, engine_args))
    return states


def _value(inverse: bool, quantity: float, price: float) -> float:
    """Position value in the settlement currency: quantity x price, or contracts / price (coin)."""
    return quantity / price if inverse else quantity * price


class _Book:
    def __init__(self, s: int, inverse: bool, lev: float | None, wallet: float | None) -> None:
        self.s, self.inverse, self.lev = s, inverse, lev
        self.quantity = 0.0
        self.entry: float | None = None  # average entry; set exactly while quantity > 0
        self.realised = 0.0
        self.mark: float | None = None  # the last price seen; every step list starts with a priced open
        self.margin = wallet if wallet is not None else 0.0
        self.cross = wallet is not None

    def apply(self, index: int, step: Step) -> None:
        if step.price is not None:
            self.mark = step.price
        kind = step.kind
        if kind in ("open", "add"):
            added, price = _checked(index, "quantity", step.quantity), _checked(index, "price", step.price)
            value = _value(self.inverse, added, price)
            if self.entry is not None:  # a position is open (entry is set exactly while quantity > 0)
                # Value-weighted (linear) or contract-weighted (inverse) average: see AVERAGING.
                total = self.quantity + added
                old = _value(self.inverse, self.quantity, self.entry)
                self.entry = total / (old + value) if self.inverse else (old + value) / total
                self.quantity = total
            else:
                self.quantity, self.entry = added, price
            if self.lev is not None:  # isolated margin (cross has a wallet and no leverage)
                self.margin += value / self.lev
        elif kind in ("reduce", "close"):
            if self.entry is None:  # not reached: `_step` refuses a reduce or close once the position is closed
                raise InputError(f"steps.{index}.kind", CLOSED)
            price = _checked(index, "price", step.price)
            q = self.quantity if kind == "close" else _checked(index, "quantity", step.quantity)
            if q > self.quantity:
                raise InputError(f"steps.{index}.quantity", f"Only {self.quantity:g} is open; reduce by that or less.")
            if self.inverse:
                pnl = self.s * q * (1 / self.entry - 1 / price)
            else:
                pnl = self.s * q * (price - self.entry)
            self.realised += pnl
            if self.cross:
                self.margin += pnl  # realised PnL lands in the cross wallet
            else:
                self.margin -= self.margin * q / self.quantity  # released pro rata
            self.quantity -= q
            if self.quantity == 0:
                self.entry = None
        elif kind == "add_margin":
            self.margin += _checked(index, "amount", step.amount)
        elif kind == "remove_margin":
            amount = _checked(index, "amount", step.amount)
            if amount >= self.margin:
                raise InputError(f"steps.{index}.amount", f"Only {self.margin:,.2f} of margin is there to remove.")
            self.margin -= amount
        elif kind == "funding":
            self.margin -= _checked(index, "amount", step.amount)

    def state(self, index: int, kind: str, engine_args: dict[str, Raw]) -> PositionState:
        if self.mark is None:  # not reached: the first step is an open, and an open has a price
            raise InputError(f"steps.{index}.price", "Give the price of the opening step.")
        result = None
        if self.quantity > 0:
            try:
                result = liquidation_price(
                    entry_price=self.entry, quantity=self.quantity, margin=max(self.margin, 0.0), **engine_args
                )
            except InputError as error:
                raise InputError(_step_field(index, error.field), error.message) from None
        price = None if result is None else result.price
        move = None if price is None else max(0.0, self.s * (self.mark - price) / self.mark)
        return PositionState(
            step=index,
            kind=kind,
            quantity=self.quantity,
            entry_price=self.entry,
            realised_pnl=self.realised,
            margin=self.margin,
            mark_price=self.mark,
            liquidation_price=price,
            bankruptcy_price=None if result is None else result.bankruptcy_price,
            move_to_liquidation=move,
            result=result,
        )


_STEP_FIELDS = {"entry_price": "price", "quantity": "quantity", "margin": "amount"}


def _step_field(index: int, field: str) -> str:
    """An engine field that comes from the step maps onto the step's row; the rest stay global."""
    return f"steps.{index}.{_STEP_FIELDS[field]}" if field in _STEP_FIELDS else field


def _checked(index: int, name: str, value: float | None) -> float:
    """A step's number that `_step` already required for this kind of step; None here would be a
    Step that skipped `_step`, so it is refused the way `_step` refuses it."""
    if value is None:
        raise InputError(f"steps.{index}.{name}", f"{inputs.label(name)} is missing for this step.")
    return value


def _step(index: int, raw: Raw, *, first: bool, open_now: bool) -> Step:
    """Check one step (a Step or a dict) and return it with numbers as floats."""
    where = f"steps.{index}"
    if isinstance(raw, Step):
        raw = {"kind": raw.kind, "quantity": raw.quantity, "price": raw.price, "amount": raw.amount}
    if not isinstance(raw, dict):
        raise InputError(where, "Each step must be an object with a kind, e.g. {'kind': 'add', ...}.")
    kind = inputs.choice(f"{where}.kind", raw.get("kind"), KINDS)
    if first and kind != "open":
        raise InputError(f"{where}.kind", "The first step must open the position.")
    if not first and kind == "open":
        raise InputError(f"{where}.kind", "The position is already open: use add to increase it.")
    if not first and not open_now:
        raise InputError(f"{where}.kind", CLOSED)
    quantity: float | None = None
    price: float | None = None
    amount: float | None = None
    if kind in ("open", "add", "reduce"):
        quantity = inputs.positive(f"{where}.quantity", raw.get("quantity"))
    if kind in ("open", "add", "reduce", "close"):
        price = inputs.positive(f"{where}.price", raw.get("price"))
    elif raw.get("price") is not None:
        price = inputs.positive(f"{where}.price", raw.get("price"))
    if kind in ("add_margin", "remove_margin"):
        amount = inputs.positive(f"{where}.amount", raw.get("amount"))
    elif kind == "funding":
        amount = inputs.number(f"{where}.amount", raw.get("amount"))
    return Step(kind, quantity, price, amount)

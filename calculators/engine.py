"""The liquidation engine: one model, every venue.

A position is liquidated when its equity falls to its maintenance requirement. For a linear
(USDT-margined) contract both sides are linear in the price P; for an inverse (coin-margined)
contract both are linear in 1/P. So every venue's liquidation price is the root of one linear
equation, and venues differ only in the switches of `venues.Venue`.

Notation (as in the brief): s = +1 long / -1 short, E entry, Q quantity, M margin (isolated) or
wallet balance (cross), m maintenance rate, cum maintenance amount, f taker fee rate, U and TMM
the other positions' unrealised PnL and maintenance (cross only), F funding paid.
"""

import math
from dataclasses import dataclass, field

from . import inputs
from .errors import InputError
from .inputs import Raw
from .tiers import Tier, TierTable
from .tiers import resolve as resolve_tiers
from .venues import (
    CLOSE_FEE_AT_BANKRUPTCY,
    ENTRY,
    INVERSE,
    LINEAR,
    MARK,
    OPEN_AND_CLOSE_FEES,
    VENUE_KEYS,
    VENUES,
    Venue,
)

SIDES = ("long", "short")
CONTRACTS = (LINEAR, INVERSE)
MARGIN_MODES = ("isolated", "cross")

CROSS_WARNING = (
    "Cross margin: this estimate assumes your other positions, and their prices, stay as they are. "
    "If they lose, this liquidation price (and the bankruptcy price) moves closer."
)

# What the bankruptcy price assumes (shown as `bankruptcy_basis`). Both venues define it as the price
# where the collateral backing the position is used up: Binance, "How a Liquidation Order Is Executed:
# Liquidation Price vs. Bankruptcy Price" (binance.com/en/feed/post/617823: "the point at which a
# trader's losses equal the collateral value deposited or the initial margin"); Bybit, "How to calculate
# Bankruptcy Price" (help.bybit.com/hc/en-us/articles/360037757474: the liquidation formula with the
# maintenance margin set to 0) and its cross-margin form in "How to calculate Liquidation Price (Inverse
# Contract)" (help.bybit.com/hc/en-us/articles/360039261334: bankruptcy from the account's available
# balance, not the position's margin). In cross margin that collateral is the whole cross balance, so
# the bankruptcy price is where the same equity line the liquidation price uses (wallet balance plus the
# other positions' unrealised PnL plus this position's PnL) reaches zero. Read 2026-12-01.
ISOLATED_BANKRUPTCY = "Where this position's margin (after fees, added margin and funding) is used up."
CROSS_BANKRUPTCY = (
    "Where the whole cross balance is used up: wallet balance plus the other positions' unrealised PnL, "
    "as entered; their maintenance does not count."
)


@dataclass(frozen=True, slots=True)
class LiquidationResult:
    price: float | None  # liquidation price; None when no positive price exists
    bankruptcy_price: float | None  # where the margin is exactly used up
    adverse_move: float | None  # fraction of entry the market must move against you (>= 0)
    initial_margin: float  # margin the position opened with (settlement currency)
    maintenance_margin: float  # requirement at the liquidation price (or at entry if none)
    loss_at_liquidation: float | None  # loss on the position when liquidation triggers
    tier: Tier | None  # the bracket used, when tiers were given
    venue: str
    warnings: tuple[str, ...]
    side: str
    contract: str
    margin_mode: str
    entry_price: float
    quantity: float
    leverage: float  # as given, or notional / margin
    notional: float  # position value at entry, in the settlement currency
    margin: float  # collateral counted as equity (after fees and extra margin)
    settlement: str  # "quote" (linear) or "base" (inverse: margin in the coin)
    convention: str  # one plain line on how this venue computes it
    maintenance_margin_rate: float  # the rate used (the bracket's, when tiers were given)
    maintenance_amount: float  # the deduction used
    taker_fee_rate: float
    bankruptcy_basis: str = ""  # what the bankruptcy price assumes (isolated margin or the cross balance)
    # The checked inputs behind this answer, for `state_at`. Keyword-only and required: every result
    # comes from the solver with its position, so the field is never None.
    _position: "_Position" = field(repr=False, compare=False, kw_only=True)

    @property
    def liquidated_at(self) -> float | None:
        """The price to show as where the position is liquidated: `price`, except with no buffer
        (liquidated as it opens), where it is the entry. The venue's formula then has its root on the
        wrong side of entry (above it for a long), a price the market never has to reach."""
        return self.entry_price if self.adverse_move == 0.0 else self.price

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {name: getattr(self, name) for name in self.__slots__ if not name.startswith("_")}
        data["warnings"] = list(self.warnings)
        if self.tier is not None:
            t = self.tier
            data["tier"] = {
                "floor": t.floor,
                "cap": t.cap,
                "max_leverage": t.max_leverage,
                "maintenance_margin_rate": t.rate,
                "maintenance_amount": t.amount,
            }
        return data


@dataclass(frozen=True, slots=True)
class _Position:
    """Checked inputs, reduced to the numbers the model needs."""

    venue: Venue
    s: int
    contract: str
    entry: float
    quantity: float
    margin: float  # equity at entry, before other positions: M + extra - funding (+ fees)
    other_pnl: float  # other positions' unrealised PnL, U (cross only): part of equity
    fee: float
    other_maintenance: float = 0.0  # other positions' maintenance, TMM (cross only): part of maintenance


def liquidation_price(
    *,
    venue: Raw = None,
    side: Raw = None,
    contract: Raw = LINEAR,
    margin_mode: Raw = "isolated",
    entry_price: Raw = None,
    quantity: Raw = None,
    leverage: Raw = None,
    margin: Raw = None,
    maintenance_margin_rate: Raw = None,
    maintenance_amount: Raw = None,
    tiers: Raw = None,
    other_maintenance: Raw = None,
    other_unrealized_pnl: Raw = None,
    extra_margin: Raw = None,
    taker_fee_rate: Raw = None,
    funding_paid: Raw = None,
) -> LiquidationResult:
    """The liquidation price of one position under a venue's convention. See the module doc."""
    venue_key = inputs.choice("venue", venue, VENUE_KEYS)
    the_venue = VENUES[venue_key]
    side = inputs.choice("side", side, SIDES)
    contract = inputs.choice("contract", contract, CONTRACTS, default=LINEAR)
    margin_mode = inputs.choice("margin_mode", margin_mode, MARGIN_MODES, default="isolated")
    if contract not in the_venue.contracts:
        offered = " and ".join(the_venue.contracts)
        raise InputError("contract", f"{the_venue.name} is modelled here for {offered} contracts only.")

    entry = inputs.positive("entry_price", entry_price)
    qty = inputs.positive("quantity", quantity)
    notional = qty * entry if contract == LINEAR else qty / entry
    fee = inputs.rate("taker_fee_rate", taker_fee_rate, default=0.0)
    cross = margin_mode == "cross"

    if leverage is None and margin is None:
        raise InputError("leverage", _NO_LEVERAGE)
    lev = None if leverage is None else inputs.number("leverage", leverage)
    given_margin = None if margin is None else inputs.non_negative("margin", margin)
    if given_margin == 0 and lev is None:
        raise InputError("margin", "Margin must be greater than zero when no leverage is given.")

    table, rate, amount = _maintenance(the_venue, venue_key, maintenance_margin_rate, maintenance_amount, tiers)
    if lev is not None:
        cap = the_venue.max_leverage
        if table is not None:
            cap = min(cap, table.at(notional).max_leverage)
        _check_leverage(lev, cap, the_venue, table)
    elif given_margin is not None:
        lev = notional / given_margin
        if lev == 0 or not math.isfinite(lev):  # a tiny position against a huge margin (or the reverse)
            raise inputs.out_of_range({"margin": given_margin, "quantity": qty, "entry_price": entry})
    else:  # not reached: a missing leverage and margin are refused above (this branch narrows the type)
        raise InputError("leverage", _NO_LEVERAGE)

    s = 1 if side == "long" else -1
    initial = notional / lev + _opening_fees(the_venue, s, contract, notional, lev, fee)
    base_margin = initial if given_margin is None else given_margin
    extra = inputs.non_negative("extra_margin", extra_margin)
    if the_venue.extra_margin_fee_conversion:
        # Bybit UTA nets the fee to close out of added margin: a linear long divides by (1 - f),
        # while coin-margined contracts run the other way (long / (1 + f)), per Bybit's page.
        direction = s if contract == LINEAR else -s
        extra = extra / (1 - direction * fee)
    funding = inputs.optional_number("funding_paid", funding_paid)
    other_mm = inputs.non_negative("other_maintenance", other_maintenance)
    other_pnl = inputs.optional_number("other_unrealized_pnl", other_unrealized_pnl)
    if not cross and (other_mm or other_pnl):
        field = "other_maintenance" if other_mm else "other_unrealized_pnl"
        raise InputError(
            field, "Other positions only count in cross margin: switch margin mode to cross or clear this field."
        )

    _check_rate_plus_fee(the_venue, table, rate, fee)
    given = {
        "entry_price": entry,
        "quantity": qty,
        "leverage": lev if leverage is not None else None,
        "margin": given_margin,
        "maintenance_margin_rate": rate,
        "maintenance_amount": amount,
        "other_maintenance": other_mm,
        "other_unrealized_pnl": other_pnl,
        "extra_margin": extra,
        "taker_fee_rate": fee,
        "funding_paid": funding,
    }
    # Each input is finite, but products and sums of extreme ones (1e300 x 1e300, 1e-300 x 1e-300)
    # overflow or vanish; name the most extreme input rather than return an infinity or divide by zero.
    if not (inputs.finite(notional, lev, initial, extra) and notional > 0):
        raise inputs.out_of_range(given)
    position = _Position(the_venue, s, contract, entry, qty, base_margin + extra - funding, other_pnl, fee, other_mm)
    try:
        if not inputs.finite(position.margin, *_lines(position, rate, amount)):
            raise inputs.out_of_range(given)
        if table is not None:
            tier, price = _solve_with_tiers(position, table)
            rate, amount = tier.rate, tier.amount
        else:
            tier, price = None, _solve(position, rate, amount)
        _check_deduction(position, rate, amount, price, table)
        result = _result(
            position,
            price,
            rate,
            amount,
            tier,
            venue_key,
            side,
            margin_mode,
            lev,
            notional,
            initial,
            cross,
            fee,
            taker_fee_rate,
        )
    except (ArithmeticError, ValueError) as error:  # overflow, division by zero, a math domain error
        if isinstance(error, InputError):
            raise
        raise inputs.out_of_range(given) from None
    if not inputs.finite(*(getattr(result, name) for name in _NUMBER_FIELDS)):
        raise inputs.out_of_range(given)
    return result


_NO_LEVERAGE = "Leverage is missing: enter a leverage (e.g. 10) or the margin."

_NUMBER_FIELDS = (
    "price",
    "bankruptcy_price",
    "adverse_move",
    "initial_margin",
    "maintenance_margin",
    "loss_at_liquidation",
    "leverage",
    "notional",
    "margin",
    "maintenance_margin_rate",
    "maintenance_amount",
)


def _maintenance(
    venue: Venue, venue_key: str, rate: Raw, amount: Raw, tiers: Raw
) -> tuple[TierTable | None, float, float]:
    """(table, rate, amount): a tier table, or a flat rate with an optional deduction."""
    if tiers is not None:
        if rate is not None or amount is not None:
            field = "maintenance_margin_rate" if rate is not None else "maintenance_amount"
            raise InputError(field, "Give either a tier table or a maintenance rate, not both.")
        return resolve_tiers(venue_key, tiers), 0.0, 0.0
    if rate is None:
        raise InputError(
            "maintenance_margin_rate",
            "Maintenance margin rate is missing: enter the venue's rate (e.g. 0.005 for 0.5 %) or pick a tier preset.",
        )
    deduction = inputs.non_negative("maintenance_amount", amount)
    if deduction and not venue.maintenance_deduction:
        raise InputError(
            "maintenance_amount",
            f"{venue.name} has no maintenance amount (deduction) in its formula; leave this field empty or 0.",
        )
    return None, inputs.rate("maintenance_margin_rate", rate), deduction


def _check_deduction(p: "_Position", rate: float, amount: float, price: float | None, table: TierTable | None) -> None:
    """The deduction only offsets the rate's share of the bracket: this position's own maintenance must
    not go negative where liquidation (or, failing one, bankruptcy) happens. Otherwise liquidation would
    sit past the bankruptcy price, and the price shown would be meaningless."""
    if price is None:
        price = _solve(p, rate, amount, bankruptcy=True) or p.entry
    _, _, m0, m1 = _lines(p, rate, amount)
    x = price if p.contract == LINEAR else 1 / price
    own = m0 - p.other_maintenance + m1 * x
    charged = own + amount
    if own < -1e-12 * charged:
        field = "tiers" if table is not None else "maintenance_amount"
        raise InputError(
            field,
            f"The maintenance amount ({amount:,.6g}) is larger than the maintenance requirement it reduces "
            f"({charged:,.6g} at the liquidation price), which would put liquidation past the bankruptcy "
            "price. Use the amount your venue lists for this position's bracket.",
        )


def _check_leverage(lev: float, cap: float, venue: Venue, table: TierTable | None) -> None:
    if lev < 1:
        raise InputError("leverage", "Leverage must be at least 1 (1 means no borrowed exposure).")
    if lev > cap:
        where = (
            f"this position size in the {table.symbol} brackets" if table and cap < venue.max_leverage else venue.name
        )
        raise InputError("leverage", f"Leverage above {cap:g}x is not offered for {where}; enter {cap:g} or less.")


def _check_rate_plus_fee(venue: Venue, table: TierTable | None, rate: float, fee: float) -> None:
    """Venues that reserve the closing fee inside maintenance need rate + fee below 100 %."""
    if not venue.close_fee_in_maintenance:
        return
    highest = max(t.rate for t in table.tiers) if table is not None else rate
    if highest + fee >= 1:
        raise InputError(
            "taker_fee_rate",
            f"{venue.name} reserves the taker fee inside maintenance: the maintenance rate "
            "plus the taker fee must stay below 100 %.",
        )


def _opening_fees(venue: Venue, s: int, contract: str, notional: float, lev: float, fee: float) -> float:
    """Fees some venues add to the position margin on top of notional / leverage."""
    if venue.margin_fees == OPEN_AND_CLOSE_FEES:
        return 2 * fee * notional
    if venue.margin_fees == CLOSE_FEE_AT_BANKRUPTCY:
        # Fee to close at the bankruptcy price of the bare initial margin. The position's value
        # there is notional (1 - s/L) for linear contracts and notional (1 + s/L) for inverse
        # ones (in coin, a long's value rises as the price falls).
        direction = -s if contract == LINEAR else s
        return fee * notional * (1 + direction / lev)
    return 0.0


def _lines(p: _Position, rate: float, amount: float, *, bankruptcy: bool = False) -> tuple[float, float, float, float]:
    """Equity and maintenance as straight lines in X: (e0, e1, m0, m1) with
    equity = e0 + e1*X and maintenance = m0 + m1*X, where X = P (linear) or 1/P (inverse).

    Linear:   equity = M + U + s*Q*(P - E);    maintenance = rate*Q*(P or E) - cum + TMM
    Inverse:  equity = M + U + s*Q*(1/E - X);  maintenance = rate*Q*(X or 1/E) - cum + TMM
    For the bankruptcy price the equity line is the same and maintenance is zero: in cross margin the
    whole cross balance (wallet plus the other positions' PnL) stands behind the position (see
    CROSS_BANKRUPTCY for the sources).
    """
    venue, s, q, e = p.venue, p.s, p.quantity, p.entry
    constant = p.margin + p.other_pnl
    if p.contract == LINEAR:
        e0, e1, value_at_entry = constant - s * q * e, s * q, q * e
        on_mark = venue.linear_basis == MARK
    else:
        e0, e1, value_at_entry = constant + s * q / e, -s * q, q / e
        on_mark = venue.inverse_basis == MARK
    if bankruptcy:
        return e0, e1, 0.0, 0.0
    if venue.close_fee_in_maintenance:
        rate += p.fee
    if on_mark:
        return e0, e1, p.other_maintenance - amount, rate * q
    return e0, e1, rate * value_at_entry - amount + p.other_maintenance, 0.0


def _solve(p: _Position, rate: float, amount: float, *, bankruptcy: bool = False) -> float | None:
    """Root of equity = maintenance; None when it is not a positive, finite price."""
    e0, e1, m0, m1 = _lines(p, rate, amount, bankruptcy=bankruptcy)
    if e1 == m1:  # parallel lines: equity never meets maintenance
        return None
    x = (m0 - e0) / (e1 - m1)
    price = x if p.contract == LINEAR else 1 / x if x > 0 else x
    return price if 0 < price < math.inf else None


def state_at(result: "LiquidationResult", price: float) -> tuple[float, float]:
    """(equity, maintenance) of a computed position if the mark price were `price`.

    Uses the same lines the solver does, so a margin ratio (maintenance / equity) shown anywhere
    on the site reaches exactly 100 % at `result.price`.
    """
    p = result._position
    e0, e1, m0, m1 = _lines(p, result.maintenance_margin_rate, result.maintenance_amount)
    x = price if p.contract == LINEAR else 1 / price
    return e0 + e1 * x, m0 + m1 * x


def _notional_at(p: _Position, price: float | None) -> float:
    """Position value used to pick a bracket: at the liquidation price for mark-based venues."""
    basis = p.venue.linear_basis if p.contract == LINEAR else p.venue.inverse_basis
    if basis == ENTRY:
        price = p.entry
    if price is None:  # no liquidation price: the position's value there tends to zero
        return 0.0
    return p.quantity * price if p.contract == LINEAR else p.quantity / price


def _solve_with_tiers(p: _Position, table: TierTable) -> tuple[Tier, float | None]:
    """Resolve the bracket at the liquidation notional by iteration, with a scan as a backstop."""
    tier = table.at(_notional_at(p, p.entry))
    for _ in range(len(table.tiers) + 2):
        price = _solve(p, tier.rate, tier.amount)
        found = table.at(_notional_at(p, price))
        if found is tier:
            return tier, price
        tier = found
    # Continuous tables always converge; a hand-made table with jumps might not. Take the bracket
    # that is consistent with its own answer, else the lowest-notional one tried.
    for tier in table.tiers:
        price = _solve(p, tier.rate, tier.amount)
        notional = _notional_at(p, price)
        # A price exactly on a bracket edge belongs to both neighbours (the table is continuous
        # there); allow for the last bit of rounding.
        if tier.floor * (1 - 1e-9) <= notional <= tier.cap * (1 + 1e-9):
            return tier, price
    raise InputError(
        "tiers",
        "These brackets leave no consistent liquidation price; check that each bracket's maintenance amount "
        "continues the previous one.",
    )


def _result(
    p: _Position,
    price: float | None,
    rate: float,
    amount: float,
    tier: Tier | None,
    venue_key: str,
    side: str,
    margin_mode: str,
    lev: float,
    notional: float,
    initial: float,
    cross: bool,
    fee: float,
    raw_fee: Raw,
) -> LiquidationResult:
    venue, s, e = p.venue, p.s, p.entry
    linear = p.contract == LINEAR
    e0, e1, m0, m1 = _lines(p, rate, amount)
    x_entry = e if linear else 1 / e
    warnings = [CROSS_WARNING] if cross else []
    adverse: float | None
    loss: float | None

    value_at_entry = p.quantity * e if linear else p.quantity / e
    # The tolerance catches 1/L == m exactly, which rounding can leave one ulp above maintenance.
    if e0 + e1 * x_entry <= m0 + m1 * x_entry + 1e-12 * value_at_entry:
        warnings.append(
            "Zero buffer: the margin is already at or below the maintenance requirement at entry, "
            "so the position would be liquidated as soon as it opened. Lower the leverage or add margin."
        )
        adverse = 0.0
    elif price is None:
        adverse = None
        warnings.append(
            "No liquidation price above zero: the margin covers a fall all the way to zero."
            if s == 1
            else "No finite liquidation price: the margin covers any rise against this position."
        )
    else:
        adverse = max(0.0, s * (e - price) / e)

    if price is None:
        loss, maintenance = None, m0 + m1 * x_entry
    else:
        x_price = price if linear else 1 / price
        loss = max(0.0, e1 * (x_entry - x_price))  # equity at entry minus equity at the trigger
        maintenance = m0 + m1 * x_price

    if raw_fee is not None and fee > 0 and not venue.uses_taker_fee:
        warnings.append(
            f"{venue.name}'s liquidation formula does not include trading fees; the taker fee was not used."
        )
    if not linear:
        warnings.append("Inverse contract: margin, maintenance and losses are in the coin, not in dollars.")

    return LiquidationResult(
        price=price,
        bankruptcy_price=_solve(p, 0.0, 0.0, bankruptcy=True),
        adverse_move=adverse,
        initial_margin=initial,
        maintenance_margin=maintenance,
        loss_at_liquidation=loss,
        tier=tier,
        venue=venue_key,
        warnings=tuple(warnings),
        side=side,
        contract=p.contract,
        margin_mode=margin_mode,
        entry_price=e,
        quantity=p.quantity,
        leverage=lev,
        notional=notional,
        margin=p.margin,
        settlement="quote" if linear else "base",
        convention=venue.convention,
        maintenance_margin_rate=rate,
        maintenance_amount=amount,
        taker_fee_rate=fee,
        bankruptcy_basis=CROSS_BANKRUPTCY if cross else ISOLATED_BANKRUPTCY,
        _position=p,
    )

"""Liquidation of a lending position (Aave v3, Compound v3, Morpho Blue): one model, protocols as data.

A position holds collaterals (amount a_i, price p_i, liquidation threshold LT_i) and debts (amount d_j,
price q_j), all priced in one unit (US dollars for Aave's $2,000 rule). Its health factor is

    HF = sum(a_i p_i LT_i) / sum(d_j q_j)

and every protocol here allows a liquidation once HF < 1 (Aave ValidationLogic: `healthFactor <
HEALTH_FACTOR_LIQUIDATION_THRESHOLD`; Comet `isLiquidatable`: liquidity < 0; Morpho `_isHealthy`: maxBorrow >=
borrowed), so HF = 1 exactly is still safe. HF is linear in each collateral price and in 1 / each debt price, so
the price at which it reaches 1, with every other price held, is the root of a linear equation.

A debt priced in the same unit as the collateral (a stablecoin against ETH) only moves through its collateral;
a volatile debt (ETH borrowed against BTC) moves too, so `price_for_liquidation` names the one price that moves.
Interest accrual, oracle rounding and Aave's e-mode, isolation and dust rules are left out; prices are the
protocol's oracle prices, not a market's last trade.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from . import inputs
from .errors import InputError
from .inputs import Raw
from .protocols import (
    ABSORB_ALL,
    CLOSE_HALF_OF_RESERVE,
    CLOSE_HALF_OF_TOTAL,
    INCENTIVE_FROM_LLTV,
    LIQUIDATION_FACTOR,
    PROTOCOL_KEYS,
    PROTOCOLS,
    LendingProtocol,
    morpho_incentive_factor,
)

NO_DEBT = "No debt: cannot be liquidated."
MAX_ENTRIES = 50  # more collaterals or debts than any real account shows; a larger list is a mistake

_COLLATERAL_FIELDS = ("amount", "price", "liquidation_threshold", "liquidation_bonus", "liquidation_factor")
_DEBT_FIELDS = ("amount", "price")


# ---------------------------------------------------------------------------------------------
# Results.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HealthResult:
    protocol: str
    health_factor: float | None  # None when there is no debt
    liquidatable: bool  # health factor below 1
    collateral_value: float  # sum of amount x price
    liquidation_limit: float  # sum of amount x price x liquidation threshold: the debt value that makes HF = 1
    debt_value: float
    loan_to_value: float | None  # debt value / collateral value; None without collateral value
    meaning: str  # one plain sentence
    convention: str

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class PriceResult:
    protocol: str
    moving: str  # the price that moves, e.g. "collaterals.0" or "debts.1"; every other price is held
    direction: str  # "fall" (a collateral price) or "rise" (a debt price) is what hurts
    current_price: float
    price: float | None  # where the health factor reaches 1; None when no price above zero does
    move: float | None  # fraction the price must fall (or rise) to get there; 0 when already liquidatable
    health_factor: float | None
    meaning: str

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class LiquidationOutcome:
    protocol: str
    liquidatable: bool
    health_factor: float | None
    close_factor: float  # share of the targeted debt one liquidation may repay (0 when not liquidatable)
    close_factor_rule: str  # why that share
    repaid_amounts: tuple[float, ...]  # per debt, in the debt's own units
    seized_amounts: tuple[float, ...]  # per collateral, in the collateral's own units
    repaid_value: float  # value of debt repaid (Compound: the whole debt, part of it maybe from reserves)
    seized_value: float  # value of collateral taken from the borrower
    credited_value: float  # value the borrower is credited for it (= repaid value, except Compound)
    penalty_value: float  # seized minus credited: what the liquidation costs the borrower
    returned_value: float  # Compound: credit above the debt, left to the borrower in the base asset
    bad_debt_value: float  # debt left with no collateral behind it after this liquidation
    health_factor_after: float | None
    meaning: str

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {name: getattr(self, name) for name in self.__slots__}
        data["repaid_amounts"] = list(self.repaid_amounts)
        data["seized_amounts"] = list(self.seized_amounts)
        return data


# ---------------------------------------------------------------------------------------------
# Checked inputs.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Collateral:
    amount: float
    price: float
    threshold: float
    bonus: float  # 1 + bonus = collateral taken per unit of value repaid (Aave, Morpho)
    factor: float  # share of value credited on absorb (Compound)


@dataclass(frozen=True, slots=True)
class _Debt:
    amount: float
    price: float


@dataclass(frozen=True, slots=True)
class _Book:
    protocol: LendingProtocol
    collaterals: tuple[_Collateral, ...]
    debts: tuple[_Debt, ...]
    given: dict[str, float]  # field -> value, to name the likeliest culprit when figures overflow


def _label(field: str) -> str:
    """ "collaterals.0.amount" reads "Collateral 1: amount"."""
    parts = field.split(".")
    if len(parts) >= 2 and parts[0] in ("collaterals", "debts") and parts[1].isdigit():
        head = f"{'Collateral' if parts[0] == 'collaterals' else 'Debt'} {int(parts[1]) + 1}"
        return head if len(parts) == 2 else f"{head}: {parts[2].replace('_', ' ')}"
    return field.replace("_", " ").capitalize()


def _check(check: Callable[[str, Raw], float], field: str, value: Raw) -> float:
    """Run one of the `inputs` checks, with this module's readable name for the field in its message."""
    try:
        return check(field, value)
    except InputError as error:
        raise InputError(field, error.message.replace(inputs.label(field), _label(field))) from None


def _fraction(field: str, value: Raw, *, low_open: bool, high_closed: bool) -> float:
    result = _check(inputs.number, field, value)
    low_ok = result > 0 if low_open else result >= 0
    high_ok = result <= 1 if high_closed else result < 1
    if not (low_ok and high_ok):
        span = f"{'above' if low_open else 'from'} 0 up to {'and including' if high_closed else '(not including)'} 1"
        raise InputError(field, f"{_label(field)} must be a fraction {span}, e.g. 0.8 for 80 %; got {result:g}.")
    return result


def _entries(field: str, value: Raw, *, allow_empty: bool) -> list[Mapping[str, object]]:
    noun = "collateral" if field == "collaterals" else "debt"
    if value is None:
        if allow_empty:
            return []
        raise InputError(field, f"{_label(field)} are missing: add at least one {noun}.")
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InputError(field, f"{_label(field)} must be a list of {noun} entries (amount and price each).")
    if not value and not allow_empty:
        raise InputError(field, f"{_label(field)} are empty: add at least one {noun}.")
    if len(value) > MAX_ENTRIES:
        raise InputError(field, f"At most {MAX_ENTRIES} {noun} entries are accepted.")
    for index, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise InputError(f"{field}.{index}", f"{_label(f'{field}.{index}')} must have an amount and a price.")
    return list(value)


def _unknown_keys(field: str, entry: Mapping[str, object], known: Sequence[str]) -> None:
    for key in entry:
        if key not in known:
            shown = str(key)[:24]
            raise InputError(
                f"{field}.{shown}",
                f'"{shown}" is not a field of {_label(field).lower()}: use {", ".join(known)}.',
            )


def _protocol(value: Raw) -> LendingProtocol:
    return PROTOCOLS[inputs.choice("protocol", value, PROTOCOL_KEYS)]


def _book(protocol: Raw, collaterals: Raw, debts: Raw) -> _Book:
    proto = _protocol(protocol)
    raw_collaterals = _entries("collaterals", collaterals, allow_empty=False)
    raw_debts = _entries("debts", debts, allow_empty=True)
    if proto.max_collaterals is not None and len(raw_collaterals) > proto.max_collaterals:
        raise InputError("collaterals", f"A {proto.name} market takes one collateral asset: enter a single collateral.")
    if proto.max_debts is not None and len(raw_debts) > proto.max_debts:
        raise InputError("debts", f"A {proto.name} market lends one asset: enter a single debt.")

    given: dict[str, float] = {}
    checked_collaterals = []
    for index, entry in enumerate(raw_collaterals):
        field = f"collaterals.{index}"
        _unknown_keys(field, entry, _COLLATERAL_FIELDS)
        amount = _check(inputs.positive, f"{field}.amount", entry.get("amount"))
        price = _check(inputs.positive, f"{field}.price", entry.get("price"))
        threshold = _fraction(
            f"{field}.liquidation_threshold",
            entry.get("liquidation_threshold"),
            low_open=False,
            high_closed=proto.threshold_may_be_one,
        )
        bonus, factor = _penalty(proto, field, entry, threshold)
        given.update({f"{field}.amount": amount, f"{field}.price": price, f"{field}.liquidation_threshold": threshold})
        checked_collaterals.append(_Collateral(amount, price, threshold, bonus, factor))

    checked_debts = []
    for index, entry in enumerate(raw_debts):
        field = f"debts.{index}"
        _unknown_keys(field, entry, _DEBT_FIELDS)
        amount = _check(inputs.positive, f"{field}.amount", entry.get("amount"))
        price = _check(inputs.positive, f"{field}.price", entry.get("price"))
        given.update({f"{field}.amount": amount, f"{field}.price": price})
        checked_debts.append(_Debt(amount, price))
    return _Book(proto, tuple(checked_collaterals), tuple(checked_debts), given)


def _penalty(proto: LendingProtocol, field: str, entry: Mapping[str, object], threshold: float) -> tuple[float, float]:
    """(bonus, factor) for one collateral, from the input the protocol uses (and only that one)."""
    bonus_field, factor_field = f"{field}.liquidation_bonus", f"{field}.liquidation_factor"
    bonus_raw, factor_raw = entry.get("liquidation_bonus"), entry.get("liquidation_factor")
    if proto.penalty_rule == INCENTIVE_FROM_LLTV:
        if bonus_raw is not None or factor_raw is not None:
            raise InputError(
                bonus_field if bonus_raw is not None else factor_field,
                f"{proto.name} sets the liquidation incentive from the LLTV; leave this field empty.",
            )
        return morpho_incentive_factor(threshold) - 1, 1.0
    if proto.penalty_rule == LIQUIDATION_FACTOR:
        if bonus_raw is not None:
            raise InputError(
                bonus_field,
                f"{proto.name} has no liquidation bonus: enter the liquidation factor (e.g. 0.95) instead.",
            )
        if factor_raw is None:
            raise InputError(
                factor_field, f"{_label(factor_field)} is missing: enter the share of value credited, e.g. 0.95."
            )
        return 0.0, _fraction(factor_field, factor_raw, low_open=True, high_closed=True)
    if factor_raw is not None:
        raise InputError(
            factor_field, f"{proto.name} has no liquidation factor: enter the liquidation bonus (e.g. 0.05) instead."
        )
    if bonus_raw is None:
        raise InputError(bonus_field, f"{_label(bonus_field)} is missing: enter it as a fraction, e.g. 0.05 for 5 %.")
    bonus = _fraction(bonus_field, bonus_raw, low_open=False, high_closed=False)
    # PoolConfigurator.configureReserveAsCollateral: threshold x (1 + bonus) <= 100 %, so that a loan at the
    # threshold still has the collateral to pay the bonus.
    if proto.bonus_capped_by_threshold and threshold * (1 + bonus) > 1 + 1e-12:
        raise InputError(
            bonus_field,
            f"{proto.name} requires liquidation threshold x (1 + bonus) to stay at or below 100 %; "
            f"{threshold:g} x {1 + bonus:g} is above it.",
        )
    return bonus, 1.0


# ---------------------------------------------------------------------------------------------
# Sums that cannot overflow silently.
# ---------------------------------------------------------------------------------------------


def _product(book: _Book, fields: tuple[str, ...], *factors: float) -> float:
    """A product of checked inputs; an InputError naming the most extreme one if it overflows or vanishes."""
    result = 1.0
    for factor in factors:
        result *= factor
    if not math.isfinite(result) or (result == 0 and all(factor != 0 for factor in factors)):
        raise inputs.out_of_range({name: book.given[name] for name in fields if name in book.given})
    return result


def _finite(book: _Book, *values: float | None) -> None:
    if not inputs.finite(*values):
        raise inputs.out_of_range(book.given)


def _weighted(book: _Book, index: int) -> float:
    c, field = book.collaterals[index], f"collaterals.{index}"
    if c.threshold == 0:
        return 0.0
    return _product(
        book, (f"{field}.amount", f"{field}.price", f"{field}.liquidation_threshold"), c.amount, c.price, c.threshold
    )


def _collateral_value(book: _Book, index: int) -> float:
    c, field = book.collaterals[index], f"collaterals.{index}"
    return _product(book, (f"{field}.amount", f"{field}.price"), c.amount, c.price)


def _debt_value(book: _Book, index: int) -> float:
    d, field = book.debts[index], f"debts.{index}"
    return _product(book, (f"{field}.amount", f"{field}.price"), d.amount, d.price)


@dataclass(frozen=True, slots=True)
class _Totals:
    collateral_values: tuple[float, ...]
    weighted: tuple[float, ...]
    debt_values: tuple[float, ...]
    collateral_value: float
    limit: float
    debt_value: float
    health_factor: float | None


def _totals(book: _Book) -> _Totals:
    values = tuple(_collateral_value(book, i) for i in range(len(book.collaterals)))
    weighted = tuple(_weighted(book, i) for i in range(len(book.collaterals)))
    debts = tuple(_debt_value(book, j) for j in range(len(book.debts)))
    collateral, limit, debt = math.fsum(values), math.fsum(weighted), math.fsum(debts)
    _finite(book, collateral, limit, debt)
    health = None if debt == 0 else limit / debt
    _finite(book, health)
    return _Totals(values, weighted, debts, collateral, limit, debt, health)


# ---------------------------------------------------------------------------------------------
# Health factor.
# ---------------------------------------------------------------------------------------------


def health_factor(*, protocol: Raw = None, collaterals: Raw = None, debts: Raw = None) -> HealthResult:
    """Health factor of a position: collaterals weighted by their liquidation thresholds over the debt.

    `collaterals`: a list of {"amount", "price", "liquidation_threshold"} plus the protocol's penalty input
    ("liquidation_bonus" for Aave, e.g. 0.05; "liquidation_factor" for Compound v3, e.g. 0.95; none for Morpho
    Blue, whose incentive follows from the LLTV given as the liquidation threshold). `debts`: {"amount", "price"}.
    """
    book = _book(protocol, collaterals, debts)
    totals = _totals(book)
    hf = totals.health_factor
    if hf is None:
        meaning = NO_DEBT
    elif hf < 1:
        meaning = f"Health factor {hf:.4g}: below 1, so the position can be liquidated now."
    else:
        meaning = (
            f"Health factor {hf:.4g}: the debt can grow by a factor of {hf:.4g} (or the weighted collateral shrink "
            f"to 1/{hf:.4g} of its value) before liquidation."
        )
    ltv = None if totals.collateral_value == 0 else totals.debt_value / totals.collateral_value
    _finite(book, ltv)
    return HealthResult(
        protocol=book.protocol.key,
        health_factor=hf,
        liquidatable=hf is not None and hf < 1,
        collateral_value=totals.collateral_value,
        liquidation_limit=totals.limit,
        debt_value=totals.debt_value,
        loan_to_value=ltv,
        meaning=meaning,
        convention=book.protocol.convention,
    )


# ---------------------------------------------------------------------------------------------
# The price at which the health factor reaches 1.
# ---------------------------------------------------------------------------------------------


def _position_index(field: str, value: Raw, book: _Book, allowed: tuple[str, ...]) -> tuple[str, int]:
    """("collaterals", 0) from "collaterals.0"; an InputError naming `field` for anything else."""
    sizes = {"collaterals": len(book.collaterals), "debts": len(book.debts)}
    examples = " or ".join(f'"{kind}.0"' for kind in allowed)
    if not isinstance(value, str):
        raise InputError(field, f"{_label(field)} must name a position such as {examples}.")
    kind, _, number = value.strip().lower().partition(".")
    if kind not in allowed or not number.isdigit():
        raise InputError(field, f"{_label(field)} must name a position such as {examples}; got '{value.strip()[:24]}'.")
    index = int(number)
    if index >= sizes[kind]:
        noun = "collateral" if kind == "collaterals" else "debt"
        raise InputError(
            field, f"There is no {noun} {index + 1}: the position has {sizes[kind]} {noun} entries (counted from 0)."
        )
    return kind, index


def price_for_liquidation(
    *, protocol: Raw = None, collaterals: Raw = None, debts: Raw = None, moving: Raw = "collaterals.0"
) -> PriceResult:
    """The price of one collateral (or one debt) at which the health factor reaches 1, every other price held.

    `moving` names the price that moves: "collaterals.N" (what hurts is a fall) or "debts.N" (a rise, for a
    debt in a volatile asset). A collateral's price there is (debt value - other weighted collateral) / (amount x
    threshold); a debt's is (weighted collateral - other debt value) / amount.
    """
    book = _book(protocol, collaterals, debts)
    kind, index = _position_index("moving", moving, book, ("collaterals", "debts"))
    totals = _totals(book)
    hf = totals.health_factor
    moving_name = f"{kind}.{index}"
    if kind == "collaterals":
        current, direction = book.collaterals[index].price, "fall"
    else:
        current, direction = book.debts[index].price, "rise"

    def result(price: float | None, move: float | None, meaning: str) -> PriceResult:
        _finite(book, price, move)
        return PriceResult(book.protocol.key, moving_name, direction, current, price, move, hf, meaning)

    if hf is None:
        return result(None, None, NO_DEBT)
    already = hf < 1
    if kind == "collaterals":
        c = book.collaterals[index]
        others = math.fsum(w for i, w in enumerate(totals.weighted) if i != index)
        shortfall = totals.debt_value - others
        if c.threshold == 0:
            return result(None, None, "This collateral has a liquidation threshold of 0: its price does not count.")
        if shortfall <= 0:
            return result(
                None,
                None,
                "The other collateral covers the debt on its own: no price of this one triggers liquidation.",
            )
        field = f"collaterals.{index}"
        weight = _product(book, (f"{field}.amount", f"{field}.liquidation_threshold"), c.amount, c.threshold)
        price = shortfall / weight
        _finite(book, price)
        if price == 0:
            raise inputs.out_of_range(book.given)
        move = 0.0 if already else max(0.0, 1 - price / current)
        if already:
            meaning = f"Already liquidatable: the health factor would be back at 1 only at a price of {price:,.6g}."
        else:
            meaning = f"Liquidatable below {price:,.6g}, a fall of {move:.2%} from {current:,.6g}, other prices held."
        return result(price, move, meaning)

    d = book.debts[index]
    room = totals.limit - math.fsum(v for j, v in enumerate(totals.debt_values) if j != index)
    if room <= 0:
        return result(
            None, 0.0, "The other debts alone use up the liquidation limit: liquidatable at any price of this debt."
        )
    price = room / d.amount
    _finite(book, price)
    if price == 0:
        raise inputs.out_of_range(book.given)
    move = 0.0 if already else max(0.0, price / current - 1)
    if already:
        meaning = f"Already liquidatable: the health factor would be back at 1 only at a debt price of {price:,.6g}."
    else:
        meaning = (
            f"Liquidatable above {price:,.6g}: a rise of {move:.2%} in this debt's price from {current:,.6g}, "
            "other prices held."
        )
    return result(price, move, meaning)


# ---------------------------------------------------------------------------------------------
# One liquidation of the largest size allowed.
# ---------------------------------------------------------------------------------------------


def _close_factor(book: _Book, totals: _Totals, debt: int, collateral: int) -> tuple[float, str]:
    """(share of the targeted debt one liquidation may repay, why)."""
    proto, hf = book.protocol, totals.health_factor
    assert hf is not None  # only called for a liquidatable position
    if proto.close_rule not in (CLOSE_HALF_OF_TOTAL, CLOSE_HALF_OF_RESERVE):
        return 1.0, f"All of it: {proto.name} has no close factor."
    threshold = proto.full_close_at_or_below_hf
    if threshold is not None and hf <= threshold:
        return 1.0, f"All of it: the health factor is at or below {threshold:g}."
    small = proto.full_close_below_value
    if small is not None and min(totals.collateral_values[collateral], totals.debt_values[debt]) < small:
        return 1.0, f"All of it: the collateral or the debt position is worth less than {small:,.0f} (US dollars)."
    half = proto.default_close_factor
    if proto.close_rule == CLOSE_HALF_OF_RESERVE:
        return half, f"{half:.0%} of this debt (health factor above {threshold:g})."
    share = min(1.0, half * totals.debt_value / totals.debt_values[debt])
    return share, f"Up to {half:.0%} of the account's whole debt value (health factor above {threshold:g})."


def liquidation(
    *,
    protocol: Raw = None,
    collaterals: Raw = None,
    debts: Raw = None,
    repay: Raw = "debts.0",
    seize: Raw = "collaterals.0",
) -> LiquidationOutcome:
    """One liquidation of the largest size the protocol allows, at the prices given.

    Aave and Morpho: a liquidator repays part of one debt (`repay`) and takes one collateral (`seize`) worth
    the repaid value x (1 + bonus), capped by what that collateral holds. Compound v3: absorb takes every
    collateral and clears the whole debt, crediting each collateral's value x its liquidation factor.
    """
    book = _book(protocol, collaterals, debts)
    totals = _totals(book)
    hf = totals.health_factor
    n_collaterals, n_debts = len(book.collaterals), len(book.debts)
    nothing = (0.0,) * n_collaterals, (0.0,) * n_debts
    if hf is None or hf >= 1:
        meaning = NO_DEBT if hf is None else f"Health factor {hf:.4g} is at or above 1: no liquidation at these prices."
        return LiquidationOutcome(
            book.protocol.key,
            False,
            hf,
            0.0,
            meaning,
            nothing[1],
            nothing[0],
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            hf,
            meaning,
        )
    if book.protocol.close_rule == ABSORB_ALL:
        return _absorb(book, totals)

    _, j = _position_index("repay", repay, book, ("debts",))
    _, i = _position_index("seize", seize, book, ("collaterals",))
    c, d = book.collaterals[i], book.debts[j]
    share, rule = _close_factor(book, totals, j, i)
    repaid_value = totals.debt_values[j] * share
    seized_value = repaid_value * (1 + c.bonus)
    capped = seized_value >= totals.collateral_values[i]
    if capped:  # the collateral runs out first: take all of it, repay what it covers
        seized_value = totals.collateral_values[i]
        repaid_value = seized_value / (1 + c.bonus)
        seized_amount = c.amount
    else:
        seized_amount = seized_value / c.price
    repaid_amount = min(d.amount, repaid_value / d.price)

    collateral_left = totals.collateral_value - seized_value
    limit_left = math.fsum(w for k, w in enumerate(totals.weighted) if k != i) + (
        0.0 if capped else (c.amount - seized_amount) * c.price * c.threshold
    )
    debt_left = max(0.0, totals.debt_value - repaid_value)
    no_collateral_left = capped and n_collaterals == 1
    bad_debt = debt_left if no_collateral_left and debt_left > 0 else 0.0
    if bad_debt and book.protocol.writes_off_bad_debt:
        debt_left = 0.0
    hf_after = None if debt_left == 0 else max(0.0, limit_left) / debt_left
    _finite(book, repaid_value, seized_value, seized_amount, repaid_amount, collateral_left, hf_after)

    penalty = seized_value - repaid_value
    meaning = (
        f"{rule} A liquidator may repay {repaid_amount:,.6g} of this debt (worth {repaid_value:,.6g}) and take "
        f"{seized_amount:,.6g} of the collateral (worth {seized_value:,.6g}): the liquidation costs the borrower "
        f"{penalty:,.6g}."
    )
    if capped:
        meaning += " The collateral runs out before the allowed repayment is reached."
    if bad_debt:
        fate = "written off" if book.protocol.writes_off_bad_debt else "left on the account"
        meaning += f" No collateral is left: {bad_debt:,.6g} of debt is {fate}."
    repaid_amounts = tuple(repaid_amount if k == j else 0.0 for k in range(n_debts))
    seized_amounts = tuple(seized_amount if k == i else 0.0 for k in range(n_collaterals))
    return LiquidationOutcome(
        protocol=book.protocol.key,
        liquidatable=True,
        health_factor=hf,
        close_factor=share,
        close_factor_rule=rule,
        repaid_amounts=repaid_amounts,
        seized_amounts=seized_amounts,
        repaid_value=repaid_value,
        seized_value=seized_value,
        credited_value=repaid_value,
        penalty_value=penalty,
        returned_value=0.0,
        bad_debt_value=bad_debt,
        health_factor_after=hf_after,
        meaning=meaning,
    )


def _absorb(book: _Book, totals: _Totals) -> LiquidationOutcome:
    """Compound v3 absorb (Comet.absorbInternal): all collateral seized, whole debt cleared, each collateral
    credited at value x liquidationFactor; credit above the debt stays with the borrower, a shortfall is paid
    from the protocol's reserves."""
    credited = math.fsum(v * c.factor for v, c in zip(totals.collateral_values, book.collaterals, strict=True))
    returned = max(0.0, credited - totals.debt_value)
    shortfall = max(0.0, totals.debt_value - credited)
    penalty = totals.collateral_value - credited
    _finite(book, credited, returned, shortfall, penalty)
    rule = "All of it: absorb takes the whole account; Compound v3 has no close factor."
    meaning = (
        f"{rule} All collateral (worth {totals.collateral_value:,.6g}) is taken and credited at "
        f"{credited:,.6g}: the liquidation costs the borrower {penalty:,.6g}."
    )
    if returned:
        meaning += f" The debt is cleared and {returned:,.6g} is left to the borrower in the base asset."
    if shortfall:
        meaning += f" The credit falls {shortfall:,.6g} short of the debt; the protocol's reserves cover it."
    return LiquidationOutcome(
        protocol=book.protocol.key,
        liquidatable=True,
        health_factor=totals.health_factor,
        close_factor=1.0,
        close_factor_rule=rule,
        repaid_amounts=tuple(d.amount for d in book.debts),
        seized_amounts=tuple(c.amount for c in book.collaterals),
        repaid_value=totals.debt_value,
        seized_value=totals.collateral_value,
        credited_value=credited,
        penalty_value=penalty,
        returned_value=returned,
        bad_debt_value=shortfall,
        health_factor_after=None,
        meaning=meaning,
    )

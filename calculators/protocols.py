"""Lending protocols as data: what each one calls its thresholds, how much of a debt one liquidation may
repay, and what the borrower pays for it. `lending.py` holds the one model; the protocols differ only in
these fields. Every constant cites the protocol's own source (read 2026-12-01).
"""

from dataclasses import dataclass

# How much of a debt one liquidation may repay.
CLOSE_HALF_OF_TOTAL = "half-of-total-debt"  # Aave v3.3+: 50 % of the account's whole debt value
CLOSE_HALF_OF_RESERVE = "half-of-reserve-debt"  # Aave v3.0-v3.2: 50 % of the one debt being repaid
CLOSE_ANY_AMOUNT = "any-amount"  # Morpho Blue: up to all of the debt, in one call
ABSORB_ALL = "absorb-all"  # Compound v3: absorb takes every collateral and clears the whole debt

# What the borrower pays for a liquidation.
BONUS = "bonus"  # collateral seized = debt repaid x price ratio x (1 + bonus), bonus per collateral
INCENTIVE_FROM_LLTV = "incentive-from-lltv"  # Morpho Blue: the same, with 1 + bonus = LIF(LLTV)
LIQUIDATION_FACTOR = "liquidation-factor"  # Compound v3: collateral credited at value x liquidationFactor


@dataclass(frozen=True, slots=True)
class LendingProtocol:
    key: str
    name: str
    threshold_term: str  # the protocol's own name for the liquidation threshold
    close_rule: str
    penalty_rule: str
    convention: str  # one plain line on how this protocol liquidates
    sources: tuple[str, ...]
    default_close_factor: float = 1.0
    full_close_at_or_below_hf: float | None = None  # at or below this health factor, all of the debt may go
    full_close_below_value: float | None = None  # a collateral or debt position worth less: all of it may go
    threshold_may_be_one: bool = False  # Comet allows liquidateCollateralFactor = 1; the others stay below 1
    max_collaterals: int | None = None
    max_debts: int | None = None
    incentive_cursor: float | None = None  # Morpho's beta
    max_incentive_factor: float | None = None  # Morpho's maxLIF
    bonus_capped_by_threshold: bool = False  # Aave: threshold x (1 + bonus) must not exceed 100 %
    writes_off_bad_debt: bool = False  # debt left with no collateral at all is burned after the liquidation


# Aave v3 close factor. aave-dao/aave-v3-origin, src/contracts/protocol/libraries/logic/LiquidationLogic.sol
# (tags v3.3.0 to v3.6.0): DEFAULT_LIQUIDATION_CLOSE_FACTOR = 0.5e4 (50 %), CLOSE_FACTOR_HF_THRESHOLD = 0.95e18
# ("below (inclusive) which the full amount of debt becomes liquidatable"), MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD =
# 2000e8 (US dollars with 8 decimals: a collateral or debt position worth less may be liquidated in full).
# The older aave/aave-v3-core (v3.0) file has the same 50 % and 0.95 with MAX_LIQUIDATION_CLOSE_FACTOR = 1e4.
AAVE_DEFAULT_CLOSE_FACTOR = 0.5
AAVE_CLOSE_FACTOR_HF_THRESHOLD = 0.95
AAVE_MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD = 2000.0

# Morpho Blue. morpho-org/morpho-blue, src/libraries/ConstantsLib.sol: LIQUIDATION_CURSOR = 0.3e18 and
# MAX_LIQUIDATION_INCENTIVE_FACTOR = 1.15e18; src/Morpho.sol liquidate(): LIF = min(maxLIF, 1 / (1 - cursor x
# (1 - LLTV))), which is the docs' min(M, 1 / (beta x LLTV + (1 - beta))) with beta = 0.3, M = 1.15
# (https://docs.morpho.org/concepts/morpho-blue/core-concepts/liquidation/).
MORPHO_LIQUIDATION_CURSOR = 0.3
MORPHO_MAX_LIQUIDATION_INCENTIVE_FACTOR = 1.15

AAVE_SOURCES = (
    "https://aave.com/help/borrowing/liquidations",
    "https://docs.aave.com/developers/guides/liquidations",
    "https://github.com/aave-dao/aave-v3-origin/blob/v3.3.0/docs/3.3/Aave-v3.3-features.md",
    "https://github.com/aave-dao/aave-v3-origin/blob/main/src/contracts/protocol/libraries/logic/LiquidationLogic.sol",
)

PROTOCOLS: dict[str, LendingProtocol] = {
    "aave-v3": LendingProtocol(
        key="aave-v3",
        name="Aave v3",
        threshold_term="liquidation threshold",
        close_rule=CLOSE_HALF_OF_TOTAL,
        penalty_rule=BONUS,
        convention=(
            "Liquidatable below a health factor of 1. One liquidation repays one debt, up to half of the account's "
            "whole debt value, or all of it at a health factor of 0.95 or less or when the collateral or debt "
            "position is worth under $2,000 (rules since v3.3); the liquidator takes that value plus the "
            "collateral's liquidation bonus."
        ),
        sources=AAVE_SOURCES,
        default_close_factor=AAVE_DEFAULT_CLOSE_FACTOR,
        full_close_at_or_below_hf=AAVE_CLOSE_FACTOR_HF_THRESHOLD,
        full_close_below_value=AAVE_MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD,
        bonus_capped_by_threshold=True,
        writes_off_bad_debt=True,
    ),
    "aave-v3.0": LendingProtocol(
        key="aave-v3.0",
        name="Aave v3.0-v3.2",
        threshold_term="liquidation threshold",
        close_rule=CLOSE_HALF_OF_RESERVE,
        penalty_rule=BONUS,
        convention=(
            "Before v3.3: one liquidation repays up to half of the one debt it targets, or all of it at a health "
            "factor of 0.95 or less; the liquidator takes that value plus the collateral's liquidation bonus."
        ),
        sources=(
            "https://docs.aave.com/developers/guides/liquidations",
            "https://github.com/aave/aave-v3-core/blob/master/contracts/protocol/libraries/logic/LiquidationLogic.sol",
        ),
        default_close_factor=AAVE_DEFAULT_CLOSE_FACTOR,
        full_close_at_or_below_hf=AAVE_CLOSE_FACTOR_HF_THRESHOLD,
        bonus_capped_by_threshold=True,
    ),
    "compound-v3": LendingProtocol(
        key="compound-v3",
        name="Compound v3 (Comet)",
        threshold_term="liquidation collateral factor",
        close_rule=ABSORB_ALL,
        penalty_rule=LIQUIDATION_FACTOR,
        convention=(
            "Liquidatable when the debt exceeds the collateral weighted by its liquidation collateral factors. "
            "There is no close factor: absorb takes all the collateral, clears the whole debt and credits the "
            "collateral's value times its liquidation factor; any excess stays with the borrower in the base asset."
        ),
        sources=(
            "https://docs.compound.finance/liquidation/",
            "https://github.com/compound-finance/comet/blob/main/contracts/Comet.sol",
        ),
        threshold_may_be_one=True,  # Comet.sol: liquidateCollateralFactor <= MAX_COLLATERAL_FACTOR (= 1)
        max_debts=1,  # one borrowable base asset per Comet market
    ),
    "morpho-blue": LendingProtocol(
        key="morpho-blue",
        name="Morpho Blue",
        threshold_term="LLTV",
        close_rule=CLOSE_ANY_AMOUNT,
        penalty_rule=INCENTIVE_FROM_LLTV,
        convention=(
            "One collateral and one loan asset per market. Liquidatable when the debt exceeds the collateral value "
            "times the LLTV; a liquidator may repay any part of the debt, up to all of it, and takes that value "
            "times the liquidation incentive factor, set by the LLTV."
        ),
        sources=(
            "https://docs.morpho.org/concepts/morpho-blue/core-concepts/liquidation/",
            "https://github.com/morpho-org/morpho-blue/blob/main/src/Morpho.sol",
            "https://github.com/morpho-org/morpho-blue/blob/main/src/libraries/ConstantsLib.sol",
        ),
        max_collaterals=1,
        max_debts=1,
        incentive_cursor=MORPHO_LIQUIDATION_CURSOR,
        max_incentive_factor=MORPHO_MAX_LIQUIDATION_INCENTIVE_FACTOR,
        writes_off_bad_debt=True,  # Morpho.sol liquidate(): with no collateral left, the rest is realised as bad debt
    ),
}

PROTOCOL_KEYS = tuple(PROTOCOLS)


def morpho_incentive_factor(lltv: float) -> float:
    """Morpho Blue's liquidation incentive factor: min(maxLIF, 1 / (beta x LLTV + (1 - beta)))."""
    beta = MORPHO_LIQUIDATION_CURSOR
    return min(MORPHO_MAX_LIQUIDATION_INCENTIVE_FACTOR, 1 / (beta * lltv + (1 - beta)))

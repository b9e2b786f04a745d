"""Closed-loop proof of the heating-curve advisor on the simulator (issue 16 part 3).

A house on a curve 4 K too high and one 3 K too low: within a simulated fortnight of winter the advisor
says `lower` (resp. `raise`) by about that much; applying its advice keeps the room within 0.5 K of the
target at least 95 % of the (always occupied) time and, for the curve that was too high, takes less
electricity for the same weather. The right curve gets `ok`. The harness is in `tests/advisor_loop.py`;
`scripts/bench_advisor` prints the same runs' figures.
"""

from __future__ import annotations

from functools import cache

import pytest

from custom_components.heatpump_efficiency.analytics.advisor import Advice, AdviceReason

from .advisor_loop import FORTNIGHT_DAYS, Stretch, applied, run


@cache
def _run(shift_k: int) -> Stretch:
    """Each curve shift is simulated once for the whole module (about 15 s each)."""
    return run(shift_k)


def test_right_curve_is_ok_and_comfortable() -> None:
    right = _run(0)
    assert right.advice.advice is Advice.OK
    assert right.comfort_pct >= 95.0
    assert right.advice.days >= 5
    assert right.advice.bands >= 2


def test_curve_too_high_says_lower_and_applying_it_saves_electricity() -> None:
    high = _run(4)
    advice = high.advice
    assert advice.advice is Advice.LOWER
    assert advice.reason is AdviceReason.ROOMS_WARM
    assert advice.change_k is not None
    assert -5.0 <= advice.change_k <= -3.0
    assert high.advice_day is not None
    assert high.advice_day <= FORTNIGHT_DAYS
    # Lower flow, higher COP: the gain is expected, and positive.
    assert advice.cop_gain_pct is not None
    assert advice.cop_gain_pct > 0.0
    # The rooms were too warm all along.
    assert high.comfort_pct < 50.0
    after = _run(applied(4, advice))
    assert after.comfort_pct >= 95.0
    assert after.elec_kwh < 0.95 * high.elec_kwh
    assert after.cop > high.cop
    # Applied, the advice settles: nothing more to change.
    assert after.advice.advice is Advice.OK


def test_curve_too_low_says_raise_and_applying_it_restores_comfort() -> None:
    low = _run(-3)
    advice = low.advice
    assert advice.advice is Advice.RAISE
    assert advice.reason is AdviceReason.ROOMS_COLD
    assert advice.change_k is not None
    assert 2.0 <= advice.change_k <= 4.0
    assert low.advice_day is not None
    # Higher flow costs COP: the expected change says so.
    assert advice.cop_gain_pct is not None
    assert advice.cop_gain_pct < 0.0
    assert low.comfort_pct < 50.0
    after = _run(applied(-3, advice))
    assert after.comfort_pct >= 95.0
    assert after.advice.advice is Advice.OK


@pytest.mark.parametrize("shift_k", [4, -3])
def test_evidence_covers_mild_and_cold_bands(shift_k: int) -> None:
    bands = [b for b in _run(shift_k).advice.evidence if b.qualifies]
    assert min(b.low_c for b in bands) <= -4.0
    assert max(b.low_c for b in bands) >= 4.0

"""Tests of compressor starts, run lengths and the short-cycling alert."""

from __future__ import annotations

import pytest

from custom_components.heatpump_efficiency.analytics.cycling import counter_starts
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.analytics.results import (
    CyclingReason,
    Results,
)

from .synth import Spec, reading, readings


def run(spec: Spec) -> list[Results]:
    engine = Engine()
    return [engine.update(r) for r in readings(spec)]


def test_oversized_unit_short_cycles() -> None:
    history = run(Spec(hours=24, run_min=8, off_min=12, outdoor_c=12))
    last = history[-1]
    assert last.cycling.starts_per_hour == pytest.approx(3.0, rel=0.05)
    assert last.cycling.median_run_minutes == pytest.approx(8)
    assert last.cycling.short_cycling
    assert last.cycling.reason in {CyclingReason.STARTS, CyclingReason.SHORT_RUNS}
    # short runs are judged after six runs, starts per hour after six hours of data
    first = next(r for r in history if r.cycling.short_cycling)
    assert first.cycling.reason is CyclingReason.SHORT_RUNS


def test_many_starts_with_long_enough_runs() -> None:
    history = run(Spec(hours=24, run_min=20, off_min=20))
    assert history[-1].cycling.reason is CyclingReason.STARTS
    assert history[-1].cycling.median_run_minutes == pytest.approx(20)


def test_long_runs_are_fine() -> None:
    history = run(Spec(hours=24, run_min=90, off_min=30))
    last = history[-1]
    assert not any(r.cycling.short_cycling for r in history)
    assert last.cycling.starts_24h == 12
    assert last.cycling.median_run_minutes == pytest.approx(90)
    assert (
        last.cycling.current_run_minutes is None
        or last.cycling.current_run_minutes <= 90
    )


def test_start_counter_catches_starts_between_polls() -> None:
    engine = Engine()
    engine.update(reading(0, 10, 0, compressor_running=False, compressor_starts=100))
    result = engine.update(
        reading(5, 10, 0, compressor_running=False, compressor_starts=102)
    )
    assert result.today.compressor_starts == 2
    result = engine.update(
        reading(10, 1000, 3000, compressor_running=True, compressor_starts=103)
    )
    assert result.today.compressor_starts == 3  # the counter wins over the transition
    result = engine.update(
        reading(15, 1000, 3000, compressor_running=True, compressor_starts=1)
    )
    assert result.today.compressor_starts == 4  # counter reset: one start since


@pytest.mark.parametrize(
    ("reference", "current", "dt", "expected"),
    [
        (10, 12, 600, (2, 12)),
        (10, 0, 600, (0, 0)),
        (10, 9, 600, (0, 10)),
        (10, 500, 60, (0, 500)),
    ],
)
def test_counter_starts(
    reference: int, current: int, dt: float, expected: tuple[int, int]
) -> None:
    assert counter_starts(reference, current, dt) == expected


def test_run_across_a_gap_is_not_measured() -> None:
    engine = Engine()
    engine.update(reading(0, 10, 0, compressor_hz=0.0))
    engine.update(reading(1, 1000, 3000, compressor_hz=40.0))
    engine.update(reading(60, 1000, 3000, compressor_hz=40.0))  # 59 min gap
    result = engine.update(reading(61, 10, 0, compressor_hz=0.0))
    assert result.cycling.runs_completed == 0
    assert result.cycling.last_run_minutes is None

"""Scenario tests on traces recorded from the simulator (`python -m simulator.trace`).

Fixtures in tests/fixtures/analytics, recorded at 60 s steps with --seed 1:
cold_humid_24h (damp 0-3 °C), cold_humid_dirty_filter_24h (--fault dirty_filter),
warm_humid_24h and warm_humid_defrost_stuck_24h (--fault defrost_stuck, 8-11 °C),
oversized_24h (12 kW unit on a small, well-insulated house).
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import UTC, timedelta
import gzip
from pathlib import Path

import pytest

from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.analytics.replay import row_to_reading
from custom_components.heatpump_efficiency.analytics.results import (
    CyclingReason,
    DefrostReason,
    FilterReason,
    Results,
)
from custom_components.heatpump_efficiency.units.model import Reading

FIXTURES = Path(__file__).parents[1] / "fixtures" / "analytics"


def load(name: str, shift: timedelta = timedelta()) -> list[Reading]:
    with gzip.open(
        FIXTURES / f"{name}.csv.gz", "rt", encoding="utf-8", newline=""
    ) as handle:
        rows = list(csv.DictReader(handle))
    return [
        replace(r, time=r.time + shift)
        for r in (row_to_reading(row, UTC) for row in rows)
    ]


def run(trace: list[Reading]) -> list[Results]:
    engine = Engine()
    return [engine.update(r) for r in trace]


def test_frosty_humid_day_defrosts_without_alert() -> None:
    history = run(load("cold_humid_24h"))
    last = history[-1]
    assert last.lifetime.defrost_count >= 15
    assert last.lifetime.defrost_max_minutes < 15
    assert not any(r.defrost.excessive for r in history)
    assert last.lifetime.quality == ()
    assert last.lifetime.cop_combined is not None
    assert 2.0 < last.lifetime.cop_combined < 4.5


def test_energy_matches_the_simulators_meters() -> None:
    trace = load("cold_humid_24h")
    last = run(trace)[-1]
    # the simulator's powers are means over each 60 s step, so Σ P·60 s is its metered energy
    metered = (
        sum(r.elec_w.value for r in trace[1:] if r.elec_w is not None) * 60 / 3.6e6
    )
    assert last.lifetime.elec_kwh == pytest.approx(metered, rel=0.005)


def test_defrosts_at_nine_degrees_alert() -> None:
    history = run(load("warm_humid_defrost_stuck_24h"))
    alerts = [r for r in history if r.defrost.excessive]
    assert alerts
    assert alerts[0].defrost.reason is DefrostReason.WARM
    assert alerts[0].defrost.reason_detail is not None
    # the same weather without the fault: no defrosts, no alert
    healthy = run(load("warm_humid_24h"))
    assert healthy[-1].lifetime.defrost_count == 0
    assert not any(r.defrost.excessive for r in healthy)


def test_oversized_unit_short_cycles() -> None:
    last = run(load("oversized_24h"))[-1]
    assert last.cycling.short_cycling
    assert last.cycling.starts_per_hour is not None
    assert last.cycling.starts_per_hour > 1
    assert last.cycling.median_run_minutes is not None
    assert last.cycling.median_run_minutes < 15
    assert last.cycling.reason in {CyclingReason.STARTS, CyclingReason.SHORT_RUNS}
    # a unit that fits the house does not
    assert not run(load("cold_humid_24h"))[-1].cycling.short_cycling


def test_dirty_filter_drifts_cop_and_makes_the_filter_due() -> None:
    history = run(
        load("cold_humid_24h")
        + load("cold_humid_dirty_filter_24h", timedelta(hours=24))
    )
    last = history[-1]
    assert last.filter.due
    assert last.filter.reason is FilterReason.COP_DRIFT
    assert last.filter.cop_drift_pct is not None
    assert last.filter.cop_drift_pct < -10
    assert last.filter.days_since_clean < 30  # early: long before the calendar limit


def test_clean_filter_stays_within_the_drift_band() -> None:
    history = run(load("cold_humid_24h") + load("cold_humid_24h", timedelta(hours=24)))
    assert not any(r.filter.due for r in history)
    drift = history[-1].filter.cop_drift_pct
    assert drift is not None
    assert abs(drift) < 5

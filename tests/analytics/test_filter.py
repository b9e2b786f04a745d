"""Tests of filter maintenance: runtime, calendar, COP drift at comparable weather, and cleaning."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.heatpump_efficiency.analytics.config import EngineConfig
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.analytics.results import (
    FilterReason,
    Results,
)

from .synth import START, Spec, readings


def feed(engine: Engine, spec: Spec) -> Results:
    result = engine.results
    for r in readings(spec):
        if engine.results.time is not None and r.time <= engine.results.time:
            continue
        result = engine.update(r)
    return result


def test_runtime_interval() -> None:
    engine = Engine(EngineConfig(filter_interval_running_h=24))
    result = feed(engine, Spec(hours=12))
    assert not result.filter.due
    assert result.filter.running_hours_since_clean == pytest.approx(12)
    assert result.filter.running_hours_remaining == pytest.approx(12)
    # 24 h of running a day: the runtime limit comes before the calendar one
    assert result.filter.remaining_days_estimate == pytest.approx(0.5, abs=0.01)
    result = feed(engine, Spec(hours=36))
    assert result.filter.due
    assert result.filter.reason is FilterReason.RUNTIME
    assert result.filter.overdue_days == pytest.approx(0.5, abs=0.01)
    assert result.filter.remaining_days_estimate == 0


def test_calendar_interval_and_cleaning() -> None:
    engine = Engine(EngineConfig(filter_interval_days=1))
    result = feed(engine, Spec(hours=26, run_min=10, off_min=50))
    assert result.filter.due
    assert result.filter.reason is FilterReason.CALENDAR
    assert result.filter.due_since is not None
    cleaned_at = START + timedelta(hours=26)
    result = engine.filter_cleaned(cleaned_at)
    assert not result.filter.due
    assert result.filter.reason is None
    assert result.filter.last_cleaned == cleaned_at
    assert result.filter.running_hours_since_clean == 0
    assert result.filter.days_remaining == pytest.approx(1)


def test_cop_drift_at_the_same_outdoor_temperature_marks_due() -> None:
    engine = Engine()
    result = feed(engine, Spec(hours=12, outdoor_c=5, cop=3.5))
    assert result.filter.cop_drift_pct == pytest.approx(0, abs=0.5)
    # 14 % worse at the same weather
    result = feed(
        engine, Spec(start=START + timedelta(hours=12), hours=12, outdoor_c=5, cop=3.0)
    )
    assert result.filter.cop_drift_pct is not None
    assert result.filter.cop_drift_pct < -10
    assert result.filter.due
    assert result.filter.reason is FilterReason.COP_DRIFT


def test_lower_cop_in_colder_weather_is_not_drift() -> None:
    engine = Engine()
    feed(engine, Spec(hours=12, outdoor_c=7, cop=4.0))
    result = feed(
        engine, Spec(start=START + timedelta(hours=12), hours=24, outdoor_c=-5, cop=2.5)
    )
    assert not result.filter.due
    # colder bins only have a baseline so far: nothing comparable yet
    assert result.filter.cop_drift_pct is None or result.filter.cop_drift_pct > -10


def test_cleaning_relearns_the_baseline() -> None:
    engine = Engine()
    feed(engine, Spec(hours=12, outdoor_c=5, cop=3.5))
    feed(
        engine, Spec(start=START + timedelta(hours=12), hours=12, outdoor_c=5, cop=3.0)
    )
    assert engine.results.filter.due
    engine.filter_cleaned(START + timedelta(hours=24))
    result = feed(
        engine, Spec(start=START + timedelta(hours=24), hours=12, outdoor_c=5, cop=3.0)
    )
    assert not result.filter.due
    assert result.filter.cop_drift_pct == pytest.approx(0, abs=0.5)


def test_filter_cleaned_needs_an_aware_time() -> None:
    with pytest.raises(ValueError):
        Engine().filter_cleaned(START.replace(tzinfo=None))


def test_changing_the_bin_width_relearns() -> None:
    engine = Engine()
    feed(engine, Spec(hours=12, outdoor_c=5, cop=3.5))
    engine = engine.with_config(EngineConfig(filter_drift_bin_c=4))
    result = feed(
        engine, Spec(start=START + timedelta(hours=12), hours=12, outdoor_c=5, cop=3.0)
    )
    assert not result.filter.due  # the worse COP became the new baseline

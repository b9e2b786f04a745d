"""Tests of the engine as a whole: invariants, persistence round trip, bounded state, bad input."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import timedelta
import json
import math
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.heatpump_efficiency.analytics import state
from custom_components.heatpump_efficiency.analytics.config import EngineConfig
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.analytics.results import PeriodStats, Results
from custom_components.heatpump_efficiency.analytics.state import (
    STATE_VERSION,
    StateError,
)
from custom_components.heatpump_efficiency.units.model import Origin, Quantity, Reading

from .synth import START, Spec, reading, readings

SETTINGS = settings(max_examples=25, deadline=None)
DAY_SPEC = Spec(
    hours=36, outdoor_c=1, run_min=70, off_min=25, defrost_every_min=40, backup_w=0
)


def q(value: float) -> Quantity:
    return Quantity(value=value, origin=Origin.METERED)


def periods(result: Results) -> list[PeriodStats]:
    stats = [
        result.today,
        result.yesterday,
        result.rolling_24h,
        result.rolling_7d,
        result.rolling_30d,
        result.season,
        result.lifetime,
    ]
    return stats if result.last_season is None else [*stats, result.last_season]


def assert_sane(result: Results) -> None:
    """Every number is finite; energies, times and counts are never negative."""
    for stats in periods(result):
        for f in fields(stats):
            value = getattr(stats, f.name)
            if isinstance(value, (int, float)):
                assert math.isfinite(value), f.name
                if not f.name.startswith(
                    (
                        "heat_kwh",
                        "running_heat",
                        "system_heat",
                        "space_heat",
                        "dhw_heat",
                        "outdoor",
                        "cop",
                    )
                ):
                    assert value >= 0, f.name
            if f.name.startswith("cop") and value is not None:
                assert math.isfinite(value)
    json.dumps(result.as_dict(), allow_nan=False)


@pytest.mark.parametrize("split", [1, 300, 721, 1440, 2000])
def test_restore_mid_day_loses_and_doubles_nothing(split: int) -> None:
    trace = list(readings(DAY_SPEC))
    whole = Engine()
    for r in trace:
        expected = whole.update(r)
    first = Engine()
    for r in trace[:split]:
        first.update(r)
    stored = json.loads(json.dumps(first.to_dict(), allow_nan=False))
    second = Engine.from_dict(stored)
    assert second.results == first.results
    for r in trace[split:]:
        result = second.update(r)
    assert result == expected
    assert second.to_dict() == whole.to_dict()


def test_restart_gap_is_integrated_when_short() -> None:
    engine = Engine()
    engine.update(reading(0, 1000, 3000))
    engine = Engine.from_dict(engine.to_dict())
    result = engine.update(reading(10, 1000, 3000))
    assert result.today.elec_kwh == pytest.approx(1.0 / 6)
    engine = Engine.from_dict(engine.to_dict())
    result = engine.update(reading(40, 1000, 3000))  # 30 min: too long to integrate
    assert result.today.elec_kwh == pytest.approx(1.0 / 6)
    assert result.today.gap_hours == pytest.approx(0.5)


def test_state_size_is_bounded() -> None:
    engine = Engine()
    spec = Spec(
        hours=24 * 45, step_s=900, run_min=120, off_min=60, defrost_every_min=60
    )
    sizes = []
    for i, r in enumerate(readings(spec)):
        engine.update(r)
        if i in {96 * 35, 96 * 45}:
            sizes.append(len(json.dumps(engine.to_dict())))
    assert sizes[1] <= sizes[0] * 1.05
    assert sizes[1] < 20_000


def test_out_of_order_readings_are_ignored() -> None:
    engine = Engine()
    engine.update(reading(0, 1000, 3000))
    before = engine.update(reading(1, 1000, 3000))
    after = engine.update(reading(1, 5000, 3000))
    assert after.ignored_readings == 1
    assert after.today == before.today
    assert engine.update(reading(0.5, 1000, 3000)).ignored_readings == 2


def test_naive_time_is_rejected() -> None:
    with pytest.raises(ValueError):
        Engine().update(reading(0, 1000, 3000, start=START.replace(tzinfo=None)))


def test_empty_engine_has_results_and_round_trips() -> None:
    engine = Engine()
    assert engine.results.time is None
    assert engine.results.today.cop_combined is None
    restored = Engine.from_dict(engine.to_dict())
    assert restored.results == engine.results


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"version": "1"},
        {"version": STATE_VERSION + 1},
        {"version": STATE_VERSION},
        {"version": STATE_VERSION, "prev": {"t": 1.0}},
    ],
)
def test_unusable_state_raises_state_error(data: dict[str, Any]) -> None:
    with pytest.raises(StateError):
        Engine.from_dict(data)


def test_migration_hook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine()
    engine.update(reading(0, 1000, 3000))
    old = engine.to_dict()
    calls: list[int] = []

    def step(data: dict[str, Any]) -> dict[str, Any]:
        calls.append(data["version"])
        return data

    monkeypatch.setattr(state, "STATE_VERSION", STATE_VERSION + 1)
    monkeypatch.setitem(state.MIGRATIONS, STATE_VERSION, step)
    restored = Engine.from_dict(old)
    assert calls == [STATE_VERSION]
    assert restored.results.time == engine.results.time


def test_with_config_keeps_history() -> None:
    engine = Engine()
    for r in readings(Spec(hours=2)):
        engine.update(r)
    changed = engine.with_config(EngineConfig(starting_power_w=2000))
    assert changed.config.starting_power_w == 2000
    assert changed.results.today.elec_kwh == engine.results.today.elec_kwh


# --- properties ------------------------------------------------------------------------------

levels = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=4000), st.floats(min_value=1, max_value=6)
    ),
    min_size=2,
    max_size=30,
)


@SETTINGS
@given(knots=levels, factor=st.sampled_from([2, 5, 10]))
def test_cop_is_invariant_to_sampling_rate(
    knots: list[tuple[float, float]], factor: int
) -> None:
    """A piecewise-linear profile sampled at its knots or finer gives the same period COP."""
    step = 300.0

    def profile(fine: int) -> list[Reading]:
        out = []
        for i in range(len(knots) - 1):
            (e0, c0), (e1, c1) = knots[i], knots[i + 1]
            for j in range(fine):
                a = j / fine
                elec = e0 + (e1 - e0) * a
                heat = e0 * c0 + (e1 * c1 - e0 * c0) * a
                out.append(reading((i + a) * step / 60, elec, heat))
        e, c = knots[-1]
        out.append(reading((len(knots) - 1) * step / 60, e, e * c))
        return out

    coarse, fine = Engine(), Engine()
    for r in profile(1):
        a = coarse.update(r)
    for r in profile(factor):
        b = fine.update(r)
    assert b.lifetime.elec_kwh == pytest.approx(a.lifetime.elec_kwh, rel=1e-9, abs=1e-9)
    assert b.lifetime.heat_kwh == pytest.approx(a.lifetime.heat_kwh, rel=1e-9, abs=1e-9)
    if a.lifetime.cop_combined is None:
        assert b.lifetime.cop_combined is None
    else:
        assert b.lifetime.cop_combined == pytest.approx(
            a.lifetime.cop_combined, rel=1e-6
        )


@SETTINGS
@given(
    power=st.floats(min_value=0, max_value=10000),
    steps=st.lists(st.integers(min_value=1, max_value=3600), min_size=1, max_size=60),
)
def test_energy_is_conserved_except_in_gaps(power: float, steps: list[int]) -> None:
    engine = Engine()
    t = 0.0
    result = engine.update(reading(0, power, 3 * power))
    covered = 0.0
    for dt in steps:
        t += dt
        result = engine.update(reading(t / 60, power, 3 * power))
        if dt <= engine.config.max_gap_s:
            covered += dt
    assert result.lifetime.elec_kwh == pytest.approx(
        power * covered / 3.6e6, rel=1e-9, abs=1e-9
    )
    assert result.lifetime.data_hours + result.lifetime.gap_hours == pytest.approx(
        t / 3600
    )
    assert (
        sum(d.elec_kwh for d in [result.today, result.yesterday])
        <= result.lifetime.elec_kwh + 1e-9
    )


maybe = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.floats(min_value=-100, max_value=10000),
)


@st.composite
def wild_readings(draw: st.DrawFn) -> list[Reading]:
    out = []
    t = START
    for _ in range(draw(st.integers(min_value=1, max_value=40))):
        t += timedelta(
            seconds=draw(st.sampled_from([-60, 0, 1, 30, 60, 600, 1000, 7200, 200000]))
        )
        elec, heat, backup, counter = draw(maybe), draw(maybe), draw(maybe), draw(maybe)
        out.append(
            Reading(
                time=t,
                elec_w=None if elec is None else q(elec),
                heat_w=None if heat is None else q(heat),
                backup_w=None if backup is None else q(backup),
                elec_kwh=None if counter is None else q(counter),
                outdoor_c=draw(maybe),
                outdoor_rh=draw(maybe),
                flow_c=draw(maybe),
                return_c=draw(maybe),
                compressor_hz=draw(maybe),
                defrost=draw(st.one_of(st.none(), st.booleans())),
                compressor_starts=draw(st.one_of(st.none(), st.integers(0, 10**6))),
            )
        )
    return out


@settings(max_examples=60, deadline=None)
@given(wild_readings())
def test_never_negative_nan_or_infinite(trace: list[Reading]) -> None:
    engine = Engine()
    for r in trace:
        assert_sane(engine.update(r))
    json.dumps(engine.to_dict(), allow_nan=False)
    assert (
        Engine.from_dict(json.loads(json.dumps(engine.to_dict()))).results
        == engine.results
    )


@SETTINGS
@given(
    increments=st.lists(
        st.floats(min_value=0, max_value=0.05), min_size=2, max_size=40
    ),
    resets=st.sets(st.integers(min_value=1, max_value=39)),
)
def test_counter_resets_lose_at_most_the_reset_interval(
    increments: list[float], resets: set[int]
) -> None:
    """Energy from a counter that resets now and then: never negative, never more than was used."""
    engine = Engine()
    value = 1000.0
    engine.update(reading(0, elec_kwh=q(value), heat_kwh=q(3 * value)))
    for i, inc in enumerate(increments, start=1):
        value = inc if i in resets else value + inc
        result = engine.update(reading(i, elec_kwh=q(value), heat_kwh=q(3 * value)))
    assert 0 <= result.lifetime.elec_kwh <= sum(increments) + 1e-9
    if not resets:
        assert result.lifetime.elec_kwh == pytest.approx(sum(increments))


def test_backup_heater_results() -> None:
    engine = Engine()
    for r in readings(Spec(hours=2, backup_w=2000)):
        result = engine.update(r)
    assert result.backup.active is True
    assert result.backup.today_kwh == pytest.approx(4.0)
    assert result.backup.today_hours == pytest.approx(2.0)
    assert result.today.cop_combined == pytest.approx(3.5)
    assert result.today.cop_system == pytest.approx((4.2 * 2 + 4) / (3.2 * 2), rel=1e-6)
    assert result.backup.today_share_pct == pytest.approx(100 * 4 / (8.4 + 4))


def test_results_replace_is_frozen() -> None:
    result = Engine().results
    with pytest.raises(AttributeError):
        result.today.elec_kwh = 1.0  # type: ignore[misc]
    assert replace(result, ignored_readings=3).ignored_readings == 3

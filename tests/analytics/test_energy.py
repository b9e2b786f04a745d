"""Tests of energy integration: trapezoids, gaps, counters with resets, and clean samples."""

from __future__ import annotations

from datetime import timedelta
import itertools
import math

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.heatpump_efficiency.analytics.config import EngineConfig
from custom_components.heatpump_efficiency.analytics.counters import (
    Counters,
    CounterTrack,
    StepKind,
)
from custom_components.heatpump_efficiency.analytics.energy import (
    integrate,
    sample_from_reading,
)
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.analytics.meters import Meters
from custom_components.heatpump_efficiency.analytics.totals import Totals
from custom_components.heatpump_efficiency.units.model import Origin, Quantity, Reading

from .synth import START, reading

CONFIG = EngineConfig()


def q(value: float) -> Quantity:
    return Quantity(value=value, origin=Origin.METERED)


def _interval(
    first: Reading,
    second: Reading,
    counters: Counters | None = None,
    config: EngineConfig = CONFIG,
    *,
    d0: bool = False,
    d1: bool = False,
    meters: Meters | None = None,
) -> Totals:
    prev = sample_from_reading(first, config)
    cur = sample_from_reading(second, config)
    if counters is None:
        counters = Counters.empty()
        counters.elec.advance(prev.elec_kwh, prev.t, config.max_elec_kw)
        counters.heat.advance(prev.heat_kwh, prev.t, config.max_heat_kw)
    return integrate(
        prev,
        cur,
        counters,
        meters or Meters(),
        config,
        defrost_prev=d0,
        defrost_cur=d1,
    ).totals


def test_trapezoid_between_two_readings() -> None:
    out = _interval(reading(0, 1000, 3000), reading(10, 2000, 5000))
    assert out.elec_kwh == pytest.approx(1.5 * 10 / 60)
    assert out.heat_kwh == pytest.approx(4.0 * 10 / 60)
    assert out.data_s == 600
    assert out.gap_s == 0


def test_running_split_per_sample_half() -> None:
    # standby then running: only the running sample's half counts as running
    out = _interval(reading(0, 100, 0), reading(10, 1000, 3000))
    assert out.running_elec_kwh == pytest.approx(1.0 * 5 / 60)
    assert out.running_heat_kwh == pytest.approx(3.0 * 5 / 60)
    assert out.elec_kwh == pytest.approx(1.1 * 5 / 60)


def test_gap_is_not_integrated() -> None:
    out = _interval(reading(0, 1000, 3000), reading(16, 1000, 3000))
    assert out.elec_kwh == 0
    assert out.gap_s == 16 * 60
    assert out.data_s == 0


def test_counters_bridge_a_gap_and_win_over_power() -> None:
    first = reading(0, 1000, 3000, elec_kwh=q(10.0), heat_kwh=q(30.0))
    second = reading(60, 1000, 3000, elec_kwh=q(11.2), heat_kwh=q(33.0))
    out = _interval(first, second)
    assert out.elec_kwh == pytest.approx(1.2)
    assert out.heat_kwh == pytest.approx(3.0)
    assert out.gap_s == 3600
    assert out.running_elec_kwh == 0  # across a gap nobody knows when it ran


def test_negative_heat_in_defrost_is_counted_as_lost() -> None:
    out = _interval(reading(0, 1000, -2000), reading(2, 1000, -2000), d0=True, d1=True)
    assert out.heat_kwh == pytest.approx(-2.0 * 2 / 60)
    assert out.defrost_lost_kwh == pytest.approx(2.0 * 2 / 60)
    assert out.heat_gross_kwh == 0
    assert out.defrost_s == 120


T0 = START.timestamp()


@pytest.mark.parametrize(
    ("reference", "current", "kind", "kwh"),
    [
        (100.0, 101.5, StepKind.COUNTED, 1.5),  # normal increase
        (100.0, 0.4, StepKind.RESET, 0.4),  # reset to zero: what accrued since
        (100.0, 95.0, StepKind.HELD, None),  # 5 % down: jitter, unknown for now
        (100.0, 89.0, StepKind.RESET, None),  # 11 % down: a replaced meter
        (100.0, 500.0, StepKind.REJECTED, None),  # implausible jump
        (65535.0, 3.0, StepKind.RESET, 3.0),  # wrap
    ],
)
def test_counter_step(reference, current, kind, kwh) -> None:
    track = CounterTrack(value=reference, t=T0)
    step = track.advance(current, T0 + 3600, max_kw=10.0)
    assert step.kind is kind
    assert step.kwh == kwh


def test_counter_jitter_is_not_counted_twice() -> None:
    counters = Counters.empty()
    readings = [
        reading(0, elec_kwh=q(100.0), heat_kwh=q(0.0)),
        reading(1, elec_kwh=q(99.9), heat_kwh=q(0.0)),
        reading(2, elec_kwh=q(100.2), heat_kwh=q(0.0)),
    ]
    first = sample_from_reading(readings[0], CONFIG)
    counters.elec.advance(first.elec_kwh, first.t, CONFIG.max_elec_kw)
    counters.heat.advance(first.heat_kwh, first.t, CONFIG.max_heat_kw)
    total = 0.0
    for a, b in itertools.pairwise(readings):
        total += _interval(a, b, counters=counters).total_elec_kwh
    assert total == pytest.approx(0.2)


def test_counter_spike_counts_once_when_the_value_comes_back() -> None:
    track = CounterTrack(value=500.0, t=T0)
    assert track.advance(9999.0, T0 + 60, 30.0).kind is StepKind.REJECTED
    step = track.advance(500.5, T0 + 120, 30.0)
    assert (step.kind, step.kwh, step.since) == (StepKind.COUNTED, 0.5, T0)


def test_replaced_meter_counts_on_after_a_confirming_reading() -> None:
    track = CounterTrack(value=500.0, t=T0)
    assert track.advance(12000.0, T0 + 60, 30.0).kind is StepKind.REJECTED
    step = track.advance(12000.4, T0 + 120, 30.0)
    assert (step.kind, step.kwh) == (StepKind.COUNTED, pytest.approx(0.4))
    assert track.advance(12000.9, T0 + 180, 30.0).kwh == pytest.approx(0.5)


def test_sample_cleans_values() -> None:
    sample = sample_from_reading(
        reading(0, -5.0, math.nan, backup_w=q(5000.0), outdoor_c=math.inf), CONFIG
    )
    assert sample.elec_w == 0.0
    assert sample.heat_w is None
    assert sample.backup_w == 0.0  # never more than the total input
    assert sample.outdoor_c is None
    with pytest.raises(ValueError):
        sample_from_reading(
            reading(0, 1.0, 1.0, start=START.replace(tzinfo=None)), CONFIG
        )


def test_backup_flag_with_rated_power() -> None:
    config = EngineConfig(backup_rated_w=3000.0)
    sample = sample_from_reading(reading(0, 4000.0, 7000.0, backup_heater=True), config)
    assert sample.backup_w == 3000.0
    assert sample.backup_on is True
    assert sample.cop_running  # 1000 W of heat pump input is above 150 W


powers = st.floats(min_value=0, max_value=20000, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    p0=powers,
    p1=powers,
    h0=st.floats(min_value=-5000, max_value=30000),
    h1=st.floats(min_value=-5000, max_value=30000),
    minutes=st.floats(min_value=0.01, max_value=30),
)
def test_interval_totals_are_finite_and_consistent(p0, p1, h0, h1, minutes) -> None:
    out = _interval(reading(0, p0, h0), reading(minutes, p1, h1), d0=True, d1=True)
    for value in out.to_list():
        assert math.isfinite(value)
    assert out.elec_kwh >= 0
    assert 0 <= out.running_elec_kwh <= out.elec_kwh + 1e-12
    assert out.defrost_lost_kwh >= 0
    assert out.heat_gross_kwh >= 0
    assert out.heat_gross_kwh - out.defrost_lost_kwh == pytest.approx(
        out.heat_kwh, abs=1e-9
    )
    if minutes * 60 <= CONFIG.max_gap_s:
        assert out.elec_kwh == pytest.approx((p0 + p1) / 2 * minutes / 60 / 1000)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=2, max_size=30
    )
)
def test_counter_increments_are_never_negative_nor_implausible(values) -> None:
    track = CounterTrack(value=values[0], t=T0)
    for i, value in enumerate(values[1:], start=1):
        step = track.advance(value, T0 + 60 * i, max_kw=30.0)
        if step.kwh is not None:
            assert 0 <= step.kwh <= 30.0 * 60 / 3600 * i + 0.01


def test_counter_energy_split_by_tiny_powers_adds_up() -> None:
    """A counter's energy shared out by subnormal powers is counted once, not twice or not at all.

    Found by the stateful test: a meter jitter, then a rise shared by the halves' powers of
    2e-313 W and 0 W once gave 0.00016 kWh for an 0.00008 kWh rise.
    """
    engine = Engine()
    tiny = 2.2250738585e-313

    def at(seconds: float, power: float, counter: float) -> Reading:
        return Reading(
            time=START + timedelta(seconds=seconds),
            elec_w=q(power),
            heat_w=q(power * 3.5),
            elec_kwh=q(counter),
            outdoor_c=3.0,
        )

    engine.update(at(0, 0.0, 1000.0))
    engine.update(at(1, tiny, 1000.0 - 0.00390625))  # jitter: held
    result = engine.update(at(2, -5.0, 1000.00008))
    assert result.meters.elec_kwh == pytest.approx(0.00008, rel=1e-9)

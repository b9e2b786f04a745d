"""Tests of energy integration: trapezoids, gaps, counters with resets, and clean samples."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.heatpump_efficiency.analytics.config import EngineConfig
from custom_components.heatpump_efficiency.analytics.energy import (
    CounterRefs,
    counter_delta,
    integrate,
    sample_from_reading,
)
from custom_components.heatpump_efficiency.analytics.totals import Totals
from custom_components.heatpump_efficiency.units.model import Origin, Quantity, Reading

from .synth import START, reading

CONFIG = EngineConfig()


def q(value: float) -> Quantity:
    return Quantity(value=value, origin=Origin.METERED)


def _interval(
    first: Reading,
    second: Reading,
    refs: CounterRefs | None = None,
    config: EngineConfig = CONFIG,
    *,
    d0: bool = False,
    d1: bool = False,
) -> Totals:
    prev = sample_from_reading(first, config)
    cur = sample_from_reading(second, config)
    refs = refs or CounterRefs(elec_kwh=prev.elec_kwh, heat_kwh=prev.heat_kwh)
    return integrate(
        prev,
        cur,
        refs,
        config,
        defrost_prev=d0,
        defrost_cur=d1,
    )


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


@pytest.mark.parametrize(
    ("reference", "current", "expected"),
    [
        (100.0, 101.5, (1.5, 101.5)),  # normal increase
        (100.0, 0.4, (0.4, 0.4)),  # reset to zero: what accrued since the reset
        (100.0, 99.9, (0.0, 100.0)),  # jitter: nothing, keep the higher reference
        (100.0, 500.0, (0.0, 500.0)),  # implausible jump: nothing
        (65535.0, 3.0, (3.0, 3.0)),  # wrap
    ],
)
def test_counter_delta(reference, current, expected) -> None:
    assert counter_delta(reference, current, max_delta=10.0) == expected


def test_counter_jitter_is_not_counted_twice() -> None:
    refs = CounterRefs(elec_kwh=100.0)
    readings = [
        reading(0, elec_kwh=q(100.0), heat_kwh=q(0.0)),
        reading(1, elec_kwh=q(99.9), heat_kwh=q(0.0)),
        reading(2, elec_kwh=q(100.2), heat_kwh=q(0.0)),
    ]
    total = 0.0
    for first, second in itertools.pairwise(readings):
        total += _interval(first, second, refs=refs).elec_kwh
    assert total == pytest.approx(0.2)


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
def test_counter_increments_are_never_negative(values) -> None:
    reference = values[0]
    for value in values[1:]:
        delta, reference = counter_delta(reference, value, max_delta=50.0)
        assert 0 <= delta <= 50.0

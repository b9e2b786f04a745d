"""Tests of the heating-curve advisor: decisions, setbacks, restarts, the COP basis and its stored state."""

from __future__ import annotations

from collections.abc import Callable
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import json
import math
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.heatpump_efficiency.analytics.advisor import (
    Advice,
    AdviceReason,
    AdvisorConfig,
    CopBasis,
    HeatingCurveAdvisor,
    band_low,
    carnot_cop,
)
from custom_components.heatpump_efficiency.analytics.checks import StateError

START = datetime(2026, 1, 5, tzinfo=UTC)
STEP = timedelta(minutes=10)
UA_KW = 0.18  # the synthetic house: 180 W/K, 300 W of free gains, emitters 240 W/K
GAINS_KW = 0.3


def outdoor_of(t: datetime) -> float:
    """Alternate cold (-4 °C) and mild (+6 °C) days, with a small daily swing."""
    day = (t - START).days
    mean = -4.0 if day % 2 else 6.0
    return mean + 1.0 * math.sin(t.hour / 24 * 2 * math.pi)


def feed(
    advisor: HeatingCurveAdvisor,
    days: float,
    *,
    room_offset_k: float = 0.0,
    target: Callable[[datetime], float] = lambda _t: 21.0,
    backup_w: float = 0.0,
    start: datetime = START,
    setting: str | None = "curve_shift:0",
    room: Callable[[datetime, float], float] | None = None,
) -> datetime:
    """Feed a house whose rooms sit `room_offset_k` off a 21 °C target, heating all the time."""
    t = start
    end = start + timedelta(days=days)
    while t < end:
        out = outdoor_of(t)
        room_c = 21.0 + room_offset_k if room is None else room(t, out)
        demand_kw = UA_KW * (room_c - out) - GAINS_KW
        flow = room_c + demand_kw / 0.24
        advisor.update(
            t,
            outdoor_c=out,
            room_c=room_c,
            room_target_c=target(t),
            flow_c=flow,
            heating_enabled=True,
            space_heating=True,
            heat_w=demand_kw * 1000.0,
            backup_w=backup_w,
            backup_on=backup_w > 0.0,
            setting=setting,
        )
        t += STEP
    return t


def test_no_advice_without_enough_days() -> None:
    advisor = HeatingCurveAdvisor()
    assert advisor.result().advice is Advice.NOT_ENOUGH_DATA
    feed(advisor, 3, room_offset_k=2.0)
    result = advisor.result()
    assert result.advice is Advice.NOT_ENOUGH_DATA
    assert result.change_k is None
    # Days count in bands with enough evidence: the one cold day's band has a single day.
    assert result.days == 2
    assert result.evidence  # the evidence is shown while it builds up


def test_warm_rooms_at_mild_and_cold_bands_say_lower() -> None:
    advisor = HeatingCurveAdvisor()
    feed(advisor, 7, room_offset_k=2.0)
    result = advisor.result()
    assert result.advice is Advice.LOWER
    assert result.reason is AdviceReason.ROOMS_WARM
    # The heat balance of the synthetic house: each kelvin of room needs about 1.75 K of flow.
    assert result.change_k == pytest.approx(-3.5, abs=0.5)
    assert result.cop_basis is CopBasis.CARNOT  # no performance curve given
    assert result.cop_gain_pct is not None
    assert result.cop_gain_pct > 0.0
    assert result.bands >= 2
    assert result.evidence_since is None


def test_rooms_on_target_are_ok() -> None:
    advisor = HeatingCurveAdvisor()
    feed(advisor, 7, room_offset_k=0.1)
    assert advisor.result().advice is Advice.OK


def test_warm_only_at_mild_bands_is_not_lower() -> None:
    advisor = HeatingCurveAdvisor()
    feed(advisor, 7, room=lambda _t, out: 22.5 if out > 2.0 else 21.0)
    assert advisor.result().advice is Advice.OK


def test_cold_rooms_at_cold_bands_say_raise() -> None:
    advisor = HeatingCurveAdvisor()
    feed(advisor, 7, room=lambda _t, out: 19.5 if out < 2.0 else 21.0)
    result = advisor.result()
    assert result.advice is Advice.RAISE
    assert result.reason is AdviceReason.ROOMS_COLD
    assert result.change_k is not None
    assert result.change_k > 0.0
    assert result.cop_gain_pct is not None
    assert result.cop_gain_pct < 0.0


def test_backup_heater_at_cold_bands_says_raise_and_blocks_lower() -> None:
    advisor = HeatingCurveAdvisor()
    feed(advisor, 7, room_offset_k=0.0, backup_w=800.0)
    result = advisor.result()
    assert result.advice is Advice.RAISE
    assert result.reason is AdviceReason.BACKUP_HEATER
    assert result.change_k is not None
    assert result.change_k > 0.0


def test_setbacks_are_compared_with_the_target_in_force() -> None:
    """A night setback to 18 °C with the room coasting at 20 °C is not a warm room."""

    def night(t: datetime) -> float:
        return 18.0 if t.hour < 6 or t.hour >= 22 else 21.0

    def coasting(t: datetime, _out: float) -> float:
        return 20.0 if t.hour < 6 or t.hour >= 22 else 21.0

    advisor = HeatingCurveAdvisor()
    feed(advisor, 7, target=night, room=coasting)
    result = advisor.result()
    assert result.advice is Advice.OK
    # Setback hours and the 3 h of recovery after them are left out: 13 h a day, plus the first
    # night, before any higher target was seen.
    hours = sum(b.hours for b in result.evidence)
    assert hours == pytest.approx(7 * 13 + 6, abs=0.5)


def test_a_changed_setting_restarts_the_evidence() -> None:
    advisor = HeatingCurveAdvisor()
    t = feed(advisor, 7, room_offset_k=2.0, setting="curve_shift:4")
    assert advisor.result().advice is Advice.LOWER
    # The user applied the advice: the old evidence says nothing about the new curve.
    feed(advisor, 1, room_offset_k=0.0, start=t, setting="curve_shift:0")
    result = advisor.result()
    assert result.advice is Advice.NOT_ENOUGH_DATA
    assert result.evidence_since == t
    # An unknown setting (None) is not a change.
    feed(advisor, 6, room_offset_k=0.0, start=t + timedelta(days=1), setting=None)
    assert advisor.result().advice is Advice.OK


def test_only_the_window_counts() -> None:
    advisor = HeatingCurveAdvisor(AdvisorConfig(window_days=7))
    t = feed(advisor, 7, room_offset_k=2.0)
    t = feed(advisor, 7, room_offset_k=0.0, start=t)
    assert advisor.result().advice is Advice.OK
    assert max(b.days for b in advisor.result().evidence) <= 7


def test_gaps_and_bad_values_add_nothing() -> None:
    advisor = HeatingCurveAdvisor()
    t = START
    for value in (math.nan, math.inf, -math.inf, 1e300, None):
        advisor.update(
            t,
            outdoor_c=value,
            room_c=value,
            room_target_c=value,
            flow_c=value,
            heating_enabled=True,
            space_heating=True,
            heat_w=value,
            backup_w=value,
        )
        t += STEP
    # A reading from the past, and one after a long gap, are not booked.
    advisor.update(
        START,
        outdoor_c=0.0,
        room_c=21.0,
        room_target_c=21.0,
        flow_c=35.0,
        heating_enabled=True,
        space_heating=True,
    )
    assert advisor.to_dict()["cells"] == []


@dataclass(frozen=True)
class FakeBand:
    """A performance-curve band: what the advisor reads of `CurveBand`."""

    lift_k: float | None
    cop: float | None
    elec_kwh: float
    heat_kwh: float


def test_cop_gain_from_the_units_own_curve() -> None:
    advisor = HeatingCurveAdvisor()
    feed(advisor, 7, room_offset_k=2.0)
    # COP falls 0.1 per kelvin of lift: 4.0 at 25 K.
    bands = [
        FakeBand(
            lift_k=lift, cop=4.0 - 0.1 * (lift - 25.0), elec_kwh=20.0, heat_kwh=60.0
        )
        for lift in (20.0, 25.0, 30.0)
    ]
    result = advisor.result(bands)
    assert result.cop_basis is CopBasis.UNIT_DATA
    assert result.change_k is not None
    assert result.cop_gain_pct == pytest.approx(
        100.0 * (-0.1 * result.change_k) / 4.0, abs=0.1
    )
    # Too little energy per band, or a COP that rises with lift: the Carnot rule instead.
    thin = [
        FakeBand(lift_k=b.lift_k, cop=b.cop, elec_kwh=1.0, heat_kwh=3.0) for b in bands
    ]
    fresh = HeatingCurveAdvisor()
    feed(fresh, 7, room_offset_k=2.0)
    assert fresh.result(thin).cop_basis is CopBasis.CARNOT


def test_carnot_rule() -> None:
    # 35 °C flow at 0 °C: (39 + 273.15) / (39 + 6)
    assert carnot_cop(35.0, 0.0) == pytest.approx(312.15 / 45.0)
    assert carnot_cop(35.0, 0.0) < carnot_cop(31.0, 0.0)
    assert band_low(-0.1) == -2
    assert band_low(1.9) == 0
    assert band_low(-99.0) == -30
    assert band_low(99.0) == 28


def test_state_round_trip() -> None:
    advisor = HeatingCurveAdvisor()
    t = feed(advisor, 7, room_offset_k=2.0)
    stored = json.loads(json.dumps(advisor.to_dict()))
    restored = HeatingCurveAdvisor.from_dict(stored)
    assert restored.to_dict() == advisor.to_dict()
    assert restored.result() == advisor.result()
    # The restored advisor keeps learning (and restarts on a changed setting).
    feed(restored, 1, start=t, setting="curve_shift:1")
    assert restored.result().evidence_since == t


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(version=99), "version"),
        (lambda d: d.pop("cells"), "cells"),
        (lambda d: d["cells"][0].__setitem__(2, -1.0), "enabled_s"),
        (lambda d: d["cells"][0].__setitem__(1, 3), "band"),
        (lambda d: d["cells"][0].pop(), "values"),
        (lambda d: d["cells"].append(list(d["cells"][0])), "out of place"),
        (lambda d: d.update(setting=5), "setting"),
        (lambda d: d.update(targets=[[1.0]]), "targets"),
        (lambda d: d["cells"][0].__setitem__(5, math.nan), "nan"),
    ],
)
def test_damaged_state_is_refused(
    mutate: Callable[[dict[str, Any]], None], message: str
) -> None:
    advisor = HeatingCurveAdvisor()
    feed(advisor, 2, room_offset_k=1.0)
    stored = json.loads(json.dumps(advisor.to_dict()))
    mutate(stored)
    with pytest.raises(StateError, match=message):
        HeatingCurveAdvisor.from_dict(stored)


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(raw=_json)
def test_hostile_state_raises_state_error_only(raw: Any) -> None:
    with contextlib.suppress(StateError):
        HeatingCurveAdvisor.from_dict(raw)


@settings(max_examples=100, deadline=None)
@given(
    cells=st.lists(
        st.lists(
            st.floats(allow_nan=True, allow_infinity=True)
            | st.integers(-(10**6), 10**6),
            min_size=14,
            max_size=14,
        ),
        max_size=5,
    )
)
def test_hostile_cells_raise_state_error_or_give_finite_advice(
    cells: list[list[Any]],
) -> None:
    raw = {
        "version": 1,
        "setting": None,
        "since": None,
        "raised_at": None,
        "newest_day": 800_000,
        "targets": [],
        "cells": cells,
    }
    try:
        advisor = HeatingCurveAdvisor.from_dict(raw)
    except StateError:
        return
    _assert_finite(advisor)


_value = st.none() | st.floats(allow_nan=True, allow_infinity=True)


@settings(max_examples=60, deadline=None)
@given(
    samples=st.lists(
        st.tuples(
            st.integers(0, 4000), _value, _value, _value, _value, _value, st.booleans()
        ),
        min_size=1,
        max_size=60,
    )
)
def test_hostile_readings_never_raise_and_give_finite_figures(
    samples: list[tuple[int, Any, Any, Any, Any, Any, bool]],
) -> None:
    advisor = HeatingCurveAdvisor(
        AdvisorConfig(
            min_days=1, min_band_days=1, min_band_hours=0.0, min_band_running_h=0.0
        )
    )
    t = START
    for seconds, out, room, target, flow, heat, running in samples:
        t += timedelta(seconds=seconds)
        advisor.update(
            t,
            outdoor_c=out,
            room_c=room,
            room_target_c=target,
            flow_c=flow,
            heating_enabled=True,
            space_heating=running,
            heat_w=heat,
            backup_w=heat,
            backup_on=running,
        )
    _assert_finite(advisor)
    HeatingCurveAdvisor.from_dict(json.loads(json.dumps(advisor.to_dict())))


def _assert_finite(advisor: HeatingCurveAdvisor) -> None:
    result = advisor.result()
    for value in (result.change_k, result.cop_gain_pct):
        assert value is None or math.isfinite(value)
    if result.change_k is not None:
        assert abs(result.change_k) <= advisor.config.max_change_k
    for band in result.evidence:
        for figure in (
            band.hours,
            band.room_minus_target_k,
            band.flow_c,
            band.demand_kw,
            band.backup_share_pct,
            band.needed_k,
        ):
            assert figure is None or math.isfinite(figure)

"""Tests of the performance curve learner: bands, weighting, exclusions, gaps, seasons and stored state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
import math
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.heatpump_efficiency.analytics.checks import StateError
from custom_components.heatpump_efficiency.analytics.curve import (
    BAND_COUNT,
    BAND_WIDTH_K,
    MIN_BAND_ELEC_KWH,
    CurveBand,
    PerformanceCurve,
    band_index,
)
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    Origin,
    Quantity,
    Reading,
)

from .synth import START, Spec, readings


def q(value: float) -> Quantity:
    return Quantity(value=value, origin=Origin.METERED)


def feed(
    trace: Iterable[Reading],
    engine: Engine | None = None,
    curve: PerformanceCurve | None = None,
) -> tuple[Engine, PerformanceCurve]:
    """Feed readings through an engine and a curve, as the coordinator does."""
    engine = engine or Engine()
    curve = curve or PerformanceCurve(engine.config)
    for r in trace:
        curve.update(r, engine.update(r))
    return engine, curve


def only(curve: PerformanceCurve) -> CurveBand:
    (band,) = curve.bands()
    return band


def test_steady_running_fills_one_band() -> None:
    _, curve = feed(readings(Spec(hours=24, outdoor_c=5.0, elec_w=1200, cop=3.5)))
    band = only(curve)
    assert band.low_c == 4.0
    assert band.days == 2  # the last interval ends at midnight, on the second day
    assert band.running_hours == pytest.approx(24.0)
    assert band.elec_kwh == pytest.approx(28.8)
    assert band.cop == pytest.approx(3.5)
    assert band.heat_kw == pytest.approx(4.2)
    assert band.flow_c == pytest.approx(35.0)
    assert band.lift_k == pytest.approx(30.0)
    assert band.backup_kwh == 0.0
    assert curve.heat_weighted_flow_c() == pytest.approx(35.0)
    assert curve.heat_weighted_lift_k() == pytest.approx(30.0)


def test_empty_curve() -> None:
    curve = PerformanceCurve()
    assert curve.bands() == ()
    assert curve.last_season_bands() == ()
    assert curve.heat_weighted_flow_c() is None
    assert curve.heat_weighted_lift_k() is None
    assert PerformanceCurve.from_dict(curve.to_dict()).to_dict() == curve.to_dict()


@pytest.mark.parametrize(
    ("outdoor", "low"),
    [
        (-40.0, -30.0),
        (-30.0, -30.0),
        (-0.5, -2.0),
        (0.0, 0.0),
        (1.99, 0.0),
        (29.9, 28.0),
        (45.0, 28.0),
    ],
)
def test_band_edges_and_clamping(outdoor: float, low: float) -> None:
    assert -30.0 + band_index(outdoor) * BAND_WIDTH_K == low
    assert 0 <= band_index(outdoor) < BAND_COUNT


def test_bands_follow_outdoor_temperature_and_sorted() -> None:
    engine, curve = feed(readings(Spec(hours=6, outdoor_c=7.0, cop=4.0)))
    start = START + timedelta(hours=6, minutes=1)
    feed(readings(Spec(start=start, hours=6, outdoor_c=-3.0, cop=2.5)), engine, curve)
    cold, mild = curve.bands()
    assert (cold.low_c, mild.low_c) == (-4.0, 6.0)
    assert cold.cop == pytest.approx(2.5, rel=1e-3)
    assert mild.cop == pytest.approx(4.0, rel=1e-3)
    # Cold heat output is lower here only because the spec keeps electricity fixed.
    assert cold.heat_kw == pytest.approx(3.0, rel=1e-2)


def test_flow_and_lift_are_weighted_by_heat() -> None:
    """Two equal stretches at 30 and 40 °C flow, the second with three times the heat: mean 37.5 °C."""
    t = START
    trace = []
    for minute in range(240):
        hot = minute >= 120
        trace.append(
            Reading(
                time=t + timedelta(minutes=minute),
                elec_w=q(1000.0),
                heat_w=q(6000.0 if hot else 2000.0),
                flow_c=40.0 if hot else 30.0,
                outdoor_c=0.0,
                compressor_hz=40.0,
            )
        )
    band = only(feed(trace)[1])
    # The one interval across the switch mixes both temperatures and heats.
    assert band.flow_c == pytest.approx(37.5, abs=0.05)
    assert band.lift_k == pytest.approx(37.5, abs=0.05)


def _mode_trace(**fields: Any) -> list[Reading]:
    return [
        Reading(
            time=START + timedelta(minutes=m),
            elec_w=q(1000.0),
            heat_w=q(-3000.0 if fields.get("mode") is OperatingMode.COOL else 3000.0),
            flow_c=35.0,
            outdoor_c=2.0,
            compressor_hz=40.0,
            **fields,
        )
        for m in range(180)
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"dhw_active": True},
        {"mode": OperatingMode.COOL},
        {"cooling_active": True, "mode": OperatingMode.AUTO},
    ],
)
def test_hot_water_and_cooling_are_left_out(fields: dict[str, Any]) -> None:
    engine, curve = feed(_mode_trace(**fields))
    assert engine.results.meters.elec_kwh > 2.9
    assert curve.bands() == ()


def test_hot_water_runs_between_heating_runs_are_left_out() -> None:
    trace = [
        Reading(
            time=START + timedelta(minutes=m),
            elec_w=q(1000.0),
            heat_w=q(3000.0),
            flow_c=50.0 if 60 <= m < 120 else 35.0,
            outdoor_c=2.0,
            compressor_hz=40.0,
            dhw_active=60 <= m < 120,
        )
        for m in range(181)
    ]
    band = only(feed(trace)[1])
    # 59 + 60 one-minute intervals of space heating; those touching hot water count for nothing.
    assert band.running_hours == pytest.approx(119 / 60)
    assert band.flow_c == pytest.approx(35.0)


def test_standby_adds_nothing_and_run_edges_count_half() -> None:
    _, curve = feed(readings(Spec(hours=12, run_min=30, off_min=30, standby_w=15.0)))
    band = only(curve)
    # Running from minute 0 to 29 of each hour: 29 whole intervals, and the two with a stopped end
    # (into the stop and into the next start) count half each.
    assert band.running_hours == pytest.approx(12 * 30 / 60)
    assert band.cop is not None
    assert band.cop < 3.5  # the stop intervals' standby electricity has no heat


def test_defrosts_count_their_cost_but_carry_no_flow_weight() -> None:
    plain = only(feed(readings(Spec(hours=24, outdoor_c=1.0)))[1])
    frosty = only(
        feed(
            readings(Spec(hours=24, outdoor_c=1.0, defrost_every_min=55, defrost_min=5))
        )[1]
    )
    assert plain.cop is not None and frosty.cop is not None
    # Each hour: 5 minutes of electricity for no heat, and 2500 W taken back from the water.
    assert frosty.cop < plain.cop * 0.9
    assert frosty.running_hours == pytest.approx(plain.running_hours)
    # Flow falls during defrosts, but those intervals deliver no heat: the mean hardly moves.
    assert frosty.flow_c is not None and frosty.flow_c > 34.0


def test_backup_heater_is_taken_out_at_cop_one() -> None:
    band = only(feed(readings(Spec(hours=4, elec_w=1000, cop=3.0, backup_w=2000)))[1])
    assert band.cop == pytest.approx(3.0)
    assert band.backup_kwh == pytest.approx(8.0)
    assert band.elec_kwh == pytest.approx(4.0)


def test_too_little_electricity_gives_no_band_cop() -> None:
    minutes = int(MIN_BAND_ELEC_KWH * 60) - 10  # at 1 kW
    trace = list(readings(Spec(hours=minutes / 60, elec_w=1000)))
    band = only(feed(trace)[1])
    assert band.elec_kwh < MIN_BAND_ELEC_KWH
    assert band.cop is None
    assert band.heat_kw is not None  # more than an hour of running
    more = only(feed(readings(Spec(hours=minutes / 60 + 0.5, elec_w=1000)))[1])
    assert more.cop == pytest.approx(3.5)


def test_gap_adds_nothing() -> None:
    first = list(readings(Spec(hours=2)))
    later = list(readings(Spec(start=START + timedelta(hours=5), hours=2)))
    engine, curve = feed([*first, *later])
    engine.flush()
    band = only(curve)
    # The engine confirms the reading after the gap together with the next one: that first
    # interval goes with the gap.
    assert band.running_hours == pytest.approx(4.0 - 1 / 60)
    assert band.elec_kwh == pytest.approx((4.0 - 1 / 60) * 1.2)


def test_short_gap_with_counters_adds_nothing_but_keeps_following() -> None:
    """Counters bridge a 20-minute outage in the engine; the curve books nothing for it."""
    trace = []
    kwh = 100.0
    for minute in range(241):
        if 40 <= minute < 60:
            kwh += 1 / 60
            continue
        trace.append(
            Reading(
                time=START + timedelta(minutes=minute),
                elec_kwh=q(kwh),
                heat_kwh=q(3 * kwh),
                outdoor_c=3.0,
                flow_c=33.0,
                compressor_hz=40.0,
            )
        )
        kwh += 1 / 60
    engine, curve = feed(trace)
    band = only(curve)
    assert engine.results.meters.space_elec_kwh == pytest.approx(4.0)
    assert band.elec_kwh == pytest.approx(4.0 - 21 / 60)
    assert band.cop == pytest.approx(3.0)


def test_clock_going_back_adds_nothing() -> None:
    first = list(readings(Spec(hours=2)))
    back = list(readings(Spec(start=START + timedelta(hours=1), hours=1)))
    _, curve = feed([*first, *back])
    band = only(curve)
    # The engine re-anchors on the third reading behind; from then on the curve follows again.
    assert band.running_hours == pytest.approx(2.0 + (60 - 2) / 60)


def test_counter_reset_adds_nothing_negative() -> None:
    trace = []
    for minute in range(121):
        kwh = minute / 20 if minute < 60 else (minute - 60) / 20
        trace.append(
            Reading(
                time=START + timedelta(minutes=minute),
                elec_kwh=q(50 + kwh if minute < 60 else kwh),
                heat_kwh=q(150 + 3 * kwh if minute < 60 else 3 * kwh),
                outdoor_c=3.0,
                compressor_hz=40.0,
            )
        )
    band = only(feed(trace)[1])
    assert 0 < band.elec_kwh <= 6.0
    assert band.cop == pytest.approx(3.0)


def test_days_count_distinct_local_days() -> None:
    _, curve = feed(readings(Spec(hours=50)))
    assert only(curve).days == 3


def test_season_restarts_and_keeps_the_one_before() -> None:
    start = datetime(2025, 8, 31, 20, 0, tzinfo=UTC)
    engine, curve = feed(readings(Spec(start=start, hours=8, outdoor_c=15.0)))
    (last,) = curve.last_season_bands()
    (now,) = curve.bands()
    # The interval ending at midnight belongs to the day (and season) it ends in.
    assert last.running_hours == pytest.approx(239 / 60)
    assert now.running_hours == pytest.approx(241 / 60)
    restored = PerformanceCurve.from_dict(json.loads(json.dumps(curve.to_dict())))
    assert restored.last_season_bands() == curve.last_season_bands()
    # A whole season without data in between leaves no "last season" (2027-28 follows 2025-26).
    feed(readings(Spec(start=datetime(2028, 1, 5, tzinfo=UTC), hours=1)), engine, curve)
    assert curve.last_season_bands() == ()


@pytest.mark.parametrize("split", [1, 37, 60, 200, 719])
def test_restart_in_pieces_matches_one_run(split: int) -> None:
    trace = list(readings(Spec(hours=12, run_min=40, off_min=20, defrost_every_min=30)))
    _, whole = feed(trace)
    engine, curve = feed(trace[:split])
    engine = Engine.from_dict(json.loads(json.dumps(engine.to_dict())))
    curve = PerformanceCurve.from_dict(
        json.loads(json.dumps(curve.to_dict())), engine.config
    )
    feed(trace[split:], engine, curve)
    assert curve.bands() == whole.bands()


def test_restored_engine_without_its_curve_starts_the_curve_afresh() -> None:
    trace = list(readings(Spec(hours=4)))
    engine, _ = feed(trace[:100])
    _, curve = feed(trace[100:], engine)
    assert only(curve).running_hours == pytest.approx((len(trace) - 101) / 60)


def test_curve_kept_when_engine_starts_afresh() -> None:
    trace = list(readings(Spec(hours=4)))
    _, curve = feed(trace[:120])
    before = only(curve)
    feed(trace[120:], Engine(), curve)
    after = only(curve)
    # The fresh engine's meters start at zero: that first interval is dropped, then it follows.
    assert after.running_hours == pytest.approx(
        before.running_hours + (len(trace) - 121) / 60
    )


def _valid_state() -> dict[str, Any]:
    return feed(readings(Spec(hours=3)))[1].to_dict()


def _damaged(change: Any) -> dict[str, Any]:
    state = _valid_state()
    change(state)
    return state


@pytest.mark.parametrize(
    "state",
    [
        None,
        [],
        {},
        _damaged(lambda s: s.update(version=2)),
        _damaged(lambda s: s.pop("season")),
        _damaged(lambda s: s.update(season="x")),
        _damaged(lambda s: s["season"][0].__setitem__(0, 3.0)),  # not a band edge
        _damaged(lambda s: s["season"].append(list(s["season"][0]))),  # repeated band
        _damaged(lambda s: s["season"][0].__setitem__(4, math.nan)),
        _damaged(lambda s: s["season"][0].__setitem__(4, -1.0)),
        _damaged(lambda s: s["season"][0].__setitem__(5, math.inf)),
        _damaged(lambda s: s["season"][0].__setitem__(1, 1.5)),
        _damaged(lambda s: s["season"][0].__setitem__(1, True)),
        _damaged(lambda s: s["season"][0].__setitem__(2, None)),  # days without a day
        _damaged(lambda s: s["season"][0].__setitem__(8, 1e6)),  # flow of 1e6 / heat
        _damaged(lambda s: s["season"][0].__setitem__(7, 1e8)),  # weight above heat
        _damaged(lambda s: s["season"][0].pop()),
        _damaged(lambda s: s.update(season=[s["season"][0]] * 40)),
        _damaged(lambda s: s["base"].__setitem__(0, 5.0)),
        _damaged(lambda s: s["base"].__setitem__(5, "yes")),
        _damaged(lambda s: s["base"].__setitem__(7, 1e4)),
        _damaged(lambda s: s.update(base=[1.0])),
        _damaged(lambda s: s.update(season_key=None)),
        _damaged(lambda s: s.update(last_season={})),
    ],
)
def test_damaged_state_raises_state_error(state: Any) -> None:
    with pytest.raises(StateError):
        PerformanceCurve.from_dict(state)


def test_state_is_bounded() -> None:
    trace = [
        replace(r, outdoor_c=-40 + (i % 90))
        for i, r in enumerate(readings(Spec(hours=48)))
    ]
    _, curve = feed(trace)
    state = curve.to_dict()
    assert len(state["season"]) == BAND_COUNT
    assert len(json.dumps(state)) < 8000


maybe = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.floats(min_value=-100, max_value=10000),
)
counter = st.one_of(st.none(), st.floats(min_value=0, max_value=1e5), st.just(math.nan))


@st.composite
def hostile(draw: st.DrawFn) -> list[Reading]:
    out = []
    t = START
    for _ in range(draw(st.integers(min_value=1, max_value=40))):
        t += timedelta(
            seconds=draw(
                st.sampled_from([-3600, -60, 0, 1, 30, 60, 600, 1000, 7200, 200000])
            )
        )
        elec, heat, backup = draw(maybe), draw(maybe), draw(maybe)
        e_kwh, h_kwh = draw(counter), draw(counter)
        out.append(
            Reading(
                time=t,
                elec_w=None if elec is None else q(elec),
                heat_w=None if heat is None else q(heat),
                backup_w=None if backup is None else q(backup),
                elec_kwh=None if e_kwh is None else q(e_kwh),
                heat_kwh=None if h_kwh is None else q(h_kwh),
                outdoor_c=draw(maybe),
                flow_c=draw(maybe),
                compressor_hz=draw(maybe),
                defrost=draw(st.one_of(st.none(), st.booleans())),
                dhw_active=draw(st.one_of(st.none(), st.booleans())),
                mode=draw(st.one_of(st.none(), st.sampled_from(OperatingMode))),
            )
        )
    return out


def assert_sane(curve: PerformanceCurve, engine: Engine) -> None:
    meters = engine.results.meters
    bands = curve.bands()
    assert [b.low_c for b in bands] == sorted({b.low_c for b in bands})
    for band in bands:
        for name in ("running_hours", "elec_kwh", "heat_kwh", "backup_kwh"):
            value = getattr(band, name)
            assert math.isfinite(value) and value >= 0, name
        assert band.days >= 1
        assert band.cop is None or 0 <= band.cop <= 15
        for name in ("heat_kw", "flow_c", "lift_k"):
            value = getattr(band, name)
            assert value is None or math.isfinite(value), name
        assert band.flow_c is None or -100 <= band.flow_c <= 150
    # Never more than the engine's own space-heating meters.
    assert sum(b.elec_kwh + b.backup_kwh for b in bands) <= meters.space_elec_kwh + 1e-6
    assert sum(b.heat_kwh for b in bands) <= meters.space_heat_kwh + 1e-6


@settings(max_examples=60, deadline=None)
@given(hostile(), st.integers(min_value=0, max_value=40))
def test_hostile_sequences_stay_sane_and_restart_in_pieces(
    trace: list[Reading], split: int
) -> None:
    engine, whole = feed(trace)
    assert_sane(whole, engine)
    first, piece = feed(trace[:split])
    again = Engine.from_dict(json.loads(json.dumps(first.to_dict(), allow_nan=False)))
    piece = PerformanceCurve.from_dict(
        json.loads(json.dumps(piece.to_dict(), allow_nan=False)), again.config
    )
    feed(trace[split:], again, piece)
    assert_sane(piece, again)
    assert piece.bands() == whole.bands()
    assert piece.to_dict() == whole.to_dict()


def test_intervals_without_heat_are_left_out() -> None:
    """Electricity while heat is unknown is in no COP, so it is in no band either."""
    trace = [
        Reading(
            time=START + timedelta(minutes=m),
            elec_w=q(1000.0),
            heat_w=None if 60 <= m < 120 else q(3000.0),
            flow_c=35.0,
            outdoor_c=2.0,
            compressor_hz=40.0,
        )
        for m in range(241)
    ]
    engine, curve = feed(trace)
    band = only(curve)
    assert engine.results.lifetime.unmatched_elec_kwh > 0.9
    # 59 whole intervals before the outage and 120 after it; those touching it count for nothing.
    assert band.running_hours == pytest.approx(179 / 60)
    assert band.cop == pytest.approx(3.0)


def test_unit_without_heat_learns_no_curve() -> None:
    trace = [
        Reading(
            time=START + timedelta(minutes=m),
            elec_w=q(1000.0),
            outdoor_c=2.0,
            compressor_hz=40.0,
        )
        for m in range(600)
    ]
    engine, curve = feed(trace)
    assert engine.results.meters.elec_kwh > 9.9
    assert curve.bands() == ()

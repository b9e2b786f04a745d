"""Issue 11 reproductions at engine level: glitches, gaps, clock jumps, cooling, damaged state, counter drops."""

from __future__ import annotations

from collections.abc import Iterator
import copy
from datetime import datetime, timedelta
import json
import math
from pathlib import Path
from typing import Any

import pytest

from custom_components.heatpump_efficiency.analytics.config import EngineConfig
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.analytics.preheat import PreheatLearner
from custom_components.heatpump_efficiency.analytics.results import Quality, Results
from custom_components.heatpump_efficiency.analytics.state import (
    STATE_VERSION,
    StateError,
)
from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    Origin,
    Quantity,
    Reading,
)

from .synth import START, Spec, readings

FIXTURES = Path(__file__).parent / "fixtures"


def q(value: float) -> Quantity:
    return Quantity(value=value, origin=Origin.METERED)


def steady(
    minutes: int,
    *,
    start: datetime = START,
    step_s: float = 30.0,
    elec_w: float = 1000.0,
    cop: float = 3.5,
    counter_from: float | None = None,
    **fields: Any,
) -> Iterator[Reading]:
    """A unit running steadily: elec_w in, cop x elec_w out, an optional counter that follows it."""
    steps = int(minutes * 60 / step_s)
    for i in range(steps + 1):
        t = start + timedelta(seconds=i * step_s)
        counter = (
            None
            if counter_from is None
            else q(round(counter_from + elec_w * i * step_s / 3.6e6, 6))
        )
        yield Reading(
            time=t,
            elec_w=q(elec_w),
            heat_w=q(elec_w * cop),
            elec_kwh=counter,
            compressor_hz=40.0,
            **fields,
        )


def run(engine: Engine, trace: Iterator[Reading] | list[Reading]) -> Results:
    result = engine.results
    for reading in trace:
        result = engine.update(reading)
    return result


def finite_everywhere(result: Results, engine: Engine) -> None:
    """Every published and stored number is finite."""
    json.dumps(result.as_dict(), allow_nan=False)
    json.dumps(engine.to_dict(), allow_nan=False)


# --- 1. one absurd power sample -----------------------------------------------------------------


@pytest.mark.parametrize("field", ["elec_w", "heat_w"])
def test_one_absurd_power_sample_is_rejected_not_integrated(field: str) -> None:
    engine = Engine()
    trace = list(steady(120))
    glitch = trace[60]
    trace[60] = Reading(
        time=glitch.time,
        elec_w=q(1e9) if field == "elec_w" else glitch.elec_w,
        heat_w=q(1e9) if field == "heat_w" else glitch.heat_w,
        compressor_hz=40.0,
    )
    result = run(engine, trace)
    # The glitch's two half-intervals are unknown: 1 minute of 120 is missing, nothing is inflated.
    assert result.meters.elec_kwh == pytest.approx(2.0, abs=0.02)
    assert result.meters.elec_kwh <= 2.0
    assert result.today.cop_combined == pytest.approx(3.5)
    assert result.rejected_samples == 1
    assert result.today.rejected_samples == 1
    assert Quality.REJECTED in result.today.quality
    assert Quality.REJECTED in result.quality
    finite_everywhere(result, engine)


def test_configured_limits_apply() -> None:
    engine = Engine(EngineConfig(max_elec_kw=5, max_heat_kw=10))
    result = run(engine, steady(10, elec_w=6000, cop=1.0))
    assert result.rejected_samples == 21  # every sample above 5 kW
    assert result.meters.elec_kwh == 0
    assert result.elec_w is None  # no fake live figure from a rejected sample


# --- 2. a huge value never becomes inf/null ------------------------------------------------------


@pytest.mark.parametrize("value", [1.7e308, math.inf, -math.inf, math.nan, 7.2e306])
def test_huge_or_non_finite_values_never_reach_totals_or_storage(value: float) -> None:
    engine = Engine()
    trace = list(steady(60, counter_from=100.0))
    bad = trace[30]
    trace[30] = Reading(
        time=bad.time,
        elec_w=q(value),
        heat_w=q(value),
        elec_kwh=q(value),
        outdoor_c=value,
        flow_c=value,
        compressor_hz=value,
    )
    result = run(engine, trace)
    finite_everywhere(result, engine)
    stored = json.loads(json.dumps(engine.to_dict(), allow_nan=False))
    assert Engine.from_dict(stored).results == result
    assert result.meters.elec_kwh == pytest.approx(1.0, abs=0.01)
    assert result.today.cop_combined is not None
    assert result.today.cop_combined == pytest.approx(3.5, rel=0.02)


# --- 3. a counter carries electricity across a gap ---------------------------------------------


def test_counter_electricity_survives_a_long_gap_without_lowering_cop() -> None:
    engine = Engine()
    run(engine, steady(60, counter_from=500.0))
    # Home Assistant is down for 3 h while the unit runs on at 1 kW; the S0 meter keeps counting.
    after = START + timedelta(hours=4)
    result = run(engine, steady(60, start=after, counter_from=504.0))
    assert result.meters.elec_kwh == pytest.approx(5.0, abs=1e-6)
    assert result.today.total_elec_kwh == pytest.approx(5.0, abs=1e-6)
    assert result.today.unmatched_elec_kwh == pytest.approx(3.0, abs=1e-6)
    # COP only over the intervals where heat is known too.
    assert result.today.cop_combined == pytest.approx(3.5)
    assert Quality.UNMATCHED in result.today.quality
    assert result.today.elec_kwh == pytest.approx(2.0, abs=1e-6)


def test_counter_without_power_counts_across_gap() -> None:
    engine = Engine()
    start = START
    for i, value in enumerate([100.0, 100.5, 103.5, 104.0]):
        t = start + timedelta(minutes=30 * i + (120 if i >= 2 else 0))
        result = engine.update(Reading(time=t, elec_kwh=q(value)))
    assert result.meters.elec_kwh == pytest.approx(4.0)


# --- 4. a clock jump never freezes the statistics -----------------------------------------------


def test_reading_from_the_future_then_correct_readings_without_host_clock() -> None:
    engine = Engine()
    run(engine, steady(60))
    future = START + timedelta(days=3650)
    engine.update(Reading(time=future, elec_w=q(1000), heat_w=q(3500)))
    result = run(
        engine, steady(48 * 60, start=START + timedelta(minutes=61), step_s=60)
    )
    # Two days of correct readings count: the future reading waited for a confirmation and was dropped.
    assert result.meters.elec_kwh == pytest.approx(49.0, abs=0.05)
    assert result.time == START + timedelta(minutes=61 + 48 * 60)
    assert result.today_date == (START + timedelta(minutes=61 + 48 * 60)).date()
    assert result.rejected_samples == 1
    finite_everywhere(result, engine)


def test_reading_ahead_of_host_clock_is_rejected() -> None:
    engine = Engine()
    trace = list(steady(60))
    for r in trace[:60]:
        engine.update(r, now=r.time)
    ahead = Reading(time=trace[60].time + timedelta(days=1), elec_w=q(1000))
    result = engine.update(ahead, now=trace[60].time)
    assert result.rejected_samples == 1
    assert Quality.CLOCK in result.quality
    for r in trace[60:]:
        result = engine.update(r, now=r.time)
    assert result.meters.elec_kwh == pytest.approx(1.0, abs=1e-6)
    assert result.time == trace[-1].time


def test_stored_prev_in_the_future_re_anchors_with_host_clock() -> None:
    engine = Engine()
    bad_clock = START + timedelta(days=1)
    run(
        engine, steady(60, start=bad_clock)
    )  # a host booted a day ahead, later corrected
    stored = engine.to_dict()
    restored = Engine.from_dict(stored)
    trace = list(steady(120, start=START + timedelta(hours=2)))
    result = restored.results
    for r in trace:
        result = restored.update(r, now=r.time)
    assert result.time == trace[-1].time
    assert Quality.CLOCK in result.quality
    assert result.meters.elec_kwh == pytest.approx(1.0 + 2.0, abs=0.01)


def test_clock_that_went_back_re_anchors_after_a_few_readings_without_host_clock() -> (
    None
):
    engine = Engine()
    run(engine, steady(60, start=START + timedelta(days=1)))
    trace = list(steady(120, start=START + timedelta(hours=2)))
    result = run(engine, trace)
    assert result.time == trace[-1].time
    # Only the readings before the re-anchor are lost (two 30 s intervals and the jump itself).
    assert result.meters.elec_kwh == pytest.approx(3.0, abs=0.05)
    assert result.ignored_readings == 2
    assert Quality.CLOCK in result.today.quality
    # No bucket from the wrong day is left ahead of the clock.
    assert result.today_date == trace[-1].time.date()


# --- 5. cooling never makes COP negative nor heat go down ----------------------------------------


def test_cooling_is_apart_from_heating() -> None:
    engine = Engine()
    heat_trace = steady(48 * 60, step_s=60, mode=OperatingMode.HEAT)
    heated = run(engine, heat_trace)
    heat_before = heated.meters.heat_kwh
    cool_start = START + timedelta(hours=48, minutes=1)
    seen: list[float] = []
    result = heated
    for r in steady(24 * 60, start=cool_start, step_s=60, cop=-3.0):
        result = engine.update(
            Reading(
                time=r.time,
                elec_w=r.elec_w,
                heat_w=r.heat_w,
                compressor_hz=40,
                mode=OperatingMode.COOL,
            )
        )
        seen.append(result.meters.heat_kwh)
    assert seen == sorted(seen)
    assert result.meters.heat_kwh == pytest.approx(heat_before, abs=0.1)
    assert result.meters.cooling_kwh == pytest.approx(72.0, abs=0.2)
    assert result.meters.cooling_elec_kwh == pytest.approx(24.0, abs=0.1)
    assert result.lifetime.cooling_kwh == pytest.approx(72.0, abs=0.2)
    assert result.lifetime.eer == pytest.approx(3.0)
    assert result.rolling_24h.eer == pytest.approx(3.0)
    assert result.rolling_24h.cop_combined is None  # no heating in the last 24 h
    assert result.rolling_7d.cop_combined == pytest.approx(3.5)
    assert result.lifetime.heat_kwh == pytest.approx(48 * 3.5, abs=0.2)


def test_auto_mode_cooling_is_cooling() -> None:
    """HeishaMon's "auto (cool)": the mode setting says auto, the unit says it cools."""
    engine = Engine()
    seen: list[float] = []
    result = engine.results
    for r in steady(6 * 60, step_s=60, cop=-3.0):
        result = engine.update(
            Reading(
                time=r.time,
                elec_w=r.elec_w,
                heat_w=r.heat_w,
                compressor_hz=40,
                mode=OperatingMode.AUTO,
                cooling_active=True,
            )
        )
        seen.append(result.meters.heat_kwh)
    assert seen == sorted(seen)
    assert result.meters.heat_kwh == 0.0
    assert result.meters.cooling_kwh == pytest.approx(18.0, abs=0.1)
    assert result.today.cop_combined is None
    assert result.today.eer == pytest.approx(3.0)


# --- hot water apart from space heating ------------------------------------------------------------


def test_hot_water_and_space_heating_split_and_add_up() -> None:
    engine = Engine()
    result = engine.results
    for i, r in enumerate(steady(4 * 60, step_s=60)):
        dhw = (i // 60) % 2 == 1  # every other hour heats water at COP 2.5
        heat = 2500.0 if dhw else 3500.0
        result = engine.update(
            Reading(
                time=r.time,
                elec_w=r.elec_w,
                heat_w=q(heat),
                compressor_hz=40,
                dhw_active=dhw,
            )
        )
    today = result.today
    assert today.cop_space == pytest.approx(3.5, rel=0.01)
    assert today.cop_dhw == pytest.approx(2.5, rel=0.01)
    assert today.space_elec_kwh + today.dhw_elec_kwh == pytest.approx(today.elec_kwh)
    assert today.space_heat_kwh + today.dhw_heat_kwh == pytest.approx(today.heat_kwh)
    assert today.cop_combined == pytest.approx(today.heat_kwh / today.elec_kwh)
    meters = result.meters
    assert meters.dhw_elec_kwh + meters.space_elec_kwh == pytest.approx(meters.elec_kwh)
    assert meters.dhw_heat_kwh + meters.space_heat_kwh == pytest.approx(meters.heat_kwh)


def test_defrost_dip_holds_the_heat_meter_until_repaid() -> None:
    engine = Engine()
    trace = readings(Spec(hours=6, defrost_every_min=40))
    seen = [engine.update(r).meters.heat_kwh for r in trace]
    assert seen == sorted(seen)
    result = engine.results
    # The meter is the highest net heat so far: ahead of the net only by a dip not yet repaid.
    held = result.meters.heat_kwh - result.lifetime.heat_kwh
    assert 0 <= held <= 2500 * 5 / 60 / 1000 + 1e-9


# --- 6. damaged stored state raises StateError (the coordinator then starts afresh) -------------


def _stored() -> dict[str, Any]:
    engine = Engine()
    run(engine, steady(90, counter_from=10.0))
    stored: dict[str, Any] = json.loads(json.dumps(engine.to_dict()))
    return stored


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (None, "abc", "engine state is not an object"),
        ("prev.t", None, "prev.t is not a number"),
        ("ledger.day_key", 10**9, "ledger.day_key"),
        ("defrost.outdoor_c", "x", "defrost.outdoor_c is not a number"),
        ("version", STATE_VERSION + 1, "newer"),
        ("ledger.lifetime", [1.0, "x"], "ledger.lifetime.heat_kwh"),
        ("ledger.hours", [[1, [0.0]]], "ledger.hours[].key"),
        ("counters.elec", [1.0], "counters.elec needs 4 values"),
        ("meters", [1.0, -5.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "meters.space_elec_kwh"),
        ("cycling.runs", "x", "cycling.runs is not a list"),
        ("filter.due_reason", "soon", "filter.due_reason"),
        ("defrost.alert", 3, "defrost.alert is not an object"),
        ("ignored", -1, "ignored"),
        ("held", [None, 0], "held has no sample"),
    ],
)
def test_damaged_state_raises_state_error_saying_what(
    path: str | None, value: Any, message: str
) -> None:
    data: Any = _stored()
    if path is None:
        data = value
    else:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    with pytest.raises(
        StateError, match=message.replace("[", r"\[").replace("]", r"\]")
    ):
        Engine.from_dict(data)


@pytest.mark.parametrize(
    "data",
    [[1], "abc", None, {"version": 99}, {"version": 1, "recoveries": "x"}],
)
def test_damaged_preheat_state_raises_state_error(data: Any) -> None:
    with pytest.raises(StateError):
        PreheatLearner.from_dict(data)


def test_every_field_damaged_raises_state_error_never_another_error() -> None:
    """Replace each stored leaf in turn with hostile values: only StateError (or a clean load) may come out."""
    base = _stored()
    leaves: list[tuple[Any, Any]] = []

    def walk(node: Any, parent: Any, key: Any) -> None:
        if isinstance(node, dict):
            for k in list(node):
                walk(node[k], node, k)
        elif isinstance(node, list) and node:
            for i in range(len(node)):
                walk(node[i], node, i)
        else:
            leaves.append((parent, key))

    hostile: list[Any] = ["x", None, -1, 10**20, True, [], {}]
    for index in range(len(_leaf_paths(base))):
        for bad in hostile:
            data = copy.deepcopy(base)
            leaves.clear()
            walk(data, None, None)
            parent, key = leaves[index]
            if parent is None:
                continue
            parent[key] = bad
            try:
                engine = Engine.from_dict(data)
            except StateError:
                continue
            json.dumps(engine.to_dict(), allow_nan=False)


def _leaf_paths(node: Any) -> list[None]:
    if isinstance(node, dict):
        return [p for v in node.values() for p in _leaf_paths(v)]
    if isinstance(node, list) and node:
        return [p for v in node for p in _leaf_paths(v)]
    return [None]


def test_round_one_state_loads_and_continues() -> None:
    fixture = json.loads((FIXTURES / "engine_state_v1.json").read_text())
    engine = Engine.from_dict(fixture["state"])
    result = engine.results
    # The energy sensors continue from what the round-1 engine showed: no jump, no drop.
    assert result.meters.elec_kwh == pytest.approx(fixture["lifetime_system_elec_kwh"])
    assert result.meters.heat_kwh == pytest.approx(fixture["lifetime_system_heat_kwh"])
    assert result.lifetime.total_elec_kwh == pytest.approx(
        fixture["lifetime_system_elec_kwh"]
    )
    assert result.today.cop_combined == pytest.approx(fixture["today_cop"])
    assert engine.to_dict()["version"] == STATE_VERSION
    # The counter continues from its stored reference: one more kWh counts once.
    last = datetime.fromtimestamp(fixture["state"]["prev"]["t"], START.tzinfo)
    counter = fixture["state"]["refs"]["elec_kwh"]
    nxt = engine.update(
        Reading(
            time=last + timedelta(minutes=1),
            elec_w=q(1000),
            heat_w=q(3500),
            elec_kwh=q(counter + 1000 / 60 / 1000),
        )
    )
    assert nxt.meters.elec_kwh == pytest.approx(result.meters.elec_kwh + 1 / 60)


# --- 7. a counter drop of more than 10 % is a reset ---------------------------------------------


def test_counter_drop_below_ninety_percent_is_a_replaced_meter() -> None:
    engine = Engine()
    run(engine, steady(60, counter_from=500.0))
    before = engine.results.meters.elec_kwh
    result = run(
        engine,
        steady(
            120, start=START + timedelta(minutes=60, seconds=30), counter_from=300.0
        ),
    )
    counted = result.meters.elec_kwh - before
    assert counted == pytest.approx(2.0, abs=0.01)  # 2 h at 1 kW, the drop adds nothing
    assert result.today.cop_combined == pytest.approx(3.5, rel=0.01)


def test_counter_jitter_is_never_negative_nor_counted_twice() -> None:
    engine = Engine()
    values = [100.0, 100.1, 99.95, 100.2, 100.3, 100.25, 100.4]
    for i, value in enumerate(values):
        result = engine.update(
            Reading(
                time=START + timedelta(minutes=i),
                elec_kwh=q(value),
                elec_w=q(1000),
                heat_w=q(3000),
            )
        )
    assert result.meters.elec_kwh == pytest.approx(0.4)


# --- 8. live figures are never fake ------------------------------------------------------------


def test_live_figures_of_a_rejected_sample_are_unknown() -> None:
    engine = Engine()
    result = engine.update(
        Reading(time=START, elec_w=q(1e9), heat_w=q(math.inf), elec_kwh=q(1e300))
    )
    assert result.elec_w is None
    assert result.heat_w is None
    assert result.rejected_samples == 3

"""Closed loop on the simulator: a house on a deliberately wrong heating curve, the advisor, its advice applied.

Drives `simulator.model.Simulator` directly in Python (no HTTP): every `POLL_S` the unit's state becomes
a `Reading`, which the analytics engine, the performance curve and the heating-curve advisor see as the
coordinator would show it to them. Shared by `tests/test_advisor_closed_loop.py` and `scripts/bench_advisor`.

The house is the simulator's average house (UA 180 W/K, emitters 240 W/K) with a 7 kW unit on its
weather-compensated curve; the room target is 21 °C all day (the simulated unit has no room thermostat, so
a curve that is too high overheats the rooms and one too low leaves them cold). The "right" curve
(46 °C at -10 °C outdoors, 24 °C at +15 °C, shift 0) was found on this simulator as the one that just
keeps 21 °C across the fortnight's weather; the scenarios move its shift by +4 K and -3 K.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from custom_components.heatpump_efficiency.analytics.advisor import (
    AdvisorConfig,
    AdvisorResult,
    HeatingCurveAdvisor,
)
from custom_components.heatpump_efficiency.analytics.curve import PerformanceCurve
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    Origin,
    Quantity,
    Reading,
)
from simulator.heatpump import Controls, HeatPumpParams
from simulator.model import Simulator
from simulator.scenarios import AVERAGE_HOUSE, Scenario
from simulator.weather import WeatherProfile, WeatherSegment

POLL_S = 300.0
TARGET_C = 21.0
COMFORT_BAND_K = 0.5
# The house takes about a day to settle after a curve change (room time constant ~30 h); comfort and
# energy are compared over the days after that.
SETTLE_DAYS = 2
FORTNIGHT_DAYS = 14
RIGHT_CURVE = (46, 24)  # flow °C at -10 °C and at +15 °C outdoors
# Daily mean and half-swing (°C) of a varied fortnight of winter: thaw, frost and everything between.
WINTER_DAYS = (
    (4.0, 3.0),
    (1.0, 2.5),
    (-2.0, 3.0),
    (-5.0, 3.0),
    (-3.0, 2.0),
    (2.0, 3.0),
    (6.0, 3.0),
    (8.0, 2.5),
    (5.0, 3.0),
    (0.0, 2.0),
    (-4.0, 3.0),
    (-1.0, 2.5),
    (3.0, 3.0),
    (7.0, 2.5),
)


def winter_scenario(shift_k: int) -> Scenario:
    """The test house on the right curve moved by `shift_k` (the HeishaMon curve shift)."""
    return Scenario(
        name=f"curve_shift_{shift_k:+d}",
        description="A winter fortnight on a heating curve moved by a fixed shift.",
        house=replace(AVERAGE_HOUSE, room_c=TARGET_C, water_c=35.0),
        unit=HeatPumpParams(nominal_w=9000.0),
        weather=WeatherProfile(
            segments=tuple(
                WeatherSegment(
                    hours=24.0, mean_c=mean, swing_c=swing, rh_mean=85.0, rh_swing=6.0
                )
                for mean, swing in WINTER_DAYS
            ),
            noise_c=0.6,
        ),
        start=datetime(2025, 1, 6, tzinfo=UTC),
        controls=Controls(
            operation_mode=0,  # heating only: no hot water, so every kWh is space heating
            curve_target_high_c=RIGHT_CURVE[0],
            curve_target_low_c=RIGHT_CURVE[1],
            z1_heat_request=shift_k,
        ),
    )


def reading_of(sim: Simulator) -> Reading:
    """The unit's state as a driver would report it (true values, metered electricity and heat)."""
    flow, ret = sim.flow_return_c()
    out = sim.last
    return Reading(
        time=sim.sim_time,
        room_c=sim.house.room_c,
        outdoor_c=sim.outdoor_c,
        flow_c=flow,
        return_c=ret,
        elec_w=Quantity(value=out.elec_w, origin=Origin.METERED),
        heat_w=Quantity(value=out.heat_w, origin=Origin.COMPUTED),
        elec_kwh=Quantity(value=sim.elec_kwh, origin=Origin.METERED, resolution=0.001),
        heat_kwh=Quantity(value=sim.heat_kwh, origin=Origin.METERED, resolution=0.001),
        backup_w=Quantity(value=out.backup_w, origin=Origin.REPORTED),
        backup_heater=sim.unit.heater_on,
        compressor_running=sim.unit.running,
        compressor_hz=out.hz,
        defrost=out.defrost,
        mode=OperatingMode.HEAT,
        dhw_active=False,
        cooling_active=False,
        target_c=float(sim.controls.z1_heat_request),
        flow_target_c=sim.controls.target_flow_c(sim.outdoor_c),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Stretch:
    """What happened over the measured days of a run."""

    shift_k: int
    elec_kwh: float
    heat_kwh: float
    cop: float
    comfort_pct: (
        float  # share of (occupied) time the room was within 0.5 K of the target
    )
    mean_room_c: float
    advice: AdvisorResult  # what the advisor said after the first fortnight
    advice_day: (
        int | None
    )  # the first day from which it said so every day (None: never)


def run(
    shift_k: int, *, days: int = FORTNIGHT_DAYS + SETTLE_DAYS, seed: int = 1
) -> Stretch:
    """Run the house on a curve shift; the advisor sees every reading, figures skip the settling days."""
    sim = Simulator(winter_scenario(shift_k), seed=seed)
    engine = Engine()
    curve = PerformanceCurve(engine.config)
    # HeishaMon takes the curve shift in whole kelvin, so the coordinator asks for 1 K steps.
    advisor = HeatingCurveAdvisor(AdvisorConfig(step_k=1.0))
    settle_polls = int(SETTLE_DAYS * 86_400 / POLL_S)
    elec0 = heat0 = 0.0
    rooms: list[float] = []
    polls_a_day = int(86_400 / POLL_S)
    daily: list[AdvisorResult] = []
    for poll in range(int(days * 86_400 / POLL_S)):
        sim.step(POLL_S)
        reading = reading_of(sim)
        results = engine.update(reading)
        curve.update(reading, results)
        advisor.update(
            reading.time,
            outdoor_c=reading.outdoor_c,
            room_c=reading.room_c,
            room_target_c=TARGET_C,
            flow_c=reading.flow_c,
            heating_enabled=True,
            space_heating=bool(reading.compressor_running) and not reading.defrost,
            heat_w=reading.heat_w.value if reading.heat_w else None,
            backup_w=reading.backup_w.value if reading.backup_w else None,
            backup_on=reading.backup_heater,
            setting=f"curve_shift:{shift_k}",
        )
        if poll == settle_polls - 1:
            elec0, heat0 = sim.elec_kwh, sim.heat_kwh
        if poll >= settle_polls:
            rooms.append(sim.house.room_c)
        if (poll + 1) % polls_a_day == 0 and len(daily) < FORTNIGHT_DAYS:
            daily.append(advisor.result(curve.bands()))
    elec = sim.elec_kwh - elec0
    heat = sim.heat_kwh - heat0
    within = sum(abs(room - TARGET_C) <= COMFORT_BAND_K for room in rooms)
    final = daily[-1]
    same = [a.advice == final.advice and a.change_k == final.change_k for a in daily]
    steady = len(same) - same[::-1].index(False) if False in same else 0
    return Stretch(
        shift_k=shift_k,
        elec_kwh=elec,
        heat_kwh=heat,
        cop=heat / elec,
        comfort_pct=100.0 * within / len(rooms),
        mean_room_c=sum(rooms) / len(rooms),
        advice=final,
        advice_day=steady + 1 if steady < len(daily) else None,
    )


def applied(shift_k: int, advice: AdvisorResult) -> int:
    """The curve shift after applying the advice as the user would (the unit's range is -5..+5 K)."""
    return min(max(shift_k + round(advice.change_k or 0.0), -5), 5)

"""Physics of the simulated mini-split and its adapter's energy counters."""

from __future__ import annotations

import pytest

from simulator.airtoair import AirControls, AirUnit, AirUnitParams
from simulator.daikin import DaikinSimulator, air_scenario
from simulator.daikin_meters import AdapterMeters
from simulator.scenarios import SCENARIOS, steady_scenario


def _run(sim: DaikinSimulator, hours: float) -> None:
    sim.step(hours * 3600)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_energy_balance_and_plausible_figures(scenario: str) -> None:
    """Heat in equals losses minus gains plus storage; COP and room temperature stay physical."""
    sim = DaikinSimulator(scenario, seed=2)
    _run(sim, 24)
    bal = sim.energy_balance()
    residual = (
        bal["heat_in_kwh"]
        + bal["gains_kwh"]
        - bal["losses_kwh"]
        - bal["stored_delta_kwh"]
    )
    assert abs(residual) <= 0.01 * abs(bal["heat_in_kwh"])
    state = sim.state()
    assert 1.0 < state["heat_kwh"] / state["elec_kwh"] < 6.0
    assert 10.0 < state["room_c"] < 25.0


def test_holds_the_setpoint_with_modulation_and_defrosts_in_damp_cold() -> None:
    """Around 0-3 °C at 90 % RH the unit modulates without stopping, holds 21 °C and defrosts often."""
    sim = DaikinSimulator("cold_humid", seed=1)
    _run(sim, 4)
    rooms, hz = [], set()
    defrost_steps = 0
    for _ in range(24 * 60):
        sim.step(60)
        rooms.append(sim.room_c)
        hz.add(round(sim.last.hz))
        defrost_steps += sim.last.defrost
    assert min(rooms) > 19.5 and max(rooms) < 22.5
    assert sim.unit.starts <= 3  # it modulates rather than cycles
    assert len(hz) > 5
    assert 10 <= sim.unit.defrost_count <= 40
    # Defrosting draws heat back out of the room: a few minutes each time.
    assert 2 * sim.unit.defrost_count <= defrost_steps <= 12 * sim.unit.defrost_count
    assert sim.defrost_heat_j > 0


def test_no_defrost_in_mild_or_dry_cold_air() -> None:
    """Frost needs a cold coil and damp air: none in spring weather, rare in dry hard frost."""
    mild = DaikinSimulator("mild", seed=1)
    _run(mild, 24)
    assert mild.unit.defrost_count == 0
    frost = DaikinSimulator("hard_frost", seed=1)
    damp = DaikinSimulator("cold_humid", seed=1)
    _run(frost, 24)
    _run(damp, 24)
    assert frost.unit.defrost_count < damp.unit.defrost_count


def test_an_oversized_unit_short_cycles_in_mild_weather() -> None:
    """Below its minimum output the unit must stop and start; a right-sized one in the cold does not."""
    big = DaikinSimulator("oversized", seed=1)
    cold = DaikinSimulator("cold_humid", seed=1)
    _run(big, 24)
    _run(cold, 24)
    assert big.unit.starts >= 8
    assert cold.unit.starts <= 2


def test_colder_air_costs_more_electricity_per_heat() -> None:
    """COP falls with the outdoor temperature (higher lift), as field data show."""
    cops = []
    for outdoor in (10.0, 0.0, -10.0):
        # Dry air: no defrost in the way.
        sim = DaikinSimulator(steady_scenario(outdoor, 60.0), seed=1)
        _run(sim, 12)
        state = sim.state()
        cops.append(state["heat_kwh"] / state["elec_kwh"])
    assert cops[0] > cops[1] > cops[2] > 1.5


def test_dirty_filter_and_quiet_fan_cost_electricity() -> None:
    """The seeds' advice, in physics: a dusty filter and a fixed quiet fan raise the electricity per heat."""

    def kwh_per_heat(*, fan: str = "A", dirty: bool = False) -> float:
        sim = DaikinSimulator("cold_humid", seed=4)
        sim.controls.fan_rate = fan
        if dirty:
            sim.apply_fault("dirty_filter")
        _run(sim, 12)
        return sim.elec_j / sim.heat_j

    clean = kwh_per_heat()
    assert kwh_per_heat(dirty=True) > 1.04 * clean
    # Auto fan beats both a fixed quiet fan (hot coil) and a fixed top speed (fan power).
    assert kwh_per_heat(fan="B") > 1.02 * clean
    assert kwh_per_heat(fan="7") > clean
    sim = DaikinSimulator("cold_humid")
    sim.apply_fault("dirty_filter")
    sim.clean()
    assert sim.unit.filter_dust == 0.0 and "dirty_filter" not in sim.faults


def test_cooling_fan_only_and_off() -> None:
    """Cooling takes heat out of the room; fan only and off never run the compressor."""
    sim = DaikinSimulator("warm_humid", seed=1)
    sim.controls.mode = "3"
    sim.controls.cool_setpoint_c = 18.0
    _run(sim, 3)
    assert sim.unit.running and sim.last.heat_w < 0 and sim.last.cooling
    assert sim.room_c < 20.0
    assert sum(sim.meters.cool.today) > 0
    assert sim.state()["direction"] == "cool"
    for mode, power in (("6", True), ("4", False)):
        sim.controls.mode, sim.controls.power_on = mode, power
        _run(sim, 1)
        assert not sim.unit.running and sim.last.hz == 0.0
    assert sim.last.elec_w < 10.0  # standby only


def test_dry_mode_cools_gently_and_auto_follows_the_room() -> None:
    """Drying runs at the lowest output; auto heats a cold room and cools a warm one."""
    sim = DaikinSimulator("mild", seed=1)
    sim.controls.mode = "2"
    _run(sim, 1)
    assert sim.unit.direction == "cool"
    assert sim.unit.q_w == pytest.approx(sim.unit.min_output_w(sim.outdoor_c))
    unit = AirUnit(AirUnitParams())
    controls = AirControls(mode="7", auto_setpoint_c=22.0)
    assert unit._wanted_direction(controls, 18.0) == "heat"
    assert unit._wanted_direction(controls, 23.0) == "heat"  # hysteresis
    assert unit._wanted_direction(controls, 24.5) == "cool"
    unit.direction = "cool"
    assert unit._wanted_direction(controls, 21.0) == "cool"
    assert unit._wanted_direction(controls, 19.5) == "heat"


def test_powerful_and_econo_change_the_output() -> None:
    """Powerful raises the output for 20 minutes; econo caps it."""
    sim = DaikinSimulator("hard_frost", seed=1)
    _run(sim, 1)
    unit, out = sim.unit, sim.outdoor_c
    normal = unit.max_output_w(out, sim.controls)
    sim.start_powerful(True)
    assert unit.max_output_w(out, sim.controls) > normal
    _run(sim, 0.5)
    assert sim.controls.powerful_left_s == 0.0
    sim.set_econo(True)
    assert unit.max_output_w(out, sim.controls) < normal
    sim.start_powerful(True)
    assert not sim.controls.econo


def test_cold_snap_and_stuck_defrost_faults() -> None:
    """A cold snap lowers the outdoor temperature; a stuck defrost repeats; clear ends both."""
    sim = DaikinSimulator("mild", seed=1)
    _run(sim, 1)
    before = sim.outdoor_c
    sim.apply_fault("cold_snap")
    _run(sim, 3)
    assert sim.outdoor_c < before - 8
    sim.apply_fault("defrost_stuck")
    _run(sim, 2)
    assert sim.unit.defrost_count >= 2
    sim.apply_fault("clear")
    assert not sim.faults
    with pytest.raises(ValueError, match="unknown fault"):
        sim.apply_fault("malformed_json")
    with pytest.raises(ValueError, match="backwards"):
        sim.step(-1)


def test_adapter_counters_are_hourly_tenths_of_a_kwh() -> None:
    """Heating fills today's hourly buckets in 0.1 kWh steps; the day rolls over at midnight."""
    sim = DaikinSimulator("cold_humid", seed=3)  # starts at midnight
    _run(sim, 6)
    heat = sim.meters.heat.today
    assert all(isinstance(v, int) for v in heat)
    assert sum(heat[:6]) > 0 and sum(heat[6:]) == 0
    counted = sum(heat) / 10
    true_kwh = sim.elec_j / 3.6e6
    assert (
        true_kwh - 0.2 <= counted <= true_kwh
    )  # standby is not heating, and steps are whole
    week = sim.meters.week_power()
    today_wh = int(week["datas"].split("/")[-1])
    assert today_wh % 100 == 0
    assert today_wh / 1000 == pytest.approx(true_kwh, abs=0.11)
    assert 350 <= int(week["today_runtime"]) <= 360
    _run(sim, 18.5)
    assert sim.meters.heat.yesterday[:6] == heat[:6]
    assert 1 <= sum(sim.meters.heat.today) <= 4  # half an hour of the new day
    days = sim.meters.week_power()["datas"].split("/")
    assert len(days) == 7 and int(days[-2]) > int(days[-1])


def test_meters_roll_months_years_and_jumps() -> None:
    """A new month and year move the monthly figures; a jump of days leaves no yesterday."""
    from datetime import UTC, datetime

    meters = AdapterMeters(datetime(2025, 12, 31, 23, 0, tzinfo=UTC), seed=1)
    assert len(meters.this_year) == 12 and len(meters.previous_year) == 12
    meters.add(
        36e6, mode="heat", running_s=60, now=datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    )
    december = meters.this_year[-1]
    assert december >= 10
    meters.add(0.0, mode=None, running_s=0, now=datetime(2026, 1, 1, 0, 5, tzinfo=UTC))
    assert meters.previous_year[-1] == december
    assert meters.this_year == [0]
    assert sum(meters.heat.yesterday) == 100
    meters.add(0.0, mode=None, running_s=0, now=datetime(2026, 2, 3, 0, 5, tzinfo=UTC))
    assert len(meters.this_year) == 2
    assert meters.heat.yesterday == [0] * 24
    assert meters.week_power()["datas"] == "0/0/0/0/0/0/0"


def test_scenarios_and_identity() -> None:
    """Every heat pump scenario has an air-to-air version; the identity comes from the seed."""
    for name in SCENARIOS:
        assert air_scenario(name).base is SCENARIOS[name]
    with pytest.raises(KeyError, match="known"):
        air_scenario("nowhere")
    a, b = DaikinSimulator(seed=1), DaikinSimulator(seed=2)
    assert a.mac != b.mac and len(a.mac) == 12
    _run(a, 1)
    starts = a.unit.starts
    a.load_scenario("mild")
    assert a.unit.starts == starts and a.state()["scenario"] == "mild"

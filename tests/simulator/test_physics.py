"""Physics of the simulated unit and house, stepped in accelerated simulated time."""

from __future__ import annotations

import itertools

import pytest

from simulator.heatpump import carnot_cop
from simulator.model import Simulator
from simulator.scenarios import SCENARIOS, steady_scenario


def _defrost_stats(
    sim: Simulator, hours: float, dt: float = 20.0
) -> tuple[list[float], list[float]]:
    """Run and return (intervals in compressor-running minutes, durations in minutes) of defrosts."""
    starts: list[float] = []
    durations: list[float] = []
    was, length = sim.last.defrost, 0.0
    for _ in range(int(hours * 3600 / dt)):
        sim.step(dt)
        now = sim.last.defrost
        if now and not was:
            starts.append(sim.unit.run_total_s)
            length = 0.0
        if now:
            length += dt
        elif was:
            durations.append(length / 60)
        was = now
    intervals = [(b - a) / 60 for a, b in itertools.pairwise(starts)]
    return intervals, durations


@pytest.mark.parametrize("scenario", ["mild", "cold_humid", "oversized", "undersized"])
def test_energy_balance_within_one_percent(scenario: str) -> None:
    sim = Simulator(scenario, seed=3)
    sim.step(24 * 3600)
    bal = sim.energy_balance()
    residual = (
        bal["heat_in_kwh"]
        + bal["gains_kwh"]
        - bal["losses_kwh"]
        - bal["stored_delta_kwh"]
    )
    assert abs(residual) <= 0.01 * bal["heat_in_kwh"]
    # The heat meter is the integral of the heat flow, and electricity is never less than heat / COP max.
    assert sim.heat_kwh == pytest.approx(
        bal["heat_in_kwh"] + sim.defrost_heat_j / 3.6e6, rel=1e-6
    )
    assert sim.elec_kwh >= sim.heat_kwh / 7.0


def test_heat_equals_flow_times_spread() -> None:
    sim = Simulator("cold_humid")
    sim.step(3600)
    flow, ret = sim.flow_return_c()
    measured = sim.unit.flow_lpm / 60 * 4186 * (flow - ret)
    assert measured == pytest.approx(sim.last.heat_w, rel=0.01)


def test_cop_is_bounded_and_falls_with_lift() -> None:
    kwargs = {"eta": 0.45, "min_lift_k": 10.0, "cop_max": 7.0}
    assert carnot_cop(35, 7, **kwargs) == pytest.approx(0.45 * 308.15 / 28)
    cops = [carnot_cop(flow, -7, **kwargs) for flow in (30, 35, 45, 55)]
    assert cops == sorted(cops, reverse=True)
    assert carnot_cop(25, 24, **kwargs) == 7.0
    assert carnot_cop(70, -40, **kwargs) >= 1.0


def test_running_cop_stays_in_band_and_falls_with_cold() -> None:
    means = []
    for outdoor in (10.0, 2.0, -10.0):
        sim = Simulator(steady_scenario(outdoor, 70.0), seed=1)
        sim.step(2 * 3600)
        cops = []
        for _ in range(120):
            sim.step(30)
            if (cop := sim.cop()) is not None and not sim.last.defrost:
                cops.append(cop)
        assert cops
        assert all(1.0 <= c <= 7.0 for c in cops)
        means.append(sum(cops) / len(cops))
    assert means == sorted(means, reverse=True)


def test_capacity_falls_with_outdoor_temperature() -> None:
    sim = Simulator("hard_frost")
    controls = sim.controls
    caps = [sim.unit.max_output_w(t, controls) for t in (10, 0, -10, -20)]
    assert caps == sorted(caps, reverse=True)
    assert sim.unit.min_output_w(7) == pytest.approx(0.3 * sim.unit.params.nominal_w)


@pytest.mark.parametrize(
    ("outdoor", "rh"), [(-7.0, 90.0), (-2.0, 90.0), (1.0, 92.0), (3.0, 90.0)]
)
def test_defrost_interval_and_duration_on_frosty_humid_days(
    outdoor: float, rh: float
) -> None:
    sim = Simulator(steady_scenario(outdoor, rh), seed=2)
    intervals, durations = _defrost_stats(sim, hours=8)
    assert len(intervals) >= 3
    assert all(40 <= i <= 90 for i in intervals), intervals
    assert all(2 <= d <= 10 for d in durations), durations


def test_dry_hard_frost_defrosts_rarely() -> None:
    intervals, _ = _defrost_stats(Simulator(steady_scenario(-12.0, 65.0)), hours=10)
    assert all(i > 90 for i in intervals)


@pytest.mark.parametrize("outdoor", [7.5, 9.0, 12.0])
def test_no_defrost_above_seven_degrees(outdoor: float) -> None:
    sim = Simulator(steady_scenario(outdoor, 98.0))
    sim.step(12 * 3600)
    assert sim.unit.defrost_count == 0


def test_defrost_takes_heat_from_the_water_and_drops_the_flow_temperature() -> None:
    sim = Simulator(steady_scenario(1.0, 92.0))
    flow_before = sim.state()["flow_c"]
    while not sim.last.defrost:
        flow_before = sim.state()["flow_c"]
        sim.step(10)
    sim.step(60)
    state = sim.state()
    assert state["defrost"] is True
    assert state["heat_w"] < 0 < state["elec_w"]
    assert state["flow_c"] < state["return_c"]
    assert state["flow_c"] < flow_before - 2


def test_defrost_heat_share_is_a_few_percent_over_a_cold_week() -> None:
    sim = Simulator("cold_week")
    sim.step(7 * 86400)
    share = sim.defrost_heat_j / sim.heat_j
    assert 0.01 < share < 0.08


def test_oversized_unit_short_cycles_and_right_sized_does_not() -> None:
    over = Simulator("oversized")
    over.step(86400)
    assert over.unit.starts >= 24
    assert over.unit.run_total_s / over.unit.starts < 15 * 60
    right = Simulator("cold_humid")
    right.step(86400)
    assert right.unit.starts <= 3


def test_backup_heater_engages_when_undersized_only() -> None:
    under = Simulator("undersized")
    under.step(86400)
    assert under.backup_j > 0
    assert under.state()["room_c"] > 18
    normal = Simulator("cold_humid")
    normal.step(86400)
    assert normal.backup_j == 0


def test_fouling_grows_with_fan_runtime_and_clean_resets_it() -> None:
    sim = Simulator("cold_humid")
    sim.step(86400)
    assert 0 < sim.unit.fouling < 0.01
    sim.apply_fault("dirty_filter")
    assert sim.unit.fouling >= 0.6
    sim.clean()
    assert sim.unit.fouling == 0


def test_fouling_raises_defrosts_and_lowers_cop() -> None:
    clean, dirty = Simulator("cold_humid", seed=4), Simulator("cold_humid", seed=4)
    dirty.apply_fault("dirty_filter")
    clean.step(86400)
    dirty.step(86400)
    assert dirty.unit.defrost_count > 1.5 * clean.unit.defrost_count
    assert dirty.heat_kwh / dirty.elec_kwh < 0.9 * clean.heat_kwh / clean.elec_kwh


def test_deterministic_for_a_seed_and_seed_matters() -> None:
    a, b, c = (
        Simulator("cold_week", seed=7),
        Simulator("cold_week", seed=7),
        Simulator("cold_week", seed=8),
    )
    for sim in (a, b, c):
        sim.step(12 * 3600)
    assert a.state() == b.state()
    assert a.state()["outdoor_c"] != c.state()["outdoor_c"]
    assert a.state()["identity"] != c.state()["identity"]


def test_counters_monotonic_across_scenarios_and_reset_only_by_fault() -> None:
    sim = Simulator("mild")
    last = (0.0, 0.0)
    for name in ("mild", "cold_humid", "hard_frost"):
        sim.load_scenario(name)
        for _ in range(6):
            sim.step(1800)
            now = (sim.elec_kwh, sim.heat_kwh)
            assert now[0] >= last[0] and now[1] >= last[1]
            last = now
    starts = sim.unit.starts
    sim.apply_fault("reboot")
    sim.step(60)
    assert sim.elec_kwh >= last[0] and sim.unit.starts >= starts
    sim.apply_fault("counter_reset")
    assert sim.elec_kwh == 0 and sim.heat_kwh == 0
    sim.step(600)
    assert sim.elec_kwh > 0


def test_weather_of_each_scenario() -> None:
    bands = {
        "mild": (5, 17),
        "cold_humid": (-2, 5),
        "hard_frost": (-19, -1),
        "warm_humid": (6, 14),
    }
    for name, (low, high) in bands.items():
        sim = Simulator(name, seed=5)
        temps, rhs = [], []
        for _ in range(48):
            sim.step(1800)
            temps.append(sim.outdoor_c)
            rhs.append(sim.outdoor_rh)
        assert low <= min(temps) and max(temps) <= high, name
        if name == "cold_humid":
            assert 82 <= sum(rhs) / len(rhs) <= 96
        if name == "hard_frost":
            assert sum(rhs) / len(rhs) < 80
    week = Simulator("cold_week")
    daily = []
    for _ in range(7):
        week.step(86400)
        daily.append(week.outdoor_c)
    assert max(daily) - min(daily) > 8


def test_cold_snap_lowers_outdoor_temperature_until_cleared() -> None:
    sim = Simulator(steady_scenario(5.0, 80.0))
    sim.apply_fault("cold_snap")
    sim.step(4 * 3600)
    assert sim.outdoor_c == pytest.approx(-7.0)
    sim.apply_fault("clear")
    sim.step(10)
    assert sim.outdoor_c == pytest.approx(5.0)


def test_defrost_stuck_defrosts_in_warm_humid_weather() -> None:
    sim = Simulator("warm_humid")
    sim.step(6 * 3600)
    assert sim.unit.defrost_count == 0
    sim.apply_fault("defrost_stuck")
    sim.step(6 * 3600)
    assert sim.unit.defrost_count >= 3
    assert sim.outdoor_c > 7


def test_power_off_stops_the_compressor() -> None:
    sim = Simulator("cold_humid")
    sim.step(600)
    assert sim.unit.running
    sim.controls.power_on = False
    sim.step(60)
    assert not sim.unit.running
    assert sim.last.elec_w < 20


def test_every_scenario_runs() -> None:
    for name in SCENARIOS:
        sim = Simulator(name)
        sim.step(3600)
        assert sim.state()["scenario"] == name

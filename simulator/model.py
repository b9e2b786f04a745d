"""The deterministic simulation: weather, house and unit stepped together, plus meters, faults and state."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
import random
from typing import Any

from .faults import (
    COLD_SNAP_DELTA_C,
    COLD_SNAP_RAMP_S,
    COLD_SNAP_S,
    DIRTY_FILTER_FOULING,
    FAULTS,
    TRANSPORT_FAULTS,
)
from .heatpump import HeatPump, UnitOutput
from .house import WATER_CP, House
from .scenarios import DEFAULT_SCENARIO, Scenario, get_scenario
from .weather import Weather

SUBSTEP_S = 10.0
REBOOT_OFFLINE_S = 20.0
"""After a reboot HeishaMon does not answer for this long (simulated seconds) ..."""
REBOOT_NO_DATA_S = 10.0
"""... and then answers with an all-reset frame until its first read of the heat pump."""
SERIES = ("H", "J", "K", "L")
J_PER_KWH = 3.6e6


class Simulator:
    """A virtual heat pump: deterministic for a scenario, a seed and a model series."""

    def __init__(
        self,
        scenario: str | Scenario = DEFAULT_SCENARIO,
        *,
        seed: int = 0,
        series: str = "H",
    ) -> None:
        """Load a scenario; `series` is the Aquarea generation HeishaMon talks to (H, J, K or L)."""
        if series.upper() not in SERIES:
            raise ValueError(
                f"unknown model series {series!r}; known: {', '.join(SERIES)}"
            )
        self.seed = seed
        self.series = series.upper()
        rng = random.Random(f"identity-{seed}")
        self.mac = "5C:CF:7F:" + ":".join(f"{rng.randrange(256):02X}" for _ in range(3))
        self.hostname = "HeishaMon"
        self.hours_offset = rng.randrange(1500, 6000)
        self.starts_offset = rng.randrange(2000, 8000)
        self.uptime_s = (
            0.0  # simulated seconds since this simulator was created; never goes back
        )
        self.faults: set[str] = set()
        self.reboot_at_s: float | None = None
        # Lifetime integrals (J, or unit x s) of the true values.
        self.elec_j = 0.0
        self.heat_j = 0.0  # heat delivered (positive part)
        self.defrost_heat_j = 0.0  # heat taken back from the water while defrosting
        self.backup_j = 0.0
        self.hz_s = 0.0
        self.defrost_s = 0.0
        self.gains_j = 0.0
        self.loss_j = 0.0
        self.meter_base_elec_j = 0.0
        self.meter_base_heat_j = 0.0
        self.last = UnitOutput()
        self.outdoor_c = 0.0
        self.outdoor_rh = 0.0
        self.load_scenario(scenario)

    def load_scenario(self, scenario: str | Scenario) -> None:
        """Start a scenario afresh (house, weather, coil); the unit's counters and meters carry on."""
        if isinstance(scenario, str):
            scenario = get_scenario(scenario)
        old = getattr(self, "unit", None)
        self.scenario = scenario
        self.scenario_s = 0.0
        self.house = House(scenario.house)
        self.unit = HeatPump(scenario.unit)
        if old is not None:
            self.unit.starts = old.starts
            self.unit.run_total_s = old.run_total_s
            self.unit.heater_total_s = old.heater_total_s
            self.unit.defrost_count = old.defrost_count
        self.controls = copy.copy(scenario.controls)
        self.weather = Weather(
            scenario.weather,
            seed=self.seed,
            start_hour=scenario.start.hour + scenario.start.minute / 60,
        )
        self.faults -= {"cold_snap", "dirty_filter"}
        self.cold_snap_from_s: float | None = None
        self.stored_start_j = self.house.stored_j()
        self.heat_net_start_j = self.heat_j - self.defrost_heat_j
        self.gains_start_j = self.gains_j
        self.loss_start_j = self.loss_j
        self.outdoor_c, self.outdoor_rh = self._outdoor(0.0)

    @property
    def sim_time(self) -> datetime:
        """Simulated wall-clock time (timezone-aware)."""
        return self.scenario.start + timedelta(seconds=self.scenario_s)

    def _outdoor(self, t: float) -> tuple[float, float]:
        temp, rh = self.weather.at(t)
        if self.cold_snap_from_s is not None:
            since = t - self.cold_snap_from_s
            if 0.0 <= since <= COLD_SNAP_S:
                ramp = (
                    min(since, COLD_SNAP_S - since, COLD_SNAP_RAMP_S) / COLD_SNAP_RAMP_S
                )
                temp += COLD_SNAP_DELTA_C * ramp
                rh -= 10.0 * ramp
        return temp, min(max(rh, 15.0), 100.0)

    def flow_return_c(self) -> tuple[float, float]:
        """Flow and return temperatures: the water node plus/minus half the spread the flow rate allows."""
        mdot = self.unit.flow_lpm / 60.0
        water = self.house.water_c
        if mdot <= 0.0:
            return water, water
        half = self.last.heat_w / (2.0 * mdot * WATER_CP)
        return water + half, water - half

    def step(self, seconds: float) -> None:
        """Advance simulated time by `seconds` in sub-steps of at most 10 s."""
        if seconds < 0:
            raise ValueError("cannot step backwards")
        remaining = float(seconds)
        while remaining > 1e-9:
            dt = min(SUBSTEP_S, remaining)
            self._substep(dt)
            remaining -= dt

    def _substep(self, dt: float) -> None:
        outdoor, rh = self._outdoor(self.scenario_s)
        flow_c, _ = self.flow_return_c()
        out = self.unit.step(
            dt,
            outdoor_c=outdoor,
            rh=rh,
            flow_c=flow_c,
            emitter_w=self.house.emitter_w(),
            controls=self.controls,
            defrost_stuck="defrost_stuck" in self.faults,
        )
        flows = self.house.step(dt, out.heat_w, outdoor)
        self.elec_j += out.elec_w * dt
        self.heat_j += max(out.heat_w, 0.0) * dt
        self.defrost_heat_j += max(-out.heat_w, 0.0) * dt
        self.backup_j += out.backup_w * dt
        self.hz_s += out.hz * dt
        self.defrost_s += dt if out.defrost else 0.0
        self.gains_j += flows.gain_w * dt
        self.loss_j += flows.loss_w * dt
        self.last = out
        self.outdoor_c, self.outdoor_rh = outdoor, rh
        self.scenario_s += dt
        self.uptime_s += dt

    # Meters ---------------------------------------------------------------------------------------

    @property
    def elec_kwh(self) -> float:
        """Electricity meter (kWh): monotonic, survives reboots, zeroed only by the counter_reset fault."""
        return (self.elec_j - self.meter_base_elec_j) / J_PER_KWH

    @property
    def heat_kwh(self) -> float:
        """Heat meter (kWh, delivered heat only): monotonic like the electricity meter."""
        return (self.heat_j - self.meter_base_heat_j) / J_PER_KWH

    # Controls and faults --------------------------------------------------------------------------

    def clean(self) -> None:
        """Clean the filter and coil: airflow is back to new."""
        self.unit.fouling = 0.0
        self.faults.discard("dirty_filter")

    def apply_fault(self, name: str) -> None:
        """Inject a fault by name (see `faults.FAULTS`); `clear` removes the lasting ones."""
        if name not in FAULTS:
            raise ValueError(
                f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}"
            )
        if name == "clear":
            self.faults.clear()
            self.cold_snap_from_s = None
        elif name == "reboot":
            self.reboot_at_s = self.uptime_s
        elif name == "counter_reset":
            self.meter_base_elec_j = self.elec_j
            self.meter_base_heat_j = self.heat_j
        elif name == "dirty_filter":
            self.unit.fouling = max(self.unit.fouling, DIRTY_FILTER_FOULING)
            self.faults.add(name)
        elif name == "cold_snap":
            self.cold_snap_from_s = self.scenario_s
            self.faults.add(name)
        else:
            self.faults.add(name)

    def transport_fault(self) -> str | None:
        """The HTTP-level fault HeishaMon's answers suffer from now, if any."""
        active = sorted(self.faults & TRANSPORT_FAULTS)
        return active[0] if active else None

    def heishamon_phase(self) -> str:
        """`offline` just after a reboot, then `no_data` until the first frame, otherwise `ok`."""
        if self.reboot_at_s is None:
            return "ok"
        since = self.uptime_s - self.reboot_at_s
        if since < REBOOT_OFFLINE_S:
            return "offline"
        if since < REBOOT_OFFLINE_S + REBOOT_NO_DATA_S:
            return "no_data"
        return "ok"

    # State ----------------------------------------------------------------------------------------

    def energy_balance(self) -> dict[str, float]:
        """Heat in, gains, losses and storage change of the house since the scenario started (kWh)."""
        heat_in = (
            self.heat_j - self.defrost_heat_j - self.heat_net_start_j
        ) / J_PER_KWH
        gains = (self.gains_j - self.gains_start_j) / J_PER_KWH
        losses = (self.loss_j - self.loss_start_j) / J_PER_KWH
        stored = (self.house.stored_j() - self.stored_start_j) / J_PER_KWH
        return {
            "heat_in_kwh": heat_in,
            "gains_kwh": gains,
            "losses_kwh": losses,
            "stored_delta_kwh": stored,
        }

    def cop(self) -> float | None:
        """Instantaneous COP of the whole unit (heat out / electricity in) while the compressor runs."""
        if not self.unit.running or self.last.elec_w <= 0:
            return None
        return self.last.heat_w / self.last.elec_w

    def state(self) -> dict[str, Any]:
        """The full internal state as JSON-ready values (true values, not the firmware's)."""
        flow, ret = self.flow_return_c()
        unit, out = self.unit, self.last
        cop = self.cop()
        return {
            "sim_time": self.sim_time.isoformat(),
            "uptime_s": self.uptime_s,
            "scenario": self.scenario.name,
            "seed": self.seed,
            "model": self.series,
            "identity": {"mac": self.mac, "hostname": self.hostname},
            "outdoor_c": round(self.outdoor_c, 3),
            "outdoor_rh": round(self.outdoor_rh, 2),
            "room_c": round(self.house.room_c, 3),
            "water_c": round(self.house.water_c, 3),
            "flow_c": round(flow, 3),
            "return_c": round(ret, 3),
            "target_flow_c": round(self.controls.target_flow_c(self.outdoor_c), 2),
            "pump_flow_lpm": round(unit.flow_lpm, 3),
            "elec_w": round(out.elec_w, 2),
            "heat_w": round(out.heat_w, 2),
            "backup_w": round(out.backup_w, 2),
            "cop": None if cop is None else round(cop, 3),
            "carnot_cop": None if out.cop is None else round(out.cop, 3),
            "compressor_running": unit.running,
            "compressor_hz": round(out.hz, 2),
            "compressor_starts": unit.starts,
            "compressor_run_hours": round(unit.run_total_s / 3600.0, 4),
            "defrost": out.defrost,
            "defrost_count": unit.defrost_count,
            "frost": round(unit.frost, 4),
            "fouling": round(unit.fouling, 4),
            "coil_c": round(out.coil_c, 2),
            "elec_kwh": round(self.elec_kwh, 6),
            "heat_kwh": round(self.heat_kwh, 6),
            "defrost_heat_kwh": round(self.defrost_heat_j / J_PER_KWH, 6),
            "backup_kwh": round(self.backup_j / J_PER_KWH, 6),
            "energy_balance": {
                k: round(v, 6) for k, v in self.energy_balance().items()
            },
            "power_on": self.controls.power_on,
            "operation_mode": self.controls.operation_mode,
            "z1_heat_request": self.controls.z1_heat_request,
            "heating_mode": "direct" if self.controls.heating_mode == 1 else "curve",
            "quiet_level": self.controls.quiet_level,
            "faults": sorted(self.faults),
            "heishamon": self.heishamon_phase(),
        }

"""A simulated Daikin mini-split: the same weather and scenarios as the heat pump, a room heated directly."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
import random
from typing import Any

from .airtoair import POWERFUL_S, AirControls, AirOutput, AirUnit, AirUnitParams
from .daikin_meters import J_PER_KWH, AdapterMeters
from .faults import (
    COLD_SNAP_DELTA_C,
    COLD_SNAP_RAMP_S,
    COLD_SNAP_S,
    DIRTY_FILTER_FOULING,
)
from .house import House, HouseParams
from .model import REBOOT_OFFLINE_S, SUBSTEP_S
from .scenarios import DEFAULT_SCENARIO, Scenario, get_scenario
from .weather import Weather

DAIKIN_FAULTS = frozenset(
    {
        "timeout",
        "http_500",
        "reboot",
        "defrost_stuck",
        "dirty_filter",
        "cold_snap",
        "clear",
    }
)
"""Faults the adapter personality knows: the HeishaMon body faults make no sense for its text answers."""
DAIKIN_TRANSPORT_FAULTS = frozenset({"timeout", "http_500"})

# One open-plan floor of a flat or small house, heated by one wall unit. There is no water loop: the
# house model's fast node (its "water") stands for the room air and light furniture the unit heats, and
# its slow node for the walls and floors, which take heat from the air and lose it outdoors.
OPEN_PLAN = HouseParams(
    ua_w_per_k=95.0,
    room_capacity_j_per_k=12e6,  # walls, floors, heavy furniture
    water_capacity_j_per_k=0.8e6,  # the air of about 150 m3 and what warms with it
    emitter_w_per_k=750.0,  # air to surfaces: about 5 W/(m2 K) over 150 m2
    internal_gain_w=300.0,
    room_c=20.5,
    water_c=20.5,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class AirScenario:
    """The heat pump scenario's weather and start, with a mini-split and the open-plan house."""

    name: str
    description: str
    house: HouseParams
    unit: AirUnitParams
    base: Scenario


# Unit size per scenario: an oversized unit cycles in mild weather, an undersized one runs flat out.
_UNIT_W = {"oversized": 5000.0, "undersized": 2500.0}


def air_scenario(scenario: str | Scenario) -> AirScenario:
    """Return the air-to-air version of a (named) scenario (KeyError lists the known names)."""
    base = get_scenario(scenario) if isinstance(scenario, str) else scenario
    name = base.name
    nominal = _UNIT_W.get(name, 3500.0)
    house = OPEN_PLAN
    if name == "undersized":
        house = replace(OPEN_PLAN, ua_w_per_k=110.0)
    return AirScenario(
        name=name,
        description=f"{base.description} Air-to-air: a {nominal / 1000:g} kW wall unit heats the room air.",
        house=house,
        unit=AirUnitParams(nominal_w=nominal),
        base=base,
    )


class DaikinSimulator:
    """A mini-split behind a Daikin BRP069 adapter: deterministic for a scenario and a seed."""

    def __init__(
        self, scenario: str | Scenario = DEFAULT_SCENARIO, *, seed: int = 0
    ) -> None:
        """Load a scenario; the adapter's identity and seeded energy history come from the seed."""
        self.seed = seed
        rng = random.Random(f"daikin-identity-{seed}")
        self.mac = "409F38" + "".join(f"{rng.randrange(256):02X}" for _ in range(3))
        self.name = "Living room"
        self.uptime_s = 0.0
        self.faults: set[str] = set()
        self.reboot_at_s: float | None = None
        self.elec_j = 0.0
        self.heat_j = 0.0  # heat put into the room while heating
        self.cool_j = 0.0  # heat taken out while cooling or drying
        self.defrost_heat_j = 0.0  # heat drawn back out of the room while defrosting
        self.hz_s = 0.0
        self.gains_j = 0.0
        self.loss_j = 0.0
        self.last = AirOutput()
        self.controls = AirControls()
        self.load_scenario(scenario)
        self.meters = AdapterMeters(self.sim_time, seed=seed)

    def load_scenario(self, scenario: str | Scenario) -> None:
        """Start a scenario afresh (house, weather, unit state); counters, meters and controls carry on."""
        self.scenario = air_scenario(scenario)
        self.scenario_s = 0.0
        old = getattr(self, "unit", None)
        self.house = House(self.scenario.house)
        self.unit = AirUnit(self.scenario.unit)
        if old is not None:
            self.unit.starts = old.starts
            self.unit.run_total_s = old.run_total_s
            self.unit.defrost_count = old.defrost_count
        base = self.scenario.base
        self.weather = Weather(
            base.weather,
            seed=self.seed,
            start_hour=base.start.hour + base.start.minute / 60,
        )
        self._settle_walls()
        self.faults -= {"cold_snap", "dirty_filter"}
        self.cold_snap_from_s: float | None = None
        self.stored_start_j = self.house.stored_j()
        self.balance_start = (
            self.heat_j,
            self.cool_j,
            self.defrost_heat_j,
            self.gains_j,
            self.loss_j,
        )
        self.outdoor_c, self.outdoor_rh = self._outdoor(0.0)

    @property
    def sim_time(self) -> datetime:
        """Simulated local time, which the adapter's clock and day counters follow."""
        return self.scenario.base.start + timedelta(seconds=self.scenario_s)

    def _settle_walls(self) -> None:
        """Start as a house heated to the setpoint for a while: walls at their steady temperature.

        With the air at the setpoint, the walls sit where the heat they take from the air plus the free
        gains equals what they lose outdoors; starting them as warm as the air would leave the unit
        idling for hours while they cool.
        """
        p = self.scenario.house
        outdoor = self.weather.at(0.0)[0]
        air = self.controls.heat_setpoint_c
        self.house.water_c = air
        self.house.room_c = min(
            (p.emitter_w_per_k * air + p.internal_gain_w + p.ua_w_per_k * outdoor)
            / (p.emitter_w_per_k + p.ua_w_per_k),
            air,
        )

    @property
    def room_c(self) -> float:
        """Room air temperature, which the unit's return-air sensor reads."""
        return self.house.water_c

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
        out = self.unit.step(
            dt,
            outdoor_c=outdoor,
            rh=rh,
            room_c=self.room_c,
            controls=self.controls,
            defrost_stuck="defrost_stuck" in self.faults,
        )
        flows = self.house.step(dt, out.heat_w, outdoor)
        self.elec_j += out.elec_w * dt
        if out.defrost:
            self.defrost_heat_j += -out.heat_w * dt
        elif out.heat_w >= 0:
            self.heat_j += out.heat_w * dt
        else:
            self.cool_j += -out.heat_w * dt
        self.hz_s += out.hz * dt
        self.gains_j += flows.gain_w * dt
        self.loss_j += flows.loss_w * dt
        self.last = out
        self.outdoor_c, self.outdoor_rh = outdoor, rh
        self.scenario_s += dt
        self.uptime_s += dt
        # The adapter files electricity under the mode the unit runs in (a defrost is part of heating).
        mode = None
        if self.unit.running:
            mode = self.unit.direction
        self.meters.add(
            out.elec_w * dt,
            mode=mode,
            running_s=dt if self.unit.running else 0.0,
            now=self.sim_time,
        )

    # Controls and faults --------------------------------------------------------------------------

    def start_powerful(self, on: bool) -> None:
        """Powerful mode: full airflow and more output for 20 minutes (econo ends)."""
        self.controls.powerful_left_s = POWERFUL_S if on else 0.0
        if on:
            self.controls.econo = False

    def set_econo(self, on: bool) -> None:
        """Econo mode: output limited to 70 % (powerful ends)."""
        self.controls.econo = on
        if on:
            self.controls.powerful_left_s = 0.0

    def clean(self) -> None:
        """The indoor filter is cleaned: airflow is back to new."""
        self.unit.filter_dust = 0.0
        self.faults.discard("dirty_filter")

    def apply_fault(self, name: str) -> None:
        """Inject a fault by name (see `DAIKIN_FAULTS`); `clear` removes the lasting ones."""
        if name not in DAIKIN_FAULTS:
            raise ValueError(
                f"unknown fault {name!r}; known: {', '.join(sorted(DAIKIN_FAULTS))}"
            )
        if name == "clear":
            self.faults.clear()
            self.cold_snap_from_s = None
        elif name == "reboot":
            self.reboot_at_s = self.uptime_s
        elif name == "dirty_filter":
            self.unit.filter_dust = max(self.unit.filter_dust, DIRTY_FILTER_FOULING)
            self.faults.add(name)
        elif name == "cold_snap":
            self.cold_snap_from_s = self.scenario_s
            self.faults.add(name)
        else:
            self.faults.add(name)

    def transport_fault(self) -> str | None:
        """The HTTP-level fault the adapter's answers suffer from now, if any."""
        active = sorted(self.faults & DAIKIN_TRANSPORT_FAULTS)
        return active[0] if active else None

    def adapter_offline(self) -> bool:
        """Whether the adapter is restarting after a `reboot` (its counters live in the indoor unit)."""
        return (
            self.reboot_at_s is not None
            and self.uptime_s - self.reboot_at_s < REBOOT_OFFLINE_S
        )

    # State ----------------------------------------------------------------------------------------

    def energy_balance(self) -> dict[str, float]:
        """Heat in, gains, losses and storage change of the room since the scenario started (kWh)."""
        heat0, cool0, defrost0, gains0, loss0 = self.balance_start
        net = (
            (self.heat_j - heat0)
            - (self.cool_j - cool0)
            - (self.defrost_heat_j - defrost0)
        )
        return {
            "heat_in_kwh": net / J_PER_KWH,
            "gains_kwh": (self.gains_j - gains0) / J_PER_KWH,
            "losses_kwh": (self.loss_j - loss0) / J_PER_KWH,
            "stored_delta_kwh": (self.house.stored_j() - self.stored_start_j)
            / J_PER_KWH,
        }

    def state(self) -> dict[str, Any]:
        """The full internal state as JSON-ready values (true values, not the adapter's)."""
        unit, out, c = self.unit, self.last, self.controls
        cop = out.cop if unit.running and not out.defrost else None
        return {
            "unit": "daikin",
            "sim_time": self.sim_time.isoformat(),
            "uptime_s": self.uptime_s,
            "scenario": self.scenario.name,
            "seed": self.seed,
            "identity": {"mac": self.mac, "name": self.name},
            "outdoor_c": round(self.outdoor_c, 3),
            "outdoor_rh": round(self.outdoor_rh, 2),
            "room_c": round(self.room_c, 3),
            "walls_c": round(self.house.room_c, 3),
            "elec_w": round(out.elec_w, 2),
            "heat_w": round(out.heat_w, 2),
            "cop": None if cop is None else round(cop, 3),
            "compressor_running": unit.running,
            "compressor_hz": round(out.hz, 2),
            "compressor_starts": unit.starts,
            "compressor_run_hours": round(unit.run_total_s / 3600.0, 4),
            "direction": unit.direction if unit.running else None,
            "defrost": out.defrost,
            "defrost_count": unit.defrost_count,
            "frost": round(unit.frost, 4),
            "filter_dust": round(unit.filter_dust, 4),
            "elec_kwh": round(self.elec_j / J_PER_KWH, 6),
            "heat_kwh": round(self.heat_j / J_PER_KWH, 6),
            "cool_kwh": round(self.cool_j / J_PER_KWH, 6),
            "defrost_heat_kwh": round(self.defrost_heat_j / J_PER_KWH, 6),
            "energy_balance": {
                k: round(v, 6) for k, v in self.energy_balance().items()
            },
            "power_on": c.power_on,
            "mode": c.mode,
            "setpoint_c": c.setpoint_c(),
            "fan_rate": c.fan_rate,
            "powerful": c.powerful_left_s > 0,
            "econo": c.econo,
            "faults": sorted(self.faults),
            "adapter": "offline" if self.adapter_offline() else "ok",
        }

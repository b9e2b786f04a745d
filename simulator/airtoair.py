"""An air-to-air unit (a mini-split): room air heated or cooled directly, inverter modulation, defrost."""

from __future__ import annotations

from dataclasses import dataclass

from .frost import (
    DEFROST_MAX_OUTDOOR_C,
    Defrost,
    coil_temperature,
    defrost_energy_j,
    frost_growth_per_s,
)
from .heatpump import KELVIN

# Daikin's adapter mode numbers (pydaikin's daikin_brp069.py): 0, 1 and 7 are auto, 2 dry, 3 cool,
# 4 heat, 6 fan only.
AUTO_MODES = frozenset({"0", "1", "7"})
MODES = frozenset({"0", "1", "2", "3", "4", "6", "7"})
FAN_RATES = ("A", "B", "3", "4", "5", "6", "7")  # auto, silence, levels 1-5
# Relative indoor airflow of each fixed fan level; auto follows the load (see `airflow`).
FAN_FLOW = {"B": 0.5, "3": 0.6, "4": 0.7, "5": 0.8, "6": 0.9, "7": 1.0}
FAN_W_AT_FULL_FLOW = (
    40.0  # indoor fan at level 5; fan power grows with the cube of airflow
)
OUTDOOR_FAN_W = 35.0
STANDBY_W = 4.0
START_BELOW_K = (
    0.5  # thermo-on when the room is this far on the wrong side of the setpoint
)
STOP_BEYOND_K = (
    1.0  # thermo-off when the minimum output overshoots the setpoint by this much
)
MIN_RUN_BETWEEN_DEFROSTS_S = 25 * 60.0
DRY_LOWEST_ROOM_C = 18.0  # drying stops cooling the room below this
POWERFUL_S = 20 * 60.0  # Daikin's powerful mode ends by itself after 20 minutes


@dataclass(frozen=True, slots=True, kw_only=True)
class AirUnitParams:
    """Size and behaviour of one mini-split; `nominal_w` is heat output at A7 and 20 °C indoors."""

    nominal_w: float = 3500.0
    min_fraction: float = 0.25
    max_fraction: float = 1.45
    capacity_slope_per_k: float = 0.02
    eta: float = 0.5
    cop_max: float = 7.0
    min_lift_k: float = 15.0
    min_on_s: float = 300.0
    min_off_s: float = 180.0  # the outdoor unit's three-minute restart guard
    min_hz: float = 12.0
    max_hz: float = 96.0
    lowest_outdoor_c: float = -20.0
    # Dust on the indoor filter: about 0.3 after 600 h of fan running (a month of heating season).
    filter_per_fan_s: float = 1.4e-7
    defrost_elec_fraction: float = 0.22
    defrost_cop: float = 1.5


@dataclass(slots=True, kw_only=True)
class AirControls:
    """What the remote control (or the adapter's `set_control_info`) sets, in the adapter's own values."""

    power_on: bool = True
    mode: str = "4"
    heat_setpoint_c: float = 21.0
    cool_setpoint_c: float = 24.0
    auto_setpoint_c: float = 22.0
    fan_rate: str = "A"
    fan_dir: str = "0"
    powerful_left_s: float = 0.0
    econo: bool = False
    holiday: bool = False

    def setpoint_c(self) -> float:
        """Return the setpoint of the current mode (dry and fan-only hold none: the cooling one is used)."""
        if self.mode == "4":
            return self.heat_setpoint_c
        if self.mode in AUTO_MODES:
            return self.auto_setpoint_c
        return self.cool_setpoint_c


@dataclass(slots=True)
class AirOutput:
    """What the unit did during one step (W unless stated)."""

    heat_w: float = (
        0.0  # into the room air; negative while cooling, drying or defrosting
    )
    elec_w: float = 0.0  # everything: compressor, both fans, electronics
    compressor_elec_w: float = 0.0
    hz: float = 0.0
    cop: float | None = (
        None  # of the refrigerant cycle while heating (EER while cooling)
    )
    defrost: bool = False
    coil_c: float = 0.0
    heating: bool = False
    cooling: bool = False
    fan_on: bool = False


@dataclass(slots=True)
class AirUnit:
    """The mini-split's state: thermostat, modulation, frost, filter dust and its own counters."""

    params: AirUnitParams
    running: bool = False
    direction: str = "heat"  # what the compressor does while running: "heat" or "cool"
    q_w: float = 0.0
    integral_w: float = 0.0
    run_s: float = 0.0
    off_s: float = 1e9
    run_since_defrost_s: float = 0.0
    frost: float = 0.0
    filter_dust: float = 0.0
    defrost: Defrost | None = None
    defrost_frost_start: float = 0.0
    defrost_count: int = 0
    starts: int = 0
    run_total_s: float = 0.0
    last: AirOutput | None = None

    def capacity_factor(self, outdoor_c: float) -> float:
        """Heating capacity relative to A7: about 2 % less per kelvin colder outdoors."""
        return min(
            max(1.0 + self.params.capacity_slope_per_k * (outdoor_c - 7.0), 0.3), 1.2
        )

    def airflow(self, controls: AirControls, load: float) -> float:
        """Indoor airflow (1 = level 5 with a clean filter); auto raises it with the load, dust lowers it."""
        rate = FAN_FLOW.get(controls.fan_rate)
        if rate is None:
            rate = min(max(0.55 + 0.45 * load, 0.55), 1.0)
        if controls.powerful_left_s > 0:
            rate = 1.0
        return rate * (1.0 - 0.75 * self.filter_dust)

    def max_output_w(self, outdoor_c: float, controls: AirControls) -> float:
        """Highest output now: outdoor temperature, airflow through the filter, frost, econo and powerful."""
        p = self.params
        cap = p.nominal_w * p.max_fraction
        if self.direction == "heat":
            cap *= self.capacity_factor(outdoor_c) * (1.0 - 0.15 * min(self.frost, 1.0))
        cap *= 0.7 + 0.3 * self.airflow(controls, 1.0)
        if controls.econo:
            cap *= 0.7
        if controls.powerful_left_s > 0:
            cap *= 1.15
        return cap

    def min_output_w(self, outdoor_c: float) -> float:
        """Lowest output the inverter can run at; below the load the unit cycles."""
        factor = self.capacity_factor(outdoor_c) if self.direction == "heat" else 1.0
        return self.params.min_fraction * self.params.nominal_w * factor

    def _wanted_direction(self, controls: AirControls, room_c: float) -> str | None:
        """What the thermostat asks for now: "heat", "cool" or None (fan only, off or satisfied)."""
        if not controls.power_on or controls.mode == "6":
            return None
        if controls.mode == "4":
            return "heat"
        if controls.mode in ("2", "3"):
            return "cool"
        # Auto: keep the current direction until the room is well past the setpoint the other way.
        setpoint = controls.auto_setpoint_c
        if self.direction == "heat":
            return "cool" if room_c > setpoint + 2.0 else "heat"
        return "heat" if room_c < setpoint - 2.0 else "cool"

    def step(
        self,
        dt: float,
        *,
        outdoor_c: float,
        rh: float,
        room_c: float,
        controls: AirControls,
        defrost_stuck: bool = False,
    ) -> AirOutput:
        """Advance the unit by dt seconds and return what it did."""
        p = self.params
        if controls.powerful_left_s > 0:
            controls.powerful_left_s = max(controls.powerful_left_s - dt, 0.0)
        direction = self._wanted_direction(controls, room_c)
        setpoint = controls.setpoint_c()
        if controls.mode == "2":
            setpoint = DRY_LOWEST_ROOM_C
        # Positive when the room needs what the unit does: warmer rooms need cooling.
        error = 0.0
        if direction is not None:
            error = setpoint - room_c if direction == "heat" else room_c - setpoint
        can_run = direction is not None and (
            direction == "cool" or outdoor_c >= p.lowest_outdoor_c
        )

        if self.running:
            self.run_s += dt
            if (
                not can_run
                or direction != self.direction
                or (
                    self.defrost is None
                    and self.run_s >= p.min_on_s
                    and error < -STOP_BEYOND_K
                )
            ):
                self._stop()
        else:
            self.off_s += dt
            if direction is not None:
                self.direction = direction
            if can_run and self.off_s >= p.min_off_s and error > START_BELOW_K:
                self._start(outdoor_c)

        out = AirOutput(fan_on=controls.power_on)
        if self.running:
            self.run_total_s += dt
            if self.defrost is not None:
                self._defrosting(dt, out, outdoor_c, self.defrost)
            else:
                self._modulate(
                    dt,
                    out=out,
                    outdoor_c=outdoor_c,
                    rh=rh,
                    room_c=room_c,
                    error=error,
                    controls=controls,
                )
                if self.direction == "heat":
                    self.run_since_defrost_s += dt
                    if self._defrost_due(outdoor_c, defrost_stuck):
                        self._begin_defrost(out.coil_c)
        else:
            out.coil_c = outdoor_c
        load = self.q_w / p.nominal_w if self.running else 0.0
        airflow = self.airflow(controls, load)
        if out.fan_on and not out.defrost:
            out.elec_w += FAN_W_AT_FULL_FLOW * airflow**3
            self.filter_dust = min(self.filter_dust + p.filter_per_fan_s * dt, 0.9)
        out.elec_w += STANDBY_W + (
            OUTDOOR_FAN_W if self.running and not out.defrost else 0.0
        )
        self.last = out
        return out

    def _start(self, outdoor_c: float) -> None:
        self.running = True
        self.run_s = 0.0
        self.starts += 1
        self.q_w = 0.0
        self.integral_w = self.min_output_w(outdoor_c)

    def _stop(self) -> None:
        self.running = False
        self.off_s = 0.0
        self.q_w = 0.0
        self.integral_w = 0.0
        self.defrost = None

    def _modulate(
        self,
        dt: float,
        *,
        out: AirOutput,
        outdoor_c: float,
        rh: float,
        room_c: float,
        error: float,
        controls: AirControls,
    ) -> None:
        """A PI controller on the room temperature between minimum and maximum output."""
        p = self.params
        q_max = self.max_output_w(outdoor_c, controls)
        q_min = min(self.min_output_w(outdoor_c), q_max)
        if controls.mode == "2":
            wanted = q_min  # drying: the lowest output, a cold coil with little airflow
        else:
            self.integral_w = min(
                max(self.integral_w + p.nominal_w * error * dt / 1800.0, q_min), q_max
            )
            wanted = min(max(self.integral_w + p.nominal_w * error, q_min), q_max)
        q_now = self.q_w if self.q_w > 0 else q_min
        self.q_w = q_now + (wanted - q_now) * min(1.0, dt / 60.0)
        load = self.q_w / p.nominal_w
        airflow = self.airflow(controls, load)
        if self.direction == "heat":
            coil = coil_temperature(outdoor_c, load, 0.0, self.frost)
            # Less air through the indoor coil (a low fan level, a dusty filter) raises the condensing
            # temperature: the reason auto fan and clean filters save electricity.
            hot = room_c + 12.0 + 14.0 * load / max(airflow, 0.2)
            cop = self._cycle_cop(hot, coil)
            out.heat_w = self.q_w
            out.heating = True
            self.frost += frost_growth_per_s(outdoor_c, rh, coil, 0.0) * dt
        else:
            coil = outdoor_c + 8.0 + 10.0 * load  # the outdoor coil condenses
            cold = room_c - 10.0 - 8.0 * load / max(airflow, 0.2)
            cop = max(self._cycle_cop(coil, cold) - 1.0, 1.0)  # EER = COP - 1
            out.heat_w = -self.q_w
            out.cooling = True
        out.coil_c = coil
        out.cop = cop
        out.compressor_elec_w = self.q_w / cop
        out.elec_w = out.compressor_elec_w
        span = max(q_max - q_min, 1.0)
        out.hz = p.min_hz + (p.max_hz - p.min_hz) * min(
            max((self.q_w - q_min) / span, 0.0), 1.0
        )

    def _cycle_cop(self, hot_c: float, cold_c: float) -> float:
        """Carnot COP of the refrigerant cycle times its efficiency, within [1, cop_max]."""
        p = self.params
        lift = max(hot_c - cold_c, p.min_lift_k)
        return min(max(p.eta * (hot_c + KELVIN) / lift, 1.0), p.cop_max)

    def _defrost_due(self, outdoor_c: float, defrost_stuck: bool) -> bool:
        if self.run_since_defrost_s < MIN_RUN_BETWEEN_DEFROSTS_S:
            return False
        return defrost_stuck or (
            self.frost >= 1.0 and outdoor_c < DEFROST_MAX_OUTDOOR_C
        )

    def _begin_defrost(self, coil_c: float) -> None:
        scale = self.params.nominal_w / 9000.0
        self.defrost = Defrost(needed_j=defrost_energy_j(self.frost, coil_c, scale))
        self.defrost_frost_start = self.frost
        self.defrost_count += 1

    def _defrosting(
        self, dt: float, out: AirOutput, outdoor_c: float, defrost: Defrost
    ) -> None:
        """Reverse cycle: the indoor fan stops and heat is drawn back out of the indoor coil and room."""
        p = self.params
        scale = p.nominal_w / 9000.0
        comp = p.defrost_elec_fraction * p.nominal_w
        from_room = comp * p.defrost_cop
        self.frost, coil_c = defrost.step(
            dt,
            compressor_w=comp,
            drawn_w=from_room,
            outdoor_c=outdoor_c,
            scale=scale,
            frost_start=self.defrost_frost_start,
        )
        out.defrost = True
        out.fan_on = False
        out.heat_w = -from_room
        out.compressor_elec_w = comp
        out.elec_w = comp
        out.hz = 0.6 * p.max_hz
        out.coil_c = coil_c
        if defrost.finished():
            self.defrost = None
            self.frost = 0.0
            self.q_w = 0.0
            self.run_since_defrost_s = 0.0

"""The air-to-water unit: weather-compensated control, inverter modulation, cycling, backup heater, defrost."""

from __future__ import annotations

from dataclasses import dataclass, field

from .frost import (
    DEFROST_MAX_OUTDOOR_C,
    Defrost,
    coil_temperature,
    defrost_energy_j,
    frost_growth_per_s,
)

KELVIN = 273.15
HEAT_MODES = frozenset(
    {0, 2, 4, 6}
)  # SetOperationMode values that include space heating
START_HYSTERESIS_K = 1.5
STOP_HYSTERESIS_K = 2.0
MIN_RUN_BETWEEN_DEFROSTS_S = 20 * 60.0
QUIET_CAPACITY = (1.0, 0.85, 0.75, 0.65)


@dataclass(frozen=True, slots=True, kw_only=True)
class HeatPumpParams:
    """Size and behaviour of one unit; capacities are heat output at A7/W35 (W)."""

    nominal_w: float = 9000.0
    min_fraction: float = 0.3
    capacity_slope_per_k: float = 0.015
    eta: float = 0.45
    cop_max: float = 7.0
    min_lift_k: float = 10.0
    min_on_s: float = 360.0
    min_off_s: float = 240.0
    backup_w: float = 3000.0
    min_hz: float = 16.0
    max_hz: float = 90.0
    standby_w: float = 12.0
    pump_w: float = 45.0
    fan_w: float = 55.0
    lowest_outdoor_c: float = -25.0
    fouling_per_fan_s: float = 5.6e-8  # about 0.3 after 1500 h of fan running
    defrost_elec_fraction: float = 0.2
    defrost_cop: float = 2.2


@dataclass(slots=True, kw_only=True)
class Controls:
    """Everything the user (or `/command`) can set; names follow HeishaMon's topics."""

    power_on: bool = True
    operation_mode: int = 4  # SetOperationMode: 0 heat, 1 cool, 2 auto, 3 DHW, 4 heat+DHW, 5 cool+DHW, 6 auto+DHW
    heating_mode: int = 0  # TOP76: 0 = compensation curve (request is a shift), 1 = direct flow temperature
    z1_heat_request: int = 0
    z1_cool_request: int = 18
    z2_heat_request: int = 0
    z2_cool_request: int = 18
    curve_target_high_c: int = 45  # flow temperature at the low outdoor point
    curve_target_low_c: int = 25  # flow temperature at the high outdoor point
    curve_outside_high_c: int = 15
    curve_outside_low_c: int = -10
    heat_delta_k: int = 5
    cool_delta_k: int = 5
    dhw_heat_delta_k: int = -8
    dhw_target_c: int = 50
    quiet_level: int = 0
    powerful_level: int = 0
    powerful_left_s: float = 0.0
    holiday: bool = False
    force_dhw: bool = False
    force_sterilization: bool = False
    force_defrost: bool = False
    main_schedule: bool = False
    zones: int = 0
    max_pump_duty: int = 150
    heating_off_outdoor_c: int = 20
    heater_on_outdoor_c: int = 5
    heat_to_cool_c: int = 15
    cool_to_heat_c: int = 10
    heater_delay_min: int = 20
    heater_start_delta_k: int = 3
    heater_stop_delta_k: int = 0
    buffer_delta_k: int = 5
    alt_external_sensor: bool = False
    external_pad_heater: int = 0

    def target_flow_c(self, outdoor_c: float) -> float:
        """Zone 1 flow temperature the unit aims for: the heating curve plus shift, or the direct value."""
        if self.heating_mode == 1:
            return float(min(max(self.z1_heat_request, 20), 60))
        lo_out, hi_out = self.curve_outside_low_c, self.curve_outside_high_c
        hi_flow, lo_flow = self.curve_target_high_c, self.curve_target_low_c
        if hi_out <= lo_out or outdoor_c <= lo_out:
            base = float(hi_flow)
        elif outdoor_c >= hi_out:
            base = float(lo_flow)
        else:
            base = hi_flow + (lo_flow - hi_flow) * (outdoor_c - lo_out) / (
                hi_out - lo_out
            )
        return base + min(max(self.z1_heat_request, -5), 5)

    def heating_wanted(self, outdoor_c: float) -> bool:
        """Whether space heating is requested at this outdoor temperature."""
        if not self.power_on or self.holiday or self.operation_mode not in HEAT_MODES:
            return False
        if self.operation_mode in (2, 6) and outdoor_c >= self.heat_to_cool_c:
            return False
        return outdoor_c < self.heating_off_outdoor_c


def carnot_cop(
    flow_c: float, source_c: float, *, eta: float, min_lift_k: float, cop_max: float
) -> float:
    """COP = eta * T_flow / (T_flow - T_source) in kelvin, with a minimum lift and bounded to [1, cop_max]."""
    flow_k = flow_c + KELVIN
    lift = max(flow_c - source_c, min_lift_k)
    return min(max(eta * flow_k / lift, 1.0), cop_max)


@dataclass(slots=True)
class UnitOutput:
    """What the unit did during one step (W unless stated)."""

    heat_w: float = (
        0.0  # into the water, negative while defrosting; includes the backup heater
    )
    elec_w: float = 0.0  # everything: compressor, fan, pump, electronics, backup heater
    backup_w: float = 0.0
    compressor_elec_w: float = 0.0
    hz: float = 0.0
    cop: float | None = None  # the refrigerant cycle's COP while heating
    defrost: bool = False
    coil_c: float = 0.0
    pump_on: bool = False
    fan_on: bool = False


@dataclass(slots=True)
class HeatPump:
    """The unit's state: compressor, modulation, timers, frost, fouling and its own counters."""

    params: HeatPumpParams
    running: bool = False
    q_w: float = 0.0
    run_s: float = 0.0
    off_s: float = 1e9
    run_since_defrost_s: float = 0.0
    frost: float = 0.0
    fouling: float = 0.0
    defrost: Defrost | None = None
    defrost_frost_start: float = 0.0
    defrost_count: int = 0
    starts: int = 0
    run_total_s: float = 0.0
    heater_on: bool = False
    heater_total_s: float = 0.0
    deficit_s: float = 0.0
    flow_lpm: float = 0.0
    last: UnitOutput = field(default_factory=UnitOutput)

    def capacity_factor(self, outdoor_c: float) -> float:
        """Capacity relative to A7 of a clean coil: falls about 1.5 % per kelvin colder."""
        return min(
            max(1.0 + self.params.capacity_slope_per_k * (outdoor_c - 7.0), 0.35), 1.3
        )

    def max_output_w(self, outdoor_c: float, controls: Controls) -> float:
        """Highest heat output now: outdoor temperature, airflow (fouling), frost, quiet/powerful modes."""
        airflow = 1.0 - 0.5 * self.fouling
        cap = (
            self.params.nominal_w
            * self.capacity_factor(outdoor_c)
            * (0.6 + 0.4 * airflow)
        )
        cap *= 1.0 - 0.15 * min(self.frost, 1.0)
        cap *= QUIET_CAPACITY[min(max(controls.quiet_level, 0), 3)]
        if controls.powerful_left_s > 0:
            cap *= 1.1
        return cap

    def min_output_w(self, outdoor_c: float) -> float:
        """Lowest output the inverter can modulate down to; below the load the unit must cycle."""
        return (
            self.params.min_fraction
            * self.params.nominal_w
            * self.capacity_factor(outdoor_c)
        )

    def source_c(self, outdoor_c: float) -> float:
        """Effective heat-source temperature: outdoor air, worse with a dirty or frosted coil."""
        return outdoor_c - 8.0 * self.fouling - 3.0 * min(self.frost, 1.0)

    def _start(self) -> None:
        self.running = True
        self.run_s = 0.0
        self.starts += 1
        self.q_w = 0.0

    def _stop(self) -> None:
        self.running = False
        self.off_s = 0.0
        self.q_w = 0.0
        self.defrost = None

    def step(
        self,
        dt: float,
        *,
        outdoor_c: float,
        rh: float,
        flow_c: float,
        emitter_w: float,
        controls: Controls,
        defrost_stuck: bool = False,
    ) -> UnitOutput:
        """Advance the unit by dt seconds and return what it did."""
        p = self.params
        wanted = controls.heating_wanted(outdoor_c)
        target = controls.target_flow_c(outdoor_c)
        can_run = outdoor_c >= p.lowest_outdoor_c
        if controls.powerful_left_s > 0:
            controls.powerful_left_s = max(controls.powerful_left_s - dt, 0.0)

        # Compressor on/off with minimum on and off times.
        if self.running:
            self.run_s += dt
            if (
                not controls.power_on
                or not can_run
                or (
                    self.defrost is None
                    and self.run_s >= p.min_on_s
                    and (not wanted or flow_c > target + STOP_HYSTERESIS_K)
                )
            ):
                self._stop()
        else:
            self.off_s += dt
            if (
                wanted
                and can_run
                and self.off_s >= p.min_off_s
                and flow_c < target - START_HYSTERESIS_K
            ):
                self._start()

        out = UnitOutput(pump_on=wanted or self.running)
        if self.running:
            self.run_total_s += dt
            self.run_since_defrost_s += dt
            if self.defrost is None:
                self._heat(
                    dt,
                    out,
                    outdoor_c=outdoor_c,
                    rh=rh,
                    flow_c=flow_c,
                    target=target,
                    emitter_w=emitter_w,
                    controls=controls,
                )
                if self._defrost_due(outdoor_c, controls, defrost_stuck):
                    self._begin_defrost(out.coil_c)
            else:
                self._defrosting(dt, out, outdoor_c, self.defrost)
        else:
            out.coil_c = outdoor_c
        controls.force_defrost = False

        self._backup(
            dt,
            out,
            wanted=wanted,
            can_run=can_run,
            outdoor_c=outdoor_c,
            flow_c=flow_c,
            target=target,
            controls=controls,
        )
        out.elec_w += (
            p.standby_w
            + (p.pump_w if out.pump_on else 0.0)
            + (p.fan_w if out.fan_on else 0.0)
        )
        self._set_flow(out)
        self.last = out
        return out

    def _heat(
        self,
        dt: float,
        out: UnitOutput,
        *,
        outdoor_c: float,
        rh: float,
        flow_c: float,
        target: float,
        emitter_w: float,
        controls: Controls,
    ) -> None:
        """Modulate between minimum and maximum output to hold the flow temperature at its target."""
        p = self.params
        q_max = self.max_output_w(outdoor_c, controls)
        q_min = min(self.min_output_w(outdoor_c), q_max)
        wanted_q = emitter_w + p.nominal_w / 6.0 * (target - flow_c)
        wanted_q = min(max(wanted_q, q_min), q_max)
        # The inverter ramps rather than jumps (soft start from minimum output).
        q_now = self.q_w if self.q_w > 0 else q_min
        self.q_w = q_now + (wanted_q - q_now) * min(1.0, dt / 90.0)
        cop = carnot_cop(
            flow_c,
            self.source_c(outdoor_c),
            eta=p.eta,
            min_lift_k=p.min_lift_k,
            cop_max=p.cop_max,
        )
        load = self.q_w / p.nominal_w
        out.coil_c = coil_temperature(outdoor_c, load, self.fouling, self.frost)
        out.cop = cop
        out.compressor_elec_w = self.q_w / cop
        out.heat_w = self.q_w
        out.elec_w = out.compressor_elec_w
        out.fan_on = True
        scale = self.capacity_factor(outdoor_c) * p.nominal_w * 1.3
        out.hz = min(max(p.max_hz * self.q_w / scale, p.min_hz), p.max_hz)
        self.frost += frost_growth_per_s(outdoor_c, rh, out.coil_c, self.fouling) * dt
        self.fouling = min(self.fouling + p.fouling_per_fan_s * dt, 0.9)

    def _defrost_due(
        self, outdoor_c: float, controls: Controls, defrost_stuck: bool
    ) -> bool:
        """Frosted coil (or a forced/stuck defrost request) after enough running since the last one."""
        if controls.force_defrost:
            return True
        if self.run_since_defrost_s < MIN_RUN_BETWEEN_DEFROSTS_S:
            return False
        if defrost_stuck:
            return True
        return self.frost >= 1.0 and outdoor_c < DEFROST_MAX_OUTDOOR_C

    def _begin_defrost(self, coil_c: float) -> None:
        scale = self.params.nominal_w / 9000.0
        self.defrost = Defrost(needed_j=defrost_energy_j(self.frost, coil_c, scale))
        self.defrost_frost_start = self.frost
        self.defrost_count += 1

    def _defrosting(
        self, dt: float, out: UnitOutput, outdoor_c: float, defrost: Defrost
    ) -> None:
        """Reverse cycle: heat is pumped out of the water into the coil; the fan stops."""
        p = self.params
        scale = p.nominal_w / 9000.0
        comp = p.defrost_elec_fraction * p.nominal_w
        from_water = comp * p.defrost_cop
        self.frost, coil_c = defrost.step(
            dt,
            compressor_w=comp,
            drawn_w=from_water,
            outdoor_c=outdoor_c,
            scale=scale,
            frost_start=self.defrost_frost_start,
        )
        out.defrost = True
        out.heat_w = -from_water
        out.compressor_elec_w = comp
        out.elec_w = comp
        out.hz = 0.6 * p.max_hz
        out.coil_c = coil_c
        if defrost.finished():
            self.defrost = None
            self.frost = 0.0
            self.q_w = 0.0
            self.run_since_defrost_s = 0.0

    def _backup(
        self,
        dt: float,
        out: UnitOutput,
        *,
        wanted: bool,
        can_run: bool,
        outdoor_c: float,
        flow_c: float,
        target: float,
        controls: Controls,
    ) -> None:
        """The electric backup heater (COP 1) helps when the compressor cannot keep the flow temperature up."""
        p = self.params
        allowed = wanted and (outdoor_c < controls.heater_on_outdoor_c or not can_run)
        at_limit = (not self.running and not can_run) or (
            self.running
            and self.defrost is None
            and self.q_w >= 0.97 * self.max_output_w(outdoor_c, controls)
        )
        if allowed and at_limit and flow_c < target - controls.heater_start_delta_k:
            self.deficit_s += dt
        elif not self.heater_on:
            self.deficit_s = 0.0
        if self.heater_on and (
            not allowed or flow_c >= target + controls.heater_stop_delta_k
        ):
            self.heater_on = False
            self.deficit_s = 0.0
        elif (
            not self.heater_on
            and allowed
            and self.deficit_s >= controls.heater_delay_min * 60.0
        ):
            self.heater_on = True
        if self.heater_on:
            self.heater_total_s += dt
            out.backup_w = p.backup_w
            out.heat_w += p.backup_w
            out.elec_w += p.backup_w
            out.pump_on = True

    def _set_flow(self, out: UnitOutput) -> None:
        """Pump flow in DeltaT mode: enough for the set spread at this output, within the pump's range."""
        if not out.pump_on:
            self.flow_lpm = 0.0
            return
        if out.defrost:
            return
        nominal_lpm = self.params.nominal_w / (4186.0 * 5.0) * 60.0
        wanted = abs(out.heat_w) / (4186.0 * 5.0) * 60.0
        self.flow_lpm = min(max(wanted, 0.45 * nominal_lpm), 1.1 * nominal_lpm)

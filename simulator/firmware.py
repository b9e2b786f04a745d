"""What HeishaMon makes of the unit: the 5-second frame cache, `/json` rendering and `/command` handling."""

from __future__ import annotations

from dataclasses import dataclass
import json
import math
from urllib.parse import parse_qsl

from .heatpump import Controls
from .model import Simulator
from .topics import EXTRA_TOPICS, TOPICS, Kind, Topic, Value

FRAME_INTERVAL_S = 5.0
"""HeishaMon reads the heat pump every 5 s (its `waitTime`); `/json` serves the last decoded frame."""
MODEL_BYTES = {
    "H": "E2 CF 0D 85 05 12 D0 0C 94 05",  # IDU:WH-SXC09H3E8, ODU:WH-UX09HE8 (firmware's known-model table)
    "J": "62 D2 0B 43 54 42 D2 0B 72 66",  # IDU:WH-SDC0709J3E5, ODU:WH-UD09JE5 (firmware's known-model table)
    # Not in the firmware's table (it then prints the raw bytes anyway); synthetic, marked by the 0xEE.
    "K": "62 D2 0B 45 54 42 D2 0C EE 55",
    "L": "62 D2 0B 45 54 42 D2 0C EF 55",
}
_OPERATION_MODE_BYTE = {0: 18, 1: 19, 2: 24, 3: 33, 4: 34, 5: 35, 6: 40}


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded heat-pump frame plus the S0 meter reading taken with it."""

    values: dict[int, Value]
    extra: tuple[int, ...] | None
    s0_watt: int
    s0_total_wh: int


def _steps(value: float, step: float) -> float:
    return round(value / step) * step


def _r32_pressure(temp_c: float) -> float:
    """Rough R32 saturation pressure (kgf/cm2) at a temperature, as the unit's pressure sensors show."""
    return 8.1 * math.exp(0.028 * temp_c)


def frame_from(sim: Simulator) -> Frame:
    """Decode the unit's current state the way the firmware sees it (quantised, the unit's own estimates)."""
    c: Controls = sim.controls
    unit, out = sim.unit, sim.last
    flow, ret = sim.flow_return_c()
    outdoor = sim.outdoor_c
    target = c.target_flow_c(outdoor)
    running = unit.running
    v: dict[int, Value] = {t.number: t.default for t in TOPICS}
    heat_mode = c.operation_mode in (0, 2, 4, 6) and outdoor < c.heat_to_cool_c
    op_state = {2: 2 if heat_mode else 7, 6: 6 if heat_mode else 8}.get(
        c.operation_mode, c.operation_mode
    )
    produced = max(out.heat_w, 0.0)
    consumed = out.elec_w
    k_series = sim.series in ("K", "L")
    max_lpm = unit.params.nominal_w / (4186.0 * 5.0) * 60.0 * 1.1
    v.update(
        {
            0: int(c.power_on),
            1: round(unit.flow_lpm * 256) / 256,
            2: int(c.force_dhw),
            4: op_state,
            5: _steps(ret, 0.25),
            6: _steps(flow, 0.25),
            7: round(target),
            8: round(out.hz) if running else 0,
            9: c.dhw_target_c,
            10: 48,
            11: sim.hours_offset + int(unit.run_total_s // 3600),
            12: sim.starts_offset + unit.starts,
            13: int(c.main_schedule),
            14: round(outdoor),
            15: -200 if k_series else int(_steps(produced, 200)),
            16: -200 if k_series else int(_steps(consumed, 200)),
            17: c.powerful_level if c.powerful_left_s > 0 else 0,
            18: c.quiet_level,
            19: 2 if c.holiday else 0,
            20: 0,
            21: round(out.coil_c),
            22: c.dhw_heat_delta_k,
            23: c.heat_delta_k,
            24: c.cool_delta_k,
            26: int(out.defrost),
            27: c.z1_heat_request,
            28: c.z1_cool_request,
            29: c.curve_target_high_c,
            30: c.curve_target_low_c,
            31: c.curve_outside_high_c,
            32: c.curve_outside_low_c,
            33: round(sim.house.room_c),
            34: c.z2_heat_request,
            35: c.z2_cool_request,
            38: -200 if k_series else 0,
            39: -200 if k_series else 0,
            40: -200 if k_series else 0,
            41: -200 if k_series else 0,
            42: round(target),
            49: round(flow),
            50: round(flow + 20.0 + 0.3 * max(flow - outdoor, 0.0))
            if running
            else round(sim.house.water_c - 10.0),
            51: round(flow - 3.0) if running else round(sim.house.water_c),
            52: round(out.coil_c),
            53: round(out.coil_c + 1.0),
            54: round(out.coil_c + 2.0),
            55: round(max(outdoor, 5.0) + 25.0 * out.hz / 90.0),
            56: round(flow),
            59: int(outdoor < c.heater_on_outdoor_c),
            60: int(out.backup_w > 0),
            62: int(_steps(300.0 + 500.0 * out.hz / 90.0, 10)) if out.fan_on else 0,
            64: round(
                _steps(
                    _r32_pressure(
                        flow + 3.0 if running else (sim.house.water_c + outdoor) / 2
                    ),
                    0.2,
                ),
                1,
            ),
            65: int(_steps(1500.0 + 2500.0 * unit.flow_lpm / max_lpm, 50))
            if unit.flow_lpm > 0
            else 0,
            66: round(_r32_pressure(out.coil_c if running else outdoor) - 1.0),
            67: round(_steps(out.compressor_elec_w / 230.0, 0.2), 1),
            76: c.heating_mode,
            77: c.heating_off_outdoor_c,
            78: c.heater_on_outdoor_c,
            79: c.heat_to_cool_c,
            80: c.cool_to_heat_c,
            90: int(unit.heater_total_s // 3600),
            92: MODEL_BYTES[sim.series],
            93: round(60 + 80 * unit.flow_lpm / max_lpm) if unit.flow_lpm > 0 else 0,
            94: c.zones,
            95: c.max_pump_duty,
            96: c.heater_delay_min,
            97: c.heater_start_delta_k,
            98: c.heater_stop_delta_k,
            106: 0,
            108: int(c.alt_external_sensor),
            113: c.buffer_delta_k,
            114: c.external_pad_heater,
            115: round(_steps(1.5 + 0.01 * (sim.house.water_c - 30.0), 0.02), 2),
            124: int(unit.flow_lpm > 0),
            142: round(100 + 300 * out.hz / 90.0) if running else 0,
        }
    )
    extra = (round(consumed), 0, 0, round(produced), 0, 0) if k_series else None
    return Frame(
        values=v,
        extra=extra,
        s0_watt=round(out.elec_w),
        s0_total_wh=int(sim.elec_kwh * 1000.0),
    )


def reset_frame(frame: Frame) -> Frame:
    """The frame HeishaMon serves after booting and before its first read of the heat pump."""
    return Frame(
        values={t.number: t.reset_value() for t in TOPICS},
        extra=None if frame.extra is None else (0,) * len(frame.extra),
        s0_watt=0,
        s0_total_wh=frame.s0_total_wh,
    )


def format_value(topic: Topic, value: Value) -> str:
    """Print a value exactly as the firmware does (numbers bare, TOP44/TOP92 quoted)."""
    if topic.kind is Kind.TEXT:
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, str):
        return json.dumps(value)
    if topic.kind is Kind.F2:
        return f"{value:.2f}"
    if topic.kind is Kind.F1:
        return f"{value:.1f}"
    return str(int(value))


def render_json(frame: Frame, *, s0_watthour: int | None) -> str:
    """Serialise a frame the way the firmware streams it; `s0_watthour` None leaves the S0 block out."""
    parts = []
    for topic in TOPICS:
        value = frame.values[topic.number]
        value_text = format_value(topic, value)
        description = json.dumps(topic.describe(value), ensure_ascii=False)
        parts.append(
            f'{{"Topic":"TOP{topic.number}","Name":"{topic.name}","Value":{value_text},"Description":{description}}}'
        )
    text = '{"heatpump":[' + ",".join(parts) + "]"
    if frame.extra is not None:
        extra = ",".join(
            f'{{"Topic":"XTOP{i}","Name":"{name}","Value":"{frame.extra[i]}","Description":"Watt"}}'
            for i, name in enumerate(EXTRA_TOPICS)
        )
        text += ',"heatpump extra":[' + extra + "]"
    if s0_watthour is not None:
        ports = [(frame.s0_watt, s0_watthour, frame.s0_total_wh), (0, 0, 0)]
        text += ',"s0":[' + ",".join(
            f'{{"S0 port":"{i + 1}","Watt":"{watt}","Watthour":"{wh}","WatthourTotal":"{total}",'
            f'"PulseQuality":"100","AvgPulseWidth":"{80 if watt else 0}"}}'
            for i, (watt, wh, total) in enumerate(ports)
        )
        text += "]"
    return text + "}"


class Firmware:
    """HeishaMon in front of a simulator: frame cache, S0 meter, JSON and command handling."""

    def __init__(self, sim: Simulator, *, use_s0: bool = True) -> None:
        """Wrap a simulator; the S0 block is present when `use_s0` (port 1 meters the whole unit)."""
        self.sim = sim
        self.use_s0 = use_s0
        self._frame: Frame | None = None
        self._frame_slot = -1
        self._reboot_seen: float | None = None
        self._s0_last_total: int | None = None

    def frame(self) -> Frame:
        """The cached frame; refreshed once per 5 s of simulated time, reset after a HeishaMon reboot."""
        sim = self.sim
        if sim.reboot_at_s != self._reboot_seen:
            self._reboot_seen = sim.reboot_at_s
            self._frame = None
            self._s0_last_total = None
        slot = int(sim.uptime_s // FRAME_INTERVAL_S)
        if self._frame is None or slot != self._frame_slot:
            self._frame = frame_from(sim)
            self._frame_slot = slot
        if sim.heishamon_phase() == "no_data":
            return reset_frame(self._frame)
        return self._frame

    def render(self) -> str:
        """The body of `GET /json`; each call moves the S0 `Watthour` baseline (energy since the last read)."""
        frame = self.frame()
        watthour: int | None = None
        if self.use_s0:
            last = (
                frame.s0_total_wh
                if self._s0_last_total is None
                else self._s0_last_total
            )
            watthour = max(frame.s0_total_wh - last, 0)
            self._s0_last_total = frame.s0_total_wh
        return render_json(frame, s0_watthour=watthour)

    def command(self, query: str) -> str:
        """Apply `GET /command?Name=value&...`; answer with the firmware's log line for each known command."""
        lines = []
        for name, raw in parse_qsl(query, keep_blank_values=True):
            line = apply_command(self.sim.controls, name, raw)
            if line is not None:
                lines.append(line)
        return "\n".join(lines)


def _to_int(raw: str) -> int:
    """Arduino `String.toInt()`: leading integer digits, 0 when there are none."""
    digits = ""
    for i, ch in enumerate(raw.strip()):
        if ch.isdigit() or (i == 0 and ch in "+-"):
            digits += ch
        else:
            break
    try:
        return int(digits)
    except ValueError:
        return 0


def _byte(value: int) -> int:
    return value & 0xFF


def apply_command(c: Controls, name: str, raw: str) -> str | None:
    """Change the controls like the heat pump would on receiving the firmware's command; return the log line."""
    v = _to_int(raw)
    temp = _byte(v + 128) - 128  # what survives the firmware's one-byte encoding
    match name:
        case "SetHeatpump":
            c.power_on = v == 1
            return f"set heatpump state to {2 if v == 1 else 1}"
        case "SetPump":
            return f"set pump state to {32 if v == 1 else 16}"
        case "SetMaxPumpDuty":
            c.max_pump_duty = _byte(v + 1) - 1
            return f"set max pump duty to {c.max_pump_duty}"
        case "SetQuietMode":
            level = _byte((v + 1) * 8) // 8 - 1
            c.quiet_level = min(max(level, 0), 3)
            return f"set Quiet mode to {level}"
        case "SetZ1HeatRequestTemperature":
            c.z1_heat_request = temp
            return f"set z1 heat request temperature to {temp}"
        case "SetZ1CoolRequestTemperature":
            c.z1_cool_request = temp
            return f"set z1 cool request temperature to {temp}"
        case "SetZ2HeatRequestTemperature":
            c.z2_heat_request = temp
            return f"set z2 heat request temperature to {temp}"
        case "SetZ2CoolRequestTemperature":
            c.z2_cool_request = temp
            return f"set z2 cool request temperature to {temp}"
        case "SetForceDHW":
            c.force_dhw = v == 1
            return f"set force DHW mode to {128 if v == 1 else 64}"
        case "SetForceDefrost":
            c.force_defrost = v == 1
            return f"set force defrost mode to {2 if v == 1 else 0}"
        case "SetForceSterilization":
            c.force_sterilization = v == 1
            return f"set force sterilization mode to {4 if v == 1 else 0}"
        case "SetHolidayMode":
            c.holiday = v == 1
            return f"set holiday mode to {32 if v == 1 else 16}"
        case "SetPowerfulMode":
            level = _byte(v + 73) - 73
            c.powerful_level = min(max(level, 0), 3)
            c.powerful_left_s = 1800.0 * c.powerful_level
            return f"set powerful mode to {level}"
        case "SetOperationMode":
            mode_byte = _OPERATION_MODE_BYTE.get(v, 0)
            if mode_byte:
                c.operation_mode = v
            return f"set heat pump mode to {mode_byte}"
        case "SetDHWTemp":
            c.dhw_target_c = temp
            return f"set DHW temperature to {temp}"
        case "SetCurves":
            return _set_curves(c, raw)
        case "SetZones":
            zone_byte = {0: 64, 1: 128, 2: 192}.get(v, 0)
            if zone_byte:
                c.zones = v
            return f"set zones active state to {zone_byte}"
        case "SetFloorHeatDelta":
            c.heat_delta_k = temp
            return f"set floor heat delta to {temp}"
        case "SetFloorCoolDelta":
            c.cool_delta_k = temp
            return f"set floor cool delta to {temp}"
        case "SetDHWHeatDelta":
            c.dhw_heat_delta_k = temp
            return f"set DHW heat delta to {temp}"
        case "SetReset":
            return f"set reset to {1 if v == 1 else 0}"
        case "SetHeaterDelayTime":
            c.heater_delay_min = _byte(v + 1) - 1
            return f"set heater delay time to {c.heater_delay_min}"
        case "SetHeaterStartDelta":
            c.heater_start_delta_k = temp
            return f"set heater start delta to {temp}"
        case "SetHeaterStopDelta":
            c.heater_stop_delta_k = temp
            return f"set heater stop delta to {temp}"
        case "SetMainSchedule":
            c.main_schedule = v == 1
            return f"set main schedule to {128 if v == 1 else 64}"
        case "SetAltExternalSensor":
            c.alt_external_sensor = v == 1
            return f"set alternative external sensor to {int(v == 1)}"
        case "SetExternalPadHeater":
            c.external_pad_heater = v if v in (1, 2) else 0
            return f"set external pad heater to {c.external_pad_heater}"
        case "SetBufferDelta":
            c.buffer_delta_k = temp
            return f"set buffer tank delta to {temp}"
    return None


def _set_curves(c: Controls, raw: str) -> str:
    """`SetCurves` takes JSON like {"zone1":{"heat":{"target":{"high":45,"low":25},"outside":{...}}}}."""
    try:
        doc = json.loads(raw)
    except ValueError:
        return "SetCurves JSON decode failed!"
    zone1 = doc.get("zone1") if isinstance(doc, dict) else None
    heat = zone1.get("heat") if isinstance(zone1, dict) else None
    if isinstance(heat, dict):
        target, outside = heat.get("target") or {}, heat.get("outside") or {}
        for key, attr in (
            ("high", "curve_target_high_c"),
            ("low", "curve_target_low_c"),
        ):
            if isinstance(target, dict) and isinstance(target.get(key), int | float):
                setattr(c, attr, int(target[key]))
        for key, attr in (
            ("high", "curve_outside_high_c"),
            ("low", "curve_outside_low_c"),
        ):
            if isinstance(outside, dict) and isinstance(outside.get(key), int | float):
                setattr(c, attr, int(outside[key]))
    return "SetCurves JSON received ok"

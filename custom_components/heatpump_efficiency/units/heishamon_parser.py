"""Turn a HeishaMon `GET /json` document into a vendor-neutral `Reading`: tolerant of gaps, strict on types.

What the firmware sends (HeishaMon `webfunctions.cpp` `handleJsonOutput`, `decode.cpp`, `s0.cpp`):

- `"heatpump"`: a list of `{"Topic": "TOPn", "Name": ..., "Value": ..., "Description": ...}`. Values are
  numbers, except TOP44 (error) and TOP92 (model bytes), which are quoted strings; firmware before 3.9
  prints TOP92 as a number, the model's row in HeishaMon's model table (255: not in it). Descriptions
  are `°C` in current firmware and `&deg;C` in older builds; this parser never needs them.
- `"heatpump extra"` (only when the heat pump answers the extra query, e.g. T-CAP/M series): `XTOPn`
  entries whose values are quoted strings, 1 W resolution power figures.
- `"s0"` (only when S0 meters are enabled): a list of `{"S0 port": "1", "Watt": "..", "Watthour": "..",
  "WatthourTotal": "..", ...}`, all quoted up to firmware 3.x and plain numbers from 4.x. `Watthour` counts only since the previous read of the web table
  and resets, so only `WatthourTotal` (pulses since boot, or restored from MQTT) is used here.
- `"1wire"`, `"heatpump optional"`, `"opentherm"`: not used. A "1wire" block made invalid by a sensor alias
  with a quote (the firmware does not escape it) is cut out rather than failing the whole document.

Firmware sentinels (a raw byte of 0 means "no data"): temperatures read -128 (and unconnected sensors
-78), two-bit states and counters read -1, TOP15/16/38-41 powers read -200, XTOP powers read -1. All of
them become None. -1 is *not* a temperature sentinel: -1 °C is a real outdoor temperature.

Values the firmware's encoding cannot produce (a temperature above 127 °C from one byte, a power estimate
above 254 x 200 W, a flow of 1e308 l/min in a damaged or forged answer) are None as well, and a sum with
such a term (the electrical estimate TOP16 + TOP39 + TOP41) is unknown rather than short of one term.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
import json
import math
import re

import orjson

from . import thermal
from .heishamon_models import model_code_for_number, model_name
from .model import (
    OperatingMode,
    Origin,
    Quantity,
    Reading,
    SetpointKind,
    UnitResponseError,
)

TEMPERATURE_STEP_K = 0.25
"""TOP5/TOP6 (inlet/outlet) carry quarter-degree fractions; most other temperatures are whole degrees."""
ESTIMATE_STEP_W = 200.0
"""TOP15/16/38-41 are the heat pump's own estimates in 200 W steps."""
REPORTED_STEP_W = 1.0
"""XTOP0-5 (`"heatpump extra"`) are reported with 1 W resolution."""

# Extra keys this parser puts in Reading.extra (values are numbers or short strings).
EXTRA_OPERATING_MODE = (
    "operating_mode"  # TOP4 as text: heat, cool, auto_heat, dhw, heat_dhw, ...
)
EXTRA_THREE_WAY_VALVE = (
    "three_way_valve"  # TOP20: "room" or "dhw" (where the heat goes)
)
EXTRA_DHW_TARGET_C = "dhw_target_c"  # TOP9
EXTRA_Z1_TEMP_C = "z1_temp_c"  # TOP56 as reported (a water temperature unless the zone has a room sensor)
EXTRA_PUMP_SPEED_RPM = "pump_speed_rpm"  # TOP65
EXTRA_WATER_PRESSURE_BAR = "water_pressure_bar"  # TOP115
EXTRA_HEAT_W_ESTIMATED = "heat_w_estimated"  # TOP15 + TOP40 - TOP38, 200 W steps
EXTRA_ELEC_W_ESTIMATED = "elec_w_estimated"  # TOP16 + TOP39 + TOP41, 200 W steps
EXTRA_HEAT_W_COMPUTED = "heat_w_computed"  # flow x (outlet - inlet) x 69.7
EXTRA_MODEL_CODE = "model_code"  # TOP92 bytes
EXTRA_IMPLAUSIBLE = (
    "implausible"  # topics whose value the firmware cannot send, ignored
)

# The largest value each topic's encoding can carry (decode.cpp); anything above is not a real reading.
MAX_TEMPERATURE_C = 127.0  # one byte minus 128
MAX_ESTIMATE_W = 254 * ESTIMATE_STEP_W  # (byte - 1) x 200 W
_WIRE_MAXIMA: dict[str, float] = {
    "TOP1": 256.0,  # pump flow, l/min: high byte + low byte / 256
    "TOP8": 254.0,  # compressor frequency, Hz: byte - 1
    "TOP11": 65535.0,  # operating hours: two bytes
    "TOP12": 65535.0,  # compressor starts: two bytes
    "TOP65": 254 * 50.0,  # pump speed, rpm: (byte - 1) x 50
    "TOP115": 254 / 50.0,  # water pressure, bar: (byte - 1) / 50
}
MAX_S0_W = 100_000.0
"""An S0 meter on a domestic supply (3 x 63 A) cannot count faster; faster pulses are noise."""
MAX_S0_WH = 1e9
"""A lifetime counter beyond 1 GWh is a corrupt value, not a heat pump's consumption."""

MAX_BODY_BYTES = 1_000_000
"""A real /json is about 15 kB; anything far larger is not HeishaMon."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_ERROR_CODE = re.compile(r"[HF][0-9A-F]{2}")
_MODEL_CODE = re.compile(r"[0-9A-F]{2}(?: [0-9A-F]{2}){9}")
_NO_MODEL = "00 00 00 00 00 00 00 00 00 00"
_ONEWIRE_BLOCK = b',"1wire":['
_AFTER_ONEWIRE = (
    b',"s0":[',
    b',"opentherm":{',
)  # the blocks the firmware prints after "1wire"
_MODEL_NUMBER = re.compile(
    r"\d{1,3}"
)  # TOP92 of firmware before 3.9: a row of the model table

# TOP4 Operating_Mode_State (decode.cpp getOpMode) -> (name, space-heating mode, cooling, dhw).
_OPERATING_MODES: dict[int, tuple[str, OperatingMode, bool, bool]] = {
    0: ("heat", OperatingMode.HEAT, False, False),
    1: ("cool", OperatingMode.COOL, True, False),
    2: ("auto_heat", OperatingMode.AUTO, False, False),
    3: (
        "dhw",
        OperatingMode.OFF,
        False,
        True,
    ),  # hot water only: space heating/cooling is off
    4: ("heat_dhw", OperatingMode.HEAT, False, True),
    5: ("cool_dhw", OperatingMode.COOL, True, True),
    6: ("auto_heat_dhw", OperatingMode.AUTO, False, True),
    7: ("auto_cool", OperatingMode.AUTO, True, False),
    8: ("auto_cool_dhw", OperatingMode.AUTO, True, True),
}

# TOP111 Z1_Sensor_Settings: 0 water temperature, 1 external thermostat, 2 internal thermostat, 3 thermistor.
_ROOM_SENSORS = frozenset({2, 3})

type JsonScalar = int | float | str | None
# The JSON scalar types as the decoders build them (a bool is not one of them).
_PLAIN_SCALARS = frozenset({int, float, str})


@dataclass(frozen=True, slots=True, kw_only=True)
class SetpointRange:
    """What zone 1's request temperature means right now and which integers the unit accepts."""

    kind: SetpointKind
    minimum: float
    maximum: float
    cooling: bool = False  # True: the cool request (TOP28, SetZ1CoolRequestTemperature) is the active one


@dataclass(frozen=True, slots=True, kw_only=True)
class HeishaMonState:
    """One parsed /json: the vendor-neutral reading plus the HeishaMon facts the driver needs."""

    reading: Reading
    setpoint: SetpointRange
    model_code: (
        str | None
    )  # TOP92 bytes "E2 CF ..."; None when missing or all zero (no data yet)
    heatpump_on: bool | None  # TOP0
    operating_mode_state: int | None  # TOP4, 0-8
    main_topics: int = 0  # how many TOPn entries the "heatpump" block had

    @property
    def dhw_enabled(self) -> bool:
        """Return True when the current operating mode includes domestic hot water."""
        if self.operating_mode_state is None:
            return False
        mode = _OPERATING_MODES.get(self.operating_mode_state)
        return mode is not None and mode[3]


def decode_body(body: bytes) -> object:
    """Decode a /json response body; raise UnitResponseError when it is not JSON."""
    if len(body) > MAX_BODY_BYTES:
        raise UnitResponseError(
            f"response of {len(body)} bytes is too large for HeishaMon /json"
        )
    try:
        # orjson (Home Assistant's own JSON library) is several times faster; what it refuses as
        # stricter (invalid UTF-8, NaN literals, huge integers) goes on to the lenient decoder.
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(body.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError) as err:
        error = err
    # The firmware prints 1-wire sensor aliases as typed, unescaped (dallas.cpp): an alias with a quote
    # breaks the whole document. That block is never used here, and the others are the firmware's own.
    if (rest := _without_onewire(body)) is not None:
        try:
            return json.loads(rest.decode("utf-8", errors="replace"))
        except (ValueError, RecursionError):
            pass
    raise UnitResponseError(f"response is not JSON: {error}") from error


def _without_onewire(body: bytes) -> bytes | None:
    """Return the body without its "1wire" block, or None when it has none."""
    start = body.find(_ONEWIRE_BLOCK)
    if start < 0:
        return None
    ends = [end for block in _AFTER_ONEWIRE if (end := body.find(block, start)) >= 0]
    end = min(ends) if ends else body.rfind(b"}")
    if end <= start:
        return None
    return body[:start] + body[end:]


def compute_thermal_power(flow_lpm: float, outlet_c: float, inlet_c: float) -> Quantity:
    """Return flow x (outlet - inlet) x 69.7 W at HeishaMon's 0.25 K temperature resolution."""
    return thermal.compute_thermal_power(
        flow_lpm, outlet_c, inlet_c, step_k=TEMPERATURE_STEP_K
    )


def select_thermal_power(
    *,
    computed: Quantity | None,
    reported: Quantity | None,
    estimated: Quantity | None,
    defrost: bool | None,
    idle: bool = False,
) -> Quantity | None:
    """Pick the best thermal power figure.

    1. During defrost the computed value, because only it shows the heat taken back from the water.
    2. The unit's 1 W `"heatpump extra"` figure (REPORTED) when present.
    3. While the unit is idle (compressor off, no backup heater) its own estimate when there is one:
       flow x difference then only measures the two sensors' offset.
    4. The computed value when its resolution (flow x 0.25 K x 69.7) is finer than the 200 W estimate
       or there is no estimate; at 15 l/min one 0.25 K step is worth 261 W, so at high flows the
       estimate wins, while at low flows or with a stopped pump the computed value is the finer one.
    5. The unit's 200 W-step estimate.
    """
    if defrost and computed is not None:
        return computed
    if reported is not None:
        return reported
    if estimated is not None and (idle or computed is None):
        return estimated
    if computed is not None and (
        estimated is None
        or (computed.resolution or 0.0) < (estimated.resolution or ESTIMATE_STEP_W)
    ):
        return computed
    return estimated


def setpoint_range(
    *,
    heating_mode: int | None,
    cooling_mode: int | None,
    z1_sensor: int | None,
    request: float | None,
    cooling: bool = False,
) -> SetpointRange:
    """Decide what zone 1's request temperature means.

    - A zone with a room sensor (TOP111 Z1_Sensor_Settings internal thermostat or thermistor) takes a
      room temperature: 10..30 °C heating, 18..30 °C cooling.
    - Otherwise TOP76 Heating_Mode (TOP81 Cooling_Mode when cooling) says "Comp. Curve" (0): the request is
      a -5..+5 K shift of the heating curve; or "Direct" (1): an absolute flow temperature, 20..65 °C
      heating (HeishaMon documents "20 to max"; the unit's own maximum is 55-65 °C by model and it
      refuses or clamps above it), 5..20 °C cooling.
    - Firmware without TOP76/TOP81 (or with no data yet): a request within -5..5 is taken as a shift.
    """
    if z1_sensor in _ROOM_SENSORS:
        low, high = (18.0, 30.0) if cooling else (10.0, 30.0)
        return SetpointRange(
            kind=SetpointKind.ROOM, minimum=low, maximum=high, cooling=cooling
        )
    mode = cooling_mode if cooling else heating_mode
    if mode is None and request is not None:
        mode = 0 if -5 <= request <= 5 else 1
    if mode == 1:
        low, high = (5.0, 20.0) if cooling else (20.0, 65.0)
        return SetpointRange(
            kind=SetpointKind.FLOW, minimum=low, maximum=high, cooling=cooling
        )
    return SetpointRange(
        kind=SetpointKind.CURVE_SHIFT, minimum=-5.0, maximum=5.0, cooling=cooling
    )


def parse_heishamon(
    payload: object, *, time: datetime, s0_ports: Collection[int] | None = None
) -> HeishaMonState:
    """Parse a decoded /json document; raise UnitResponseError (and nothing else) on wrong types.

    `s0_ports` picks the S0 meters that measure the heat pump; None takes every port that has counted
    energy since HeishaMon booted (unconnected ports stay at 0).
    """
    if not isinstance(payload, dict):
        raise UnitResponseError(
            f"/json is a {type(payload).__name__}, expected an object"
        )
    main_values = _index_block(payload, "heatpump")
    main = _Topics(main_values)
    extra = _Topics(_index_block(payload, "heatpump extra"))
    s0_power, s0_energy = _parse_s0(payload.get("s0"), s0_ports)

    heatpump_on = _flag(main.state("TOP0", 2))
    op_state = main.state("TOP4", 9)
    op_mode = _OPERATING_MODES.get(op_state) if op_state is not None else None
    cooling = op_mode is not None and op_mode[2]
    if heatpump_on is False:
        mode: OperatingMode | None = OperatingMode.OFF
    elif heatpump_on is True and op_mode is not None:
        mode = op_mode[1]
    else:
        mode = None

    inlet = main.temperature("TOP5")
    outlet = main.temperature("TOP6")
    flow_lpm = main.non_negative("TOP1")
    defrost = _flag(main.state("TOP26", 2))
    compressor_hz = main.non_negative("TOP8")

    computed = (
        compute_thermal_power(flow_lpm, outlet, inlet)
        if flow_lpm is not None and inlet is not None and outlet is not None
        else None
    )
    heat_estimate = _signed_sum(
        (main.power("TOP15"), 1), (main.power("TOP40"), 1), (main.power("TOP38"), -1)
    )
    elec_estimate = _signed_sum(
        (main.power("TOP16"), 1), (main.power("TOP39"), 1), (main.power("TOP41"), 1)
    )
    heat_reported = _signed_sum(
        (extra.extra_power("XTOP3"), 1),
        (extra.extra_power("XTOP5"), 1),
        (extra.extra_power("XTOP4"), -1),
    )
    elec_reported = _signed_sum(
        (extra.extra_power("XTOP0"), 1),
        (extra.extra_power("XTOP1"), 1),
        (extra.extra_power("XTOP2"), 1),
    )
    # A sum missing an impossible term would understate the power: unknown instead.
    if not main.known("TOP15", "TOP40", "TOP38"):
        heat_estimate = None
    if not main.known("TOP16", "TOP39", "TOP41"):
        elec_estimate = None
    if not extra.known("XTOP3", "XTOP4", "XTOP5"):
        heat_reported = None
    if not extra.known("XTOP0", "XTOP1", "XTOP2"):
        elec_reported = None
    heaters = (main.state("TOP60", 2), main.state("TOP61", 2))
    backup_heater = None if heaters == (None, None) else any(h == 1 for h in heaters)
    heat_w = select_thermal_power(
        computed=computed,
        reported=_quantity(heat_reported, Origin.REPORTED, REPORTED_STEP_W),
        estimated=_quantity(heat_estimate, Origin.ESTIMATED, ESTIMATE_STEP_W),
        defrost=defrost,
        idle=compressor_hz == 0 and backup_heater is not True,
    )
    elec_w = (
        s0_power
        or _quantity(elec_reported, Origin.REPORTED, REPORTED_STEP_W)
        or _quantity(elec_estimate, Origin.ESTIMATED, ESTIMATE_STEP_W)
    )

    z1_sensor = main.state("TOP111", 4)
    z1_temp = main.temperature("TOP56")
    if z1_sensor is None:
        room_c = z1_temp  # older firmware does not say which sensor the zone uses
    elif z1_sensor in _ROOM_SENSORS:
        room_c = z1_temp if z1_temp is not None else main.temperature("TOP33")
    else:
        room_c = None  # the zone runs on water temperature: Z1_Temp is not a room temperature

    request = main.setpoint("TOP28" if cooling else "TOP27")
    setpoint = setpoint_range(
        heating_mode=main.state("TOP76", 2),
        cooling_mode=main.state("TOP81", 2),
        z1_sensor=z1_sensor,
        request=request,
        cooling=cooling,
    )
    valve = main.state("TOP20", 2)
    model_code = _model_code(main.text("TOP92"))

    outdoor_c = main.temperature("TOP14")
    compressor_starts = _as_int(main.non_negative("TOP12"))
    operating_hours = main.non_negative("TOP11")
    flow_target_c = main.temperature("TOP7")
    dhw_c = main.temperature("TOP10")
    # Every topic is read above this line, so `implausible` is complete.
    extras: dict[str, float | str | None] = {
        EXTRA_OPERATING_MODE: op_mode[0] if op_mode else None,
        EXTRA_THREE_WAY_VALVE: None
        if valve is None
        else ("dhw" if valve == 1 else "room"),
        EXTRA_DHW_TARGET_C: main.temperature("TOP9"),
        EXTRA_Z1_TEMP_C: z1_temp,
        EXTRA_PUMP_SPEED_RPM: main.non_negative("TOP65"),
        EXTRA_WATER_PRESSURE_BAR: main.non_negative("TOP115"),
        EXTRA_HEAT_W_ESTIMATED: heat_estimate,
        EXTRA_ELEC_W_ESTIMATED: elec_estimate,
        EXTRA_HEAT_W_COMPUTED: None if computed is None else round(computed.value, 1),
        EXTRA_MODEL_CODE: model_code,
        EXTRA_IMPLAUSIBLE: ", ".join(sorted(main.implausible | extra.implausible))
        or None,
    }
    reading = Reading(
        time=time,
        room_c=room_c,
        outdoor_c=outdoor_c,
        flow_c=outlet,
        return_c=inlet,
        flow_lpm=flow_lpm,
        elec_w=elec_w,
        heat_w=heat_w,
        elec_kwh=s0_energy,
        compressor_running=None if compressor_hz is None else compressor_hz > 0,
        compressor_hz=compressor_hz,
        compressor_starts=compressor_starts,
        operating_hours=operating_hours,
        defrost=defrost,
        backup_heater=backup_heater,
        mode=mode,
        # TOP20: the three-way valve sends the heat to the hot water tank (1) or the rooms (0).
        dhw_active=None if valve is None else valve == 1,
        # TOP4: "auto (cool)" states cool although the mode setting is auto.
        cooling_active=None if op_mode is None else op_mode[2],
        target_c=request,
        room_target_c=request if setpoint.kind is SetpointKind.ROOM else None,
        flow_target_c=flow_target_c,
        dhw_c=dhw_c,
        error=_error_code(main.text("TOP44")),
        extra={key: value for key, value in extras.items() if value is not None},
    )
    return HeishaMonState(
        reading=reading,
        setpoint=setpoint,
        model_code=model_code,
        heatpump_on=heatpump_on,
        operating_mode_state=op_state,
        main_topics=len(main_values),
    )


def describe_model(model_code: str) -> str:
    """Return a display name for TOP92 bytes: the kit name when known, else the bytes."""
    return model_name(model_code) or f"Aquarea ({model_code})"


class _Topics:
    """Typed, sentinel-aware access to one block's `Topic -> Value` map."""

    def __init__(self, values: Mapping[str, JsonScalar]) -> None:
        self._values = values
        # Topics whose value is a number the firmware cannot send (outside its encoding's range).
        self.implausible: set[str] = set()

    def number(self, topic: str) -> float | None:
        """Return the value as a finite float (numbers or numeric strings), else None."""
        value = self._values.get(topic)
        number = _to_number(value)
        if number is None and _is_numeric(value):
            self.implausible.add(topic)  # NaN, inf or too large for a float
        return number

    def _within(self, topic: str, value: float | None, maximum: float) -> float | None:
        """Return the value if the encoding can carry it; remember the topic otherwise."""
        if value is not None and value > maximum:
            self.implausible.add(topic)
            return None
        return value

    def known(self, *topics: str) -> bool:
        """Return True when none of the topics held an impossible value."""
        return self.implausible.isdisjoint(topics)

    def text(self, topic: str) -> str | None:
        """Return the value as text, whatever JSON type it came as."""
        value = self._values.get(topic)
        if value is None:
            return None
        return value.strip() if isinstance(value, str) else str(value)

    def temperature(self, topic: str) -> float | None:
        """Return a temperature; -128 (no data) and -78 (sensor not connected) and below become None."""
        value = self.number(topic)
        if value is None or value <= -78:
            return None
        return self._within(topic, value, MAX_TEMPERATURE_C)

    def setpoint(self, topic: str) -> float | None:
        """Return a request temperature or shift; only the no-data byte (-128) is a sentinel."""
        value = self.number(topic)
        if value is None or value <= -128:
            return None
        return self._within(topic, value, MAX_TEMPERATURE_C)

    def state(self, topic: str, count: int) -> int | None:
        """Return an enumerated state 0..count-1; the firmware's -1 (unknown) and others become None."""
        value = self.number(topic)
        if value is None or not value.is_integer() or not 0 <= value < count:
            return None
        return int(value)

    def non_negative(self, topic: str) -> float | None:
        """Return a value that cannot be negative (frequency, counters, flow); -1 etc. become None."""
        value = self.number(topic)
        if value is None or value < 0:
            return None
        # + 0.0 normalises -0.0, which the firmware prints for a flow of "-0.00"
        return self._within(topic, value + 0.0, _WIRE_MAXIMA.get(topic, math.inf))

    def power(self, topic: str) -> float | None:
        """Return a main-block power estimate; -200 (no data) and any negative become None."""
        return self._within(topic, self.non_negative(topic), MAX_ESTIMATE_W)

    def extra_power(self, topic: str) -> float | None:
        """Return an XTOP power; -1 (no data) and the uint16 overflow value 65534 become None."""
        value = self.non_negative(topic)
        if value is None or 65534 <= value <= 65535:
            return None
        return self._within(topic, value, 65533.0)


def _index_block(payload: Mapping[str, object], key: str) -> dict[str, JsonScalar]:
    """Map `Topic` to `Value` for one list-of-topics block; a missing block is empty."""
    block = payload.get(key)
    if block is None:
        return {}
    if not isinstance(block, list):
        raise UnitResponseError(f'"{key}" is a {type(block).__name__}, expected a list')
    values: dict[str, JsonScalar] = {}
    for position, entry in enumerate(block):
        if not isinstance(entry, dict):
            raise UnitResponseError(
                f'"{key}"[{position}] is a {type(entry).__name__}, expected an object'
            )
        topic = entry.get("Topic")
        if not isinstance(topic, str):
            raise UnitResponseError(f'"{key}"[{position}] has no "Topic" string')
        value = entry.get("Value")
        if value is not None and type(value) not in _PLAIN_SCALARS:
            value = _scalar(value, f'"{key}" {topic} "Value"')
        values.setdefault(topic.strip(), value)
    return values


def _parse_s0(
    block: object, ports: Collection[int] | None
) -> tuple[Quantity | None, Quantity | None]:
    """Return (power, energy) from the S0 meters, summed over the selected ports."""
    if block is None:
        return None, None
    if not isinstance(block, list):
        raise UnitResponseError(f'"s0" is a {type(block).__name__}, expected a list')
    watts: list[float] = []
    watthours: list[float] = []
    for position, entry in enumerate(block):
        if not isinstance(entry, dict):
            raise UnitResponseError(
                f'"s0"[{position}] is a {type(entry).__name__}, expected an object'
            )
        port = _to_number(_scalar(entry.get("S0 port"), f'"s0"[{position}] "S0 port"'))
        watt = _to_number(_scalar(entry.get("Watt"), f'"s0"[{position}] "Watt"'))
        total = _to_number(
            _scalar(entry.get("WatthourTotal"), f'"s0"[{position}] "WatthourTotal"')
        )
        watt = None if watt is None or not 0 <= watt <= MAX_S0_W else watt
        total = None if total is None or not 0 <= total <= MAX_S0_WH else total
        if port is None:
            continue
        if ports is not None:
            if port not in ports:
                continue
        elif not total:
            continue  # no pulse counted on this port since boot: nothing connected
        if watt is not None:
            watts.append(watt)
        if total is not None:
            watthours.append(total)
    power = Quantity(value=sum(watts), origin=Origin.METERED) if watts else None
    energy = (
        Quantity(value=sum(watthours) / 1000.0, origin=Origin.METERED, resolution=0.001)
        if watthours
        else None
    )
    return power, energy


def _scalar(value: object, where: str) -> JsonScalar:
    """Accept the JSON scalars the firmware sends; reject objects, lists and booleans."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise UnitResponseError(
        f"{where} is a {type(value).__name__}, expected a number or a string"
    )


def _is_numeric(value: JsonScalar) -> bool:
    """Return True for a JSON number or a string that looks like one (including nan and inf)."""
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, str):
        text = value.strip().casefold().lstrip("+-")
        return bool(_NUMBER.fullmatch(text)) or text in ("nan", "inf", "infinity")
    return False


def _to_number(value: JsonScalar) -> float | None:
    """Return a finite float from a number or a numeric string, else None."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER.fullmatch(text):
            return None
        value = text
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _quantity(
    value: float | None, origin: Origin, resolution: float
) -> Quantity | None:
    return (
        None
        if value is None
        else Quantity(value=value, origin=origin, resolution=resolution)
    )


def _signed_sum(*terms: tuple[float | None, int]) -> float | None:
    """Sum the known terms with their signs; None when none is known."""
    known = [value * sign for value, sign in terms if value is not None]
    return sum(known) + 0.0 if known else None


def _flag(state: int | None) -> bool | None:
    return None if state is None else state == 1


def _as_int(value: float | None) -> int | None:
    return None if value is None else round(value)


def _error_code(text: str | None) -> str | None:
    """Return an error code like "H62" or "F12"; "No error", "H00" (no abnormality) and junk are None."""
    if text is None:
        return None
    code = text.strip().upper()
    if not _ERROR_CODE.fullmatch(code) or code == "H00":
        return None
    return code


def _model_code(text: str | None) -> str | None:
    """Return TOP92's ten model bytes in upper case, or None when absent, malformed, all zero or unknown.

    Firmware before 3.9 printed the model's row in HeishaMon's model table instead of its bytes (255 for a
    model not in it): the row's bytes are returned, so a board keeps its identity across a firmware update.
    """
    if text is None:
        return None
    if _MODEL_NUMBER.fullmatch(text):
        return model_code_for_number(int(text))
    code = " ".join(text.split()).upper()
    if not _MODEL_CODE.fullmatch(code) or code == _NO_MODEL:
        return None
    return code

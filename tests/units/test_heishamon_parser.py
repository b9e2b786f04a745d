"""Tests for the HeishaMon /json parser: every recorded payload, sentinels, power sources and strictness."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
import json
import math
from typing import Any

from hypothesis import HealthCheck, example, given, settings, strategies as st
import pytest

from custom_components.heatpump_efficiency.units.heishamon_models import MODELS
from custom_components.heatpump_efficiency.units.heishamon_parser import (
    EXTRA_HEAT_W_COMPUTED,
    EXTRA_MODEL_CODE,
    EXTRA_OPERATING_MODE,
    EXTRA_THREE_WAY_VALVE,
    HeishaMonState,
    compute_thermal_power,
    decode_body,
    describe_model,
    parse_heishamon,
    select_thermal_power,
    setpoint_range,
)
from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    Origin,
    Quantity,
    SetpointKind,
    UnitResponseError,
)

from .heishamon_payloads import (
    all_payloads,
    derived,
    issue370,
    issue692,
    pr132,
    s0_block,
    top92_values,
    with_topics,
    without_topics,
)

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def parse(payload: object, **kwargs: Any) -> HeishaMonState:
    return parse_heishamon(payload, time=NOW, **kwargs)


def running(**values: Any) -> dict[str, Any]:
    """The issue 552 payload with the compressor running (values a test does not set stay recorded)."""
    base = {
        "TOP8": 42,
        "TOP1": 12.0,
        "TOP5": 30.0,
        "TOP6": 35.0,
        "TOP15": 4200,
        "TOP16": 1000,
    }
    return with_topics(derived(), **{**base, **values})


# --- every recorded payload ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(all_payloads()))
def test_every_recorded_payload_parses(name: str) -> None:
    """Each payload gives a reading with no sentinel left in it."""
    reading = parse(all_payloads()[name]).reading
    assert reading.time == NOW
    for field in (
        "room_c",
        "outdoor_c",
        "flow_c",
        "return_c",
        "dhw_c",
        "flow_target_c",
    ):
        value = getattr(reading, field)
        assert value is None or value > -78, field
    for quantity in (reading.elec_w, reading.heat_w):
        assert quantity is None or quantity.value != -200


def test_derived_full_json() -> None:
    """The complete 143-topic /json (T-CAP, idle, heat+DHW, direct heating, water sensor)."""
    state = parse(derived())
    reading = state.reading
    assert state.heatpump_on is True
    assert state.operating_mode_state == 4
    assert state.dhw_enabled
    assert reading.mode is OperatingMode.HEAT
    assert reading.flow_lpm == 15.17
    assert (reading.return_c, reading.flow_c) == (35.25, 35.25)
    assert reading.flow_target_c == 35
    assert reading.outdoor_c == 10
    assert reading.dhw_c == 49
    assert reading.compressor_hz == 0
    assert reading.compressor_running is False
    assert reading.compressor_starts == 4184
    assert reading.operating_hours == 2699
    assert reading.defrost is False
    assert reading.backup_heater is False
    assert reading.error is None  # "No error"
    # Zone 1 runs on water temperature, so Z1_Temp (35) is not a room temperature.
    assert reading.room_c is None
    assert reading.extra["z1_temp_c"] == 35
    # Idle: the unit's own 0 W beats 15 l/min x 0 K, whose 0.25 K step is worth 264 W.
    assert reading.heat_w == Quantity(
        value=0.0, origin=Origin.ESTIMATED, resolution=200.0
    )
    assert reading.elec_w == Quantity(
        value=0.0, origin=Origin.ESTIMATED, resolution=200.0
    )
    assert reading.elec_kwh is None
    assert reading.target_c == 35
    assert state.setpoint.kind is SetpointKind.FLOW  # TOP76 Heating_Mode "Direct"
    assert (state.setpoint.minimum, state.setpoint.maximum) == (20, 65)
    assert reading.room_target_c is None
    assert state.model_code == "E2 CF 0C 74 09 12 D0 0E 94 05"
    assert reading.extra[EXTRA_MODEL_CODE] == state.model_code
    assert reading.extra[EXTRA_OPERATING_MODE] == "heat_dhw"
    assert reading.extra[EXTRA_THREE_WAY_VALVE] == "room"
    assert "water_pressure_bar" not in reading.extra  # -0.02 bar: no sensor reading


def test_pr132_fragment_old_descriptions() -> None:
    """Firmware v3.5 fragment (`&deg;C`, cut after TOP17): off, hot water only, nothing after TOP17."""
    state = parse(pr132())
    reading = state.reading
    assert state.heatpump_on is False
    assert reading.mode is OperatingMode.OFF
    assert reading.extra[EXTRA_OPERATING_MODE] == "dhw"
    assert (reading.return_c, reading.flow_c) == (23.5, 22.5)
    assert reading.flow_lpm == 0.13
    assert reading.compressor_running is False
    assert (reading.compressor_starts, reading.operating_hours) == (4217, 9678)
    assert reading.outdoor_c == 13
    # Idle: the unit's 0 W, not 0.13 l/min x -1 K = -9 W of sensor offset.
    assert reading.heat_w is not None
    assert reading.heat_w.origin is Origin.ESTIMATED
    assert reading.heat_w.value == 0
    assert reading.extra[EXTRA_HEAT_W_COMPUTED] == pytest.approx(-9.1)
    # Topics after TOP17 are missing: unknown, not guessed.
    assert reading.defrost is None
    assert reading.backup_heater is None
    assert reading.error is None
    assert reading.target_c is None
    assert state.model_code is None


def test_pr132_descriptions_do_not_matter() -> None:
    """`&deg;C` and `°C` descriptions give the same reading."""
    text = json.dumps(pr132())
    assert "&deg;C" in text
    modern = json.loads(text.replace("&deg;C", "°C"))
    assert parse(modern).reading == parse(pr132()).reading


def test_issue370_k_series_no_power_data() -> None:
    """K-series: TOP15/16 read -200 (no data), so thermal power is computed and electrical is unknown."""
    reading = parse(issue370()).reading
    assert reading.mode is OperatingMode.HEAT
    assert reading.compressor_running is True
    assert reading.compressor_hz == 44
    assert reading.elec_w is None
    assert reading.heat_w is not None
    assert reading.heat_w.origin is Origin.COMPUTED
    assert reading.heat_w.value == pytest.approx(29.85 * 2.0 * 69.7)
    assert reading.heat_w.resolution == pytest.approx(29.85 * 0.25 * 69.7)
    assert "heat_w_estimated" not in reading.extra
    assert reading.defrost is False
    # No TOP76 in the truncated table: a request of 57 cannot be a -5..5 shift.
    state = parse(issue370())
    assert state.setpoint.kind is SetpointKind.FLOW
    assert reading.target_c == 57


def test_issue692_xtop_preferred_over_stuck_estimate() -> None:
    """T-CAP M-series: TOP15 is stuck at 29600 W; the 1 W extra block is used instead."""
    reading = parse(issue692()).reading
    assert reading.heat_w == Quantity(value=0.0, origin=Origin.REPORTED, resolution=1.0)
    assert reading.elec_w == Quantity(
        value=18.0, origin=Origin.REPORTED, resolution=1.0
    )
    assert reading.extra["heat_w_estimated"] == 29600


# --- sentinels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("topic", "value", "field"),
    [
        ("TOP14", -128, "outdoor_c"),
        ("TOP14", -78, "outdoor_c"),
        ("TOP5", -128, "return_c"),
        ("TOP6", "-128", "flow_c"),
        ("TOP10", -128, "dhw_c"),
        ("TOP7", -128, "flow_target_c"),
        ("TOP8", -1, "compressor_hz"),
        ("TOP8", -1, "compressor_running"),
        ("TOP11", -1, "operating_hours"),
        ("TOP12", -1, "compressor_starts"),
        ("TOP26", -1, "defrost"),
        ("TOP0", -1, "mode"),
        ("TOP4", -1, "mode"),
        ("TOP27", -128, "target_c"),
        ("TOP1", -1, "flow_lpm"),
        ("TOP14", "unknown", "outdoor_c"),
        ("TOP14", None, "outdoor_c"),
        ("TOP14", 1e400, "outdoor_c"),  # json.loads turns 1e400 into inf
    ],
)
def test_sentinels_become_none(topic: str, value: Any, field: str) -> None:
    reading = parse(with_topics(derived(), **{topic: value})).reading
    assert getattr(reading, field) is None


def test_minus_one_is_a_real_temperature() -> None:
    """-1 °C outdoors and a -1 K curve shift are values, not the firmware's unknown marker."""
    reading = parse(with_topics(derived(), TOP14=-1, TOP76=0, TOP27=-1)).reading
    assert reading.outdoor_c == -1
    assert reading.target_c == -1


def test_power_sentinel_minus_200() -> None:
    reading = parse(with_topics(derived(), TOP15=-200, TOP16=-200, TOP38=-200, TOP39=-200,
                                TOP40=-200, TOP41=-200)).reading  # fmt: skip
    assert reading.elec_w is None
    assert "elec_w_estimated" not in reading.extra
    # No estimate left: thermal power falls back to the computed value.
    assert reading.heat_w is not None
    assert reading.heat_w.origin is Origin.COMPUTED


def test_xtop_sentinel_falls_back_to_estimate() -> None:
    payload = running(
        XTOP0="-1", XTOP1="-1", XTOP2="-1", XTOP3="65534", XTOP4="-1", XTOP5="-1"
    )
    reading = parse(payload).reading
    assert reading.elec_w == Quantity(
        value=1000.0, origin=Origin.ESTIMATED, resolution=200.0
    )


def test_numeric_strings_and_flow_minus_zero() -> None:
    """Values may be numeric strings; the firmware prints a zero flow as "-0.00"."""
    reading = parse(with_topics(derived(), TOP14=" 7.5 ", TOP1="-0.00")).reading
    assert reading.outdoor_c == 7.5
    assert reading.flow_lpm == 0.0
    assert math.copysign(1.0, reading.flow_lpm) == 1.0


def test_missing_blocks_and_topics() -> None:
    """An empty document is tolerated: every value unknown."""
    state = parse({})
    assert state.reading.mode is None
    assert state.reading.heat_w is None
    assert state.reading.elec_w is None
    assert state.reading.extra == {}
    assert state.model_code is None
    assert parse({"heatpump": []}).reading == state.reading


# --- power sources ------------------------------------------------------------------------------


def test_xtop_block_preferred_when_present() -> None:
    payload = running(
        XTOP0="1234", XTOP1="0", XTOP2="0", XTOP3="5678", XTOP4="0", XTOP5="0"
    )
    reading = parse(payload).reading
    assert reading.elec_w == Quantity(
        value=1234.0, origin=Origin.REPORTED, resolution=1.0
    )
    assert reading.heat_w == Quantity(
        value=5678.0, origin=Origin.REPORTED, resolution=1.0
    )


def test_estimates_sum_heat_dhw_and_cool() -> None:
    """Heat, DHW and cooling estimates add up; cooling production is heat taken from the water."""
    reading = parse(running(TOP15=0, TOP40=2000, TOP16=0, TOP41=600, TOP1=30.0)).reading
    assert reading.elec_w == Quantity(
        value=600.0, origin=Origin.ESTIMATED, resolution=200.0
    )
    assert reading.heat_w == Quantity(
        value=2000.0, origin=Origin.ESTIMATED, resolution=200.0
    )
    cooling = parse(
        running(TOP4=1, TOP15=0, TOP38=3000, TOP1=30.0, TOP5=12.0, TOP6=7.0)
    ).reading
    assert cooling.heat_w is not None
    assert cooling.heat_w.value == -3000


def test_s0_watthour_total_never_watthour() -> None:
    """Electrical power and energy come from the S0 meter; `Watthour` (since last read) is ignored."""
    payload = running(XTOP0="1234")
    payload["s0"] = s0_block((1, 850, 3, 123456), (2, 0, 0, 0))
    reading = parse(payload).reading
    assert reading.elec_w == Quantity(value=850.0, origin=Origin.METERED)
    assert reading.elec_kwh == Quantity(
        value=123.456, origin=Origin.METERED, resolution=0.001
    )
    payload["s0"] = s0_block((1, 850, 99999, 123456), (2, 0, 7, 0))
    assert parse(payload).reading == reading


def test_s0_port_selection() -> None:
    payload = derived()
    payload["s0"] = s0_block((1, 850, 3, 123456), (2, 3000, 10, 5000))
    both = parse(payload).reading
    assert both.elec_w is not None
    assert both.elec_w.value == 3850
    assert both.elec_kwh is not None
    assert both.elec_kwh.value == pytest.approx(128.456)
    only_two = parse(payload, s0_ports=[2]).reading
    assert only_two.elec_w == Quantity(value=3000.0, origin=Origin.METERED)
    assert only_two.elec_kwh is not None
    assert only_two.elec_kwh.value == 5.0


def test_s0_bare_numbers_of_firmware_4() -> None:
    """HeishaMon 4.x prints the s0 block's figures as bare numbers (s0.cpp `s0JsonOutput`), 3.x quoted them."""
    payload = derived()
    payload["s0"] = [
        {key: int(value) for key, value in port.items()}
        for port in s0_block((1, 850, 3, 123456), (2, 3000, 10, 5000))
    ]
    assert isinstance(payload["s0"][0]["S0 port"], int)
    quoted = derived()
    quoted["s0"] = s0_block((1, 850, 3, 123456), (2, 3000, 10, 5000))
    assert parse(payload).reading == parse(quoted).reading
    only_two = parse(payload, s0_ports=[2]).reading
    assert only_two.elec_w == Quantity(value=3000.0, origin=Origin.METERED)
    assert only_two.elec_kwh == Quantity(
        value=5.0, origin=Origin.METERED, resolution=0.001
    )


def test_s0_without_pulses_falls_back() -> None:
    """Unconnected S0 ports (no pulse since boot) do not hide the unit's own figures."""
    payload = derived()
    payload["s0"] = s0_block((1, 0, 0, 0), (2, 0, 0, 0))
    reading = parse(payload).reading
    assert reading.elec_w is not None
    assert reading.elec_w.origin is Origin.ESTIMATED
    assert reading.elec_kwh is None


def test_computed_thermal_power_and_resolution() -> None:
    power = compute_thermal_power(10.0, 35.0, 30.0)
    assert power == Quantity(value=3485.0, origin=Origin.COMPUTED, resolution=174.25)


def test_computed_preferred_at_low_flow() -> None:
    """At 8 l/min one 0.25 K step is 139 W: finer than the 200 W estimate."""
    reading = parse(running(TOP1=8.0, TOP5=30.0, TOP6=34.0, TOP15=2200)).reading
    assert reading.heat_w is not None
    assert reading.heat_w.origin is Origin.COMPUTED
    assert reading.heat_w.value == pytest.approx(8 * 4 * 69.7)


def test_estimate_preferred_at_high_flow() -> None:
    """At 20 l/min one 0.25 K step is 349 W: the 200 W estimate is finer."""
    reading = parse(running(TOP1=20.0, TOP15=7000)).reading
    assert reading.heat_w == Quantity(
        value=7000.0, origin=Origin.ESTIMATED, resolution=200.0
    )


def test_defrost_keeps_negative_computed_power() -> None:
    """During defrost the water gives heat back: the negative computed value wins even over XTOP."""
    payload = running(TOP26=1, TOP1=12.0, TOP5=30.0, TOP6=26.0, XTOP3="0", XTOP0="900")
    reading = parse(payload).reading
    assert reading.defrost is True
    assert reading.heat_w is not None
    assert reading.heat_w.origin is Origin.COMPUTED
    assert reading.heat_w.value == pytest.approx(-12 * 4 * 69.7)
    assert reading.elec_w == Quantity(
        value=900.0, origin=Origin.REPORTED, resolution=1.0
    )


def test_backup_heater_with_compressor_off_uses_computed() -> None:
    """The backup heater heats the water while the compressor is off: flow x difference shows it."""
    payload = with_topics(derived(), TOP60=1, TOP1=10.0, TOP5=30.0, TOP6=34.0)
    reading = parse(payload).reading
    assert reading.backup_heater is True
    assert reading.heat_w is not None
    assert reading.heat_w.origin is Origin.COMPUTED


def test_select_thermal_power_without_sources() -> None:
    assert (
        select_thermal_power(computed=None, reported=None, estimated=None, defrost=True)
        is None
    )


# --- states -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("top0", "top4", "mode", "cooling"),
    [
        (0, 4, OperatingMode.OFF, False),
        (1, 0, OperatingMode.HEAT, False),
        (1, 1, OperatingMode.COOL, True),
        (1, 2, OperatingMode.AUTO, False),
        (1, 3, OperatingMode.OFF, False),  # hot water only: no space heating
        (1, 4, OperatingMode.HEAT, False),
        (1, 5, OperatingMode.COOL, True),
        (1, 6, OperatingMode.AUTO, False),
        (1, 7, OperatingMode.AUTO, True),
        (1, 8, OperatingMode.AUTO, True),
        (1, 9, None, False),
    ],
)
def test_operating_mode(
    top0: int, top4: int, mode: OperatingMode | None, cooling: bool
) -> None:
    state = parse(with_topics(derived(), TOP0=top0, TOP4=top4))
    assert state.reading.mode is mode
    assert state.setpoint.cooling is cooling
    # "auto (cool)" (7, 8) is cooling although the mode setting is auto.
    assert state.reading.cooling_active is (None if top4 == 9 else cooling)


@pytest.mark.parametrize(
    ("top60", "top61", "expected"),
    [(0, 0, False), (1, 0, True), (0, 1, True), (-1, -1, None), (-1, 0, False)],
)
def test_backup_heater(top60: int, top61: int, expected: bool | None) -> None:
    reading = parse(with_topics(derived(), TOP60=top60, TOP61=top61)).reading
    assert reading.backup_heater is expected


def test_backup_heater_unknown_without_topics() -> None:
    assert (
        parse(without_topics(derived(), "TOP60", "TOP61")).reading.backup_heater is None
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("No error", None),
        ("H00", None),
        ("H62", "H62"),
        ("f12", "F12"),
        (" H1C ", "H1C"),
        ("", None),
        (-1, None),
        ("unknown", None),
    ],
)
def test_error_code(value: Any, expected: str | None) -> None:
    assert parse(with_topics(derived(), TOP44=value)).reading.error == expected


def test_defrost_flag() -> None:
    assert parse(with_topics(derived(), TOP26=1)).reading.defrost is True


# --- setpoint kind ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "kind", "low", "high"),
    [
        ({"TOP76": 0, "TOP27": 2}, SetpointKind.CURVE_SHIFT, -5, 5),
        ({"TOP76": 1, "TOP27": 35}, SetpointKind.FLOW, 20, 65),
        ({"TOP76": 0, "TOP111": 2, "TOP27": 21}, SetpointKind.ROOM, 10, 30),
        ({"TOP76": 1, "TOP111": 3, "TOP27": 21}, SetpointKind.ROOM, 10, 30),
        ({"TOP76": 0, "TOP111": 1, "TOP27": 3}, SetpointKind.CURVE_SHIFT, -5, 5),
        ({"TOP4": 1, "TOP81": 1, "TOP28": 18}, SetpointKind.FLOW, 5, 20),
        ({"TOP4": 5, "TOP81": 0, "TOP28": -2}, SetpointKind.CURVE_SHIFT, -5, 5),
        ({"TOP4": 1, "TOP111": 2, "TOP28": 24}, SetpointKind.ROOM, 18, 30),
    ],
)
def test_setpoint_kind(
    values: dict[str, int], kind: SetpointKind, low: int, high: int
) -> None:
    state = parse(with_topics(derived(), **values))
    assert state.setpoint.kind is kind
    assert (state.setpoint.minimum, state.setpoint.maximum) == (low, high)
    request = values.get("TOP28", values.get("TOP27"))
    assert state.reading.target_c == request
    assert state.reading.room_target_c == (
        request if kind is SetpointKind.ROOM else None
    )


def test_room_temperature_from_room_sensor() -> None:
    reading = parse(with_topics(derived(), TOP111=3, TOP56=21)).reading
    assert reading.room_c == 21
    thermostat = parse(with_topics(derived(), TOP111=2, TOP56=-128, TOP33=20)).reading
    assert thermostat.room_c == 20


def test_room_temperature_on_older_firmware() -> None:
    """Without TOP111 the zone temperature is all there is."""
    reading = parse(without_topics(with_topics(derived(), TOP56=21), "TOP111")).reading
    assert reading.room_c == 21


@pytest.mark.parametrize(
    ("request_value", "kind"),
    [(3.0, SetpointKind.CURVE_SHIFT), (-5.0, SetpointKind.CURVE_SHIFT), (40.0, SetpointKind.FLOW),
     (None, SetpointKind.CURVE_SHIFT)],
)  # fmt: skip
def test_setpoint_without_heating_mode(
    request_value: float | None, kind: SetpointKind
) -> None:
    setpoint = setpoint_range(
        heating_mode=None, cooling_mode=None, z1_sensor=None, request=request_value
    )
    assert setpoint.kind is kind


# --- identity helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("e2 cf 0c 74 09 12 d0 0e 94 05", "E2 CF 0C 74 09 12 D0 0E 94 05"),
        ("00 00 00 00 00 00 00 00 00 00", None),  # no data from the heat pump yet
        # Firmware before 3.9 printed the model's row in HeatPumpType.md, as a bare number.
        (4, "E2 CF 0D 85 05 12 D0 0C 94 05"),
        ("4", "E2 CF 0D 85 05 12 D0 0C 94 05"),
        (0, "E2 CF 0B 13 33 32 D1 0C 16 33"),
        (79, "E2 D5 0B 12 95 02 D6 0F 70 95"),
        (255, None),  # a model that firmware's table did not hold
        (80, None),  # a row this table does not have yet
        (-1, None),
        (4.5, None),
        ("1234", None),
    ],
)
def test_model_code(value: Any, expected: str | None) -> None:
    assert parse(with_topics(derived(), TOP92=value)).model_code == expected


def test_model_code_of_real_boards() -> None:
    """TOP92 as real boards showed it: bytes (2025 firmware, v3.9), and 255 before 3.9."""
    first, second, unknown = top92_values()
    assert parse(with_topics(derived(), TOP92=first)).model_code == first
    assert parse(with_topics(derived(), TOP92=second)).model_code == second
    assert describe_model(first) == "KIT-AXC9HE8"  # HeatPumpType.md row 54
    assert describe_model(second) == "KIT-ADC03JE5C-S"  # row 53, the user's own unit
    # Before 3.9 the firmware printed the row number bare (unquoted), 255 when it did not know the model.
    assert parse(with_topics(derived(), TOP92=int(unknown))).model_code is None
    assert parse(with_topics(derived(), TOP92=53)).model_code == second


def test_model_rows_keep_their_numbers() -> None:
    """The row numbers the firmware before 3.9 printed: its own table's order (decode.h of the 106-topic era)."""
    assert [MODELS[number][1] for number in (0, 3, 7, 13, 21)] == [
        "WH-MDC05H3E5",
        "KIT-WC09H3E8",
        "KIT-WC05H3E5",
        "KIT-AXC12HE8",
        "WH-MDC09J3E5",
    ]
    assert len({code for code, _ in MODELS}) == len(MODELS) == 80


def test_describe_model() -> None:
    assert describe_model("E2 CF 0C 88 05 12 D0 0B 97 05") == "KIT-WC09H3E8"
    assert describe_model("e2 d5 0d 99 94 02 d6 0d 68 95") == "KIT-ADC09K3E5"
    # A K-series unit that HeatPumpType.md does not list yet (heishamon/HeishaMon issue 987).
    assert (
        describe_model("E2 D5 0D 07 95 43 D6 0D 71 95")
        == "Aquarea (E2 D5 0D 07 95 43 D6 0D 71 95)"
    )


# --- strictness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "heatpump",
        None,
        {"heatpump": {"TOP0": 1}},
        {"heatpump": ["TOP0"]},
        {"heatpump": [{"Name": "Heatpump_State", "Value": 1}]},
        {"heatpump": [{"Topic": 0, "Value": 1}]},
        {"heatpump": [{"Topic": "TOP0", "Value": {"v": 1}}]},
        {"heatpump": [{"Topic": "TOP0", "Value": [1]}]},
        {"heatpump": [{"Topic": "TOP0", "Value": True}]},
        {"heatpump extra": "XTOP0"},
        {"s0": {"S0 port": "1"}},
        {"s0": [["1", "100"]]},
        {"s0": [{"S0 port": "1", "Watt": {"v": 1}, "WatthourTotal": "5"}]},
        {"s0": [{"S0 port": "1", "Watt": "1", "WatthourTotal": [5]}]},
    ],
)
def test_wrong_types_raise_response_error(payload: object) -> None:
    with pytest.raises(UnitResponseError):
        parse(payload)


@pytest.mark.parametrize(
    "body", [b"", b"<html>HeishaMon</html>", b"{", b"[" * 100_000, b"x" * 1_000_001]
)
def test_decode_body_rejects_garbage(body: bytes) -> None:
    with pytest.raises(UnitResponseError):
        decode_body(body)


def test_decode_body_accepts_bad_utf8_json() -> None:
    assert decode_body(b'{"a": "\xff"}') == {"a": "\ufffd"}


def firmware_text(document: dict[str, Any], onewire: str) -> bytes:
    """Print a /json document as the firmware does (no spaces), its "1wire" block before "s0" as given."""
    heatpump = json.dumps({"heatpump": document["heatpump"]}, separators=(",", ":"))
    s0 = json.dumps(document["s0"], separators=(",", ":"))
    return f'{heatpump[:-1]},"1wire":{onewire},"s0":{s0}}}'.encode()


def test_onewire_alias_with_a_quote_loses_only_that_block() -> None:
    """dallas.cpp prints a sensor's alias unescaped: a quote in it must not cost the heat pump's figures."""
    document = derived()
    document["s0"] = s0_block((1, 850, 3, 123456))
    # The 4.x dallasJsonOutput layout, an alias for a 3/4" pipe.
    broken = '[{"Sensor":"28ff641e8216034a","Temperature":21.50,"Alias":"Vorlauf 3/4"","Present":true}]'
    body = firmware_text(document, broken)
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    assert decode_body(body) == document
    reading = parse(decode_body(body)).reading
    assert reading.elec_w == Quantity(value=850.0, origin=Origin.METERED)
    # A well-formed block is read as it is (and never used).
    fine = '[{"Sensor":"28ff641e8216034a","Temperature":21.50,"Alias":"Vorlauf","Present":true}]'
    assert decode_body(firmware_text(document, fine)) == {
        **document,
        "1wire": json.loads(fine),
    }
    # Last block of the document (no s0): cut up to the closing brace.
    heatpump = json.dumps({"heatpump": document["heatpump"]}, separators=(",", ":"))
    body = f'{heatpump[:-1]},"1wire":{broken}}}'.encode()
    assert decode_body(body) == {"heatpump": document["heatpump"]}
    # Damage anywhere else is still an error.
    with pytest.raises(UnitResponseError, match="not JSON"):
        decode_body(body.replace(b'"TOP1"', b'"TOP1'))


def _lenient(body: bytes) -> object:
    """The standard library's reading of a body, which the fast decoder must never contradict.

    Integers beyond 64 bits come as floats from the fast decoder; the parser reads every number
    through float(), so they count as the float they become.
    """
    return _wide_ints_as_floats(json.loads(body.decode("utf-8", errors="replace")))


def _wide_ints_as_floats(value: object) -> object:
    if isinstance(value, dict):
        return {key: _wide_ints_as_floats(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_wide_ints_as_floats(item) for item in value]
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and not -(2**63) <= value < 2**64
    ):
        return float(value)
    return value


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": NaN, "b": -Infinity}',  # literals orjson refuses
        b'{"a": 123456789012345678901234567890}',  # beyond 64 bits
        b'{"a": 1e400}',  # beyond a double: inf
        b'{"a": "\\ud800"}',  # a lone surrogate
        b'{"a": 1, "a": 2}',  # a duplicate key: the last one
    ],
)
def test_decode_body_reads_what_the_standard_library_reads(body: bytes) -> None:
    """The fast path hands what it refuses to the lenient decoder: no body reads differently."""
    decoded, expected = decode_body(body), _lenient(body)
    assert repr(decoded) == repr(expected)


# --- fuzzing ------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)  # fmt: skip
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
BASE = derived()
BASE_ENTRIES = len(BASE["heatpump"])


def parses_or_rejects(payload: object) -> None:
    """The parser returns a state or raises UnitResponseError: nothing else escapes."""
    with contextlib.suppress(UnitResponseError):
        parse(payload)


@FUZZ
@given(json_values)
def test_fuzz_whole_document(payload: object) -> None:
    parses_or_rejects(payload)


@FUZZ
@given(
    st.integers(0, BASE_ENTRIES - 1),
    st.sampled_from(["Topic", "Value", "Description", "Name"]),
    json_values,
)
def test_fuzz_entry_field(index: int, field: str, value: object) -> None:
    payload = derived()
    payload["heatpump"][index][field] = value
    parses_or_rejects(payload)


@FUZZ
@given(st.sampled_from(["heatpump", "heatpump extra", "s0", "1wire"]), json_values)
def test_fuzz_block(block: str, value: object) -> None:
    payload = derived()
    payload[block] = value
    parses_or_rejects(payload)


@FUZZ
@given(st.sampled_from(["S0 port", "Watt", "Watthour", "WatthourTotal"]), json_values)
def test_fuzz_s0_field(field: str, value: object) -> None:
    payload = derived()
    payload["s0"] = s0_block((1, 850, 3, 123456))
    payload["s0"][0][field] = value
    parses_or_rejects(payload)


@FUZZ
@given(st.binary(max_size=200))
def test_fuzz_body(body: bytes) -> None:
    with contextlib.suppress(UnitResponseError):
        parses_or_rejects(decode_body(body))


@FUZZ
@given(
    st.sampled_from(["TOP5", "TOP6", "TOP7", "TOP10", "TOP14", "TOP56"]),
    st.one_of(st.integers(-300, 300), st.floats(allow_nan=True, allow_infinity=True)),
)
def test_fuzz_temperatures_never_report_sentinels(topic: str, value: float) -> None:
    reading = parse(with_topics(derived(), **{topic: value, "TOP111": 3})).reading
    for field in (
        "return_c",
        "flow_c",
        "flow_target_c",
        "dhw_c",
        "outdoor_c",
        "room_c",
    ):
        result = getattr(reading, field)
        assert result is None or (math.isfinite(result) and result > -78)


@FUZZ
@given(
    st.floats(0, 60, allow_nan=False),
    st.floats(-20, 80, allow_nan=False),
    st.floats(-20, 80, allow_nan=False),
)
def test_fuzz_computed_power_sign(flow: float, outlet: float, inlet: float) -> None:
    power = compute_thermal_power(flow, outlet, inlet)
    assert power.origin is Origin.COMPUTED
    assert power.resolution is not None
    assert power.resolution >= 0
    if outlet < inlet:
        assert (
            power.value <= 0
        )  # heat taken from the water (0 only when the product underflows)
    else:
        assert power.value >= 0


# --- values the firmware cannot send (issue 11) -------------------------------------------------


def test_absurd_power_topic_makes_the_estimate_unknown() -> None:
    """TOP39 = 7.2e306 (a fuzzed answer): no absurd electrical power, no sum short of one term."""
    payload = running(TOP39=7.2e306)
    payload.pop("s0", None)
    reading = parse(payload).reading
    assert reading.elec_w is None
    assert "elec_w_estimated" not in reading.extra
    assert reading.extra["implausible"] == "TOP39"
    assert parse(running(TOP39=0)).reading.elec_w == Quantity(
        value=1000.0, origin=Origin.ESTIMATED, resolution=200.0
    )


def test_absurd_flow_never_makes_thermal_power_infinite() -> None:
    """A flow of 1e308 l/min made flow x spread x 69.7 infinite; it is now unknown."""
    reading = parse(running(TOP1=1e308)).reading
    assert reading.flow_lpm is None
    assert EXTRA_HEAT_W_COMPUTED not in reading.extra
    assert reading.heat_w == Quantity(
        value=4200.0, origin=Origin.ESTIMATED, resolution=200.0
    )
    assert reading.extra["implausible"] == "TOP1"


@pytest.mark.parametrize(
    ("topic", "value", "field"),
    [
        ("TOP14", 300, "outdoor_c"),
        ("TOP5", "1e400", "return_c"),
        ("TOP8", 1e9, "compressor_hz"),
        ("TOP11", 1e12, "operating_hours"),
        ("TOP12", 1e12, "compressor_starts"),
        ("TOP10", float("inf"), "dhw_c"),
    ],
)
def test_values_beyond_the_encoding_are_unknown(
    topic: str, value: Any, field: str
) -> None:
    reading = parse(with_topics(derived(), **{topic: value})).reading
    assert getattr(reading, field) is None
    assert topic in str(reading.extra["implausible"])


def test_absurd_s0_figures_are_unknown() -> None:
    """An S0 power above a domestic supply's and a counter beyond 1 GWh are not used."""
    payload = running()
    payload["s0"] = s0_block((1, 850, 3, 123456))
    payload["s0"][0].update({"Watt": "1e9", "WatthourTotal": "5e12"})
    reading = parse(payload).reading
    assert reading.elec_kwh is None
    assert reading.elec_w is not None
    assert reading.elec_w.origin is Origin.ESTIMATED


def _numbers(reading: Any) -> list[float]:
    """Every number in a reading: plain fields, quantities and extras."""
    found: list[float] = []
    for name in reading.__dataclass_fields__:
        value = getattr(reading, name)
        if isinstance(value, Quantity):
            found.append(value.value)
            if value.resolution is not None:
                found.append(value.resolution)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            found.append(float(value))
    found.extend(v for v in reading.extra.values() if isinstance(v, (int, float)))
    return found


NUMERIC_TOPICS = sorted(
    entry["Topic"]
    for entry in BASE["heatpump"]
    if isinstance(entry["Value"], (int, float))
)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*NUMERIC_TOPICS, "XTOP0", "XTOP3"]),
            st.one_of(
                st.floats(allow_nan=True, allow_infinity=True),
                st.integers(-(10**400), 10**400),
                st.sampled_from(["nan", "-inf", "1e308", "7.2e306"]),
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_fuzz_every_number_finite_and_bounded(values: list[tuple[str, Any]]) -> None:
    """Whatever numbers arrive, every number of the reading is finite and within what a unit can do."""
    payload = running()
    payload["s0"] = s0_block((1, 850, 3, 123456))
    reading = parse(with_topics(payload, **dict(values))).reading
    for number in _numbers(reading):
        assert math.isfinite(number)
        assert abs(number) < 1e7


@pytest.mark.parametrize(
    ("top4", "top20", "mode", "dhw_active"),
    [
        (0, 0, OperatingMode.HEAT, False),  # heating the rooms
        (4, 1, OperatingMode.HEAT, True),  # heat + DHW mode, valve on the tank
        (4, 0, OperatingMode.HEAT, False),  # heat + DHW mode, valve on the rooms
        (1, 0, OperatingMode.COOL, False),  # cooling the rooms
        (5, 1, OperatingMode.COOL, True),  # cool + DHW mode, heating the tank
        (3, 1, OperatingMode.OFF, True),  # hot water only
        (0, -1, OperatingMode.HEAT, None),  # the valve state is not known
    ],
)
def test_three_way_valve_says_where_the_heat_goes(
    top4: int, top20: int, mode: OperatingMode, dhw_active: bool | None
) -> None:
    """TOP20 splits heating into rooms and hot water; cooling is the mode with the valve on the rooms."""
    reading = parse(running(TOP0=1, TOP4=top4, TOP20=top20)).reading
    assert reading.mode is mode
    assert reading.dhw_active is dhw_active


@FUZZ
@example([-(2**63) - 1, math.inf])
@given(json_values)
def test_fuzz_decoders_agree(value: object) -> None:
    body = json.dumps(value).encode()
    # Wide integers count as the floats the parser reads them as, whichever decoder read them: with an
    # Infinity in the same body the lenient one does, and keeps them as int (found: [-2**63 - 1, inf]).
    assert repr(_wide_ints_as_floats(decode_body(body))) == repr(_lenient(body))

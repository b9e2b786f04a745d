"""Tests for the thermostat: a room target or modes only, room hold, and writes through the unit's writers."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import (
    ATTR_HVAC_ACTION,
    ATTR_HVAC_MODE,
    ATTR_PRESET_MODE,
    ATTR_PRESET_MODES,
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_PRESET_MODE,
    SERVICE_SET_TEMPERATURE,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_SUPPORTED_FEATURES,
    ATTR_TEMPERATURE,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    mock_restore_cache,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.heatpump_efficiency.climate import HeatpumpClimate
from custom_components.heatpump_efficiency.const import CONF_ROOM_SENSOR, DOMAIN

from .conftest import (
    COMMAND_URL,
    JSON_URL,
    STATUS_URL,
    commands_sent,
    set_topic,
    state_of,
)

ENTITY = "climate.heat_pump"
ROOM = "sensor.living_room"


async def _call(hass: HomeAssistant, service: str, **data: Any) -> None:
    await hass.services.async_call(
        CLIMATE_DOMAIN, service, {ATTR_ENTITY_ID: ENTITY, **data}, blocking=True
    )


async def _pass(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def _setup_with_room_sensor(
    hass: HomeAssistant, entry: MockConfigEntry, room_c: float
) -> None:
    hass.states.async_set(
        ROOM, str(room_c), {"unit_of_measurement": "°C", "device_class": "temperature"}
    )
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, options={CONF_ROOM_SENSOR: ROOM})
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def _room_issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(
        DOMAIN, f"room_sensor_missing_{entry.entry_id}"
    )


# --- what the target means ----------------------------------------------------------------------


async def test_flow_unit_without_room_sensor_offers_modes_only(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A flow temperature is no room target: modes only, no presets, and a repair suggests a sensor."""
    state = state_of(hass, ENTITY)
    features = ClimateEntityFeature(state.attributes[ATTR_SUPPORTED_FEATURES])
    assert features == ClimateEntityFeature.TURN_ON | ClimateEntityFeature.TURN_OFF
    assert state.attributes.get(ATTR_TEMPERATURE) is None
    assert ATTR_PRESET_MODES not in state.attributes
    assert state.attributes["setpoint_kind"] == "flow"
    assert state.attributes["room_hold"] is False

    issue = _room_issue(hass, init_integration)
    assert issue is not None
    assert issue.translation_key == "room_sensor_missing"
    assert issue.translation_placeholders == {"name": "Aquarea"}

    with pytest.raises(HomeAssistantError):
        await _call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 21})
    with pytest.raises(HomeAssistantError):
        await _call(hass, SERVICE_SET_PRESET_MODE, **{ATTR_PRESET_MODE: "eco"})
    assert commands_sent(mock_heishamon) == []
    # Nothing of ours is deprecated (the temperature unit is declared the current way).
    assert "deprecated" not in caplog.text


async def test_room_sensor_repair_sets_the_sensor_and_reloads_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
) -> None:
    """Fixing the repair stores the chosen sensor in the options; after one reload there is a room target."""
    assert await async_setup_component(hass, "repairs", {})
    hass.states.async_set(
        ROOM, "19.0", {"unit_of_measurement": "°C", "device_class": "temperature"}
    )
    issue = _room_issue(hass, init_integration)
    assert issue is not None and issue.is_fixable
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue.issue_id})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "choose"
    assert result["description_placeholders"] == {"name": "Aquarea"}

    setups = 0
    original = hass.config_entries.async_setup

    async def count_setup(entry_id: str, *args: Any, **kwargs: Any) -> bool:
        nonlocal setups
        setups += 1
        return await original(entry_id, *args, **kwargs)

    with patch.object(hass.config_entries, "async_setup", count_setup):
        result = await manager.async_configure(
            result["flow_id"], {CONF_ROOM_SENSOR: ROOM}
        )
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_ROOM_SENSOR] == ROOM
    assert setups == 1
    state = state_of(hass, ENTITY)
    assert state.attributes["room_hold"] is True
    assert state.attributes[ATTR_TEMPERATURE] == 20
    assert _room_issue(hass, init_integration) is None


async def test_room_sensor_repair_of_a_removed_entry_aborts(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The entry went away while the repair was open: the flow says so instead of failing."""
    assert await async_setup_component(hass, "repairs", {})
    issue = _room_issue(hass, init_integration)
    assert issue is not None
    manager = repairs_flow_manager(hass)
    assert manager is not None
    with patch.object(hass.config_entries, "async_get_entry", return_value=None):
        result = await manager.async_init(DOMAIN, data={"issue_id": issue.issue_id})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "entry_removed"


async def test_room_sensor_gives_a_room_target_and_clears_the_issue(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """With a room sensor the thermostat holds a room temperature, with presets, and needs no repair."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"room_sensor_missing_{mock_config_entry.entry_id}",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="room_sensor_missing",
    )
    await _setup_with_room_sensor(hass, mock_config_entry, 19.5)
    state = state_of(hass, ENTITY)
    features = ClimateEntityFeature(state.attributes[ATTR_SUPPORTED_FEATURES])
    assert ClimateEntityFeature.TARGET_TEMPERATURE in features
    assert ClimateEntityFeature.PRESET_MODE in features
    assert state.attributes[ATTR_TEMPERATURE] == 20  # the comfort preset
    assert state.attributes["current_temperature"] == 19.5
    assert state.attributes["min_temp"] == 5 and state.attributes["max_temp"] == 30
    assert _room_issue(hass, mock_config_entry) is None

    await _call(hass, SERVICE_SET_PRESET_MODE, **{ATTR_PRESET_MODE: "eco"})
    assert state_of(hass, ENTITY).attributes[ATTR_TEMPERATURE] == 18
    assert (
        commands_sent(mock_heishamon) == []
    )  # a room target is held, never written as such


@pytest.fixture
def room_thermostat_payload(heishamon_payload: dict[str, Any]) -> dict[str, Any]:
    """The recorded unit with zone 1 on its own room thermostat (request 21 °C, room 20 °C)."""
    set_topic(heishamon_payload, "Z1_Sensor_Settings", 2)
    set_topic(heishamon_payload, "Z1_Heat_Request_Temp", 21)
    set_topic(heishamon_payload, "Z1_Temp", 20)
    return heishamon_payload


async def test_unit_room_thermostat_target_is_written(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    room_thermostat_payload: dict[str, Any],
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """The unit's own room setpoint is the target; a burst becomes one write of the last value."""
    state = state_of(hass, ENTITY)
    assert state.attributes["setpoint_kind"] == "room"
    assert state.attributes[ATTR_TEMPERATURE] == 21
    assert state.attributes["min_temp"] == 10 and state.attributes["max_temp"] == 30
    assert _room_issue(hass, init_integration) is None
    assert hass.states.get("number.heat_pump_flow_temperature_setpoint") is None

    for temperature in (22, 23, 22.4):
        await _call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: temperature})
        await _pass(hass, freezer, 0.5)
    assert commands_sent(mock_heishamon) == []
    assert (
        state_of(hass, ENTITY).attributes[ATTR_TEMPERATURE] == 22
    )  # the unit's 1 K step
    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon) == [{"SetZ1HeatRequestTemperature": "22"}]

    # Outside the unit's 10..30 °C: refused (by Home Assistant's own range check), nothing sent.
    with pytest.raises(ServiceValidationError):
        await _call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 31})
    await _pass(hass, freezer, 3)
    assert len(commands_sent(mock_heishamon)) == 1


# --- modes --------------------------------------------------------------------------------------


async def test_hvac_modes_and_turn_on_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
) -> None:
    """Off switches the unit off; on returns to the last mode; modes use the firmware's numbers."""
    await _call(hass, SERVICE_TURN_OFF)
    assert state_of(hass, ENTITY).state == HVACMode.OFF
    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon) == [{"SetHeatpump": "0"}]
    set_topic(heishamon_payload, "Heatpump_State", 0)
    await _pass(hass, freezer, 31)
    assert state_of(hass, ENTITY).state == HVACMode.OFF

    # The recorded unit runs Heat+DHW: heat is sent as Heat+DHW (4), with the unit switched back on.
    await _call(hass, SERVICE_TURN_ON)
    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon)[-1] == {
        "SetOperationMode": "4",
        "SetHeatpump": "1",
    }
    set_topic(heishamon_payload, "Heatpump_State", 1)
    await _pass(hass, freezer, 31)

    await _call(hass, SERVICE_SET_HVAC_MODE, **{ATTR_HVAC_MODE: HVACMode.COOL})
    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon)[-1] == {"SetOperationMode": "5"}
    assert state_of(hass, ENTITY).state == HVACMode.COOL


async def test_mode_shown_until_the_unit_reports_it_then_the_unit_wins(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """A written mode the unit never takes is shown for a while, then the unit's own mode again."""
    await _call(hass, SERVICE_SET_HVAC_MODE, **{ATTR_HVAC_MODE: HVACMode.COOL})
    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon) == [{"SetOperationMode": "5"}]
    await _pass(hass, freezer, 31)  # the unit still reports heat: its cache may lag
    assert state_of(hass, ENTITY).state == HVACMode.COOL
    await _pass(hass, freezer, 31)
    await _pass(hass, freezer, 31)  # more than two polls: the unit's value wins
    assert state_of(hass, ENTITY).state == HVACMode.HEAT


async def test_hvac_action_defrosting(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    heishamon_payload: dict[str, Any],
) -> None:
    """Defrost is reported as its own action; heating while the compressor runs."""
    assert state_of(hass, ENTITY).attributes[ATTR_HVAC_ACTION] == HVACAction.IDLE
    set_topic(heishamon_payload, "Compressor_Freq", 40)
    await _pass(hass, freezer, 31)
    assert state_of(hass, ENTITY).attributes[ATTR_HVAC_ACTION] == HVACAction.HEATING
    set_topic(heishamon_payload, "Defrosting_State", 1)
    await _pass(hass, freezer, 31)
    assert state_of(hass, ENTITY).attributes[ATTR_HVAC_ACTION] == HVACAction.DEFROSTING


# --- room hold ----------------------------------------------------------------------------------


@pytest.fixture
def curve_payload(heishamon_payload: dict[str, Any]) -> dict[str, Any]:
    """The recorded unit switched to its heating curve with a +0 shift."""
    set_topic(heishamon_payload, "Heating_Mode", 0)
    set_topic(heishamon_payload, "Z1_Heat_Request_Temp", 0)
    return heishamon_payload


async def test_room_hold_moves_curve_shift_slowly(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    curve_payload: dict[str, Any],
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """With a room sensor, the thermostat holds the room target by one curve step per 15 minutes."""
    await _setup_with_room_sensor(hass, mock_config_entry, 18.6)
    state = state_of(hass, ENTITY)
    assert state.attributes["room_hold"] is True
    assert state.attributes["unit_setpoint"] == 0
    assert state.attributes[ATTR_PRESET_MODE] == "comfort"

    await _pass(hass, freezer, 14 * 60)
    assert commands_sent(mock_heishamon) == []
    await _pass(hass, freezer, 60)
    assert commands_sent(mock_heishamon) == [{"SetZ1HeatRequestTemperature": "1"}]

    # The unit now reports +1 and the room is within the dead band: nothing more is written.
    set_topic(curve_payload, "Z1_Heat_Request_Temp", 1)
    hass.states.async_set(ROOM, "19.8", {"unit_of_measurement": "°C"})
    await _pass(hass, freezer, 15 * 60)
    assert len(commands_sent(mock_heishamon)) == 1

    # Too warm: one step down.
    hass.states.async_set(ROOM, "21.0", {"unit_of_measurement": "°C"})
    await _pass(hass, freezer, 15 * 60)
    assert commands_sent(mock_heishamon)[-1] == {"SetZ1HeatRequestTemperature": "0"}


async def test_room_hold_moves_fixed_flow_temperature(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    heishamon_payload: dict[str, Any],
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """On a fixed flow temperature (35 °C) room hold moves the flow temperature by 1 K."""
    await _setup_with_room_sensor(hass, mock_config_entry, 18.0)
    assert state_of(hass, ENTITY).attributes["setpoint_kind"] == "flow"
    await _pass(hass, freezer, 15 * 60)
    assert commands_sent(mock_heishamon) == [{"SetZ1HeatRequestTemperature": "36"}]


@pytest.mark.parametrize(
    ("heating_mode", "request_temp", "room_c"),
    [
        (0, 5, 17.0),  # curve at +5: cannot go higher
        (0, -5, 23.0),  # curve at -5: cannot go lower
        (1, 65, 17.0),  # flow at its 65 °C maximum
        (
            0,
            34,
            17.0,
        ),  # a flow value while the unit reports the curve's range: inconsistent, wait
    ],
)
async def test_room_hold_clamps_and_spends_nothing_at_a_limit(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    heishamon_payload: dict[str, Any],
    mock_heishamon: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    heating_mode: int,
    request_temp: int,
    room_c: float,
) -> None:
    """At the end of the unit's range room hold writes nothing, raises nothing and spends no budget."""
    set_topic(heishamon_payload, "Heating_Mode", heating_mode)
    set_topic(heishamon_payload, "Z1_Heat_Request_Temp", request_temp)
    await _setup_with_room_sensor(hass, mock_config_entry, room_c)
    for _ in range(8):
        await _pass(hass, freezer, 15 * 60)
    assert commands_sent(mock_heishamon) == []
    assert mock_config_entry.runtime_data.control.budget.to_dict() == {"writes": {}}
    assert "Traceback" not in caplog.text


async def test_room_hold_survives_driver_errors(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    curve_payload: dict[str, Any],
    mock_heishamon: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A unit that refuses the command: logged and reported, the loop keeps going, the unit's value shows."""

    async def answer_json(
        method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        return AiohttpClientMockResponse(method, url, json=curve_payload)

    async def refuse(method: str, url: URL, data: Any) -> AiohttpClientMockResponse:
        return AiohttpClientMockResponse(method, url, text="")  # an unknown command

    mock_heishamon.clear_requests()
    mock_heishamon.get(JSON_URL, side_effect=answer_json)
    mock_heishamon.get(COMMAND_URL, side_effect=refuse)
    mock_heishamon.get(STATUS_URL, text="")  # not in listen-only mode
    await _setup_with_room_sensor(hass, mock_config_entry, 17.0)
    caplog.set_level(logging.ERROR)
    await _pass(hass, freezer, 15 * 60)
    assert len(commands_sent(mock_heishamon)) == 1
    assert "was not sent" in caplog.text
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"write_not_sent_{mock_config_entry.entry_id}_setpoint"
    )
    assert issue is not None and issue.translation_key == "write_failed"
    assert state_of(hass, ENTITY).attributes["unit_setpoint"] == 0
    # The next step tries again (one budget slot per attempt that reached the unit).
    await _pass(hass, freezer, 15 * 60)
    assert len(commands_sent(mock_heishamon)) == 2


@pytest.mark.parametrize(
    ("last_attributes", "expected"),
    [
        ({"temperature": 21.5, "room_hold": True}, 21.5),
        # The unit's own curve shift from before a room sensor was chosen is not a room target.
        ({"temperature": 0.0, "room_hold": False}, 20.0),
    ],
)
async def test_room_target_restored_only_from_room_hold(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    curve_payload: dict[str, Any],
    mock_heishamon: AiohttpClientMocker,
    last_attributes: dict[str, Any],
    expected: float,
) -> None:
    """After a restart the room target comes back, but never from the unit's setpoint."""
    mock_restore_cache(hass, [State(ENTITY, "heat", last_attributes)])
    await _setup_with_room_sensor(hass, mock_config_entry, 19.0)
    assert state_of(hass, ENTITY).attributes[ATTR_TEMPERATURE] == expected


def test_temperature_unit_declared_the_current_way() -> None:
    """The native unit where Home Assistant has it (2026.11 deprecates the old name), else the old name."""
    declared = vars(HeatpumpClimate)
    # (Home Assistant turns `_attr_` class values into properties: check which name is declared.)
    if hasattr(ClimateEntity, "native_temperature_unit"):
        assert "_attr_native_temperature_unit" in declared
        assert "_attr_temperature_unit" not in declared
    else:
        assert "_attr_temperature_unit" in declared
        assert "_attr_native_temperature_unit" not in declared
    assert "_enable_turn_on_off_backwards_compatibility" not in declared

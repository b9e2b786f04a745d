"""Tests for the thermostat: service calls reach the unit, debounced and within the write budget."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate.const import (
    ATTR_HVAC_ACTION,
    ATTR_HVAC_MODE,
    ATTR_PRESET_MODE,
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_PRESET_MODE,
    SERVICE_SET_TEMPERATURE,
    HVACAction,
    HVACMode,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_TEMPERATURE,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    mock_restore_cache,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.heatpump_efficiency.const import CONF_ROOM_SENSOR

from .conftest import commands_sent, set_topic, state_of

ENTITY = "climate.heat_pump"


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


async def test_burst_of_setpoints_becomes_one_write(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """Slider moves within the quiet period collapse into one write of the last value."""
    for temperature in (36, 37, 38):
        await _call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: temperature})
        await _pass(hass, freezer, 0.5)
    assert commands_sent(mock_heishamon) == []
    # Optimistic state right away.
    assert state_of(hass, ENTITY).attributes[ATTR_TEMPERATURE] == 38

    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon) == [{"SetZ1HeatRequestTemperature": "38"}]


async def test_no_op_write_is_skipped(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """Asking for the value the unit already has writes nothing; so does a burst that returns to it."""
    await _call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 35})
    await _call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 36})
    await _call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 35})
    await _pass(hass, freezer, 5)
    assert commands_sent(mock_heishamon) == []


async def test_write_budget_refuses_then_recovers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """Six writes an hour go through; the seventh fails with a translated error until the hour rolls."""
    for temperature in range(40, 46):
        await _call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: temperature})
        await _pass(hass, freezer, 60)
    assert len(commands_sent(mock_heishamon)) == 6

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 50})
    assert err.value.translation_key == "write_budget_exceeded"
    assert err.value.translation_placeholders == {"per_hour": "6", "minutes": "55"}

    await _pass(hass, freezer, 55 * 60)
    await _call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 50})
    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon)[-1] == {"SetZ1HeatRequestTemperature": "50"}


async def test_out_of_range_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A target outside the unit's range is a validation error, nothing is written."""
    with pytest.raises(ServiceValidationError):
        await _call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 80})


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


async def test_presets_not_offered_for_flow_setpoint(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A flow-temperature setpoint is not a room temperature: no comfort/eco/away presets."""
    assert ATTR_PRESET_MODE not in state_of(hass, ENTITY).attributes
    with pytest.raises(ServiceValidationError):
        await _call(hass, SERVICE_SET_PRESET_MODE, **{ATTR_PRESET_MODE: "eco"})


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
    hass.states.async_set(
        "sensor.living_room",
        "18.6",
        {"unit_of_measurement": "°C", "device_class": "temperature"},
    )
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_ROOM_SENSOR: "sensor.living_room"}
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    state = hass.states.get(ENTITY)
    assert state is not None
    assert state.attributes["room_hold"] is True
    assert state.attributes["current_temperature"] == 18.6
    assert (
        state.attributes[ATTR_TEMPERATURE] == 20
    )  # the comfort preset until the user sets one
    assert state.attributes[ATTR_PRESET_MODE] == "comfort"

    await _call(hass, SERVICE_SET_PRESET_MODE, **{ATTR_PRESET_MODE: "comfort"})
    await _pass(hass, freezer, 14 * 60)
    assert commands_sent(mock_heishamon) == []
    await _pass(hass, freezer, 60)
    assert commands_sent(mock_heishamon) == [{"SetZ1HeatRequestTemperature": "1"}]

    # The unit now reports +1 and the room is within the dead band: nothing more is written.
    set_topic(curve_payload, "Z1_Heat_Request_Temp", 1)
    hass.states.async_set("sensor.living_room", "19.8", {"unit_of_measurement": "°C"})
    await _pass(hass, freezer, 15 * 60)
    assert len(commands_sent(mock_heishamon)) == 1

    # Too warm: one step down.
    hass.states.async_set("sensor.living_room", "21.0", {"unit_of_measurement": "°C"})
    await _pass(hass, freezer, 15 * 60)
    assert commands_sent(mock_heishamon)[-1] == {"SetZ1HeatRequestTemperature": "0"}


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
    hass.states.async_set("sensor.living_room", "19.0", {"unit_of_measurement": "°C"})
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_ROOM_SENSOR: "sensor.living_room"}
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, ENTITY).attributes[ATTR_TEMPERATURE] == expected

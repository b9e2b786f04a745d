"""Tests for the learned pre-heat: the action, the lead-time sensor, learning and persistence."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.heatpump_efficiency.const import CONF_ROOM_SENSOR, DOMAIN

from .conftest import set_topic, state_of

ROOM = "sensor.living_room"


async def _estimate(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, "estimate_preheat", data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def test_estimate_grows_when_colder(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The action answers in minutes; colder weather never gives a shorter lead time."""
    mild = await _estimate(
        hass, target_temperature=20, start_temperature=17, outdoor_temperature=8
    )
    cold = await _estimate(
        hass, target_temperature=20, start_temperature=17, outdoor_temperature=-8
    )
    assert 0 < mild["minutes"] < cold["minutes"]
    assert mild["recoveries_learned"] == 0
    reached = await _estimate(
        hass, target_temperature=20, start_temperature=20, outdoor_temperature=0
    )
    assert reached["minutes"] == 0


async def test_estimate_needs_a_room_temperature(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Without a start temperature or a room sensor the action says what is missing."""
    with pytest.raises(ServiceValidationError) as err:
        await _estimate(hass, target_temperature=20)
    assert err.value.translation_key == "no_room_temperature"


async def test_estimate_without_entries(hass: HomeAssistant) -> None:
    """With no heat pump loaded the action fails clearly."""
    assert await async_setup_component(hass, DOMAIN, {})
    with pytest.raises(ServiceValidationError) as err:
        await _estimate(hass, target_temperature=20, start_temperature=17)
    assert err.value.translation_key == "no_entry"


async def test_learns_recoveries_and_keeps_them(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    heishamon_payload: dict[str, Any],
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """A raised room target followed by warming is learned, shown, and survives a restart."""
    set_topic(heishamon_payload, "Heating_Mode", 0)
    set_topic(heishamon_payload, "Z1_Heat_Request_Temp", 0)
    hass.states.async_set(ROOM, "18.0", {"unit_of_measurement": "°C"})
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_ROOM_SENSOR: ROOM}
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert float(state_of(hass, "sensor.heat_pump_pre_heat_lead_time").state) > 0

    async def poll_minutes(minutes: int, start: float, rate_per_h: float) -> None:
        for minute in range(1, minutes + 1):
            room = start + rate_per_h * minute / 60
            hass.states.async_set(ROOM, f"{room:.2f}", {"unit_of_measurement": "°C"})
            freezer.tick(timedelta(seconds=60))
            async_fire_time_changed(hass)
            await hass.async_block_till_done()

    # Night setback at 18 °C, then the thermostat is raised to 20 °C and the room warms at 1 K/h.
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": "climate.heat_pump", "temperature": 18},
        blocking=True,
    )
    await poll_minutes(10, 18.0, 0)
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": "climate.heat_pump", "temperature": 20},
        blocking=True,
    )
    await poll_minutes(130, 18.0, 1.0)
    learned = await _estimate(
        hass, target_temperature=20, start_temperature=18, outdoor_temperature=10
    )
    assert learned["recoveries_learned"] == 1

    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    after = await _estimate(
        hass, target_temperature=20, start_temperature=18, outdoor_temperature=10
    )
    assert after["recoveries_learned"] == 1
    assert after["minutes"] == pytest.approx(learned["minutes"])

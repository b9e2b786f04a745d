"""Tests for polling: unavailability and recovery, and energy that survives a restart."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from .conftest import JSON_URL, set_topic, state_of

OUTDOOR = "sensor.heat_pump_outdoor_temperature"
ELEC_ENERGY = "sensor.heat_pump_electrical_energy"
HEAT_ENERGY = "sensor.heat_pump_thermal_energy"
LIVE_COP = "sensor.heat_pump_live_cop"


async def _poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, times: int = 1
) -> None:
    for _ in range(times):
        freezer.tick(timedelta(seconds=30))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


def _running(payload: dict[str, Any]) -> None:
    """Compressor running: 1000 W in, 10 l/min at 5 K spread (3485 W out)."""
    set_topic(payload, "Compressor_Freq", 40)
    set_topic(payload, "Heat_Power_Consumption", 1000)
    set_topic(payload, "Heat_Power_Production", 3400)
    set_topic(payload, "Pump_Flow", 10)
    set_topic(payload, "Main_Outlet_Temp", 40)
    set_topic(payload, "Main_Inlet_Temp", 35)


async def test_unavailable_and_recovery_logged_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Entities go unavailable while the unit is unreachable and come back; one log line each way."""
    assert state_of(hass, OUTDOOR).state == "10.0"
    caplog.set_level(logging.INFO)
    aioclient_mock.clear_requests()
    aioclient_mock.get(JSON_URL, exc=TimeoutError())
    await _poll(hass, freezer, 3)
    assert state_of(hass, OUTDOOR).state == STATE_UNAVAILABLE
    failures = [
        r
        for r in caplog.records
        if r.levelno >= logging.ERROR and "did not answer in time" in r.getMessage()
    ]
    assert len(failures) == 1

    aioclient_mock.clear_requests()
    aioclient_mock.get(JSON_URL, json=heishamon_payload)
    await _poll(hass, freezer, 2)
    assert state_of(hass, OUTDOOR).state == "10.0"
    assert len([r for r in caplog.records if "recovered" in r.getMessage()]) == 1


async def test_garbage_payload_makes_entities_unavailable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """A wrong-typed answer is an update failure, never a crash or a wrong value."""
    aioclient_mock.clear_requests()
    aioclient_mock.get(
        JSON_URL,
        json={
            "heatpump": [{"Topic": "TOP14", "Name": "Outside_Temp", "Value": {"x": 1}}]
        },
    )
    await _poll(hass, freezer)
    assert state_of(hass, OUTDOOR).state == STATE_UNAVAILABLE
    assert not init_integration.runtime_data.coordinator.last_update_success


async def test_live_cop_only_while_running(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    heishamon_payload: dict[str, Any],
) -> None:
    """Live COP is heat ÷ electricity while running, unknown when off or defrosting (never 0 or -1)."""
    assert state_of(hass, LIVE_COP).state == "unknown"
    _running(heishamon_payload)
    await _poll(hass, freezer)
    assert float(state_of(hass, LIVE_COP).state) == pytest.approx(3.485, abs=0.01)
    set_topic(heishamon_payload, "Defrosting_State", 1)
    set_topic(heishamon_payload, "Main_Outlet_Temp", 33)
    await _poll(hass, freezer)
    assert state_of(hass, LIVE_COP).state == "unknown"


async def test_energy_survives_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
) -> None:
    """Energy integrated from power is persisted: a restart neither loses nor double-counts it."""
    # Each hour of polls ends with the last poll of a 5-minute statistics period, where the energy
    # sensors publish what they held back (see test_recorder_load.py).
    freezer.move_to("2026-01-15T07:59:30+00:00")
    _running(heishamon_payload)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await _poll(hass, freezer, 120)  # one hour at 1000 W
    assert float(state_of(hass, ELEC_ENERGY).state) == pytest.approx(1.0, abs=0.001)
    heat_before = float(state_of(hass, HEAT_ENERGY).state)
    assert heat_before == pytest.approx(3.485, abs=0.01)

    # Restart: unload (state saved), set up again, read immediately, then another hour.
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert float(state_of(hass, ELEC_ENERGY).state) == pytest.approx(1.0, abs=0.001)
    await _poll(hass, freezer, 120)
    assert float(state_of(hass, ELEC_ENERGY).state) == pytest.approx(2.0, abs=0.001)
    assert float(state_of(hass, HEAT_ENERGY).state) == pytest.approx(
        2 * heat_before, abs=0.01
    )
    cop = float(state_of(hass, "sensor.heat_pump_cop_today").state)
    assert cop == pytest.approx(3.485, abs=0.01)

"""Faulty samples through Home Assistant: left out of energy and COP, logged at most hourly, never shown."""

from __future__ import annotations

from datetime import datetime, timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from .conftest import set_topic, state_of
from .sensor_sources import ELEC, HEAT, sensors_entry, set_sources, settle

START = datetime.fromisoformat("2026-01-15T08:00:00+00:00")
ELEC_ENERGY = "sensor.heat_pump_electrical_energy"
HEAT_ENERGY = "sensor.heat_pump_thermal_energy"
COP_TODAY = "sensor.heat_pump_cop_today"


def _rejection_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if "left out as implausible" in record.getMessage()
    ]


async def _run(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start: datetime,
    minutes: float,
    elec: float = 1000.0,
) -> datetime:
    """Report `elec` W in and 3.5 kW out every 30 s (a watt up and down: real changes); return the end."""
    steps = round(minutes * 2)
    for step in range(steps):
        freezer.move_to(start + timedelta(seconds=30 * step))
        set_sources(hass, {ELEC: elec + step % 2, HEAT: 3500 + step % 2})
        await settle(hass, freezer)
    return start + timedelta(seconds=30 * steps)


async def test_absurd_power_sample_is_left_out(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Issue 11, reproduction 1: one state of 1e9 W no longer adds 8900 kWh nor turns the COP to 0."""
    freezer.move_to(START)
    set_sources(hass, {ELEC: 1000, HEAT: 3500})
    entry = sensors_entry({"electrical_power": ELEC, "thermal_power": HEAT})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    caplog.set_level(logging.WARNING)
    now = await _run(hass, freezer, START, 60)

    # One absurd sample, then normal again: its interval is a gap, nothing else changes.
    freezer.move_to(now)
    set_sources(hass, {ELEC: 1e9})
    await settle(hass, freezer)
    assert state_of(hass, "sensor.heat_pump_electrical_power").state == STATE_UNKNOWN
    assert state_of(hass, "sensor.heat_pump_live_cop").state == STATE_UNKNOWN
    now = await _run(hass, freezer, now + timedelta(seconds=30), 30)
    freezer.move_to(
        now + timedelta(minutes=5)
    )  # energy states are written at least every 5 minutes
    set_sources(hass, {ELEC: 1000, HEAT: 3500})
    await settle(hass, freezer)

    # 95.5 minutes at 1 kW, less at most the minute around the faulty sample.
    coordinator = entry.runtime_data.coordinator
    assert coordinator.engine.results.meters.elec_kwh == pytest.approx(1.585, abs=0.01)
    assert float(state_of(hass, ELEC_ENERGY).state) == pytest.approx(1.585, abs=0.1)
    cop = state_of(hass, COP_TODAY)
    assert float(cop.state) == pytest.approx(3.5, abs=0.05)
    assert cop.attributes["rejected_samples"] == 1
    assert "rejected" in cop.attributes["quality"]
    assert len(_rejection_logs(caplog)) == 1

    # More faulty samples within the hour after the message are counted but not logged ...
    now = now + timedelta(minutes=5, seconds=30)
    for minutes in (10, 20):
        freezer.move_to(now + timedelta(minutes=minutes))
        set_sources(hass, {ELEC: 5e9, HEAT: 3500})
        await settle(hass, freezer)
        freezer.move_to(now + timedelta(minutes=minutes, seconds=30))
        set_sources(hass, {ELEC: 1e12, HEAT: 3501})
        await settle(hass, freezer)
    assert len(_rejection_logs(caplog)) == 1
    # ... until an hour has passed: then one message with how many there were.
    freezer.move_to(now + timedelta(minutes=70))
    set_sources(hass, {ELEC: 2e9, HEAT: 3500})
    await settle(hass, freezer)
    messages = _rejection_logs(caplog)
    assert len(messages) == 2
    assert ": 5 sample(s)" in messages[1]


def _s0(watt: str, total_wh: str) -> list[dict[str, str]]:
    return [
        {
            "S0 port": "1",
            "Watt": watt,
            "Watthour": "0",
            "WatthourTotal": total_wh,
            "PulseQuality": "100",
            "AvgPulseWidth": "70",
        }
    ]


async def test_absurd_s0_power_never_shows_a_fake_cop(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
) -> None:
    """Issue 11, reproduction 8: an S0 figure of 90 kW makes live COP unknown, not 0.0; flow 1e308 no inf."""
    freezer.move_to(START)
    set_topic(heishamon_payload, "Compressor_Freq", 40)
    set_topic(heishamon_payload, "Heat_Power_Production", 3400)
    set_topic(heishamon_payload, "Pump_Flow", 10)
    set_topic(heishamon_payload, "Main_Outlet_Temp", 40)
    set_topic(heishamon_payload, "Main_Inlet_Temp", 35)
    heishamon_payload["s0"] = _s0("1000", "500000")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert float(state_of(hass, "sensor.heat_pump_live_cop").state) == pytest.approx(
        3.485, abs=0.01
    )

    heishamon_payload["s0"] = _s0("90000", "500000")
    set_topic(heishamon_payload, "Pump_Flow", 1e308)
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.heat_pump_live_cop").state == STATE_UNKNOWN
    assert state_of(hass, "sensor.heat_pump_electrical_power").state == STATE_UNKNOWN
    thermal = state_of(hass, "sensor.heat_pump_thermal_power").state
    assert (
        float(thermal) == 3400.0
    )  # the unit's own estimate: the absurd flow is ignored
    assert mock_config_entry.runtime_data.coordinator.last_update_success


async def test_tighter_limit_from_the_options(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The thresholds options set the limit: at 5 kW, a 6 kW sample is faulty; the default takes it."""
    freezer.move_to(START)
    set_sources(hass, {ELEC: 6000, HEAT: 20000})
    entry = sensors_entry(
        {"electrical_power": ELEC, "thermal_power": HEAT},
        options={"thresholds": {"max_elec_kw": 5}},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.coordinator.engine.config.max_elec_kw == 5
    await _run(hass, freezer, START, 10, elec=6000)
    assert state_of(hass, "sensor.heat_pump_electrical_power").state == STATE_UNKNOWN
    results = entry.runtime_data.coordinator.engine.results
    assert results.meters.elec_kwh == 0.0
    assert results.rejected_samples > 0

    assert await hass.config_entries.async_unload(entry.entry_id)
    hass.config_entries.async_update_entry(entry, options={})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await _run(hass, freezer, START + timedelta(minutes=10), 10, elec=6000)
    assert float(state_of(hass, "sensor.heat_pump_electrical_power").state) >= 6000

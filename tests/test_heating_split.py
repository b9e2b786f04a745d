"""Space heating and hot water apart on the sensors path: a mapped hot-water-active sensor splits the figures."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest

from .conftest import state_of
from .sensor_sources import ELEC, HEAT, sensors_entry, set_sources, settle

START = datetime.fromisoformat("2026-01-15T08:00:00+00:00")
DHW = "binary_sensor.hp_dhw_valve"


async def _run(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start: datetime,
    minutes: int,
    *,
    elec: float,
    heat: float,
    dhw: str,
) -> datetime:
    """Report the given powers and valve every 30 s (a watt up and down: real changes); return the end."""
    for step in range(minutes * 2):
        freezer.move_to(start + timedelta(seconds=30 * step))
        set_sources(hass, {ELEC: elec + step % 2, HEAT: heat + step % 2})
        hass.states.async_set(DHW, dhw)
        await settle(hass, freezer)
    return start + timedelta(seconds=30 * minutes * 2)


async def test_hot_water_sensor_splits_heating(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An hour of room heating at COP 4, an hour of hot water at COP 2.5: each COP of its own, combined in between."""
    freezer.move_to(START)
    set_sources(hass, {ELEC: 1000, HEAT: 4000})
    hass.states.async_set(DHW, "off")
    entry = sensors_entry(
        {"electrical_power": ELEC, "thermal_power": HEAT, "dhw_active": DHW}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    now = await _run(hass, freezer, START, 60, elec=1000, heat=4000, dhw="off")
    await _run(hass, freezer, now, 60, elec=2000, heat=5000, dhw="on")

    results = entry.runtime_data.coordinator.engine.results
    meters = results.meters
    assert meters.space_heat_kwh == pytest.approx(4.0, abs=0.1)
    assert meters.dhw_heat_kwh == pytest.approx(5.0, abs=0.1)
    assert meters.dhw_elec_kwh == pytest.approx(2.0, abs=0.05)
    assert meters.heat_kwh == pytest.approx(
        meters.space_heat_kwh + meters.dhw_heat_kwh, abs=0.001
    )
    assert results.today.cop_space == pytest.approx(4.0, abs=0.05)
    assert results.today.cop_dhw == pytest.approx(2.5, abs=0.05)
    assert results.today.cop_combined == pytest.approx(3.0, abs=0.05)
    assert float(state_of(hass, "sensor.heat_pump_hot_water_cop_today").state) == (
        pytest.approx(2.5, abs=0.05)
    )
    assert float(
        state_of(hass, "sensor.heat_pump_space_heating_cop_today").state
    ) == pytest.approx(4.0, abs=0.05)


async def test_no_split_entities_without_the_sensor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Without a hot-water-active sensor nothing can be split: those entities are not created."""
    freezer.move_to(START)
    set_sources(hass, {ELEC: 1000, HEAT: 4000})
    entry = sensors_entry({"electrical_power": ELEC, "thermal_power": HEAT})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    keys = {
        e.unique_id.removeprefix(f"{entry.unique_id}_")
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert "electrical_energy" in keys
    assert not keys & {
        "hot_water_energy",
        "space_heating_energy",
        "cop_hot_water_today",
        "cooling_energy",
        "eer_today",
    }

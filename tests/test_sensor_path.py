"""End to end: entities fed from recorded simulator traces give the same judgement as the device path."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heatpump_efficiency.analytics.config import EngineConfig
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.analytics.results import Results
from custom_components.heatpump_efficiency.compat import LINK_WITH_DEVICE_ENTRY
from custom_components.heatpump_efficiency.const import DOMAIN
from custom_components.heatpump_efficiency.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.heatpump_efficiency.sensor_coordinator import SensorCoordinator
from simulator.trace import TraceRow

from .conftest import state_of
from .sensor_sources import (
    ELEC,
    HEAT,
    MAPPING,
    UNIQUE_ID,
    feed,
    load_trace,
    reading_from_row,
    row_values,
    sensors_entry,
    set_sources,
    settle,
)


def device_path(rows: list[TraceRow]) -> Results:
    """Feed the rows as readings straight into an engine, as the polling coordinator does."""
    engine = Engine(EngineConfig(timezone=dt_util.get_default_time_zone()))
    for row in rows:
        engine.update(reading_from_row(row))
    return engine.results


async def setup_sensor_path(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, rows: list[TraceRow]
) -> MockConfigEntry:
    """Show the first row on the source entities and set up a sensors entry on them."""
    freezer.move_to(rows[0].time)
    set_sources(hass, row_values(rows[0]))
    entry = sensors_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.mark.parametrize("trace", ["cold_humid_4h_60s.csv", "oversized_4h_60s.csv"])
async def test_same_results_as_device_path(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, trace: str
) -> None:
    """COP, defrost and cycling from the entities equal the device path's for the same trace."""
    rows = load_trace(trace)
    entry = await setup_sensor_path(hass, freezer, rows)
    await feed(hass, freezer, rows[1:])

    coordinator = entry.runtime_data.coordinator
    assert isinstance(coordinator, SensorCoordinator)
    expected = device_path(rows)
    assert coordinator.engine.results.as_dict() == expected.as_dict()
    assert expected.rolling_24h.cop_combined is not None
    assert expected.ignored_readings == 0

    cop = state_of(hass, "sensor.heat_pump_cop_today")
    assert float(cop.state) == round(expected.today.cop_combined or 0, 2)
    assert cop.attributes["defrost_count"] == expected.today.defrost_count
    assert int(state_of(hass, "sensor.heat_pump_defrosts_today").state) == (
        expected.defrost.count_today
    )
    starts = state_of(hass, "sensor.heat_pump_compressor_starts_per_hour").state
    if expected.cycling.starts_per_hour is None:
        assert starts == "unknown"
    else:
        assert float(starts) == round(expected.cycling.starts_per_hour, 2)
    short_cycling = state_of(hass, "binary_sensor.heat_pump_short_cycling").state
    assert short_cycling == ("on" if expected.cycling.short_cycling else "off")
    last = rows[-1]
    # Powers are shown in whole watts at best (the recorder gets no finer noise).
    assert float(state_of(hass, "sensor.heat_pump_electrical_power").state) == round(
        last.elec_w or 0
    )
    assert state_of(hass, "sensor.heat_pump_electrical_power").attributes["source"] == (
        "metered"
    )


async def test_trace_shows_defrost_and_cycling(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The recorded traces exercise what they are for: defrosts in humid frost, starts when oversized."""
    humid = device_path(load_trace("cold_humid_4h_60s.csv"))
    oversized = device_path(load_trace("oversized_4h_60s.csv"))
    assert humid.defrost.count_today >= 3
    assert oversized.cycling.starts_24h >= 10


async def test_entities_and_no_climate(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The sensors path creates the efficiency entities on a device of its own, and no thermostat."""
    rows = load_trace("cold_humid_4h_60s.csv")
    entry = await setup_sensor_path(hass, freezer, rows[:1])
    assert entry.state is ConfigEntryState.LOADED
    registry = er.async_get(hass)
    ours = er.async_entries_for_config_entry(registry, entry.entry_id)
    # The trace has heat, so the performance curve picture is there too.
    assert {e.domain for e in ours} == {"sensor", "binary_sensor", "button", "image"}
    assert state_of(hass, "button.heat_pump_filter_cleaned")
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert len(devices) == 1
    device = devices[0]
    assert device.identifiers == {(DOMAIN, UNIQUE_ID)}
    assert device.name == "Heat pump"
    assert all(e.device_id == device.id for e in ours)


async def test_unavailable_sources_make_entities_unavailable(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Without electricity the derived entities are unavailable, then come back with it."""
    rows = load_trace("cold_humid_4h_60s.csv")
    await setup_sensor_path(hass, freezer, rows[:1])
    await feed(hass, freezer, rows[1:3])
    assert state_of(hass, "sensor.heat_pump_live_cop").state != STATE_UNAVAILABLE

    freezer.move_to(rows[3].time)
    set_sources(hass, {**row_values(rows[3]), ELEC: None})
    await settle(hass, freezer)
    for entity_id in ("sensor.heat_pump_cop_today", "binary_sensor.heat_pump_defrost"):
        assert state_of(hass, entity_id).state == STATE_UNAVAILABLE

    await feed(hass, freezer, rows[4:5])
    assert state_of(hass, "sensor.heat_pump_cop_today").state != STATE_UNAVAILABLE


async def test_setup_waits_for_sources(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An entry whose sources are not there yet retries setup instead of showing wrong figures."""
    set_sources(hass, {HEAT: 1000.0})
    entry = sensors_entry()
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert ELEC in (entry.reason or "")


async def test_restart_keeps_statistics(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Energy and COP survive a reload (restart): nothing is lost or counted twice."""
    rows = load_trace("cold_humid_4h_60s.csv")
    entry = await setup_sensor_path(hass, freezer, rows[:1])
    await feed(hass, freezer, rows[1:60])
    before = entry.runtime_data.coordinator.engine.results.lifetime
    assert before.elec_kwh > 0

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    restored = entry.runtime_data.coordinator.engine.results.lifetime
    assert restored.elec_kwh == pytest.approx(before.elec_kwh, rel=0.01)

    await feed(hass, freezer, rows[60:120])
    after = entry.runtime_data.coordinator.engine.results.lifetime
    expected = device_path(rows[:120]).lifetime
    # The reload's own reading adds one short interval at most.
    assert after.elec_kwh == pytest.approx(expected.elec_kwh, rel=0.01)
    assert after.heat_kwh == pytest.approx(expected.heat_kwh, rel=0.01)


def test_mapping_covers_every_trace_column() -> None:
    """The recorded trace drives every mapped source of the test entry."""
    rows = load_trace("cold_humid_4h_60s.csv")
    assert set(row_values(rows[0])) == set(MAPPING.values())


async def test_entities_join_the_source_device(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Entities attach to the heat pump's device of another integration, without owning that device."""
    other = MockConfigEntry(domain="other_heatpump")
    other.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id,
        identifiers={("other_heatpump", "aquarea-1")},
        manufacturer="Panasonic",
        model="WH-MDC05J3E5",
        name="Aquarea",
    )
    registry = er.async_get(hass)
    for object_id in ("hp_electrical_power", "hp_thermal_power"):
        registry.async_get_or_create(
            "sensor",
            "other_heatpump",
            object_id,
            suggested_object_id=object_id,
            config_entry=other,
            device_id=device.id,
        )
    rows = load_trace("cold_humid_4h_60s.csv")
    entry = await setup_sensor_path(hass, freezer, rows[:1])

    ours = er.async_entries_for_config_entry(registry, entry.entry_id)
    assert ours
    assert all(e.device_id == device.id for e in ours)
    live_cop = state_of(hass, "sensor.aquarea_live_cop")
    assert live_cop.attributes["friendly_name"] == "Aquarea Live COP"
    power = state_of(hass, "sensor.aquarea_electrical_power")
    assert power.attributes["source"] == "reported"  # the unit integration's own figure
    # No device of its own: on 2025.4 the entry is linked to the heat pump's device, on 2026 to none.
    own = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert all(d.id == device.id for d in own)
    linked = dr.async_get(hass).async_get(device.id)
    assert linked is not None
    if LINK_WITH_DEVICE_ENTRY:
        # Home Assistant 2026: the device keeps belonging to its own integration only.
        assert linked.config_entry_id == other.entry_id  # type: ignore[attr-defined,unused-ignore]
    assert entry.runtime_data.coordinator.identity.manufacturer == "Panasonic"


async def test_diagnostics_of_sensors_entry(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Diagnostics work on the sensors path: the mapping, the reading and the results."""
    rows = load_trace("cold_humid_4h_60s.csv")
    entry = await setup_sensor_path(hass, freezer, rows[:1])
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["entry"]["data"]["electrical_power"] == ELEC
    assert diagnostics["reading"]["elec_w"]["origin"] == "metered"
    assert diagnostics["last_update_success"] is True

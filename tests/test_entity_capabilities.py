"""Entities by capability: each source creates only the entities its data can feed."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.heatpump_efficiency.binary_sensor import BINARY_SENSORS
from custom_components.heatpump_efficiency.const import CONF_ROOM_SENSOR, DOMAIN
from custom_components.heatpump_efficiency.entity_source import (
    FIELD_FEEDS,
    EntitySource,
    SourceConfig,
    reported_fields,
)
from custom_components.heatpump_efficiency.sensor import SENSORS, without_heat
from custom_components.heatpump_efficiency.sensor_mapping import FIELDS
from custom_components.heatpump_efficiency.units.heishamon import REPORTED_FIELDS
from custom_components.heatpump_efficiency.units.heishamon_parser import parse_heishamon
from custom_components.heatpump_efficiency.units.model import Reading, UnitIdentity

from .sensor_sources import (
    ATTRIBUTES,
    BACKUP,
    DEFROST,
    ELEC,
    FLOW,
    HEAT,
    HUMID,
    HZ,
    MAPPING,
    OUTDOOR,
    RETURN,
    UNIQUE_ID,
    sensors_entry,
    set_sources,
)
from .units.heishamon_payloads import all_payloads

READING_FIELDS = frozenset(field.name for field in dataclasses.fields(Reading)) - {
    "time",
    "extra",
}
# Fed by the engine's judgement of any reading, whatever the source reports.
ALWAYS_SENSORS = {
    "electrical_energy",
    "thermal_energy",
    "cop_today",
    "cop_yesterday",
    "cop_24h",
    "cop_7d",
    "cop_30d",
    "scop",
    "cop_lifetime",
    "defrosts_today",
    "last_defrost_duration",
    "minutes_between_defrosts",
    "defrost_heat_lost_today",
    "starts_per_hour",
    "median_run_time",
    "filter_remaining",
    # Need heat, like the COPs: the COP against the clean filter and the season's fleet rank.
    "filter_cop_drift",
    "fleet_rank",
}
ALWAYS_BINARY_SENSORS = {"defrost", "filter_due", "excessive_defrost", "short_cycling"}
SOURCE_VALUES = {
    ELEC: 1200,
    HEAT: 4300,
    FLOW: 35.0,
    RETURN: 30.0,
    OUTDOOR: 2.0,
    HUMID: 80,
    DEFROST: "off",
    HZ: 40,
    BACKUP: 0,
}


def created_keys(hass: HomeAssistant, entry: ConfigEntry, domain: str) -> set[str]:
    """Return the description keys of an entry's entities of one platform."""
    registry = er.async_get(hass)
    prefix = f"{entry.unique_id}_"
    return {
        entity.unique_id.removeprefix(prefix)
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if entity.domain == domain
    }


async def setup_sensors_entry(
    hass: HomeAssistant, data: dict[str, Any], options: dict[str, Any] | None = None
) -> MockConfigEntry:
    """Show values on the source entities and set up a sensors entry mapping `data`."""
    set_sources(hass, SOURCE_VALUES)
    entry = sensors_entry(data, options)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_sensors_path_creates_only_fed_entities(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """No error, starts, hours, hot water, flow target or flow rate entity when nothing maps to them."""
    entry = await setup_sensors_entry(hass, dict(MAPPING))
    assert created_keys(hass, entry, "sensor") == ALWAYS_SENSORS | {
        "cop_live",
        "thermal_power",
        "electrical_power",
        "backup_heater_energy",
        "backup_heater_share_today",
        "outdoor_temperature",
        "flow_temperature",
        "return_temperature",
        "compressor_frequency",
    }
    # The unit's error state is unknown here: a problem sensor that is always "off" would lie.
    assert created_keys(hass, entry, "binary_sensor") == ALWAYS_BINARY_SENSORS


async def test_energy_counters_only(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Energy meters alone: period COP and energies, but no live COP, powers or temperatures."""
    hass.states.async_set(
        "sensor.hp_elec_kwh",
        "100.0",
        {**ATTRIBUTES[ELEC], "unit_of_measurement": "kWh", "device_class": "energy"},
    )
    hass.states.async_set(
        "sensor.hp_heat_kwh",
        "350.0",
        {**ATTRIBUTES[HEAT], "unit_of_measurement": "kWh", "device_class": "energy"},
    )
    entry = await setup_sensors_entry(
        hass,
        {
            "electrical_energy": "sensor.hp_elec_kwh",
            "thermal_energy": "sensor.hp_heat_kwh",
        },
    )
    assert created_keys(hass, entry, "sensor") == ALWAYS_SENSORS
    assert created_keys(hass, entry, "binary_sensor") == ALWAYS_BINARY_SENSORS


async def test_room_sensor_feeds_preheat(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The pre-heat lead time needs a room temperature: created once a room sensor is chosen."""
    hass.states.async_set(
        "sensor.living_room",
        "20.5",
        {"device_class": "temperature", "unit_of_measurement": "°C"},
    )
    entry = await setup_sensors_entry(
        hass, dict(MAPPING), {CONF_ROOM_SENSOR: "sensor.living_room"}
    )
    assert "preheat_lead_time" in created_keys(hass, entry, "sensor")


async def test_unfed_entity_of_an_earlier_version_is_removed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An entity an earlier version created but nothing can feed is removed, not left "unavailable"."""
    entry = sensors_entry(dict(MAPPING))
    entry.add_to_hass(hass)
    registry = er.async_get(hass)
    stale = registry.async_get_or_create(
        "binary_sensor", DOMAIN, f"{UNIQUE_ID}_unit_error", config_entry=entry
    )
    kept = registry.async_get_or_create(
        "sensor", DOMAIN, f"{UNIQUE_ID}_cop_today", config_entry=entry
    )
    # Another entry's entity with a colliding key is never touched.
    other = MockConfigEntry(domain=DOMAIN, unique_id="other")
    other.add_to_hass(hass)
    foreign = registry.async_get_or_create(
        "sensor", DOMAIN, f"{UNIQUE_ID}_dhw_temperature", config_entry=other
    )
    set_sources(hass, SOURCE_VALUES)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert registry.async_get(stale.entity_id) is None
    assert registry.async_get(kept.entity_id) is not None
    assert registry.async_get(foreign.entity_id) is not None


HEATING_CURVE_ADVICE = frozenset(
    {"heating_curve_advice", "heating_curve_change", "heating_curve_cop_change"}
)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_heishamon_creates_what_its_data_feeds(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """HeishaMon reports errors, counters, hot water and the flow target; its zone has no room sensor."""
    sensors = created_keys(hass, init_integration, "sensor")
    # Everything but what needs a room temperature (the pre-heat lead time, the heating-curve advice) and
    # the stand-ins for a missing heat figure.
    assert sensors == {d.key for d in SENSORS if d.has_fn is not without_heat} - {
        "preheat_lead_time",
        *HEATING_CURVE_ADVICE,
    }
    binary = created_keys(hass, init_integration, "binary_sensor")
    assert binary == {d.key for d in BINARY_SENSORS}
    assert hass.states.get("binary_sensor.heat_pump_unit_error") is not None


async def test_heishamon_with_room_sensor_has_preheat(
    hass: HomeAssistant,
    mock_heishamon: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
) -> None:
    """With a room sensor chosen in the options, the unit's entry gains the pre-heat lead time."""
    hass.states.async_set(
        "sensor.living_room",
        "20.5",
        {"device_class": "temperature", "unit_of_measurement": "°C"},
    )
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=mock_config_entry.title,
        data=dict(mock_config_entry.data),
        unique_id=mock_config_entry.unique_id,
        options={CONF_ROOM_SENSOR: "sensor.living_room"},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    created = created_keys(hass, entry, "sensor")
    assert "preheat_lead_time" in created
    # ... and the heating-curve advice (a flow temperature, heat, and now a room temperature).
    assert created >= HEATING_CURVE_ADVICE


@pytest.mark.parametrize("name", sorted(all_payloads()))
def test_heishamon_fills_only_what_it_declares(name: str) -> None:
    """Every recorded payload fills only declared fields, so no entity is wrongly left out."""
    payload = all_payloads()[name]
    reading = parse_heishamon(payload, time=datetime(2026, 1, 15, tzinfo=UTC)).reading
    filled = {field for field in READING_FIELDS if getattr(reading, field) is not None}
    assert filled <= REPORTED_FIELDS
    assert REPORTED_FIELDS <= READING_FIELDS


def test_every_mapped_field_feeds_reading_fields() -> None:
    """Each mappable entity names real `Reading` fields; the hydraulics together give thermal power."""
    assert set(FIELD_FEEDS) == {field.key for field in FIELDS}
    for fields in FIELD_FEEDS.values():
        assert fields and fields <= READING_FIELDS
    assert "heat_w" in reported_fields(
        ["flow_temperature", "return_temperature", "flow_rate"]
    )
    assert "heat_w" not in reported_fields(["flow_temperature", "return_temperature"])


async def test_entity_source_fills_only_what_it_declares(hass: HomeAssistant) -> None:
    """A reading from every mapped entity fills exactly what the mapping declares, nothing more."""
    set_sources(hass, SOURCE_VALUES)
    hass.states.async_set("binary_sensor.hp_backup_heater", "off")
    hass.states.async_set("binary_sensor.hp_running", "on")
    hass.states.async_set(
        "climate.hp", "heat", {"current_temperature": 20.5, "temperature": 21.0}
    )
    entities = {
        **MAPPING,
        "backup_heater": "binary_sensor.hp_backup_heater",
        "compressor_running": "binary_sensor.hp_running",
        "climate": "climate.hp",
    }
    source = EntitySource(
        hass,
        SourceConfig(entities=entities),
        UnitIdentity(unique_id=UNIQUE_ID, manufacturer="test"),
    )
    await source.async_identify()
    reading = await source.async_fetch()
    filled = {field for field in READING_FIELDS if getattr(reading, field) is not None}
    assert filled == source.capabilities.reported_fields

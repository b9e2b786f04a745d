"""Repairs of the sensors path: a mapped entity removed, renamed or in a wrong unit, fixed by re-mapping."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heatpump_efficiency.const import DOMAIN

from .sensor_sources import (
    ELEC,
    ENERGY_KWH,
    HEAT,
    MAPPING,
    OUTDOOR,
    POWER_W,
    TEMPERATURE_C,
    sensors_entry,
    set_sources,
    settle,
)


async def _setup(hass: HomeAssistant, data: dict[str, str]) -> MockConfigEntry:
    assert await async_setup_component(hass, "repairs", {})
    entry = sensors_entry(data)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _registered(
    hass: HomeAssistant, object_id: str, state: str, attributes: dict[str, str]
) -> str:
    """Register an entity of another integration and give it a state; return its entity id."""
    entry = er.async_get(hass).async_get_or_create(
        "sensor", "other", object_id, suggested_object_id=object_id
    )
    hass.states.async_set(entry.entity_id, state, attributes)
    return entry.entity_id


async def test_removed_entity_repair_remaps(hass: HomeAssistant) -> None:
    """A removed mapped entity raises a fixable issue; the fix flow checks and maps another one."""
    outdoor = _registered(hass, "garden_temperature", "3.5", TEMPERATURE_C)
    set_sources(hass, {ELEC: 1000.0, HEAT: 3000.0})
    hass.states.async_set("sensor.energy", "10", ENERGY_KWH)
    entry = await _setup(
        hass,
        {
            "electrical_power": ELEC,
            "thermal_power": HEAT,
            "outdoor_temperature": outdoor,
        },
    )

    er.async_get(hass).async_remove(outdoor)
    await hass.async_block_till_done()
    issue_id = f"source_missing_{entry.entry_id}_outdoor_temperature"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None and issue.is_fixable
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["entity"] == outdoor
    assert issue.translation_placeholders["field"] == "outdoor temperature"

    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "remap"
    result = await manager.async_configure(
        result["flow_id"], {"entity_id": "sensor.energy"}
    )
    assert result["errors"] == {"entity_id": "wrong_device_class"}
    result = await manager.async_configure(result["flow_id"], {"entity_id": OUTDOOR})
    assert result["errors"] == {"entity_id": "entity_not_found"}
    set_sources(hass, {OUTDOOR: 4.0})
    result = await manager.async_configure(result["flow_id"], {"entity_id": OUTDOOR})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.data["outdoor_temperature"] == OUTDOOR
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert entry.runtime_data.coordinator.data.reading.outdoor_c == 4.0


async def test_renamed_entity_repair_suggests_new_id(hass: HomeAssistant) -> None:
    """A renamed mapped entity raises an issue whose fix flow offers the new id."""
    meter = _registered(hass, "meter_power", "1000", POWER_W)
    set_sources(hass, {HEAT: 3000.0})
    entry = await _setup(hass, {"electrical_power": meter, "thermal_power": HEAT})

    er.async_get(hass).async_update_entity(
        meter, new_entity_id="sensor.heat_pump_meter"
    )
    hass.states.async_set("sensor.heat_pump_meter", "1000", POWER_W)
    await hass.async_block_till_done()
    issue_id = f"source_renamed_{entry.entry_id}_electrical_power"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["new_entity"] == "sensor.heat_pump_meter"

    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert result["data_schema"] is not None
    field = next(iter(result["data_schema"].schema))
    assert field.description == {"suggested_value": "sensor.heat_pump_meter"}
    result = await manager.async_configure(
        result["flow_id"], {"entity_id": "sensor.heat_pump_meter"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.data["electrical_power"] == "sensor.heat_pump_meter"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_unit_change_raises_and_clears_issue(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A mapped entity switching to a unit that cannot be converted raises an issue until it is fixed."""
    set_sources(hass, {ELEC: 1000.0, HEAT: 3000.0})
    entry = await _setup(hass, {"electrical_power": ELEC, "thermal_power": HEAT})
    issue_id = f"source_unit_{entry.entry_id}_electrical_power"

    hass.states.async_set(
        ELEC, "1000", {"device_class": "power", "unit_of_measurement": "A"}
    )
    await settle(hass, freezer)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["unit"] == "A"
    assert "kW" in issue.translation_placeholders["expected"]

    hass.states.async_set(
        ELEC, "1.1", {"device_class": "power", "unit_of_measurement": "kW"}
    )
    await settle(hass, freezer)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert entry.runtime_data.coordinator.data.reading.elec_w is not None
    assert entry.runtime_data.coordinator.data.reading.elec_w.value == 1100


async def test_missing_entity_at_setup_and_removal_clears_issues(
    hass: HomeAssistant,
) -> None:
    """A mapped entity that does not exist once Home Assistant runs raises an issue; removal clears it."""
    set_sources(hass, {ELEC: 1000.0, HEAT: 3000.0})
    entry = await _setup(
        hass,
        {
            "electrical_power": ELEC,
            "thermal_power": HEAT,
            "defrost": "binary_sensor.nowhere",
        },
    )
    issue_id = f"source_missing_{entry.entry_id}_defrost"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert set(MAPPING) >= {"electrical_power", "defrost"}

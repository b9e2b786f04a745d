"""Tests for the "use existing sensors" config flow, reconfigure and options: every error recovers."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heatpump_efficiency.const import (
    CONF_KIND,
    CONF_MAX_AGE,
    CONF_THRESHOLDS,
    DOMAIN,
    KIND_SENSORS,
)

from .conftest import state_of
from .sensor_sources import (
    DEFROST,
    ELEC,
    ENERGY_KWH,
    FLOW,
    HEAT,
    HUMID,
    MAPPING,
    OUTDOOR,
    RETURN,
    sensors_entry,
    set_sources,
)

SOURCES = {
    ELEC: 1200.0,
    HEAT: 4000.0,
    FLOW: 35.0,
    RETURN: 30.0,
    OUTDOOR: 3.0,
    HUMID: 85.0,
    DEFROST: "off",
}


async def _start(hass: HomeAssistant) -> ConfigFlowResult:
    """Open the add flow and choose "Use existing sensors"."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "sensors"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "sensors"
    return result


async def _configure(
    hass: HomeAssistant, result: ConfigFlowResult, user_input: dict[str, Any]
) -> ConfigFlowResult:
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


async def test_sensors_flow_errors_recover_to_entry(hass: HomeAssistant) -> None:
    """Each invalid mapping is refused with a clear error; the corrected one becomes a working entry."""
    set_sources(hass, SOURCES)
    hass.states.async_set("sensor.meter_energy", "12.5", ENERGY_KWH)
    hass.states.async_set(
        "sensor.power_pct", "12", {"device_class": "power", "unit_of_measurement": "%"}
    )
    hass.states.async_set("sensor.operation", "Heat")
    result = await _start(hass)

    for user_input, errors in (
        ({"name": "Aquarea"}, {"base": "electrical_required"}),
        (
            {"electrical_power": "sensor.meter_energy", "thermal_power": HEAT},
            {"electrical_power": "wrong_device_class"},
        ),
        (
            {"electrical_power": "sensor.power_pct", "thermal_power": HEAT},
            {"electrical_power": "wrong_unit"},
        ),
        (
            {"electrical_power": ELEC, "thermal_power": "sensor.gone"},
            {"thermal_power": "entity_not_found"},
        ),
        (
            {"electrical_power": ELEC, "thermal_power": "binary_sensor.hp_defrost"},
            {"thermal_power": "wrong_domain"},
        ),
    ):
        result = await _configure(hass, result, user_input)
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "sensors"
        assert result["errors"] == errors, user_input

    result = await _configure(
        hass,
        result,
        {"name": " Aquarea ", "electrical_power": ELEC, "thermal_power": HEAT},
    )
    assert result["step_id"] == "sensors_details"

    result = await _configure(
        hass, result, {"defrost": "sensor.operation", "outdoor_temperature": HUMID}
    )
    assert result["errors"] == {
        "defrost_states": "defrost_states_required",
        "outdoor_temperature": "wrong_device_class",
    }
    details = {
        "defrost": DEFROST,
        "outdoor_temperature": OUTDOOR,
        "outdoor_humidity": HUMID,
    }
    result = await _configure(hass, result, details)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Aquarea"
    assert result["data"] == {
        CONF_KIND: KIND_SENSORS,
        "electrical_power": ELEC,
        "thermal_power": HEAT,
        **details,
    }
    entry = result["result"]
    assert entry.unique_id == f"sensors_{ELEC}"
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.heat_pump_live_cop").state == "3.33"


async def test_sensors_flow_hydraulics_and_registry_id(hass: HomeAssistant) -> None:
    """Flow and return temperature with a flow rate are enough heat; the meter's registry id names the entry."""
    registry = er.async_get(hass)
    meter = registry.async_get_or_create(
        "sensor", "shelly", "em-1", suggested_object_id="hp_meter"
    )
    hass.states.async_set(
        meter.entity_id, "900", {"device_class": "power", "unit_of_measurement": "W"}
    )
    hass.states.async_set(
        "sensor.hp_flow_rate",
        "12",
        {"device_class": "volume_flow_rate", "unit_of_measurement": "L/min"},
    )
    set_sources(hass, {FLOW: 35.0, RETURN: 30.0})
    result = await _start(hass)
    result = await _configure(
        hass,
        result,
        {
            "electrical_power": meter.entity_id,
            "flow_temperature": FLOW,
            "return_temperature": RETURN,
            "flow_rate": "sensor.hp_flow_rate",
        },
    )
    result = await _configure(hass, result, {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Heat pump"
    assert result["result"].unique_id == f"sensors_{meter.id}"
    await hass.async_block_till_done()
    assert float(state_of(hass, "sensor.heat_pump_thermal_power").state) == 4182.0
    assert (
        state_of(hass, "sensor.heat_pump_thermal_power").attributes["source"]
        == "computed"
    )


async def test_sensors_flow_already_configured(hass: HomeAssistant) -> None:
    """The same electricity entity cannot be the source of two entries."""
    set_sources(hass, SOURCES)
    MockConfigEntry(
        domain=DOMAIN, unique_id=f"sensors_{ELEC}", data={CONF_KIND: KIND_SENSORS}
    ).add_to_hass(hass)
    result = await _start(hass)
    result = await _configure(
        hass, result, {"electrical_power": ELEC, "thermal_power": HEAT}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reconfigure_sensors(hass: HomeAssistant) -> None:
    """Reconfigure re-maps the entities (refusing a bad mapping first) and reloads the entry."""
    set_sources(hass, SOURCES)
    hass.states.async_set("sensor.heat_meter", "1500.5", ENERGY_KWH)
    entry = sensors_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_sensors"
    result = await _configure(
        hass, result, {"electrical_power": ELEC, "thermal_power": "sensor.heat_meter"}
    )
    assert result["errors"] == {"thermal_power": "wrong_device_class"}
    result = await _configure(
        hass, result, {"electrical_power": ELEC, "thermal_energy": "sensor.heat_meter"}
    )
    assert result["step_id"] == "reconfigure_sensors_details"
    result = await _configure(hass, result, {"outdoor_temperature": OUTDOOR})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "sensors_reconfigured"
    await hass.async_block_till_done()
    assert dict(entry.data) == {
        CONF_KIND: KIND_SENSORS,
        "electrical_power": ELEC,
        "thermal_energy": "sensor.heat_meter",
        "outdoor_temperature": OUTDOOR,
    }
    assert entry.unique_id == "sensors_hp"
    assert entry.runtime_data.coordinator.source.config.entities == {
        "electrical_power": ELEC,
        "thermal_energy": "sensor.heat_meter",
        "outdoor_temperature": OUTDOOR,
    }


async def test_sensors_options_flow(hass: HomeAssistant) -> None:
    """Options set the maximum age and the thresholds; inconsistent thresholds are refused first."""
    set_sources(hass, SOURCES)
    entry = sensors_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "sensors"
    assert result["data_schema"] is not None
    assert CONF_MAX_AGE in result["data_schema"].schema
    options: dict[str, Any] = {
        CONF_MAX_AGE: 45,
        CONF_THRESHOLDS: {"frost_band_low_c": 5, "frost_band_high_c": 4},
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options
    )
    assert result["errors"] == {"base": "invalid_thresholds"}
    options[CONF_THRESHOLDS] = {"starting_power_w": 250}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    coordinator = entry.runtime_data.coordinator
    assert coordinator.source.config.max_age.total_seconds() == 45 * 60
    assert coordinator.engine.config.starting_power_w == 250
    assert coordinator.update_interval is None
    assert set(MAPPING) >= set(coordinator.source.config.entities)

"""Presets on real Home Assistant entities: EMS-ESP and ebusd through MQTT discovery, HeishaMon's integration.

The MQTT sources publish discovery and state messages shaped as their firmware does, through Home
Assistant's own MQTT integration (the plugin's mocked broker), so the entities exist exactly as a
user's would. kamaradclimber's HeishaMon integration cannot run here (a custom integration): its
entities are registered as it registers them (platform `aquarea`, its unique ids, device classes,
units), from its source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_mqtt_message,
)
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.heatpump_efficiency.const import DOMAIN
from custom_components.heatpump_efficiency.device_presets import device_offers, propose
from custom_components.heatpump_efficiency.presets.emsesp import EMSESP

from .conftest import state_of
from .test_preset_flow import suggested

# Home Assistant's MQTT client keeps a housekeeping timer the plugin's mock may leave at teardown.
pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])

EMSESP_CAPTURE = (
    Path(__file__).parent
    / "fixtures"
    / "emsesp"
    / "emsesp_api_boiler_mnsrt-compress7001iAW.json"
)
EMSESP_DEVICE = {
    "ids": ["ems-esp-boiler"],
    "name": "Boiler",
    "mf": "Bosch",
    "mdl": "Compress 7001i AW",
    "via_device": "ems-esp",
}
# EMS-ESP's discovery of boiler entities: (component, short name, name, unit, device class, state class).
EMSESP_ENTITIES = (
    ("sensor", "hpcurrpower", "compressor current power", "W", "power", "measurement"),
    (
        "sensor",
        "nrgconstotal",
        "total energy consumption",
        "kWh",
        "energy",
        "total_increasing",
    ),
    (
        "sensor",
        "nrgsupptotal",
        "total energy supplied",
        "kWh",
        "energy",
        "total_increasing",
    ),
    (
        "sensor",
        "curflowtemp",
        "current flow temperature",
        "°C",
        "temperature",
        "measurement",
    ),
    ("sensor", "rettemp", "return temperature", "°C", "temperature", "measurement"),
    (
        "sensor",
        "outdoortemp",
        "outside temperature",
        "°C",
        "temperature",
        "measurement",
    ),
    ("sensor", "hpactivity", "compressor activity", None, None, None),
    ("binary_sensor", "hpcompon", "hp compressor", None, None, None),
)


async def publish_emsesp(hass: HomeAssistant, values: dict[str, Any]) -> None:
    """Publish EMS-ESP's discovery (retained), then its boiler_data document once the entities listen."""
    for component, short, name, unit, device_class, state_class in EMSESP_ENTITIES:
        config: dict[str, Any] = {
            "uniq_id": f"ems-esp_boiler_{short}",
            "obj_id": f"boiler_{short}",
            "name": name,
            "stat_t": "ems-esp/boiler_data",
            "val_tpl": f"{{{{value_json.{short}}}}}",
            "dev": EMSESP_DEVICE,
        }
        if component == "binary_sensor":
            config |= {"pl_on": "on", "pl_off": "off"}
        for key, value in (
            ("unit_of_meas", unit),
            ("dev_cla", device_class),
            ("stat_cla", state_class),
        ):
            if value is not None:
                config[key] = value
        async_fire_mqtt_message(
            hass,
            f"homeassistant/{component}/ems-esp/boiler_{short}/config",
            json.dumps(config),
            retain=True,
        )
    await hass.async_block_till_done()
    async_fire_mqtt_message(hass, "ems-esp/boiler_data", json.dumps(values))
    await hass.async_block_till_done()


async def publish_ebusd(hass: HomeAssistant, power_kw: float, yield_kw: float) -> None:
    """Publish ebusd's discovery as its mqtt-hassio.cfg builds it, then the values."""
    messages = (
        ("hmu", "CurrentConsumedPower", "value", "kW", "power", power_kw),
        ("hmu", "CurrentYieldPower", "value", "kW", "power", yield_kw),
        # The captured aroTHERM's broadcast outdoor temperature.
        ("broadcast", "Outsidetemp", "temp2", "°C", "temperature", 28.598),
    )
    for circuit, name, field, unit, device_class, _ in messages:
        topic = f"ebusd/{circuit}/{name}"
        config = {
            "unique_id": f"ebusd_{circuit}_{name}_{field}",
            "name": f"ebusd {circuit} {name} {field}",
            "device": {
                "identifiers": f"ebusd_{circuit}",
                "manufacturer": "ebusd.eu",
                "name": f"ebusd {circuit}",
                "sw_version": "23.3",
                "suggested_area": "Heating",
            },
            "value_template": f'{{{{value_json["{field}"].value}}}}',
            "state_topic": topic,
            "unit_of_measurement": unit,
            "state_class": "measurement",
            "device_class": device_class,
        }
        async_fire_mqtt_message(
            hass,
            f"homeassistant/sensor/ebusd_{circuit}_{name}_{field}/config",
            json.dumps(config),
            retain=True,
        )
    await hass.async_block_till_done()
    for circuit, name, field, _, _, value in messages:
        async_fire_mqtt_message(
            hass, f"ebusd/{circuit}/{name}", json.dumps({field: {"value": value}})
        )
    await hass.async_block_till_done()


def mqtt_entity(hass: HomeAssistant, domain: str, unique_id: str) -> str:
    """Return the entity id MQTT discovery gave an entity (its naming differs between versions)."""
    entity_id = er.async_get(hass).async_get_entity_id(domain, "mqtt", unique_id)
    assert entity_id is not None, unique_id
    return entity_id


def device_of(hass: HomeAssistant, entity_id: str) -> str:
    """Return the device id of an entity."""
    entry = er.async_get(hass).async_get(entity_id)
    assert entry is not None and entry.device_id is not None
    return entry.device_id


async def add_from_device(hass: HomeAssistant, device_id: str) -> ConfigEntry:
    """Walk the sensors path from a device, accepting every suggestion; return the new entry."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "sensors"}
    )
    assert result["step_id"] == "sensors_device"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"device": device_id}
    )
    assert result["step_id"] == "sensors_preset"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], suggested(result)
    )
    assert result["step_id"] == "sensors_details"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], suggested(result)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry: ConfigEntry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    return entry


async def test_emsesp_through_mqtt_discovery(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    """EMS-ESP's discovered boiler is offered and mapped; its compressor activity drives defrost."""
    values = json.loads(EMSESP_CAPTURE.read_text(encoding="utf-8"))
    await publish_emsesp(hass, values)

    def boiler(short: str, domain: str = "sensor") -> str:
        return mqtt_entity(hass, domain, f"ems-esp_boiler_{short}")

    power = boiler("hpcurrpower")
    assert state_of(hass, power).state == "26"
    device_id = device_of(hass, power)

    proposal = propose(hass, device_id)
    assert proposal is not None
    assert proposal.preset_key == "emsesp"
    assert proposal.mapping == {
        "electrical_power": power,
        "electrical_energy": boiler("nrgconstotal"),
        "thermal_energy": boiler("nrgsupptotal"),
        "flow_temperature": boiler("curflowtemp"),
        "return_temperature": boiler("rettemp"),
        "outdoor_temperature": boiler("outdoortemp"),
        "compressor_running": boiler("hpcompon", "binary_sensor"),
        "defrost": boiler("hpactivity"),
        "defrost_states": list(EMSESP.defrost_states),
    }
    assert proposal.missing == ()

    entry = await add_from_device(hass, device_id)
    assert entry.data["defrost_states"] == list(EMSESP.defrost_states)
    ours = {
        e.unique_id.removeprefix(f"{entry.unique_id}_"): e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert state_of(hass, ours["defrost"]).state == "off"

    await publish_emsesp(hass, {**values, "hpcompon": "on", "hpactivity": "defrost"})
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert state_of(hass, ours["defrost"]).state == "on"
    # Heat is measured here, so the COP entities exist.
    assert "cop_today" in ours


async def test_ebusd_through_mqtt_discovery(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    """Ebusd's HMU device is offered; the outdoor temperature comes from its broadcast device."""
    await publish_ebusd(hass, 0.9, 3.6)
    power = mqtt_entity(hass, "sensor", "ebusd_hmu_CurrentConsumedPower_value")
    device_id = device_of(hass, power)
    assert [offer.device_id for offer in device_offers(hass)] == [device_id]

    proposal = propose(hass, device_id)
    assert proposal is not None
    assert proposal.preset_key == "ebusd"
    assert proposal.mapping == {
        "electrical_power": power,
        "thermal_power": mqtt_entity(
            hass, "sensor", "ebusd_hmu_CurrentYieldPower_value"
        ),
        "outdoor_temperature": mqtt_entity(
            hass, "sensor", "ebusd_broadcast_Outsidetemp_temp2"
        ),
    }
    entry = await add_from_device(hass, device_id)
    reading = entry.runtime_data.coordinator.data.reading
    assert reading.elec_w is not None and reading.elec_w.value == pytest.approx(900.0)
    assert reading.outdoor_c == pytest.approx(28.598)
    live_cop = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{entry.unique_id}_cop_live"
    )
    assert live_cop is not None
    assert state_of(hass, live_cop).state == "4.0"


async def test_heishamon_integration_entities(hass: HomeAssistant) -> None:
    """The HeishaMon integration's entities, registered as it does, map to a COP-capable entry."""
    source = MockConfigEntry(
        domain="aquarea", data={"discovery_prefix": "panasonic_heat_pump/"}
    )
    source.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=source.entry_id,
        identifiers={("aquarea", "panasonic_heat_pump/heatpump")},
        manufacturer="Panasonic",
        name="Aquarea HeatPump Indoor Unit",
    )
    registry = er.async_get(hass)
    power = {"device_class": "power", "unit_of_measurement": "W"}
    temperature = {"device_class": "temperature", "unit_of_measurement": "°C"}
    # (unique id suffix, object id as the integration names it, state, attributes)
    entities = (
        ("heishamon_w_consumption", "panasonic_heat_pump_consumption", "1000", power),
        ("heishamon_w_production", "panasonic_heat_pump_production", "3400", power),
        ("TOP5", "panasonic_heat_pump_main_main_inlet_temp", "30", temperature),
        ("TOP6", "panasonic_heat_pump_main_main_outlet_temp", "35", temperature),
        ("TOP14", "panasonic_heat_pump_main_outside_temp", "3", temperature),
        (
            "TOP8",
            "panasonic_heat_pump_main_compressor_freq",
            "38",
            {"device_class": "frequency", "unit_of_measurement": "Hz"},
        ),
        # Its water flow has no device class: not accepted as a flow rate.
        (
            "TOP1",
            "panasonic_heat_pump_main_pump_flow",
            "16.2",
            {"unit_of_measurement": "L/min"},
        ),
    )
    for suffix, object_id, state, attributes in entities:
        registered = registry.async_get_or_create(
            "sensor",
            "aquarea",
            f"{source.entry_id}-{suffix}",
            suggested_object_id=object_id,
            config_entry=source,
            device_id=device.id,
        )
        hass.states.async_set(registered.entity_id, state, attributes)

    proposal = propose(hass, device.id)
    assert proposal is not None
    assert proposal.preset_key == "heishamon"
    assert proposal.mapping == {
        "electrical_power": "sensor.panasonic_heat_pump_consumption",
        "thermal_power": "sensor.panasonic_heat_pump_production",
        "flow_temperature": "sensor.panasonic_heat_pump_main_main_outlet_temp",
        "return_temperature": "sensor.panasonic_heat_pump_main_main_inlet_temp",
        "outdoor_temperature": "sensor.panasonic_heat_pump_main_outside_temp",
        "compressor_frequency": "sensor.panasonic_heat_pump_main_compressor_freq",
    }
    entry = await add_from_device(hass, device.id)
    assert entry.runtime_data.coordinator.data.reading.heat_w is not None
    assert state_of(hass, "sensor.aquarea_heatpump_indoor_unit_live_cop").state == "3.4"

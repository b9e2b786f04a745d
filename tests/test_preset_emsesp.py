"""EMS-ESP in German through MQTT discovery: its translated compressor activity still means defrost.

The values are a real German EMS-ESP's (`fixtures/emsesp/emsesp_api_boiler_entities_DE_EXCERPT.json`);
the discovery messages are built as EMS-ESP's mqtt.cpp builds them for its default entity format
(unique id `boiler_<short name>`), so Home Assistant's MQTT integration makes the entities a user has.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_mqtt_message,
)
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.heatpump_efficiency.const import CONF_KIND, DOMAIN, KIND_SENSORS
from custom_components.heatpump_efficiency.device_presets import propose
from custom_components.heatpump_efficiency.presets.emsesp import DEFROST_INDEX, EMSESP

from .conftest import state_of
from .test_preset_flow import suggested

# Home Assistant's MQTT client keeps a housekeeping timer the plugin's mock may leave at teardown.
pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])

CAPTURE = (
    Path(__file__).parent
    / "fixtures"
    / "emsesp"
    / "emsesp_api_boiler_entities_DE_EXCERPT.json"
)
# EMS-ESP's add_ha_uom: the device and state class it gives each unit.
CLASSES = {
    "°C": ("temperature", "measurement"),
    "kWh": ("energy", "total_increasing"),
    "W": ("power", "measurement"),
}
DEVICE = {
    "ids": ["ems-esp-boiler"],
    "name": "ems-esp Boiler",
    "mf": "Buderus",
    "mdl": "Logatherm WLW186i",
    "via_device": "ems-esp",
}


def capture() -> dict[str, dict[str, Any]]:
    """Return the German EMS-ESP's boiler entities, by short name."""
    entities: dict[str, dict[str, Any]] = json.loads(
        CAPTURE.read_text(encoding="utf-8")
    )
    return entities


async def publish_discovery(hass: HomeAssistant) -> None:
    """Publish the boiler's discovery messages as a German EMS-ESP does (retained)."""
    for short, entity in capture().items():
        component = "binary_sensor" if entity["type"] == "boolean" else "sensor"
        config: dict[str, Any] = {
            "uniq_id": f"boiler_{short}",
            "obj_id": f"boiler_{short}",
            "name": entity["fullname"][0].upper() + entity["fullname"][1:],
            "stat_t": "ems-esp/boiler_data",
            "val_tpl": f"{{{{value_json['{short}']}}}}",
            "dev": DEVICE,
        }
        if component == "binary_sensor":
            # add_ha_bool: the payloads are the booleans as EMS-ESP renders them (German here).
            config |= {"pl_on": "an", "pl_off": "aus"}
        if (unit := entity.get("uom")) is not None:
            device_class, state_class = CLASSES[unit]
            config |= {
                "unit_of_meas": unit,
                "dev_cla": device_class,
                "stat_cla": state_class,
            }
        async_fire_mqtt_message(
            hass,
            f"homeassistant/{component}/ems-esp/boiler_{short}/config",
            json.dumps(config),
            retain=True,
        )
    await hass.async_block_till_done()


async def publish_values(hass: HomeAssistant, **changes: Any) -> None:
    """Publish the boiler_data document: the captured values with some changed."""
    values = {short: entity["value"] for short, entity in capture().items()}
    async_fire_mqtt_message(
        hass, "ems-esp/boiler_data", json.dumps(values | changes, ensure_ascii=False)
    )
    await hass.async_block_till_done()


def boiler(hass: HomeAssistant, short: str, domain: str = "sensor") -> str:
    """Return the entity id MQTT discovery gave a boiler entity."""
    entity_id = er.async_get(hass).async_get_entity_id(
        domain, "mqtt", f"boiler_{short}"
    )
    assert entity_id is not None, short
    return entity_id


async def add_from_device(hass: HomeAssistant, device_id: str) -> ConfigEntry:
    """Walk the sensors path from a device, accepting every suggestion."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "sensors"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"device": device_id}
    )
    assert result["step_id"] == "sensors_preset"
    for _ in range(2):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], suggested(result)
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry: ConfigEntry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    return entry


async def test_german_emsesp_defrost_and_counters(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    """German states map and read right: 'Abtauen' (or option 6) is defrost, 'an' the compressor."""
    await publish_discovery(hass)
    await publish_values(hass)
    power = boiler(hass, "hpcurrpower")
    assert state_of(hass, power).state == "25"
    entry_of_power = er.async_get(hass).async_get(power)
    assert entry_of_power is not None and entry_of_power.device_id is not None

    proposal = propose(hass, entry_of_power.device_id)
    assert proposal is not None and proposal.preset_key == "emsesp"
    assert proposal.mapping == {
        "electrical_power": power,
        "electrical_energy": boiler(hass, "metertotal"),
        # The 0.01 kWh counter, like the meter, not the whole-kWh nrgsupptotal.
        "thermal_energy": boiler(hass, "nrgtotal"),
        "flow_temperature": boiler(hass, "curflowtemp"),
        "return_temperature": boiler(hass, "rettemp"),
        "outdoor_temperature": boiler(hass, "outdoortemp"),
        "compressor_running": boiler(hass, "hpcompon", "binary_sensor"),
        "defrost": boiler(hass, "hpactivity"),
        "defrost_states": list(EMSESP.defrost_states),
    }
    assert "Abtauen" in proposal.mapping["defrost_states"]

    entry = await add_from_device(hass, entry_of_power.device_id)
    coordinator = entry.runtime_data.coordinator
    reading = coordinator.data.reading
    assert reading.elec_w is not None and reading.elec_w.value == 25.0
    assert reading.elec_kwh is not None and reading.elec_kwh.value == 3392.37
    assert reading.heat_kwh is not None and reading.heat_kwh.value == 11067.08
    assert (reading.flow_c, reading.return_c, reading.outdoor_c) == (25.1, 39.8, 17.1)
    assert reading.compressor_running is False
    assert reading.defrost is False
    ours = {
        e.unique_id.removeprefix(f"{entry.unique_id}_"): e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert state_of(hass, ours["defrost"]).state == "off"

    # The compressor defrosts: a German EMS-ESP says so in German.
    await publish_values(hass, hpcompon="an", hpactivity="Abtauen")
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert coordinator.data.reading.compressor_running is True
    assert coordinator.data.reading.defrost is True
    assert state_of(hass, ours["defrost"]).state == "on"

    # Heating again, then defrost with enums sent as option numbers (EMS-ESP's index format).
    for activity, defrosting in (("Heizen", False), ("6", True), ("1", False)):
        await publish_values(hass, hpcompon="an", hpactivity=activity)
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        assert coordinator.data.reading.defrost is defrosting, activity


async def test_reconfigure_adds_the_german_defrost_state(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    """An entry made when the preset knew only 'defrost' gets 'Abtauen' suggested; the user's own stay."""
    await publish_discovery(hass)
    await publish_values(hass)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="ems-esp Boiler",
        unique_id="sensors_emsesp",
        data={
            CONF_KIND: KIND_SENSORS,
            "electrical_power": boiler(hass, "hpcurrpower"),
            "defrost": boiler(hass, "hpactivity"),
            "defrost_states": ["defrost", "Enteisen"],
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], suggested(result)
    )
    assert result["step_id"] == "reconfigure_sensors_details"
    details = suggested(result)
    states = details["defrost_states"]
    assert states[:2] == ["defrost", "Enteisen"]
    assert "Abtauen" in states and DEFROST_INDEX in states
    assert "defrost" not in states[2:]  # nothing twice
    result = await hass.config_entries.flow.async_configure(result["flow_id"], details)
    assert result["type"] is FlowResultType.ABORT
    await hass.async_block_till_done()
    assert "Abtauen" in entry.data["defrost_states"]

    await publish_values(hass, hpcompon="an", hpactivity="Abtauen")
    await entry.runtime_data.coordinator.async_refresh()
    assert entry.runtime_data.coordinator.data.reading.defrost is True

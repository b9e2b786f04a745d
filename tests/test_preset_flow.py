"""The sensors path from a device: pick it, review the preset's mapping, add; reconfigure runs it again."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heatpump_efficiency.const import CONF_KIND, DOMAIN, KIND_SENSORS

MAC = "409F38D107AC"
POWER_KW = {"device_class": "power", "unit_of_measurement": "kW"}
ENERGY_KWH = {"device_class": "energy", "unit_of_measurement": "kWh"}
TEMPERATURE_C = {"device_class": "temperature", "unit_of_measurement": "°C"}


def add_daikin(
    hass: HomeAssistant,
    *,
    outdoor: bool = True,
    power_attributes: dict[str, str] | None = None,
) -> str:
    """Register a Daikin adapter's device and entities as core `daikin` does; return the device id."""
    source = MockConfigEntry(domain="daikin", title="Living room")
    source.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=source.entry_id,
        connections={(dr.CONNECTION_NETWORK_MAC, MAC.lower())},
        manufacturer="Daikin",
        model="BRP069B41",
        name="Living room",
    )
    registry = er.async_get(hass)

    def entity(
        domain: str, unique_id: str, object_id: str, state: str, attrs: dict[str, Any]
    ) -> None:
        entry = registry.async_get_or_create(
            domain,
            "daikin",
            unique_id,
            suggested_object_id=object_id,
            config_entry=source,
            device_id=device.id,
        )
        hass.states.async_set(entry.entity_id, state, attrs)

    entity(
        "climate",
        MAC,
        "living_room",
        "heat",
        {"current_temperature": 20.5, "temperature": 21},
    )
    entity(
        "sensor",
        f"{MAC}-total_power",
        "living_room_power",
        "0.6",
        power_attributes or POWER_KW,
    )
    entity("sensor", f"{MAC}-energy_today", "living_room_energy", "3.2", ENERGY_KWH)
    entity(
        "sensor",
        f"{MAC}-inside_temperature",
        "living_room_inside",
        "20.5",
        TEMPERATURE_C,
    )
    if outdoor:
        add_daikin_outdoor(hass, device.id, source)
    return device.id


def add_daikin_outdoor(hass: HomeAssistant, device_id: str, source: ConfigEntry) -> str:
    """Register the adapter's outdoor temperature (absent on some adapters)."""
    entry = er.async_get(hass).async_get_or_create(
        "sensor",
        "daikin",
        f"{MAC}-outside_temperature",
        suggested_object_id="living_room_outside",
        config_entry=source,
        device_id=device_id,
    )
    hass.states.async_set(entry.entity_id, "4.0", TEMPERATURE_C)
    return entry.entity_id


def schema(result: ConfigFlowResult) -> Any:
    """Return a form's schema."""
    assert result["data_schema"] is not None
    return result["data_schema"].schema


def suggested(result: ConfigFlowResult) -> dict[str, Any]:
    """Return the values a form suggests, as a user who accepts them would send them."""
    values: dict[str, Any] = {}
    for key in schema(result):
        value = (key.description or {}).get("suggested_value")
        if value is not None:
            values[str(key)] = value
    return values


async def _open_sensors(hass: HomeAssistant) -> ConfigFlowResult:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "sensors"}
    )


async def test_pick_device_review_and_add(hass: HomeAssistant) -> None:
    """The device is offered, mapped by its preset, shown with what is missing, and added as reviewed."""
    device_id = add_daikin(hass)
    result = await _open_sensors(hass)
    assert result["step_id"] == "sensors_device"
    options = schema(result)["device"].config["options"]
    assert options == [
        {"value": device_id, "label": "Living room (Daikin)"},
        {"value": "manual", "label": "manual"},
    ]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"device": device_id}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "sensors_preset"
    assert result["description_placeholders"] == {
        "device": "Living room",
        "source": "Daikin",
        "found": "4",
        "total": "5",
        "missing": "compressor frequency",
    }
    energy = suggested(result)
    assert energy == {
        "name": "Living room",
        "electrical_power": "sensor.living_room_power",
        "electrical_energy": "sensor.living_room_energy",
    }

    result = await hass.config_entries.flow.async_configure(result["flow_id"], energy)
    assert result["step_id"] == "sensors_details"
    details = suggested(result)
    assert details == {
        "outdoor_temperature": "sensor.living_room_outside",
        "climate": "climate.living_room",
    }
    result = await hass.config_entries.flow.async_configure(result["flow_id"], details)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Living room"
    assert result["data"] == {
        CONF_KIND: KIND_SENSORS,
        "electrical_power": "sensor.living_room_power",
        "electrical_energy": "sensor.living_room_energy",
        "outdoor_temperature": "sensor.living_room_outside",
        "climate": "climate.living_room",
    }


async def test_review_can_be_edited(hass: HomeAssistant) -> None:
    """The review form is a normal mapping form: a wrong edit is refused, a corrected one goes on."""
    device_id = add_daikin(hass)
    result = await _open_sensors(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"device": device_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"name": "Living room", "electrical_power": "sensor.living_room_inside"},
    )
    assert result["step_id"] == "sensors_preset"
    assert result["errors"] == {"electrical_power": "wrong_device_class"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"name": "Living room", "electrical_energy": "sensor.living_room_energy"},
    )
    assert result["step_id"] == "sensors_details"


async def test_manual_choice_keeps_the_manual_mapping(hass: HomeAssistant) -> None:
    """The last option leads to the usual empty mapping form."""
    add_daikin(hass)
    result = await _open_sensors(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"device": "manual"}
    )
    assert result["step_id"] == "sensors"
    assert suggested(result) == {}


async def test_no_heat_pump_device_opens_the_manual_form(hass: HomeAssistant) -> None:
    """Without a device any preset recognises, the sensors path starts with the mapping form."""
    result = await _open_sensors(hass)
    assert result["step_id"] == "sensors"


async def test_device_removed_while_choosing(hass: HomeAssistant) -> None:
    """A device that disappears before it is chosen gives an error, and another choice recovers."""
    device_id = add_daikin(hass)
    result = await _open_sensors(hass)
    dr.async_get(hass).async_remove_device(device_id)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"device": device_id}
    )
    assert result["step_id"] == "sensors_device"
    assert result["errors"] == {"base": "device_gone"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"device": "manual"}
    )
    assert result["step_id"] == "sensors"


async def test_preset_entity_failing_our_checks_is_left_out(
    hass: HomeAssistant,
) -> None:
    """A preset names an entity, our own checks decide: a power in % is not mapped, and said missing."""
    device_id = add_daikin(
        hass, power_attributes={"device_class": "power", "unit_of_measurement": "%"}
    )
    result = await _open_sensors(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"device": device_id}
    )
    assert "electrical_power" not in suggested(result)
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["missing"] == (
        "electrical power, compressor frequency"
    )


async def test_reconfigure_runs_the_preset_again(hass: HomeAssistant) -> None:
    """Entities the source added since are suggested for the fields still empty."""
    device_id = add_daikin(hass, outdoor=False)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Living room",
        unique_id="sensors_daikin",
        data={CONF_KIND: KIND_SENSORS, "electrical_power": "sensor.living_room_power"},
    )
    entry.add_to_hass(hass)
    source = hass.config_entries.async_entries("daikin")[0]
    outdoor = add_daikin_outdoor(hass, device_id, source)

    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_sensors"
    energy = suggested(result)
    assert energy == {
        "electrical_power": "sensor.living_room_power",
        "electrical_energy": "sensor.living_room_energy",
    }
    result = await hass.config_entries.flow.async_configure(result["flow_id"], energy)
    assert result["step_id"] == "reconfigure_sensors_details"
    details = suggested(result)
    assert details["outdoor_temperature"] == outdoor
    assert details["climate"] == "climate.living_room"

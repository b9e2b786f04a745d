"""Core nibe_heatpump's entities, registered as it registers them, through the NIBE preset into our entry.

The coils come from the nibe library's F1155/F1255 table (`fixtures/nibe_heatpump/f1155_f1255_EXCERPT.json`):
the integration makes one sensor per coil, unique id `<entry>-<address>`, entity id from the coil's
name, device class from its unit, and every coil entity disabled until the user enables it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heatpump_efficiency.device_presets import device_offers, propose

from .test_preset_emsesp import add_from_device

TABLE = (
    Path(__file__).parent / "fixtures" / "nibe_heatpump" / "f1155_f1255_EXCERPT.json"
)
# core nibe_heatpump's sensor.py: the device class of each unit in the table.
DEVICE_CLASS = {"°C": "temperature", "kW": "power", "Hz": "frequency"}
# Raw register values of a unit heating at -3.5 °C: the library divides them by the coil's factor.
RAW = {40004: -35, 40008: 352, 40012: 301, 43136: 523, 43141: 187}


def add_nibe(hass: HomeAssistant) -> tuple[str, dict[int, str]]:
    """Register an F1255 as core nibe_heatpump does (coils disabled); return device id and entity ids."""
    source = MockConfigEntry(domain="nibe_heatpump", title="F1255-16 R")
    source.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=source.entry_id,
        identifiers={("nibe_heatpump", source.entry_id)},
        manufacturer="NIBE Energy Systems",
        model="F1255-16 R",
        name="F1255-16 R",
    )
    registry = er.async_get(hass)
    table: dict[str, dict[str, Any]] = json.loads(TABLE.read_text(encoding="utf-8"))
    entity_ids: dict[int, str] = {}
    for address, coil in table.items():
        entry = registry.async_get_or_create(
            "sensor",
            "nibe_heatpump",
            f"{source.entry_id}-{address}",
            suggested_object_id=coil["name"].replace("-", "_"),
            config_entry=source,
            device_id=device.id,
            original_name=coil["title"],
            original_device_class=DEVICE_CLASS[coil["unit"]],
            unit_of_measurement=coil["unit"],
            disabled_by=er.RegistryEntryDisabler.INTEGRATION,
        )
        entity_ids[int(address)] = entry.entity_id
    return device.id, entity_ids


def enable_and_report(hass: HomeAssistant, entity_ids: dict[int, str]) -> None:
    """Enable the coils as the user does, and give them the values the library decodes."""
    registry = er.async_get(hass)
    table: dict[str, dict[str, Any]] = json.loads(TABLE.read_text(encoding="utf-8"))
    for address, entity_id in entity_ids.items():
        registry.async_update_entity(entity_id, disabled_by=None)
        coil = table[str(address)]
        hass.states.async_set(
            entity_id,
            str(RAW[address] / coil["factor"]),
            {
                "device_class": DEVICE_CLASS[coil["unit"]],
                "unit_of_measurement": coil["unit"],
                "state_class": "measurement",
            },
        )


async def test_f1255_compressor_power_in_kw(hass: HomeAssistant) -> None:
    """Disabled coils offer nothing; once enabled they map, and 1.87 kW is read as 1870 W."""
    device_id, coils = add_nibe(hass)
    # Core nibe_heatpump disables every coil entity: nothing to map until the user enables them.
    assert device_offers(hass) == []

    enable_and_report(hass, coils)
    proposal = propose(hass, device_id)
    assert proposal is not None and proposal.preset_key == "nibe_heatpump"
    assert proposal.mapping == {
        "electrical_power": "sensor.compr_in_power_43141",
        "outdoor_temperature": "sensor.bt1_outdoor_temperature_40004",
        "flow_temperature": "sensor.bt2_supply_temp_s1_40008",
        "return_temperature": "sensor.eb100_ep14_bt3_return_temp_40012",
        "compressor_frequency": "sensor.compressor_frequency_actual_43136",
    }
    assert proposal.missing == ()

    entry = await add_from_device(hass, device_id)
    reading = entry.runtime_data.coordinator.data.reading
    assert reading.elec_w is not None and reading.elec_w.value == 1870.0
    assert reading.compressor_hz == 52.3
    assert (reading.outdoor_c, reading.flow_c, reading.return_c) == (-3.5, 35.2, 30.1)
    # No heat meter is paired with the compressor's electricity: no heat, so no COP.
    assert reading.heat_w is None and reading.heat_kwh is None

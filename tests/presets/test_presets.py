"""Device presets: matching by stable identity, ambiguity, fields outside the device, best preset."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from custom_components.heatpump_efficiency.presets import (
    PRESETS,
    PRESETS_BY_KEY,
    EntityIdentity,
    EntityRule,
    Preset,
    best_match,
    match_preset,
)
from custom_components.heatpump_efficiency.sensor_mapping import FIELDS_BY_KEY

MAC = "409F38D107AC"


def _entity(
    entity_id: str,
    unique_id: str,
    *,
    platform: str = "daikin",
    device_id: str | None = "dev",
    translation_key: str | None = None,
) -> EntityIdentity:
    return EntityIdentity(
        entity_id=entity_id,
        domain=entity_id.split(".", maxsplit=1)[0],
        platform=platform,
        unique_id=unique_id,
        translation_key=translation_key,
        device_id=device_id,
    )


DAIKIN_ENTITIES = [
    _entity("climate.living", MAC),
    _entity("climate.living_zone_1", f"{MAC}-zone1-temperature"),
    _entity("sensor.living_power", f"{MAC}-total_power"),
    _entity("sensor.living_energy", f"{MAC}-energy_today"),
    _entity("sensor.living_cool_energy", f"{MAC}-cool_energy"),
    _entity("sensor.living_outside", f"{MAC}-outside_temperature"),
    _entity("sensor.living_inside", f"{MAC}-inside_temperature"),
]


@pytest.mark.parametrize("preset", PRESETS, ids=lambda preset: preset.key)
def test_every_rule_names_a_known_field(preset: Preset) -> None:
    """A preset can only fill fields the mapping has, in the entity domain that field accepts."""
    for rule in preset.rules:
        assert rule.field in FIELDS_BY_KEY
        assert rule.domain in FIELDS_BY_KEY[rule.field].domains
        assert rule.unique_id is not None or rule.translation_key is not None


def test_daikin_maps_by_unique_id_not_name() -> None:
    """Renaming entities changes nothing; the zone thermostat is not taken for the unit."""
    found = match_preset(PRESETS_BY_KEY["daikin"], DAIKIN_ENTITIES)
    assert dict(found.mapping) == {
        "electrical_power": "sensor.living_power",
        "electrical_energy": "sensor.living_energy",
        "outdoor_temperature": "sensor.living_outside",
        "climate": "climate.living",
    }
    assert found.missing == ("compressor_frequency",)


def test_other_integrations_entities_are_ignored() -> None:
    """The same unique-id suffix from another integration is not a Daikin entity."""
    stranger = _entity("sensor.x", f"{MAC}-total_power", platform="other")
    assert match_preset(PRESETS_BY_KEY["daikin"], [stranger]).mapping == {}
    assert best_match(PRESETS, [stranger]) is None


def test_ambiguous_rule_maps_nothing() -> None:
    """Two entities matching one rule: the user chooses, the preset does not guess."""
    twins = [
        _entity("sensor.a", "aa-total_power"),
        _entity("sensor.b", "bb-total_power"),
        _entity("sensor.c", "aa-outside_temperature"),
    ]
    found = match_preset(PRESETS_BY_KEY["daikin"], twins)
    assert "electrical_power" not in found.mapping
    assert found.mapping["outdoor_temperature"] == "sensor.c"


def test_rule_outside_the_device() -> None:
    """Ebusd files the outdoor temperature under its broadcast device: found anywhere, once."""
    hmu = [
        _entity("sensor.p", "ebusd_hmu_CurrentConsumedPower_value", platform="mqtt"),
        _entity("sensor.y", "ebusd_hmu_CurrentYieldPower_value", platform="mqtt"),
    ]
    broadcast = _entity(
        "sensor.o",
        "ebusd_broadcast_Outsidetemp_temp2",
        platform="mqtt",
        device_id="broadcast",
    )
    found = best_match(PRESETS, hmu, [*hmu, broadcast])
    assert found is not None
    assert found.preset.key == "ebusd"
    assert found.mapping == {
        "electrical_power": "sensor.p",
        "thermal_power": "sensor.y",
        "outdoor_temperature": "sensor.o",
    }


def test_best_match_needs_the_minimum() -> None:
    """One matching temperature does not make a device a heat pump."""
    lonely = [_entity("sensor.o", "aa-outside_temperature")]
    assert best_match(PRESETS, lonely) is None
    assert best_match(PRESETS, DAIKIN_ENTITIES) is not None


def test_translation_key_rule() -> None:
    """A rule may name the entity by its translation key within the integration."""
    rule = EntityRule(
        field="outdoor_temperature", translation_key="outside_temperature"
    )
    entity = _entity("sensor.t", "x", translation_key="outside_temperature")
    assert rule.matches(entity)
    assert not rule.matches(_entity("sensor.t", "x", translation_key="inside"))


def test_emsesp_both_namings() -> None:
    """EMS-ESP short and long entity names, with or without its base name in front."""
    short = [
        _entity("sensor.a", "ems-esp_boiler_hpcurrpower", platform="mqtt"),
        _entity("binary_sensor.b", "ems-esp_boiler_hpcompon", platform="mqtt"),
    ]
    long = [
        _entity("sensor.a", "boiler_compressor_current_power", platform="mqtt"),
        _entity("binary_sensor.b", "boiler_hp_compressor", platform="mqtt"),
    ]
    for entities in (short, long):
        found = best_match(PRESETS, entities)
        assert found is not None
        assert found.preset.key == "emsesp"
        assert set(found.mapping) == {"electrical_power", "compressor_running"}


EMSESP_HEATPUMP_DEVICE = (
    Path(__file__).parent.parent
    / "fixtures"
    / "emsesp"
    / "emsesp_dump_entities_heatpump_device_EXCERPT.csv"
)


@pytest.mark.parametrize(
    "column", ["discovery entityid", "discovery entityid v3.4"], ids=["short", "v3.4"]
)
def test_emsesp_heatpump_device(column: str) -> None:
    """A heat pump EMS-ESP files as a `heatpump` device maps its meters, flow and return."""
    with EMSESP_HEATPUMP_DEVICE.open(encoding="utf-8", newline="") as rows:
        entity_ids = [row[column] for row in csv.DictReader(rows)]
    entities = [
        _entity(entity_id, entity_id.split(".", 1)[1], platform="mqtt")
        for entity_id in entity_ids
    ]
    found = best_match(PRESETS, entities)
    assert found is not None and found.preset.key == "emsesp"
    names = {
        field: entity_id.split(".", 1)[1] for field, entity_id in found.mapping.items()
    }
    short = column == "discovery entityid"
    assert names == {
        "electrical_energy": "heatpump_metertotal" if short else "heatpump_meter_total",
        "thermal_energy": "heatpump_nrgtotal" if short else "heatpump_total_energy",
        "flow_temperature": (
            "heatpump_curflowtemp" if short else "heatpump_current_flow_temperature"
        ),
        "return_temperature": (
            "heatpump_rettemp" if short else "heatpump_return_temperature"
        ),
    }

"""ESPHome Ecodan preset: entities found by their label key in every language the project ships."""

from __future__ import annotations

import itertools
from pathlib import Path
import re

from homeassistant.util.yaml import parse_yaml
import pytest

from custom_components.heatpump_efficiency.presets import (
    PRESETS,
    EntityIdentity,
    best_match,
)
from custom_components.heatpump_efficiency.presets.ecodan import (
    ECODAN,
    LABELS,
    object_id_pattern,
)

MAC = "A0B765F1C2D4"
# Which of our fields each label key fills, and the ESPHome entity type that carries it.
FIELD_OF_KEY = {
    "daily_repported_input_power": ("electrical_energy", "sensor"),
    "outside_temp": ("outdoor_temperature", "sensor"),
    "hp_feed_temp": ("flow_temperature", "sensor"),
    "hp_return_temp": ("return_temperature", "sensor"),
    "flow_rate": ("flow_rate", "sensor"),
    "compressor_frequency": ("compressor_frequency", "sensor"),
    "status_defrost": ("defrost", "binary_sensor"),
    "status_compressor": ("compressor_running", "binary_sensor"),
    "status_booster": ("backup_heater", "binary_sensor"),
}
# Other entities of the same device, whose ids must not be taken for ours (English and German labels).
OTHERS = {
    "sensor": [
        "Z1 Feed Temp",
        "Z1 Return Temp",
        "Z1 Vorlauftemperatur",
        "Z1 Rücklauftemperatur",
        "Accumulated Compressor Starts",
        "Estimated Total Daily Energy Produced",
        "Zone 1 Room Temp",
    ],
    "binary_sensor": ["Immersion Heater", "Water Pump Status", "DHW Forced"],
}


def esphome_object_id(name: str) -> str:
    """ESPHome's object id as the firmware computes it: on UTF-8 bytes, lower-cased, sanitised."""
    out = []
    for byte in name.encode():
        char = chr(byte).lower() if byte < 128 else "\x80"
        if char == " ":
            out.append("_")
        elif char.isascii() and (char.isalnum() or char in "-_"):
            out.append(char)
        else:
            out.append("_")
    return "".join(out)


def per_character_object_id(name: str) -> str:
    """The same, sanitised character by character (one `_` for an accented letter)."""
    return re.sub(r"[^a-z0-9_-]", "_", name.lower().replace(" ", "_"))


def _device(language: str, *, per_byte: bool = True) -> list[EntityIdentity]:
    """An Ecodan device built with one language's labels, as core esphome registers its entities."""
    make = esphome_object_id if per_byte else per_character_object_id
    entities = []
    for key, (_, kind) in FIELD_OF_KEY.items():
        if (label := LABELS[key].get(language)) is None:
            continue
        entities.append(_entity(kind, make(label)))
    for kind, names in OTHERS.items():
        entities.extend(_entity(kind, make(name)) for name in names)
    return entities


def _entity(kind: str, object_id: str) -> EntityIdentity:
    return EntityIdentity(
        entity_id=f"{kind}.ecodan_{object_id}",
        domain=kind,
        platform="esphome",
        unique_id=f"{MAC}-{kind}-{object_id}",
        device_id="ecodan",
    )


LANGUAGES = sorted({lang for labels in LABELS.values() for lang in labels})


@pytest.mark.parametrize("per_byte", [True, False], ids=["per-byte", "per-character"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shipped_language_maps_the_device(language: str, per_byte: bool) -> None:
    """Built in any shipped language, the device's entities fill the same fields."""
    match = best_match(PRESETS, _device(language, per_byte=per_byte))
    assert match is not None and match.preset is ECODAN
    expected = {
        field: f"{kind}.ecodan_{(esphome_object_id if per_byte else per_character_object_id)(LABELS[key][language])}"
        for key, (field, kind) in FIELD_OF_KEY.items()
        if language in LABELS[key]
    }
    assert dict(match.mapping) == expected
    assert set(match.missing) == set(ECODAN.fields) - set(expected)


def test_german_ids_as_the_firmware_makes_them() -> None:
    """An umlaut becomes two underscores: `Außentemperatur` is `au__entemperatur`."""
    match = best_match(PRESETS, _device("de"))
    assert match is not None
    assert match.mapping["outdoor_temperature"] == "sensor.ecodan_au__entemperatur"
    assert match.mapping["return_temperature"] == "sensor.ecodan_r__cklauftemperatur"
    assert match.mapping["flow_temperature"] == "sensor.ecodan_vorlauftemperatur"


def test_dutch_has_no_compressor_label() -> None:
    """A key a language file leaves out is reported missing, not guessed."""
    match = best_match(PRESETS, _device("nl"))
    assert match is not None and match.missing == ("compressor_running",)


def test_labels_of_different_keys_never_match_each_other() -> None:
    """No key's pattern accepts another key's label in any language (same entity type)."""
    for (key_a, (_, kind_a)), (key_b, (_, kind_b)) in itertools.permutations(
        FIELD_OF_KEY.items(), 2
    ):
        if kind_a != kind_b:
            continue
        pattern = re.compile(
            "|".join(object_id_pattern(label) for label in LABELS[key_a].values())
        )
        for label in LABELS[key_b].values():
            assert not pattern.fullmatch(esphome_object_id(label)), (key_a, label)


def test_cjk_labels_cannot_be_matched() -> None:
    """A name with no ASCII letters leaves only underscores: such a device is not offered."""
    japanese = [
        _entity("sensor", esphome_object_id("外気温度")),
        _entity("sensor", esphome_object_id("送り温度")),
        _entity("binary_sensor", esphome_object_id("霜取り")),
    ]
    assert best_match(PRESETS, japanese) is None


OLD_BUILD = (
    Path(__file__).parent.parent
    / "fixtures"
    / "ecodan"
    / "ecodan-esphome_old_sensor_names_EXCERPT.yaml"
)


def test_old_build_named_by_keys_maps_its_hydraulics() -> None:
    """A build from before the label files names sensors by their keys: those ids map too."""
    config = parse_yaml(OLD_BUILD.read_text(encoding="utf-8"))
    assert isinstance(config, dict)
    (ecodan,) = [p for p in config["sensor"] if p["platform"] == "ecodan"]
    names = [v["name"] for v in ecodan.values() if isinstance(v, dict)]
    match = best_match(
        PRESETS, [_entity("sensor", esphome_object_id(name)) for name in names]
    )
    assert match is not None and match.preset is ECODAN
    assert dict(match.mapping) == {
        "outdoor_temperature": "sensor.ecodan_outside_temp",
        "flow_temperature": "sensor.ecodan_hp_feed_temp",
        "return_temperature": "sensor.ecodan_hp_return_temp",
        "flow_rate": "sensor.ecodan_flow_rate",
        "compressor_frequency": "sensor.ecodan_compressor_frequency",
    }
    # Neither the boiler's nor a zone's temperatures are taken for the heat pump's.
    assert "electrical_energy" in match.missing

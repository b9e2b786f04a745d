"""What a device preset is and how it picks a device's entities: pure data and matching, no Home Assistant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
import re


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityIdentity:
    """The stable identity of one entity in the entity registry (never its display name)."""

    entity_id: str
    domain: str  # the entity's own domain: sensor, binary_sensor, climate ...
    platform: str  # the integration that registered it: daikin, mqtt, esphome ...
    unique_id: str
    translation_key: str | None = None
    device_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityRule:
    """One way a source integration names the entity for one of our fields.

    `unique_id` is a regular expression searched (case-insensitively) in the unique id, anchored at
    its end by the author where a suffix is meant; `translation_key` must equal the entity's when
    given. `anywhere` lets the rule look outside the chosen device (the source files the value under
    another device of its own, like ebusd's broadcast circuit).
    """

    field: str  # a key of sensor_mapping.FIELDS
    domain: str = "sensor"
    unique_id: str | None = None
    translation_key: str | None = None
    anywhere: bool = False

    def matches(self, entity: EntityIdentity) -> bool:
        """Return whether an entity is the one this rule describes."""
        if entity.domain != self.domain:
            return False
        if (
            self.translation_key is not None
            and entity.translation_key != self.translation_key
        ):
            return False
        if self.unique_id is not None and not re.search(
            self.unique_id, entity.unique_id, re.IGNORECASE
        ):
            return False
        return self.unique_id is not None or self.translation_key is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class Preset:
    """How one source integration's entities map to our fields, in order of preference per field."""

    key: str  # ours, stable: stored nowhere but used in translations and tests
    platform: str  # the integration whose entities it reads
    title: str  # shown to the user next to the device name (a product name, not translated)
    rules: tuple[EntityRule, ...]
    # A device counts as this source's heat pump when at least this many fields match.
    min_matches: int = 2
    # A defrost field mapped to a text sensor is "on" in these states (case-folded).
    defrost_states: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """Return every field the preset knows how to find, in rule order."""
        return tuple(dict.fromkeys(rule.field for rule in self.rules))


@dataclass(frozen=True, slots=True, kw_only=True)
class PresetMatch:
    """What a preset found on a device: field -> entity id, and the fields it knows but did not find."""

    preset: Preset
    mapping: Mapping[str, str]
    missing: tuple[str, ...] = field(default=())

    @property
    def score(self) -> int:
        """Return how many fields were found."""
        return len(self.mapping)


def match_preset(
    preset: Preset,
    device_entities: Iterable[EntityIdentity],
    all_entities: Iterable[EntityIdentity] = (),
) -> PresetMatch:
    """Map a device's entities through a preset; each entity is used for one field at most.

    A rule that matches more than one entity is ambiguous and maps nothing (the user picks).
    """
    on_device = [e for e in device_entities if e.platform == preset.platform]
    elsewhere = [e for e in all_entities if e.platform == preset.platform]
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for rule in preset.rules:
        if rule.field in mapping:
            continue
        pool = elsewhere if rule.anywhere and elsewhere else on_device
        found = [e for e in pool if e.entity_id not in used and rule.matches(e)]
        if len(found) == 1:
            mapping[rule.field] = found[0].entity_id
            used.add(found[0].entity_id)
    missing = tuple(key for key in preset.fields if key not in mapping)
    return PresetMatch(preset=preset, mapping=mapping, missing=missing)


def best_match(
    presets: Iterable[Preset],
    device_entities: Iterable[EntityIdentity],
    all_entities: Iterable[EntityIdentity] = (),
) -> PresetMatch | None:
    """Return the preset that finds the most on a device, or None when none reaches its minimum."""
    device = list(device_entities)
    everything = list(all_entities)
    best: PresetMatch | None = None
    for preset in presets:
        if not any(e.platform == preset.platform for e in device):
            continue
        found = match_preset(preset, device, everything)
        if found.score >= preset.min_matches and (
            best is None or found.score > best.score
        ):
            best = found
    return best

"""Offer the user's heat-pump devices and map one through its source integration's preset."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .presets import PLATFORMS, PRESETS, EntityIdentity, PresetMatch, best_match
from .sensor_mapping import (
    CONF_DEFROST,
    CONF_DEFROST_STATES,
    FIELDS_BY_KEY,
    field_error,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceOffer:
    """A device that looks like a heat pump: its id, a label for the picker and what the preset found."""

    device_id: str
    label: str
    match: PresetMatch


@dataclass(frozen=True, slots=True, kw_only=True)
class Proposal:
    """A preset's mapping after our own checks: entities to suggest, and fields it could not fill."""

    device_id: str
    device_name: str
    preset_key: str
    title: str
    mapping: dict[str, str | list[str]]
    missing: tuple[str, ...]


def _identity(entry: er.RegistryEntry) -> EntityIdentity:
    return EntityIdentity(
        entity_id=entry.entity_id,
        domain=entry.domain,
        platform=entry.platform,
        unique_id=str(entry.unique_id),
        translation_key=entry.translation_key,
        device_id=entry.device_id,
    )


@callback
def _source_entities(hass: HomeAssistant) -> list[EntityIdentity]:
    """Return the enabled entities of every integration a preset knows."""
    return [
        _identity(entry)
        for entry in er.async_get(hass).entities.values()
        if entry.platform in PLATFORMS and entry.disabled_by is None
    ]


@callback
def _matches(hass: HomeAssistant) -> dict[str, PresetMatch]:
    """Return the best preset match of every device that reaches a preset's minimum."""
    everything = _source_entities(hass)
    by_device: dict[str, list[EntityIdentity]] = defaultdict(list)
    for entity in everything:
        if entity.device_id is not None:
            by_device[entity.device_id].append(entity)
    found: dict[str, PresetMatch] = {}
    for device_id, entities in by_device.items():
        if (match := best_match(PRESETS, entities, everything)) is not None:
            found[device_id] = match
    return found


@callback
def device_offers(hass: HomeAssistant) -> list[DeviceOffer]:
    """Return the devices that look like heat pumps, best matches first."""
    registry = dr.async_get(hass)
    offers: list[DeviceOffer] = []
    for device_id, match in _matches(hass).items():
        if (device := registry.async_get(device_id)) is None:
            continue
        name = device.name_by_user or device.name or device_id
        offers.append(
            DeviceOffer(
                device_id=device_id,
                label=f"{name} ({match.preset.title})",
                match=match,
            )
        )
    return sorted(offers, key=lambda offer: (-offer.match.score, offer.label))


@callback
def propose(hass: HomeAssistant, device_id: str) -> Proposal | None:
    """Return the checked mapping of a device's preset, or None when no preset fits the device."""
    match = _matches(hass).get(device_id)
    device = dr.async_get(hass).async_get(device_id)
    if match is None or device is None:
        return None
    mapping: dict[str, str | list[str]] = {}
    missing = list(match.missing)
    for key, entity_id in match.mapping.items():
        # The preset names an entity; our own rules (domain, device class, unit) have the last word.
        if field_error(hass, FIELDS_BY_KEY[key], entity_id) is None:
            mapping[key] = entity_id
        else:
            missing.append(key)
    defrost = mapping.get(CONF_DEFROST)
    if isinstance(defrost, str) and defrost.startswith("sensor."):
        # A text sensor: its states that mean defrosting come with the preset.
        mapping[CONF_DEFROST_STATES] = list(match.preset.defrost_states)
    order = {key: index for index, key in enumerate(match.preset.fields)}
    return Proposal(
        device_id=device_id,
        device_name=device.name_by_user or device.name or match.preset.title,
        preset_key=match.preset.key,
        title=match.preset.title,
        mapping=mapping,
        missing=tuple(sorted(missing, key=lambda key: order.get(key, len(order)))),
    )

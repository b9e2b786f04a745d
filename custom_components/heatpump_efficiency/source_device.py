"""Which device a "use existing sensors" entry's entities join: the heat pump's own, else one of their own."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo

from .compat import LINK_WITH_DEVICE_ENTRY, AnyDeviceEntry
from .const import DEVICE_NAME, DOMAIN
from .sensor_mapping import FIELDS
from .units.model import UnitIdentity


@dataclass(frozen=True, slots=True)
class DeviceLink:
    """How an entity joins its device: a device info to register, or an existing device entry."""

    device_info: DeviceInfo | None
    device_entry: AnyDeviceEntry | None


@callback
def find_unit_device(
    hass: HomeAssistant, entities: Mapping[str, str]
) -> AnyDeviceEntry | None:
    """Return the device most of the heat pump's mapped entities belong to (weather sensors do not count).

    A tie goes to the device of the field asked for first (electricity, then heat, then the rest).
    """
    entity_registry = er.async_get(hass)
    devices: Counter[str] = Counter()
    for source in FIELDS:
        entity_id = entities.get(source.key)
        if not source.of_unit or entity_id is None:
            continue
        entry = entity_registry.async_get(entity_id)
        if entry is not None and entry.device_id is not None:
            devices[entry.device_id] += 1
    if not devices:
        return None
    device_id = devices.most_common(1)[0][0]  # ties keep insertion (field) order
    return dr.async_get(hass).async_get(device_id)


@callback
def fields_on_device(
    hass: HomeAssistant, entities: Mapping[str, str], device: AnyDeviceEntry | None
) -> frozenset[str]:
    """Return the fields whose entity belongs to the heat pump's device: its own (reported) figures."""
    if device is None:
        return frozenset()
    entity_registry = er.async_get(hass)
    return frozenset(
        key
        for key, entity_id in entities.items()
        if (entry := entity_registry.async_get(entity_id)) is not None
        and entry.device_id == device.id
    )


def identity(unique_id: str, device: AnyDeviceEntry | None) -> UnitIdentity:
    """Return the identity of an entry's heat pump, described by its device where there is one."""
    # getattr: Home Assistant 2026's child devices carry no model data of their own.
    return UnitIdentity(
        unique_id=unique_id,
        manufacturer=getattr(device, "manufacturer", None) or "",
        model=getattr(device, "model", None),
        firmware=getattr(device, "sw_version", None),
    )


def device_link(unique_id: str, device: AnyDeviceEntry | None) -> DeviceLink:
    """Return how entities join the heat pump's device, or a device of the entry's own without one.

    Never registers this entry on another integration's device where Home Assistant can avoid it.
    """
    if device is None:
        return DeviceLink(
            DeviceInfo(identifiers={(DOMAIN, unique_id)}, name=DEVICE_NAME), None
        )
    if LINK_WITH_DEVICE_ENTRY:
        return DeviceLink(None, device)
    # Home Assistant 2025.4's only way (its async_device_info_to_link_from_device_id).
    return DeviceLink(
        DeviceInfo(
            identifiers=device.identifiers,
            connections=getattr(device, "connections", set()),
        ),
        None,
    )

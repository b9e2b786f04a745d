"""The base entity: device info, unique id, entity naming and attributes shared by every platform."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import HeatpumpCoordinator, Snapshot


def _always(_snapshot: Snapshot) -> bool:
    return True


def reports(*fields: str) -> Callable[[Snapshot], bool]:
    """Return a `has_fn` true when the source fills every one of these `Reading` fields."""

    def has(snapshot: Snapshot) -> bool:
        return all(name in snapshot.capabilities.reported_fields for name in fields)

    return has


def measures_heat(snapshot: Snapshot) -> bool:
    """Return whether the source gives heat (power or energy): without it there is never a COP."""
    return bool({"heat_w", "heat_kwh"} & snapshot.capabilities.reported_fields)


def knows_defrost(snapshot: Snapshot) -> bool:
    """Return whether defrosts can be known: the unit says so, or the heat dip shows them."""
    return "defrost" in snapshot.capabilities.reported_fields or measures_heat(snapshot)


@dataclass(frozen=True, kw_only=True)
class HeatpumpEntityDescription(EntityDescription):
    """What every description of this integration adds: when to create it, and its attributes."""

    # Whether the source can ever feed this entity (asked once, at setup, with the first snapshot).
    has_fn: Callable[[Snapshot], bool] = _always
    attr_fn: Callable[[Snapshot], Mapping[str, Any]] | None = None


class HeatpumpEntity(CoordinatorEntity[HeatpumpCoordinator]):
    """An entity of one heat pump; names come from translations."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: HeatpumpCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to the unit's device."""
        super().__init__(coordinator)
        self.entity_description = description
        identity = coordinator.identity
        self._attr_unique_id = f"{identity.unique_id}_{description.key}"
        # The coordinator knows its device: the unit's own, or the one existing sensors belong to.
        self._attr_device_info = coordinator.device_link.device_info
        self.device_entry = coordinator.device_link.device_entry
        # What the last write showed, and the state object it produced.
        self._written: tuple[Any, ...] | None = None
        self._written_state: State | None = None

    async def async_added_to_hass(self) -> None:
        """Remember what the platform's first write, right after this, shows."""
        await super().async_added_to_hass()
        self._written = self._shown()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what it shows changed (and, for some sensors, when it is due).

        CoordinatorEntity writes on every poll; an unchanged state costs the event loop and, through
        `last_reported`, a database update. A write from elsewhere (a command) always counts as a change.
        """
        shown = self._shown()
        current = self.hass.states.get(self.entity_id) if self.entity_id else None
        if self._written_state is None:
            self._written_state = current  # the platform's first write
        if (
            current is not None
            and current is self._written_state
            and (shown == self._written or not self._write_due(shown))
        ):
            return
        self.async_write_ha_state()
        self._written = shown
        self._written_state = self.hass.states.get(self.entity_id)

    def _shown(self) -> tuple[Any, ...]:
        """Return everything the entity's state shows: availability, state and attributes."""
        return (
            self.available,
            self._shown_state(),
            self.state_attributes,
            self.extra_state_attributes,
        )

    def _shown_state(self) -> Any:
        """Return what the state is made from; a platform may give a cheaper equivalent of `state`."""
        return self.state

    def _write_due(self, shown: tuple[Any, ...]) -> bool:
        """Return whether a changed state is written now; throttled sensors say later."""
        return True

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the description's attributes, if it has any."""
        description = self.entity_description
        if not isinstance(description, HeatpumpEntityDescription) or (
            description.attr_fn is None
        ):
            return None
        return description.attr_fn(self.coordinator.data)


@callback
def fed_descriptions[DescriptionT: HeatpumpEntityDescription](
    hass: HomeAssistant,
    coordinator: HeatpumpCoordinator,
    platform: Platform,
    descriptions: Iterable[DescriptionT],
) -> list[DescriptionT]:
    """Return the descriptions the source can feed; forget registry entries of the others.

    An entity created by an earlier version (or before the mapping changed) that can no longer get a
    value would otherwise linger as "no longer provided".
    """
    registry = er.async_get(hass)
    fed: list[DescriptionT] = []
    for description in descriptions:
        if description.has_fn(coordinator.data):
            fed.append(description)
            continue
        unique_id = f"{coordinator.identity.unique_id}_{description.key}"
        entity_id = registry.async_get_entity_id(platform, DOMAIN, unique_id)
        if entity_id is not None and (
            (entry := registry.async_get(entity_id)) is not None
            and entry.config_entry_id == coordinator.config_entry.entry_id
        ):
            registry.async_remove(entity_id)
    return fed

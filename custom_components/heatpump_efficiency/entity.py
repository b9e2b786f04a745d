"""The base entity: device info, unique id and entity naming shared by every platform."""

from __future__ import annotations

from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import HeatpumpCoordinator


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

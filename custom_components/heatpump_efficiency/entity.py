"""The base entity: device info, unique id and entity naming shared by every platform."""

from __future__ import annotations

from homeassistant.helpers.device_registry import CONNECTION_NETWORK_MAC, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DEVICE_NAME, DOMAIN
from .coordinator import HeatpumpCoordinator
from .sensor_coordinator import SensorCoordinator


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
        if isinstance(coordinator, SensorCoordinator):
            # Existing sensors: join the heat pump's device, or the entry's own device.
            self._attr_device_info = coordinator.device_link.device_info
            self.device_entry = coordinator.device_link.device_entry
            return
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, identity.unique_id)},
            connections={(CONNECTION_NETWORK_MAC, identity.mac)}
            if identity.mac
            else set(),
            manufacturer=identity.manufacturer,
            model=identity.model,
            serial_number=identity.serial,
            sw_version=identity.firmware,
            name=DEVICE_NAME,
            configuration_url=getattr(coordinator.driver, "configuration_url", None),
        )

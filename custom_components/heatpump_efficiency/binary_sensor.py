"""Binary sensors: defrost, backup heater, unit errors, filter due, excessive defrost, short cycling."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .compat import BinarySensorDeviceClass
from .coordinator import Snapshot
from .data import HeatpumpEfficiencyConfigEntry
from .entity import (
    HeatpumpEntity,
    HeatpumpEntityDescription,
    fed_descriptions,
    knows_defrost,
    reports,
)

PARALLEL_UPDATES = 0  # read-only: the coordinator does all I/O


@dataclass(frozen=True, kw_only=True)
class HeatpumpBinarySensorDescription(
    BinarySensorEntityDescription, HeatpumpEntityDescription
):
    """A binary sensor described as data."""

    is_on_fn: Callable[[Snapshot], bool | None]


BINARY_SENSORS: tuple[HeatpumpBinarySensorDescription, ...] = (
    HeatpumpBinarySensorDescription(
        key="defrost",
        translation_key="defrost",
        device_class=BinarySensorDeviceClass.RUNNING,
        is_on_fn=lambda s: s.results.defrost.active,
        attr_fn=lambda s: {"inferred": s.results.defrost.inferred},
        has_fn=knows_defrost,
    ),
    HeatpumpBinarySensorDescription(
        key="backup_heater",
        translation_key="backup_heater",
        device_class=BinarySensorDeviceClass.RUNNING,
        is_on_fn=lambda s: s.reading.backup_heater,
        has_fn=reports("backup_heater"),
    ),
    HeatpumpBinarySensorDescription(
        key="unit_error",
        translation_key="unit_error",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda s: s.reading.error is not None,
        # Only a source that reports errors can say there is none.
        has_fn=reports("error"),
        attr_fn=lambda s: {"error_code": s.reading.error},
    ),
    HeatpumpBinarySensorDescription(
        key="filter_due",
        translation_key="filter_due",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda s: s.results.filter.due,
        attr_fn=lambda s: {
            "reason": None
            if s.results.filter.reason is None
            else s.results.filter.reason.value,
            "overdue_days": round(s.results.filter.overdue_days, 1),
        },
    ),
    HeatpumpBinarySensorDescription(
        key="excessive_defrost",
        translation_key="excessive_defrost",
        has_fn=knows_defrost,
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda s: s.results.defrost.excessive,
        attr_fn=lambda s: {
            "reason": None
            if s.results.defrost.reason is None
            else s.results.defrost.reason.value,
            "detail": s.results.defrost.reason_detail,
        },
    ),
    HeatpumpBinarySensorDescription(
        key="short_cycling",
        translation_key="short_cycling",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda s: s.results.cycling.short_cycling,
        attr_fn=lambda s: {
            "reason": None
            if s.results.cycling.reason is None
            else s.results.cycling.reason.value,
        },
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the binary sensors of one heat pump."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        HeatpumpBinarySensor(coordinator, description)
        for description in fed_descriptions(
            hass, coordinator, Platform.BINARY_SENSOR, BINARY_SENSORS
        )
    )


class HeatpumpBinarySensor(HeatpumpEntity, BinarySensorEntity):
    """A binary sensor reading the coordinator's snapshot."""

    entity_description: HeatpumpBinarySensorDescription
    # Grows a tenth of a day at a time while a filter is overdue: for the more-info dialog, not history.
    _unrecorded_attributes = frozenset({"overdue_days"})

    @property
    def is_on(self) -> bool | None:
        """Return the state from the latest snapshot."""
        return self.entity_description.is_on_fn(self.coordinator.data)

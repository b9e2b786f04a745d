"""The "filter cleaned" button: resets the filter maintenance counters."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import HeatpumpEfficiencyConfigEntry
from .entity import HeatpumpEntity

PARALLEL_UPDATES = 0  # no I/O: the reset is local bookkeeping

FILTER_CLEANED = ButtonEntityDescription(
    key="filter_cleaned",
    translation_key="filter_cleaned",
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the button of one heat pump."""
    async_add_entities(
        [FilterCleanedButton(entry.runtime_data.coordinator, FILTER_CLEANED)]
    )


class FilterCleanedButton(HeatpumpEntity, ButtonEntity):
    """Press after cleaning the filter (and coil): restarts the runtime and calendar counters."""

    async def async_press(self) -> None:
        """Record the cleaning."""
        self.coordinator.filter_cleaned()

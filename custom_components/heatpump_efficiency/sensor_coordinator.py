"""The event-driven coordinator of a "use existing sensors" entry: same engine, same snapshot, no polling.

Changes of the mapped entities that arrive together (within `ALIGN_DELAY`) make one reading; a reading
is also taken at least every `HEARTBEAT`, so time with constant values counts (the rhythm every pushed
source shares, `pushed/coordinator.py`). Missing electricity or heat makes every derived entity
unavailable until the sources are back.
"""

from __future__ import annotations

from datetime import timedelta

from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_entity_registry_updated_event
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.update_coordinator import UpdateFailed

from .const import CONF_MAX_AGE, DEFAULT_MAX_AGE, DOMAIN
from .coordinator import Snapshot
from .data import HeatpumpEfficiencyConfigEntry
from .entity_source import EntitySource, SourceConfig, SourceUnavailableError
from .pushed.coordinator import ALIGN_DELAY, HEARTBEAT, PushedCoordinator
from .repairs import (
    ISSUE_SOURCE_MISSING,
    ISSUE_SOURCE_RENAMED,
    async_create_source_issue,
    async_delete_source_issue,
    async_update_source_unit_issues,
)
from .sensor_mapping import CONF_DEFROST_STATES, mapped
from .source_device import (
    DeviceLink,
    device_link,
    fields_on_device,
    find_unit_device,
    identity,
)

__all__ = ["ALIGN_DELAY", "HEARTBEAT", "SensorCoordinator"]


class SensorCoordinator(PushedCoordinator):
    """Feeds the engine from state changes of the user's entities instead of polling a unit."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: HeatpumpEfficiencyConfigEntry,
        source: EntitySource,
        link: DeviceLink,
    ) -> None:
        """Create the coordinator; `async_start` follows the entities."""
        super().__init__(hass, entry, source, source.identity)
        self.source = source
        self.device_link = link

    @callback
    def async_start(self) -> None:
        """Follow the mapped entities and the entity registry until the entry unloads."""
        entry = self.config_entry
        entry.async_on_unload(self.source.async_start(self.async_source_changed))
        entry.async_on_unload(
            async_track_entity_registry_updated_event(
                self.hass, self.source.entity_ids, self._async_registry_updated
            )
        )
        entry.async_on_unload(async_at_started(self.hass, self._async_check_missing))

    async def _async_update_data(self) -> Snapshot:
        """Take a reading of the entities' values; fail (entities unavailable) when a figure is missing."""
        if self.hass.is_running:
            self._async_check_missing()
        async_update_source_unit_issues(
            self.hass,
            self.config_entry,
            dict(self.source.config.entities),
            self.source.unit_problems(),
        )
        try:
            return await super()._async_update_data()
        except UpdateFailed as err:
            if isinstance(cause := err.__cause__, SourceUnavailableError):
                raise UpdateFailed(
                    translation_domain=DOMAIN,
                    translation_key="sources_unavailable",
                    translation_placeholders={"entities": ", ".join(cause.entity_ids)},
                ) from cause
            raise

    @callback
    def _async_check_missing(self, _hass: HomeAssistant | None = None) -> None:
        """Raise an issue for each mapped entity that does not exist once Home Assistant has started."""
        registry = er.async_get(self.hass)
        for key, entity_id in self.source.config.entities.items():
            if self.hass.states.get(entity_id) is None and (
                registry.async_get(entity_id) is None
            ):
                async_create_source_issue(
                    self.hass, self.config_entry, ISSUE_SOURCE_MISSING, key, entity_id
                )
            else:
                async_delete_source_issue(
                    self.hass, self.config_entry.entry_id, ISSUE_SOURCE_MISSING, key
                )

    @callback
    def _async_registry_updated(
        self, event: Event[er.EventEntityRegistryUpdatedData]
    ) -> None:
        """Raise an issue when a mapped entity is removed or renamed."""
        data = event.data
        if data["action"] == "remove":
            kind, old, new = ISSUE_SOURCE_MISSING, data["entity_id"], None
        elif data["action"] == "update" and "old_entity_id" in data:
            kind, old, new = (
                ISSUE_SOURCE_RENAMED,
                data["old_entity_id"],
                data["entity_id"],
            )
        else:
            return
        for key, entity_id in self.source.config.entities.items():
            if entity_id == old:
                async_create_source_issue(
                    self.hass, self.config_entry, kind, key, old, new_entity_id=new
                )


def source_config(
    entry: HeatpumpEfficiencyConfigEntry, reported: frozenset[str]
) -> SourceConfig:
    """Return what the source of an entry reads, from its data and options."""
    return SourceConfig(
        entities=mapped(entry.data),
        defrost_states=frozenset(
            str(state).strip().casefold()
            for state in entry.data.get(CONF_DEFROST_STATES, [])
        ),
        max_age=timedelta(
            minutes=float(entry.options.get(CONF_MAX_AGE, DEFAULT_MAX_AGE))
        ),
        reported=reported,
    )


async def async_create_sensor_coordinator(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> SensorCoordinator:
    """Build the source and coordinator of a "use existing sensors" entry and take the first reading."""
    entities = mapped(entry.data)
    device = find_unit_device(hass, entities)
    unique_id = entry.unique_id or entry.entry_id
    source = EntitySource(
        hass,
        source_config(entry, fields_on_device(hass, entities, device)),
        identity(unique_id, device),
    )
    await source.async_identify()
    coordinator = SensorCoordinator(hass, entry, source, device_link(unique_id, device))
    coordinator.async_start()
    await coordinator.async_config_entry_first_refresh()
    return coordinator

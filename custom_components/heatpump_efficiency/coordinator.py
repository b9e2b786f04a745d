"""Polls the unit, feeds the analytics engine and persists the engine's state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .analytics.config import EngineConfig
from .analytics.engine import Engine
from .analytics.results import Results
from .analytics.state import StateError
from .const import (
    CONF_POLL_INTERVAL,
    CONF_THRESHOLDS,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    LOGGER,
    STORAGE_SAVE_DELAY,
    STORAGE_VERSION,
)
from .data import HeatpumpEfficiencyConfigEntry
from .repairs import async_update_issues
from .units.driver import UnitDriver
from .units.model import (
    Capabilities,
    Reading,
    UnitConnectionError,
    UnitIdentity,
    UnitResponseError,
    UnitTimeoutError,
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What every entity reads: the latest reading and the engine's judgement of it."""

    reading: Reading
    results: Results
    capabilities: Capabilities
    starting_power_w: (
        float  # electrical input from which the compressor counts as running
    )


def storage_key(entry_id: str) -> str:
    """Return where an entry's engine state is stored (the engine versions and migrates its own data)."""
    return f"{DOMAIN}.{entry_id}.engine"


def poll_interval(
    entry: HeatpumpEfficiencyConfigEntry, driver: UnitDriver
) -> timedelta:
    """Return the configured poll interval, never faster than the unit's safe minimum."""
    seconds = float(entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL))
    return timedelta(seconds=max(seconds, driver.capabilities.min_poll_interval))


def engine_config(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> EngineConfig:
    """Build the engine's configuration from the entry's options and Home Assistant's time zone."""
    return EngineConfig.from_options(
        entry.options.get(CONF_THRESHOLDS, {}),
        timezone=dt_util.get_default_time_zone(),
    )


class HeatpumpCoordinator(DataUpdateCoordinator[Snapshot]):
    """One unit's polling rhythm; the analytics engine sees every reading once."""

    config_entry: HeatpumpEfficiencyConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: HeatpumpEfficiencyConfigEntry,
        driver: UnitDriver,
        identity: UnitIdentity,
    ) -> None:
        """Create the coordinator; the engine state is loaded in `_async_setup`."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=poll_interval(entry, driver),
        )
        self.driver = driver
        self.identity = identity
        self.engine = Engine(engine_config(hass, entry))
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, storage_key(entry.entry_id)
        )

    async def _async_setup(self) -> None:
        """Restore the engine's state so a restart loses and double-counts nothing."""
        stored = await self._store.async_load()
        if stored is None:
            return
        try:
            self.engine = Engine.from_dict(stored, self.engine.config)
        except StateError as err:
            # A damaged file must not stop the heat pump from being monitored.
            LOGGER.warning(
                "Stored efficiency statistics for %s could not be read and start afresh: %s",
                self.config_entry.title,
                err,
            )

    async def _async_update_data(self) -> Snapshot:
        """Fetch one reading and update the analytics."""
        host = getattr(self.driver, "host", "")
        try:
            reading = await self.driver.async_fetch()
        except UnitTimeoutError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="timeout",
                translation_placeholders={"host": host},
            ) from err
        except UnitConnectionError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={"host": host, "error": str(err)},
            ) from err
        except UnitResponseError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="invalid_response",
                translation_placeholders={"host": host, "error": str(err)},
            ) from err
        results = self.engine.update(reading)
        self._store.async_delay_save(self.engine.to_dict, STORAGE_SAVE_DELAY)
        async_update_issues(self.hass, self.config_entry, results)
        return self._snapshot(reading, results)

    def _snapshot(self, reading: Reading, results: Results) -> Snapshot:
        return Snapshot(
            reading=reading,
            results=results,
            capabilities=self.driver.capabilities,
            starting_power_w=self.engine.config.starting_power_w,
        )

    async def async_save(self) -> None:
        """Write the engine state now (on unload)."""
        await self._store.async_save(self.engine.to_dict())

    def filter_cleaned(self) -> None:
        """Record a filter cleaning now and publish the new judgement."""
        results = self.engine.filter_cleaned(dt_util.utcnow())
        self._store.async_delay_save(self.engine.to_dict, STORAGE_SAVE_DELAY)
        async_update_issues(self.hass, self.config_entry, results)
        if self.data is not None:
            self.async_set_updated_data(
                self._snapshot(self.data.reading, self.engine.results)
            )

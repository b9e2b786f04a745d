"""The rhythm of a pushed source: a reading when a burst of values has arrived, and a heartbeat.

Values that arrive together (within `ALIGN_DELAY`) make one reading, so a unit publishing a dozen
topics at once gives one reading, not a dozen. A reading is also taken at least every `HEARTBEAT`,
so time with constant values counts and values that are not repeated expire. A source that publishes
every few seconds can ask for a minimum spacing of readings (`min_spacing`), so it does not write more
states than polling would.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Protocol

from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from custom_components.heatpump_efficiency.coordinator import (
    HeatpumpCoordinator,
    Snapshot,
)
from custom_components.heatpump_efficiency.data import HeatpumpEfficiencyConfigEntry
from custom_components.heatpump_efficiency.units.driver import UnitDriver
from custom_components.heatpump_efficiency.units.model import UnitIdentity

ALIGN_DELAY = 2.0  # seconds: values arriving this close together belong to one reading
HEARTBEAT = 60.0  # seconds: the longest time without a reading


class PushedSource(UnitDriver, Protocol):
    """A driver whose values are pushed: it knows whether new data waits and when it last gave a reading."""

    @property
    def pending(self) -> bool:
        """Return whether data arrived since the last reading."""

    @property
    def last_time(self) -> datetime | None:
        """Return the time of the last reading."""


class PushedCoordinator(HeatpumpCoordinator):
    """Feeds the engine from a pushed source: event-driven, no polling."""

    min_spacing = 0.0  # seconds from one reading to the next; 0 takes every burst

    def __init__(
        self,
        hass: HomeAssistant,
        entry: HeatpumpEfficiencyConfigEntry,
        source: PushedSource,
        identity: UnitIdentity,
    ) -> None:
        """Create the coordinator; call `async_source_changed` whenever data arrives."""
        super().__init__(hass, entry, source, identity)
        self.update_interval = None  # event-driven
        self.pushed: PushedSource = source
        self._timers: dict[str, CALLBACK_TYPE] = {}
        entry.async_on_unload(self._async_cancel_timers)

    @callback
    def _async_cancel_timers(self) -> None:
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()

    @callback
    def _async_schedule(self, name: str, delay: float) -> None:
        """Arm a named timer; an armed alignment timer is left as it is (the data waits for company)."""
        if name == "align" and name in self._timers:
            return
        if (cancel := self._timers.pop(name, None)) is not None:
            cancel()
        self._timers[name] = async_call_later(
            self.hass, delay, HassJob(partial(self._async_timer, name))
        )

    @callback
    def async_source_changed(self) -> None:
        """Take a reading once the burst this data belongs to has arrived (and the spacing allows)."""
        delay = ALIGN_DELAY
        if self.min_spacing and (last := self.pushed.last_time) is not None:
            since = (dt_util.utcnow() - last).total_seconds()
            delay = max(delay, self.min_spacing - since)
        self._async_schedule("align", delay)

    async def _async_timer(self, name: str, now: datetime) -> None:
        """Take a reading when data waits or the last reading is a heartbeat old."""
        self._timers.pop(name, None)
        last = self.pushed.last_time
        # A last reading in the future (the clock was set back) is due too, or readings would stop.
        if (
            self.pushed.pending
            or last is None
            or not 0 <= (now - last).total_seconds() < HEARTBEAT
        ):
            await self.async_refresh()

    async def _async_update_data(self) -> Snapshot:
        """Arm the next heartbeat and take a reading."""
        self._async_schedule("heartbeat", HEARTBEAT)
        return await super()._async_update_data()

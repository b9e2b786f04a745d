"""The rhythm of a pushed source: a reading when a burst of values has arrived, and a heartbeat.

Values that arrive together (within `ALIGN_DELAY`) make one reading, so a unit publishing a dozen
topics at once gives one reading, not a dozen. A reading is also taken at least every `HEARTBEAT`,
so time with constant values counts and values that are not repeated expire. A source that publishes
every few seconds can ask for a minimum spacing of readings (`min_spacing`), so it does not write more
states than polling would.

Statistics sensors hold their small changes (`sensor.py`, `publish_step`); with no poll interval there is
no known last reading of a 5-minute statistics period, so the coordinator makes one: a single timer
flushes the held values `FLUSH_LEAD` before each period ends, and readings due between the flush and
the period's end wait until just after it. The recorder then compiles each period from the same last
value as if every change had been written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Protocol

from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later, async_track_point_in_utc_time
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
STATISTICS_PERIOD = timedelta(minutes=5)
"""Home Assistant compiles short-term statistics for each 5-minute period from its last state."""
FLUSH_LEAD = timedelta(seconds=10)
"""How long before a statistics period ends held statistics are written (and readings pause)."""
AFTER_PERIOD_END = timedelta(seconds=0.5)
"""How long after a period's end a reading that waited through the flush is taken."""


def period_end(now: datetime) -> datetime:
    """Return the end of the 5-minute statistics period `now` falls in."""
    period = STATISTICS_PERIOD.total_seconds()
    start = now.timestamp() // period * period
    return dt_util.utc_from_timestamp(start + period)


def in_flush_window(now: datetime) -> bool:
    """Return whether `now` lies between a period's flush and its end, when no reading is taken."""
    return period_end(now) - now <= FLUSH_LEAD


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
        self._flush_listeners: list[Callable[[], None]] = []
        self._flushing = False
        self._taken_at: datetime | None = None  # when the last reading was taken
        entry.async_on_unload(self._async_cancel_timers)
        self._async_schedule_flush()

    @callback
    def _async_cancel_timers(self) -> None:
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()
        self._flush_listeners.clear()

    @callback
    def async_add_flush_listener(self, flush: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `flush` before each statistics period ends; return the function that stops it."""
        self._flush_listeners.append(flush)

        @callback
        def remove() -> None:
            if flush in self._flush_listeners:
                self._flush_listeners.remove(flush)

        return remove

    @property
    def period_closing(self) -> bool:
        """Return whether held statistics are written now: at the flush or until the period ends."""
        return self._flushing or in_flush_window(dt_util.utcnow())

    @callback
    def _async_schedule_flush(self) -> None:
        """Arm the one flush timer of this coordinator for the current period's flush time."""
        now = dt_util.utcnow()
        flush_at = period_end(now) - FLUSH_LEAD
        if flush_at <= now:  # already in this period's window: the next period's
            flush_at += STATISTICS_PERIOD
        self._timers["flush"] = async_track_point_in_utc_time(
            self.hass, HassJob(self._async_flush, cancel_on_shutdown=True), flush_at
        )

    @callback
    def _async_flush(self, _now: datetime) -> None:
        """Write every held statistics figure; the period's last reading has been taken."""
        self._timers.pop("flush", None)
        self._async_schedule_flush()
        self._flushing = True
        try:
            for flush in list(self._flush_listeners):
                flush()
        finally:
            self._flushing = False

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
        # Spaced from when the last reading was taken: it is dated by its data, which can be older.
        if self.min_spacing and (taken := self._taken_at) is not None:
            since = (dt_util.utcnow() - taken).total_seconds()
            delay = max(delay, self.min_spacing - since)
        self._async_schedule("align", delay)

    async def _async_timer(self, name: str, now: datetime) -> None:
        """Take a reading when data waits or the last reading is a heartbeat old."""
        self._timers.pop(name, None)
        if in_flush_window(clock := dt_util.utcnow()):
            # The period's figures are flushed: a reading now would change them after the fact.
            delay = (period_end(clock) - clock + AFTER_PERIOD_END).total_seconds()
            self._async_schedule(name, delay)
            return
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
        self._taken_at = dt_util.utcnow()
        return await super()._async_update_data()

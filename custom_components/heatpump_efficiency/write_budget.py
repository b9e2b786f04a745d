"""A rolling-hour write allowance per unit and setting, protecting the unit's EEPROM/flash.

The writes of the last hour are persisted per unit (keyed by the unit's unique id, not the config entry),
so a reload, a restart, or removing and adding the unit again never hands out a fresh allowance.
"""

from __future__ import annotations

from collections import deque
import math
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.util import slugify

from .const import DOMAIN, LOGGER

WINDOW_SECONDS = 3600.0
STORAGE_VERSION = 1


def storage_key(unit_id: str) -> str:
    """Return where one unit's recent writes are stored."""
    return f"{DOMAIN}.writes.{slugify(unit_id)}"


class WriteBudget:
    """Allows at most `per_hour` writes of each setting in any rolling hour."""

    def __init__(
        self, per_hour: int, store: Store[dict[str, Any]] | None = None
    ) -> None:
        """Create an empty budget; with a store, every recorded write is saved."""
        if per_hour < 1:
            raise ValueError("per_hour must be at least 1")
        self._per_hour = per_hour
        self._store = store
        self._writes: dict[str, deque[float]] = {}

    @property
    def per_hour(self) -> int:
        """Return the number of writes allowed per setting and hour."""
        return self._per_hour

    def _recent(self, key: str, now: float) -> deque[float]:
        writes = self._writes.setdefault(key, deque())
        while writes and writes[0] <= now - WINDOW_SECONDS:
            writes.popleft()
        return writes

    def allows(self, key: str, now: float) -> bool:
        """Return whether one more write of `key` at `now` (seconds) stays within the budget."""
        return len(self._recent(key, now)) < self._per_hour

    def seconds_until_allowed(self, key: str, now: float) -> float:
        """Return how long until a write of `key` is allowed again (0 when it is now)."""
        writes = self._recent(key, now)
        if len(writes) < self._per_hour:
            return 0.0
        return max(writes[-self._per_hour] + WINDOW_SECONDS - now, 0.0)

    def minutes_until_allowed(self, key: str, now: float) -> int:
        """Return the whole minutes to wait, at least 1 while a write is refused."""
        return max(1, math.ceil(self.seconds_until_allowed(key, now) / 60))

    async def async_record(self, key: str, now: float) -> None:
        """Count a write of `key` made at `now` and save it before the write goes out."""
        self._recent(key, now).append(now)
        if self._store is not None:
            await self._store.async_save(self.to_dict())

    async def async_discard(self, key: str, now: float) -> None:
        """Take back a write of `key` recorded at `now` that never left (the driver refused the value)."""
        writes = self._writes.get(key)
        if writes is not None and now in writes:
            writes.remove(now)
            if self._store is not None:
                await self._store.async_save(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        """Return the recorded writes as stored data."""
        return {
            "writes": {key: list(times) for key, times in self._writes.items() if times}
        }

    def load(self, data: Any, now: float) -> None:
        """Take the writes of stored data that still count; ignore anything malformed."""
        writes = data.get("writes") if isinstance(data, dict) else None
        if not isinstance(writes, dict):
            return
        for key, times in writes.items():
            if not isinstance(key, str) or not isinstance(times, list):
                continue
            # A write "in the future" by more than the window means the clock jumped back: drop it
            # rather than block the setting for longer than an hour.
            valid = sorted(
                float(time)
                for time in times
                if isinstance(time, int | float)
                and not isinstance(time, bool)
                and math.isfinite(time)
                and now - WINDOW_SECONDS < time <= now + WINDOW_SECONDS
            )
            if valid:
                self._writes[key] = deque(valid)


async def async_load_write_budget(
    hass: HomeAssistant, unit_id: str, per_hour: int, now: float
) -> WriteBudget:
    """Return a unit's budget with the writes of the last hour restored from storage."""
    store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, storage_key(unit_id))
    budget = WriteBudget(per_hour, store)
    try:
        stored = await store.async_load()
    except (
        HomeAssistantError
    ) as err:  # a damaged file must not stop the unit from being set up
        LOGGER.warning("Stored write history of %s is unreadable: %s", unit_id, err)
        stored = None
    if stored is not None:
        budget.load(stored, now)
    return budget

"""A rolling-hour write allowance per parameter, protecting the unit's EEPROM/flash."""

from __future__ import annotations

from collections import deque

WINDOW_SECONDS = 3600.0


class WriteBudget:
    """Allows at most `per_hour` writes of each parameter in any rolling hour."""

    def __init__(self, per_hour: int) -> None:
        """Create an empty budget."""
        if per_hour < 1:
            raise ValueError("per_hour must be at least 1")
        self._per_hour = per_hour
        self._writes: dict[str, deque[float]] = {}

    @property
    def per_hour(self) -> int:
        """Return the number of writes allowed per parameter and hour."""
        return self._per_hour

    def _recent(self, key: str, now: float) -> deque[float]:
        writes = self._writes.setdefault(key, deque())
        while writes and writes[0] <= now - WINDOW_SECONDS:
            writes.popleft()
        return writes

    def allows(self, key: str, now: float) -> bool:
        """Return whether one more write of `key` at `now` (seconds) stays within the budget."""
        return len(self._recent(key, now)) < self._per_hour

    def record(self, key: str, now: float) -> None:
        """Count a write of `key` made at `now`."""
        self._recent(key, now).append(now)

    def seconds_until_allowed(self, key: str, now: float) -> float:
        """Return how long until a write of `key` is allowed again (0 when it is now)."""
        writes = self._recent(key, now)
        if len(writes) < self._per_hour:
            return 0.0
        return writes[0] + WINDOW_SECONDS - now

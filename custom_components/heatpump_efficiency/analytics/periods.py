"""Totals per period in bounded memory: hourly and daily ring buffers, heating season and lifetime."""

from __future__ import annotations

import calendar
from collections import deque
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from .checks import (
    MAX_T,
    MIN_T,
    StateError,
    as_list,
    field_of,
    integer,
    opt_integer,
    totals_from,
)
from .totals import Totals

HOURS_KEPT = 24  # rolling 24 h: the current hour and the 23 before it
DAYS_KEPT = 30  # rolling 30 days: today and the 29 local days before it
# Intervals longer than this (counter deltas across a long outage) go to the end's buckets unsplit.
SPLIT_LIMIT_S = 2 * 86400.0


# Plausible hour numbers and local-day ordinals of stored buckets.
_HOUR_RANGE = (int(MIN_T // 3600), int(MAX_T // 3600))
_DAY_RANGE = (date(2000, 1, 1).toordinal(), date(2200, 1, 1).toordinal())


def _buckets(
    data: dict[str, Any],
    key: str,
    kept: int,
    key_range: tuple[int, int],
    current: int | None,
) -> list[tuple[int, Totals]]:
    """Restore a ring of [key, totals] buckets: keys ascending, none after the current one."""
    name = f"ledger.{key}"
    out: list[tuple[int, Totals]] = []
    for item in as_list(field_of(data, key, "ledger"), name, kept):
        pair = as_list(item, f"{name}[]", 2)
        if len(pair) != 2:
            raise StateError(f"{name}[] needs a key and totals")
        bucket = integer(pair[0], f"{name}[].key", *key_range)
        if out and bucket <= out[-1][0]:
            raise StateError(f"{name} keys are not ascending")
        if current is None or bucket > current:
            raise StateError(f"{name} has a bucket after the current one")
        out.append((bucket, totals_from(pair[1], f"{name}[{bucket}]")))
    return out


def season_key(day: date, month: int, day_of_month: int) -> int:
    """Return the year in which the heating season containing `day` started."""
    start_day = min(day_of_month, calendar.monthrange(day.year, month)[1])
    return day.year if day >= date(day.year, month, start_day) else day.year - 1


class Ledger:
    """Books interval totals into the current hour, local day, season and lifetime; O(1) per update."""

    def __init__(self, tz: tzinfo, season_month: int, season_day: int) -> None:
        """Start an empty ledger for a time zone and season start."""
        self._tz = tz
        self._season_month = season_month
        self._season_day = season_day
        self.hour_key: int | None = None
        self.hours: deque[tuple[int, Totals]] = deque(maxlen=HOURS_KEPT)
        self.day_key: int | None = None  # proleptic ordinal of the local date
        self.days: deque[tuple[int, Totals]] = deque(maxlen=DAYS_KEPT)
        self.season_key: int | None = None
        self.season = Totals()
        self.last_season: Totals | None = None
        self.lifetime = Totals()
        self._next_hour = float("-inf")
        self._next_midnight = float("-inf")
        self._hours_done = Totals()  # completed hours inside the 24 h window
        self._week_done = Totals()  # completed days inside the 7-day window
        self._month_done = Totals()  # completed days inside the 30-day window

    # --- booking -------------------------------------------------------------------------------

    def add_interval(self, start: float, end: float, totals: Totals) -> None:
        """Book continuous totals of [start, end], split pro rata at hour and local-midnight boundaries."""
        length = end - start
        if length <= 0 or length > SPLIT_LIMIT_S:
            self.roll(end)
            self._book(totals, 1.0)
            return
        t = start
        while t < end:
            self.roll(t)
            stop = min(end, self._next_hour, self._next_midnight)
            if stop <= t:  # defensive: a boundary that does not advance
                stop = end
            self._book(totals, (stop - t) / length)
            t = stop
        self.roll(end)

    def add_point(self, t: float, totals: Totals) -> None:
        """Book events (starts, defrosts, maxima) at an instant."""
        self.roll(t)
        self._book(totals, 1.0)

    def _book(self, totals: Totals, scale: float) -> None:
        """Add to every open bucket."""
        self.hours[-1][1].add(totals, scale)
        self.days[-1][1].add(totals, scale)
        self.season.add(totals, scale)
        self.lifetime.add(totals, scale)

    # --- time ----------------------------------------------------------------------------------

    def roll(self, t: float) -> None:
        """Open the hour and day buckets that contain `t` (time only moves forward)."""
        if t >= self._next_hour:
            key = int(t // 3600)
            if self.hour_key is None or key > self.hour_key:
                self.hour_key = key
                self.hours.append((key, Totals()))
                self._hours_done = Totals.summed(
                    [tot for k, tot in self.hours if key - HOURS_KEPT < k < key]
                )
            self._next_hour = (self.hour_key + 1) * 3600.0
        if t >= self._next_midnight:
            local = datetime.fromtimestamp(t, self._tz).date()
            ordinal = local.toordinal()
            if self.day_key is None or ordinal > self.day_key:
                self._open_day(local)
            # the day bucket may be behind `local` after a time-zone change; never go backwards
            current = date.fromordinal(
                self.day_key if self.day_key is not None else ordinal
            )
            midnight = datetime.combine(
                current + timedelta(days=1), time(), tzinfo=self._tz
            ).timestamp()
            self._next_midnight = midnight if midnight > t else t + 3600.0

    def _open_day(self, local: date) -> None:
        """Start a new local day, and a new season when the season start has passed."""
        ordinal = local.toordinal()
        self.day_key = ordinal
        self.days.append((ordinal, Totals()))
        self._week_done = Totals.summed(
            [tot for k, tot in self.days if ordinal - 7 < k < ordinal]
        )
        self._month_done = Totals.summed(
            [tot for k, tot in self.days if ordinal - DAYS_KEPT < k < ordinal]
        )
        key = season_key(local, self._season_month, self._season_day)
        if self.season_key is None:
            self.season_key = key
        elif key > self.season_key:
            self.last_season = self.season if key == self.season_key + 1 else Totals()
            self.season = Totals()
            self.season_key = key

    def rewind(self, t: float) -> None:
        """Move the current hour and day back to those containing t (the clock went back).

        Buckets opened after t fold into the bucket of t, so windows lose nothing; season and
        lifetime keep every figure.
        """
        hour = int(t // 3600)
        day = datetime.fromtimestamp(t, self._tz).date().toordinal()
        self._fold(self.hours, hour)
        self._fold(self.days, day)
        if self.hour_key is not None and self.hour_key > hour:
            self.hour_key = hour
        if self.day_key is not None and self.day_key > day:
            self.day_key = day
        self._next_hour = float("-inf")
        self._next_midnight = float("-inf")
        self._rebuild_caches()

    @staticmethod
    def _fold(buckets: deque[tuple[int, Totals]], key: int) -> None:
        """Merge buckets later than key into the bucket of key."""
        later = Totals()
        moved = False
        while buckets and buckets[-1][0] > key:
            later.add(buckets.pop()[1])
            moved = True
        if not moved:
            return
        if buckets and buckets[-1][0] == key:
            buckets[-1][1].add(later)
        else:
            buckets.append((key, later))

    # --- reading periods -----------------------------------------------------------------------

    @property
    def today(self) -> Totals:
        """Totals of the current local day."""
        return self.days[-1][1] if self.days else Totals()

    @property
    def yesterday(self) -> Totals:
        """Totals of the previous local day (empty if there was no data that day)."""
        if (
            len(self.days) >= 2
            and self.day_key is not None
            and self.days[-2][0] == self.day_key - 1
        ):
            return self.days[-2][1]
        return Totals()

    @property
    def today_date(self) -> date | None:
        """The local date of the current day."""
        return None if self.day_key is None else date.fromordinal(self.day_key)

    def rolling_24h(self) -> Totals:
        """Totals of the current hour and the 23 hours before it."""
        total = self._hours_done.copy()
        if self.hours:
            total.add(self.hours[-1][1])
        return total

    def rolling_7d(self) -> Totals:
        """Totals of today so far and the 6 local days before it."""
        total = self._week_done.copy()
        total.add(self.today)
        return total

    def rolling_30d(self) -> Totals:
        """Totals of today so far and the 29 local days before it."""
        total = self._month_done.copy()
        total.add(self.today)
        return total

    # --- state ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Serialise to JSON-compatible data."""
        return {
            "hour_key": self.hour_key,
            "hours": [[k, tot.to_list()] for k, tot in self.hours],
            "day_key": self.day_key,
            "days": [[k, tot.to_list()] for k, tot in self.days],
            "season_key": self.season_key,
            "season": self.season.to_list(),
            "last_season": None
            if self.last_season is None
            else self.last_season.to_list(),
            "lifetime": self.lifetime.to_list(),
        }

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], tz: tzinfo, season_month: int, season_day: int
    ) -> Ledger:
        """Restore from `to_dict`, checking every field (StateError); caches are rebuilt."""
        ledger = cls(tz, season_month, season_day)
        ledger.hour_key = opt_integer(
            field_of(data, "hour_key", "ledger"), "ledger.hour_key", *_HOUR_RANGE
        )
        ledger.hours.extend(
            _buckets(data, "hours", HOURS_KEPT, _HOUR_RANGE, ledger.hour_key)
        )
        ledger.day_key = opt_integer(
            field_of(data, "day_key", "ledger"), "ledger.day_key", *_DAY_RANGE
        )
        ledger.days.extend(
            _buckets(data, "days", DAYS_KEPT, _DAY_RANGE, ledger.day_key)
        )
        ledger.season_key = opt_integer(
            field_of(data, "season_key", "ledger"), "ledger.season_key", 1999, 2200
        )
        ledger.season = totals_from(field_of(data, "season", "ledger"), "ledger.season")
        last = field_of(data, "last_season", "ledger")
        ledger.last_season = (
            None if last is None else totals_from(last, "ledger.last_season")
        )
        ledger.lifetime = totals_from(
            field_of(data, "lifetime", "ledger"), "ledger.lifetime"
        )
        ledger._rebuild_caches()
        return ledger

    def _rebuild_caches(self) -> None:
        """Recompute the window sums of completed buckets."""
        if self.hour_key is not None:
            key = self.hour_key
            self._hours_done = Totals.summed(
                [tot for k, tot in self.hours if key - HOURS_KEPT < k < key]
            )
            self._next_hour = (key + 1) * 3600.0
        if self.day_key is not None:
            day = self.day_key
            self._week_done = Totals.summed(
                [tot for k, tot in self.days if day - 7 < k < day]
            )
            self._month_done = Totals.summed(
                [tot for k, tot in self.days if day - DAYS_KEPT < k < day]
            )

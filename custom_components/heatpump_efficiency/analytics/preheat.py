"""Learned pre-heat: how fast this house warms up, by outdoor temperature, and the lead time that follows.

A *recovery* starts when the room target is raised by at least `min_raise_k` while heating is on and the
room is clearly below the new target; it ends when the room is within `reach_tolerance_k` of the target.
Its rate is the temperature rise divided by the time that took (K/h). Recoveries are kept per outdoor
temperature band (the most recent few per band); a band's rate is the median of its recoveries, weighted
so that old ones count less. Across bands the rate is interpolated and forced to never rise as the
weather gets colder, so a colder day never gives a shorter lead time. Until a band has data the rate
follows a cautious default, scaled to whatever the house has shown in other bands.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
import math
from typing import Any

from .checks import (
    MAX_T,
    StateError,
    as_dict,
    as_list,
    field_of,
    flag,
    integer,
    num,
    short,
)

PREHEAT_STATE_VERSION = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class PreheatConfig:
    """Thresholds of recovery detection and of the learned model."""

    min_raise_k: float = 1.0  # a target raise at least this large starts a recovery
    min_start_gap_k: float = (
        0.8  # ... if the room is at least this far below the new target
    )
    reach_tolerance_k: float = 0.3  # the recovery ends within this of the target
    max_gap_s: float = 1800.0  # a longer gap between samples abandons a recovery
    max_recovery_h: float = 24.0  # a recovery taking longer is abandoned
    band_width_c: float = 4.0  # outdoor temperature band width
    max_per_band: int = 8  # recoveries kept per band (bounded memory)
    outdoor_min_c: float = (
        -30.0
    )  # bands beyond these limits are merged into the outermost band
    outdoor_max_c: float = 25.0
    half_life_days: float = 30.0  # a recovery's weight halves every this many days
    default_rate_k_per_h: float = (
        0.5  # warm-up rate assumed at `default_ref_outdoor_c` without data
    )
    default_ref_outdoor_c: float = 5.0
    default_slope_per_k: float = (
        0.03  # default rate change per kelvin of outdoor temperature
    )
    min_rate_k_per_h: float = 0.05  # bounds of any rate, learned or assumed
    max_rate_k_per_h: float = 10.0
    max_lead_minutes: float = 24 * 60.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Recovery:
    """One observed recovery."""

    end: float  # POSIX time the room came within tolerance of the target
    minutes: float
    rise_k: float
    outdoor_c: float  # mean outdoor temperature during the recovery
    rate_k_per_h: float


@dataclass(slots=True, kw_only=True)
class _Pending:
    """A recovery in progress."""

    start: float
    start_c: float
    target_c: float
    outdoor_sum: float = 0.0
    outdoor_n: int = 0


@dataclass(slots=True, kw_only=True)
class _Last:
    """The previous usable sample."""

    time: float
    room_c: float
    target_c: float
    heating: bool


def weighted_median(values: list[tuple[float, float]]) -> float:
    """Return the weighted median of (value, weight) pairs (the lower one on an exact tie)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    total = sum(weight for _, weight in ordered)
    running = 0.0
    for value, weight in ordered:
        running += weight
        if running >= total / 2.0:
            return value
    return ordered[-1][0]  # pragma: no cover - only reachable through rounding


def _non_increasing_when_colder(
    points: list[tuple[float, float, float]],
) -> list[tuple[float, float]]:
    """Pool adjacent violators so rates (x = outdoor, y = rate, w = weight) never fall as x rises."""
    blocks: list[list[float]] = []  # [weighted x sum, weighted y sum, weight, first x]
    xs: list[list[float]] = []
    for x, y, w in sorted(points):
        blocks.append([y * w, w])
        xs.append([x])
        while len(blocks) > 1 and (
            blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]
        ):
            y_sum, weight = blocks.pop()
            blocks[-1][0] += y_sum
            blocks[-1][1] += weight
            xs[-2].extend(xs.pop())
    # Each pooled block keeps its points' temperatures, all at the pooled rate.
    return [
        (x, y_sum / weight)
        for (y_sum, weight), group in zip(blocks, xs, strict=True)
        for x in group
    ]


class PreheatLearner:
    """Learns the warm-up rate from samples and answers how long a recovery will take."""

    def __init__(self, config: PreheatConfig | None = None) -> None:
        """Start without data: lead times follow the default rate."""
        self.config = config or PreheatConfig()
        self._bands: dict[int, deque[Recovery]] = {}
        self._pending: _Pending | None = None
        self._last: _Last | None = None
        self._now = 0.0  # latest sample time, the reference for ageing recoveries
        self.recoveries_total = 0

    # Learning -------------------------------------------------------------------------------------

    def update(
        self,
        time: datetime,
        room_c: float | None,
        target_c: float | None,
        outdoor_c: float | None,
        heating: bool,
    ) -> Recovery | None:
        """Feed one sample; return the recovery it completes, if any.

        `heating` means space heating is enabled (heat mode, unit on), not that the compressor runs.
        Samples without a room temperature or target are skipped; a longer gap than `max_gap_s`
        abandons a recovery in progress.
        """
        now = time.timestamp()
        if room_c is None or target_c is None or not _finite(room_c, target_c):
            return None
        if outdoor_c is not None and not math.isfinite(outdoor_c):
            outdoor_c = None
        cfg = self.config
        if self._last is not None and now <= self._last.time:
            return None  # a repeated or out-of-order sample
        last, self._last = (
            self._last,
            _Last(time=now, room_c=room_c, target_c=target_c, heating=heating),
        )
        self._now = max(self._now, now)
        if last is None or now - last.time > cfg.max_gap_s:
            self._pending = None
            return None

        pending = self._pending
        if pending is not None and (
            not heating
            or target_c != pending.target_c
            or now - pending.start > cfg.max_recovery_h * 3600.0
        ):
            pending = self._pending = None
        if (
            pending is None
            and heating
            and last.heating
            and target_c - last.target_c >= cfg.min_raise_k
            and target_c - room_c >= cfg.min_start_gap_k
        ):
            # The raise happened between the two samples: start from the earlier room reading.
            self._pending = _Pending(
                start=last.time, start_c=last.room_c, target_c=target_c
            )
            pending = self._pending
        if pending is None:
            return None
        if outdoor_c is not None:
            pending.outdoor_sum += outdoor_c
            pending.outdoor_n += 1
        level = pending.target_c - cfg.reach_tolerance_k
        if room_c < level:
            return None

        # Reached: interpolate the crossing between the last two samples.
        end = now
        if last.room_c < level < room_c and last.time >= pending.start:
            end = last.time + (now - last.time) * (level - last.room_c) / (
                room_c - last.room_c
            )
        self._pending = None
        rise = level - pending.start_c
        minutes = (end - pending.start) / 60.0
        if pending.outdoor_n == 0 or minutes <= 0.0 or rise <= 0.0:
            return None
        rate = rise / (minutes / 60.0)
        recovery = Recovery(
            end=end,
            minutes=minutes,
            rise_k=rise,
            outdoor_c=pending.outdoor_sum / pending.outdoor_n,
            rate_k_per_h=min(max(rate, cfg.min_rate_k_per_h), cfg.max_rate_k_per_h),
        )
        self.add(recovery)
        return recovery

    def add(self, recovery: Recovery) -> None:
        """Store a recovery in its outdoor band, forgetting that band's oldest beyond the limit."""
        band = self._band(recovery.outdoor_c)
        kept = self._bands.setdefault(band, deque(maxlen=self.config.max_per_band))
        kept.append(recovery)
        self._now = max(self._now, recovery.end)
        self.recoveries_total += 1

    def _band(self, outdoor_c: float) -> int:
        cfg = self.config
        clamped = min(max(outdoor_c, cfg.outdoor_min_c), cfg.outdoor_max_c)
        return math.floor(clamped / cfg.band_width_c)

    # Model ----------------------------------------------------------------------------------------

    def _weight(self, recovery: Recovery) -> float:
        age_days = max(self._now - recovery.end, 0.0) / 86400.0
        return float(0.5 ** (age_days / self.config.half_life_days))

    def _default_shape(self, outdoor_c: float) -> float:
        """Relative default rate at an outdoor temperature: 1 at the reference, lower when colder."""
        cfg = self.config
        clamped = min(max(outdoor_c, cfg.outdoor_min_c), cfg.outdoor_max_c)
        return max(
            1.0 + cfg.default_slope_per_k * (clamped - cfg.default_ref_outdoor_c), 0.2
        )

    def band_rates(self) -> list[tuple[float, float]]:
        """Return (outdoor °C, K/h) per band with data, coldest first, never faster when colder."""
        points: list[tuple[float, float, float]] = []
        for band in sorted(self._bands):
            recoveries = self._bands[band]
            if not recoveries:
                continue
            weights = [self._weight(r) for r in recoveries]
            total = sum(weights)
            rate = weighted_median(
                [(r.rate_k_per_h, w) for r, w in zip(recoveries, weights, strict=True)]
            )
            outdoor = (
                sum(r.outdoor_c * w for r, w in zip(recoveries, weights, strict=True))
                / total
            )
            points.append((outdoor, rate, total))
        return _non_increasing_when_colder(points)

    def rate_k_per_h(self, outdoor_c: float | None) -> float:
        """Return the expected warm-up rate (K/h) at an outdoor temperature (None: the typical one)."""
        cfg = self.config
        points = self.band_rates()
        if outdoor_c is None or not math.isfinite(outdoor_c):
            if not points:
                return cfg.default_rate_k_per_h
            rate = weighted_median([(y, 1.0) for _, y in points])
        elif not points:
            rate = cfg.default_rate_k_per_h * self._default_shape(outdoor_c)
        elif outdoor_c <= points[0][0]:
            x, y = points[0]
            rate = y * self._default_shape(outdoor_c) / self._default_shape(x)
        elif outdoor_c >= points[-1][0]:
            x, y = points[-1]
            rate = y * self._default_shape(outdoor_c) / self._default_shape(x)
        else:
            rate = points[-1][1]
            for (x0, y0), (x1, y1) in pairwise(points):
                if x0 <= outdoor_c <= x1:
                    rate = (
                        y0
                        if x1 == x0
                        else y0 + (y1 - y0) * (outdoor_c - x0) / (x1 - x0)
                    )
                    break
        return min(max(rate, cfg.min_rate_k_per_h), cfg.max_rate_k_per_h)

    def lead_time_minutes(
        self, current_c: float, target_c: float, outdoor_c: float | None
    ) -> float:
        """Minutes heating needs to bring the room from `current_c` to within tolerance of `target_c`."""
        if not _finite(current_c, target_c):
            raise ValueError("temperatures must be finite numbers")
        rise = target_c - self.config.reach_tolerance_k - current_c
        if rise <= 0.0:
            return 0.0
        minutes = rise / self.rate_k_per_h(outdoor_c) * 60.0
        return min(minutes, self.config.max_lead_minutes)

    @property
    def recoveries(self) -> list[Recovery]:
        """Every kept recovery, oldest first."""
        return sorted(
            (r for kept in self._bands.values() for r in kept), key=lambda r: r.end
        )

    @property
    def recovering(self) -> bool:
        """Whether a recovery is being observed right now."""
        return self._pending is not None

    # State ----------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Serialise to JSON-ready data (kept recoveries and a recovery in progress)."""
        pending = self._pending
        last = self._last
        return {
            "version": PREHEAT_STATE_VERSION,
            "recoveries_total": self.recoveries_total,
            "now": self._now,
            "recoveries": [
                [r.end, r.minutes, r.rise_k, r.outdoor_c, r.rate_k_per_h]
                for r in self.recoveries
            ],
            "pending": None
            if pending is None
            else [
                pending.start,
                pending.start_c,
                pending.target_c,
                pending.outdoor_sum,
                pending.outdoor_n,
            ],
            "last": None
            if last is None
            else [last.time, last.room_c, last.target_c, last.heating],
        }

    @classmethod
    def from_dict(
        cls, data: Any, config: PreheatConfig | None = None
    ) -> PreheatLearner:
        """Restore, checking every field by type and range; StateError says what is wrong."""
        data = as_dict(data, "preheat")
        version = data.get("version")
        if version != PREHEAT_STATE_VERSION:
            raise StateError(f"unsupported pre-heat state version: {short(version)}")
        learner = cls(config)

        def get(key: str) -> Any:
            return field_of(data, key, "preheat")

        for item in as_list(get("recoveries"), "preheat.recoveries", 10_000):
            end, minutes, rise, outdoor, rate = _items(item, "preheat.recoveries[]", 5)
            learner.add(
                Recovery(
                    end=num(end, "preheat.recoveries[].end", 0.0, MAX_T),
                    minutes=num(minutes, "preheat.recoveries[].minutes", 0.0, 1e6),
                    rise_k=num(rise, "preheat.recoveries[].rise_k", -100.0, 100.0),
                    outdoor_c=num(
                        outdoor, "preheat.recoveries[].outdoor_c", -100.0, 150.0
                    ),
                    rate_k_per_h=num(
                        rate, "preheat.recoveries[].rate_k_per_h", 0.0, 1e6
                    ),
                )
            )
        learner.recoveries_total = integer(
            get("recoveries_total"), "preheat.recoveries_total"
        )
        learner._now = max(learner._now, num(get("now"), "preheat.now", 0.0, MAX_T))
        if (pending := get("pending")) is not None:
            start, start_c, target_c, outdoor_sum, outdoor_n = _items(
                pending, "preheat.pending", 5
            )
            learner._pending = _Pending(
                start=num(start, "preheat.pending.start", 0.0, MAX_T),
                start_c=num(start_c, "preheat.pending.start_c", -100.0, 150.0),
                target_c=num(target_c, "preheat.pending.target_c", -100.0, 150.0),
                outdoor_sum=num(outdoor_sum, "preheat.pending.outdoor_sum", -1e9, 1e9),
                outdoor_n=integer(outdoor_n, "preheat.pending.outdoor_n"),
            )
        if (last := get("last")) is not None:
            time, room_c, target_c, heating = _items(last, "preheat.last", 4)
            learner._last = _Last(
                time=num(time, "preheat.last.time", 0.0, MAX_T),
                room_c=num(room_c, "preheat.last.room_c", -100.0, 150.0),
                target_c=num(target_c, "preheat.last.target_c", -100.0, 150.0),
                heating=flag(heating, "preheat.last.heating"),
            )
        return learner


def _items(value: Any, name: str, count: int) -> list[Any]:
    """Return a stored list of exactly `count` items."""
    items = as_list(value, name, count)
    if len(items) != count:
        raise StateError(f"{name} needs {count} values, got {len(items)}")
    return items


def _finite(*values: float) -> bool:
    return all(math.isfinite(v) for v in values)

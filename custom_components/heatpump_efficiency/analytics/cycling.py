"""Compressor starts and run lengths, and the short-cycling judgement over a rolling 24 h."""

from __future__ import annotations

from collections import deque
import statistics
from typing import Any

from .checks import (
    MAX_S,
    StateError,
    as_dict,
    as_list,
    field_of,
    integer,
    num,
    opt_flag,
    opt_integer,
    opt_num,
    opt_time,
    time_,
)
from .config import EngineConfig
from .counters import RESET_RATIO
from .energy import Sample
from .results import CyclingReason
from .totals import Totals

# More runs than this in 24 h is short cycling whatever their lengths; the oldest are dropped.
RUNS_KEPT = 96
WINDOW_S = 86400.0
# Faster than one start per this many seconds is a counter glitch.
MIN_START_SPACING_S = 60.0


def counter_starts(reference: int, current: int, dt: float) -> tuple[int, int]:
    """Return (starts, new reference) from a lifetime start counter; resets and glitches count nothing extra."""
    plausible = int(dt // MIN_START_SPACING_S) + 1
    if current >= reference:
        delta = current - reference
        return (delta if delta <= plausible else 0), current
    if current < reference * RESET_RATIO:
        return (current if current <= plausible else 0), current
    return 0, reference


class CyclingTracker:
    """Counts starts and measures runs; keeps only the runs that ended in the last 24 h."""

    def __init__(self) -> None:
        """Start with nothing known."""
        self.running: bool | None = None
        self.run_start: float | None = None
        self.last_run_minutes: float | None = None
        self.runs_completed = 0
        # (end time, minutes).
        self.runs: deque[tuple[float, float]] = deque(maxlen=RUNS_KEPT)
        self.starts_ref: int | None = None

    def step(self, cur: Sample, dt: float, config: EngineConfig) -> Totals:
        """Advance by one reading; return the starts to book."""
        events = Totals()
        t = cur.t
        from_counter = False
        if cur.starts_counter is not None:
            if self.starts_ref is not None:
                starts, self.starts_ref = counter_starts(
                    self.starts_ref, cur.starts_counter, dt
                )
                events.starts = starts
                from_counter = True
            else:
                self.starts_ref = cur.starts_counter
        if cur.running is None:
            return events
        if dt > config.max_gap_s and cur.running:
            # The run's start is unknown across a gap: do not judge it.
            self.run_start = None
        if cur.running and self.running is False:
            if not from_counter:
                events.starts = 1
            self.run_start = t
        elif not cur.running and self.running:
            if self.run_start is not None:
                minutes = (t - self.run_start) / 60
                self.last_run_minutes = minutes
                self.runs_completed += 1
                self.runs.append((t, minutes))
            self.run_start = None
        self.running = cur.running
        return events

    def rewind(self, t: float) -> None:
        """Forget times after t (the clock went back and the engine re-anchored)."""
        if self.run_start is not None and self.run_start > t:
            self.run_start = None
        kept = [(end, minutes) for end, minutes in self.runs if end <= t]
        self.runs.clear()
        self.runs.extend(kept)

    def median_run_minutes(self, t: float) -> tuple[float | None, int]:
        """Return the median length of runs that ended in the last 24 h, and how many there were."""
        recent = [minutes for end, minutes in self.runs if end > t - WINDOW_S]
        return (statistics.median(recent) if recent else None), len(recent)

    def current_run_minutes(self, t: float) -> float | None:
        """Return how long the current run has lasted."""
        return (
            None
            if not self.running or self.run_start is None
            else (t - self.run_start) / 60
        )

    def judge(
        self, t: float, window: Totals, config: EngineConfig
    ) -> tuple[float | None, float | None, CyclingReason | None]:
        """Return starts per hour, median run and the short-cycling reason (None when fine)."""
        data_h = window.data_s / 3600
        per_hour = window.starts / data_h if data_h >= 1 else None
        median, runs = self.median_run_minutes(t)
        reason: CyclingReason | None = None
        if (
            per_hour is not None
            and data_h >= config.cycling_min_hours
            and per_hour > config.cycling_max_starts_per_h
        ):
            reason = CyclingReason.STARTS
        elif (
            median is not None
            and runs >= config.cycling_min_runs
            and median < config.cycling_min_median_run_min
        ):
            reason = CyclingReason.SHORT_RUNS
        return per_hour, median, reason

    def to_dict(self) -> dict[str, Any]:
        """Serialise."""
        return {
            "running": self.running,
            "run_start": self.run_start,
            "last_run_minutes": self.last_run_minutes,
            "runs_completed": self.runs_completed,
            "runs": [list(run) for run in self.runs],
            "starts_ref": self.starts_ref,
        }

    @classmethod
    def from_dict(cls, data: Any) -> CyclingTracker:
        """Restore, checking every field (StateError)."""
        data = as_dict(data, "cycling")

        def get(key: str) -> Any:
            return field_of(data, key, "cycling")

        tracker = cls()
        tracker.running = opt_flag(get("running"), "cycling.running")
        tracker.run_start = opt_time(get("run_start"), "cycling.run_start")
        tracker.last_run_minutes = opt_num(
            get("last_run_minutes"), "cycling.last_run_minutes", 0.0, MAX_S
        )
        tracker.runs_completed = integer(
            get("runs_completed"), "cycling.runs_completed"
        )
        for run in as_list(get("runs"), "cycling.runs", RUNS_KEPT):
            pair = as_list(run, "cycling.runs[]", 2)
            if len(pair) != 2:
                raise StateError("cycling.runs[] needs an end and minutes")
            tracker.runs.append(
                (
                    time_(pair[0], "cycling.runs[].end"),
                    num(pair[1], "cycling.runs[].minutes", 0.0, MAX_S),
                )
            )
        tracker.starts_ref = opt_integer(
            get("starts_ref"), "cycling.starts_ref", 0, 10**9
        )
        return tracker

"""Defrost detection (flag or inferred), durations, running time between defrosts and the weather-judged alert."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
import math
from typing import Any

from .checks import (
    MAX_S,
    StateError,
    as_dict,
    as_list,
    field_of,
    flag,
    num,
    opt_num,
    opt_text,
    opt_time,
)
from .config import EngineConfig
from .energy import Sample
from .results import DefrostReason
from .totals import Totals

# Outdoor readings are smoothed because a unit's own sensor jumps when the coil heats up in a defrost.
OUTDOOR_TAU_S = 900.0
# Reversed water temperatures (flow below return by more than this) mean heat is being taken back.
REVERSE_DT_K = 0.2
# The 24 h heat-loss share is only judged with this much data in the window.
LOSS_MIN_DATA_H = 6.0
RECENT_STARTS_KEPT = 12


@dataclass(slots=True, kw_only=True)
class Alert:
    """One latched alert: on while its last trigger is younger than the hold time."""

    last_fire: float | None = None
    since: float | None = None
    reason: str | None = None
    detail: str | None = None

    def fire(self, t: float, reason: str, detail: str, hold_s: float) -> None:
        """Trigger the alert now with a reason."""
        if not self.active(t, hold_s):
            self.since = t
        self.last_fire = t
        self.reason = reason
        self.detail = detail

    def active(self, t: float, hold_s: float) -> bool:
        """Return whether the alert is on at time t."""
        return self.last_fire is not None and t - self.last_fire <= hold_s

    def to_dict(self) -> dict[str, Any]:
        """Serialise."""
        return {
            "last_fire": self.last_fire,
            "since": self.since,
            "reason": self.reason,
            "detail": self.detail,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Alert:
        """Restore, checking every field (StateError)."""
        data = as_dict(data, "defrost.alert")
        return cls(
            last_fire=opt_time(field_of(data, "last_fire", "alert"), "alert.last_fire"),
            since=opt_time(field_of(data, "since", "alert"), "alert.since"),
            reason=_reason(field_of(data, "reason", "alert")),
            detail=opt_text(field_of(data, "detail", "alert"), "alert.detail"),
        )


def _reason(value: Any) -> str | None:
    """Return a stored alert reason if it is one."""
    text = opt_text(value, "alert.reason")
    if text is not None and text not in {r.value for r in DefrostReason}:
        raise StateError(f"alert.reason {text!r} is not a defrost reason")
    return text


class DefrostTracker:
    """Follows defrosts one reading at a time and judges them against the weather."""

    def __init__(self) -> None:
        """Start with no defrost seen."""
        self.active = False
        self.inferred = False
        self.start_t: float | None = None
        self.run_clock_s = 0.0  # compressor running seconds outside defrost, ever
        self.last_end_clock: float | None = None
        self.last_interval_min: float | None = None
        self.prev_interval_min: float | None = None
        self.last_minutes: float | None = None
        self.recent_start_clocks: deque[float] = deque(maxlen=RECENT_STARTS_KEPT)
        self.outdoor_c: float | None = None  # smoothed
        self.outdoor_rh: float | None = None  # smoothed
        self.alert = Alert()

    def rewind(self, t: float) -> None:
        """Pull times after t back to t (the clock went back and the engine re-anchored)."""
        if self.start_t is not None and self.start_t > t:
            self.start_t = t
        alert = self.alert
        if alert.last_fire is not None and alert.last_fire > t:
            alert.last_fire = t
        if alert.since is not None and alert.since > t:
            alert.since = t

    def classify(self, prev: Sample | None, cur: Sample) -> bool:
        """Return whether the unit is defrosting at `cur`: its own flag, else inferred."""
        if cur.defrost_flag is not None:
            self.inferred = False
            return cur.defrost_flag
        self.inferred = True
        if cur.cooling:
            return False
        running = cur.running if cur.running is not None else cur.cop_running
        if not running:
            return False
        reversed_dt = (
            cur.flow_c is not None
            and cur.return_c is not None
            and cur.flow_c < cur.return_c - REVERSE_DT_K
        )
        no_heat = cur.heat_w is not None and cur.heat_w <= 0
        if self.active:
            return no_heat if cur.heat_w is not None else reversed_dt
        dropping = (
            prev is not None
            and prev.flow_c is not None
            and cur.flow_c is not None
            and cur.flow_c < prev.flow_c
        )
        if cur.heat_w is not None:
            return no_heat and (dropping or reversed_dt)
        return reversed_dt and dropping

    def step(
        self,
        cur: Sample,
        dt: float,
        active: bool,
        interval: Totals,
        config: EngineConfig,
    ) -> Totals:
        """Advance by one reading; return the point events (defrost started, longest duration) to book."""
        events = Totals()
        t = cur.t
        if not self.active:
            self._smooth(cur, dt)
        self.run_clock_s += max(interval.running_s - interval.defrost_s, 0.0)
        hold = config.defrost_alert_hold_h * 3600
        if active and not self.active:
            events.defrosts = 1
            self._started(t, config, hold)
        elif not active and self.active and self.start_t is not None:
            duration = t - self.start_t
            self.last_minutes = duration / 60
            events.defrost_max_s = duration
            self.last_end_clock = self.run_clock_s
            self.start_t = None
        self.active = active
        if active and self.start_t is not None:
            minutes = (t - self.start_t) / 60
            if minutes > config.defrost_max_minutes:
                self.alert.fire(
                    t, DefrostReason.LONG, f"defrost lasting {minutes:.0f} min", hold
                )
        return events

    def _smooth(self, cur: Sample, dt: float) -> None:
        """Update the smoothed outdoor temperature and humidity (frozen during defrosts)."""
        weight = 1.0 if dt <= 0 else 1.0 - math.exp(-dt / OUTDOOR_TAU_S)
        if cur.outdoor_c is not None:
            self.outdoor_c = (
                cur.outdoor_c
                if self.outdoor_c is None
                else self.outdoor_c + weight * (cur.outdoor_c - self.outdoor_c)
            )
        if cur.outdoor_rh is not None:
            self.outdoor_rh = (
                cur.outdoor_rh
                if self.outdoor_rh is None
                else self.outdoor_rh + weight * (cur.outdoor_rh - self.outdoor_rh)
            )

    def frequent_defrosts_normal(self, config: EngineConfig) -> bool:
        """Return whether the weather makes frequent defrosts normal: humid air in the frost band."""
        if (
            self.outdoor_c is None
            or not config.frost_band_low_c <= self.outdoor_c <= config.frost_band_high_c
        ):
            return False
        # Without a humidity reading, assume the worst case for icing rather than raise false alarms.
        return self.outdoor_rh is None or self.outdoor_rh >= config.defrost_humid_rh

    def _weather(self) -> str:
        """Describe the smoothed weather for an alert's detail."""
        temp = (
            "unknown temperature"
            if self.outdoor_c is None
            else f"{self.outdoor_c:.1f} °C"
        )
        return (
            temp if self.outdoor_rh is None else f"{temp}, {self.outdoor_rh:.0f} % RH"
        )

    def _started(self, t: float, config: EngineConfig, hold: float) -> None:
        """Record a defrost start and apply the rules judged at a start."""
        self.start_t = t
        if self.last_end_clock is not None:
            self.prev_interval_min = self.last_interval_min
            self.last_interval_min = (self.run_clock_s - self.last_end_clock) / 60
        self.recent_start_clocks.append(self.run_clock_s)
        if self.outdoor_c is not None and self.outdoor_c > config.defrost_max_outdoor_c:
            self.alert.fire(
                t, DefrostReason.WARM, f"defrost at {self._weather()}", hold
            )
            return
        if self.frequent_defrosts_normal(config):
            return
        limit = config.defrost_min_interval_min
        last, prev = self.last_interval_min, self.prev_interval_min
        if last is not None and prev is not None and last < limit and prev < limit:
            detail = f"defrosts after {prev:.0f} and {last:.0f} running minutes at {self._weather()}"
            self.alert.fire(t, DefrostReason.SHORT_INTERVAL, detail, hold)
            return
        in_hour = sum(
            1 for clock in self.recent_start_clocks if clock > self.run_clock_s - 3600
        )
        if in_hour > config.defrost_max_per_running_h:
            detail = f"{in_hour} defrosts in one running hour at {self._weather()}"
            self.alert.fire(t, DefrostReason.RATE, detail, hold)

    def judge_heat_loss(self, t: float, window: Totals, config: EngineConfig) -> None:
        """Alert when defrosts took too much of the last 24 h's heat for that day's weather."""
        if (
            window.defrost_lost_kwh <= 0
            or window.heat_gross_kwh < config.defrost_loss_min_heat_kwh
        ):
            return
        if window.data_s < LOSS_MIN_DATA_H * 3600 or window.outdoor_s <= 0:
            return
        mean = window.outdoor_cs / window.outdoor_s
        in_band = config.frost_band_low_c <= mean <= config.frost_band_high_c
        limit = (
            config.defrost_loss_max_pct_frost
            if in_band
            else config.defrost_loss_max_pct
        )
        pct = 100 * window.defrost_lost_kwh / window.heat_gross_kwh
        if pct > limit:
            detail = f"defrosts took {pct:.1f} % of 24 h heat at a mean {mean:.1f} °C (limit {limit:g} %)"
            self.alert.fire(
                t, DefrostReason.HEAT_LOSS, detail, config.defrost_alert_hold_h * 3600
            )

    def running_min_since_last(self) -> float | None:
        """Compressor-running minutes since the last defrost ended."""
        return (
            None
            if self.last_end_clock is None
            else (self.run_clock_s - self.last_end_clock) / 60
        )

    def to_dict(self) -> dict[str, Any]:
        """Serialise."""
        return {
            "active": self.active,
            "inferred": self.inferred,
            "start_t": self.start_t,
            "run_clock_s": self.run_clock_s,
            "last_end_clock": self.last_end_clock,
            "last_interval_min": self.last_interval_min,
            "prev_interval_min": self.prev_interval_min,
            "last_minutes": self.last_minutes,
            "recent_start_clocks": list(self.recent_start_clocks),
            "outdoor_c": self.outdoor_c,
            "outdoor_rh": self.outdoor_rh,
            "alert": self.alert.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> DefrostTracker:
        """Restore, checking every field (StateError)."""
        data = as_dict(data, "defrost")

        def get(key: str) -> Any:
            return field_of(data, key, "defrost")

        tracker = cls()
        tracker.active = flag(get("active"), "defrost.active")
        tracker.inferred = flag(get("inferred"), "defrost.inferred")
        tracker.start_t = opt_time(get("start_t"), "defrost.start_t")
        tracker.run_clock_s = num(get("run_clock_s"), "defrost.run_clock_s", 0.0, MAX_S)
        tracker.last_end_clock = opt_num(
            get("last_end_clock"), "defrost.last_end_clock", 0.0, MAX_S
        )
        for key in ("last_interval_min", "prev_interval_min", "last_minutes"):
            setattr(tracker, key, opt_num(get(key), f"defrost.{key}", 0.0, MAX_S))
        tracker.recent_start_clocks.extend(
            num(c, "defrost.recent_start_clocks[]", 0.0, MAX_S)
            for c in as_list(
                get("recent_start_clocks"),
                "defrost.recent_start_clocks",
                RECENT_STARTS_KEPT,
            )
        )
        tracker.outdoor_c = opt_num(get("outdoor_c"), "defrost.outdoor_c", -100, 150)
        tracker.outdoor_rh = opt_num(get("outdoor_rh"), "defrost.outdoor_rh", 0, 100)
        tracker.alert = Alert.from_dict(get("alert"))
        return tracker

"""The analytics engine: one per heat pump, fed one reading at a time, O(1) per update, bounded state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from custom_components.heatpump_efficiency.units.model import Reading

from .backup import backup_results
from .config import EngineConfig
from .cop import period_stats
from .cycling import CyclingTracker
from .defrost import DefrostTracker
from .energy import CounterRefs, Sample, integrate, sample_from_reading
from .filter import FilterTracker
from .periods import Ledger
from .results import (
    CyclingResults,
    DefrostReason,
    DefrostResults,
    FilterResults,
    Results,
)
from .state import STATE_VERSION, StateError, migrate, sample_from_dict, sample_to_dict
from .totals import Totals

# Below this much compressor runtime per day the runtime limit cannot be turned into days.
MIN_RUNNING_H_PER_DAY = 0.01
# Runtime per day is estimated from the last 7 days once this much data is there.
MIN_DATA_DAYS_FOR_RATE = 0.25


class Engine:
    """Turns readings into COP periods, defrost, filter, cycling and backup results for one unit.

    Deterministic: all time comes from the readings (and the `now` of user actions), never the clock.
    """

    def __init__(self, config: EngineConfig | None = None) -> None:
        """Create an engine with no history."""
        self._config = config or EngineConfig()
        self._ledger = Ledger(
            self._config.timezone,
            self._config.season_start_month,
            self._config.season_start_day,
        )
        self._refs = CounterRefs()
        self._defrost = DefrostTracker()
        self._cycling = CyclingTracker()
        self._filter = FilterTracker()
        self._prev: Sample | None = None
        self._ignored = 0
        self._results = self._build(None)

    @property
    def config(self) -> EngineConfig:
        """The configuration in use."""
        return self._config

    @property
    def results(self) -> Results:
        """The results of the last update (empty before the first reading)."""
        return self._results

    def update(self, reading: Reading) -> Results:
        """Take one reading and return the new results; readings not newer than the last are ignored."""
        config = self._config
        cur = sample_from_reading(reading, config)
        prev = self._prev
        if prev is not None and cur.t <= prev.t:
            self._ignored += 1
            self._results = self._build(prev.t)
            return self._results
        dt = 0.0 if prev is None else cur.t - prev.t
        defrost_prev = self._defrost.active
        defrost_now = self._defrost.classify(prev, cur)
        if prev is None:
            interval = Totals()
            self._refs.elec_kwh = cur.elec_kwh
            self._refs.heat_kwh = cur.heat_kwh
        else:
            interval = integrate(
                prev,
                cur,
                self._refs,
                config,
                defrost_prev=defrost_prev,
                defrost_cur=defrost_now,
            )
            self._ledger.add_interval(prev.t, cur.t, interval)
        events = self._defrost.step(cur, dt, defrost_now, interval, config)
        events.add(self._cycling.step(cur, dt, config))
        self._ledger.add_point(cur.t, events)

        # The drift baseline compares running heat pump COP alone: no backup heater, no cooling.
        # Defrosts stay in: a clogged filter or coil shows first as more frequent defrosts.
        steady = interval.backup_kwh == 0 and not cur.cooling
        self._filter.step(
            cur.t,
            running_s=interval.running_s,
            outdoor_c=self._defrost.outdoor_c,
            clean_heat_kwh=interval.running_heat_kwh if steady else 0.0,
            clean_elec_kwh=interval.running_elec_kwh if steady else 0.0,
            config=config,
        )
        self._prev = cur
        window_24h = self._ledger.rolling_24h()
        self._defrost.judge_heat_loss(cur.t, window_24h, config)
        self._results = self._build(cur.t, window_24h)
        return self._results

    def filter_cleaned(self, now: datetime) -> Results:
        """Record that the owner cleaned the filter at `now` (timezone-aware) and return updated results."""
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now must be timezone-aware")
        self._filter.cleaned(now.timestamp())
        self._results = self._build(None if self._prev is None else self._prev.t)
        return self._results

    # --- results -------------------------------------------------------------------------------

    def _build(self, t: float | None, window_24h: Totals | None = None) -> Results:
        """Assemble the frozen results at time t from the current state."""
        config = self._config
        ledger = self._ledger
        tz = config.timezone
        if window_24h is None:
            window_24h = ledger.rolling_24h()
        window_7d = ledger.rolling_7d()
        today = period_stats(ledger.today, config)
        season = period_stats(ledger.season, config)
        prev = self._prev
        return Results(
            time=None if t is None else datetime.fromtimestamp(t, tz),
            today_date=ledger.today_date,
            elec_w=None if prev is None else prev.elec_w,
            heat_w=None if prev is None else prev.heat_w,
            today=today,
            yesterday=period_stats(ledger.yesterday, config),
            rolling_24h=period_stats(window_24h, config),
            rolling_7d=period_stats(window_7d, config),
            rolling_30d=period_stats(ledger.rolling_30d(), config),
            season=season,
            last_season=None
            if ledger.last_season is None
            else period_stats(ledger.last_season, config),
            lifetime=period_stats(ledger.lifetime, config),
            defrost=self._defrost_results(t, ledger.today, today.defrost_heat_lost_pct),
            filter=self._filter_results(t, window_7d),
            cycling=self._cycling_results(t, window_24h),
            backup=backup_results(
                None if prev is None else prev.backup_on,
                None if prev is None else prev.backup_w,
                today,
                season,
            ),
            ignored_readings=self._ignored,
        )

    def _defrost_results(
        self, t: float | None, today: Totals, lost_pct: float | None
    ) -> DefrostResults:
        """Assemble the defrost results."""
        tracker = self._defrost
        alert = tracker.alert
        hold = self._config.defrost_alert_hold_h * 3600
        excessive = t is not None and alert.active(t, hold)
        tz = self._config.timezone
        return DefrostResults(
            active=tracker.active,
            inferred=tracker.inferred,
            count_today=round(today.defrosts),
            current_minutes=None
            if t is None or tracker.start_t is None
            else (t - tracker.start_t) / 60,
            last_minutes=tracker.last_minutes,
            max_minutes_today=today.defrost_max_s / 60,
            last_interval_running_min=tracker.last_interval_min,
            running_min_since_last=tracker.running_min_since_last(),
            heat_lost_today_kwh=today.defrost_lost_kwh,
            heat_lost_today_pct=lost_pct,
            excessive=excessive,
            reason=DefrostReason(alert.reason)
            if excessive and alert.reason is not None
            else None,
            reason_detail=alert.detail if excessive else None,
            excessive_since=datetime.fromtimestamp(alert.since, tz)
            if excessive and alert.since is not None
            else None,
        )

    def _filter_results(self, t: float | None, window_7d: Totals) -> FilterResults:
        """Assemble the filter results, estimating days left from the last 7 days' runtime."""
        config = self._config
        tracker = self._filter
        tz = config.timezone
        running_h = tracker.running_s / 3600
        since_days = (
            0.0
            if t is None or tracker.last_cleaned is None
            else max(t - tracker.last_cleaned, 0.0) / 86400
        )
        hours_left = max(config.filter_interval_running_h - running_h, 0.0)
        days_left = max(config.filter_interval_days - since_days, 0.0)
        estimate = days_left
        data_days = window_7d.data_s / 86400
        if data_days >= MIN_DATA_DAYS_FOR_RATE:
            per_day = (window_7d.running_s / 3600) / data_days
            if per_day >= MIN_RUNNING_H_PER_DAY:
                estimate = min(estimate, hours_left / per_day)
        due = tracker.due_since is not None
        if due:
            estimate = 0.0
        overdue = 0.0
        if t is not None and tracker.due_since is not None:
            overdue = max(t - tracker.due_since, 0.0) / 86400
        return FilterResults(
            due=due,
            reason=tracker.due_reason,
            last_cleaned=None
            if tracker.last_cleaned is None
            else datetime.fromtimestamp(tracker.last_cleaned, tz),
            running_hours_since_clean=running_h,
            days_since_clean=since_days,
            running_hours_remaining=hours_left,
            days_remaining=days_left,
            remaining_days_estimate=estimate,
            due_since=None
            if tracker.due_since is None
            else datetime.fromtimestamp(tracker.due_since, tz),
            overdue_days=overdue,
            cop_drift_pct=tracker.drift_pct,
        )

    def _cycling_results(self, t: float | None, window_24h: Totals) -> CyclingResults:
        """Assemble the cycling results."""
        tracker = self._cycling
        per_hour: float | None = None
        median: float | None = None
        reason = None
        if t is not None:
            per_hour, median, reason = tracker.judge(t, window_24h, self._config)
        return CyclingResults(
            running=tracker.running,
            current_run_minutes=None if t is None else tracker.current_run_minutes(t),
            last_run_minutes=tracker.last_run_minutes,
            runs_completed=tracker.runs_completed,
            starts_24h=round(window_24h.starts),
            starts_per_hour=per_hour,
            median_run_minutes=median,
            short_cycling=reason is not None,
            reason=reason,
        )

    # --- state ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the whole state as JSON-serialisable data (versioned; bounded in size)."""
        return {
            "version": STATE_VERSION,
            "prev": sample_to_dict(self._prev),
            "refs": {"elec_kwh": self._refs.elec_kwh, "heat_kwh": self._refs.heat_kwh},
            "ledger": self._ledger.to_dict(),
            "defrost": self._defrost.to_dict(),
            "cycling": self._cycling.to_dict(),
            "filter": self._filter.to_dict(),
            "ignored": self._ignored,
        }

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], config: EngineConfig | None = None
    ) -> Engine:
        """Restore an engine from `to_dict` data (migrating older versions); raise StateError if unusable.

        The configuration is not part of the state: pass the current one (options may have changed).
        """
        data = migrate(dict(data))
        engine = cls(config)
        cfg = engine._config
        try:
            engine._prev = sample_from_dict(data["prev"])
            refs = data["refs"]
            engine._refs = CounterRefs(
                elec_kwh=refs["elec_kwh"], heat_kwh=refs["heat_kwh"]
            )
            engine._ledger = Ledger.from_dict(
                data["ledger"],
                cfg.timezone,
                cfg.season_start_month,
                cfg.season_start_day,
            )
            engine._defrost = DefrostTracker.from_dict(data["defrost"])
            engine._cycling = CyclingTracker.from_dict(data["cycling"])
            engine._filter = FilterTracker.from_dict(data["filter"])
            engine._ignored = int(data["ignored"])
        except (KeyError, TypeError, ValueError, IndexError) as err:
            raise StateError(f"corrupt engine state: {err!r}") from err
        engine._results = engine._build(
            None if engine._prev is None else engine._prev.t
        )
        return engine

    def with_config(self, config: EngineConfig) -> Engine:
        """Return an engine with the same history and a new configuration (after an options change)."""
        return Engine.from_dict(self.to_dict(), config)

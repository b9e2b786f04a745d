"""The analytics engine: one per heat pump, fed one reading at a time, O(1) per update, bounded state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from custom_components.heatpump_efficiency.units.model import Reading

from .backup import backup_results
from .config import EngineConfig
from .cop import period_stats
from .counters import Counters
from .cycling import CyclingTracker
from .defrost import DefrostTracker
from .energy import Sample, category, clean_reading, integrate
from .filter import FilterTracker
from .meters import Meters
from .periods import Ledger
from .results import (
    CyclingResults,
    DefrostReason,
    DefrostResults,
    FilterResults,
    Quality,
    Results,
)
from .state import STATE_VERSION, StateError, restore_engine_parts, state_parts
from .totals import Totals

# Below this much compressor runtime per day the runtime limit cannot be turned into days.
MIN_RUNNING_H_PER_DAY = 0.01
# Runtime per day is estimated from the last 7 days once this much data is there.
MIN_DATA_DAYS_FOR_RATE = 0.25
# A reading further ahead of the host clock than this comes from a wrong clock.
MAX_AHEAD_S = 300.0
# Without a host clock, this many consecutive readings older than the last accepted one (each newer
# than the one before, at most a gap apart) mean the clock went back: the engine re-anchors.
REANCHOR_READINGS = 3
# A reading this far after the last one waits for the next reading to confirm its clock.
JUMP_HOLD_S = 3600.0


class Engine:
    """Turns readings into COP periods, energy meters, defrost, filter, cycling and backup results for one unit.

    Deterministic: all time comes from the readings (and the `now` the caller passes), never the clock.
    """

    def __init__(self, config: EngineConfig | None = None) -> None:
        """Create an engine with no history."""
        self._config = config or EngineConfig()
        self._ledger = Ledger(
            self._config.timezone,
            self._config.season_start_month,
            self._config.season_start_day,
        )
        self._counters = Counters.empty()
        self._meters = Meters()
        self._defrost = DefrostTracker()
        self._cycling = CyclingTracker()
        self._filter = FilterTracker()
        self._prev: Sample | None = None
        # A reading far ahead of prev, waiting for the next one to confirm it (with its rejected count).
        self._held: tuple[Sample, int] | None = None
        # Times of consecutive readings older than prev (a clock that went back).
        self._behind: list[float] = []
        self._ignored = 0
        self._rejected = 0
        self._results = self._build(None)

    @property
    def config(self) -> EngineConfig:
        """The configuration in use."""
        return self._config

    @property
    def results(self) -> Results:
        """The results of the last update (empty before the first reading)."""
        return self._results

    @property
    def held_time(self) -> datetime | None:
        """Time of a reading far ahead of the last one that waits for the next to confirm it."""
        held = self._held
        return (
            None
            if held is None
            else datetime.fromtimestamp(held[0].t, self._config.timezone)
        )

    def update(self, reading: Reading, *, now: datetime | None = None) -> Results:
        """Take one reading and return the new results.

        `now` is the host clock (timezone-aware): a reading more than 5 minutes ahead of it is
        rejected, and a last reading stored from the future is replaced. Without `now` (replay) the
        readings' own times are trusted, except that a jump of more than an hour waits for the next
        reading to confirm it and a clock that went back re-anchors after a few consistent readings.
        Readings not newer than the last one are otherwise ignored.
        """
        cur, rejected = clean_reading(reading, self._config)
        prev = self._prev
        if now is not None:
            if now.tzinfo is None or now.utcoffset() is None:
                raise ValueError("now must be timezone-aware")
            host = now.timestamp()
            if cur.t > host + MAX_AHEAD_S:
                return self._reject_from_future()
            if prev is not None and prev.t > host + MAX_AHEAD_S:
                self._held = None
                return self._reanchor(cur, rejected)
        if prev is not None and cur.t <= prev.t:
            return self._behind_prev(cur, rejected)
        self._behind.clear()
        held = self._held
        if held is not None and cur.t == held[0].t:
            self._ignored += 1  # a duplicate of the reading on hold
            self._results = self._build(None if prev is None else prev.t)
            return self._results
        if held is not None:
            self._held = None
            if cur.t < held[0].t:
                # The held reading was ahead of the clock that the readings now follow.
                self._rejected += 1
                self._ledger.add_point(cur.t, Totals(rejected=1.0, clock=1.0))
            else:
                self._accept(*held)
            prev = self._prev
        if now is None and prev is not None and cur.t - prev.t > JUMP_HOLD_S:
            self._held = (cur, rejected)
            self._results = self._build(prev.t)
            return self._results
        return self._accept(cur, rejected)

    def flush(self) -> Results:
        """Accept a reading still waiting for confirmation (at the end of a trace) and return the results."""
        held = self._held
        if held is None:
            return self._results
        self._held = None
        return self._accept(*held)

    def _accept(self, cur: Sample, rejected: int) -> Results:
        """Integrate the interval up to a reading newer than the last one and rebuild the results."""
        config = self._config
        prev = self._prev
        dt = 0.0 if prev is None else cur.t - prev.t
        defrost_prev = self._defrost.active
        defrost_now = self._defrost.classify(prev, cur)
        if prev is None:
            interval = Totals()
            self._counters.elec.advance(cur.elec_kwh, cur.t, config.max_elec_kw)
            self._counters.heat.advance(cur.heat_kwh, cur.t, config.max_heat_kw)
        else:
            step = integrate(
                prev,
                cur,
                self._counters,
                self._meters,
                config,
                defrost_prev=defrost_prev,
                defrost_cur=defrost_now,
            )
            interval = step.totals
            rejected += step.rejected
            self._ledger.add_interval(prev.t, cur.t, interval)
        events = self._defrost.step(cur, dt, defrost_now, interval, config)
        events.add(self._cycling.step(cur, dt, config))
        events.rejected = float(rejected)
        self._rejected += rejected
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

    def _reject_from_future(self) -> Results:
        """Count a reading from beyond the host clock as rejected; nothing else changes."""
        self._rejected += 1
        if self._prev is not None:
            self._ledger.add_point(self._prev.t, Totals(rejected=1.0, clock=1.0))
        self._results = self._build(None if self._prev is None else self._prev.t)
        return self._results

    def _behind_prev(self, cur: Sample, rejected: int) -> Results:
        """Handle a reading not newer than the last: ignore it, or re-anchor when the clock went back."""
        prev = self._prev
        if prev is None:  # not reached: only called with a last reading
            return self._results
        behind = self._behind
        if cur.t < prev.t:
            if behind and (
                cur.t <= behind[-1] or cur.t - behind[-1] > self._config.max_gap_s
            ):
                behind.clear()
            behind.append(cur.t)
            if len(behind) >= REANCHOR_READINGS:
                self._held = None
                return self._reanchor(cur, rejected)
        self._ignored += 1
        self._results = self._build(prev.t)
        return self._results

    def _reanchor(self, cur: Sample, rejected: int) -> Results:
        """Take a reading as the new last one after the clock went back; counters bridge the jump."""
        config = self._config
        t = cur.t
        self._behind.clear()
        self._ledger.rewind(t)
        self._defrost.rewind(t)
        self._cycling.rewind(t)
        self._filter.rewind(t)
        # How long the jump really lasted is unknown: accept at most one gap's worth of energy.
        elec = self._counters.elec.rebase(
            cur.elec_kwh, t, config.max_elec_kw, config.max_gap_s
        )
        heat = self._counters.heat.rebase(
            cur.heat_kwh, t, config.max_heat_kw, config.max_gap_s
        )
        mode = category(cur)
        self._meters.add_elec(mode, elec)
        if not cur.cooling:
            self._meters.add_heat(mode, heat)
        self._rejected += rejected
        self._ledger.add_point(
            t,
            Totals(
                total_elec_kwh=elec,
                unmatched_elec_kwh=elec,
                rejected=float(rejected),
                clock=1.0,
            ),
        )
        self._prev = cur
        self._results = self._build(t)
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
            meters=self._meters.view(),
            rejected_samples=self._rejected,
            quality=_input_quality(window_24h),
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
        """Return the whole state as JSON-serialisable data (versioned; bounded in size; finite)."""
        return {
            "version": STATE_VERSION,
            **state_parts(
                prev=self._prev,
                held=self._held,
                behind=self._behind,
                counters=self._counters,
                meters=self._meters,
            ),
            "ledger": self._ledger.to_dict(),
            "defrost": self._defrost.to_dict(),
            "cycling": self._cycling.to_dict(),
            "filter": self._filter.to_dict(),
            "ignored": self._ignored,
            "rejected": self._rejected,
        }

    @classmethod
    def from_dict(cls, data: Any, config: EngineConfig | None = None) -> Engine:
        """Restore an engine from `to_dict` data (migrating older versions).

        Every field is checked by type and range; anything unusable (including a newer version)
        raises StateError saying what. The configuration is not part of the state: pass the
        current one (options may have changed).
        """
        engine = cls(config)
        cfg = engine._config
        parts = restore_engine_parts(data)
        try:
            engine._ledger = Ledger.from_dict(
                parts.ledger,
                cfg.timezone,
                cfg.season_start_month,
                cfg.season_start_day,
            )
            engine._defrost = DefrostTracker.from_dict(parts.defrost)
            engine._cycling = CyclingTracker.from_dict(parts.cycling)
            engine._filter = FilterTracker.from_dict(parts.filter)
        except StateError:
            raise
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as err:
            raise StateError(f"corrupt engine state: {err!r}") from err
        engine._prev = parts.prev
        engine._held = parts.held
        engine._behind = parts.behind
        engine._counters = parts.counters
        engine._ignored = parts.ignored
        engine._rejected = parts.rejected
        engine._meters = (
            parts.meters
            if parts.meters is not None
            else _meters_from_lifetime(engine._ledger.lifetime, cfg)
        )
        engine._results = engine._build(
            None if engine._prev is None else engine._prev.t
        )
        return engine

    def with_config(self, config: EngineConfig) -> Engine:
        """Return an engine with the same history and a new configuration (after an options change)."""
        return Engine.from_dict(self.to_dict(), config)


def _input_quality(window: Totals) -> tuple[Quality, ...]:
    """Return the input-quality flags of the last 24 h."""
    flags: list[Quality] = []
    if window.rejected > 0:
        flags.append(Quality.REJECTED)
    if window.clock > 0:
        flags.append(Quality.CLOCK)
    return tuple(flags)


def _meters_from_lifetime(lifetime: Totals, config: EngineConfig) -> Meters:
    """Start the meters of state written before they existed from the lifetime totals.

    The figures continue what the energy sensors showed (all electricity, system heat), so a
    total_increasing sensor neither jumps nor drops on the upgrade.
    """
    heat = lifetime.heat_kwh + (
        0.0 if config.heat_includes_backup else lifetime.backup_kwh
    )
    heat = max(heat, 0.0)
    return Meters(
        elec_kwh=lifetime.elec_kwh,
        space_elec_kwh=lifetime.elec_kwh,
        backup_kwh=lifetime.backup_kwh,
        heat_kwh=heat,
        space_heat_kwh=heat,
    )

"""Efficiency without a heat meter: electricity per heating degree-day, and its trend against the season's start.

A heating degree-day (HDD) is one day with the outdoor temperature one kelvin below the base
temperature; here it is integrated over time, reading by reading (degree-hours / 24). The electricity
of the same intervals, while the unit heats, is divided by it: kWh/HDD for today, the last 7 days
and the season. Cooling, drying, fan only and standby in "off" are kept out; so are intervals
without an outdoor temperature, so that both sides of the ratio cover the same time.

The trend compares the last 7 complete days with the unit's own baseline: the season's first
complete days with real heating demand, kept per outdoor-temperature band so that a cold week is
compared with cold days. A dirty filter or a fouled coil shows as more electricity for the same
weather. Pure Python: no Home Assistant, all time from the readings.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
import math
from typing import Any

from custom_components.heatpump_efficiency.units.model import OperatingMode, Reading

from .state import StateError

DEGREE_DAY_STATE_VERSION = 1
SECONDS_PER_DAY = 86_400.0
J_PER_KWH = 3_600_000.0
# Complete days kept for the 7-day figure and the trend (today is the 8th).
DAYS_KEPT = 7
# A reading dated further ahead of the host clock is not believed.
CLOCK_TOLERANCE_S = 300.0


@dataclass(frozen=True, slots=True, kw_only=True)
class DegreeDayConfig:
    """Base temperature, plausibility limits and how the baseline is formed."""

    base_c: float = 15.5
    timezone: tzinfo = UTC
    season_start_month: int = 9
    season_start_day: int = 1
    min_hdd: float = 1.0  # a ratio needs at least this many degree-days: less is noise
    max_gap_s: float = 1800.0  # longer gaps between readings are not integrated
    max_kw: float = 30.0  # more electricity than this is a glitch for a home unit
    outdoor_min_c: float = -50.0  # outdoor temperatures outside these are sensor faults
    outdoor_max_c: float = 50.0
    baseline_days: int = 14  # the season's first qualifying days form the baseline
    band_width_c: float = 3.0  # days are compared within outdoor bands this wide
    min_band_days: int = (
        2  # a band is compared once the baseline has this many days in it
    )
    min_trend_days: int = 3  # the trend needs this many comparable recent days

    def __post_init__(self) -> None:
        """Refuse a configuration that cannot give finite figures."""
        if not (math.isfinite(self.base_c) and -10.0 <= self.base_c <= 30.0):
            raise ValueError("base_c must be between -10 and 30 °C")


@dataclass(slots=True, kw_only=True)
class DayTotals:
    """One local day's heating electricity and degree-days, over the intervals with a known outdoor temperature."""

    day: str  # ISO date
    kwh: float = 0.0
    hdd: float = 0.0
    outdoor_s: float = 0.0  # seconds with an outdoor temperature
    outdoor_sum: float = 0.0  # ∫ outdoor temperature dt, for the day's mean

    @property
    def mean_outdoor_c(self) -> float | None:
        """Return the day's mean outdoor temperature, or None without any."""
        return self.outdoor_sum / self.outdoor_s if self.outdoor_s > 0 else None

    def to_list(self) -> list[Any]:
        """Return the day as JSON data."""
        return [self.day, self.kwh, self.hdd, self.outdoor_s, self.outdoor_sum]

    @classmethod
    def from_list(cls, data: Any) -> DayTotals:
        """Restore a day; raise StateError on anything not finite or not a day."""
        if not isinstance(data, list) or len(data) != 5:
            raise StateError("degree-day: a day must be a list of five values")
        day = data[0]
        try:
            date.fromisoformat(day)
        except (TypeError, ValueError) as err:
            raise StateError(f"degree-day: bad day {day!r}") from err
        kwh, hdd, seconds, total = (_finite(value) for value in data[1:])
        if kwh < 0 or hdd < 0 or seconds < 0:
            raise StateError("degree-day: negative totals")
        return cls(day=day, kwh=kwh, hdd=hdd, outdoor_s=seconds, outdoor_sum=total)


@dataclass(frozen=True, slots=True, kw_only=True)
class DegreeDayResults:
    """Electricity per heating degree-day and its trend; None where the data cannot say yet."""

    today_kwh_per_hdd: float | None = None
    week_kwh_per_hdd: float | None = None
    season_kwh_per_hdd: float | None = None
    # Percent more (+) or less (-) electricity than the season's start at similar outdoor temperatures.
    trend_pct: float | None = None
    today_hdd: float = 0.0
    week_hdd: float = 0.0
    season_hdd: float = 0.0
    season_kwh: float = 0.0
    baseline_days: int = 0


@dataclass(slots=True)
class _Band:
    kwh: float = 0.0
    hdd: float = 0.0
    days: int = 0


@dataclass(slots=True, kw_only=True)
class _Prev:
    t: float
    elec_w: float | None
    outdoor_c: float | None
    heating: bool


def _finite(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StateError(f"degree-day: {value!r} is not a number")
    number = float(value)
    if not math.isfinite(number):
        raise StateError("degree-day: a stored value is not finite")
    return number


def _num(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def heating_use(
    mode: OperatingMode | None, outdoor_c: float | None, base_c: float
) -> bool:
    """Return whether electricity in this mode counts as heating.

    Heat counts; cool (and dry, mapped to cool), off (and fan only, mapped to off) do not. Auto
    counts on a heating day (outdoor below the base). Without a climate entity every kWh counts.
    """
    if mode is None or mode is OperatingMode.HEAT:
        return True
    if mode is OperatingMode.AUTO:
        return outdoor_c is not None and outdoor_c < base_c
    return False


class DegreeDayLearner:
    """Integrates heating electricity and degree-days per local day and learns the season's baseline."""

    def __init__(self, config: DegreeDayConfig | None = None) -> None:
        """Start with no history."""
        self.config = config or DegreeDayConfig()
        self._prev: _Prev | None = None
        self._counter_ref: float | None = (
            None  # the last electricity counter value (kWh)
        )
        self._today: DayTotals | None = None
        self._days: deque[DayTotals] = deque(maxlen=DAYS_KEPT)
        self._season: str | None = None  # ISO date the current season started
        self._season_kwh = 0.0
        self._season_hdd = 0.0
        self._bands: dict[int, _Band] = {}
        self._baseline_days = 0
        self._baseline_dates: set[str] = set()
        self.rejected = 0  # implausible intervals dropped

    # --- learning ----------------------------------------------------------------------------

    def update(self, reading: Reading, now: datetime | None = None) -> DegreeDayResults:
        """Take one reading (older or equal times are ignored) and return the figures.

        With the host clock `now`, a reading dated ahead of it is refused (it would block every
        later one), and a previous reading that is ahead of it (the clock was wrong and has been
        corrected) no longer holds the learner back: the time in between is a gap.
        """
        t = reading.time.timestamp()
        if now is not None:
            limit = now.timestamp() + CLOCK_TOLERANCE_S
            if t > limit:
                self.rejected += 1
                return self.results()
            if self._prev is not None and self._prev.t > limit:
                self._prev = None
        prev = self._prev
        if prev is not None and t <= prev.t:
            return self.results()
        outdoor = _num(reading.outdoor_c)
        cfg = self.config
        if (
            outdoor is not None
            and not cfg.outdoor_min_c <= outdoor <= cfg.outdoor_max_c
        ):
            outdoor = None
        elec_w = _num(None if reading.elec_w is None else reading.elec_w.value)
        if elec_w is not None and elec_w < 0:
            elec_w = 0.0  # meters report small negative standby noise
        kwh = self._interval_kwh(prev, t, elec_w, reading)
        local_day = datetime.fromtimestamp(t, cfg.timezone).date()
        self._roll(local_day)
        if prev is not None and self._today is not None:
            self._book(self._today, prev, t, outdoor, kwh)
        self._prev = _Prev(
            t=t,
            elec_w=elec_w,
            outdoor_c=outdoor,
            heating=heating_use(reading.mode, outdoor, cfg.base_c),
        )
        return self.results()

    def _interval_kwh(
        self, prev: _Prev | None, t: float, elec_w: float | None, reading: Reading
    ) -> float | None:
        """Return the electricity since the previous reading: counter delta, else mean power x time."""
        counter = _num(None if reading.elec_kwh is None else reading.elec_kwh.value)
        if counter is not None and counter < 0:
            counter = None
        if prev is None:
            self._counter_ref = counter
            return None
        dt = t - prev.t
        kwh: float | None = None
        if counter is not None:
            ref, self._counter_ref = self._counter_ref, counter
            if ref is not None:
                # A counter that went down restarted (daily counters at midnight): what it shows now
                # accrued since the restart.
                kwh = counter - ref if counter >= ref else counter
        elif (
            self._counter_ref is None  # a unit with a counter never falls back to power
            and elec_w is not None
            and prev.elec_w is not None
            and dt <= self.config.max_gap_s
        ):
            kwh = (prev.elec_w + elec_w) / 2 * dt / J_PER_KWH
        if kwh is not None and kwh > self.config.max_kw * dt / 3600 + 0.1:
            self.rejected += 1  # a glitch or a counter that jumped: not energy
            return None
        return kwh

    def _book(
        self,
        day: DayTotals,
        prev: _Prev,
        t: float,
        outdoor: float | None,
        kwh: float | None,
    ) -> None:
        """Add one interval to the day: only while heating, only with the outdoor temperature known."""
        dt = t - prev.t
        if prev.outdoor_c is None or outdoor is None or dt > self.config.max_gap_s:
            return
        mean_c = (prev.outdoor_c + outdoor) / 2
        day.outdoor_s += dt
        day.outdoor_sum += mean_c * dt
        hdd = max(0.0, self.config.base_c - mean_c) * dt / SECONDS_PER_DAY
        day.hdd += hdd
        self._season_hdd += hdd
        if prev.heating and kwh is not None:
            day.kwh += kwh
            self._season_kwh += kwh

    def _season_start(self, day: date) -> date:
        cfg = self.config
        start = date(day.year, cfg.season_start_month, cfg.season_start_day)
        if day < start:
            start = date(day.year - 1, cfg.season_start_month, cfg.season_start_day)
        return start

    def _roll(self, local_day: date) -> None:
        """Close the previous day when a new one starts, and the season when a new season starts."""
        iso = local_day.isoformat()
        if self._today is not None and self._today.day == iso:
            return
        if self._today is not None and self._today.day < iso:
            self._close(self._today)
        season = self._season_start(local_day).isoformat()
        if season != self._season:
            self._season = season
            self._season_kwh = self._season_hdd = 0.0
            self._bands.clear()
            self._baseline_days = 0
            self._baseline_dates.clear()
        self._today = DayTotals(day=iso)

    def _band(self, outdoor_c: float) -> int:
        return math.floor(outdoor_c / self.config.band_width_c)

    def _close(self, day: DayTotals) -> None:
        """Keep a finished day; the season's first days with real demand become the baseline."""
        self._days.append(day)
        mean = day.mean_outdoor_c
        if (
            mean is not None
            and day.hdd >= self.config.min_hdd
            and self._baseline_days < self.config.baseline_days
            and self._season is not None
            and day.day >= self._season
        ):
            band = self._bands.setdefault(self._band(mean), _Band())
            band.kwh += day.kwh
            band.hdd += day.hdd
            band.days += 1
            self._baseline_days += 1
            self._baseline_dates.add(day.day)

    # --- figures -----------------------------------------------------------------------------

    def _ratio(self, kwh: float, hdd: float) -> float | None:
        if hdd < self.config.min_hdd:
            return None
        ratio = kwh / hdd
        return ratio if math.isfinite(ratio) else None

    def _trend(self) -> float | None:
        """Compare the recent complete days with the baseline's ratio in their own outdoor band."""
        if self._baseline_days < self.config.baseline_days:
            return None
        actual = expected = 0.0
        compared = 0
        for day in self._days:
            mean = day.mean_outdoor_c
            if (
                day.day in self._baseline_dates
                or mean is None
                or day.hdd < self.config.min_hdd
            ):
                continue
            band = self._bands.get(self._band(mean))
            if band is None or band.days < self.config.min_band_days or band.hdd <= 0:
                continue
            actual += day.kwh
            expected += day.hdd * band.kwh / band.hdd
            compared += 1
        if compared < self.config.min_trend_days or expected <= 0:
            return None
        trend = (actual / expected - 1.0) * 100.0
        return trend if math.isfinite(trend) else None

    def results(self) -> DegreeDayResults:
        """Return the current figures."""
        today = self._today
        today_kwh = today.kwh if today is not None else 0.0
        today_hdd = today.hdd if today is not None else 0.0
        recent = list(self._days)[-(DAYS_KEPT - 1) :]
        week_kwh = today_kwh + sum(day.kwh for day in recent)
        week_hdd = today_hdd + sum(day.hdd for day in recent)
        return DegreeDayResults(
            today_kwh_per_hdd=self._ratio(today_kwh, today_hdd),
            week_kwh_per_hdd=self._ratio(week_kwh, week_hdd),
            season_kwh_per_hdd=self._ratio(self._season_kwh, self._season_hdd),
            trend_pct=self._trend(),
            today_hdd=today_hdd,
            week_hdd=week_hdd,
            season_hdd=self._season_hdd,
            season_kwh=self._season_kwh,
            baseline_days=self._baseline_days,
        )

    # --- state -------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the learner's state as JSON data (bounded: a week of days and a few bands)."""
        prev = self._prev
        return {
            "version": DEGREE_DAY_STATE_VERSION,
            "base_c": self.config.base_c,
            "prev": None
            if prev is None
            else [prev.t, prev.elec_w, prev.outdoor_c, prev.heating],
            "counter_ref": self._counter_ref,
            "today": None if self._today is None else self._today.to_list(),
            "days": [day.to_list() for day in self._days],
            "season": self._season,
            "season_kwh": self._season_kwh,
            "season_hdd": self._season_hdd,
            "bands": [[k, b.kwh, b.hdd, b.days] for k, b in self._bands.items()],
            "baseline_dates": sorted(self._baseline_dates),
            "rejected": self.rejected,
        }

    @classmethod
    def from_dict(
        cls, data: Any, config: DegreeDayConfig | None = None
    ) -> DegreeDayLearner:
        """Restore a learner; raise StateError if the data is unusable.

        A changed base temperature starts afresh: degree-days to another base do not compare.
        """
        learner = cls(config)
        if (
            not isinstance(data, dict)
            or data.get("version") != DEGREE_DAY_STATE_VERSION
        ):
            raise StateError("degree-day: unknown state version")
        try:
            if _finite(data["base_c"]) != learner.config.base_c:
                return learner
            prev = data["prev"]
            if prev is not None:
                t, elec_w, outdoor_c, heating = prev
                learner._prev = _Prev(
                    t=_finite(t),
                    elec_w=None if elec_w is None else _finite(elec_w),
                    outdoor_c=None if outdoor_c is None else _finite(outdoor_c),
                    heating=bool(heating),
                )
            ref = data["counter_ref"]
            learner._counter_ref = None if ref is None else _finite(ref)
            today = data["today"]
            learner._today = None if today is None else DayTotals.from_list(today)
            for day in data["days"][-DAYS_KEPT:]:
                learner._days.append(DayTotals.from_list(day))
            season = data["season"]
            if season is not None:
                date.fromisoformat(season)
            learner._season = season
            learner._season_kwh = _finite(data["season_kwh"])
            learner._season_hdd = _finite(data["season_hdd"])
            for key, kwh, hdd, days in data["bands"]:
                learner._bands[int(key)] = _Band(
                    kwh=_finite(kwh), hdd=_finite(hdd), days=int(days)
                )
            learner._baseline_dates = {str(day) for day in data["baseline_dates"]}
            learner._baseline_days = sum(band.days for band in learner._bands.values())
            learner.rejected = int(data["rejected"])
        except (KeyError, TypeError, ValueError) as err:
            raise StateError(f"degree-day: corrupt state: {err!r}") from err
        return learner


__all__ = [
    "DegreeDayConfig",
    "DegreeDayLearner",
    "DegreeDayResults",
    "heating_use",
]

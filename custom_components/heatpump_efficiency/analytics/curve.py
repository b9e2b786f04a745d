"""Performance curve: running COP, heat output, flow temperature and lift per 2 K outdoor-temperature band.

Learned from the engine's own lifetime meters, one accepted reading at a time: the space-heating
electricity and heat of each interval are the differences of `results.meters` since the previous
update, so the engine's glitch rejection, counter handling and gap rules apply unchanged. An
interval counts when both of its readings heat the rooms (no hot water, no cooling, nothing booked
to those meters in it), electricity and heat are both known over it (as for the engine's COP), and
the compressor runs at one end at least. Defrosts inside a run count: their electricity and the
heat they take back are part of what the unit achieves at that outdoor temperature (the engine's
heat meter holds a defrost dip until heat repays it). Flow temperature and lift are weighted by
each interval's heat, so defrosts and standby carry no weight. A gap, a reset or a clock that went
back adds nothing. The backup heater is taken out at COP 1, so the curve describes the heat pump
itself.

Seasons: the curve restarts when the engine's heating season starts (same start date) and keeps
the season before for the chart, so a changed heating curve or a new unit shows within one season
and the figures match the season's SCOP.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
import math
from typing import Any, Final

from custom_components.heatpump_efficiency.units.model import OperatingMode, Reading

from .checks import (
    MAX_KWH,
    MAX_S,
    StateError,
    as_dict,
    as_list,
    field_of,
    flag,
    integer,
    num,
    opt_integer,
    opt_num,
    short,
    time_,
)
from .config import EngineConfig
from .cop import MAX_COP
from .energy import MAX_PLAUSIBLE_C, MIN_PLAUSIBLE_C
from .periods import season_key
from .results import Results

CURVE_STATE_VERSION: Final = 1
BAND_WIDTH_K: Final = 2.0
# Bands cover -30 °C <= t < +30 °C; colder or warmer readings join the end bands.
LOWEST_C: Final = -30.0
BAND_COUNT: Final = 30
# An outdoor reading beyond these is a sensor fault, not weather: its interval adds nothing.
MIN_WEATHER_C: Final = -60.0
MAX_WEATHER_C: Final = 60.0
# A band's COP needs this much electricity: a counter's 0.1 kWh step at each end of a stretch
# then moves it by a few percent at most, and a single short run cannot make a band.
MIN_BAND_ELEC_KWH: Final = 2.0
# A band's mean heat output needs this much compressor running time (hours).
MIN_BAND_RUNNING_H: Final = 1.0
# Heat-weighted temperatures need this much heat behind them (kWh).
MIN_WEIGHT_KWH: Final = 1.0
# Energy above the engine's own power limits in one interval means the baseline no longer matches
# the engine (a restored copy of a different age): such an interval adds nothing.
_SLACK: Final = 1.01
_DAY_RANGE: Final = (date(2000, 1, 1).toordinal(), date(2200, 1, 1).toordinal())


@dataclass(frozen=True, slots=True, kw_only=True)
class CurveBand:
    """What the unit did in one 2 K outdoor-temperature band while heating rooms (not hot water, not cooling)."""

    # The band covers outdoor low_c <= t < low_c + 2 (low_c a multiple of 2).
    low_c: float
    days: int  # distinct local days that contributed
    running_hours: float  # space-heating hours with the compressor running
    elec_kwh: float  # heat pump electricity in those hours (backup heater excluded)
    heat_kwh: float  # heat pump heat delivered in those hours (net of defrosts)
    # heat_kwh / elec_kwh once elec_kwh >= MIN_BAND_ELEC_KWH, else None.
    cop: float | None
    # Mean heat output while running (the heat demand at that outdoor temperature).
    heat_kw: float | None
    flow_c: float | None  # heat-weighted mean flow temperature
    lift_k: float | None  # heat-weighted mean (flow - outdoor)
    # Backup heater electricity in those hours (its heat at COP 1, kept out of the figures above).
    backup_kwh: float = 0.0


@dataclass(slots=True)
class _Band:
    """Running sums of one band."""

    days: int = 0
    last_day: int | None = None  # ordinal of the last local day that contributed
    running_s: float = 0.0
    elec_kwh: float = 0.0
    heat_kwh: float = 0.0
    backup_kwh: float = 0.0
    weight_kwh: float = 0.0  # heat of the intervals with a known flow temperature
    flow_kwh_c: float = 0.0  # sum of flow x heat
    lift_kwh_k: float = 0.0  # sum of (flow - outdoor) x heat

    def to_list(self, index: int) -> list[Any]:
        """Serialise compactly: [low_c, days, last_day, running_s, elec, heat, backup, weight, flow, lift]."""
        return [
            band_low_c(index),
            self.days,
            self.last_day,
            self.running_s,
            self.elec_kwh,
            self.heat_kwh,
            self.backup_kwh,
            self.weight_kwh,
            self.flow_kwh_c,
            self.lift_kwh_k,
        ]

    def view(self, index: int) -> CurveBand:
        """Return the band's published figures."""
        hours = self.running_s / 3600
        cop: float | None = None
        if self.elec_kwh >= MIN_BAND_ELEC_KWH:
            value = self.heat_kwh / self.elec_kwh
            cop = value if 0.0 <= value <= MAX_COP else None
        weighted = self.weight_kwh >= MIN_WEIGHT_KWH
        return CurveBand(
            low_c=band_low_c(index),
            days=self.days,
            running_hours=hours,
            elec_kwh=self.elec_kwh,
            heat_kwh=self.heat_kwh,
            cop=cop,
            heat_kw=self.heat_kwh / hours if hours >= MIN_BAND_RUNNING_H else None,
            flow_c=self.flow_kwh_c / self.weight_kwh if weighted else None,
            lift_k=self.lift_kwh_k / self.weight_kwh if weighted else None,
            backup_kwh=self.backup_kwh,
        )


@dataclass(slots=True, kw_only=True)
class _Base:
    """The previous accepted update: its time, the engine's meters then, and how the unit ran."""

    t: float
    space_elec_kwh: float
    space_heat_kwh: float
    # Energy the curve must not see: the hot water and cooling meters and the electricity counted
    # while heat was unknown, together (any change excludes the interval).
    excluded_kwh: float
    backup_kwh: float
    heating_rooms: bool  # neither hot water nor cooling
    running: bool | None
    outdoor_c: float | None
    flow_c: float | None


def _plausible(value: float | None) -> float | None:
    """Return a temperature if finite and plausible (the engine's limits), else None."""
    if value is None or not MIN_PLAUSIBLE_C <= value <= MAX_PLAUSIBLE_C:
        return None  # NaN fails the comparison too
    return float(value)


def _cooling(reading: Reading) -> bool:
    """Return whether the unit cools, by the engine's rule: its own flag first, else the mode setting."""
    if reading.cooling_active is not None:
        return reading.cooling_active and reading.mode is not OperatingMode.OFF
    return reading.mode is OperatingMode.COOL


def band_index(outdoor_c: float) -> int:
    """Return the band of an outdoor temperature; beyond the range, the nearest end band."""
    index = math.floor((outdoor_c - LOWEST_C) / BAND_WIDTH_K)
    return min(max(index, 0), BAND_COUNT - 1)


def band_low_c(index: int) -> float:
    """Return the lower edge of a band (°C)."""
    return LOWEST_C + index * BAND_WIDTH_K


def _mid(a: float | None, b: float | None) -> float | None:
    """Return the mean of two values, or the one that is known."""
    if a is None:
        return b
    return b if b is None else (a + b) / 2


@dataclass(slots=True)
class _Season:
    """The bands of one heating season."""

    bands: list[_Band] = field(
        default_factory=lambda: [_Band() for _ in range(BAND_COUNT)]
    )
    # Each band's published figures (None without data), recomputed only when the band changes.
    shown: list[CurveBand | None] = field(default_factory=lambda: [None] * BAND_COUNT)

    def views(self) -> tuple[CurveBand, ...]:
        """Return the bands with data, coldest first."""
        return tuple(view for view in self.shown if view is not None)

    def refresh(self, index: int) -> None:
        """Recompute one band's published figures after it changed."""
        band = self.bands[index]
        self.shown[index] = band.view(index) if band.running_s > 0 else None

    def weighted(self, lift: bool) -> float | None:
        """Return the heat-weighted flow temperature (or lift) over all bands."""
        weight = sum(b.weight_kwh for b in self.bands)
        if weight < MIN_WEIGHT_KWH:
            return None
        total = sum(b.lift_kwh_k if lift else b.flow_kwh_c for b in self.bands)
        return total / weight

    def to_list(self) -> list[list[Any]]:
        """Serialise the bands with data."""
        return [
            band.to_list(i)
            for i, band in enumerate(self.bands)
            if band.running_s > 0 or band.days > 0
        ]

    @classmethod
    def from_list(cls, raw: Any, name: str) -> _Season:
        """Restore and validate stored bands."""
        season = cls()
        seen: set[int] = set()
        for row in as_list(raw, name, BAND_COUNT):
            values = as_list(row, f"{name}[]", 10)
            if len(values) != 10:
                raise StateError(f"{name}[] needs 10 values, got {len(values)}")
            low = num(
                values[0], f"{name}[].low_c", LOWEST_C, band_low_c(BAND_COUNT - 1)
            )
            index = round((low - LOWEST_C) / BAND_WIDTH_K)
            if band_low_c(index) != low or index in seen:
                raise StateError(
                    f"{name}[].low_c={low!r} is not a band edge, or repeated"
                )
            seen.add(index)
            where = f"{name}[{low:g}]"
            band = _Band(
                days=integer(values[1], f"{where}.days", 0, 100_000),
                last_day=opt_integer(values[2], f"{where}.last_day", *_DAY_RANGE),
                running_s=num(values[3], f"{where}.running_s", 0.0, MAX_S),
                elec_kwh=num(values[4], f"{where}.elec_kwh", 0.0, MAX_KWH),
                heat_kwh=num(values[5], f"{where}.heat_kwh", 0.0, MAX_KWH),
                backup_kwh=num(values[6], f"{where}.backup_kwh", 0.0, MAX_KWH),
                weight_kwh=num(values[7], f"{where}.weight_kwh", 0.0, MAX_KWH),
                flow_kwh_c=num(
                    values[8], f"{where}.flow", -150 * MAX_KWH, 150 * MAX_KWH
                ),
                lift_kwh_k=num(
                    values[9], f"{where}.lift", -300 * MAX_KWH, 300 * MAX_KWH
                ),
            )
            if band.weight_kwh > band.heat_kwh * _SLACK + 1e-6:
                raise StateError(f"{where}.weight_kwh exceeds its heat")
            if band.weight_kwh > 0 and not (
                MIN_PLAUSIBLE_C <= band.flow_kwh_c / band.weight_kwh <= MAX_PLAUSIBLE_C
                and -2 * MAX_PLAUSIBLE_C
                <= band.lift_kwh_k / band.weight_kwh
                <= 2 * MAX_PLAUSIBLE_C
            ):
                raise StateError(f"{where} weighted temperatures are implausible")
            if (band.days == 0) != (band.last_day is None):
                raise StateError(f"{where}.days and last_day disagree")
            season.bands[index] = band
            season.refresh(index)
        return season


class PerformanceCurve:
    """Learns the unit's space-heating performance per outdoor band over the heating season; O(1) per update."""

    def __init__(self, config: EngineConfig | None = None) -> None:
        """Create an empty curve for an engine configuration (gap limit, time zone, season start)."""
        self._config = config or EngineConfig()
        self._season = _Season()
        self._season_key: int | None = None
        self._last_season: _Season | None = None
        self._base: _Base | None = None
        # This season's published bands, rebuilt only after an interval was booked.
        self._views: tuple[CurveBand, ...] | None = None
        # The local day of the last update (the season can only change with the day).
        self._day: int | None = None

    def update(self, reading: Reading, results: Results) -> None:
        """Book the interval since the previous update; call once per reading after `Engine.update`."""
        when = results.time
        if when is None:
            return
        t = when.timestamp()
        base = self._base
        if base is not None and t == base.t:
            return  # the engine did not accept this reading
        meters = results.meters
        new = _Base(
            t=t,
            space_elec_kwh=meters.space_elec_kwh,
            space_heat_kwh=meters.space_heat_kwh,
            excluded_kwh=meters.dhw_elec_kwh
            + meters.dhw_heat_kwh
            + meters.cooling_elec_kwh
            + meters.cooling_kwh
            + results.lifetime.unmatched_elec_kwh,
            backup_kwh=meters.backup_kwh,
            heating_rooms=not (reading.dhw_active is True or _cooling(reading)),
            # The engine's own judgement of the reading (flag, frequency or starting power).
            running=results.cycling.running,
            outdoor_c=_plausible(reading.outdoor_c),
            flow_c=_plausible(reading.flow_c),
        )
        self._base = new
        day = when.date()
        ordinal = day.toordinal()
        if ordinal != self._day:
            self._day = ordinal
            self._roll_season(day)
        if base is not None:
            self._book(base, new, ordinal)

    def _roll_season(self, day: date) -> None:
        """Start a new season when the engine's season start has passed; keep the one before."""
        key = season_key(
            day, self._config.season_start_month, self._config.season_start_day
        )
        if self._season_key is None:
            self._season_key = key
        elif key > self._season_key:
            self._last_season = self._season if key == self._season_key + 1 else None
            self._season = _Season()
            self._season_key = key
            self._views = None

    def _book(self, old: _Base, new: _Base, day: int) -> None:
        """Add the interval between two updates to the band of the newer reading, if it counts."""
        dt = new.t - old.t
        if not 0 < dt <= self._config.max_gap_s:
            return  # a gap or a clock that went back: the engine's meters may have bridged it
        elec = new.space_elec_kwh - old.space_elec_kwh
        heat = new.space_heat_kwh - old.space_heat_kwh
        backup = new.backup_kwh - old.backup_kwh
        if min(elec, heat, backup) < 0:
            return  # the engine started afresh: its meters went back
        hours = dt / 3600
        if (
            elec > self._config.max_elec_kw * hours * _SLACK
            or heat > self._config.max_heat_kw * hours * _SLACK
        ):
            return
        if (
            not (old.heating_rooms and new.heating_rooms)
            or new.excluded_kwh != old.excluded_kwh
        ):
            return
        running_ends = (old.running is True) + (new.running is True)
        outdoor_c = new.outdoor_c
        if running_ends == 0 or outdoor_c is None:
            return
        if not MIN_WEATHER_C <= outdoor_c <= MAX_WEATHER_C:
            return
        backup = min(backup, elec)
        hp_elec = elec - backup
        hp_heat = max(heat - backup, 0.0)
        index = band_index(outdoor_c)
        band = self._season.bands[index]
        self._views = None
        band.running_s += dt * running_ends / 2
        band.elec_kwh += hp_elec
        band.heat_kwh += hp_heat
        band.backup_kwh += backup
        flow = _mid(old.flow_c, new.flow_c)
        if flow is not None and hp_heat > 0:
            band.weight_kwh += hp_heat
            band.flow_kwh_c += flow * hp_heat
            band.lift_kwh_k += (flow - outdoor_c) * hp_heat
        if band.last_day is None or day > band.last_day:
            band.days += 1
            band.last_day = day
        self._season.refresh(index)

    def bands(self) -> tuple[CurveBand, ...]:
        """Return this season's bands with data, sorted by low_c."""
        if self._views is None:
            self._views = self._season.views()
        return self._views

    def last_season_bands(self) -> tuple[CurveBand, ...]:
        """Return the previous season's bands with data (empty when there is none)."""
        return () if self._last_season is None else self._last_season.views()

    def heat_weighted_flow_c(self) -> float | None:
        """Return this season's heat-weighted mean flow temperature over all bands."""
        return self._season.weighted(lift=False)

    def heat_weighted_lift_k(self) -> float | None:
        """Return this season's heat-weighted mean flow - outdoor difference over all bands."""
        return self._season.weighted(lift=True)

    def summary(self) -> dict[str, Any]:
        """Return the numbers as JSON-friendly data (diagnostics and the replay CLI)."""
        return {
            "bands": [asdict(band) for band in self.bands()],
            "last_season_bands": [asdict(band) for band in self.last_season_bands()],
            "heat_weighted_flow_c": self.heat_weighted_flow_c(),
            "heat_weighted_lift_k": self.heat_weighted_lift_k(),
        }

    # --- state ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-serialisable data (versioned, at most two seasons of 30 bands)."""
        base = self._base
        return {
            "version": CURVE_STATE_VERSION,
            "season_key": self._season_key,
            "season": self._season.to_list(),
            "last_season": None
            if self._last_season is None
            else self._last_season.to_list(),
            "base": None
            if base is None
            else [
                base.t,
                base.space_elec_kwh,
                base.space_heat_kwh,
                base.excluded_kwh,
                base.backup_kwh,
                base.heating_rooms,
                base.running,
                base.outdoor_c,
                base.flow_c,
            ],
        }

    @classmethod
    def from_dict(
        cls, raw: Any, config: EngineConfig | None = None
    ) -> PerformanceCurve:
        """Restore from `to_dict`; raises StateError for damaged or newer state."""
        data = as_dict(raw, "curve")
        version = field_of(data, "version", "curve")
        if version != CURVE_STATE_VERSION:
            raise StateError(
                f"curve.version {short(version)} is not {CURVE_STATE_VERSION}"
            )
        curve = cls(config)
        curve._season_key = opt_integer(
            field_of(data, "season_key", "curve"), "curve.season_key", 1999, 2200
        )
        curve._season = _Season.from_list(
            field_of(data, "season", "curve"), "curve.season"
        )
        last = field_of(data, "last_season", "curve")
        curve._last_season = (
            None if last is None else _Season.from_list(last, "curve.last_season")
        )
        base = field_of(data, "base", "curve")
        if base is not None:
            values = as_list(base, "curve.base", 9)
            if len(values) != 9:
                raise StateError(f"curve.base needs 9 values, got {len(values)}")
            curve._base = _Base(
                t=time_(values[0], "curve.base.t"),
                space_elec_kwh=num(
                    values[1], "curve.base.space_elec_kwh", 0.0, MAX_KWH
                ),
                space_heat_kwh=num(
                    values[2], "curve.base.space_heat_kwh", 0.0, MAX_KWH
                ),
                excluded_kwh=num(
                    values[3], "curve.base.excluded_kwh", 0.0, 5 * MAX_KWH
                ),
                backup_kwh=num(values[4], "curve.base.backup_kwh", 0.0, MAX_KWH),
                heating_rooms=flag(values[5], "curve.base.heating_rooms"),
                running=None
                if values[6] is None
                else flag(values[6], "curve.base.running"),
                outdoor_c=opt_num(
                    values[7], "curve.base.outdoor_c", MIN_PLAUSIBLE_C, MAX_PLAUSIBLE_C
                ),
                flow_c=opt_num(
                    values[8], "curve.base.flow_c", MIN_PLAUSIBLE_C, MAX_PLAUSIBLE_C
                ),
            )
        if curve._season_key is None and (
            curve._season.to_list() or curve._last_season
        ):
            raise StateError("curve has bands but no season")
        return curve

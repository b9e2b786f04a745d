"""Heating-curve advisor: is the flow temperature higher than the house needs, about right, or too low?

Evidence is kept per local day and 2 K outdoor band for the last `window_days` days: the flow
temperature the unit used while the compressor heated the rooms, the room temperature against the
target in force while someone is home, the mean heat delivered (the house's heat demand) and the
backup heater's share. Every rule and threshold is explained in docs/thresholds.md.

- Setbacks: a sample counts only while the target in force is within `setback_k` of the highest
  target of the last 24 h, and not in the `recovery_h` after a raise (the room is catching up: that
  says nothing about the curve). A night or away setback is therefore neither "warm" nor "cold".
- A changed setting (curve shift, direct flow temperature) restarts the evidence: after applying
  advice, new advice comes from new data only.
- The suggested change follows from a steady-state heat balance: fabric loss UA·(room - outdoor)
  minus free gains equals emitter output, taken as proportional to (flow - room). UA and the gains
  come from the demand per band when the bands span enough weather, else the gains are taken as 0.
- The expected COP gain comes from the unit's own COP against lift across bands when there are
  enough, else from the Carnot COP with typical refrigerant approach temperatures.

Pure Python, no Home Assistant; all time comes from the readings. The advisor never changes the unit.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
import math
from typing import Any, Final, Protocol, cast

from .checks import (
    MAX_T,
    StateError,
    as_dict,
    as_list,
    field_of,
    integer,
    num,
    opt_num,
    opt_text,
    short,
)
from .results import jsonable

ADVISOR_STATE_VERSION: Final = 1
BAND_WIDTH_K: Final = 2.0
LOWEST_C: Final = -30  # colder readings join the coldest band
HIGHEST_C: Final = 28  # warmer readings join the warmest band (28 <= t)
KELVIN: Final = 273.15
# Refrigerant approach temperatures of a typical air-to-water unit (OpenEnergyMonitor's simple heat
# pump model): condensing about 4 K above the flow, evaporating about 6 K below the outdoor air.
CONDENSING_OFFSET_K: Final = 4.0
EVAPORATING_OFFSET_K: Final = 6.0
# Temperatures outside these are sensor faults, not weather or rooms.
_MIN_C: Final = -60.0
_MAX_C: Final = 95.0
_MAX_W: Final = 100_000.0
_TARGETS_KEPT: Final = 64
JUDGE_EVERY_S: Final = 900.0
_DAY_MIN: Final = 730_120  # 2000-01-01
_DAY_MAX: Final = 803_534  # 2200-12-31


class Advice(StrEnum):
    """What the advisor says about the heating curve."""

    LOWER = "lower"
    OK = "ok"
    RAISE = "raise"
    NOT_ENOUGH_DATA = "not_enough_data"


class AdviceReason(StrEnum):
    """Which evidence decided a lower or raise."""

    ROOMS_WARM = "rooms_warm"  # rooms above target at mild and cold bands
    ROOMS_COLD = "rooms_cold"  # target missed at the colder bands
    BACKUP_HEATER = (
        "backup_heater"  # the backup heater made up the heat at the colder bands
    )


class CopBasis(StrEnum):
    """Where the expected COP gain comes from."""

    UNIT_DATA = "unit_data"  # the unit's own COP against lift across outdoor bands
    CARNOT = "carnot"  # the Carnot COP with typical approach temperatures


class CopBand(Protocol):
    """What the advisor reads of a performance-curve band (`analytics.curve.CurveBand` has these)."""

    @property
    def elec_kwh(self) -> float:
        """Electricity in the band."""

    @property
    def heat_kwh(self) -> float:
        """Heat delivered in the band."""

    @property
    def cop(self) -> float | None:
        """The band's running COP."""

    @property
    def lift_k(self) -> float | None:
        """Heat-weighted flow minus outdoor temperature."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AdvisorConfig:
    """Evidence window, confidence rules and decision thresholds (docs/thresholds.md says why)."""

    timezone: tzinfo = UTC
    # Only the last this many local days count.
    window_days: int = 14
    # Distinct days with evidence, and outdoor bands with enough of it, before any advice.
    min_days: int = 5
    min_bands: int = 2
    # A band has enough evidence with this many occupied heating hours over this many days, and
    # this many hours of the compressor heating the rooms.
    min_band_hours: float = 6.0
    min_band_days: int = 2
    min_band_running_h: float = 1.0
    # Warm band: rooms average more than warm_k above target and are above target + tolerance_k
    # at least warm_share of the time.
    warm_k: float = 0.5
    warm_share: float = 0.75
    tolerance_k: float = 0.2
    # Cold band: rooms average more than cold_k below target, or miss it by more than missed_k
    # at least cold_share of the time.
    cold_k: float = 0.5
    missed_k: float = 1.0
    cold_share: float = 0.2
    # Backup heat share of a colder band's heat that asks for more flow.
    backup_share: float = 0.05
    # The suggestion is rounded to step_k and limited to max_change_k (larger corrections are
    # made in steps and judged again in between).
    step_k: float = 0.5
    max_change_k: float = 5.0
    # A longer gap between readings adds nothing.
    max_gap_s: float = 1800.0
    # A target more than setback_k below the day's highest is a setback; the recovery_h after a
    # raise are left out (the room catches up).
    setback_k: float = 0.5
    recovery_h: float = 3.0
    # Fitting COP against lift needs this many curve bands with this much electricity each,
    # spanning this much lift; fitting UA and gains needs this range of room - outdoor.
    min_fit_bands: int = 3
    min_fit_elec_kwh: float = 5.0
    min_fit_lift_span_k: float = 6.0
    min_fit_demand_span_k: float = 4.0


@dataclass(frozen=True, slots=True, kw_only=True)
class BandEvidence:
    """What the last `window_days` showed in one outdoor band (only bands with heating time)."""

    low_c: float
    days: int
    hours: float  # occupied heating hours compared with the target
    running_hours: float
    room_minus_target_k: float | None
    flow_c: float | None  # mean flow while the compressor heated the rooms
    demand_kw: float | None  # mean heat delivered while heating was on
    backup_share_pct: float | None
    qualifies: bool
    needed_k: float | None  # flow change that would bring this band's rooms to target


@dataclass(frozen=True, slots=True, kw_only=True)
class AdvisorResult:
    """The advice and the evidence behind it."""

    advice: Advice
    reason: AdviceReason | None = None
    change_k: float | None = None  # suggested flow temperature change (negative: lower)
    cop_gain_pct: float | None = None  # expected running COP change of that change
    cop_basis: CopBasis | None = None
    days: int = 0  # distinct days with qualifying evidence
    bands: int = 0  # qualifying outdoor bands
    evidence_since: datetime | None = (
        None  # the evidence restarted then (a setting changed)
    )
    evidence: tuple[BandEvidence, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable view (for diagnostics and the replay CLI)."""
        return cast("dict[str, Any]", jsonable(self))


NO_ADVICE: Final = AdvisorResult(advice=Advice.NOT_ENOUGH_DATA)
"""What the advisor says before it has seen any reading."""


@dataclass(slots=True)
class _Cell:
    """Sums of one local day in one outdoor band (seconds, K·s, °C·s, J)."""

    day: int
    low: int
    enabled_s: float = 0.0  # heating enabled
    out_cs: float = 0.0  # outdoor over enabled_s
    heat_j: float = 0.0  # heat delivered over enabled_s (the demand)
    backup_j: float = 0.0
    backup_s: float = 0.0
    occupied_s: float = 0.0  # enabled, room and target known, no setback or recovery
    dev_ks: float = 0.0  # (room - target) over occupied_s
    room_cs: float = 0.0
    warm_s: float = 0.0  # room above target + tolerance
    cold_s: float = 0.0  # room more than cold_k below target
    running_s: float = 0.0  # compressor heating the rooms
    flow_cs: float = 0.0  # flow over running_s

    def values(self) -> list[float]:
        """The sums in stored order."""
        return [getattr(self, name) for name in _SUMS]


_SUMS: Final = (
    "enabled_s",
    "out_cs",
    "heat_j",
    "backup_j",
    "backup_s",
    "occupied_s",
    "dev_ks",
    "room_cs",
    "warm_s",
    "cold_s",
    "running_s",
    "flow_cs",
)


@dataclass(frozen=True, slots=True)
class _Sample:
    """The previous reading's state: it holds over the interval up to the next one."""

    time: float
    outdoor_c: float | None
    room_c: float | None
    target_c: float | None
    flow_c: float | None
    enabled: bool
    running: bool
    heat_w: float | None
    backup_w: float | None
    backup_on: bool


def band_low(outdoor_c: float) -> int:
    """Return the lower edge (a multiple of 2 °C) of the band an outdoor temperature falls in."""
    low = math.floor(outdoor_c / BAND_WIDTH_K) * int(BAND_WIDTH_K)
    return min(max(low, LOWEST_C), HIGHEST_C)


def carnot_cop(flow_c: float, outdoor_c: float) -> float:
    """Return the Carnot COP with typical approach temperatures (condensing +4 K, evaporating -6 K)."""
    hot = flow_c + CONDENSING_OFFSET_K
    cold = outdoor_c - EVAPORATING_OFFSET_K
    return (hot + KELVIN) / max(hot - cold, 1.0)


def _finite(
    value: float | None, low: float = _MIN_C, high: float = _MAX_C
) -> float | None:
    """Return value when it is a finite number within [low, high], else None."""
    if value is None or not math.isfinite(value) or not low <= value <= high:
        return None
    return value


class HeatingCurveAdvisor:
    """Learns recent evidence per day and band and judges the heating curve from it."""

    def __init__(self, config: AdvisorConfig | None = None) -> None:
        """Start without evidence."""
        self.config = config or AdvisorConfig()
        self._cells: dict[tuple[int, int], _Cell] = {}
        self._last: _Sample | None = None
        self._setting: str | None = None
        self._since: float | None = None  # evidence restarted at this time
        self._raised_at: float | None = None  # the target was last raised then
        self._targets: deque[tuple[float, float]] = deque(maxlen=_TARGETS_KEPT)
        self._newest_day = 0
        self._cached: tuple[int, AdvisorResult] | None = None
        # Bumps when the advice is due to be judged again (a new quarter hour, a restart).
        self._generation = 0
        self._tick = 0

    # Learning -------------------------------------------------------------------------------------

    def update(
        self,
        time: datetime,
        *,
        outdoor_c: float | None,
        room_c: float | None,
        room_target_c: float | None,
        flow_c: float | None,
        heating_enabled: bool,
        space_heating: bool,
        heat_w: float | None = None,
        backup_w: float | None = None,
        backup_on: bool | None = None,
        setting: str | None = None,
    ) -> None:
        """Feed one accepted reading; the state it shows holds until the next reading.

        `heating_enabled`: the unit is set to heat the rooms (not off, not cooling). `space_heating`:
        the compressor runs for the rooms right now (not hot water, not a defrost). `setting` names
        the unit's curve setting (e.g. "curve_shift:2"); a change of it restarts the evidence.
        """
        t = time.timestamp()
        if not math.isfinite(t) or not 0.0 < t < MAX_T:
            return
        last = self._last
        if last is not None and t <= last.time:
            return  # repeated or out of order
        if setting is not None and len(setting) <= 100:
            if self._setting is not None and setting != self._setting:
                self._restart(t)
            self._setting = setting
        target = _finite(room_target_c, 5.0, 35.0)
        self._note_target(t, target)
        sample = _Sample(
            time=t,
            outdoor_c=_finite(outdoor_c),
            room_c=_finite(room_c, -20.0, 50.0),
            target_c=target,
            flow_c=_finite(flow_c, 5.0, 80.0),
            enabled=heating_enabled,
            running=space_heating and heating_enabled,
            heat_w=_finite(heat_w, -_MAX_W, _MAX_W),
            backup_w=_finite(backup_w, 0.0, _MAX_W),
            backup_on=bool(backup_on),
        )
        self._last = sample
        if last is not None and t - last.time <= self.config.max_gap_s:
            self._book(last, t - last.time)

    def _restart(self, t: float) -> None:
        """Forget the evidence: the curve it describes is no longer the one in use."""
        self._cells.clear()
        self._since = t
        self._generation += 1

    def _note_target(self, t: float, target: float | None) -> None:
        """Keep the targets of the last day and when the target was last raised."""
        if target is None:
            return
        if self._targets and target == self._targets[-1][1]:
            return
        if self._targets and target - self._targets[-1][1] >= self.config.setback_k:
            self._raised_at = t
        self._targets.append((t, target))

    def _comfort_c(self, t: float) -> float | None:
        """The highest target in force during the 24 h before t."""
        best: float | None = None
        previous: float | None = None
        for when, target in self._targets:
            if when <= t - 86_400.0:
                previous = target  # in force at the window's start
                continue
            best = target if best is None else max(best, target)
        if previous is not None:
            best = previous if best is None else max(best, previous)
        return best

    def _book(self, s: _Sample, dt: float) -> None:
        """Add the interval after sample `s` to its day and band."""
        cfg = self.config
        if not s.enabled or s.outdoor_c is None:
            return
        day = datetime.fromtimestamp(s.time, cfg.timezone).date().toordinal()
        if day > self._newest_day:
            self._newest_day = day
            self._prune()
        key = (day, band_low(s.outdoor_c))
        cell = self._cells.get(key)
        if cell is None:
            cell = self._cells[key] = _Cell(day=key[0], low=key[1])
        cell.enabled_s += dt
        cell.out_cs += s.outdoor_c * dt
        if s.heat_w is not None:
            cell.heat_j += max(s.heat_w, 0.0) * dt
        if s.backup_on:
            cell.backup_s += dt
            if s.backup_w is not None:
                cell.backup_j += s.backup_w * dt
        if s.running and s.flow_c is not None:
            cell.running_s += dt
            cell.flow_cs += s.flow_c * dt
        if (
            s.room_c is not None
            and s.target_c is not None
            and self._occupied(s, s.target_c)
        ):
            dev = s.room_c - s.target_c
            cell.occupied_s += dt
            cell.dev_ks += dev * dt
            cell.room_cs += s.room_c * dt
            if dev > cfg.tolerance_k:
                cell.warm_s += dt
            if dev < -cfg.missed_k:
                cell.cold_s += dt
        # Fortnight sums move little per reading: the advice is judged again every quarter hour.
        tick = int(s.time // JUDGE_EVERY_S)
        if tick != self._tick:
            self._tick = tick
            self._generation += 1

    def _occupied(self, s: _Sample, target_c: float) -> bool:
        """Whether the target in force is the comfort target (no setback, not recovering from one)."""
        cfg = self.config
        comfort = self._comfort_c(s.time)
        if comfort is not None and target_c < comfort - cfg.setback_k:
            return False
        return (
            self._raised_at is None
            or s.time - self._raised_at >= cfg.recovery_h * 3600.0
        )

    def _prune(self) -> None:
        """Drop days that left the window."""
        oldest = self._newest_day - self.config.window_days + 1
        for key in [k for k in self._cells if k[0] < oldest]:
            del self._cells[key]

    # Judgement ------------------------------------------------------------------------------------

    def result(self, curve_bands: Sequence[CopBand] = ()) -> AdvisorResult:
        """Return the advice; recomputed only when the evidence changed since the last call."""
        if self._cached is not None and self._cached[0] == self._generation:
            return self._cached[1]
        result = self._judge(curve_bands)
        self._cached = (self._generation, result)
        return result

    def _evidence(self) -> list[tuple[BandEvidence, float, float]]:
        """Return per-band evidence with the share of occupied time warm and the share cold.

        The backup share is of the heat where the backup heater's power is known, else of the time.
        """
        cfg = self.config
        by_band: dict[int, list[_Cell]] = {}
        for cell in self._cells.values():
            by_band.setdefault(cell.low, []).append(cell)
        evidence = []
        for low in sorted(by_band):
            cells = by_band[low]
            enabled = sum(c.enabled_s for c in cells)
            occupied = sum(c.occupied_s for c in cells)
            running = sum(c.running_s for c in cells)
            heat = sum(c.heat_j for c in cells)
            if enabled <= 0.0:
                continue
            days = len({c.day for c in cells if c.occupied_s > 0.0})
            dev = sum(c.dev_ks for c in cells) / occupied if occupied > 0 else None
            flow = sum(c.flow_cs for c in cells) / running if running > 0 else None
            backup = sum(c.backup_j for c in cells)
            if heat > 0.0 and backup > 0.0:
                backup_share: float | None = min(backup / heat, 1.0)
            elif heat > 0.0 or any(c.backup_s > 0 for c in cells):
                backup_share = sum(c.backup_s for c in cells) / enabled
            else:
                backup_share = None
            qualifies = (
                occupied >= cfg.min_band_hours * 3600.0
                and days >= cfg.min_band_days
                and running >= cfg.min_band_running_h * 3600.0
                and flow is not None
                and dev is not None
            )
            warm_share = (
                sum(c.warm_s for c in cells) / occupied if occupied > 0 else 0.0
            )
            cold_share = (
                sum(c.cold_s for c in cells) / occupied if occupied > 0 else 0.0
            )
            band = BandEvidence(
                low_c=float(low),
                days=days,
                hours=occupied / 3600.0,
                running_hours=running / 3600.0,
                room_minus_target_k=dev,
                flow_c=flow,
                demand_kw=heat / enabled / 1000.0 if heat > 0 else None,
                backup_share_pct=None if backup_share is None else backup_share * 100.0,
                qualifies=qualifies,
                needed_k=None,
            )
            evidence.append((band, warm_share, cold_share))
        return evidence

    def _means(self) -> dict[int, tuple[float | None, float]]:
        """Mean room (occupied) and outdoor (enabled) temperature per band."""
        sums: dict[int, list[float]] = {}
        for c in self._cells.values():
            acc = sums.setdefault(c.low, [0.0, 0.0, 0.0, 0.0])
            acc[0] += c.room_cs
            acc[1] += c.occupied_s
            acc[2] += c.out_cs
            acc[3] += c.enabled_s
        return {
            low: (acc[0] / acc[1] if acc[1] > 0 else None, acc[2] / acc[3])
            for low, acc in sums.items()
            if acc[3] > 0
        }

    def _judge(self, curve_bands: Sequence[CopBand]) -> AdvisorResult:
        """Decide lower, ok or raise from the evidence (docs/thresholds.md has every rule)."""
        cfg = self.config
        rows = self._evidence()
        qualifying = [row for row in rows if row[0].qualifies]
        qual_lows = {int(b.low_c) for b, _, _ in qualifying}
        days = len(
            {
                c.day
                for c in self._cells.values()
                if c.low in qual_lows and c.occupied_s > 0
            }
        )
        since = (
            None if self._since is None else datetime.fromtimestamp(self._since, UTC)
        )
        means = self._means()
        needed = self._needed(qualifying, means)
        evidence = tuple(
            replace(band, needed_k=needed.get(int(band.low_c))) for band, _, _ in rows
        )
        base = AdvisorResult(
            advice=Advice.NOT_ENOUGH_DATA,
            days=days,
            bands=len(qualifying),
            evidence_since=since,
            evidence=evidence,
        )
        if days < cfg.min_days or len(qualifying) < cfg.min_bands:
            return base
        # The colder half of the bands with evidence (at least the coldest one).
        ordered = sorted(qualifying, key=lambda row: row[0].low_c)
        colder = ordered[: max(1, len(ordered) // 2)]
        cold = [
            b
            for b, _, cold_share in colder
            if b.room_minus_target_k is not None
            and (b.room_minus_target_k < -cfg.cold_k or cold_share >= cfg.cold_share)
        ]
        backup = [
            b
            for b, _, _ in colder
            if b.backup_share_pct is not None
            and b.backup_share_pct >= cfg.backup_share * 100.0
            and (b.room_minus_target_k or 0.0) <= cfg.warm_k
        ]
        warm = all(
            b.room_minus_target_k is not None
            and b.room_minus_target_k > cfg.warm_k
            and warm_share >= cfg.warm_share
            for b, warm_share, _ in qualifying
        )
        change: float | None = None
        reason: AdviceReason | None = None
        if cold or backup:
            reason = AdviceReason.ROOMS_COLD if cold else AdviceReason.BACKUP_HEATER
            # A shift moves every band alike: the median need (by hours) of the bands whose rooms
            # are below target decides (all of them when the whole curve is low).
            wanted = [
                median
                for median in (
                    _weighted_median(
                        [
                            (needed[int(b.low_c)], b.hours)
                            for b, _, _ in qualifying
                            if int(b.low_c) in needed and needed[int(b.low_c)] > 0.0
                        ]
                    ),
                )
                if median is not None
            ]
            for b in backup:
                share = min((b.backup_share_pct or 0.0) / 100.0, 0.5)
                room = means[int(b.low_c)][0]
                if b.flow_c is not None and room is not None:
                    wanted.append(max(b.flow_c - room, 0.0) * share / (1.0 - share))
            change = max(wanted, default=None)
            advice = Advice.RAISE
        elif warm:
            reason = AdviceReason.ROOMS_WARM
            # A shift moves every band alike: the median band's need (by hours) decides, so
            # no band ends further from its target than the bands' spread.
            change = _weighted_median(
                [
                    (needed[int(b.low_c)], b.hours)
                    for b, _, _ in qualifying
                    if int(b.low_c) in needed
                ]
            )
            advice = Advice.LOWER
        else:
            advice = Advice.OK
        if advice is not Advice.OK:
            change = self._rounded(change)
            if (
                change is None
                or change == 0.0
                or (advice is Advice.LOWER) != (change < 0)
            ):
                return replace(base, advice=Advice.OK)
            gain, basis = self._cop_gain(change, qualifying, means, curve_bands)
            return replace(
                base,
                advice=advice,
                reason=reason,
                change_k=change,
                cop_gain_pct=gain,
                cop_basis=basis,
            )
        return replace(base, advice=Advice.OK)

    def _rounded(self, change: float | None) -> float | None:
        cfg = self.config
        if change is None or not math.isfinite(change):
            return None
        step = cfg.step_k
        rounded = round(change / step) * step
        return float(min(max(rounded, -cfg.max_change_k), cfg.max_change_k)) + 0.0

    def _needed(
        self,
        qualifying: list[tuple[BandEvidence, float, float]],
        means: dict[int, tuple[float | None, float]],
    ) -> dict[int, float]:
        """Flow change per qualifying band that brings its rooms to target, from the heat balance.

        Heat demand Q = UA·(room - out) - gains; emitter output Q = K·(flow - room). Bringing the room
        to target changes Q by UA·Δroom, so the flow moves by Δroom·(1 + UA·(flow - room)/Q).
        """
        points = []
        for b, _, _ in qualifying:
            room, out = means[int(b.low_c)]
            if room is None or b.demand_kw is None or b.demand_kw <= 0.0:
                continue
            points.append((room - out, b.demand_kw, b.hours))
        ua = _fit_ua(points, self.config.min_fit_demand_span_k)
        needed = {}
        for b, _, _ in qualifying:
            room, out = means[int(b.low_c)]
            if (
                room is None
                or b.flow_c is None
                or b.demand_kw is None
                or b.demand_kw <= 0.0
            ):
                continue
            if b.room_minus_target_k is None:
                continue
            delta_room = -b.room_minus_target_k
            # Without a fit the gains count as 0: UA = Q / (room - out).
            band_ua = ua if ua is not None else b.demand_kw / max(room - out, 1.0)
            factor = 1.0 + band_ua * max(b.flow_c - room, 0.0) / b.demand_kw
            needed[int(b.low_c)] = delta_room * min(factor, 4.0)
        return needed

    def _cop_gain(
        self,
        change: float,
        qualifying: list[tuple[BandEvidence, float, float]],
        means: dict[int, tuple[float | None, float]],
        curve_bands: Sequence[CopBand],
    ) -> tuple[float | None, CopBasis | None]:
        """Expected relative change of the running COP (%) for a flow change of `change` K."""
        cfg = self.config
        usable: list[tuple[float, float, float, float]] = []
        for b in curve_bands:
            cop, lift = b.cop, b.lift_k
            if (
                cop is not None
                and lift is not None
                and math.isfinite(cop)
                and math.isfinite(lift)
                and math.isfinite(b.heat_kwh)
                and b.elec_kwh >= cfg.min_fit_elec_kwh
                and b.heat_kwh > 0.0
            ):
                usable.append((lift, cop, b.elec_kwh, b.heat_kwh))
        if len(usable) >= cfg.min_fit_bands:
            lifts = [u[0] for u in usable]
            fit = _weighted_line([(u[0], u[1], u[2]) for u in usable])
            if (
                max(lifts) - min(lifts) >= cfg.min_fit_lift_span_k
                and fit is not None
                and fit[1] < 0.0
            ):
                intercept, slope = fit
                heat = sum(u[3] for u in usable)
                lift_now = sum(u[0] * u[3] for u in usable) / heat
                before = intercept + slope * lift_now
                after = intercept + slope * (lift_now + change)
                if before > 1.0 and after > 0.0:
                    gain = (after / before - 1.0) * 100.0
                    return round(gain, 1), CopBasis.UNIT_DATA
        # Carnot: the unit's efficiency ratio to Carnot cancels out of a relative change.
        weights = [
            (b.flow_c, means[int(b.low_c)][1], b.running_hours)
            for b, _, _ in qualifying
            if b.flow_c is not None
        ]
        total = sum(w for _, _, w in weights)
        if total <= 0.0:
            return None, None
        flow = sum(f * w for f, _, w in weights) / total
        out = sum(o * w for _, o, w in weights) / total
        gain = carnot_cop(flow + change, out) / carnot_cop(flow, out) - 1.0
        return round(gain * 100.0, 1), CopBasis.CARNOT

    # State ----------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Serialise to JSON-ready data: the evidence cells, the setting and the recent targets."""
        return {
            "version": ADVISOR_STATE_VERSION,
            "setting": self._setting,
            "since": self._since,
            "raised_at": self._raised_at,
            "newest_day": self._newest_day,
            "targets": [[t, v] for t, v in self._targets],
            "cells": [
                [c.day, c.low, *c.values()]
                for c in sorted(self._cells.values(), key=lambda c: (c.day, c.low))
            ],
        }

    @classmethod
    def from_dict(
        cls, raw: Any, config: AdvisorConfig | None = None
    ) -> HeatingCurveAdvisor:
        """Restore, checking every field by type and range; StateError says what is wrong."""
        data = as_dict(raw, "advisor")
        if data.get("version") != ADVISOR_STATE_VERSION:
            raise StateError(
                f"unsupported advisor state version: {short(data.get('version'))}"
            )
        advisor = cls(config)

        def get(key: str) -> Any:
            return field_of(data, key, "advisor")

        advisor._setting = opt_text(get("setting"), "advisor.setting", 100)
        advisor._since = opt_num(get("since"), "advisor.since", 0.0, MAX_T)
        advisor._raised_at = opt_num(get("raised_at"), "advisor.raised_at", 0.0, MAX_T)
        newest = integer(get("newest_day"), "advisor.newest_day", 0, _DAY_MAX)
        advisor._newest_day = newest
        for item in as_list(get("targets"), "advisor.targets", _TARGETS_KEPT):
            pair = as_list(item, "advisor.targets[]", 2)
            if len(pair) != 2:
                raise StateError("advisor.targets[] needs 2 values")
            advisor._targets.append(
                (
                    num(pair[0], "advisor.targets[].time", 0.0, MAX_T),
                    num(pair[1], "advisor.targets[].c", 5.0, 35.0),
                )
            )
        max_cells = advisor.config.window_days * ((HIGHEST_C - LOWEST_C) // 2 + 1)
        for item in as_list(get("cells"), "advisor.cells", max_cells):
            values = as_list(item, "advisor.cells[]", 2 + len(_SUMS))
            if len(values) != 2 + len(_SUMS):
                raise StateError(
                    f"advisor.cells[] needs {2 + len(_SUMS)} values, got {len(values)}"
                )
            day = integer(values[0], "advisor.cells[].day", _DAY_MIN, _DAY_MAX)
            low = integer(values[1], "advisor.cells[].low", LOWEST_C, HIGHEST_C)
            if low % 2:
                raise StateError(f"advisor.cells[].low={low!r} is not a band edge")
            if day > newest or (day, low) in advisor._cells:
                raise StateError(
                    f"advisor.cells[] day {day} band {low} is out of place"
                )
            cell = _Cell(day=day, low=low)
            for name, value in zip(_SUMS, values[2:], strict=True):
                low_bound, high_bound = _BOUNDS[name]
                setattr(
                    cell,
                    name,
                    num(value, f"advisor.cells[].{name}", low_bound, high_bound),
                )
            advisor._cells[(day, low)] = cell
        advisor._prune()
        return advisor


_SECONDS_A_DAY: Final = 86_400.0 * 1.01
_BOUNDS: Final[dict[str, tuple[float, float]]] = {
    "enabled_s": (0.0, _SECONDS_A_DAY),
    "out_cs": (_MIN_C * _SECONDS_A_DAY, _MAX_C * _SECONDS_A_DAY),
    "heat_j": (0.0, _MAX_W * _SECONDS_A_DAY),
    "backup_j": (0.0, _MAX_W * _SECONDS_A_DAY),
    "backup_s": (0.0, _SECONDS_A_DAY),
    "occupied_s": (0.0, _SECONDS_A_DAY),
    "dev_ks": (-100.0 * _SECONDS_A_DAY, 100.0 * _SECONDS_A_DAY),
    "room_cs": (-20.0 * _SECONDS_A_DAY, 50.0 * _SECONDS_A_DAY),
    "warm_s": (0.0, _SECONDS_A_DAY),
    "cold_s": (0.0, _SECONDS_A_DAY),
    "running_s": (0.0, _SECONDS_A_DAY),
    "flow_cs": (0.0, 80.0 * _SECONDS_A_DAY),
}


def _weighted_median(values: list[tuple[float, float]]) -> float | None:
    """Return the weighted median of (value, weight) pairs, None without any."""
    ordered = sorted(values)
    total = sum(w for _, w in ordered)
    running = 0.0
    for value, weight in ordered:
        running += weight
        if running >= total / 2.0:
            return value
    return None


def _weighted_line(
    points: list[tuple[float, float, float]],
) -> tuple[float, float] | None:
    """Least-squares line y = a + b·x through (x, y, weight) points; None when x does not vary."""
    total = sum(w for _, _, w in points)
    if total <= 0.0:
        return None
    mx = sum(x * w for x, _, w in points) / total
    my = sum(y * w for _, y, w in points) / total
    sxx = sum(w * (x - mx) ** 2 for x, _, w in points)
    if sxx <= 1e-9:
        return None
    slope = sum(w * (x - mx) * (y - my) for x, y, w in points) / sxx
    return my - slope * mx, slope


def _fit_ua(
    points: list[tuple[float, float, float]], min_span_k: float
) -> float | None:
    """UA (kW/K) from demand against (room - outdoor) across bands: Q = UA·x - gains.

    None when the bands do not span enough weather, or the fit is not physical (UA ≤ 0, or
    negative free gains, which would mean the house loses heat the heating does not replace).
    """
    if len(points) < 3:
        return None
    xs = [x for x, _, _ in points]
    if max(xs) - min(xs) < min_span_k:
        return None
    fit = _weighted_line(points)
    if fit is None:
        return None
    intercept, slope = fit
    if slope <= 0.0 or intercept > 0.0:
        return None
    return slope

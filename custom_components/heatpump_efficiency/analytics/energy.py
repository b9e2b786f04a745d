"""Energy between two readings: trapezoidal integration of power, or counter deltas with resets handled."""

from __future__ import annotations

from dataclasses import dataclass
import math

from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    Quantity,
    Reading,
)

from .config import EngineConfig
from .totals import Totals

# Anything faster is a glitch for a domestic heat pump, not energy (kW, electrical or thermal).
MAX_PLAUSIBLE_KW = 100.0
# A counter falling below this share of its previous value was reset; smaller drops are jitter.
RESET_RATIO = 0.5
# Backup heater power above which it counts as on when the unit reports no flag.
BACKUP_ON_W = 10.0
J_PER_KWH = 3_600_000.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Sample:
    """A reading reduced to clean numbers: unknown is None, never NaN, powers never negative where impossible."""

    t: float  # POSIX seconds
    elec_w: float | None  # all electrical input, backup included
    heat_w: float | None  # thermal output, negative while defrosting
    backup_w: float | None  # backup heater electrical power, 0 <= backup_w <= elec_w
    elec_kwh: float | None
    heat_kwh: float | None
    outdoor_c: float | None
    outdoor_rh: float | None
    flow_c: float | None
    return_c: float | None
    running: bool | None  # compressor running (flag, frequency, or power)
    # Heat pump input >= starting power: the heatpumpmonitor.org "running" sample.
    cop_running: bool
    defrost_flag: bool | None  # what the unit says; None = infer
    backup_on: bool | None
    starts_counter: int | None
    cooling: bool


def _num(value: float | None) -> float | None:
    """Return a finite float or None."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _qty(quantity: Quantity | None) -> float | None:
    """Return a quantity's finite value or None."""
    return None if quantity is None else _num(quantity.value)


def sample_from_reading(reading: Reading, config: EngineConfig) -> Sample:
    """Clean a reading into a sample; raises ValueError for a naive timestamp."""
    if reading.time.tzinfo is None or reading.time.utcoffset() is None:
        raise ValueError("Reading.time must be timezone-aware")
    elec = _qty(reading.elec_w)
    if elec is not None:
        elec = max(elec, 0.0)  # meters report small negative noise at standby
    backup = _qty(reading.backup_w)
    if backup is None and reading.backup_heater is not None:
        backup = (
            config.backup_rated_w
            if reading.backup_heater and config.backup_rated_w > 0
            else None
        )
        if not reading.backup_heater:
            backup = 0.0
    if backup is not None:
        backup = max(backup, 0.0)
        if elec is not None:
            backup = min(backup, elec)  # the model defines backup as part of elec_w
    hp_elec = None if elec is None else elec - (backup or 0.0)
    hz = _num(reading.compressor_hz)
    running: bool | None = reading.compressor_running
    if running is None and hz is not None:
        running = hz > 0
    if running is None and hp_elec is not None:
        running = hp_elec >= config.starting_power_w
    backup_on = reading.backup_heater
    if backup_on is None and backup is not None:
        backup_on = backup > BACKUP_ON_W
    elec_kwh = _qty(reading.elec_kwh)
    heat_kwh = _qty(reading.heat_kwh)
    starts = reading.compressor_starts
    return Sample(
        t=reading.time.timestamp(),
        elec_w=elec,
        heat_w=_qty(reading.heat_w),
        backup_w=backup,
        elec_kwh=elec_kwh if elec_kwh is not None and elec_kwh >= 0 else None,
        heat_kwh=heat_kwh if heat_kwh is not None and heat_kwh >= 0 else None,
        outdoor_c=_num(reading.outdoor_c),
        outdoor_rh=_num(reading.outdoor_rh),
        flow_c=_num(reading.flow_c),
        return_c=_num(reading.return_c),
        running=running,
        cop_running=hp_elec is not None and hp_elec >= config.starting_power_w,
        defrost_flag=reading.defrost,
        backup_on=backup_on,
        starts_counter=starts if starts is not None and starts >= 0 else None,
        cooling=reading.mode is OperatingMode.COOL,
    )


def counter_delta(
    reference: float, current: float, max_delta: float
) -> tuple[float, float]:
    """Return (increase, new reference) for a cumulative counter; never negative.

    A drop to below half the reference is a reset (or wrap): the counter's new value is what accrued
    since. Smaller drops are meter jitter: nothing accrued and the higher reference is kept so the
    jitter is not counted twice. Implausible jumps count as nothing.
    """
    if current >= reference:
        delta = current - reference
        return (delta, current) if delta <= max_delta else (0.0, current)
    if current < reference * RESET_RATIO:
        return (current, current) if current <= max_delta else (0.0, current)
    return 0.0, reference


def _halves(
    p0: float | None, p1: float | None, dt: float
) -> tuple[float, float] | None:
    """Split a trapezoid into the half-intervals owned by each endpoint (kWh)."""
    if p0 is None or p1 is None:
        return None
    return p0 * dt / 2 / J_PER_KWH, p1 * dt / 2 / J_PER_KWH


def _flag(value: bool | None) -> float:
    """Map a flag to the share of a half-interval it claims."""
    return 1.0 if value else 0.0


@dataclass(slots=True)
class CounterRefs:
    """References of the cumulative energy counters, kept across readings (and restarts)."""

    elec_kwh: float | None = None
    heat_kwh: float | None = None


def integrate(
    prev: Sample,
    cur: Sample,
    refs: CounterRefs,
    config: EngineConfig,
    *,
    defrost_prev: bool,
    defrost_cur: bool,
) -> Totals:
    """Return the continuous totals of the interval between two samples, updating the counter refs.

    Each endpoint owns half the interval, so sums are trapezoidal and a sample's classification
    (running, defrost) applies to exactly the half it owns, as heatpumpmonitor.org does per sample.
    """
    dt = cur.t - prev.t
    out = Totals()
    gap = dt > config.max_gap_s
    max_delta = MAX_PLAUSIBLE_KW * dt / 3600

    elec_counter: float | None = None
    if cur.elec_kwh is not None:
        if refs.elec_kwh is not None:
            elec_counter, refs.elec_kwh = counter_delta(
                refs.elec_kwh, cur.elec_kwh, max_delta
            )
        else:
            refs.elec_kwh = cur.elec_kwh
    heat_counter: float | None = None
    if cur.heat_kwh is not None:
        if refs.heat_kwh is not None:
            heat_counter, refs.heat_kwh = counter_delta(
                refs.heat_kwh, cur.heat_kwh, max_delta
            )
        else:
            refs.heat_kwh = cur.heat_kwh
    if prev.elec_kwh is None:
        # The counter only just appeared: the interval has no start value.
        elec_counter = None
    if prev.heat_kwh is None:
        heat_counter = None

    elec_h = None if gap else _halves(prev.elec_w, cur.elec_w, dt)
    heat_h = None if gap else _halves(prev.heat_w, cur.heat_w, dt)
    backup_h = None if gap else _halves(prev.backup_w or 0.0, cur.backup_w or 0.0, dt)
    run0, run1 = (
        (0.0, 0.0) if gap else (_flag(prev.cop_running), _flag(cur.cop_running))
    )

    elec = (
        elec_counter
        if elec_counter is not None
        else (None if elec_h is None else elec_h[0] + elec_h[1])
    )
    heat = (
        heat_counter
        if heat_counter is not None
        else (None if heat_h is None else heat_h[0] + heat_h[1])
    )

    if elec is None or heat is None:
        out.gap_s = dt
        return out
    if gap:
        # Counters bridged the gap: energy counts, but no running or defrost split.
        out.gap_s = dt
    else:
        out.data_s = dt

    out.elec_kwh = elec
    out.heat_kwh = heat
    out.running_elec_kwh = _running_share(elec, elec_h, run0, run1)
    out.running_heat_kwh = _running_share(heat, heat_h, run0, run1)
    if backup_h is not None:
        backup = min(backup_h[0] + backup_h[1], elec)
        out.backup_kwh = backup
        out.running_backup_kwh = min(
            backup_h[0] * run0 + backup_h[1] * run1, out.running_elec_kwh
        )

    neg = 0.0
    lost = 0.0
    if heat_h is not None:
        neg0, neg1 = -min(heat_h[0], 0.0), -min(heat_h[1], 0.0)
        neg = neg0 + neg1
        if not (prev.cooling or cur.cooling):
            lost = neg0 * _flag(defrost_prev) + neg1 * _flag(defrost_cur)
    out.heat_gross_kwh = max(heat + neg, 0.0)
    out.defrost_lost_kwh = lost

    if not gap:
        half = dt / 2
        out.running_s = half * (_flag(prev.running) + _flag(cur.running))
        out.backup_s = half * (_flag(prev.backup_on) + _flag(cur.backup_on))
        out.defrost_s = half * (_flag(defrost_prev) + _flag(defrost_cur))
        for temp in (prev.outdoor_c, cur.outdoor_c):
            if temp is not None:
                out.outdoor_cs += temp * half
                out.outdoor_s += half
    return out


def _running_share(
    total: float, halves: tuple[float, float] | None, run0: float, run1: float
) -> float:
    """Return the part of an interval's energy that belongs to running samples."""
    if halves is not None:
        whole = halves[0] + halves[1]
        running = halves[0] * run0 + halves[1] * run1
        if whole == total:
            return running
        if whole > 0:
            # a counter gave the total: split it like the power did
            return total * min(max(running / whole, 0.0), 1.0)
    return total * (run0 + run1) / 2

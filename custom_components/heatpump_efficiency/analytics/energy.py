"""Energy between two readings: trapezoidal power or counter deltas, split by mode, checked for plausibility."""

from __future__ import annotations

from dataclasses import dataclass
import math

from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    Quantity,
    Reading,
)

from .config import EngineConfig
from .counters import Counters, CounterStep, StepKind
from .meters import COOL, DHW, SPACE, Meters
from .totals import Totals

# Temperatures outside this range are sensor faults (°C).
MIN_PLAUSIBLE_C = -100.0
MAX_PLAUSIBLE_C = 150.0
# A counter beyond this is a glitch whatever the unit (kWh).
MAX_COUNTER_KWH = 1e9
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
    dhw: bool = False  # heating domestic hot water (never together with cooling)


def _num(value: float | None) -> float | None:
    """Return a finite float or None."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


class _Checker:
    """Cleans raw values and counts those that had to be dropped as implausible."""

    __slots__ = ("rejected",)

    def __init__(self) -> None:
        """Start with nothing rejected."""
        self.rejected = 0

    def within(self, value: float | None, low: float, high: float) -> float | None:
        """Return the value if finite and within [low, high], else None (counted when present)."""
        if value is None:
            return None
        number = float(value)
        if math.isfinite(number) and low <= number <= high:
            return number
        self.rejected += 1
        return None

    def qty(self, quantity: Quantity | None, low: float, high: float) -> float | None:
        """Return a quantity's value within [low, high], else None."""
        return None if quantity is None else self.within(quantity.value, low, high)


def category(sample: Sample) -> int:
    """Return the mode category of a sample: hot water, cooling or space heating (standby included)."""
    if sample.dhw:
        return DHW
    return COOL if sample.cooling else SPACE


def _cooling(reading: Reading) -> bool:
    """Return whether the unit is cooling: its own flag where it has one, else the mode setting."""
    if reading.cooling_active is not None:
        return reading.cooling_active and reading.mode is not OperatingMode.OFF
    return reading.mode is OperatingMode.COOL


def sample_from_reading(reading: Reading, config: EngineConfig) -> Sample:
    """Clean a reading into a sample; raises ValueError for a naive timestamp."""
    return clean_reading(reading, config)[0]


def clean_reading(reading: Reading, config: EngineConfig) -> tuple[Sample, int]:
    """Clean a reading into a sample and count the values dropped as implausible.

    Non-finite values and powers beyond the configured limits become unknown: one absurd sample
    must never reach a total. Raises ValueError for a naive timestamp.
    """
    if reading.time.tzinfo is None or reading.time.utcoffset() is None:
        raise ValueError("Reading.time must be timezone-aware")
    check = _Checker()
    max_elec_w = config.max_elec_kw * 1000
    max_heat_w = config.max_heat_kw * 1000
    elec = check.qty(reading.elec_w, -max_elec_w, max_elec_w)
    if elec is not None:
        elec = max(elec, 0.0)  # meters report small negative noise at standby
    backup = check.qty(reading.backup_w, -max_elec_w, max_elec_w)
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
    hz = check.within(reading.compressor_hz, 0.0, 1000.0)
    running: bool | None = reading.compressor_running
    if running is None and hz is not None:
        running = hz > 0
    if running is None and hp_elec is not None:
        running = hp_elec >= config.starting_power_w
    backup_on = reading.backup_heater
    if backup_on is None and backup is not None:
        backup_on = backup > BACKUP_ON_W
    starts = reading.compressor_starts
    dhw = reading.dhw_active is True
    return (
        Sample(
            t=reading.time.timestamp(),
            elec_w=elec,
            heat_w=check.qty(reading.heat_w, -max_heat_w, max_heat_w),
            backup_w=backup,
            elec_kwh=check.qty(reading.elec_kwh, 0.0, MAX_COUNTER_KWH),
            heat_kwh=check.qty(reading.heat_kwh, 0.0, MAX_COUNTER_KWH),
            outdoor_c=check.within(reading.outdoor_c, MIN_PLAUSIBLE_C, MAX_PLAUSIBLE_C),
            outdoor_rh=check.within(reading.outdoor_rh, 0.0, 100.0),
            flow_c=check.within(reading.flow_c, MIN_PLAUSIBLE_C, MAX_PLAUSIBLE_C),
            return_c=check.within(reading.return_c, MIN_PLAUSIBLE_C, MAX_PLAUSIBLE_C),
            running=running,
            cop_running=hp_elec is not None and hp_elec >= config.starting_power_w,
            defrost_flag=reading.defrost,
            backup_on=backup_on,
            starts_counter=starts
            if starts is not None and 0 <= starts <= MAX_STARTS
            else None,
            cooling=_cooling(reading) and not dhw,
            dhw=dhw,
        ),
        check.rejected,
    )


# A lifetime start counter beyond this is a glitch (a million starts a year for a thousand years).
MAX_STARTS = 10**9


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


def _energy(
    step: CounterStep, halves: tuple[float, float] | None, start: float
) -> tuple[float | None, bool]:
    """Return an interval's energy (None = unknown) and whether it covers exactly this interval."""
    if step.kind is StepKind.COUNTED and step.kwh is not None:
        return step.kwh, step.since == start
    if step.kind in (StepKind.HELD, StepKind.REJECTED):
        # The counter's next rise covers this interval: power must not count it as well.
        return None, False
    if halves is not None:
        return halves[0] + halves[1], True
    if step.kind is StepKind.RESET:
        return step.kwh, False
    return None, False


def _split(total: float, halves: tuple[float, float] | None) -> tuple[float, float]:
    """Split an interval's energy between its two halves like the power did (evenly without power)."""
    if halves is not None:
        whole = halves[0] + halves[1]
        if whole == total:
            return halves
        if whole > 0 and halves[0] >= 0 and halves[1] >= 0:
            # The share first: total * a underflows when the powers are tiny; the halves add up exactly.
            first = total * (halves[0] / whole)
            return first, total - first
    return total / 2, total / 2


@dataclass(slots=True)
class Interval:
    """What one interval adds: continuous totals for the ledger and the samples rejected in it."""

    totals: Totals
    rejected: int


def integrate(
    prev: Sample,
    cur: Sample,
    counters: Counters,
    meters: Meters,
    config: EngineConfig,
    *,
    defrost_prev: bool,
    defrost_cur: bool,
) -> Interval:
    """Return the totals of the interval between two samples; update the counters and meters.

    Each endpoint owns half the interval, so sums are trapezoidal and a sample's classification
    (running, defrost, mode) applies to exactly the half it owns, as heatpumpmonitor.org does per
    sample. A counter is the truth for its energy across gaps of any length; COP figures only get
    intervals where electricity and heat cover the same span.
    """
    dt = cur.t - prev.t
    out = Totals()
    gap = dt > config.max_gap_s
    e_step = counters.elec.advance(cur.elec_kwh, cur.t, config.max_elec_kw)
    h_step = counters.heat.advance(cur.heat_kwh, cur.t, config.max_heat_kw)
    rejected = (e_step.kind is StepKind.REJECTED) + (h_step.kind is StepKind.REJECTED)

    elec_h = None if gap else _halves(prev.elec_w, cur.elec_w, dt)
    heat_h = None if gap else _halves(prev.heat_w, cur.heat_w, dt)
    backup_h = None if gap else _halves(prev.backup_w or 0.0, cur.backup_w or 0.0, dt)
    cats = (category(prev), category(cur))
    elec, elec_exact = _energy(e_step, elec_h, prev.t)
    heat, heat_exact = _energy(h_step, heat_h, prev.t)
    if heat is not None and COOL in cats and heat_h is None:
        # A heat counter says nothing about heat removed: cooling needs the thermal power.
        heat, heat_exact = None, False

    e = (0.0, 0.0) if elec is None else _split(elec, elec_h)
    q = (0.0, 0.0) if heat is None else _split(heat, heat_h)
    b = (
        (0.0, 0.0)
        if backup_h is None or elec is None
        else (min(backup_h[0], e[0]), min(backup_h[1], e[1]))
    )
    if elec is not None:
        meters.add_elec(cats[0], e[0])
        meters.add_elec(cats[1], e[1])
        meters.add_backup(b[0] + b[1])
        out.total_elec_kwh = elec
    if heat is not None:
        for i in (0, 1):
            if cats[i] == COOL:
                meters.add_heat(COOL, -q[i])
            else:
                extra = 0.0 if config.heat_includes_backup else b[i]
                meters.add_heat(cats[i], q[i] + extra)

    if elec is None or heat is None or not (elec_exact and heat_exact):
        out.unmatched_elec_kwh = out.total_elec_kwh
        out.gap_s = dt
        return Interval(out, rejected)
    if gap:
        # Counters bridged the gap: energy counts, but no running or defrost split.
        out.gap_s = dt
    else:
        out.data_s = dt

    run = (0.0, 0.0) if gap else (_flag(prev.cop_running), _flag(cur.cop_running))
    defrost = (_flag(defrost_prev), _flag(defrost_cur))
    for i in (0, 1):
        if cats[i] == COOL:
            out.cool_elec_kwh += e[i]
            out.cool_kwh += max(-q[i], 0.0)
            continue
        out.elec_kwh += e[i]
        out.heat_kwh += q[i]
        out.backup_kwh += b[i]
        out.running_elec_kwh += e[i] * run[i]
        out.running_heat_kwh += q[i] * run[i]
        out.running_backup_kwh += b[i] * run[i]
        neg = 0.0 if heat_h is None else -min(heat_h[i], 0.0)
        out.heat_gross_kwh += max(q[i] + neg, 0.0)
        out.defrost_lost_kwh += neg * defrost[i]
        if cats[i] == DHW:
            out.dhw_elec_kwh += e[i]
            out.dhw_heat_kwh += q[i]
            out.dhw_backup_kwh += b[i]
    out.running_backup_kwh = min(out.running_backup_kwh, out.running_elec_kwh)

    if not gap:
        half = dt / 2
        out.running_s = half * (_flag(prev.running) + _flag(cur.running))
        out.backup_s = half * (_flag(prev.backup_on) + _flag(cur.backup_on))
        out.defrost_s = half * (defrost[0] + defrost[1])
        for temp in (prev.outdoor_c, cur.outdoor_c):
            if temp is not None:
                out.outdoor_cs += temp * half
                out.outdoor_s += half
    return Interval(out, rejected)

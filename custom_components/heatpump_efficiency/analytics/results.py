"""The frozen results of one engine update: what every entity reads."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, cast


class Quality(StrEnum):
    """Why a period's figures deserve less trust; no flags means good."""

    NO_DATA = "no_data"
    LOW_ENERGY = "low_energy"  # less electricity than quality_min_elec_kwh
    LOW_RUNTIME = "low_runtime"  # less compressor runtime than quality_min_running_h
    GAPS = "gaps"  # more missing time than quality_max_gap_pct
    # More than quality_max_gap_pct of the electricity was counted while heat was unknown (a meter
    # across an outage): COP covers only the intervals where both are known.
    UNMATCHED = "unmatched"
    REJECTED = "rejected"  # implausible samples were dropped (counted as unknown)
    # A reading came from the future, or the engine re-anchored after the clock went back.
    CLOCK = "clock"


class DefrostReason(StrEnum):
    """Which rule made defrosting excessive."""

    # Two consecutive defrosts after too few running minutes.
    SHORT_INTERVAL = "short_interval"
    RATE = "rate"  # too many defrosts per running hour
    LONG = "long"  # one defrost lasted too long
    WARM = "warm"  # a defrost in air too warm to frost the coil
    HEAT_LOSS = "heat_loss"  # defrosts took too much of the day's heat for the weather


class FilterReason(StrEnum):
    """Why the filter is due."""

    RUNTIME = "runtime"
    CALENDAR = "calendar"
    # COP fell below the unit's own baseline at comparable weather.
    COP_DRIFT = "cop_drift"


class CyclingReason(StrEnum):
    """Why the compressor is short cycling."""

    STARTS = "starts"  # too many starts per hour over 24 h
    SHORT_RUNS = "short_runs"  # median run too short


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodStats:
    """Energy, COP and event figures of one period; heat pump figures exclude the backup heater.

    Heating figures (elec_kwh, heat_kwh, the COPs, running and system figures) are space heating plus
    hot water over intervals where both electricity and heat are known; cooling is never in them.
    """

    elec_kwh: float  # heat pump electricity while heating (space + hot water)
    heat_kwh: float  # heat pump heat, net of defrost
    cop_combined: float | None  # heat_kwh / elec_kwh; None when too little electricity
    running_elec_kwh: float  # while input >= starting power
    running_heat_kwh: float
    cop_running: float | None
    system_elec_kwh: float  # heat pump + backup heater electricity
    system_heat_kwh: float  # heat pump + backup heater heat (backup at COP 1)
    cop_system: float | None
    backup_kwh: float
    backup_hours: float
    backup_share_pct: float | None  # backup heat as % of all delivered heat
    defrost_count: int
    defrost_hours: float
    defrost_max_minutes: float  # longest completed defrost
    defrost_heat_lost_kwh: float
    defrost_heat_lost_pct: float | None  # % of gross heat produced
    compressor_starts: int
    running_hours: float
    data_hours: float
    gap_hours: float
    outdoor_mean_c: float | None  # time-weighted
    quality: tuple[Quality, ...]  # empty = good
    # Space heating and hot water apart (heat pump only, matched intervals); they add up to the
    # heating figures above. Hot water stays 0 where the unit does not say when it heats water.
    space_elec_kwh: float
    space_heat_kwh: float
    cop_space: float | None
    dhw_elec_kwh: float
    dhw_heat_kwh: float
    cop_dhw: float | None
    # Cooling: heat removed (positive) and electricity over intervals where both are known.
    cooling_kwh: float
    cooling_elec_kwh: float
    eer: float | None
    # All electricity counted in the period (every mode, backup included, with or without heat known).
    total_elec_kwh: float
    # The part of total_elec_kwh counted while heat was unknown: in no COP.
    unmatched_elec_kwh: float
    rejected_samples: int  # implausible samples dropped in the period


@dataclass(frozen=True, slots=True, kw_only=True)
class DefrostResults:
    """Defrost state, today's figures and the weather-judged alert."""

    active: bool
    inferred: bool  # True when the unit has no defrost flag and the engine infers it
    count_today: int
    current_minutes: float | None  # length so far of the defrost in progress
    last_minutes: float | None  # duration of the last completed defrost
    max_minutes_today: float
    # Compressor-running minutes between the last two defrosts.
    last_interval_running_min: float | None
    # Compressor-running minutes since the last defrost ended.
    running_min_since_last: float | None
    heat_lost_today_kwh: float
    heat_lost_today_pct: float | None
    excessive: bool
    reason: DefrostReason | None
    reason_detail: str | None  # English detail for logs, diagnostics and the replay CLI
    # Start of the current alert episode (for a repair after a day).
    excessive_since: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class FilterResults:
    """Filter maintenance: runtime and calendar since cleaning, remaining, due and why."""

    due: bool
    reason: FilterReason | None
    last_cleaned: datetime | None
    running_hours_since_clean: float
    days_since_clean: float
    running_hours_remaining: float
    days_remaining: float  # calendar limit only
    # The sooner of calendar and runtime (at the last 7 days' runtime).
    remaining_days_estimate: float
    due_since: datetime | None
    overdue_days: float  # 0 until due; a repair may appear above 7
    # Recent COP vs baseline at comparable outdoor temperature (negative = worse).
    cop_drift_pct: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CyclingResults:
    """Compressor starts and run lengths over the rolling 24 h, and the short-cycling alert."""

    running: bool | None
    current_run_minutes: float | None
    last_run_minutes: float | None
    runs_completed: int  # lifetime count of completed runs (to follow runs one by one)
    starts_24h: int
    starts_per_hour: float | None  # over the hours with data in the last 24 h
    median_run_minutes: float | None  # completed runs ending in the last 24 h
    short_cycling: bool
    reason: CyclingReason | None


@dataclass(frozen=True, slots=True, kw_only=True)
class BackupResults:
    """Backup heater state now and its use today and this season."""

    active: bool | None
    power_w: float | None
    today_kwh: float
    today_hours: float
    today_share_pct: float | None  # backup heat as % of all heat delivered today
    season_kwh: float
    season_share_pct: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class EnergyMeters:
    """Lifetime energies for total_increasing sensors: finite, never decreasing (kWh).

    Electricity follows the counter where there is one (across gaps of any length) and includes
    every mode; heat is heating heat (space + hot water, backup heat included as system heat) and
    a defrost dip is held until the compressor has put the heat back. Cooling is a separate
    positive figure, never subtracted from heat.
    """

    elec_kwh: float  # all electricity, every mode
    space_elec_kwh: (
        float  # electricity while not heating water and not cooling (standby included)
    )
    dhw_elec_kwh: float  # electricity while heating water
    cooling_elec_kwh: float  # electricity while cooling
    backup_kwh: float  # backup heater electricity (part of elec_kwh)
    heat_kwh: float  # heating heat delivered (space + hot water)
    space_heat_kwh: float
    dhw_heat_kwh: float
    cooling_kwh: float  # heat removed while cooling


@dataclass(frozen=True, slots=True, kw_only=True)
class Results:
    """Everything the engine knows after an update; entities read from here only."""

    time: datetime | None  # time of the last accepted reading
    today_date: date | None
    elec_w: float | None
    heat_w: float | None
    today: PeriodStats
    yesterday: PeriodStats
    rolling_24h: PeriodStats
    rolling_7d: PeriodStats
    rolling_30d: PeriodStats
    season: PeriodStats  # current heating season: SCOP
    last_season: PeriodStats | None
    lifetime: PeriodStats
    defrost: DefrostResults
    filter: FilterResults
    cycling: CyclingResults
    backup: BackupResults
    # Readings older than the last one (out of order or duplicated).
    ignored_readings: int
    meters: EnergyMeters
    # Implausible samples (power or counter step beyond the limits, non-finite, from the future)
    # dropped since the engine started: each counts as unknown.
    rejected_samples: int
    # Input quality over the last 24 h: REJECTED and/or CLOCK; empty = clean.
    quality: tuple[Quality, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable view (for diagnostics and the replay CLI)."""
        return cast("dict[str, Any]", jsonable(self))


def jsonable(value: Any) -> Any:
    """Convert dataclasses, enums, dates and tuples to JSON-compatible values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value

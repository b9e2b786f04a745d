"""Period COP as heatpumpmonitor.org defines it: sum of heat over sum of electricity, never a mean of ratios."""

from __future__ import annotations

import math

from .config import EngineConfig
from .results import PeriodStats, Quality
from .totals import Totals

# No heat pump reaches this: a larger (or negative) ratio means the two sides do not match.
MAX_COP = 15.0


def ratio(numerator: float, denominator: float, min_denominator: float) -> float | None:
    """Return numerator / denominator within 0..MAX_COP, or None when it cannot mean anything."""
    if denominator <= 0 or denominator < min_denominator:
        return None
    value = numerator / denominator
    return value if 0.0 <= value <= MAX_COP else None


def _pct(part: float, whole: float) -> float | None:
    """Return part as a percentage of whole, None without a whole (or for a vanishing one)."""
    if whole <= 0:
        return None
    value = 100.0 * part / whole
    return value if math.isfinite(value) else None


def period_stats(totals: Totals, config: EngineConfig) -> PeriodStats:
    """Turn a period's totals into the COP figures, energy split and quality flags entities show.

    Heat pump figures exclude the backup heater; "system" figures include it at COP 1.
    """
    backup_heat = totals.backup_kwh
    hp_elec = max(totals.elec_kwh - totals.backup_kwh, 0.0)
    run_elec = max(totals.running_elec_kwh - totals.running_backup_kwh, 0.0)
    if config.heat_includes_backup:
        hp_heat = totals.heat_kwh - totals.backup_kwh
        run_heat = totals.running_heat_kwh - totals.running_backup_kwh
        system_heat = totals.heat_kwh
    else:
        hp_heat = totals.heat_kwh
        run_heat = totals.running_heat_kwh
        system_heat = totals.heat_kwh + backup_heat
    system_elec = totals.elec_kwh
    minimum = config.cop_min_elec_kwh

    flags: list[Quality] = []
    span = totals.data_s + totals.gap_s
    if span <= 0:
        flags.append(Quality.NO_DATA)
    else:
        if hp_elec < config.quality_min_elec_kwh:
            flags.append(Quality.LOW_ENERGY)
        if totals.running_s < config.quality_min_running_h * 3600:
            flags.append(Quality.LOW_RUNTIME)
        if 100.0 * totals.gap_s / span > config.quality_max_gap_pct:
            flags.append(Quality.GAPS)
        if totals.total_elec_kwh > 0 and (
            100.0 * totals.unmatched_elec_kwh / totals.total_elec_kwh
            > config.quality_max_gap_pct
        ):
            flags.append(Quality.UNMATCHED)
    if totals.rejected > 0:
        flags.append(Quality.REJECTED)
    if totals.clock > 0:
        flags.append(Quality.CLOCK)
    gross = totals.heat_gross_kwh
    # Hot water apart, with the same backup convention as the heating figures.
    dhw_elec = max(totals.dhw_elec_kwh - totals.dhw_backup_kwh, 0.0)
    dhw_heat = (
        totals.dhw_heat_kwh - totals.dhw_backup_kwh
        if config.heat_includes_backup
        else totals.dhw_heat_kwh
    )
    space_elec = max(hp_elec - dhw_elec, 0.0)
    space_heat = hp_heat - dhw_heat

    return PeriodStats(
        elec_kwh=hp_elec,
        heat_kwh=hp_heat,
        cop_combined=ratio(hp_heat, hp_elec, minimum),
        running_elec_kwh=run_elec,
        running_heat_kwh=run_heat,
        cop_running=ratio(run_heat, run_elec, minimum),
        system_elec_kwh=system_elec,
        system_heat_kwh=system_heat,
        cop_system=ratio(system_heat, system_elec, minimum),
        backup_kwh=totals.backup_kwh,
        backup_hours=totals.backup_s / 3600,
        backup_share_pct=_pct(backup_heat, system_heat) if system_heat > 0 else None,
        defrost_count=round(totals.defrosts),
        defrost_hours=totals.defrost_s / 3600,
        defrost_max_minutes=totals.defrost_max_s / 60,
        defrost_heat_lost_kwh=totals.defrost_lost_kwh,
        defrost_heat_lost_pct=_pct(totals.defrost_lost_kwh, gross),
        compressor_starts=round(totals.starts),
        running_hours=totals.running_s / 3600,
        data_hours=totals.data_s / 3600,
        gap_hours=totals.gap_s / 3600,
        outdoor_mean_c=None
        if totals.outdoor_s <= 0
        else totals.outdoor_cs / totals.outdoor_s,
        quality=tuple(flags),
        space_elec_kwh=space_elec,
        space_heat_kwh=space_heat,
        cop_space=ratio(space_heat, space_elec, minimum),
        dhw_elec_kwh=dhw_elec,
        dhw_heat_kwh=dhw_heat,
        cop_dhw=ratio(dhw_heat, dhw_elec, minimum),
        cooling_kwh=totals.cool_kwh,
        cooling_elec_kwh=totals.cool_elec_kwh,
        eer=ratio(totals.cool_kwh, totals.cool_elec_kwh, minimum),
        total_elec_kwh=totals.total_elec_kwh,
        unmatched_elec_kwh=totals.unmatched_elec_kwh,
        rejected_samples=round(totals.rejected),
    )

"""Backup heater figures: on time, energy and its share of the delivered heat."""

from __future__ import annotations

from .results import BackupResults, PeriodStats


def backup_results(
    active: bool | None, power_w: float | None, today: PeriodStats, season: PeriodStats
) -> BackupResults:
    """Collect the backup heater figures entities show from the period statistics."""
    return BackupResults(
        active=active,
        power_w=power_w,
        today_kwh=today.backup_kwh,
        today_hours=today.backup_hours,
        today_share_pct=today.backup_share_pct,
        season_kwh=season.backup_kwh,
        season_share_pct=season.backup_share_pct,
    )

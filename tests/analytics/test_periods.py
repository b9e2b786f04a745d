"""Tests of the period ledger: local days, rolling windows, seasons and bounded memory."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from custom_components.heatpump_efficiency.analytics.periods import (
    DAYS_KEPT,
    HOURS_KEPT,
    Ledger,
    season_key,
)
from custom_components.heatpump_efficiency.analytics.totals import Totals

LONDON = ZoneInfo("Europe/London")


def energy(kwh: float) -> Totals:
    return Totals(elec_kwh=kwh, data_s=1.0)


def ts(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, *, tz: tzinfo = UTC
) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=tz).timestamp()


def test_interval_over_local_midnight_is_split_pro_rata() -> None:
    ledger = Ledger(LONDON, 9, 1)
    # 23:30 to 00:30 local time in summer (UTC+1)
    ledger.add_interval(
        ts(2025, 6, 1, 23, 30, tz=LONDON), ts(2025, 6, 2, 0, 30, tz=LONDON), energy(1.0)
    )
    assert ledger.today_date == date(2025, 6, 2)
    assert ledger.today.elec_kwh == pytest.approx(0.5)
    assert ledger.yesterday.elec_kwh == pytest.approx(0.5)
    assert ledger.lifetime.elec_kwh == pytest.approx(1.0)


def test_days_follow_the_local_zone_across_dst() -> None:
    ledger = Ledger(LONDON, 9, 1)
    start = datetime(2025, 3, 29, 12, tzinfo=UTC)  # DST starts 30 March 01:00 UTC
    for hour in range(48):
        t = (start + timedelta(hours=hour)).timestamp()
        ledger.add_interval(t, t + 3600, energy(1.0))
    days = {date.fromordinal(k): tot.elec_kwh for k, tot in ledger.days}
    assert days[date(2025, 3, 30)] == pytest.approx(23.0)  # the short day
    assert sum(days.values()) == pytest.approx(48.0)


def test_rolling_windows_and_bounded_rings() -> None:
    ledger = Ledger(UTC, 9, 1)
    start = ts(2025, 1, 1)
    for hour in range(24 * 40):
        t = start + hour * 3600
        ledger.add_interval(t, t + 3600, energy(1.0))
    assert len(ledger.hours) == HOURS_KEPT
    assert len(ledger.days) == DAYS_KEPT
    # the last interval ends exactly at midnight: today has just begun
    assert ledger.today.elec_kwh == 0
    assert ledger.yesterday.elec_kwh == pytest.approx(24.0)
    assert ledger.rolling_24h().elec_kwh == pytest.approx(23.0)
    assert ledger.rolling_7d().elec_kwh == pytest.approx(6 * 24.0)
    assert ledger.rolling_30d().elec_kwh == pytest.approx(29 * 24.0)
    assert ledger.lifetime.elec_kwh == pytest.approx(24.0 * 40)


def test_yesterday_is_empty_after_a_missing_day() -> None:
    ledger = Ledger(UTC, 9, 1)
    ledger.add_point(ts(2025, 1, 1, 12), energy(1.0))
    ledger.add_point(ts(2025, 1, 3, 12), energy(2.0))
    assert ledger.yesterday.elec_kwh == 0
    assert ledger.today.elec_kwh == 2.0
    assert ledger.rolling_7d().elec_kwh == 3.0


def test_season_rolls_on_its_start_day() -> None:
    ledger = Ledger(UTC, 9, 1)
    ledger.add_point(ts(2025, 8, 31, 12), energy(5.0))
    assert ledger.season.elec_kwh == 5.0
    ledger.add_point(ts(2025, 9, 1, 0, 1), energy(1.0))
    assert ledger.season.elec_kwh == 1.0
    assert ledger.last_season is not None
    assert ledger.last_season.elec_kwh == 5.0
    assert ledger.lifetime.elec_kwh == 6.0


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2025, 8, 31), 2024), (date(2025, 9, 1), 2025), (date(2026, 2, 1), 2025)],
)
def test_season_key(day: date, expected: int) -> None:
    assert season_key(day, 9, 1) == expected
    assert season_key(date(2025, 3, 1), 2, 29) == 2025  # 29 Feb clamps to 28 Feb


def test_round_trip_keeps_windows() -> None:
    ledger = Ledger(UTC, 9, 1)
    start = ts(2025, 1, 1)
    for hour in range(100):
        t = start + hour * 3600
        ledger.add_interval(t, t + 1800, energy(1.0))
    restored = Ledger.from_dict(ledger.to_dict(), UTC, 9, 1)
    assert restored.rolling_24h() == ledger.rolling_24h()
    assert restored.rolling_7d() == ledger.rolling_7d()
    assert restored.to_dict() == ledger.to_dict()

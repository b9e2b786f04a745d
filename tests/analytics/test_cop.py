"""Tests of period COP: sums not averages, running vs combined, system COP with backup, quality."""

from __future__ import annotations

import pytest

from custom_components.heatpump_efficiency.analytics.config import EngineConfig
from custom_components.heatpump_efficiency.analytics.cop import period_stats, ratio
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.analytics.results import Quality
from custom_components.heatpump_efficiency.analytics.totals import Totals

from .synth import reading


def test_period_cop_is_a_ratio_of_sums_not_a_mean_of_ratios() -> None:
    engine = Engine()
    # one hour at 2 kW and COP 2, one hour at 0.5 kW and COP 5
    for minute in range(61):
        engine.update(reading(minute, 2000, 4000))
    for minute in range(61, 122):
        results = engine.update(reading(minute, 500, 2500))
    cop = results.today.cop_combined
    assert cop is not None
    assert cop == pytest.approx(
        (4.0 + 2.5 + 3.25 / 60) / (2.0 + 0.5 + 1.25 / 60), rel=1e-3
    )
    assert cop < 3.0  # the mean of instantaneous COPs would be 3.5


def test_combined_includes_standby_running_does_not() -> None:
    engine = Engine()
    for minute in range(60):
        engine.update(reading(minute, 1000, 3000))
    for minute in range(60, 600):
        results = engine.update(reading(minute, 20, 0))
    today = results.today
    assert today.cop_running == pytest.approx(3.0, rel=0.01)
    assert today.cop_combined is not None
    assert today.cop_running is not None
    assert today.cop_combined < today.cop_running
    assert today.elec_kwh > today.running_elec_kwh


def test_no_cop_with_too_little_electricity() -> None:
    assert ratio(1.0, 0.1, 0.2) is None
    assert ratio(1.0, 0.0, 0.0) is None
    stats = period_stats(
        Totals(elec_kwh=0.1, heat_kwh=0.3, data_s=3600), EngineConfig()
    )
    assert stats.cop_combined is None
    assert Quality.LOW_ENERGY in stats.quality
    assert Quality.LOW_RUNTIME in stats.quality
    assert period_stats(Totals(), EngineConfig()).quality == (Quality.NO_DATA,)


def test_gaps_flag() -> None:
    stats = period_stats(
        Totals(elec_kwh=5, heat_kwh=15, data_s=3600, gap_s=3600, running_s=7200),
        EngineConfig(),
    )
    assert stats.quality == (Quality.GAPS,)
    assert stats.gap_hours == 1


@pytest.mark.parametrize("includes", [True, False])
def test_system_cop_counts_backup_at_cop_one(includes: bool) -> None:
    # 2 kWh heat pump at COP 3 plus 1 kWh backup heater
    heat = 6.0 + (1.0 if includes else 0.0)
    totals = Totals(
        elec_kwh=3.0, heat_kwh=heat, backup_kwh=1.0, data_s=3600, running_s=3600
    )
    stats = period_stats(totals, EngineConfig(heat_includes_backup=includes))
    assert stats.cop_combined == pytest.approx(3.0)
    assert stats.cop_system == pytest.approx(7.0 / 3.0)
    assert stats.backup_share_pct == pytest.approx(100 / 7)
    assert stats.elec_kwh == pytest.approx(2.0)
    assert stats.system_elec_kwh == pytest.approx(3.0)

"""Tests of the engine configuration: defaults, bounds and options round trip."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest

from custom_components.heatpump_efficiency.analytics.config import (
    EngineConfig,
    option_bounds,
)


def test_defaults_are_the_issues() -> None:
    config = EngineConfig()
    assert config.starting_power_w == 150
    assert config.season_start_month == 9
    assert config.season_start_day == 1
    assert config.defrost_min_interval_min == 30
    assert config.defrost_max_per_running_h == 2
    assert config.defrost_max_minutes == 15
    assert config.defrost_max_outdoor_c == 7
    assert (config.frost_band_low_c, config.frost_band_high_c) == (-2, 6)
    assert config.defrost_loss_max_pct == 3
    assert config.defrost_loss_max_pct_frost == 15
    assert config.filter_interval_running_h == 720
    assert config.filter_interval_days == 30
    assert config.filter_drift_pct == 10
    assert config.cycling_max_starts_per_h == 1
    assert config.cycling_min_median_run_min == 15
    assert config.timezone is UTC


def test_every_default_is_inside_its_bound() -> None:
    config = EngineConfig()
    bounds = option_bounds()
    assert set(bounds) == set(config.to_options()) - {"heat_includes_backup"}
    for name, bound in bounds.items():
        assert bound.minimum <= getattr(config, name) <= bound.maximum, name
        assert bound.step > 0
        assert bound.doc


@pytest.mark.parametrize(
    "changes",
    [
        {"starting_power_w": -1.0},
        {"filter_interval_days": 0.0},
        {"frost_band_low_c": 5.0, "frost_band_high_c": 4.0},
        {"season_start_month": 2, "season_start_day": 30},
        {"season_start_month": 13},
    ],
)
def test_invalid_values_are_rejected(changes: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        EngineConfig().with_changes(**changes)


def test_options_round_trip_and_unknown_keys() -> None:
    zone = ZoneInfo("Europe/Berlin")
    config = EngineConfig(starting_power_w=200.0, cycling_min_runs=4, timezone=zone)
    options = config.to_options()
    assert "timezone" not in options
    restored = EngineConfig.from_options(
        {**options, "no_such_option": 1}, timezone=zone
    )
    assert restored == config
    # Stored options may come back as strings or ints from a form.
    assert EngineConfig.from_options({"max_gap_s": "600"}).max_gap_s == 600.0
    assert EngineConfig.from_options({"cycling_min_runs": 3.0}).cycling_min_runs == 3


def test_plausibility_limits_are_options_with_bounds() -> None:
    config = EngineConfig()
    assert (config.max_elec_kw, config.max_heat_kw) == (30, 100)
    bounds = option_bounds()
    assert (bounds["max_elec_kw"].unit, bounds["max_heat_kw"].unit) == ("kW", "kW")
    tighter = EngineConfig.from_options({"max_elec_kw": "9", "max_heat_kw": 25})
    assert (tighter.max_elec_kw, tighter.max_heat_kw) == (9.0, 25.0)
    for value in (0, 1000):
        with pytest.raises(ValueError, match="max_elec_kw"):
            EngineConfig.from_options({"max_elec_kw": value})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_heat_kw": "abc"}, "not a number"),
        ({"max_heat_kw": float("nan")}, "not a finite number"),
        ({"max_elec_kw": float("inf")}, "not a finite number"),
        ({"max_elec_kw": None}, "not a number"),
        ({"max_elec_kw": True}, "not a number"),
        ({"cycling_min_runs": 2.5}, "not a whole number"),
    ],
)
def test_invalid_options_say_what_is_wrong(
    options: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        EngineConfig.from_options(options)

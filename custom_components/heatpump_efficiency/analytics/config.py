"""Every threshold of the analytics engine, with its default and the bounds an options form allows."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, tzinfo
import math
from typing import Any, Final


@dataclass(frozen=True, slots=True)
class Bound:
    """Allowed range, step and unit of one numeric option (for an options flow or CLI flags)."""

    minimum: float
    maximum: float
    step: float
    unit: str | None
    doc: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineConfig:
    """Configuration of one engine; every option a user may change, with its default."""

    # Where "today" starts; not a user option: the coordinator passes HA's time zone.
    timezone: tzinfo = UTC

    # Energy and COP
    starting_power_w: float = 150.0
    # Plausibility limits: a power sample or counter rate above these is a glitch and counts as unknown.
    max_elec_kw: float = 30.0
    max_heat_kw: float = 100.0
    max_gap_s: float = 900.0
    cop_min_elec_kwh: float = 0.2
    quality_min_elec_kwh: float = 1.0
    quality_min_running_h: float = 1.0
    quality_max_gap_pct: float = 10.0
    # True when heat_w is metered downstream of the backup heater (typical monobloc).
    heat_includes_backup: bool = True
    backup_rated_w: float = 0.0
    season_start_month: int = 9
    season_start_day: int = 1

    # Defrost judgement
    defrost_min_interval_min: float = 30.0
    defrost_max_per_running_h: float = 2.0
    defrost_max_minutes: float = 15.0
    defrost_max_outdoor_c: float = 7.0
    frost_band_low_c: float = -2.0
    frost_band_high_c: float = 6.0
    defrost_humid_rh: float = 80.0
    defrost_loss_max_pct: float = 3.0
    defrost_loss_max_pct_frost: float = 15.0
    defrost_loss_min_heat_kwh: float = 3.0
    defrost_alert_hold_h: float = 24.0

    # Filter maintenance
    filter_interval_running_h: float = 720.0
    filter_interval_days: float = 30.0
    filter_drift_pct: float = 10.0
    filter_drift_bin_c: float = 2.0
    filter_drift_baseline_kwh: float = 5.0
    filter_drift_window_kwh: float = 5.0
    filter_drift_min_kwh: float = 3.0

    # Short cycling
    cycling_max_starts_per_h: float = 1.0
    cycling_min_median_run_min: float = 15.0
    cycling_min_hours: float = 6.0
    cycling_min_runs: int = 6

    def __post_init__(self) -> None:
        """Reject values outside their bounds and inconsistent combinations."""
        for name, bound in OPTION_BOUNDS.items():
            value = getattr(self, name)
            if not bound.minimum <= value <= bound.maximum:
                raise ValueError(
                    f"{name}={value} outside [{bound.minimum}, {bound.maximum}]"
                )
        if self.frost_band_low_c >= self.frost_band_high_c:
            raise ValueError("frost_band_low_c must be below frost_band_high_c")
        # 2000 is a leap year, so 29 February is accepted and clamped in other years.
        if (
            self.season_start_day
            > calendar.monthrange(2000, self.season_start_month)[1]
        ):
            raise ValueError("season_start_day does not exist in season_start_month")

    def to_options(self) -> dict[str, Any]:
        """Return the user options as JSON-serialisable values (the time zone is excluded)."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name != "timezone"
        }

    @classmethod
    def from_options(
        cls, options: Mapping[str, Any], *, timezone: tzinfo = UTC
    ) -> EngineConfig:
        """Build a config from stored options (unknown keys ignored, missing ones default); ValueError if invalid."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in options.items():
            if key not in known or key == "timezone":
                continue
            default = known[key].default
            if isinstance(default, bool):
                values[key] = bool(value)
                continue
            number = _number(value)
            if number is None:
                raise ValueError(f"{key}={value!r} is not a number")
            if not math.isfinite(number):
                raise ValueError(f"{key}={value!r} is not a finite number")
            if isinstance(default, int):
                if not number.is_integer():
                    raise ValueError(f"{key}={value!r} is not a whole number")
                values[key] = int(number)
            else:
                values[key] = number
        return cls(timezone=timezone, **values)

    def with_changes(self, **changes: Any) -> EngineConfig:
        """Return a copy with some options changed (validated)."""
        return replace(self, **changes)


def _number(value: Any) -> float | None:
    """Return an option value as a float, None when it is not a number (booleans are not)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return float(value)
    except ValueError:
        return None


# Bounds for the options flow and the replay CLI flags, keyed by EngineConfig field name.
OPTION_BOUNDS: Final[dict[str, Bound]] = {
    "starting_power_w": Bound(
        0,
        2000,
        10,
        "W",
        "Electrical input at or above which the compressor counts as running (running COP)",
    ),
    "max_elec_kw": Bound(
        1,
        200,
        1,
        "kW",
        "Electrical power above this is a glitch: the sample counts as unknown",
    ),
    "max_heat_kw": Bound(
        1,
        500,
        1,
        "kW",
        "Thermal power above this is a glitch: the sample counts as unknown",
    ),
    "max_gap_s": Bound(
        60, 7200, 60, "s", "Longest gap between readings that is still integrated"
    ),
    "cop_min_elec_kwh": Bound(
        0.0, 10, 0.1, "kWh", "Less electricity than this in a period gives no COP"
    ),
    "quality_min_elec_kwh": Bound(
        0.0, 50, 0.1, "kWh", "Less electricity than this flags the period as low energy"
    ),
    "quality_min_running_h": Bound(
        0.0,
        24,
        0.5,
        "h",
        "Less compressor runtime than this flags the period as low runtime",
    ),
    "quality_max_gap_pct": Bound(
        0, 100, 1, "%", "More missing time than this flags the period as having gaps"
    ),
    "backup_rated_w": Bound(
        0,
        12000,
        100,
        "W",
        "Backup heater power used when the unit only reports on/off (0 = unknown)",
    ),
    "season_start_month": Bound(1, 12, 1, None, "Month the heating season starts"),
    "season_start_day": Bound(1, 31, 1, None, "Day of month the heating season starts"),
    "defrost_min_interval_min": Bound(
        5,
        240,
        5,
        "min",
        "Defrosts closer than this many running minutes, twice in a row, alert",
    ),
    "defrost_max_per_running_h": Bound(
        0.5, 10, 0.5, "1/h", "More defrosts than this per running hour alert"
    ),
    "defrost_max_minutes": Bound(3, 60, 1, "min", "A defrost longer than this alerts"),
    "defrost_max_outdoor_c": Bound(
        0, 20, 0.5, "°C", "A defrost above this outdoor temperature alerts"
    ),
    "frost_band_low_c": Bound(
        -15, 5, 0.5, "°C", "Lower edge of the frost band (heaviest icing)"
    ),
    "frost_band_high_c": Bound(0, 15, 0.5, "°C", "Upper edge of the frost band"),
    "defrost_humid_rh": Bound(
        50,
        100,
        1,
        "%",
        "Relative humidity from which frequent defrosts in the frost band are normal",
    ),
    "defrost_loss_max_pct": Bound(
        0.5,
        50,
        0.5,
        "%",
        "Defrost heat loss above this share of the heat alerts outside the frost band",
    ),
    "defrost_loss_max_pct_frost": Bound(
        1,
        60,
        0.5,
        "%",
        "Defrost heat loss above this share of the heat alerts inside the frost band",
    ),
    "defrost_loss_min_heat_kwh": Bound(
        0.5, 100, 0.5, "kWh", "Heat needed in 24 h before the loss share is judged"
    ),
    "defrost_alert_hold_h": Bound(
        1,
        168,
        1,
        "h",
        "How long an excessive-defrost alert stays on after its last trigger",
    ),
    "filter_interval_running_h": Bound(
        24, 8760, 24, "h", "Compressor running hours between filter cleanings"
    ),
    "filter_interval_days": Bound(
        1, 365, 1, "d", "Calendar days between filter cleanings"
    ),
    "filter_drift_pct": Bound(
        2,
        50,
        1,
        "%",
        "COP this far below the unit's own baseline marks the filter due early",
    ),
    "filter_drift_bin_c": Bound(
        0.5,
        10,
        0.5,
        "°C",
        "Outdoor temperature bin width for comparing COP like with like",
    ),
    "filter_drift_baseline_kwh": Bound(
        0.5,
        100,
        0.5,
        "kWh",
        "Running electricity per bin that forms the baseline after a cleaning",
    ),
    "filter_drift_window_kwh": Bound(
        0.5,
        100,
        0.5,
        "kWh",
        "Recent running electricity per bin compared with the baseline",
    ),
    "filter_drift_min_kwh": Bound(
        0.5,
        100,
        0.5,
        "kWh",
        "Recent electricity in comparable bins needed before drift is judged",
    ),
    "cycling_max_starts_per_h": Bound(
        0.1, 12, 0.1, "1/h", "More compressor starts per hour (24 h average) alert"
    ),
    "cycling_min_median_run_min": Bound(
        1, 120, 1, "min", "A median run shorter than this alerts"
    ),
    "cycling_min_hours": Bound(
        1, 24, 1, "h", "Hours of data in the last 24 h before cycling is judged"
    ),
    "cycling_min_runs": Bound(
        1,
        96,
        1,
        None,
        "Completed runs in the last 24 h before the median run is judged",
    ),
}


def option_bounds() -> dict[str, Bound]:
    """Return the bound of every numeric option, keyed by field name, in declaration order."""
    return dict(OPTION_BOUNDS)

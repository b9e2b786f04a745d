"""Sensors: live and period COP, power and energy for the Energy dashboard, temperatures, defrost, cycling."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
import math
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    Platform,
    UnitOfEnergy,
    UnitOfFrequency,
    UnitOfPower,
    UnitOfTemperature,
    UnitOfTime,
    UnitOfVolumeFlowRate,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .analytics.advisor import Advice
from .analytics.fleet import FLEET_DESCRIPTION, FleetFigure
from .analytics.results import PeriodStats
from .coordinator import HeatpumpCoordinator, Snapshot
from .data import HeatpumpEfficiencyConfigEntry
from .entity import (
    HeatpumpEntity,
    HeatpumpEntityDescription,
    fed_descriptions,
    knows_defrost,
    measures_heat,
    reports,
)
from .pushed.coordinator import STATISTICS_PERIOD, PushedCoordinator
from .units.model import Quantity, SetpointKind

AT_PERIOD_END = math.inf
"""The `publish_step` of a ratio over a period (a COP): no change of it is news before the period ends."""

PARALLEL_UPDATES = 0  # read-only: the coordinator does all I/O
MAX_COP = 15.0  # the engine's bound for every COP and EER it publishes
UNIT_KWH_PER_DEGREE_DAY = "kWh/HDD"  # kWh per heating degree-day (K·d below the base)
MAX_HELD_DEBT_KWH = (
    2.0  # more than a long defrost takes back; larger drops are counter resets
)


@dataclass(frozen=True, kw_only=True)
class HeatpumpSensorDescription(SensorEntityDescription, HeatpumpEntityDescription):
    """A sensor described as data: how to read its value (and attributes) from a snapshot."""

    value_fn: Callable[[Snapshot], float | int | str | None]
    # A total_increasing energy that must never step back: defrost briefly takes heat back, and
    # Home Assistant's statistics would read any decrease as a meter reset.
    monotonic: bool = False
    # A statistics figure that creeps on every poll: a change is written at the last reading of each
    # 5-minute statistics period, or at once when it moved by at least this much (None: always at once;
    # AT_PERIOD_END: never earlier). A value vanishing is written at once, one appearing waits.
    publish_step: float | None = None


def publish_now(
    now: datetime, published_at: datetime, poll_interval: timedelta | None
) -> bool:
    """Return whether a held change must be written now.

    Yes at the last poll of a 5-minute statistics period (the next poll falls into the next one), so
    the recorder compiles each period from the same last value as if every poll were written; and
    always once the last write is a period old (a late poll). Without a poll interval there is no
    known next reading: changes are written at once (pushed sources flush instead, see `_write_due`).
    """
    if poll_interval is None or now - published_at >= STATISTICS_PERIOD:
        return True
    period = STATISTICS_PERIOD.total_seconds()
    return (now + poll_interval).timestamp() // period != now.timestamp() // period


def _same_period(one: datetime, other: datetime) -> bool:
    """Return whether two times fall in the same 5-minute statistics period."""
    period = STATISTICS_PERIOD.total_seconds()
    return one.timestamp() // period == other.timestamp() // period


def live_cop(snapshot: Snapshot) -> float | None:
    """Return thermal ÷ electrical power now, or None when it would mean nothing.

    No value while the compressor is off, during defrost (heat flows backwards), below the starting
    power, or when the ratio is not positive: never a fake 0 or -1.
    """
    reading = snapshot.reading
    elec_w = _plausible(reading.elec_w, snapshot.max_elec_w)
    heat_w = _plausible(reading.heat_w, snapshot.max_heat_w)
    if elec_w is None or heat_w is None:
        return None
    if snapshot.results.defrost.active or reading.compressor_running is False:
        return None
    elec = elec_w.value
    if elec <= 0 or elec < snapshot.starting_power_w:
        return None
    cop = heat_w.value / elec
    # Beyond MAX_COP the figures do not belong together (a stale or faulty sample), not a great unit.
    return round(cop, 2) if 0 < cop <= MAX_COP else None


def _plausible(quantity: Quantity | None, limit_w: float) -> Quantity | None:
    """Return a power within the plausibility limit; beyond it the sample is faulty (the engine rejects it)."""
    if quantity is None or not abs(quantity.value) <= limit_w:
        return None
    return quantity


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _power(quantity: Quantity | None) -> float | None:
    """Round a power to the source's resolution (whole watts at best): finer digits are noise."""
    if quantity is None:
        return None
    step = max(quantity.resolution or 1.0, 1.0)
    return float(round(round(quantity.value / step) * step))


def _origin_attrs(
    get: Callable[[Snapshot], Quantity | None],
) -> Callable[[Snapshot], dict[str, Any]]:
    """Say where a power figure came from (metered, reported, estimated, computed) and its resolution."""

    def attrs(snapshot: Snapshot) -> dict[str, Any]:
        quantity = get(snapshot)
        if quantity is None:
            return {}
        resolution = quantity.resolution
        return {
            "source": quantity.origin.value,
            "resolution": None if resolution is None else float(round(resolution)),
        }

    return attrs


def _period_attrs(
    period: Callable[[Snapshot], PeriodStats],
) -> Callable[[Snapshot], dict[str, Any]]:
    """Expose a period's energies, running and system COP and data quality as attributes."""

    def attrs(snapshot: Snapshot) -> dict[str, Any]:
        stats = period(snapshot)
        return {
            "electrical_energy_kwh": round(stats.elec_kwh, 3),
            "thermal_energy_kwh": round(stats.heat_kwh, 3),
            "running_cop": _rounded(stats.cop_running),
            "system_cop": _rounded(stats.cop_system),
            "backup_heater_energy_kwh": round(stats.backup_kwh, 3),
            "defrost_count": stats.defrost_count,
            "running_hours": round(stats.running_hours, 2),
            "quality": [flag.value for flag in stats.quality] or ["good"],
            # Faulty samples left out of the period (rarely changes: recorded with the state).
            "rejected_samples": stats.rejected_samples,
        }

    return attrs


def _cop(
    key: str, period: Callable[[Snapshot], PeriodStats], *, enabled: bool = True
) -> HeatpumpSensorDescription:
    """Describe a period COP sensor: Σheat ÷ Σelectricity, never an average of instant values."""
    return HeatpumpSensorDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_registry_enabled_default=enabled,
        value_fn=lambda s: _rounded(period(s).cop_combined),
        attr_fn=_period_attrs(period),
        has_fn=measures_heat,
        publish_step=AT_PERIOD_END,
    )


def _temperature(
    key: str,
    value_fn: Callable[[Snapshot], float | None],
    has_fn: Callable[[Snapshot], bool],
    *,
    enabled: bool = True,
) -> HeatpumpSensorDescription:
    return HeatpumpSensorDescription(
        has_fn=has_fn,
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        entity_registry_enabled_default=enabled,
        value_fn=value_fn,
    )


def _feeds_cooling(snapshot: Snapshot) -> bool:
    """Return whether cooling can be measured: the mode says when, the thermal power how much."""
    return reports("mode", "heat_w")(snapshot)


def _splits_heating(snapshot: Snapshot) -> bool:
    """Return whether the unit says if it heats hot water or the rooms (HeishaMon's three-way valve)."""
    return reports("dhw_active")(snapshot)


def _splits_heat(snapshot: Snapshot) -> bool:
    """Return whether heat can be split into space heating and hot water."""
    fields = snapshot.capabilities.reported_fields
    return _splits_heating(snapshot) and bool({"heat_w", "heat_kwh"} & fields)


def _ratio(
    key: str,
    period: Callable[[Snapshot], PeriodStats],
    ratio: Callable[[PeriodStats], float | None],
    energies: Callable[[PeriodStats], tuple[float, float]],
    has_fn: Callable[[Snapshot], bool],
) -> HeatpumpSensorDescription:
    """Describe a split COP or EER: Σheat ÷ Σelectricity of one mode, with those energies as attributes."""

    def attrs(snapshot: Snapshot) -> dict[str, Any]:
        stats = period(snapshot)
        elec, heat = energies(stats)
        return {
            "electrical_energy_kwh": round(elec, 3),
            "thermal_energy_kwh": round(heat, 3),
            "quality": [flag.value for flag in stats.quality] or ["good"],
        }

    return HeatpumpSensorDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda s: _rounded(ratio(period(s))),
        attr_fn=attrs,
        has_fn=has_fn,
        publish_step=AT_PERIOD_END,
    )


def _space(stats: PeriodStats) -> tuple[float, float]:
    return stats.space_elec_kwh, stats.space_heat_kwh


def _dhw(stats: PeriodStats) -> tuple[float, float]:
    return stats.dhw_elec_kwh, stats.dhw_heat_kwh


def _cooling(stats: PeriodStats) -> tuple[float, float]:
    return stats.cooling_elec_kwh, stats.cooling_kwh


def without_heat(snapshot: Snapshot) -> bool:
    """Return whether the source gives no heat: then no COP exists, and degree-day figures stand in."""
    return not measures_heat(snapshot)


def _per_degree_day(
    key: str, value_fn: Callable[[Snapshot], float | None]
) -> HeatpumpSensorDescription:
    """Describe an electricity-per-heating-degree-day sensor (kWh per kelvin-day below the base)."""
    return HeatpumpSensorDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UNIT_KWH_PER_DEGREE_DAY,
        suggested_display_precision=2,
        value_fn=lambda s: _rounded(value_fn(s), 3),
        has_fn=without_heat,
        publish_step=AT_PERIOD_END,
    )


def _feeds_backup(snapshot: Snapshot) -> bool:
    """Return whether backup heater energy can be known: its power, or its on/off state."""
    fields = snapshot.capabilities.reported_fields
    return "backup_w" in fields or "backup_heater" in fields


def _energy(
    key: str,
    value_fn: Callable[[Snapshot], float | None],
    *,
    monotonic: bool = False,
    has_fn: Callable[[Snapshot], bool] = lambda _: True,
) -> HeatpumpSensorDescription:
    return HeatpumpSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=value_fn,
        monotonic=monotonic,
        publish_step=1.0,
        has_fn=has_fn,
    )


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def _advises(snapshot: Snapshot) -> bool:
    """Return whether the advisor can judge: a flow temperature, heat, and a room temperature."""
    return (
        reports("flow_c")(snapshot)
        and measures_heat(snapshot)
        and snapshot.feeds_room_temperature
    )


def _advice_change(snapshot: Snapshot) -> float | None:
    """The suggested change in kelvin: 0 when the curve is right, unknown without enough data."""
    advice = snapshot.advice
    if advice.advice is Advice.OK:
        return 0.0
    return advice.change_k


def _advice_attrs(snapshot: Snapshot) -> dict[str, Any]:
    """Why, and how much evidence: days and outdoor bands (these change about once a day)."""
    advice = snapshot.advice
    since = advice.evidence_since
    return {
        "reason": None if advice.reason is None else advice.reason.value,
        "days": advice.days,
        "outdoor_bands": advice.bands,
        "evidence_since": None if since is None else since.isoformat(),
    }


def _change_attrs(snapshot: Snapshot) -> dict[str, Any]:
    """What the change applies to: the heating curve's shift, or the flow temperature set directly."""
    kind = snapshot.capabilities.setpoint_kind
    return {
        "applies_to": "curve_shift"
        if kind is SetpointKind.CURVE_SHIFT
        else "flow_temperature"
    }


def _fleet_attrs(snapshot: Snapshot) -> dict[str, Any]:
    """Each figure's rank in whole percent, the flow class's expected SPF and what the fleet is."""
    fleet = snapshot.fleet
    klass = fleet.flow_class
    return {
        "status": fleet.status.value,
        **{
            f"{figure.value}_rank": _whole(fleet.rank_of(figure))
            for figure in FleetFigure
            if figure is not FleetFigure.SPF
        },
        "flow_temperature_class": None if klass is None else klass.key,
        "expected_spf": fleet.expected_spf,
        "spf_rank_in_flow_temperature_class": _whole(fleet.spf_rank_in_flow_class_pct),
        "fleet": FLEET_DESCRIPTION,
    }


SENSORS: tuple[HeatpumpSensorDescription, ...] = (
    # Live figures
    HeatpumpSensorDescription(
        key="cop_live",
        translation_key="cop_live",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=live_cop,
        has_fn=reports("elec_w", "heat_w"),
    ),
    HeatpumpSensorDescription(
        key="thermal_power",
        translation_key="thermal_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=lambda s: _power(_plausible(s.reading.heat_w, s.max_heat_w)),
        has_fn=reports("heat_w"),
        attr_fn=_origin_attrs(lambda s: s.reading.heat_w),
    ),
    HeatpumpSensorDescription(
        key="electrical_power",
        translation_key="electrical_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=lambda s: _power(_plausible(s.reading.elec_w, s.max_elec_w)),
        has_fn=reports("elec_w"),
        attr_fn=_origin_attrs(lambda s: s.reading.elec_w),
    ),
    # Energy for the Energy dashboard (heat pump and backup heater together, as a meter sees it)
    # All electricity in every mode (the meter's figure where there is one); heat of heating only.
    _energy("electrical_energy", lambda s: round(s.results.meters.elec_kwh, 3)),
    _energy(
        "thermal_energy",
        lambda s: round(s.results.meters.heat_kwh, 3),
        monotonic=True,
        has_fn=measures_heat,
    ),
    _energy(
        "backup_heater_energy",
        lambda s: round(s.results.meters.backup_kwh, 3),
        has_fn=_feeds_backup,
    ),
    # Cooling apart, as heat removed (positive): never subtracted from the heat above.
    _energy(
        "cooling_energy",
        lambda s: round(s.results.meters.cooling_kwh, 3),
        has_fn=_feeds_cooling,
    ),
    _energy(
        "cooling_electrical_energy",
        lambda s: round(s.results.meters.cooling_elec_kwh, 3),
        has_fn=_feeds_cooling,
    ),
    # Space heating and hot water apart, where the unit says which it serves.
    _energy(
        "space_heating_energy",
        lambda s: round(s.results.meters.space_heat_kwh, 3),
        has_fn=_splits_heat,
    ),
    _energy(
        "space_heating_electrical_energy",
        lambda s: round(s.results.meters.space_elec_kwh, 3),
        has_fn=_splits_heating,
    ),
    _energy(
        "hot_water_energy",
        lambda s: round(s.results.meters.dhw_heat_kwh, 3),
        has_fn=_splits_heat,
    ),
    _energy(
        "hot_water_electrical_energy",
        lambda s: round(s.results.meters.dhw_elec_kwh, 3),
        has_fn=_splits_heating,
    ),
    # Temperatures and hydraulics
    _temperature(
        "outdoor_temperature", lambda s: s.reading.outdoor_c, reports("outdoor_c")
    ),
    _temperature("flow_temperature", lambda s: s.reading.flow_c, reports("flow_c")),
    _temperature(
        "return_temperature", lambda s: s.reading.return_c, reports("return_c")
    ),
    _temperature(
        "flow_target_temperature",
        lambda s: s.reading.flow_target_c,
        reports("flow_target_c"),
        enabled=False,
    ),
    _temperature(
        "dhw_temperature", lambda s: s.reading.dhw_c, reports("dhw_c"), enabled=False
    ),
    HeatpumpSensorDescription(
        key="flow_rate",
        translation_key="flow_rate",
        device_class=SensorDeviceClass.VOLUME_FLOW_RATE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfVolumeFlowRate.LITERS_PER_MINUTE,
        suggested_display_precision=1,
        value_fn=lambda s: s.reading.flow_lpm,
        has_fn=reports("flow_lpm"),
    ),
    HeatpumpSensorDescription(
        key="compressor_frequency",
        translation_key="compressor_frequency",
        device_class=SensorDeviceClass.FREQUENCY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfFrequency.HERTZ,
        suggested_display_precision=0,
        value_fn=lambda s: s.reading.compressor_hz,
        has_fn=reports("compressor_hz"),
    ),
    HeatpumpSensorDescription(
        key="compressor_starts",
        translation_key="compressor_starts",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda s: s.reading.compressor_starts,
        has_fn=reports("compressor_starts"),
    ),
    HeatpumpSensorDescription(
        key="operating_hours",
        translation_key="operating_hours",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfTime.HOURS,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda s: s.reading.operating_hours,
        has_fn=reports("operating_hours"),
    ),
    # Period COP: Σheat ÷ Σelectricity (heatpumpmonitor.org's combined COP)
    _cop("cop_today", lambda s: s.results.today),
    _cop("cop_yesterday", lambda s: s.results.yesterday),
    _cop("cop_24h", lambda s: s.results.rolling_24h),
    _cop("cop_7d", lambda s: s.results.rolling_7d),
    _cop("cop_30d", lambda s: s.results.rolling_30d, enabled=False),
    _cop("scop", lambda s: s.results.season),
    _cop("cop_lifetime", lambda s: s.results.lifetime, enabled=False),
    # Space heating and hot water apart (heatpumpmonitor.org reports both), and cooling's EER
    _ratio(
        "cop_space_heating_today",
        lambda s: s.results.today,
        lambda p: p.cop_space,
        _space,
        _splits_heat,
    ),
    _ratio(
        "cop_space_heating_7d",
        lambda s: s.results.rolling_7d,
        lambda p: p.cop_space,
        _space,
        _splits_heat,
    ),
    _ratio(
        "cop_hot_water_today",
        lambda s: s.results.today,
        lambda p: p.cop_dhw,
        _dhw,
        _splits_heat,
    ),
    _ratio(
        "cop_hot_water_7d",
        lambda s: s.results.rolling_7d,
        lambda p: p.cop_dhw,
        _dhw,
        _splits_heat,
    ),
    _ratio(
        "eer_today",
        lambda s: s.results.today,
        lambda p: p.eer,
        _cooling,
        _feeds_cooling,
    ),
    _ratio(
        "eer_7d",
        lambda s: s.results.rolling_7d,
        lambda p: p.eer,
        _cooling,
        _feeds_cooling,
    ),
    # Defrost
    HeatpumpSensorDescription(
        key="defrosts_today",
        translation_key="defrosts_today",
        has_fn=knows_defrost,
        state_class=SensorStateClass.TOTAL,
        value_fn=lambda s: s.results.defrost.count_today,
    ),
    HeatpumpSensorDescription(
        key="last_defrost_duration",
        translation_key="last_defrost_duration",
        has_fn=knows_defrost,
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=1,
        value_fn=lambda s: _rounded(s.results.defrost.last_minutes, 1),
    ),
    HeatpumpSensorDescription(
        key="minutes_between_defrosts",
        translation_key="minutes_between_defrosts",
        has_fn=knows_defrost,
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=lambda s: _rounded(s.results.defrost.last_interval_running_min, 0),
    ),
    HeatpumpSensorDescription(
        key="defrost_heat_lost_today",
        translation_key="defrost_heat_lost_today",
        has_fn=measures_heat,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda s: round(s.results.defrost.heat_lost_today_kwh, 3),
        publish_step=0.5,
        attr_fn=lambda s: {
            "share_of_heat_pct": _rounded(s.results.defrost.heat_lost_today_pct, 1)
        },
    ),
    # Short cycling
    HeatpumpSensorDescription(
        key="starts_per_hour",
        translation_key="starts_per_hour",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement="1/h",
        suggested_display_precision=2,
        value_fn=lambda s: _rounded(s.results.cycling.starts_per_hour),
        attr_fn=lambda s: {"starts_24h": s.results.cycling.starts_24h},
    ),
    HeatpumpSensorDescription(
        key="median_run_time",
        translation_key="median_run_time",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=lambda s: _rounded(s.results.cycling.median_run_minutes, 1),
    ),
    # Filter
    HeatpumpSensorDescription(
        key="filter_remaining",
        translation_key="filter_remaining",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.DAYS,
        suggested_display_precision=0,
        value_fn=lambda s: round(max(0.0, s.results.filter.remaining_days_estimate), 1),
        publish_step=1.0,
        attr_fn=lambda s: {
            "running_hours_since_cleaning": round(
                s.results.filter.running_hours_since_clean, 1
            ),
            "running_hours_remaining": round(
                s.results.filter.running_hours_remaining, 1
            ),
            "days_since_cleaning": round(s.results.filter.days_since_clean, 1),
            "last_cleaned": s.results.filter.last_cleaned,
            "cop_drift_pct": _rounded(s.results.filter.cop_drift_pct, 1),
        },
    ),
    # Pre-heat
    HeatpumpSensorDescription(
        key="preheat_lead_time",
        translation_key="preheat_lead_time",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=lambda s: s.preheat_minutes,
        publish_step=10.0,
        has_fn=lambda s: s.feeds_room_temperature,
    ),
    # Backup heater
    HeatpumpSensorDescription(
        key="backup_heater_share_today",
        translation_key="backup_heater_share_today",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=1,
        value_fn=lambda s: _rounded(s.results.today.backup_share_pct, 1),
        publish_step=AT_PERIOD_END,
        has_fn=_feeds_backup,
    ),
    # Without heat measurement: electricity per heating degree-day instead of a COP
    _per_degree_day(
        "electricity_per_degree_day_today", lambda s: s.degree_days.today_kwh_per_hdd
    ),
    _per_degree_day(
        "electricity_per_degree_day_7d", lambda s: s.degree_days.week_kwh_per_hdd
    ),
    _per_degree_day(
        "electricity_per_degree_day_season",
        lambda s: s.degree_days.season_kwh_per_hdd,
    ),
    HeatpumpSensorDescription(
        key="electricity_per_degree_day_trend",
        translation_key="electricity_per_degree_day_trend",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda s: _rounded(s.degree_days.trend_pct, 1),
        has_fn=without_heat,
        publish_step=AT_PERIOD_END,
    ),
    HeatpumpSensorDescription(
        key="compressor_running_today",
        translation_key="compressor_running_today",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL,
        native_unit_of_measurement=UnitOfTime.HOURS,
        suggested_display_precision=1,
        value_fn=lambda s: round(s.results.today.running_hours, 2),
        has_fn=without_heat,
        publish_step=1.0,
    ),
    # COP against the unit's own clean-filter baseline at comparable weather (judged hourly): unknown
    # until a baseline exists, so the dashboard can leave the row out until then.
    HeatpumpSensorDescription(
        key="filter_cop_drift",
        translation_key="filter_cop_drift",
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=1,
        value_fn=lambda s: _rounded(s.results.filter.cop_drift_pct, 1),
        has_fn=measures_heat,
    ),
    # The season against the heatpumpmonitor.org fleet: whole percent, so it changes rarely.
    HeatpumpSensorDescription(
        key="fleet_rank",
        translation_key="fleet_rank",
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda s: _whole(s.fleet.spf_rank_pct),
        attr_fn=_fleet_attrs,
        has_fn=measures_heat,
    ),
    # The heating-curve advisor: judged every quarter hour from the last fortnight, so these change
    # rarely; no state class (advice, not a measurement to keep statistics of).
    HeatpumpSensorDescription(
        key="heating_curve_advice",
        translation_key="heating_curve_advice",
        device_class=SensorDeviceClass.ENUM,
        options=[advice.value for advice in Advice],
        value_fn=lambda s: s.advice.advice.value,
        attr_fn=_advice_attrs,
        has_fn=_advises,
    ),
    HeatpumpSensorDescription(
        key="heating_curve_change",
        translation_key="heating_curve_change",
        native_unit_of_measurement=UnitOfTemperature.KELVIN,
        suggested_display_precision=1,
        value_fn=_advice_change,
        attr_fn=_change_attrs,
        has_fn=_advises,
    ),
    HeatpumpSensorDescription(
        key="heating_curve_cop_change",
        translation_key="heating_curve_cop_change",
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=1,
        value_fn=lambda s: s.advice.cop_gain_pct,
        attr_fn=lambda s: {
            "basis": None if s.advice.cop_basis is None else s.advice.cop_basis.value
        },
        has_fn=_advises,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the sensors of one heat pump."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        HeatpumpSensor(coordinator, description)
        for description in fed_descriptions(hass, coordinator, Platform.SENSOR, SENSORS)
    )


class HeatpumpSensor(HeatpumpEntity, RestoreSensor):
    """A sensor reading its value from the coordinator's snapshot."""

    entity_description: HeatpumpSensorDescription
    # Figures for the more-info dialog that move on every poll: kept out of the recorder's attribute rows.
    _unrecorded_attributes = frozenset(
        {
            "electrical_energy_kwh",
            "thermal_energy_kwh",
            "backup_heater_energy_kwh",
            "running_cop",
            "system_cop",
            "defrost_count",
            "running_hours",
            "resolution",
            "share_of_heat_pct",
            "starts_24h",
            "running_hours_since_cleaning",
            "running_hours_remaining",
            "days_since_cleaning",
            "cop_drift_pct",
        }
    )

    def __init__(
        self, coordinator: HeatpumpCoordinator, description: HeatpumpSensorDescription
    ) -> None:
        """Create the sensor."""
        super().__init__(coordinator, description)
        self._floor: float | None = (
            None  # highest value shown so far, for monotonic sensors
        )
        self._published: float | None = None  # the value last written, for publish_step
        self._published_at: datetime | None = None

    def _shown_state(self) -> Any:
        """Return the native value: the state follows from it (a unit or precision option change writes).

        Far cheaper than `state`, which validates and converts on every call.
        """
        return self.native_value

    def _write_due(self, shown: tuple[Any, ...]) -> bool:
        """Hold a statistics figure's small change until the last reading of its statistics period.

        Unknown stays held as well (only its attributes moved), and so does a figure appearing; a
        figure vanishing, moving by `publish_step` or the entity becoming (un)available is written at
        once, so a held value is never one that no longer exists.
        """
        step = self.entity_description.publish_step
        raw = self.native_value
        value = float(raw) if isinstance(raw, (int, float)) else None
        now = dt_util.utcnow()
        published, published_at = self._published, self._published_at
        due = (
            step is None
            or published_at is None
            or shown[0] != (self._written or (None,))[0]
            or (value is None and published is not None)
            or (
                value is not None
                and published is not None
                and abs(value - published) >= step
            )
        )
        if (
            not due
            and published_at is not None
            and self._period_closing(now, published_at)
        ):
            # Only attributes moved and this period has its row already (a value vanished in it):
            # they wait for the next period's end.
            due = not (value == published and _same_period(now, published_at))
            if not due:
                self._published_at = now
        if due:
            self._published, self._published_at = value, now
        return due

    def _period_closing(self, now: datetime, published_at: datetime) -> bool:
        """Return whether this reading is the last of its statistics period (or the period's flush)."""
        coordinator = self.coordinator
        if isinstance(coordinator, PushedCoordinator):
            return coordinator.period_closing
        return publish_now(now, published_at, coordinator.update_interval)

    @callback
    def _async_flush(self) -> None:
        """Write the held value before the statistics period ends (pushed sources)."""
        if self.hass is not None and self.entity_id:
            self._handle_coordinator_update()

    async def async_added_to_hass(self) -> None:
        """Restore the last shown value of a monotonic energy so a restart never steps back."""
        await super().async_added_to_hass()
        if (
            self.entity_description.monotonic
            and (last := await self.async_get_last_sensor_data()) is not None
            and isinstance(last.native_value, (int, float))
        ):
            self._floor = float(last.native_value)
        # The platform writes the first state right after this; a statistics figure counts it as
        # published, so its first small change waits for the end of the period like any other.
        self._written = self._shown()
        raw = self.native_value
        self._published = float(raw) if isinstance(raw, (int, float)) else None
        self._published_at = dt_util.utcnow()
        coordinator = self.coordinator
        if self.entity_description.publish_step is not None and isinstance(
            coordinator, PushedCoordinator
        ):
            self.async_on_remove(
                coordinator.async_add_flush_listener(self._async_flush)
            )

    @property
    def native_value(self) -> float | int | str | None:
        """Return the value from the latest snapshot."""
        value = self.entity_description.value_fn(self.coordinator.data)
        if self.entity_description.monotonic and isinstance(value, (int, float)):
            # Hold the level through a defrost's small heat debt; a large drop is a real reset.
            if (
                self._floor is not None
                and self._floor - MAX_HELD_DEBT_KWH < value < self._floor
            ):
                return self._floor
            self._floor = float(value)
        return value

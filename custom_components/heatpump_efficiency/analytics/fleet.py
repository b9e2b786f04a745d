"""Place a unit's season against the heatpumpmonitor.org fleet: a percentile rank per figure.

Each figure is ranked as the share of the fleet the unit does better than (0-100 %): for the
combined SPF and the running COP higher is better, for starts per hour, flow temperature, flow minus
outdoor difference and defrost loss lower is better. Between the published percentiles (10th, 25th,
median, 75th, 90th) the rank is interpolated linearly; beyond the 10th and 90th the table says no
more, so the rank follows the outermost step and is held within 1-99 % (never "best of all").

The rank is given only when the figures are comparable with the fleet's year of well-metered data:
heat measured or computed (not only the unit's coarse estimate), at least MIN_DATA_DAYS days of data
and MIN_HEAT_KWH of heat in the season. Pure Python: no Home Assistant.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from custom_components.heatpump_efficiency.units.model import Origin, Reading

from .fleet_data import (
    DEFROST_LOSS_PCT,
    FLEET_EXPORTED,
    FLEET_SOURCE,
    FLEET_SYSTEMS,
    FLOW_C,
    FLOW_CLASSES,
    LIFT_K,
    PERCENTILES,
    RUNNING_COP,
    SPF,
    STARTS_PER_HOUR,
    Distribution,
    FlowClass,
)
from .results import PeriodStats

# Two weeks of data: shorter spans are one weather pattern, not a comparable figure.
MIN_DATA_DAYS = 14.0
# A season with less heat is dominated by standby and hot water: its SPF says little yet.
MIN_HEAT_KWH = 200.0
# The table ends at the 10th and 90th percentiles: a rank beyond is an extrapolation, kept modest.
RANK_FLOOR = 1.0
RANK_CEILING = 99.0


class FleetFigure(StrEnum):
    """The season figures placed against the fleet."""

    SPF = "spf"  # combined: space heating + hot water
    RUNNING_COP = "running_cop"
    STARTS_PER_HOUR = "starts_per_hour"
    FLOW_TEMPERATURE = "flow_temperature"
    FLOW_OUTDOOR_DIFFERENCE = "flow_outdoor_difference"
    DEFROST_LOSS = "defrost_loss"


class FleetStatus(StrEnum):
    """Whether the season can be ranked, and if not, why."""

    RANKED = "ranked"
    HEAT_ESTIMATED = (
        "heat_estimated"  # heat only from the unit's coarse estimate, or none
    )
    NOT_ENOUGH_DATA = "not_enough_data"


DISTRIBUTIONS: dict[FleetFigure, Distribution] = {
    FleetFigure.SPF: SPF,
    FleetFigure.RUNNING_COP: RUNNING_COP,
    FleetFigure.STARTS_PER_HOUR: STARTS_PER_HOUR,
    FleetFigure.FLOW_TEMPERATURE: FLOW_C,
    FleetFigure.FLOW_OUTDOOR_DIFFERENCE: LIFT_K,
    FleetFigure.DEFROST_LOSS: DEFROST_LOSS_PCT,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class FigureRank:
    """One figure of the unit, the fleet's median of it, and the share of the fleet the unit beats."""

    figure: FleetFigure
    value: float | None  # None: the unit has no such figure yet (then no rank)
    fleet_median: float
    rank_pct: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class FleetRank:
    """The season against the fleet; `spf_rank_pct` is None unless `status` is RANKED."""

    status: FleetStatus
    spf_rank_pct: float | None = None
    figures: tuple[FigureRank, ...] = ()
    flow_class: FlowClass | None = None  # from the heat-weighted flow temperature
    # The fleet's median SPF for that flow-temperature class, and where the unit stands within it.
    expected_spf: float | None = None
    spf_rank_in_flow_class_pct: float | None = None
    data_days: float = 0.0
    heat_kwh: float = 0.0

    def rank_of(self, figure: FleetFigure) -> float | None:
        """Return one figure's rank (None when it has none)."""
        return next((f.rank_pct for f in self.figures if f.figure is figure), None)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly view (diagnostics and the replay CLI), with the fleet's provenance."""
        return {
            "status": self.status.value,
            "spf_rank_pct": _round(self.spf_rank_pct, 1),
            "figures": {
                f.figure.value: {
                    "value": _round(f.value, 3),
                    "fleet_median": f.fleet_median,
                    "rank_pct": _round(f.rank_pct, 1),
                }
                for f in self.figures
            },
            "flow_class": None if self.flow_class is None else self.flow_class.key,
            "expected_spf": self.expected_spf,
            "spf_rank_in_flow_class_pct": _round(self.spf_rank_in_flow_class_pct, 1),
            "data_days": round(self.data_days, 2),
            "heat_kwh": round(self.heat_kwh, 3),
            "fleet": fleet_provenance(),
        }


# What the fleet is, in one line (an attribute next to the rank).
FLEET_DESCRIPTION = (
    f"{FLEET_SOURCE}: {FLEET_SYSTEMS} self-selected, well-metered air-source systems, "
    f"last 365 days (exported {FLEET_EXPORTED.isoformat()})"
)
# Before the first snapshot: nothing to rank yet.
NOT_RANKED = FleetRank(status=FleetStatus.NOT_ENOUGH_DATA)


def fleet_provenance() -> dict[str, Any]:
    """Return where the fleet figures come from and what kind of fleet it is."""
    return {
        "source": FLEET_SOURCE,
        "exported": FLEET_EXPORTED.isoformat(),
        "systems": FLEET_SYSTEMS,
        "period": "last 365 days",
        "self_selected": True,
        "well_metered": True,
    }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def percentile_at(
    value: float, values: tuple[float, ...], percentiles: tuple[float, ...]
) -> float:
    """Return the percentile of `value` in a distribution given at `percentiles`, held within 1-99.

    Linear between the given points; beyond the first or last, along the outermost step.
    """
    if value <= values[0]:
        low, high = 0, 1
    elif value >= values[-1]:
        low, high = len(values) - 2, len(values) - 1
    else:
        high = next(i for i, v in enumerate(values) if v >= value)
        low = high - 1
    slope = (percentiles[high] - percentiles[low]) / (values[high] - values[low])
    percentile = percentiles[low] + (value - values[low]) * slope
    return min(RANK_CEILING, max(RANK_FLOOR, percentile))


def better_than_pct(value: float, distribution: Distribution) -> float:
    """Return the share of the fleet (%) this value is better than, in the figure's direction."""
    percentile = percentile_at(value, distribution.values, PERCENTILES)
    return percentile if distribution.higher_is_better else 100.0 - percentile


def flow_class(flow_c: float) -> FlowClass:
    """Return the fleet's flow-temperature class a heat-weighted flow temperature falls in."""
    for candidate in FLOW_CLASSES:
        if candidate.high_c is None or flow_c < candidate.high_c:
            return candidate
    return FLOW_CLASSES[-1]  # pragma: no cover - the last class is open-ended


def heat_is_measured(reading: Reading) -> bool | None:
    """Return whether the reading's heat is measured or computed; None when it carries no heat.

    A heat meter, the unit's own fine figure or flow x (flow - return) count. The unit's coarse
    estimate (HeishaMon's 200 W steps) counts only where the water-side figures are there too: the
    driver then takes the estimate only where it is finer than the computed heat (high flow, idle).
    """
    heat = reading.heat_kwh or reading.heat_w
    if heat is None:
        return None
    if heat.origin is not Origin.ESTIMATED:
        return True
    return None not in (reading.flow_lpm, reading.flow_c, reading.return_c)


def season_data_days(stats: PeriodStats) -> float:
    """Return the days of data in a period (hours with data / 24)."""
    return stats.data_hours / 24.0


def starts_per_hour(stats: PeriodStats) -> float | None:
    """Return compressor starts per hour with data, heatpumpmonitor.org's definition."""
    return stats.compressor_starts / stats.data_hours if stats.data_hours > 0 else None


def rank_season(
    stats: PeriodStats,
    *,
    flow_c: float | None,
    lift_k: float | None,
    heat_measured: bool | None,
) -> FleetRank:
    """Rank a season's figures against the fleet, or say why they cannot be compared yet.

    `flow_c` and `lift_k` are the season's heat-weighted flow temperature and flow minus outdoor
    difference (from the performance curve); `heat_measured` from `heat_is_measured` (None: no
    reading with heat seen yet, which ranks nothing either).
    """
    data_days = season_data_days(stats)
    if heat_measured is not True:
        return FleetRank(
            status=FleetStatus.HEAT_ESTIMATED
            if heat_measured is False
            else FleetStatus.NOT_ENOUGH_DATA,
            data_days=data_days,
            heat_kwh=stats.heat_kwh,
        )
    spf = stats.cop_combined
    if spf is None or data_days < MIN_DATA_DAYS or stats.heat_kwh < MIN_HEAT_KWH:
        return FleetRank(
            status=FleetStatus.NOT_ENOUGH_DATA,
            data_days=data_days,
            heat_kwh=stats.heat_kwh,
        )
    values: dict[FleetFigure, float | None] = {
        FleetFigure.SPF: spf,
        FleetFigure.RUNNING_COP: stats.cop_running,
        FleetFigure.STARTS_PER_HOUR: starts_per_hour(stats),
        FleetFigure.FLOW_TEMPERATURE: flow_c,
        FleetFigure.FLOW_OUTDOOR_DIFFERENCE: lift_k,
        FleetFigure.DEFROST_LOSS: stats.defrost_heat_lost_pct,
    }
    figures = tuple(
        FigureRank(
            figure=figure,
            value=value,
            fleet_median=DISTRIBUTIONS[figure].values[2],
            rank_pct=None
            if value is None
            else better_than_pct(value, DISTRIBUTIONS[figure]),
        )
        for figure, value in values.items()
    )
    # To the 0.1 K a temperature sensor resolves: a mean of 35.0 °C readings is 35 °C, not 34.999…
    klass = None if flow_c is None else flow_class(round(flow_c, 1))
    return FleetRank(
        status=FleetStatus.RANKED,
        spf_rank_pct=better_than_pct(spf, SPF),
        figures=figures,
        flow_class=klass,
        expected_spf=None if klass is None else klass.median,
        spf_rank_in_flow_class_pct=None
        if klass is None
        else percentile_at(
            spf, (klass.p25, klass.median, klass.p75), (25.0, 50.0, 75.0)
        ),
        data_days=data_days,
        heat_kwh=stats.heat_kwh,
    )

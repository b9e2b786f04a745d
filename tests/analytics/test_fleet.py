"""The fleet benchmark: percentile ranks against heatpumpmonitor.org, checked against hand-computed figures."""

from __future__ import annotations

from datetime import UTC, datetime
import math

from hypothesis import given, strategies as st
import pytest

from custom_components.heatpump_efficiency.analytics.config import EngineConfig
from custom_components.heatpump_efficiency.analytics.cop import period_stats
from custom_components.heatpump_efficiency.analytics.fleet import (
    DISTRIBUTIONS,
    MIN_DATA_DAYS,
    MIN_HEAT_KWH,
    FleetFigure,
    FleetStatus,
    better_than_pct,
    flow_class,
    heat_is_measured,
    percentile_at,
    rank_season,
)
from custom_components.heatpump_efficiency.analytics.fleet_data import (
    FLOW_CLASSES,
    PERCENTILES,
    SPF,
    STARTS_PER_HOUR,
)
from custom_components.heatpump_efficiency.analytics.results import PeriodStats
from custom_components.heatpump_efficiency.analytics.totals import Totals
from custom_components.heatpump_efficiency.units.model import Origin, Quantity, Reading

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def season(
    *,
    elec_kwh: float = 500.0,
    heat_kwh: float = 2000.0,
    running_elec_kwh: float | None = None,
    running_heat_kwh: float | None = None,
    days: float = 30.0,
    starts: float = 144.0,
    defrost_lost_kwh: float = 30.0,
) -> PeriodStats:
    """Return a season's figures built the way the engine builds them (from totals)."""
    totals = Totals(
        elec_kwh=elec_kwh,
        heat_kwh=heat_kwh,
        running_elec_kwh=elec_kwh if running_elec_kwh is None else running_elec_kwh,
        running_heat_kwh=heat_kwh if running_heat_kwh is None else running_heat_kwh,
        heat_gross_kwh=heat_kwh + defrost_lost_kwh,
        defrost_lost_kwh=defrost_lost_kwh,
        data_s=days * 86_400.0,
        running_s=days * 86_400.0 / 2,
        starts=starts,
        total_elec_kwh=elec_kwh,
    )
    return period_stats(totals, EngineConfig())


def test_percentile_interpolates_between_published_points() -> None:
    """SPF 4.17 lies 0.17 of the 0.34 step from the median (4.00) to the 75th (4.34): 62.5 %."""
    assert percentile_at(4.00, SPF.values, PERCENTILES) == pytest.approx(50.0)
    assert percentile_at(4.17, SPF.values, PERCENTILES) == pytest.approx(62.5)
    # 3.47 is half way from the 10th (3.32) to the 25th (3.62): 17.5 %.
    assert percentile_at(3.47, SPF.values, PERCENTILES) == pytest.approx(17.5)


def test_tails_follow_the_outer_step_and_stay_within_1_to_99() -> None:
    """Beyond the 90th the 75-90 step goes on (15 points per 0.26); never 0 or 100."""
    # 4.652 is 0.052 past the 90th: 90 + 0.052 / 0.26 x 15 = 93.
    assert percentile_at(4.652, SPF.values, PERCENTILES) == pytest.approx(93.0)
    assert percentile_at(9.0, SPF.values, PERCENTILES) == 99.0
    # 3.26 is 0.06 below the 10th: 10 - 0.06 / 0.30 x 15 = 7.
    assert percentile_at(3.26, SPF.values, PERCENTILES) == pytest.approx(7.0)
    assert percentile_at(1.0, SPF.values, PERCENTILES) == 1.0


def test_lower_is_better_figures_rank_the_other_way() -> None:
    """0.20 starts an hour: 25 + 0.02 / 0.09 x 25 = 30.56th percentile, better than 69.44 %."""
    assert better_than_pct(0.20, STARTS_PER_HOUR) == pytest.approx(100 - 30.5556, 1e-3)
    assert better_than_pct(4.17, SPF) == pytest.approx(62.5)


@given(st.floats(min_value=-100, max_value=100, allow_nan=False))
def test_every_rank_is_finite_within_bounds_and_monotonic(value: float) -> None:
    """Any value ranks within 1-99, and a better value never ranks lower."""
    for distribution in DISTRIBUTIONS.values():
        rank = better_than_pct(value, distribution)
        assert math.isfinite(rank)
        assert 1.0 <= rank <= 99.0
        step = 0.01 if distribution.higher_is_better else -0.01
        assert better_than_pct(value + step, distribution) >= rank


def test_shipped_distributions_increase() -> None:
    """Every shipped distribution rises from the 10th to the 90th (interpolation needs it)."""
    for distribution in DISTRIBUTIONS.values():
        assert list(distribution.values) == sorted(set(distribution.values))
    for klass in FLOW_CLASSES:
        assert klass.p25 < klass.median < klass.p75


@pytest.mark.parametrize(
    ("flow_c", "key", "median"),
    [
        (30.0, "below_32", 4.45),
        (31.99, "below_32", 4.45),
        (32.0, "32_35", 4.17),
        (36.5, "35_38", 3.86),
        (41.9, "38_42", 3.42),
        (42.0, "42_and_above", 3.09),
        (55.0, "42_and_above", 3.09),
    ],
)
def test_flow_classes_are_half_open(flow_c: float, key: str, median: float) -> None:
    """Each class covers low <= flow < high."""
    klass = flow_class(flow_c)
    assert (klass.key, klass.median) == (key, median)


def test_a_season_is_ranked_figure_by_figure() -> None:
    """30 days, 2000 kWh heat for 500 kWh: SPF 4.00 (the median), each figure hand-checked."""
    stats = season(running_elec_kwh=450.0, running_heat_kwh=1998.0)
    rank = rank_season(stats, flow_c=36.5, lift_k=26.26, heat_measured=True)
    assert rank.status is FleetStatus.RANKED
    assert rank.spf_rank_pct == pytest.approx(50.0)
    # Running COP 1998 / 450 = 4.44: the 75th percentile.
    assert rank.rank_of(FleetFigure.RUNNING_COP) == pytest.approx(75.0)
    # 144 starts in 720 hours with data = 0.2 an hour (per hour of data, not of running).
    assert rank.rank_of(FleetFigure.STARTS_PER_HOUR) == pytest.approx(69.444, 1e-3)
    # 36.5 °C: 50 + 1.8 / 2.7 x 25 = 66.67th percentile, better than 33.33 %.
    assert rank.rank_of(FleetFigure.FLOW_TEMPERATURE) == pytest.approx(33.333, 1e-3)
    # 26.26 K: 25 + 0.96 / 1.9 x 25 = 37.63th percentile, better than 62.37 %.
    assert rank.rank_of(FleetFigure.FLOW_OUTDOOR_DIFFERENCE) == pytest.approx(
        62.368, 1e-3
    )
    # Defrost took 30 of 2030 kWh gross = 1.478 %: 25 + 0.478 / 0.5 x 25 = 48.89th percentile.
    assert rank.rank_of(FleetFigure.DEFROST_LOSS) == pytest.approx(51.108, 1e-3)
    # The 35-38 °C class: median SPF 3.86; 4.00 is 0.14 of its 0.31 step to the 75th.
    assert rank.flow_class is not None and rank.flow_class.key == "35_38"
    assert rank.expected_spf == 3.86
    assert rank.spf_rank_in_flow_class_pct == pytest.approx(50 + 0.14 / 0.31 * 25)


def test_figures_the_unit_lacks_have_no_rank() -> None:
    """Without the performance curve's flow figures, those two are unranked; the rest still rank."""
    rank = rank_season(season(), flow_c=None, lift_k=None, heat_measured=True)
    assert rank.status is FleetStatus.RANKED
    assert rank.rank_of(FleetFigure.FLOW_TEMPERATURE) is None
    assert rank.rank_of(FleetFigure.FLOW_OUTDOOR_DIFFERENCE) is None
    assert rank.flow_class is None and rank.expected_spf is None
    assert rank.spf_rank_in_flow_class_pct is None


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"days": MIN_DATA_DAYS - 0.1}, FleetStatus.NOT_ENOUGH_DATA),
        ({"days": MIN_DATA_DAYS}, FleetStatus.RANKED),
        (
            {"heat_kwh": MIN_HEAT_KWH - 1, "elec_kwh": 50.0},
            FleetStatus.NOT_ENOUGH_DATA,
        ),
        ({"heat_kwh": MIN_HEAT_KWH, "elec_kwh": 50.0}, FleetStatus.RANKED),
        # Too little electricity for any COP.
        ({"heat_kwh": 300.0, "elec_kwh": 0.0}, FleetStatus.NOT_ENOUGH_DATA),
    ],
)
def test_only_a_season_with_enough_data_is_ranked(
    kwargs: dict[str, float], status: FleetStatus
) -> None:
    """Fourteen days of data and 200 kWh of heat are the floor."""
    rank = rank_season(season(**kwargs), flow_c=35.0, lift_k=27.0, heat_measured=True)
    assert rank.status is status
    assert (rank.spf_rank_pct is None) is (status is not FleetStatus.RANKED)
    assert (rank.figures == ()) is (status is not FleetStatus.RANKED)


def test_estimated_heat_is_never_ranked() -> None:
    """A season of the unit's coarse heat estimate is not compared with metered systems."""
    rank = rank_season(season(), flow_c=35.0, lift_k=27.0, heat_measured=False)
    assert rank.status is FleetStatus.HEAT_ESTIMATED
    assert rank.spf_rank_pct is None and rank.figures == ()


def _reading(heat: Quantity | None, **water: float | None) -> Reading:
    return Reading(time=NOW, heat_w=heat, **water)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("heat", "water", "expected"),
    [
        (None, {}, None),
        (Quantity(value=3000.0, origin=Origin.METERED), {}, True),
        (Quantity(value=3000.0, origin=Origin.REPORTED), {}, True),
        (Quantity(value=3000.0, origin=Origin.COMPUTED), {}, True),
        (Quantity(value=3000.0, origin=Origin.ESTIMATED), {}, False),
        (
            Quantity(value=3000.0, origin=Origin.ESTIMATED),
            {"flow_lpm": 20.0, "flow_c": 35.0, "return_c": 30.0},
            True,
        ),
        (
            Quantity(value=3000.0, origin=Origin.ESTIMATED),
            {"flow_lpm": None, "flow_c": 35.0, "return_c": 30.0},
            False,
        ),
    ],
)
def test_heat_counts_as_measured_or_computed(
    heat: Quantity | None, water: dict[str, float | None], expected: bool | None
) -> None:
    """Meters, the unit's fine figure and flow x difference count; a bare 200 W estimate does not."""
    assert heat_is_measured(_reading(heat, **water)) is expected


def test_a_heat_counter_decides_before_the_power() -> None:
    """The engine's energy follows a heat counter where there is one, so its origin decides."""
    reading = Reading(
        time=NOW,
        heat_w=Quantity(value=3000.0, origin=Origin.ESTIMATED),
        heat_kwh=Quantity(value=1234.0, origin=Origin.METERED),
    )
    assert heat_is_measured(reading) is True


def test_as_dict_names_the_fleet_and_rounds() -> None:
    """The JSON view says where the fleet comes from and what kind of fleet it is."""
    data = rank_season(season(), flow_c=33.0, lift_k=25.0, heat_measured=True).as_dict()
    assert data["status"] == "ranked"
    assert data["spf_rank_pct"] == 50.0
    assert data["flow_class"] == "32_35"
    assert data["expected_spf"] == 4.17
    assert data["figures"]["starts_per_hour"]["value"] == 0.2
    assert data["figures"]["spf"]["fleet_median"] == 4.0
    assert data["fleet"] == {
        "source": "heatpumpmonitor.org",
        "exported": "2026-07-15",
        "systems": 304,
        "period": "last 365 days",
        "self_selected": True,
        "well_metered": True,
    }


def test_no_heat_seen_yet_ranks_nothing() -> None:
    """Before any reading with heat the origin is unknown: not ranked, and not called estimated either."""
    rank = rank_season(season(), flow_c=35.0, lift_k=27.0, heat_measured=None)
    assert rank.status is FleetStatus.NOT_ENOUGH_DATA
    assert rank.spf_rank_pct is None


def test_flow_class_reads_the_flow_to_a_tenth_of_a_kelvin() -> None:
    """A heat-weighted mean of 35 °C readings that sums to 34.999… belongs to the 35-38 °C class."""
    rank = rank_season(season(), flow_c=34.99999, lift_k=27.0, heat_measured=True)
    assert rank.flow_class is not None and rank.flow_class.key == "35_38"

"""Electricity per heating degree-day: integration, climate modes, counters, hostile input, trend, state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import math

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.heatpump_efficiency.analytics.degree_days import (
    DegreeDayConfig,
    DegreeDayLearner,
    DegreeDayResults,
    heating_use,
)
from custom_components.heatpump_efficiency.analytics.state import StateError
from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    Origin,
    Quantity,
    Reading,
)

DAY0 = datetime(2025, 10, 1, tzinfo=UTC)  # a season starting 1 September
STEP = timedelta(minutes=1)


def reading(
    time: datetime,
    *,
    watts: float | None = 1000.0,
    outdoor: float | None = 5.5,
    mode: OperatingMode | None = OperatingMode.HEAT,
    kwh: float | None = None,
) -> Reading:
    """Return a reading of an air-to-air unit: electrical power (or a counter), outdoor, mode."""
    return Reading(
        time=time,
        elec_w=None if watts is None else Quantity(value=watts, origin=Origin.REPORTED),
        elec_kwh=None if kwh is None else Quantity(value=kwh, origin=Origin.REPORTED),
        outdoor_c=outdoor,
        mode=mode,
    )


def run_day(
    learner: DegreeDayLearner,
    day: datetime,
    *,
    watts: float = 1000.0,
    outdoor: float = 5.5,
    mode: OperatingMode | None = OperatingMode.HEAT,
) -> DegreeDayResults:
    """Feed one whole day (minute readings, ending at the next midnight) and return the last figures."""
    results = DegreeDayResults()
    for minute in range(24 * 60 + 1):
        results = learner.update(
            reading(day + minute * STEP, watts=watts, outdoor=outdoor, mode=mode)
        )
    return results


def test_one_cold_day() -> None:
    """1 kW for a day, 10 K below the base: 24 kWh over 10 HDD is 2.4 kWh/HDD."""
    learner = DegreeDayLearner()
    for minute in range(24 * 60):
        results = learner.update(reading(DAY0 + minute * STEP))
    assert results.today_hdd == pytest.approx(10.0 * (24 * 60 - 1) / (24 * 60))
    assert results.today_kwh_per_hdd == pytest.approx(2.4)
    assert results.week_kwh_per_hdd == pytest.approx(2.4)
    assert results.season_kwh_per_hdd == pytest.approx(2.4)
    assert results.trend_pct is None  # no baseline yet


@pytest.mark.parametrize(
    ("mode", "counts"),
    [
        (OperatingMode.HEAT, True),
        (None, True),  # no climate entity: every kWh is the heat pump's
        (OperatingMode.COOL, False),  # cooling, and drying (mapped to cool)
        (OperatingMode.OFF, False),  # standby, and fan only (mapped to off)
    ],
)
def test_modes_kept_out_of_heating(mode: OperatingMode | None, counts: bool) -> None:
    """Cooling, drying and fan only never enter the heating figure; the degree-days still do."""
    learner = DegreeDayLearner()
    results = run_day(learner, DAY0, mode=mode)
    assert results.season_hdd == pytest.approx(10.0)
    assert results.season_kwh == pytest.approx(24.0 if counts else 0.0)


def test_auto_counts_on_heating_days_only() -> None:
    """Auto heats below the base temperature and cools above it."""
    assert heating_use(OperatingMode.AUTO, 5.0, 15.5)
    assert not heating_use(OperatingMode.AUTO, 22.0, 15.5)
    assert not heating_use(OperatingMode.AUTO, None, 15.5)


def test_too_few_degree_days_give_no_ratio() -> None:
    """A mild day (0.5 HDD) gives no kWh/HDD: the ratio would be noise, never a huge number."""
    learner = DegreeDayLearner()
    results = run_day(learner, DAY0, outdoor=15.0)
    assert results.today_kwh_per_hdd is None
    assert results.week_kwh_per_hdd is None


def test_daily_counter_restarting_at_midnight() -> None:
    """A counter of "energy today" (Daikin) restarts at midnight: what it shows after is new energy."""
    learner = DegreeDayLearner()
    counter = 0.0
    for minute in range(2 * 24 * 60):
        time = DAY0 + minute * STEP
        if minute == 24 * 60:
            counter = 0.0  # the adapter's day starts again
        learner.update(reading(time, watts=None, kwh=round(counter, 3)))
        counter += 1.0 / 60  # 1 kW
    results = learner.results()
    assert results.season_kwh == pytest.approx(48.0 - 1 / 60, abs=0.02)


def test_hostile_readings_leave_finite_figures() -> None:
    """NaN, infinity, negative power, a counter leap and an absurd outdoor temperature change nothing."""
    learner = DegreeDayLearner()
    time = DAY0
    for minute in range(600):
        time = DAY0 + minute * STEP
        learner.update(reading(time))
    before = learner.results()
    for hostile in (
        reading(time + STEP, watts=math.nan),
        reading(time + 2 * STEP, watts=math.inf),
        reading(time + 3 * STEP, watts=-500.0),
        reading(time + 4 * STEP, outdoor=math.nan),
        reading(time + 5 * STEP, outdoor=-273.0),
        reading(time + 6 * STEP, outdoor=math.inf),
    ):
        results = learner.update(hostile)
        for value in (
            results.today_kwh_per_hdd,
            results.week_kwh_per_hdd,
            results.season_kwh_per_hdd,
        ):
            assert value is None or (math.isfinite(value) and value >= 0)
    assert learner.results().season_kwh <= before.season_kwh + 6 / 60 + 1e-9

    leaping = DegreeDayLearner()
    leaping.update(reading(DAY0, watts=None, kwh=100.0))
    leaping.update(reading(DAY0 + STEP, watts=None, kwh=100.02))
    leaping.update(reading(DAY0 + 2 * STEP, watts=None, kwh=9_000_000.0))  # a glitch
    assert leaping.rejected == 1
    assert leaping.results().season_kwh == pytest.approx(0.02)


def test_old_readings_are_ignored() -> None:
    """A reading not newer than the last one adds nothing."""
    learner = DegreeDayLearner()
    learner.update(reading(DAY0))
    learner.update(reading(DAY0 + STEP))
    before = learner.results()
    assert learner.update(reading(DAY0)) == before
    assert learner.update(reading(DAY0 + STEP, watts=9000.0)) == before


def test_readings_from_the_future() -> None:
    """A reading dated ahead of the host clock is refused; after a clock correction learning goes on."""
    learner = DegreeDayLearner()
    learner.update(reading(DAY0), now=DAY0)
    learner.update(reading(DAY0 + timedelta(days=365)), now=DAY0 + STEP)
    assert learner.rejected == 1
    for minute in range(2, 62):
        results = learner.update(
            reading(DAY0 + minute * STEP), now=DAY0 + minute * STEP
        )
    assert results.season_kwh == pytest.approx(1.0, abs=0.02)

    # A unit clock a year ahead was believed (no host clock given), then corrected.
    wrong = DegreeDayLearner()
    wrong.update(reading(DAY0 + timedelta(days=365)))
    for minute in range(1, 61):
        results = wrong.update(reading(DAY0 + minute * STEP), now=DAY0 + minute * STEP)
    assert results.season_kwh == pytest.approx(59 / 60, abs=0.02)


def test_gap_is_not_integrated() -> None:
    """Hours without readings add neither power nor degree-days (both sides stay comparable)."""
    learner = DegreeDayLearner()
    learner.update(reading(DAY0))
    results = learner.update(reading(DAY0 + timedelta(hours=3)))
    assert results.season_hdd == 0.0
    assert results.season_kwh == 0.0


def test_trend_against_the_seasons_start() -> None:
    """Twenty percent more electricity for the same weather shows as a +20 % trend."""
    config = DegreeDayConfig(baseline_days=5, min_trend_days=3)
    learner = DegreeDayLearner(config)
    day = DAY0
    for _ in range(5):
        run_day(learner, day, watts=1000.0, outdoor=5.0)
        day += timedelta(days=1)
    assert learner.results().baseline_days == 5
    assert (
        learner.results().trend_pct is None
    )  # the baseline days are not compared with themselves
    for _ in range(4):
        results = run_day(learner, day, watts=1200.0, outdoor=5.0)
        day += timedelta(days=1)
    assert results.trend_pct == pytest.approx(20.0, abs=0.5)
    # A day far colder than any baseline day has no band to compare with: it is left out.
    run_day(learner, day, watts=3000.0, outdoor=-15.0)
    assert learner.results().trend_pct == pytest.approx(20.0, abs=0.5)


def test_new_season_starts_afresh() -> None:
    """On the season's first day the season figures and the baseline start again."""
    learner = DegreeDayLearner(DegreeDayConfig(baseline_days=1))
    run_day(learner, datetime(2026, 8, 30, tzinfo=UTC))
    assert learner.results().baseline_days == 1
    run_day(learner, datetime(2026, 8, 31, tzinfo=UTC))
    run_day(learner, datetime(2026, 9, 1, tzinfo=UTC))
    results = learner.results()
    # The old season's days are gone; 1 September, closed at midnight, is the new baseline.
    assert results.baseline_days == 1
    assert results.season_kwh == pytest.approx(24.0, abs=0.05)
    assert results.season_hdd == pytest.approx(10.0, abs=0.02)


def test_state_round_trip_and_corruption() -> None:
    """A restart mid-day continues exactly; damaged data is refused; a new base temperature starts afresh."""
    learner = DegreeDayLearner(DegreeDayConfig(baseline_days=2))
    for day in range(3):
        run_day(learner, DAY0 + timedelta(days=day))
    for minute in range(1, 300):
        learner.update(reading(DAY0 + timedelta(days=3) + minute * STEP))
    stored = json.loads(json.dumps(learner.to_dict()))
    restored = DegreeDayLearner.from_dict(stored, learner.config)
    assert restored.results() == learner.results()
    later = DAY0 + timedelta(days=3, minutes=400)
    assert restored.update(reading(later)) == learner.update(reading(later))

    for broken in (
        None,
        {**stored, "version": 99},
        {**stored, "season_kwh": "lots"},
        {**stored, "today": ["2025-10-04", 1.0, math.inf, 0, 0]},
        {**stored, "days": [["not a day", 1, 1, 1, 1]]},
    ):
        with pytest.raises(StateError):
            DegreeDayLearner.from_dict(broken, learner.config)

    fresh = DegreeDayLearner.from_dict(stored, DegreeDayConfig(base_c=18.0))
    assert fresh.results() == DegreeDayResults()


def test_invalid_base_temperature() -> None:
    """The base temperature must be finite and plausible."""
    with pytest.raises(ValueError):
        DegreeDayConfig(base_c=math.nan)
    with pytest.raises(ValueError):
        DegreeDayConfig(base_c=45.0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=7200),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
            st.sampled_from([None, *OperatingMode]),
        ),
        max_size=60,
    )
)
def test_any_input_gives_finite_non_negative_figures(
    steps: list[
        tuple[int, float | None, float | None, float | None, OperatingMode | None]
    ],
) -> None:
    """Whatever arrives, every figure is finite and never negative, and the state survives JSON."""
    learner = DegreeDayLearner()
    time = DAY0
    for seconds, watts, outdoor, kwh, mode in steps:
        time += timedelta(seconds=seconds)
        results = learner.update(
            reading(time, watts=watts, outdoor=outdoor, kwh=kwh, mode=mode)
        )
        for value in (
            results.today_kwh_per_hdd,
            results.week_kwh_per_hdd,
            results.season_kwh_per_hdd,
            results.trend_pct,
        ):
            assert value is None or math.isfinite(value)
        assert results.season_kwh >= 0
        assert results.season_hdd >= 0
        assert results.today_kwh_per_hdd is None or results.today_kwh_per_hdd >= 0
    restored = DegreeDayLearner.from_dict(
        json.loads(json.dumps(learner.to_dict())), learner.config
    )
    assert restored.results() == learner.results()

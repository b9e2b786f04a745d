"""Learned pre-heat: recovery detection, robust per-band rates, monotone lead times, state, simulator."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.heatpump_efficiency.analytics.preheat import (
    PREHEAT_STATE_VERSION,
    PreheatConfig,
    PreheatLearner,
    Recovery,
    weighted_median,
)
from custom_components.heatpump_efficiency.analytics.state import StateError
from simulator.model import Simulator
from simulator.scenarios import steady_scenario

T0 = datetime(2025, 1, 6, 0, 0, tzinfo=UTC)
STEP = timedelta(minutes=5)


def feed_recovery(
    learner: PreheatLearner,
    start: datetime,
    *,
    from_c: float = 17.0,
    to_c: float = 20.0,
    rate: float = 1.0,
    outdoor_c: float = 0.0,
    heating: bool = True,
) -> tuple[datetime, list[Recovery]]:
    """Hold `from_c`, raise the target to `to_c` and warm linearly at `rate` K/h; return the end and results."""
    done: list[Recovery] = []
    t = start
    for _ in range(3):
        learner.update(t, from_c, from_c, outdoor_c, heating)
        t += STEP
    room = from_c
    for _ in range(24 * 12):
        result = learner.update(t, room, to_c, outdoor_c, heating)
        if result is not None:
            done.append(result)
        if room >= to_c:
            break
        t += STEP
        room = min(room + rate * STEP.total_seconds() / 3600.0, to_c)
    return t + STEP, done


def test_default_rate_until_data() -> None:
    """Without recoveries the lead time follows the cautious default (0.5 K/h at +5 °C)."""
    learner = PreheatLearner()
    assert learner.rate_k_per_h(5.0) == pytest.approx(0.5)
    assert learner.lead_time_minutes(17.0, 20.0, 5.0) == pytest.approx(2.7 / 0.5 * 60)
    assert learner.lead_time_minutes(20.0, 20.0, 5.0) == 0.0
    assert learner.lead_time_minutes(19.8, 20.0, 5.0) == 0.0  # within tolerance
    assert learner.lead_time_minutes(17.0, 20.0, -10.0) > learner.lead_time_minutes(
        17.0, 20.0, 5.0
    )
    assert learner.rate_k_per_h(None) == pytest.approx(0.5)


def test_recovery_measured() -> None:
    """A 3 K raise warmed at 1 K/h is measured as 1 K/h (rise to within 0.3 K / time taken)."""
    learner = PreheatLearner()
    _, done = feed_recovery(learner, T0, rate=1.0, outdoor_c=2.0)
    assert len(done) == 1
    recovery = done[0]
    assert recovery.rate_k_per_h == pytest.approx(1.0, rel=0.05)
    assert recovery.rise_k == pytest.approx(2.7, abs=0.01)
    assert recovery.outdoor_c == pytest.approx(2.0)
    assert learner.rate_k_per_h(2.0) == pytest.approx(1.0, rel=0.05)
    assert learner.lead_time_minutes(17.0, 20.0, 2.0) == pytest.approx(162, rel=0.05)


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"to_c": 17.8}, "raise below 1 K"),
        ({"heating": False}, "not heating"),
        ({"from_c": 19.5, "to_c": 20.0}, "small raise, room already near"),
    ],
)
def test_not_a_recovery(kwargs: dict[str, Any], reason: str) -> None:
    """Small raises and raises without heating teach nothing."""
    learner = PreheatLearner()
    _, done = feed_recovery(learner, T0, **kwargs)
    assert done == [], reason
    assert learner.recoveries == []


def test_abandoned_recoveries() -> None:
    """Heating stopping, the target moving or a long gap abandon a recovery in progress."""
    for interrupt in ("heating_off", "target_moved", "gap"):
        learner = PreheatLearner()
        t = T0
        learner.update(t, 17.0, 17.0, 0.0, True)
        t += STEP
        learner.update(t, 17.0, 20.0, 0.0, True)
        assert learner.recovering
        t += STEP
        if interrupt == "heating_off":
            learner.update(t, 17.5, 20.0, 0.0, False)
        elif interrupt == "target_moved":
            learner.update(t, 17.5, 20.5, 0.0, True)
        else:
            t += timedelta(hours=2)
            learner.update(t, 17.5, 20.0, 0.0, True)
        assert not learner.recovering, interrupt
        assert learner.update(t + STEP, 20.0, 20.0, 0.0, True) is None


def test_missing_values_skipped() -> None:
    """Samples without a room temperature or target are skipped, not fatal."""
    learner = PreheatLearner()
    assert learner.update(T0, None, 20.0, 0.0, True) is None
    assert learner.update(T0 + STEP, 20.0, None, None, True) is None
    assert learner.update(T0 + 2 * STEP, float("nan"), 20.0, 0.0, True) is None
    with pytest.raises(ValueError):
        learner.lead_time_minutes(float("nan"), 20.0, 0.0)


def test_median_resists_an_outlier() -> None:
    """One odd recovery (a door left open) does not move the band's rate."""
    learner = PreheatLearner()
    t = T0
    for rate in (1.0, 1.0, 0.2, 1.0):
        t, _ = feed_recovery(learner, t, rate=rate)
    assert learner.rate_k_per_h(0.0) == pytest.approx(1.0, rel=0.05)


def test_old_recoveries_decay() -> None:
    """Recent recoveries outweigh older ones in the same band (the house changed)."""
    learner = PreheatLearner()
    t = T0
    for _ in range(3):
        t, _ = feed_recovery(learner, t, rate=1.0)
    t += timedelta(days=90)
    for _ in range(2):
        t, _ = feed_recovery(learner, t, rate=0.5)
    assert learner.rate_k_per_h(0.0) == pytest.approx(0.5, rel=0.05)


def test_memory_bounded() -> None:
    """Only the latest few recoveries per band are kept, however long it runs."""
    config = PreheatConfig(max_per_band=4)
    learner = PreheatLearner(config)
    for i in range(200):
        learner.add(
            Recovery(
                end=T0.timestamp() + i * 86400,
                minutes=120,
                rise_k=2,
                outdoor_c=(i % 30) - 15.0,
                rate_k_per_h=1.0,
            )
        )
    bands = (config.outdoor_max_c - config.outdoor_min_c) / config.band_width_c + 2
    assert len(learner.recoveries) <= bands * config.max_per_band
    assert learner.recoveries_total == 200
    assert len(json.dumps(learner.to_dict())) < 10_000


def test_interpolates_between_bands() -> None:
    """Between two learned bands the rate is interpolated; beyond them it follows the default's slope."""
    learner = PreheatLearner()
    t, _ = feed_recovery(learner, T0, rate=0.5, outdoor_c=-8.0)
    t, _ = feed_recovery(learner, t, rate=1.0, outdoor_c=8.0)
    assert learner.rate_k_per_h(0.0) == pytest.approx(0.75, rel=0.05)
    assert learner.rate_k_per_h(-8.0) == pytest.approx(0.5, rel=0.05)
    assert learner.rate_k_per_h(-15.0) < learner.rate_k_per_h(-8.0)
    assert learner.rate_k_per_h(15.0) > learner.rate_k_per_h(8.0)


def test_colder_never_faster() -> None:
    """A band that happened to recover faster in the cold is pooled with its milder neighbour."""
    learner = PreheatLearner()
    t, _ = feed_recovery(learner, T0, rate=1.0, outdoor_c=-8.0)
    t, _ = feed_recovery(learner, t, rate=0.5, outdoor_c=8.0)
    assert learner.rate_k_per_h(-8.0) <= learner.rate_k_per_h(8.0)
    lead_cold = learner.lead_time_minutes(17.0, 20.0, -8.0)
    assert lead_cold >= learner.lead_time_minutes(17.0, 20.0, 8.0)


def test_weighted_median() -> None:
    """The weighted median picks the value holding half the weight."""
    assert weighted_median([(1.0, 1.0), (2.0, 1.0), (3.0, 1.0)]) == 2.0
    assert weighted_median([(1.0, 5.0), (2.0, 1.0), (3.0, 1.0)]) == 1.0
    with pytest.raises(ValueError):
        weighted_median([])


def test_state_round_trip_mid_recovery() -> None:
    """State survives JSON and a restart in the middle of a recovery."""
    learner = PreheatLearner()
    t, _ = feed_recovery(learner, T0, rate=0.8, outdoor_c=3.0)
    learner.update(t, 17.0, 17.0, 3.0, True)
    learner.update(t + STEP, 17.0, 20.0, 3.0, True)
    assert learner.recovering
    restored = PreheatLearner.from_dict(json.loads(json.dumps(learner.to_dict())))
    assert restored.to_dict() == learner.to_dict()
    assert restored.recovering
    assert restored.lead_time_minutes(17, 20, 3) == learner.lead_time_minutes(17, 20, 3)
    room, now = 17.0, t + STEP
    result = None
    for _ in range(100):
        now += STEP
        room += 0.8 * STEP.total_seconds() / 3600
        if (result := restored.update(now, room, 20.0, 3.0, True)) is not None:
            break
    assert result is not None
    assert result.rate_k_per_h == pytest.approx(0.8, rel=0.05)


@pytest.mark.parametrize(
    "data",
    [
        {"version": PREHEAT_STATE_VERSION + 1},
        {},
        {"version": PREHEAT_STATE_VERSION, "recoveries": [[1, 2]]},
        {"version": PREHEAT_STATE_VERSION, "recoveries": []},
    ],
)
def test_bad_state_rejected(data: dict[str, Any]) -> None:
    """Newer or damaged state raises StateError, so the caller starts afresh."""
    with pytest.raises(StateError):
        PreheatLearner.from_dict(data)


recoveries = st.lists(
    st.builds(
        Recovery,
        end=st.floats(1.7e9, 1.8e9),
        minutes=st.floats(10, 1000),
        rise_k=st.floats(0.5, 5),
        outdoor_c=st.floats(-40, 40),
        rate_k_per_h=st.floats(0.05, 10),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(
    recoveries,
    st.floats(-40, 40),
    st.floats(-40, 40),
    st.floats(5, 19.5),
    st.floats(0.0, 5.0),
)
def test_lead_time_grows_as_outdoor_falls(
    learned: list[Recovery], a: float, b: float, current: float, raise_k: float
) -> None:
    """Whatever was learned, colder weather never gives a shorter lead time, and leads are bounded."""
    learner = PreheatLearner()
    for recovery in learned:
        learner.add(recovery)
    cold, mild = min(a, b), max(a, b)
    target = current + raise_k
    lead_cold = learner.lead_time_minutes(current, target, cold)
    lead_mild = learner.lead_time_minutes(current, target, mild)
    assert lead_cold >= lead_mild - 1e-9
    assert 0.0 <= lead_mild <= learner.config.max_lead_minutes
    assert learner.lead_time_minutes(current, target + 1.0, mild) >= lead_mild
    restored = PreheatLearner.from_dict(json.loads(json.dumps(learner.to_dict())))
    assert restored.lead_time_minutes(current, target, cold) == pytest.approx(lead_cold)


samples = st.lists(
    st.tuples(
        st.integers(0, 3600),
        st.one_of(st.none(), st.floats(10, 25)),
        st.one_of(st.none(), st.sampled_from([15.0, 17.0, 18.0, 20.0, 21.0])),
        st.one_of(st.none(), st.floats(-20, 15)),
        st.booleans(),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(samples)
def test_any_sample_sequence_is_safe(sequence: list[Any]) -> None:
    """Arbitrary samples never raise and every learned rate is within bounds."""
    learner = PreheatLearner()
    t = T0
    for gap, room, target, outdoor, heating in sequence:
        t += timedelta(seconds=gap)
        result = learner.update(t, room, target, outdoor, heating)
        if result is not None:
            assert result.minutes > 0
            assert (
                learner.config.min_rate_k_per_h
                <= result.rate_k_per_h
                <= learner.config.max_rate_k_per_h
            )
    PreheatLearner.from_dict(json.loads(json.dumps(learner.to_dict())))


# Simulator ----------------------------------------------------------------------------------------

HOLD_EVERY = 3  # room-hold step every third 5-minute poll: once per 15 minutes, as the climate does
HOLD_DEADBAND_K = 0.5


class RoomHold:
    """The integration's room hold, emulated on the simulator's controls.

    The simulated unit has no room setpoint: it follows its heating curve plus a shift of -5..+5 K.
    Like the climate entity's room hold, this moves the shift one step every 15 minutes while the
    room is 0.5 K or more away from the target.
    """

    def __init__(self, sim: Simulator, learner: PreheatLearner) -> None:
        """Drive `sim`, feeding every 5-minute poll to `learner`."""
        self.sim = sim
        self.learner = learner
        self.polls = 0

    def poll(self, target_c: float) -> Recovery | None:
        """One 5-minute poll: feed the learner, maybe step the shift, advance the simulation."""
        sim = self.sim
        result = self.learner.update(
            sim.sim_time, sim.house.room_c, target_c, sim.outdoor_c, True
        )
        if self.polls % HOLD_EVERY == 0:
            error = target_c - sim.house.room_c
            shift = sim.controls.z1_heat_request
            if error >= HOLD_DEADBAND_K:
                sim.controls.z1_heat_request = min(shift + 1, 5)
            elif error <= -HOLD_DEADBAND_K:
                sim.controls.z1_heat_request = max(shift - 1, -5)
        self.polls += 1
        sim.step(STEP.total_seconds())
        return result

    def hold(self, target_c: float, hours: float) -> None:
        """Hold a target for some hours."""
        for _ in range(round(hours * 12)):
            self.poll(target_c)

    def recover(self, target_c: float) -> tuple[float, Recovery]:
        """Raise the target and run until the learner records the recovery; return the predicted lead."""
        room = self.sim.house.room_c
        predicted = self.learner.lead_time_minutes(room, target_c, self.sim.outdoor_c)
        for _ in range(24 * 12):
            if (result := self.poll(target_c)) is not None:
                return predicted, result
        raise AssertionError("no recovery within 24 h")


def test_converges_on_simulated_house() -> None:
    """After 5 recoveries on the simulator's house the next one's lead time is predicted within 15 %.

    The first prediction uses the default rate and is far off: this house warms at about 0.15 K/h.
    """
    scenario = replace(steady_scenario(0.0, 85.0, base="cold_week"), name="steady_0")
    sim = Simulator(scenario, seed=3)
    learner = PreheatLearner()
    hold = RoomHold(sim, learner)
    hold.hold(20.0, 24)
    errors = []
    for _ in range(6):
        # Away for the day at 15 °C: the heavy house on its heating curve cools only 1-1.5 K.
        hold.hold(15.0, 14)
        predicted, recovery = hold.recover(20.0)
        errors.append(abs(predicted - recovery.minutes) / recovery.minutes)
        hold.hold(20.0, 6)
    assert learner.recoveries_total == 6
    assert errors[0] > 0.15, errors  # the default alone would not do
    assert errors[-1] <= 0.15, errors

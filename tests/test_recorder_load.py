"""Light on the recorder: few writes, coarse enough states, throttled statistics, same long-term statistics.

No write without a change, states at the source's resolution, statistics figures written once per
statistics period, and long-term statistics unchanged by it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder.core import Recorder
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.const import (
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    STATE_UNAVAILABLE,
)
from homeassistant.core import Event, HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import async_get_platforms
from homeassistant.helpers.recorder import get_instance
from homeassistant.util.event_type import EventType
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.heatpump_efficiency.const import DOMAIN
from custom_components.heatpump_efficiency.sensor import SENSORS, _power, publish_now
from custom_components.heatpump_efficiency.units.model import Origin, Quantity

from .conftest import set_topic, state_of
from .recorder_load import (
    POLL_S,
    Fleet,
    advance,
    entity_kind,
    mark,
    rows_since,
    start_fleet,
)

# The recorder tests serve simulated units on 127.0.0.1.
pytestmark = pytest.mark.usefixtures("socket_enabled")

ELEC_ENERGY = "sensor.heat_pump_electrical_energy"
POLL = timedelta(seconds=POLL_S)


@pytest.fixture(autouse=True)
def mock_recorder_before_hass(async_test_recorder: Any) -> None:
    """Prepare the recorder's database before the `hass` fixture (as core's recorder tests do)."""


@pytest.fixture
def enable_statistics() -> bool:
    """Compile long-term statistics every 5 minutes, as Home Assistant does."""
    return True


async def _poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, n: int = 1
) -> None:
    for _ in range(n):
        freezer.tick(POLL)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


def _events(hass: HomeAssistant, event_type: EventType[Any]) -> list[Event[Any]]:
    """Collect the events of one type fired for this integration's entities from now on."""
    ours = {
        entry.entity_id
        for entry in er.async_get(hass).entities.values()
        if entry.platform == DOMAIN
    }
    events: list[Event[Any]] = []

    @callback
    def is_ours(data: Any) -> bool:
        return data["entity_id"] in ours

    hass.bus.async_listen(event_type, events.append, event_filter=is_ours)
    return events


def test_power_rounded_to_source_resolution() -> None:
    """A power is shown at its source's resolution, never finer than a watt."""
    estimated = Quantity(value=1234.5, origin=Origin.ESTIMATED, resolution=200.0)
    assert _power(estimated) == 1200.0
    computed = Quantity(value=2091.7, origin=Origin.COMPUTED, resolution=348.5)
    assert _power(computed) == 2091.0  # 6 steps of 348.5 W
    metered = Quantity(value=1234.56, origin=Origin.METERED)
    assert _power(metered) == 1235.0
    fine = Quantity(value=812.26, origin=Origin.METERED, resolution=0.1)
    assert _power(fine) == 812.0
    assert _power(None) is None


def test_publish_now_at_the_last_poll_of_a_statistics_period() -> None:
    """A held change is due at the last poll of a 5-minute period, after 5 minutes, or when pushed."""
    base = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
    published = base
    assert not publish_now(base + timedelta(minutes=4), published, POLL)
    assert publish_now(base + timedelta(minutes=4, seconds=30), published, POLL)
    assert publish_now(base + timedelta(minutes=4, seconds=59), published, POLL)
    # Pushed readings (no poll interval, so no known last reading of a period): at once.
    assert publish_now(base + timedelta(seconds=10), published, None)
    # A late poll: the last write is a period old.
    assert publish_now(base + timedelta(minutes=7), published, timedelta(minutes=1))


def test_every_sensor_is_live_or_throttled_or_event_like() -> None:
    """Statistics figures that move on every poll throttle; live readings never do."""
    throttled = {d.key for d in SENSORS if d.publish_step is not None}
    assert {
        "electrical_energy",
        "thermal_energy",
        "cop_today",
        "cop_24h",
        "cop_7d",
        "scop",
    } <= throttled
    for description in SENSORS:
        if entity_kind(description.key) == "live":
            assert description.publish_step is None, description.key


async def test_unchanged_poll_writes_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """Polls that bring nothing new write no state: no `state_reported`, no database update."""
    reported = _events(hass, EVENT_STATE_REPORTED)
    changed = _events(hass, EVENT_STATE_CHANGED)
    outdoor_before = state_of(hass, "sensor.heat_pump_outdoor_temperature")
    await _poll(hass, freezer, 6)
    assert reported == []
    assert state_of(hass, "sensor.heat_pump_outdoor_temperature") is outdoor_before
    # What did change is a statistics figure that creeps (held until its period ends) or a figure
    # whose value really moved; never the same state written again.
    for event in changed:
        old: State = event.data["old_state"]
        new: State = event.data["new_state"]
        assert (old.state, old.attributes) != (new.state, new.attributes)


async def test_statistics_figure_published_once_per_period(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
) -> None:
    """Energy written at the last poll of each 5-minute period; unavailability shown at once."""
    freezer.move_to("2026-01-15T08:00:00+00:00")
    # Running: 1000 W in, so the electrical energy creeps on every poll.
    set_topic(heishamon_payload, "Compressor_Freq", 40)
    set_topic(heishamon_payload, "Heat_Power_Consumption", 1000)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    coordinator = mock_config_entry.runtime_data.coordinator
    changed = _events(hass, EVENT_STATE_CHANGED)
    engine: dict[datetime, str] = {}
    for _ in range(40):  # to 08:20:00
        await _poll(hass, freezer)
        engine[coordinator.data.reading.time] = str(
            round(coordinator.data.results.lifetime.system_elec_kwh, 3)
        )
    written = {
        event.data["new_state"].last_updated: event.data["new_state"].state
        for event in changed
        if event.data["entity_id"] == ELEC_ENERGY
    }
    # At the last poll of each period, with the value a sensor writing every poll would show then.
    assert list(written) == [
        datetime(2026, 1, 15, 8, minute, 30, tzinfo=UTC) for minute in (4, 9, 14, 19)
    ]
    for time, state in written.items():
        assert state == engine[time]

    mock_heishamon.clear_requests()
    mock_heishamon.get("http://192.0.2.10/json", status=500)
    await _poll(hass, freezer)
    assert state_of(hass, ELEC_ENERGY).state == STATE_UNAVAILABLE


# The recorder: rows per entity, and long-term statistics with and without throttling ---------------


async def test_rows_within_targets_in_steady_heating(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One unit heating on a damp cold day: live ≤ 1 row per poll, statistics ≤ 1 per 5 minutes.

    From a fresh install on: the first hour, when every COP period is minutes old and swings on
    each poll (written at once on a move of 0.1, COP today wrote 18 rows in it), keeps the bound as
    well as the second, since COPs are written only at a period's end. And no attribute churns.
    """
    fleet = await start_fleet(hass, 1, "cold_humid")
    try:
        await advance(hass, freezer, fleet, 1)  # the setup's first writes
        begin = await mark(hass)
        polls = 120
        await advance(hass, freezer, fleet, polls)
        first_hour, _ = await rows_since(hass, begin, fleet)
        begin = await mark(hass)
        await advance(hass, freezer, fleet, polls)
        rows, _ = await rows_since(hass, begin, fleet)
    finally:
        await fleet.stop()
    periods = polls * POLL_S / 300
    for row in first_hour + rows:
        kind = entity_kind(row.key)
        if kind == "live":
            assert row.state_rows <= polls, row
        elif kind == "statistics":
            assert row.state_rows <= periods, row
    # No attribute churns: an entity gets a new attribute row only when something that lasts
    # changed (here: a young period's quality flags clearing, once). The daily total is in
    # scripts/bench_recorder's report.
    churning = [row for row in rows if row.attribute_rows > 1]
    assert churning == []


async def _statistics(
    hass: HomeAssistant, start: datetime, ids: set[str], period: str
) -> dict[str, list[Any]]:
    result: dict[str, list[Any]] = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        start,
        None,
        ids,
        period,
        None,
        {"state", "sum", "mean"},
    )
    return result


def _unthrottle(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Make an entry's sensors write every change at once, as before throttling existed."""
    for platform in async_get_platforms(hass, DOMAIN):
        if platform.config_entry is entry and platform.domain == "sensor":
            for entity in platform.entities.values():
                entity._write_due = lambda shown: True  # type: ignore[attr-defined]


async def test_long_term_statistics_unchanged_by_throttling(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two identical units, one throttled, one writing every change: the same energy statistics.

    Energy (the Energy dashboard's sums) is equal in every 5-minute and hourly statistic; the period
    COPs' means (the dashboard's "COP per day") differ by a fraction of the publishing step.
    """
    # Forward in time (the recorder schedules its statistics on the clock from now on).
    freezer.move_to("2027-01-15T07:40:00+00:00")
    fleet: Fleet = await start_fleet(hass, 2, same_seed=True)
    try:
        _unthrottle(hass, fleet.entries[1])
        start = datetime(2027, 1, 15, 7, 45, tzinfo=UTC)
        await advance(hass, freezer, fleet, 172)  # to 09:06: two hours compiled
        registry = er.async_get(hass)
        ids: dict[str, list[str]] = {}
        for entry in fleet.entries:
            for reg in er.async_entries_for_config_entry(registry, entry.entry_id):
                ids.setdefault(reg.unique_id.split("_", 1)[1], []).append(reg.entity_id)
        energies = [ids[key] for key in ("electrical_energy", "thermal_energy")]
        cops = [ids[key] for key in ("cop_24h", "cop_today")]
        wanted = {entity_id for pair in energies + cops for entity_id in pair}
        short = await _statistics(hass, start, wanted, "5minute")
        hourly = await _statistics(hass, start.replace(minute=0), wanted, "hour")
    finally:
        await fleet.stop()
    for throttled, every_change in energies:
        assert len(short[throttled]) >= 12
        assert len(hourly[throttled]) == 2
        for table in (short, hourly):
            assert [(s["start"], s["state"], s["sum"]) for s in table[throttled]] == [
                (s["start"], s["state"], s["sum"]) for s in table[every_change]
            ]
    # A held COP is less than its publishing step (0.1) from the shown one and catches up at each
    # period's end, so a mean moves by a fraction of that step: here, where the periods are only an
    # hour old and climb fast, by about 0.02; over a mature day, by far less.
    for throttled, every_change in cops:
        assert [s["start"] for s in hourly[throttled]] == [
            s["start"] for s in hourly[every_change]
        ]
        for ours, theirs in zip(hourly[throttled], hourly[every_change], strict=True):
            assert ours["mean"] == pytest.approx(theirs["mean"], abs=0.05)

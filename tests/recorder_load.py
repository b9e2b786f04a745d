"""Recorder load harness: simulated units polled by the integration, written to Home Assistant's real recorder.

`scripts/bench_recorder` runs `test_benchmark` in this module (pytest does not collect it on its own: the
name does not start with `test_`); tests/test_recorder_load.py uses the same harness for shorter runs.
Each unit is a `simulator` HeishaMon served over loopback HTTP; simulated time and Home Assistant's
frozen clock move together, one poll at a time, so a day runs in minutes and every row is a real row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
import logging
import os
from pathlib import Path
import sys
import time
from typing import Any
from unittest.mock import patch

from aiohttp import ClientSession, web
from freezegun.api import FrozenDateTimeFactory
from homeassistant import const
from homeassistant.components.recorder.core import Recorder
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.recorder import get_instance, session_scope
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from sqlalchemy import text
from sqlalchemy.orm import Session

from custom_components.heatpump_efficiency.const import (
    CONF_UNIT_TYPE,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
)
from custom_components.heatpump_efficiency.coordinator import HeatpumpCoordinator
from custom_components.heatpump_efficiency.sensor import SENSORS
from custom_components.heatpump_efficiency.units import heishamon
from custom_components.heatpump_efficiency.units.heishamon import HeishaMonDriver
from custom_components.heatpump_efficiency.units.heishamon_parser import (
    decode_body,
    parse_heishamon,
)
from custom_components.heatpump_efficiency.units.model import UnitIdentity
from simulator.model import Simulator
from simulator.server import create_app

SENSOR_DESCRIPTIONS = {description.key: description for description in SENSORS}
POLL_S = float(DEFAULT_POLL_INTERVAL)
WARM_UP_S = 2 * 3600.0
# Readings that change with the unit from one poll to the next.
LIVE_KEYS = frozenset(
    {
        "cop_live",
        "thermal_power",
        "electrical_power",
        "outdoor_temperature",
        "flow_temperature",
        "return_temperature",
        "flow_target_temperature",
        "dhw_temperature",
        "flow_rate",
        "compressor_frequency",
    }
)
# Figures accumulated over minutes to days (the rest: binary sensors, climate, buttons).
STATISTICS_KEYS = frozenset(
    {
        "electrical_energy",
        "thermal_energy",
        "backup_heater_energy",
        "compressor_starts",
        "operating_hours",
        "cop_today",
        "cop_yesterday",
        "cop_24h",
        "cop_7d",
        "cop_30d",
        "scop",
        "cop_lifetime",
        "defrosts_today",
        "last_defrost_duration",
        "minutes_between_defrosts",
        "defrost_heat_lost_today",
        "starts_per_hour",
        "median_run_time",
        "filter_remaining",
        "preheat_lead_time",
        "backup_heater_share_today",
    }
)


def entity_kind(key: str) -> str:
    """Return 'live', 'statistics' or 'other' for an entity description key.

    A sensor that throttles its writes (`publish_step`) is a statistics figure; the named keys cover
    the descriptions of versions without it.
    """
    description = SENSOR_DESCRIPTIONS.get(key)
    if key in STATISTICS_KEYS or getattr(description, "publish_step", None) is not None:
        return "statistics"
    if key in LIVE_KEYS:
        return "live"
    return "other"


@dataclass(slots=True)
class Fleet:
    """Simulated units, their servers and config entries, and what their polls cost."""

    sims: list[Simulator]
    entries: list[MockConfigEntry]
    runners: list[web.AppRunner]
    server_ns: list[int] = field(default_factory=lambda: [0])
    parse_ns: list[int] = field(default_factory=lambda: [0])
    write_ns: list[int] = field(default_factory=lambda: [0])
    engine_ns: list[int] = field(default_factory=lambda: [0])
    loop_ns: int = 0
    polls: int = 0
    patchers: list[Any] = field(default_factory=list)

    def patch(self, target: object, name: str, new: object) -> None:
        """Replace an attribute until `stop`."""
        patcher = patch.object(target, name, new)
        patcher.start()
        self.patchers.append(patcher)

    async def stop(self) -> None:
        """Stop the simulators' servers and the parser's timer."""
        for runner in self.runners:
            await runner.cleanup()
        for patcher in self.patchers:
            patcher.stop()


def _time_parsing(fleet: Fleet) -> None:
    """Time the HeishaMon driver's decoding and parsing of each /json body."""

    def timed[**P, R](function: Callable[P, R]) -> Callable[P, R]:
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            start = time.thread_time_ns()
            try:
                return function(*args, **kwargs)
            finally:
                fleet.parse_ns[0] += time.thread_time_ns() - start

        return run

    for name, function in (
        ("decode_body", decode_body),
        ("parse_heishamon", parse_heishamon),
    ):
        fleet.patch(heishamon, name, timed(function))


def _server_timer(total: list[int]) -> Any:
    """An aiohttp middleware adding the simulator's own handler CPU time to `total`."""

    @web.middleware
    async def timer(
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        start = time.thread_time_ns()
        try:
            return await handler(request)
        finally:
            total[0] += time.thread_time_ns() - start

    return timer


async def start_fleet(
    hass: HomeAssistant,
    units: int,
    scenario: str = "cold_humid",
    *,
    same_seed: bool = False,
) -> Fleet:
    """Serve `units` warmed-up simulated units on 127.0.0.1 and set up one entry for each.

    With `same_seed` every unit is the same simulation, so they read the same all along.
    """
    fleet = Fleet(sims=[], entries=[], runners=[])
    for index in range(units):
        sim = Simulator(scenario, seed=1 if same_seed else index + 1)
        sim.step(WARM_UP_S)
        app = create_app(sim, speed=0)
        app.middlewares.append(_server_timer(fleet.server_ns))
        # No access log: aiohttp's log formatter cannot read the frozen clock's local time.
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        entry = MockConfigEntry(
            domain=DOMAIN,
            title=f"Unit {index + 1}",
            data={CONF_UNIT_TYPE: "heishamon", CONF_HOST: "127.0.0.1", CONF_PORT: port},
            unique_id=f"bench-{port}",
        )
        entry.add_to_hass(hass)
        fleet.sims.append(sim)
        fleet.entries.append(entry)
        fleet.runners.append(runner)
    # HeishaMon's identity is its model bytes, the same for every simulated unit: tell them apart by port.
    identify = HeishaMonDriver.async_identify

    async def identify_by_port(driver: HeishaMonDriver) -> UnitIdentity:
        identity = await identify(driver)
        return replace(identity, unique_id=f"bench-{driver._port}")

    with patch.object(HeishaMonDriver, "async_identify", identify_by_port):
        # Setting up the first entry sets up the integration, and with it every entry.
        await hass.config_entries.async_setup(fleet.entries[0].entry_id)
        await hass.async_block_till_done()
    for entry in fleet.entries:
        assert entry.state is ConfigEntryState.LOADED, entry.reason
    for entry in fleet.entries:
        _instrument(entry.runtime_data.coordinator, fleet)
    _time_parsing(fleet)
    return fleet


def _instrument(coordinator: HeatpumpCoordinator, fleet: Fleet) -> None:
    """Time the engine update and the entity writes of each poll (synchronous: no overlap)."""
    update_listeners = coordinator.async_update_listeners
    engine_update = coordinator.engine.update

    def timed_update_listeners() -> None:
        start = time.thread_time_ns()
        update_listeners()
        fleet.write_ns[0] += time.thread_time_ns() - start

    def timed_engine_update(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time_ns()
        try:
            return engine_update(*args, **kwargs)
        finally:
            fleet.engine_ns[0] += time.thread_time_ns() - start

    fleet.patch(coordinator.engine, "update", timed_engine_update)
    fleet.patch(coordinator, "async_update_listeners", timed_update_listeners)


async def advance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    fleet: Fleet,
    polls: int,
    on_poll: Callable[[int], Awaitable[None]] | None = None,
) -> None:
    """Move the units and Home Assistant's clock forward together, one poll interval at a time."""
    for index in range(polls):
        for sim in fleet.sims:
            sim.step(POLL_S)
        freezer.tick(timedelta(seconds=POLL_S))
        start = time.thread_time_ns()
        async_fire_time_changed(hass)
        # Polls run as background tasks: let each finish before the clock jumps again.
        await hass.async_block_till_done(wait_background_tasks=True)
        fleet.loop_ns += time.thread_time_ns() - start
        fleet.polls += 1
        if index % 20 == 19:
            await async_wait_recording_done(hass)
        if on_poll is not None:
            await on_poll(index)
    await async_wait_recording_done(hass)


@dataclass(frozen=True, slots=True)
class EntityRows:
    """Rows one entity wrote to the recorder in a window."""

    entity_id: str
    key: str
    unit: int
    state_rows: int
    attribute_rows: int


def _rows_since(
    session: Session, since: datetime, first_new_attributes_id: int
) -> dict[str, tuple[int, set[int]]]:
    result: dict[str, tuple[int, set[int]]] = {}
    for entity_id, attributes_id in session.execute(
        text(
            "SELECT m.entity_id, s.attributes_id FROM states s"
            " JOIN states_meta m ON s.metadata_id = m.metadata_id"
            " WHERE s.last_updated_ts > :since"
        ),
        {"since": since.timestamp()},
    ):
        count, new_attributes = result.get(entity_id, (0, set()))
        if attributes_id is not None and attributes_id >= first_new_attributes_id:
            new_attributes.add(attributes_id)
        result[entity_id] = (count + 1, new_attributes)
    return result


def _next_attributes_id(session: Session) -> int:
    value = session.execute(
        text("SELECT COALESCE(MAX(attributes_id), 0) FROM state_attributes")
    ).scalar()
    return int(value or 0) + 1


def _database_bytes(session: Session, instance: Recorder) -> int:
    session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    url = instance.db_url
    if not url.startswith("sqlite:///"):
        return 0
    path = Path(url.removeprefix("sqlite:///"))
    return sum(
        candidate.stat().st_size
        for candidate in (path, path.with_name(path.name + "-wal"))
        if candidate.exists()
    )


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a measuring window starts."""

    time: datetime
    first_new_attributes_id: int
    database_bytes: int


async def mark(hass: HomeAssistant) -> Mark:
    """Flush the recorder and remember the current time, attribute id and database size."""
    await async_wait_recording_done(hass)
    instance = get_instance(hass)

    def _read() -> tuple[int, int]:
        with session_scope(hass=hass, read_only=True) as session:
            return _next_attributes_id(session), _database_bytes(session, instance)

    first, size = await instance.async_add_executor_job(_read)
    return Mark(dt_util.utcnow(), first, size)


async def rows_since(
    hass: HomeAssistant, start: Mark, fleet: Fleet
) -> tuple[list[EntityRows], int]:
    """Return each entity's rows since `start`, and the database's growth in bytes."""
    await async_wait_recording_done(hass)
    instance = get_instance(hass)

    def _read() -> tuple[dict[str, tuple[int, set[int]]], int]:
        with session_scope(hass=hass, read_only=True) as session:
            return _rows_since(
                session, start.time, start.first_new_attributes_id
            ), _database_bytes(session, instance)

    rows, size = await instance.async_add_executor_job(_read)
    registry = er.async_get(hass)
    result: list[EntityRows] = []
    for unit, entry in enumerate(fleet.entries):
        prefix = f"{entry.runtime_data.coordinator.identity.unique_id}_"
        for reg in er.async_entries_for_config_entry(registry, entry.entry_id):
            count, attributes = rows.get(reg.entity_id, (0, set()))
            result.append(
                EntityRows(
                    entity_id=reg.entity_id,
                    key=reg.unique_id.removeprefix(prefix),
                    unit=unit,
                    state_rows=count,
                    attribute_rows=len(attributes),
                )
            )
    return result, size - start.database_bytes


async def idle_tick_ms(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, count: int = 20
) -> float:
    """Return the loop's CPU for moving the test clock by one second when no poll is due."""
    start = time.thread_time_ns()
    for _ in range(count):
        freezer.tick(timedelta(seconds=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    return (time.thread_time_ns() - start) / count / 1e6


async def http_round_trip_ms(fleet: Fleet, count: int = 200) -> float:
    """Return the loop's CPU per bare GET of /json over loopback, without the simulator's handler."""
    port = fleet.runners[0].addresses[0][1]
    async with ClientSession() as session:
        server = fleet.server_ns[0]
        start = time.thread_time_ns()
        for _ in range(count):
            async with session.get(f"http://127.0.0.1:{port}/json") as response:
                await response.read()
        spent = time.thread_time_ns() - start - (fleet.server_ns[0] - server)
    return spent / count / 1e6


# The benchmark ---------------------------------------------------------------------------------------

BENCH_UNITS = [int(n) for n in os.environ.get("BENCH_UNITS", "1 10").split()]
BENCH_HOURS = [float(h) for h in os.environ.get("BENCH_HOURS", "24 2").split()]


@pytest.fixture(autouse=True)
def mock_recorder_before_hass(async_test_recorder: Any) -> None:
    """Prepare the recorder's database before the `hass` fixture (as core's recorder tests do)."""


@pytest.fixture
def persistent_database() -> bool:
    """Record to an SQLite file (not memory) so the database's size can be measured."""
    return True


@pytest.fixture
def enable_statistics() -> bool:
    """Compile long-term statistics every 5 minutes, as Home Assistant does."""
    return True


def say(text: str) -> None:
    """Print one line of the report (pytest runs with -s)."""
    sys.stdout.write(text + "\n")


def _print_entities(rows: list[EntityRows], scale: float) -> None:
    say(
        f"\n{'entity (unit 1)':<44} {'kind':<10} {'state rows/day':>14} {'new attr rows/day':>17}"
    )
    for row in sorted(rows, key=lambda r: (entity_kind(r.key), r.entity_id)):
        if row.unit == 0 and row.state_rows:
            say(
                f"{row.entity_id:<44} {entity_kind(row.key):<10}"
                f" {row.state_rows * scale:>14.0f} {row.attribute_rows * scale:>17.0f}"
            )


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("units", "hours"), list(zip(BENCH_UNITS, BENCH_HOURS, strict=True))
)
async def test_benchmark(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    units: int,
    hours: float,
) -> None:
    """Print per unit and day: state rows, new attribute rows, database bytes and CPU per poll."""
    # The test plugin logs every SQL statement at INFO: that would dominate the CPU measured here.
    for name in ("", "sqlalchemy.engine", "homeassistant"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # Nor should asyncio's debug mode, which the plugin turns on to catch slow callbacks.
    hass.loop.set_debug(False)
    fleet = await start_fleet(hass, units)
    # The first poll after setup writes every entity once: measure from the next one on.
    await advance(hass, freezer, fleet, 2)
    begin = await mark(hass)
    fleet.loop_ns = fleet.polls = 0
    fleet.server_ns[0] = fleet.parse_ns[0] = fleet.write_ns[0] = fleet.engine_ns[0] = 0
    polls = round(hours * 3600 / POLL_S)
    await advance(hass, freezer, fleet, polls)
    rows, grown = await rows_since(hass, begin, fleet)
    for entry in fleet.entries:
        coordinator = entry.runtime_data.coordinator
        assert coordinator.last_update_success, coordinator.last_exception
    scale = 24.0 / hours / units  # per unit and day
    kinds = ("live", "statistics", "other")
    by_kind = {
        kind: sum(r.state_rows for r in rows if entity_kind(r.key) == kind)
        for kind in kinds
    }
    attribute_rows = sum(r.attribute_rows for r in rows)
    unit_polls = fleet.polls * units
    per_poll = {
        name: ns / unit_polls / 1e6
        for name, ns in (
            ("loop", fleet.loop_ns),
            ("server", fleet.server_ns[0]),
            ("parse", fleet.parse_ns[0]),
            ("write", fleet.write_ns[0]),
            ("engine", fleet.engine_ns[0]),
        )
    }
    integration = per_poll["loop"] - per_poll["server"]
    rest = integration - per_poll["parse"] - per_poll["engine"] - per_poll["write"]
    round_trip = await http_round_trip_ms(fleet)
    idle = await idle_tick_ms(hass, freezer)
    if units == BENCH_UNITS[0]:
        say(
            f"\nRecorder load: Home Assistant {const.__version__}, Python {sys.version.split()[0]}, SQLite;"
            f" simulator 'cold_humid' (damp 0-3 °C, defrosts about hourly), {POLL_S:.0f} s poll;"
            " simulated time and the test clock advance together (no sleeping)."
        )
        _print_entities(rows, scale * units)
    entities = len({r.entity_id for r in rows if r.unit == 0 and r.state_rows})
    say(
        f"\n{units} unit(s), {hours:g} h simulated ({fleet.polls} polls each, figures per unit and day):\n"
        f"  entities recording        {entities}\n"
        f"  state rows                {sum(by_kind.values()) * scale:,.0f}"
        f" (live {by_kind['live'] * scale:,.0f}, statistics {by_kind['statistics'] * scale:,.0f},"
        f" other {by_kind['other'] * scale:,.0f})\n"
        f"  new attribute rows        {attribute_rows * scale:,.0f}\n"
        f"  database growth           {grown * scale / 1e6:.2f} MB\n"
        f"  CPU per poll and unit     {integration:.2f} ms on the event loop thread (without the"
        f" simulator's own {per_poll['server']:.2f} ms), of which:\n"
        f"    decoding and parsing    {per_poll['parse']:.2f} ms\n"
        f"    analytics engine        {per_poll['engine']:.2f} ms\n"
        f"    entity state writes     {per_poll['write']:.2f} ms\n"
        f"    the rest                {rest:.2f} ms (HTTP client session, coordinator, storage, repairs,"
        " recorder queueing, the test clock's timers)\n"
        f"    (the test clock alone: {idle:.2f} ms per tick without a poll, shared by all units)\n"
        f"    (for scale: a bare HTTP GET of /json over loopback costs {round_trip:.2f} ms here,"
        " client and server)"
    )
    await fleet.stop()

"""Recorder load harness: simulated units polled by the integration, written to Home Assistant's real recorder.

`scripts/bench_recorder` runs `test_benchmark` in this module (pytest does not collect it on its own: the
name does not start with `test_`); tests/test_recorder_load.py uses the same harness for shorter runs.
Each unit is a `simulator` HeishaMon served over loopback HTTP; simulated time and Home Assistant's
frozen clock move together, one poll at a time, so a day runs in minutes and every row is a real row.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
import cProfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
import logging
import os
from pathlib import Path
import sys
import threading
import time
from typing import Any
from unittest.mock import patch

from aiohttp import ClientTimeout, web
import freezegun.api
from freezegun.api import FrozenDateTimeFactory
from homeassistant import const
from homeassistant.components.recorder.core import Recorder
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.recorder import get_instance, session_scope
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component import patch_time
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
CPU_BATCH = 20  # polls per CPU measuring batch (ten minutes: two statistics periods)
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


type Mark3 = tuple[int, int, int]
"""A thread's CPU time (ns), and the monotonic and all frozen-clock reads so far."""

PARTS = ("loop", "server", "http", "parse", "engine", "digest", "listeners", "writes")
"""The timed parts: the whole poll on the loop, the simulator's handler, the HTTP request, decoding
and parsing, the engine, the coordinator after the fetch, the entity listeners, and Home Assistant's
state writes."""


@dataclass(slots=True)
class Spent:
    """CPU time spent on one part of the polls, and the frozen-clock reads made meanwhile."""

    ns: int = 0
    monotonic_reads: int = 0
    datetime_reads: int = 0

    def without_clock(self, monotonic_ns: float, datetime_ns: float) -> float:
        """Return the time (ns) less what the frozen clock's reads cost beyond real ones."""
        return (
            self.ns
            - self.monotonic_reads * monotonic_ns
            - self.datetime_reads * datetime_ns
        )


class ServerThread:
    """An event loop in its own thread serving the simulated units, as devices on the network would.

    The poller's loop thread then does only Home Assistant's side of each request, so its CPU time is
    what a poll costs Home Assistant, not the simulated board.
    """

    def __init__(self) -> None:
        """Start the thread and its loop."""
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="bench-simulators", daemon=True
        )
        self.thread.start()

    async def run[R](self, coro: Coroutine[Any, Any, R]) -> R:
        """Run a coroutine on the server loop and wait for its result."""
        return await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(coro, self.loop)
        )

    def stop(self) -> None:
        """Stop the loop and wait for the thread (it is idle by then)."""
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@dataclass(slots=True)
class Fleet:
    """Simulated units, their servers and config entries, and what their polls cost."""

    sims: list[Simulator]
    entries: list[MockConfigEntry]
    runners: list[web.AppRunner]
    server: ServerThread | None = None
    # What each timed part of the polls cost (see PARTS).
    spent: dict[str, Spent] = field(
        default_factory=lambda: {part: Spent() for part in PARTS}
    )
    # Frozen-clock reads so far: monotonic ones, and all of them (counted while measuring CPU).
    clock_reads: list[int] = field(default_factory=lambda: [0, 0])
    refreshes: int = 0
    polls: int = 0
    patchers: list[Any] = field(default_factory=list)

    def mark(self) -> Mark3:
        """Return this thread's CPU time and the clock reads so far."""
        return time.thread_time_ns(), self.clock_reads[0], self.clock_reads[1]

    def add(self, part: str, since: Mark3) -> None:
        """Add what was spent on `part` since `since`."""
        ns, monotonic, reads = self.mark()
        spent = self.spent[part]
        spent.ns += ns - since[0]
        spent.monotonic_reads += monotonic - since[1]
        spent.datetime_reads += (reads - since[2]) - (monotonic - since[1])

    def patch(self, target: object, name: str, new: object) -> None:
        """Replace an attribute until `stop`."""
        patcher = patch.object(target, name, new)
        patcher.start()
        self.patchers.append(patcher)

    def reset(self) -> None:
        """Zero every counter (a new measuring window)."""
        self.refreshes = self.polls = 0
        for spent in self.spent.values():  # in place: the servers' timers hold theirs
            spent.ns = spent.monotonic_reads = spent.datetime_reads = 0

    async def stop(self) -> None:
        """Stop the simulators' servers and the parser's timer."""
        for runner in self.runners:
            if self.server is not None:
                await self.server.run(runner.cleanup())
            else:
                await runner.cleanup()
        if self.server is not None:
            self.server.stop()
        for patcher in self.patchers:
            patcher.stop()


def _time_parsing(fleet: Fleet) -> None:
    """Time the HeishaMon driver's decoding and parsing of each /json body."""

    def timed[**P, R](function: Callable[P, R]) -> Callable[P, R]:
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            start = fleet.mark()
            try:
                return function(*args, **kwargs)
            finally:
                fleet.add("parse", start)

        return run

    for name, function in (
        ("decode_body", decode_body),
        ("parse_heishamon", parse_heishamon),
    ):
        fleet.patch(heishamon, name, timed(function))


def _server_timer(total: Spent) -> Any:
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
            total.ns += time.thread_time_ns() - start

    return timer


async def _serve(sim: Simulator, server: Spent) -> web.AppRunner:
    """Serve one simulator on 127.0.0.1 (any free port) on the running loop."""
    app = create_app(sim, speed=0)
    app.middlewares.append(_server_timer(server))
    # No access log: aiohttp's log formatter cannot read the frozen clock's local time.
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner


async def start_fleet(
    hass: HomeAssistant,
    units: int,
    scenario: str = "cold_humid",
    *,
    same_seed: bool = False,
    server_thread: bool = False,
) -> Fleet:
    """Serve `units` warmed-up simulated units on 127.0.0.1 and set up one entry for each.

    With `same_seed` every unit is the same simulation, so they read the same all along; with
    `server_thread` the units are served from their own thread (for measuring the poller's CPU).
    """
    fleet = Fleet(
        sims=[],
        entries=[],
        runners=[],
        server=ServerThread() if server_thread else None,
    )
    for index in range(units):
        sim = Simulator(scenario, seed=1 if same_seed else index + 1)
        sim.step(WARM_UP_S)
        if fleet.server is not None:
            runner = await fleet.server.run(_serve(sim, fleet.spent["server"]))
        else:
            runner = await _serve(sim, fleet.spent["server"])
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
    _time_state_writes(fleet)
    return fleet


def _instrument(coordinator: HeatpumpCoordinator, fleet: Fleet) -> None:
    """Time the engine, the coordinator's work after the fetch and the entity writes of each poll.

    Each timed part is synchronous (no await inside), so the thread's CPU time is its own.
    """
    update_listeners = coordinator.async_update_listeners
    engine_update = coordinator.engine.update
    fetch = coordinator.driver.async_fetch
    update_data = coordinator._async_update_data
    driver = coordinator.driver
    assert isinstance(driver, HeishaMonDriver)
    get = driver._async_get
    fetched_at = [fleet.mark()]

    def timed_update_listeners() -> None:
        start = fleet.mark()
        update_listeners()
        fleet.add("listeners", start)

    def timed_engine_update(*args: Any, **kwargs: Any) -> Any:
        start = fleet.mark()
        try:
            return engine_update(*args, **kwargs)
        finally:
            fleet.add("engine", start)

    async def timed_fetch() -> Any:
        reading = await fetch()
        fetched_at[0] = fleet.mark()
        return reading

    async def timed_get(path: str, query: Any) -> bytes:
        # Across awaits: what else the loop did meanwhile counts too (little, with one poll at a time).
        start = fleet.mark()
        try:
            return await get(path, query)
        finally:
            fleet.add("http", start)

    async def timed_update_data() -> Any:
        # Everything after the fetch returns runs without awaiting: engine, learners, storage, repairs.
        snapshot = await update_data()
        fleet.add("digest", fetched_at[0])
        fleet.refreshes += 1
        return snapshot

    fleet.patch(coordinator.engine, "update", timed_engine_update)
    fleet.patch(coordinator, "async_update_listeners", timed_update_listeners)
    fleet.patch(coordinator.driver, "async_fetch", timed_fetch)
    fleet.patch(coordinator, "_async_update_data", timed_update_data)
    fleet.patch(driver, "_async_get", timed_get)


def _time_state_writes(fleet: Fleet) -> None:
    """Time Home Assistant's own part of each entity write (state machine, event bus, recorder queue)."""
    write = Entity.async_write_ha_state

    def timed_write(entity: Entity) -> None:
        start = fleet.mark()
        try:
            write(entity)
        finally:
            fleet.add("writes", start)

    fleet.patch(Entity, "async_write_ha_state", timed_write)


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
        async_fire_time_changed(hass)
        # Polls run as background tasks: let each finish before the clock jumps again.
        await hass.async_block_till_done(wait_background_tasks=True)
        fleet.polls += 1
        if index % 20 == 19:
            await async_wait_recording_done(hass)
        if on_poll is not None:
            await on_poll(index)
    await async_wait_recording_done(hass)


@dataclass(frozen=True, slots=True)
class CpuPerPoll:
    """CPU time of the event loop's thread per poll and unit (ms), and how it splits.

    Every figure is net of the frozen clock's extra cost (`clock`), which a real Home Assistant
    does not pay.
    """

    total: float
    parse: float
    engine: float
    coordinator: float  # after the fetch, besides the engine: learners, storage, repairs, snapshot
    entities: float  # deciding what to write, building the states
    state_writes: float  # Home Assistant's state machine, event bus and recorder queue
    http: float  # the poll's GET of /json: aiohttp and the socket, on a new connection
    bare_get: float  # a bare GET of /json on a new connection, for comparison
    clock: float  # the frozen clock's reads beyond what real clock reads cost

    @property
    def ours(self) -> float:
        """Return the integration's own share."""
        return self.parse + self.engine + self.coordinator + self.entities

    @property
    def home_assistant(self) -> float:
        """Return Home Assistant's share besides HTTP: writes, coordinator machinery, event loop."""
        return max(self.total - self.ours - self.http, 0.0)


async def measure_cpu(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    fleet: Fleet,
    polls: int,
    *,
    profile_to: str | None = None,
) -> CpuPerPoll:
    """Measure the loop thread's CPU over `polls` polls of every unit, as Home Assistant runs them."""
    offsets = sorted(
        entry.runtime_data.coordinator._microsecond for entry in fleet.entries
    )
    async with _counted_clock(hass, fleet) as clock_cost:
        batches = await _timed_polls(
            hass, freezer, fleet, offsets, polls, profile_to=profile_to
        )
        bare_get = min([await _http_get_ns(hass, fleet) for _ in range(5)])
    monotonic_ns, datetime_ns = clock_cost
    unit_polls, spent = _cheapest(batches, clock_cost)

    def ms(part: str) -> float:
        return spent[part].without_clock(monotonic_ns, datetime_ns) / unit_polls / 1e6

    loop = spent["loop"]
    return CpuPerPoll(
        total=ms("loop"),
        parse=ms("parse"),
        engine=ms("engine"),
        coordinator=ms("digest") - ms("engine"),
        entities=ms("listeners") - ms("writes"),
        state_writes=ms("writes"),
        http=ms("http"),
        bare_get=bare_get / 1e6,
        clock=(loop.ns - loop.without_clock(monotonic_ns, datetime_ns))
        / unit_polls
        / 1e6,
    )


async def measure_floor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, fleet: Fleet, polls: int
) -> float:
    """Return the loop's CPU per poll and unit (ms) of a coordinator that only GETs /json.

    What any integration polling these boards pays before it does anything with the answer: Home
    Assistant's coordinator, its timer and background task, and the request on a new connection.
    Measured like `measure_cpu`, after this integration's entries are unloaded.
    """
    for entry in fleet.entries:
        assert await hass.config_entries.async_unload(entry.entry_id)
    session = async_get_clientsession(hass)
    timeout = ClientTimeout(total=10)

    def fetcher(port: int) -> Callable[[], Awaitable[bytes]]:
        async def fetch() -> bytes:
            async with session.get(
                f"http://127.0.0.1:{port}/json", timeout=timeout
            ) as response:
                body = await response.read()
            fleet.refreshes += 1
            return body

        return fetch

    coordinators = [
        DataUpdateCoordinator(
            hass,
            logging.getLogger(__name__),
            config_entry=None,
            name=f"bare poller {index}",
            update_method=fetcher(runner.addresses[0][1]),
            update_interval=timedelta(seconds=POLL_S),
        )
        for index, runner in enumerate(fleet.runners)
    ]
    # A listener is what schedules a coordinator's polls; this one does nothing with them.
    unsubscribes = [c.async_add_listener(lambda: None) for c in coordinators]
    try:
        async with _counted_clock(hass, fleet) as clock_cost:
            batches = await _timed_polls(
                hass,
                freezer,
                fleet,
                sorted(c._microsecond for c in coordinators),
                polls,
            )
    finally:
        for unsubscribe in unsubscribes:
            unsubscribe()
    unit_polls, spent = _cheapest(batches, clock_cost)
    return spent["loop"].without_clock(*clock_cost) / unit_polls / 1e6


@asynccontextmanager
async def _counted_clock(
    hass: HomeAssistant, fleet: Fleet
) -> AsyncIterator[tuple[float, float]]:
    """Read the frozen clock cheaply and count the loop thread's reads; yield their extra cost (ns).

    The pytest plugin's `async_fire_time_changed` patches two functions around every due timer, and
    freezegun inspects the call stack on every clock read: both cost more than a poll. Here the
    frozen clock is read without stack inspection, the loop runs due timers itself once the clock
    moves (its `time()` is the frozen monotonic clock), and what the frozen clock's reads still cost
    beyond real ones is counted, so it can be taken off and what is left is the poll's own work.
    """
    loop_thread = threading.get_ident()
    fake_monotonic = freezegun.api._get_fake_monotonic
    current_time = freezegun.api.get_current_time

    def counted_monotonic() -> float:
        if threading.get_ident() == loop_thread:
            fleet.clock_reads[0] += 1
        return float(fake_monotonic())

    def counted_current_time() -> datetime:
        if threading.get_ident() == loop_thread:
            fleet.clock_reads[1] += 1
        return current_time()

    with (
        patch.object(freezegun.api, "call_stack_inspection_limit", 0),
        patch.object(freezegun.api, "_get_fake_monotonic", counted_monotonic),
        patch.object(freezegun.api, "get_current_time", counted_current_time),
        # The frozen `now()` as a real datetime (it is one before this copy): freezegun's subclass
        # does all its arithmetic in Python, several times the cost of the real type's.
        patch.object(patch_time, "ha_datetime_to_fakedatetime", _as_is),
    ):
        await async_wait_recording_done(hass)
        yield _clock_read_cost_ns()
        await async_wait_recording_done(hass)


def _as_is(value: datetime) -> datetime:
    return value


type Batch = tuple[int, dict[str, Spent]]
"""The unit polls of one batch and what each part cost in it."""


async def _timed_polls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    fleet: Fleet,
    offsets: list[float],
    polls: int,
    *,
    profile_to: str | None = None,
) -> list[Batch]:
    """Run `polls` polls of the coordinators due at `offsets` (s), timed in batches of `CPU_BATCH`."""
    polls -= polls % CPU_BATCH
    # Coordinators poll at `int(loop.time()) + a fraction` (0.05-0.5 s): keep the clock at .5 s
    # so each 30 s step makes the next poll due, as a real loop would wake for it.
    freezer.tick(timedelta(seconds=(0.5 - time.monotonic()) % 1.0))
    fleet.reset()
    # Batches of polls, of which the cheapest counts: other work on a shared machine only adds.
    batches: list[Batch] = []
    # cProfile sees every thread since Python 3.12 (and mixes their stacks): profiling runs
    # with the units served on this loop and the recorder's thread held, so only this thread runs.
    profiler = cProfile.Profile() if profile_to else None
    if profiler is not None:
        assert fleet.server is None, "profile with the units served on this loop"
        await get_instance(hass).lock_database()
    # Each coordinator polls at its own fraction of a second, as in Home Assistant: one at a time.
    for index in range(polls):
        for sim in fleet.sims:
            sim.step(POLL_S)
        moved = 0.0
        for offset in offsets:
            # A millisecond after it is due: the frozen clock counts whole microseconds.
            freezer.tick(timedelta(seconds=POLL_S - 0.5 + offset + 0.001 - moved))
            moved = POLL_S - 0.5 + offset + 0.001
            if profiler is not None:
                profiler.enable()
            start = fleet.mark()
            # The loop moves due timers behind this task's wake-up: yield so they run first.
            await asyncio.sleep(0)
            await hass.async_block_till_done(wait_background_tasks=True)
            fleet.add("loop", start)
            if profiler is not None:
                profiler.disable()
        freezer.tick(timedelta(seconds=POLL_S - moved))
        if index % CPU_BATCH == CPU_BATCH - 1:
            batches.append(
                (fleet.refreshes, {p: replace(v) for p, v in fleet.spent.items()})
            )
            fleet.reset()
            if profiler is None:
                await async_wait_recording_done(hass)
    if profiler is not None:
        profiler.dump_stats(f"{profile_to}.{len(fleet.sims)}")
        get_instance(hass).unlock_database()
    refreshes = sum(count for count, _ in batches)
    assert refreshes >= (polls - 1) * len(offsets), refreshes
    fleet.polls = len(batches) * CPU_BATCH
    return batches


def _cheapest(batches: list[Batch], clock_cost: tuple[float, float]) -> Batch:
    """Return the batch whose loop cost least per unit poll (net of the frozen clock)."""
    return min(
        batches,
        key=lambda batch: batch[1]["loop"].without_clock(*clock_cost) / batch[0],
    )


def _clock_read_cost_ns(count: int = 5000) -> tuple[float, float]:
    """Return what a frozen monotonic and a frozen datetime read cost beyond a real one (ns)."""

    def each(read: Callable[[], object]) -> float:
        start = time.thread_time_ns()
        for _ in range(count):
            read()
        return (time.thread_time_ns() - start) / count

    monotonic = each(time.monotonic) - each(freezegun.api.real_monotonic)
    now = each(dt_util.utcnow) - each(lambda: freezegun.api.real_datetime.now(UTC))
    return max(monotonic, 0.0), max(now, 0.0)


async def _http_get_ns(hass: HomeAssistant, fleet: Fleet, count: int = 40) -> float:
    """Return the loop's CPU per bare GET of /json through Home Assistant's shared session.

    Each on a new connection, as every poll makes one: the session keeps an idle connection for 15 s,
    half the default poll interval.
    """
    port = fleet.runners[0].addresses[0][1]
    session = async_get_clientsession(hass)
    server = fleet.spent["server"].ns
    start = time.thread_time_ns()
    for _ in range(count):
        async with session.get(
            f"http://127.0.0.1:{port}/json", headers={"Connection": "close"}
        ) as response:
            await response.read()
    spent = time.thread_time_ns() - start
    if fleet.server is None:  # the handler ran on this thread too
        spent -= fleet.spent["server"].ns - server
    return spent / count


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
    profile_to = os.environ.get("BENCH_PROFILE")
    fleet = await start_fleet(hass, units, server_thread=not profile_to)
    try:
        await _benchmark(hass, freezer, fleet, units, hours, profile_to)
    finally:
        await fleet.stop()


async def _benchmark(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    fleet: Fleet,
    units: int,
    hours: float,
    profile_to: str | None,
) -> None:
    """Count the rows of `hours` of polling, then measure the CPU of a poll; print both."""
    # The first poll after setup writes every entity once: measure from the next one on.
    await advance(hass, freezer, fleet, 2)
    begin = await mark(hass)
    polls = round(hours * 3600 / POLL_S)
    await advance(hass, freezer, fleet, polls)
    rows, grown = await rows_since(hass, begin, fleet)
    for entry in fleet.entries:
        coordinator = entry.runtime_data.coordinator
        assert coordinator.last_update_success, coordinator.last_exception
    # CPU: another hour of the same day (at most), timed without the test clock's overhead.
    cpu = await measure_cpu(
        hass, freezer, fleet, min(polls, 120), profile_to=profile_to
    )
    batches = fleet.polls // CPU_BATCH
    # Last, as it unloads the entries: the same polls by a bare poller, for comparison.
    floor = await measure_floor(hass, freezer, fleet, min(polls, 120))
    scale = 24.0 / hours / units  # per unit and day
    kinds = ("live", "statistics", "other")
    by_kind = {
        kind: sum(r.state_rows for r in rows if entity_kind(r.key) == kind)
        for kind in kinds
    }
    attribute_rows = sum(r.attribute_rows for r in rows)
    if units == BENCH_UNITS[0]:
        say(
            f"\nRecorder load: Home Assistant {const.__version__}, Python {sys.version.split()[0]}, SQLite;"
            f" simulator 'cold_humid' (damp 0-3 °C, defrosts about hourly), {POLL_S:.0f} s poll;"
            " simulated time and the test clock advance together (no sleeping)."
        )
        _print_entities(rows, scale * units)
    entities = len({r.entity_id for r in rows if r.unit == 0 and r.state_rows})
    say(
        f"\n{units} unit(s), {hours:g} h simulated ({polls} polls each, figures per unit and day):\n"
        f"  entities recording        {entities}\n"
        f"  state rows                {sum(by_kind.values()) * scale:,.0f}"
        f" (live {by_kind['live'] * scale:,.0f}, statistics {by_kind['statistics'] * scale:,.0f},"
        f" other {by_kind['other'] * scale:,.0f})\n"
        f"  new attribute rows        {attribute_rows * scale:,.0f}\n"
        f"  database growth           {grown * scale / 1e6:.2f} MB\n"
        f"  CPU per poll and unit     {cpu.total:.2f} ms on Home Assistant's event loop"
        f" (the cheapest of {batches} batches of {CPU_BATCH} polls; the units are"
        " served from another thread), of which:\n"
        f"    this integration        {cpu.ours:.2f} ms\n"
        f"      decoding and parsing  {cpu.parse:.2f} ms\n"
        f"      analytics engine      {cpu.engine:.2f} ms\n"
        f"      coordinator's rest    {cpu.coordinator:.2f} ms (learners, storage, repairs, snapshot)\n"
        f"      entities              {cpu.entities:.2f} ms (what changed, building the states)\n"
        f"    HTTP client             {cpu.http:.2f} ms (the poll's GET of /json on a new connection"
        f" through Home Assistant's shared aiohttp session; a bare GET alone: {cpu.bare_get:.2f} ms)\n"
        f"    Home Assistant          {cpu.home_assistant:.2f} ms, of which state writes"
        f" {cpu.state_writes:.2f} ms (state machine, event bus, recorder queue); the rest is its"
        " coordinator machinery, timers and event loop\n"
        f"    (taken off: the test clock's {cpu.clock:.2f} ms per poll, frozen clock reads beyond real ones)\n"
        f"  CPU per poll of a bare poller {floor:.2f} ms (Home Assistant's own coordinator GETting /json"
        " and nothing else, measured the same way: what any integration polling the board pays)"
    )

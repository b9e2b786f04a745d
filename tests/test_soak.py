"""Soak: a simulated day against the simulated unit over loopback, every fault at a random time, a restart.

Time moves by the test clock and the simulator's own step (polls every 5 minutes, the longest interval the
options allow), not by sleeping: a day takes about half a minute. Only while the board hangs (the timeout
fault) does the test wait a few real milliseconds at a time for the request timeout to come due.
Proves what users rely on all winter: no exception, energies that never step back, and electricity
within 1 % of the unit's true consumption across faults, a meter reset, a board reboot and a restart.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
import itertools
import logging
import os
import random
import time
from unittest.mock import patch

from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.heatpump_efficiency.const import DOMAIN
from simulator.faults import EVENT_FAULTS, TRANSPORT_FAULTS, UNIT_FAULTS
from simulator.model import J_PER_KWH, Simulator
from simulator.server import create_app

# Home Assistant's test plugin blocks sockets; the simulated unit serves on 127.0.0.1 on purpose.
pytestmark = pytest.mark.usefixtures("socket_enabled")

POLL_S = 300  # the longest poll interval the options allow: a day in few polls
DAY_POLLS = int(os.environ.get("SOAK_POLLS", 24 * 3600 // POLL_S))
RESTART_AT = DAY_POLLS // 2
RESTART_DOWN_POLLS = 2  # Home Assistant is down for 10 minutes
EVENT_LEAD_S = 10  # one-off events happen this long before a poll, so the poll meets the rebooting board
ENERGIES = (
    "sensor.heat_pump_electrical_energy",
    "sensor.heat_pump_thermal_energy",
    "sensor.heat_pump_cooling_energy",
    "sensor.heat_pump_space_heating_energy",
    "sensor.heat_pump_hot_water_energy",
)


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected fault: at which poll, which one, and (for lasting ones) how many polls it lasts."""

    at: int
    name: str
    lasts: int | None = None


def fault_plan(seed: int) -> list[Fault]:
    """Every simulator fault once at a random poll of the day; lasting ones are cleared after a while."""
    rng = random.Random(seed)
    plan: list[Fault] = []
    for name in sorted(TRANSPORT_FAULTS | UNIT_FAULTS | EVENT_FAULTS):
        at = rng.randrange(2, DAY_POLLS - 6)
        if name in EVENT_FAULTS:
            plan.append(Fault(at, name))
        else:  # HTTP faults for 5-20 minutes, faults of the unit for 1-4 hours
            polls = (1, 5) if name in TRANSPORT_FAULTS else (12, 48)
            plan.append(Fault(at, name, rng.randrange(*polls)))
    return sorted(plan, key=lambda fault: fault.at)


@pytest.fixture
async def simulated_unit() -> AsyncIterator[tuple[Simulator, int]]:
    """Serve a simulated unit on 127.0.0.1; simulated time moves only when the test steps it."""
    sim = Simulator("cold_humid", seed=11)
    sim.step(2 * 3600)  # warmed up
    runner = web.AppRunner(create_app(sim, speed=0))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield sim, runner.addresses[0][1]
    await runner.cleanup()


async def _settle(hass: HomeAssistant, *, hanging: bool) -> None:
    """Let the poll finish; an answer that hangs needs the request timeout, which runs on the test clock."""
    waiter = asyncio.ensure_future(
        hass.async_block_till_done(wait_background_tasks=True)
    )
    while hanging and not waiter.done():
        # Wait a little real time (not loop time, which is frozen), then let due timers fire.
        await asyncio.get_running_loop().run_in_executor(None, time.sleep, 0.01)
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))
    await waiter


def _unexpected_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Tracebacks anywhere, and errors other than the coordinator's expected update failures."""
    found = []
    for record in caplog.records:
        message = record.getMessage()
        expected_failure = record.levelno == logging.ERROR and message.startswith(
            "Error fetching heatpump_efficiency"
        )
        if record.exc_info or (
            record.levelno >= logging.ERROR and not expected_failure
        ):
            found.append(f"{record.levelname} {record.name}: {message[:300]}")
    return found


async def test_simulated_day_with_every_fault_and_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulated_unit: tuple[Simulator, int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A day of polls through every fault and a restart: no exception, monotone energies, meter within 1 %."""
    sim, port = simulated_unit
    caplog.set_level(logging.WARNING)
    plan = fault_plan(seed=20261201)
    # A hanging answer (the timeout fault) costs real seconds at the normal 10 s request timeout.
    with patch("custom_components.heatpump_efficiency.REQUEST_TIMEOUT", 0.2):
        result = await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_USER}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"next_step_id": "device"}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {"unit_type": "heishamon", "host": "127.0.0.1", "port": port},
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        entry = result["result"]
        await hass.async_block_till_done()
        hass.config_entries.async_update_entry(
            entry, options={**entry.options, "poll_interval": POLL_S}
        )
        await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
        elec_start_j = sim.elec_j

        seen: dict[str, float] = {}
        meters_seen: list[tuple[float, ...]] = []
        clear_at: dict[int, list[str]] = {}
        for poll in range(DAY_POLLS):
            events = []
            for fault in plan:
                if fault.at != poll:
                    continue
                if fault.lasts is None:
                    events.append(fault.name)
                else:
                    sim.apply_fault(fault.name)
                    clear_at.setdefault(poll + fault.lasts, []).append(fault.name)
            if names := clear_at.pop(poll, None):
                # Ends every lasting fault, as a real recovery would.
                sim.apply_fault("clear")
                if "dirty_filter" in names:
                    sim.clean()
            if poll == RESTART_AT:
                assert await hass.config_entries.async_unload(entry.entry_id)
                await hass.async_block_till_done()
                sim.step(RESTART_DOWN_POLLS * POLL_S)
                freezer.tick(timedelta(seconds=RESTART_DOWN_POLLS * POLL_S))
                assert await hass.config_entries.async_setup(entry.entry_id)
                await hass.async_block_till_done()
            sim.step(POLL_S - EVENT_LEAD_S)
            for name in events:
                sim.apply_fault(name)
            sim.step(EVENT_LEAD_S)
            freezer.tick(timedelta(seconds=POLL_S))
            async_fire_time_changed(hass)
            await _settle(hass, hanging=sim.transport_fault() == "timeout")

            for entity_id in ENERGIES:
                state = hass.states.get(entity_id)
                if state is None or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
                    continue
                value = float(state.state)
                assert value >= seen.get(entity_id, 0.0), (entity_id, poll)
                seen[entity_id] = value
            meters = entry.runtime_data.coordinator.engine.results.meters
            meters_seen.append(
                (
                    meters.elec_kwh,
                    meters.heat_kwh,
                    meters.cooling_kwh,
                    meters.backup_kwh,
                )
            )

        # The last poll of a 5-minute period writes every held energy state.
        sim.apply_fault("clear")
        for _ in range(2):
            sim.step(POLL_S)
            freezer.tick(timedelta(seconds=POLL_S))
            async_fire_time_changed(hass)
            await hass.async_block_till_done(wait_background_tasks=True)

    assert entry.state is ConfigEntryState.LOADED
    assert _unexpected_logs(caplog) == []
    failures = " ".join(r.getMessage() for r in caplog.records)
    for seen_fault in (
        "did not answer in time",
        "HTTP 500",
        "not JSON",
        "cannot reach",
    ):
        assert seen_fault in failures  # the faults reached the integration
    for before, after in itertools.pairwise(meters_seen):
        assert all(b <= a for b, a in zip(before, after, strict=True)), (before, after)
    assert set(seen) >= {ENERGIES[0], ENERGIES[1]}

    used_kwh = (sim.elec_j - elec_start_j) / J_PER_KWH
    shown_kwh = float(hass.states.get(ENERGIES[0]).state)  # type: ignore[union-attr]
    assert used_kwh > 5  # a cold day: the unit ran
    assert shown_kwh == pytest.approx(used_kwh, rel=0.01)

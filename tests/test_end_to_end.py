"""End to end: the integration against the simulated HeishaMon unit over loopback HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from aiohttp import ClientSession, web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.heatpump_efficiency.const import DOMAIN
from simulator.model import Simulator
from simulator.server import create_app

from .conftest import state_of

# Home Assistant's test plugin blocks sockets; this test serves on 127.0.0.1 (port 0) on purpose.
pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def simulated_unit() -> AsyncIterator[tuple[Simulator, int]]:
    """Serve a simulated unit on 127.0.0.1; simulated time moves only when the test steps it."""
    sim = Simulator("cold_humid", seed=1)
    sim.step(2 * 3600)  # warmed up
    runner = web.AppRunner(create_app(sim, speed=0))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield sim, port
    await runner.cleanup()


async def _advance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sim: Simulator,
    polls: int,
    meter: dict[datetime, float] | None = None,
) -> None:
    """Move the unit and Home Assistant's clock forward together, one 30 s poll at a time.

    `meter` collects the unit's electricity meter at each poll's time.
    """
    for _ in range(polls):
        sim.step(30)
        freezer.tick(timedelta(seconds=30))
        if meter is not None:
            meter[dt_util.utcnow()] = sim.state()["elec_kwh"]
        async_fire_time_changed(hass)
        # Scheduled polls run as background tasks: let each finish before the clock jumps again,
        # or the frozen clock's jump would make its HTTP request look overdue.
        await hass.async_block_till_done(wait_background_tasks=True)


async def test_simulated_unit_end_to_end(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulated_unit: tuple[Simulator, int],
) -> None:
    """Add the unit from the flow, read live values and energy, survive a fault, control it."""
    sim, port = simulated_unit
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "device"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"unit_type": "heishamon", "host": "127.0.0.1", "port": port}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    outdoor = hass.states.get("sensor.heat_pump_outdoor_temperature")
    assert outdoor is not None
    assert float(outdoor.state) == pytest.approx(sim.state()["outdoor_c"], abs=0.6)

    # An hour of polling: energy follows the unit's own S0 meter (as it was when the sensor last
    # published: energies publish at the last poll of each 5-minute statistics period).
    elec_start = sim.state()["elec_kwh"]
    meter: dict[datetime, float] = {}
    await _advance(hass, freezer, sim, 120, meter)
    energy = state_of(hass, "sensor.heat_pump_electrical_energy")
    elec_used = meter[energy.last_updated] - elec_start
    assert dt_util.utcnow() - energy.last_updated < timedelta(minutes=5)
    measured = float(energy.state)
    assert measured == pytest.approx(elec_used, rel=0.03, abs=0.01)
    assert float(state_of(hass, "sensor.heat_pump_cop_today").state) > 1.5

    # A failing unit makes the entities unavailable; they recover when it does.
    async with ClientSession() as session:
        base = f"http://127.0.0.1:{port}"
        await (
            await session.post(f"{base}/_sim/fault", json={"fault": "http_500"})
        ).release()
        await _advance(hass, freezer, sim, 1)
        assert (
            state_of(hass, "sensor.heat_pump_outdoor_temperature").state
            == STATE_UNAVAILABLE
        )
        await (
            await session.post(f"{base}/_sim/fault", json={"fault": "clear"})
        ).release()
    await _advance(hass, freezer, sim, 1)
    assert (
        state_of(hass, "sensor.heat_pump_outdoor_temperature").state
        != STATE_UNAVAILABLE
    )

    # The curve shift reaches the unit: the simulated unit runs on its heating curve, and without a
    # room sensor the thermostat has modes only (its target would not be a room temperature).
    climate = hass.states.get("climate.heat_pump")
    assert climate is not None
    assert climate.attributes["setpoint_kind"] == "curve_shift"
    assert climate.attributes.get("temperature") is None
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.heat_pump_heating_curve_shift", "value": 2},
        blocking=True,
    )
    await _advance(hass, freezer, sim, 1)
    assert sim.state()["z1_heat_request"] == 2

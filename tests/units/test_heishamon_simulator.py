"""The HeishaMon driver against the project's simulator (`simulator/`) over loopback HTTP."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import aiohttp
from aiohttp.test_utils import TestServer
import pytest

from custom_components.heatpump_efficiency.units.heishamon import HeishaMonDriver
from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    Origin,
    SetpointKind,
    UnitConnectionError,
    UnitResponseError,
    UnitTimeoutError,
)
from simulator.model import Simulator
from simulator.server import create_app

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def start(sim: Simulator, **kwargs: bool) -> TestServer:
    server = TestServer(create_app(sim, speed=0, **kwargs), host="127.0.0.1")
    await server.start_server()
    return server


def driver_for(
    session: aiohttp.ClientSession, server: TestServer, timeout: float = 5.0
) -> HeishaMonDriver:
    assert server.port is not None
    return HeishaMonDriver(session, "127.0.0.1", server.port, timeout=timeout)


@pytest.mark.parametrize(
    ("series", "model", "heat_origin", "elec_origin"),
    [
        ("H", "KIT-WXC09H9E8", None, Origin.METERED),
        ("J", "KIT-WC09J3E5", None, Origin.METERED),
        (
            "K",
            "Aquarea (62 D2 0B 45 54 42 D2 0C EE 55)",
            Origin.REPORTED,
            Origin.METERED,
        ),
        (
            "L",
            "Aquarea (62 D2 0B 45 54 42 D2 0C EF 55)",
            Origin.REPORTED,
            Origin.METERED,
        ),
    ],
)
async def test_every_series_parses(
    session: aiohttp.ClientSession,
    series: str,
    model: str,
    heat_origin: Origin | None,
    elec_origin: Origin,
) -> None:
    sim = Simulator("cold_humid", series=series)
    sim.step(3 * 3600)
    server = await start(sim)
    try:
        driver = driver_for(session, server)
        identity = await driver.async_identify()
        assert identity.model == model
        assert identity.unique_id.startswith("heishamon-")
        reading = await driver.async_fetch()
        assert reading.mode is OperatingMode.HEAT
        assert reading.outdoor_c is not None
        assert reading.flow_c is not None
        assert reading.return_c is not None
        assert reading.compressor_starts is not None
        assert reading.elec_w is not None
        assert reading.elec_w.origin is elec_origin
        assert reading.elec_kwh is not None
        assert reading.elec_kwh.origin is Origin.METERED
        assert reading.heat_w is not None
        if heat_origin is not None:
            assert reading.heat_w.origin is heat_origin
        # The simulator's default: the compensation curve, so the request is a shift.
        assert driver.capabilities.setpoint_kind is SetpointKind.CURVE_SHIFT
        assert reading.target_c is not None
        assert -5 <= reading.target_c <= 5
    finally:
        await server.close()


async def test_without_s0_uses_the_units_figures(
    session: aiohttp.ClientSession,
) -> None:
    sim = Simulator("cold_humid", series="H")
    sim.step(3 * 3600)
    server = await start(sim, use_s0=False)
    try:
        reading = await driver_for(session, server).async_fetch()
        assert reading.elec_w is not None
        assert reading.elec_w.origin is Origin.ESTIMATED
        assert reading.elec_kwh is None
    finally:
        await server.close()


async def test_defrost(session: aiohttp.ClientSession) -> None:
    """A stuck defrost shows as defrost with heat taken back from the water."""
    sim = Simulator("cold_humid", series="H")
    sim.step(3600)
    sim.apply_fault("defrost_stuck")
    server = await start(sim)
    try:
        driver = driver_for(session, server)
        seen = []
        for _ in range(120):
            sim.step(10)
            reading = await driver.async_fetch()
            if reading.defrost:
                seen.append(reading)
        assert seen, "the simulator never defrosted"
        assert all(
            r.heat_w is not None and r.heat_w.origin is Origin.COMPUTED for r in seen
        )
        assert any(r.heat_w is not None and r.heat_w.value < 0 for r in seen)
    finally:
        await server.close()


async def test_commands_reach_the_simulator(session: aiohttp.ClientSession) -> None:
    sim = Simulator("cold_humid", series="H")
    server = await start(sim)
    try:
        driver = driver_for(session, server)
        await driver.async_identify()
        await driver.async_set_target(-2)
        assert sim.controls.z1_heat_request == -2
        sim.controls.heating_mode = (
            1  # the installer switches the unit to direct flow temperature
        )
        sim.step(10)
        await driver.async_fetch()
        assert driver.capabilities.setpoint_kind is SetpointKind.FLOW
        await driver.async_set_target(41)
        assert sim.controls.z1_heat_request == 41
        await driver.async_set_mode(OperatingMode.OFF)
        assert sim.controls.power_on is False
        sim.step(10)
        assert (await driver.async_fetch()).mode is OperatingMode.OFF
        await driver.async_set_mode(OperatingMode.AUTO)
        assert sim.controls.power_on is True
        assert sim.controls.operation_mode in (2, 6)
    finally:
        await server.close()


@pytest.mark.parametrize(
    ("fault", "error"),
    [("http_500", UnitResponseError), ("malformed_json", UnitResponseError)],
)
async def test_transport_faults(
    session: aiohttp.ClientSession, fault: str, error: type[Exception]
) -> None:
    sim = Simulator("cold_humid", series="H")
    server = await start(sim)
    try:
        driver = driver_for(session, server)
        sim.apply_fault(fault)
        with pytest.raises(error):
            await driver.async_fetch()
        sim.apply_fault("clear")
        assert (await driver.async_fetch()).mode is OperatingMode.HEAT
    finally:
        await server.close()


@pytest.mark.parametrize("fault", ["missing_fields", "wrong_types"])
async def test_tolerated_faults(session: aiohttp.ClientSession, fault: str) -> None:
    """Half-decoded answers and quoted numbers parse; what is missing is None."""
    sim = Simulator("cold_humid", series="H")
    sim.step(3600)
    server = await start(sim)
    try:
        sim.apply_fault(fault)
        reading = await driver_for(session, server).async_fetch()
        assert reading.outdoor_c is not None
        if fault == "missing_fields":
            assert reading.flow_lpm is None
            assert reading.defrost is None
            assert reading.compressor_hz is None
    finally:
        await server.close()


async def test_timeout_fault(session: aiohttp.ClientSession) -> None:
    sim = Simulator("cold_humid", series="H")
    server = await start(sim)
    try:
        sim.apply_fault("timeout")
        with pytest.raises(UnitTimeoutError):
            await driver_for(session, server, timeout=0.2).async_fetch()
    finally:
        await server.close()


async def test_reboot(session: aiohttp.ClientSession) -> None:
    """Offline, then serving an all-zero frame (no model yet), then back to normal."""
    sim = Simulator("cold_humid", series="H")
    server = await start(sim)
    try:
        driver = driver_for(session, server)
        sim.apply_fault("reboot")
        with pytest.raises(UnitConnectionError):
            await driver.async_fetch()
        phases = set()
        for _ in range(200):
            sim.step(1)
            phase = sim.heishamon_phase()
            phases.add(phase)
            if phase == "no_data":
                with pytest.raises(
                    UnitResponseError, match="no data from the heat pump yet"
                ):
                    await driver.async_identify()
                reading = await driver.async_fetch()
                assert reading.mode is None
                assert reading.outdoor_c is None
            if phase == "ok":
                break
        assert phases >= {"no_data", "ok"}
        assert (await driver.async_fetch()).mode is OperatingMode.HEAT
    finally:
        await server.close()

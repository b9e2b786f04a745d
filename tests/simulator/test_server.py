"""The HTTP API: HeishaMon endpoints, the `/_sim` control API, faults and clean shutdown."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import json

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
import pytest

from simulator.model import Simulator
from simulator.server import create_app

# Home Assistant's test plugin blocks sockets; these tests serve on 127.0.0.1 (port 0) on purpose.
pytestmark = pytest.mark.usefixtures("socket_enabled")

type Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def client() -> AsyncIterator[
    TestClient[aiohttp.web.Request, aiohttp.web.Application]
]:
    """A client for a simulator served without a real-time clock (tests step time themselves)."""
    async with TestClient(
        TestServer(create_app(Simulator("cold_humid", seed=1), speed=0)),
        # Like the firmware, the simulator closes HeishaMon's endpoints' connections after answering.
        connector=aiohttp.TCPConnector(force_close=True),
    ) as test_client:
        yield test_client


async def _fault(client: Client, name: str) -> None:
    resp = await client.post("/_sim/fault", json={"fault": name})
    assert resp.status == 200


async def test_state_step_and_json(client: Client) -> None:
    state = await (await client.get("/_sim/state")).json()
    for key in (
        "sim_time",
        "outdoor_c",
        "outdoor_rh",
        "room_c",
        "flow_c",
        "return_c",
        "elec_w",
        "heat_w",
        "cop",
        "defrost",
        "frost",
        "fouling",
        "elec_kwh",
        "heat_kwh",
        "backup_w",
        "compressor_starts",
    ):
        assert key in state
    stepped = await (await client.post("/_sim/step", json={"seconds": 3600})).json()
    assert stepped["sim_time"] == "2025-01-14T01:00:00+00:00"
    resp = await client.get("/json")
    assert resp.status == 200 and resp.content_type == "application/json"
    doc = await resp.json()
    assert doc["heatpump"][0]["Name"] == "Heatpump_State"
    assert (await client.post("/_sim/step", json={"seconds": -1})).status == 400
    assert (await client.post("/_sim/step", data="nope")).status == 400


@pytest.mark.parametrize("path", ["/json", "/command?SetHeatpump=1"])
async def test_answers_like_the_firmware_then_closes(client: Client, path: str) -> None:
    """HeishaMon's web server answers chunked and closes every connection, whatever it promises."""
    async with aiohttp.ClientSession() as session:  # one that would keep the connection
        resp = await session.get(client.make_url(path))
        await resp.read()
        assert resp.headers["Transfer-Encoding"] == "chunked"
        assert resp.headers["Keep-Alive"] == "timeout=15, max=100"
        assert "Connection" not in resp.headers
        assert "Content-Length" not in resp.headers
        await asyncio.sleep(0.05)  # the server's FIN arrives
        connector = session.connector
        assert connector is not None
        pooled = [proto for conns in connector._conns.values() for proto, _ in conns]
        assert not any(proto.is_connected() for proto in pooled)  # closed by the server


async def test_command_endpoint(client: Client) -> None:
    resp = await client.get("/command?SetZ1HeatRequestTemperature=2&SetHeatpump=1")
    assert resp.content_type == "text/plain"
    assert (await resp.text()).splitlines() == [
        "set z1 heat request temperature to 2",
        "set heatpump state to 2",
    ]
    state = await (await client.get("/_sim/state")).json()
    assert state["z1_heat_request"] == 2


async def test_scenario_and_clean(client: Client) -> None:
    state = await (
        await client.post("/_sim/scenario", json={"name": "hard_frost"})
    ).json()
    assert state["scenario"] == "hard_frost" and state["outdoor_c"] < -3
    assert (await client.post("/_sim/scenario", json={"name": "nope"})).status == 400
    await _fault(client, "dirty_filter")
    assert (await (await client.get("/_sim/state")).json())["fouling"] >= 0.6
    state = await (await client.post("/_sim/clean")).json()
    assert state["fouling"] == 0
    assert (await client.post("/_sim/fault", json={"fault": "bogus"})).status == 400


async def test_settings_carry_the_hostname(client: Client) -> None:
    settings = await (await client.get("/getsettings")).json()
    assert settings["wifi_hostname"] == "HeishaMon"
    assert set(settings["wifi_password"]) == {"*"}


async def test_timeout_fault_hangs_beyond_client_timeout(client: Client) -> None:
    await _fault(client, "timeout")
    with pytest.raises(asyncio.TimeoutError):
        await client.get("/json", timeout=aiohttp.ClientTimeout(total=0.2))
    assert (await client.get("/_sim/state")).status == 200
    await _fault(client, "clear")
    assert (await client.get("/json")).status == 200


async def test_hanging_handler_is_released_at_shutdown() -> None:
    app = create_app(Simulator(), speed=0)
    app_client = TestClient(TestServer(app))
    await app_client.start_server()
    await _fault(app_client, "timeout")
    pending = asyncio.ensure_future(app_client.get("/json"))
    await asyncio.sleep(0)
    await asyncio.wait_for(app_client.close(), timeout=5)
    with pytest.raises(aiohttp.ClientError):
        await pending


async def test_http_500(client: Client) -> None:
    await _fault(client, "http_500")
    assert (await client.get("/json")).status == 500
    assert (await client.get("/command?SetHeatpump=1")).status == 500


async def test_malformed_json(client: Client) -> None:
    await _fault(client, "malformed_json")
    text = await (await client.get("/json")).text()
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


async def test_missing_fields(client: Client) -> None:
    await _fault(client, "missing_fields")
    doc = await (await client.get("/json")).json()
    topics = {e["Topic"]: e for e in doc["heatpump"]}
    assert "TOP5" not in topics and "TOP26" not in topics
    assert "Value" not in topics["TOP8"]
    assert "s0" not in doc


async def test_wrong_types(client: Client) -> None:
    await _fault(client, "wrong_types")
    doc = await (await client.get("/json")).json()
    topics = {e["Topic"]: e for e in doc["heatpump"]}
    assert isinstance(topics["TOP5"]["Value"], str)
    assert not isinstance(topics["TOP44"]["Value"], str)


async def test_reboot_drops_connections_then_serves_reset_values(
    client: Client,
) -> None:
    await client.post("/_sim/step", json={"seconds": 600})
    before = await (await client.get("/json")).json()
    await _fault(client, "reboot")
    with pytest.raises(aiohttp.ClientError):
        await client.get("/json")
    await client.post("/_sim/step", json={"seconds": 22})
    reset = {
        e["Topic"]: e["Value"]
        for e in (await (await client.get("/json")).json())["heatpump"]
    }
    assert reset["TOP5"] == -128
    await client.post("/_sim/step", json={"seconds": 10})
    after = await (await client.get("/json")).json()
    assert int(after["s0"][0]["WatthourTotal"]) >= int(before["s0"][0]["WatthourTotal"])
    assert after["heatpump"][11]["Value"] >= before["heatpump"][11]["Value"]


async def test_counter_reset(client: Client) -> None:
    await client.post("/_sim/step", json={"seconds": 3600})
    total = int((await (await client.get("/json")).json())["s0"][0]["WatthourTotal"])
    assert total > 500
    await _fault(client, "counter_reset")
    await client.post("/_sim/step", json={"seconds": 5})
    assert (
        int((await (await client.get("/json")).json())["s0"][0]["WatthourTotal"]) < 50
    )


async def test_defrost_stuck_and_cold_snap_via_http(client: Client) -> None:
    await client.post("/_sim/scenario", json={"name": "warm_humid"})
    await _fault(client, "defrost_stuck")
    state = await (await client.post("/_sim/step", json={"seconds": 3 * 3600})).json()
    assert state["defrost_count"] >= 2 and state["outdoor_c"] > 7
    await _fault(client, "cold_snap")
    state = await (await client.post("/_sim/step", json={"seconds": 3 * 3600})).json()
    assert state["outdoor_c"] < 0
    assert set(state["faults"]) == {"cold_snap", "defrost_stuck"}
    await _fault(client, "clear")
    assert (await (await client.get("/_sim/state")).json())["faults"] == []


async def test_clock_task_advances_and_is_cancelled_on_cleanup() -> None:
    sim = Simulator()
    app = create_app(sim, speed=3600, tick_s=0.01)
    async with TestClient(TestServer(app)) as app_client:
        tasks = [t for t in asyncio.all_tasks() if t.get_name() == "simulator-clock"]
        assert len(tasks) == 1
        for _ in range(50):
            if sim.uptime_s > 0:
                break
            await asyncio.sleep(0.01)
        assert sim.uptime_s > 0
        state = await (await app_client.get("/_sim/state")).json()
        assert state["speed"] == 3600
    assert tasks[0].done()

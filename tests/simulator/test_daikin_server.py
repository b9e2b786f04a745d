"""The Daikin personality over HTTP: real-shaped answers that pydaikin reads, commands it sends, faults."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydaikin.daikin_brp069 import DaikinBRP069  # type: ignore[import-untyped]
from pydaikin.factory import DaikinFactory  # type: ignore[import-untyped]
import pytest

from simulator.__main__ import main, parse_args
from simulator.brp069 import ENDPOINTS, parse
from simulator.daikin import DaikinSimulator
from simulator.daikin_server import DAIKIN_SIM_KEY, create_daikin_app
from tests.daikin_adapter import load_captures

pytestmark = pytest.mark.usefixtures("socket_enabled")

type Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def client() -> AsyncIterator[Client]:
    """A client for a Daikin simulation without a real-time clock (tests step time themselves)."""
    async with TestClient(
        TestServer(create_daikin_app(DaikinSimulator("cold_humid", seed=1), speed=0))
    ) as test_client:
        yield test_client


def _sim(client: Client) -> DaikinSimulator:
    return client.app[DAIKIN_SIM_KEY]


async def _get(client: Client, path: str, **query: str) -> dict[str, str]:
    resp = await client.get(f"/{path}", params=query)
    assert resp.status == 200
    return parse(await resp.text())


async def test_every_endpoint_has_the_captured_fields(client: Client) -> None:
    """Each answer carries exactly the fields a real BRP069 sends (the demand flag aside)."""
    captures = load_captures()
    assert set(captures) == set(ENDPOINTS.values())
    for path, captured in captures.items():
        answer = await _get(client, path)
        assert answer.pop("ret") == "OK"
        assert set(answer) == set(captured), path
    for path in ("aircon/get_demand_control", "dsiot/multireq"):
        assert (await client.get(f"/{path}")).status == 404
    assert (await client.post("/dsiot/multireq", json={})).status == 404


async def test_pydaikin_reads_the_simulated_unit(client: Client) -> None:
    """Pydaikin (Home Assistant's daikin library) finds a BRP069 and reads the simulated values."""
    sim = _sim(client)
    sim.step(2 * 3600)
    host = f"{client.server.host}:{client.server.port}"
    async with aiohttp.ClientSession() as session:
        device = await DaikinFactory(host, session=session)
        assert isinstance(device, DaikinBRP069)
        assert device.mac == sim.mac
        assert device.values["name"] == "Living room"
        assert device.represent("mode")[1] == "hot"
        assert device.outside_temperature == pytest.approx(sim.outdoor_c, abs=0.25)
        assert device.inside_temperature == pytest.approx(sim.room_c, abs=0.25)
        assert device.compressor_frequency == round(sim.last.hz)
        assert device.target_temperature == 21.0
        assert device.support_energy_consumption
        heat_today = device.today_heat_energy_consumption
        assert heat_today == sum(sim.meters.heat.today) / 10 > 0
        assert device.today_cool_energy_consumption == 0
        assert device.energy_consumption(time="7days") > 0


async def test_commands_from_pydaikin_reach_the_unit(client: Client) -> None:
    """Mode, setpoint, fan, powerful/econo and away, sent the way Home Assistant's climate sends them."""
    sim = _sim(client)
    host = f"{client.server.host}:{client.server.port}"
    async with aiohttp.ClientSession() as session:
        device = await DaikinFactory(host, session=session)
        await device.set({"mode": "cool", "stemp": "23"})
        assert (sim.controls.mode, sim.controls.cool_setpoint_c) == ("3", 23.0)
        assert sim.controls.heat_setpoint_c == 21.0
        await device.set({"mode": "hot"})
        assert sim.controls.mode == "4" and sim.controls.setpoint_c() == 21.0
        await device.set({"stemp": "19.5", "f_rate": "silence"})
        assert sim.controls.heat_setpoint_c == 19.5 and sim.controls.fan_rate == "B"
        await device.set({"mode": "off"})
        assert not sim.controls.power_on and sim.controls.mode == "4"
        await device.set({"mode": "hot"})
        assert sim.controls.power_on and sim.controls.fan_rate == "B"
        await device.set_advanced_mode("powerful", "on")
        assert sim.controls.powerful_left_s > 0
        assert device.values["adv"] == "2"
        await device.set_advanced_mode("econo", "on")
        assert sim.controls.econo and sim.controls.powerful_left_s == 0
        await device.set_streamer("on")
        await device.set_holiday("on")
        info = await _get(client, "common/basic_info")
        assert info["en_hol"] == "1"
        assert (await _get(client, "common/get_holiday"))["en_hol"] == "1"
        await device.update_status()
        assert device.represent("adv")[1] == "econo"


async def test_bad_commands_change_nothing(client: Client) -> None:
    """The adapter answers PARAM NG and applies nothing when any parameter is wrong."""
    sim = _sim(client)
    good = {"pow": "1", "mode": "4", "stemp": "22", "shum": "0"}
    for bad in (
        {"stemp": "35"},
        {"stemp": "warm"},
        {"mode": "9"},
        {"pow": "2"},
        {"f_rate": "Z"},
        {"f_dir": "9"},
    ):
        answer = await _get(client, "aircon/set_control_info", **(good | bad))
        assert answer["ret"] == "PARAM NG", bad
    answer = await _get(client, "aircon/set_control_info", pow="1", mode="4")
    assert answer["ret"] == "PARAM NG"
    assert sim.controls.heat_setpoint_c == 21.0
    for query in ({"spmode_kind": "5", "set_spmode": "1"}, {"spmode_kind": "1"}):
        answer = await _get(client, "aircon/set_special_mode", **query)
        assert answer["ret"] == "PARAM NG"
    answer = await _get(client, "common/set_holiday", en_hol="x")
    assert answer["ret"] == "PARAM NG"
    # Dry and fan-only carry no temperature: the adapter takes "M" and "--".
    await _get(
        client, "aircon/set_control_info", **(good | {"mode": "2", "stemp": "M"})
    )
    assert (await _get(client, "aircon/get_control_info"))["stemp"] == "M"
    await _get(
        client, "aircon/set_control_info", **(good | {"mode": "6", "stemp": "--"})
    )
    assert (await _get(client, "aircon/get_sensor_info"))["cmpfreq"] == "0"
    await _get(
        client, "aircon/set_control_info", **(good | {"mode": "0", "stemp": "23"})
    )
    assert sim.controls.auto_setpoint_c == 23.0
    clock = await _get(client, "common/get_datetime", cur="")
    assert clock["cur"].startswith("2025/1/14 ")
    assert (await _get(client, "common/notify_date_time", date="x"))["ret"] == "OK"


async def test_control_api_and_faults(client: Client) -> None:
    """`/_sim/*` steps, switches scenario, cleans and injects faults; the adapter suffers them."""
    state = await (await client.post("/_sim/step", json={"seconds": 600})).json()
    assert state["unit"] == "daikin" and state["uptime_s"] == 600
    for body in ({"seconds": -1}, {"seconds": True}, [1]):
        assert (await client.post("/_sim/step", json=body)).status == 400
    assert (await client.post("/_sim/step", data="x")).status == 400
    state = await (await client.post("/_sim/scenario", json={"name": "mild"})).json()
    assert state["scenario"] == "mild"
    assert (await client.post("/_sim/scenario", json={"name": "x"})).status == 400
    assert (await client.post("/_sim/fault", json={"fault": "x"})).status == 400
    await client.post("/_sim/fault", json={"fault": "dirty_filter"})
    state = await (await client.post("/_sim/clean")).json()
    assert state["filter_dust"] == 0.0
    assert (await (await client.get("/_sim/state")).json())["speed"] == 0

    await client.post("/_sim/fault", json={"fault": "http_500"})
    assert (await client.get("/aircon/get_sensor_info")).status == 500
    await client.post("/_sim/fault", json={"fault": "clear"})
    await client.post("/_sim/fault", json={"fault": "reboot"})
    with pytest.raises(aiohttp.ClientError):
        await client.get("/aircon/get_sensor_info")
    await client.post("/_sim/step", json={"seconds": 30})
    assert (await client.get("/aircon/get_sensor_info")).status == 200
    await client.post("/_sim/fault", json={"fault": "timeout"})
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            await client.get("/aircon/get_sensor_info")


async def test_clock_moves_simulated_time() -> None:
    """With a speed the simulation runs on its own; the command line selects the personality."""
    sim = DaikinSimulator("mild")
    async with TestClient(TestServer(create_daikin_app(sim, speed=100, tick_s=0.02))):
        await asyncio.sleep(0.2)
    assert sim.uptime_s > 5
    assert parse_args(["--unit", "daikin"]).unit == "daikin"
    assert parse_args([]).unit == "heishamon"


def test_command_line_serves_the_daikin_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m simulator --unit daikin` serves the adapter's app on 127.0.0.1 at the given port."""
    served: dict[str, object] = {}

    def run_app(app: web.Application, **kwargs: object) -> None:
        served.update(kwargs, app=app)

    monkeypatch.setattr("simulator.__main__.web.run_app", run_app)
    main(["--unit", "daikin", "--port", "18098", "--scenario", "mild", "--speed", "0"])
    app = served["app"]
    assert isinstance(app, web.Application)
    assert app[DAIKIN_SIM_KEY].state()["scenario"] == "mild"
    assert (served["host"], served["port"]) == ("127.0.0.1", 18098)

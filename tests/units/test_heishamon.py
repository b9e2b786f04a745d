"""Tests for the HeishaMon driver over real HTTP against a local aiohttp server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from datetime import UTC, datetime
import json
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer, unused_port
import pytest

from custom_components.heatpump_efficiency.units.driver import UnitDriver
from custom_components.heatpump_efficiency.units.heishamon import (
    MIN_POLL_INTERVAL,
    UNKNOWN_MODEL_ID,
    HeishaMonDriver,
    refines_model_id,
)
from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    Origin,
    SetpointKind,
    UnitCommandError,
    UnitConnectionError,
    UnitError,
    UnitResponseError,
    UnitTimeoutError,
    UnitValueError,
)

from .heishamon_payloads import (
    command_answers,
    derived,
    issue370,
    listen_only_markers,
    s0_block,
    top92_values,
    with_topics,
)

# The plugin blocks sockets; this re-enables them, and connections stay limited to 127.0.0.1.
pytestmark = pytest.mark.usefixtures("socket_enabled")

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)

# commands.cpp log lines, which /command answers with (one per accepted command, "\n" after each).
_OPERATION_MODE_BYTES = {0: 18, 1: 19, 2: 24, 3: 33, 4: 34, 5: 35, 6: 40}


def firmware_answer(name: str, value: str) -> str | None:
    """Return the line HeishaMon's commands.cpp logs for a command, None for unknown names."""
    number = int(value)
    if name == "SetHeatpump":
        return f"set heatpump state to {1 if number == 1 else 0}"
    if name == "SetOperationMode":
        return f"set heat pump mode to {_OPERATION_MODE_BYTES.get(number, 0)}"
    if name == "SetZ1HeatRequestTemperature":
        return f"set z1 heat request temperature to {number}"
    if name == "SetZ1CoolRequestTemperature":
        return f"set z1 cool request temperature to {number}"
    return None


def status_page(*lines: str) -> str:
    """Return a minimal status page: head, the given status lines, then the heat pump table."""
    table = listen_only_markers()[-1]
    padding = "<style>" + "x" * 20_000 + "</style>"  # the real page's CSS comes first
    return f"<html><head>{padding}</head><body>{''.join(lines)}{table}</table></body></html>"


class FakeHeishaMon:
    """The two HeishaMon routes the driver uses, with recorded payloads and firmware-style answers."""

    def __init__(self, payload: Any) -> None:
        """Serve `payload` on /json."""
        self.payload = payload
        self.commands: list[list[tuple[str, str]]] = []
        self.raw_queries: list[str] = []
        self.json_response: Callable[[], web.StreamResponse] | None = None
        self.command_response: Callable[[], web.StreamResponse] | None = None
        self.slow = False
        self.release = asyncio.Event()
        self.app = web.Application()
        self.status_page: str | None = status_page()
        self.status_requests = 0
        self.app.router.add_get("/json", self.handle_json)
        self.app.router.add_get("/command", self.handle_command)
        self.app.router.add_get("/", self.handle_status)

    async def handle_status(self, request: web.Request) -> web.StreamResponse:
        """Answer the status page (`/`), or 404 when the test removed it."""
        self.status_requests += 1
        if self.status_page is None:
            raise web.HTTPNotFound
        return web.Response(text=self.status_page, content_type="text/html")

    async def handle_json(self, request: web.Request) -> web.StreamResponse:
        """Answer /json like the firmware, or as a test asks."""
        if self.slow:
            await self.release.wait()
        if self.json_response is not None:
            return self.json_response()
        return web.Response(
            text=json.dumps(self.payload), content_type="application/json"
        )

    async def handle_command(self, request: web.Request) -> web.StreamResponse:
        """Record a /command request and answer with the firmware's log lines."""
        self.raw_queries.append(request.query_string)
        self.commands.append(list(request.query.items()))
        if self.command_response is not None:
            return self.command_response()
        lines = [firmware_answer(name, value) for name, value in request.query.items()]
        return web.Response(text="".join(f"{line}\n" for line in lines if line))


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
async def fake() -> AsyncGenerator[tuple[FakeHeishaMon, TestServer]]:
    heishamon = FakeHeishaMon(derived())
    server = TestServer(heishamon.app, host="127.0.0.1")
    await server.start_server()
    yield heishamon, server
    heishamon.release.set()
    await server.close()


def make_driver(
    session: aiohttp.ClientSession, server: TestServer, **kwargs: Any
) -> HeishaMonDriver:
    assert server.port is not None
    return HeishaMonDriver(
        session, "127.0.0.1", server.port, clock=lambda: NOW, **kwargs
    )


def test_driver_is_a_unit_driver(session: aiohttp.ClientSession) -> None:
    driver: UnitDriver = HeishaMonDriver(session, "heishamon.local")
    assert driver.capabilities.min_poll_interval == MIN_POLL_INTERVAL
    assert driver.capabilities.writes_per_hour == 6
    assert (
        driver.capabilities.setpoint_kind is SetpointKind.CURVE_SHIFT
    )  # before any read


async def test_fetch_success(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    _, server = fake
    driver = make_driver(session, server)
    reading = await driver.async_fetch()
    assert reading.time == NOW
    assert reading.mode is OperatingMode.HEAT
    assert reading.flow_lpm == 15.17
    assert driver.capabilities.setpoint_kind is SetpointKind.FLOW
    assert (driver.capabilities.setpoint_min, driver.capabilities.setpoint_max) == (
        20,
        65,
    )
    assert driver.capabilities.modes == frozenset(OperatingMode)


async def test_fetch_uses_s0_ports(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    heishamon, server = fake
    heishamon.payload["s0"] = s0_block((1, 850, 3, 123456), (2, 3000, 10, 5000))
    reading = await make_driver(session, server, s0_ports=[1]).async_fetch()
    assert reading.elec_w is not None
    assert (reading.elec_w.value, reading.elec_w.origin) == (850, Origin.METERED)


async def test_identify_from_model(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    _, server = fake
    identity = await make_driver(session, server).async_identify()
    assert identity.unique_id == "heishamon-e2cf0c740912d00e9405"
    assert identity.manufacturer == "Panasonic"
    assert identity.model == "KIT-AXC9HE8"  # HeatPumpType.md row 54
    assert identity.mac is None


async def test_identify_known_model_and_mac(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    heishamon, server = fake
    heishamon.payload = with_topics(derived(), TOP92="E2 CF 0C 88 05 12 D0 0B 97 05")
    driver = make_driver(session, server, mac="AA-BB-CC-DD-EE-0F")
    identity = await driver.async_identify()
    assert identity.unique_id == "aa:bb:cc:dd:ee:0f"
    assert identity.mac == "aa:bb:cc:dd:ee:0f"
    assert identity.model == "KIT-WC09H3E8"
    assert driver.configuration_url == f"http://127.0.0.1:{server.port}/"


async def test_identify_rejects_other_json(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    heishamon, server = fake
    heishamon.payload = {"status": "ok"}
    with pytest.raises(UnitResponseError, match="heatpump"):
        await make_driver(session, server, mac="aa:bb:cc:dd:ee:ff").async_identify()


async def test_configuration_url_of_invalid_host(
    session: aiohttp.ClientSession,
) -> None:
    driver = HeishaMonDriver(session, "bad host", 80)
    assert driver.configuration_url == "http://bad host:80/"


def no_data_yet() -> dict[str, Any]:
    """Return /json as a board serves it before the heat pump answered: every topic at its no-data value.

    The firmware decodes a frame of zero bytes then (decode.cpp): temperatures -128, states and counters
    -1, powers -200, TOP92 ten zero bytes; every other number is taken as -1 here (the flow prints -0.00).
    """
    payload = derived()
    for entry in payload["heatpump"]:
        value = entry["Value"]
        if entry["Topic"] == "TOP92":
            entry["Value"] = "00 00 00 00 00 00 00 00 00 00"
        elif entry["Topic"] == "TOP44":
            entry["Value"] = "No error"
        elif entry["Description"] == "°C":
            entry["Value"] = -128
        elif entry["Description"] == "Watt":
            entry["Value"] = -200
        elif isinstance(value, (int, float)):
            entry["Value"] = -1
    return payload


async def test_identify_before_the_heat_pump_answers(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    """No data from the heat pump yet and no MAC: no identity, an error that says what to check."""
    heishamon, server = fake
    heishamon.payload = no_data_yet()
    with pytest.raises(UnitResponseError, match="no data from the heat pump yet"):
        await make_driver(session, server).async_identify()
    # Firmware before 3.9 prints 255 for the same all-zero frame.
    heishamon.payload = with_topics(no_data_yet(), TOP92=255)
    with pytest.raises(UnitResponseError, match="no data from the heat pump yet"):
        await make_driver(session, server).async_identify()
    identity = await make_driver(session, server, mac="aabbccddeeff").async_identify()
    assert identity.unique_id == "aa:bb:cc:dd:ee:ff"
    assert identity.model is None


async def test_identify_firmware_before_3_9_known_model(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    """Before 3.9 TOP92 is the model's row number: the same identity as the bytes newer firmware prints."""
    heishamon, server = fake
    heishamon.payload = with_topics(derived(), TOP92=54)
    identity = await make_driver(session, server).async_identify()
    assert identity.unique_id == "heishamon-e2cf0c740912d00e9405"
    assert identity.model == "KIT-AXC9HE8"


async def test_identify_model_the_firmware_does_not_know(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    """TOP92 255 with the heat pump answering (issue 607's L-series), or no TOP92 at all: still added."""
    heishamon, server = fake
    unknown = int(top92_values()[2])
    heishamon.payload = with_topics(derived(), TOP92=unknown)
    identity = await make_driver(session, server).async_identify()
    assert identity.unique_id == UNKNOWN_MODEL_ID == "heishamon-aquarea"
    assert identity.model == "Aquarea"
    heishamon.payload = issue370()  # the K-series table has TOP0 but no TOP92
    identity = await make_driver(session, server).async_identify()
    assert identity.unique_id == UNKNOWN_MODEL_ID
    identity = await make_driver(session, server, mac="aabbccddeeff").async_identify()
    assert identity.unique_id == "aa:bb:cc:dd:ee:ff"
    assert identity.model == "Aquarea"
    # Updating the firmware names the model: the entry accepts it as the same heat pump, nothing else.
    assert refines_model_id(UNKNOWN_MODEL_ID, "heishamon-e2cf0c740912d00e9405")
    assert not refines_model_id(
        "heishamon-e2cf0c740912d00e9405", "heishamon-e2cf0c880512d00b9705"
    )
    assert not refines_model_id(UNKNOWN_MODEL_ID, "aa:bb:cc:dd:ee:ff")


@pytest.mark.parametrize(
    ("response", "error", "match"),
    [
        (lambda: web.Response(status=500, text="boom"), UnitResponseError, "HTTP 500"),
        (
            lambda: web.Response(status=404, text="404 Not found"),
            UnitResponseError,
            "HTTP 404",
        ),
        (
            lambda: web.Response(text="<html>not json</html>"),
            UnitResponseError,
            "not JSON",
        ),
        (lambda: web.Response(text="[1, 2]"), UnitResponseError, "expected an object"),
        (
            lambda: web.Response(text='{"heatpump": 5}'),
            UnitResponseError,
            "expected a list",
        ),
        (
            lambda: web.Response(status=302, headers={"Location": "/"}),
            UnitResponseError,
            "HTTP 302",
        ),
        (lambda: web.Response(body=b" " * 1_000_001), UnitResponseError, "more than"),
    ],
)
async def test_fetch_bad_answers(
    session: aiohttp.ClientSession,
    fake: tuple[FakeHeishaMon, TestServer],
    response: Callable[[], web.StreamResponse],
    error: type[UnitError],
    match: str,
) -> None:
    heishamon, server = fake
    heishamon.json_response = response
    with pytest.raises(error, match=match):
        await make_driver(session, server).async_fetch()


async def test_fetch_timeout(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    heishamon, server = fake
    heishamon.slow = True
    with pytest.raises(UnitTimeoutError, match=r"0\.2 s"):
        await make_driver(session, server, timeout=0.2).async_fetch()


async def test_connection_refused(session: aiohttp.ClientSession) -> None:
    driver = HeishaMonDriver(session, "127.0.0.1", unused_port(), timeout=2)
    with pytest.raises(UnitConnectionError) as err:
        await driver.async_fetch()
    assert not isinstance(err.value, UnitTimeoutError)


async def test_invalid_host(session: aiohttp.ClientSession) -> None:
    driver = HeishaMonDriver(session, "not a host/with spaces", 80, timeout=2)
    with pytest.raises(UnitConnectionError):
        await driver.async_fetch()


async def test_server_disconnects(session: aiohttp.ClientSession) -> None:
    """A connection dropped mid-answer is a connection error."""

    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readline()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(drop, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(UnitConnectionError):
            await HeishaMonDriver(session, "127.0.0.1", port, timeout=2).async_fetch()
    finally:
        server.close()
        await server.wait_closed()


# --- commands -----------------------------------------------------------------------------------


async def test_documented_answers_are_what_the_driver_expects() -> None:
    """The fake server's answers match the firmware's documented answers."""
    for query, line in command_answers().items():
        name, value = query.split("=")
        assert firmware_answer(name, value) == line


async def test_set_target(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    heishamon, server = fake
    driver = make_driver(session, server)
    await driver.async_set_target(38.4)
    # No reading yet: the driver read /json first to learn what the setpoint means (FLOW 20..65).
    assert heishamon.commands == [[("SetZ1HeatRequestTemperature", "38")]]


async def test_set_target_curve_shift_negative(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    heishamon, server = fake
    heishamon.payload = with_topics(derived(), TOP76=0, TOP27=0)
    driver = make_driver(session, server)
    await driver.async_fetch()
    assert driver.capabilities.setpoint_kind is SetpointKind.CURVE_SHIFT
    await driver.async_set_target(-3)
    assert heishamon.raw_queries == ["SetZ1HeatRequestTemperature=-3"]
    # Refused before anything is sent, as a driver error (which is also a ValueError).
    with pytest.raises(UnitValueError, match=r"-5\.\.5"):
        await driver.async_set_target(6)
    with pytest.raises(UnitError, match="not a number"):
        await driver.async_set_target(float("nan"))
    with pytest.raises(ValueError, match="not a number"):
        await driver.async_set_target(float("inf"))
    assert len(heishamon.commands) == 1


async def test_set_target_while_cooling(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    heishamon, server = fake
    heishamon.payload = with_topics(derived(), TOP4=1, TOP81=1, TOP28=18)
    driver = make_driver(session, server)
    await driver.async_fetch()
    await driver.async_set_target(15)
    assert heishamon.commands == [[("SetZ1CoolRequestTemperature", "15")]]


@pytest.mark.parametrize(
    ("top0", "top4", "mode", "expected"),
    [
        (1, 4, OperatingMode.OFF, [("SetHeatpump", "0")]),
        (1, 4, OperatingMode.COOL, [("SetOperationMode", "5")]),  # keeps hot water
        (1, 0, OperatingMode.AUTO, [("SetOperationMode", "2")]),
        (
            1,
            3,
            OperatingMode.HEAT,
            [("SetOperationMode", "4")],
        ),  # DHW only -> heat + DHW
        (0, 0, OperatingMode.HEAT, [("SetOperationMode", "0"), ("SetHeatpump", "1")]),
        (1, 8, OperatingMode.HEAT, [("SetOperationMode", "4")]),
    ],
)
async def test_set_mode(
    session: aiohttp.ClientSession,
    fake: tuple[FakeHeishaMon, TestServer],
    *,
    top0: int,
    top4: int,
    mode: OperatingMode,
    expected: list[tuple[str, str]],
) -> None:
    heishamon, server = fake
    heishamon.payload = with_topics(derived(), TOP0=top0, TOP4=top4)
    driver = make_driver(session, server)
    await driver.async_fetch()
    await driver.async_set_mode(mode)
    assert heishamon.commands == [expected]


async def test_command_url_encoding(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    heishamon, server = fake
    heishamon.payload = with_topics(derived(), TOP0=0, TOP4=4)
    driver = make_driver(session, server)
    await driver.async_fetch()
    await driver.async_set_mode(OperatingMode.AUTO)
    assert heishamon.raw_queries == ["SetOperationMode=6&SetHeatpump=1"]


@pytest.mark.parametrize(
    "response",
    [
        lambda: web.Response(
            text=""
        ),  # an unknown command name: HeishaMon answers nothing
        lambda: web.Response(text="set z1 heat request temperature to -90\n"),
        lambda: web.Response(status=500, text="error"),
    ],
)
async def test_command_not_acknowledged(
    session: aiohttp.ClientSession,
    fake: tuple[FakeHeishaMon, TestServer],
    response: Callable[[], web.StreamResponse],
) -> None:
    heishamon, server = fake
    heishamon.command_response = response
    driver = make_driver(session, server)
    await driver.async_fetch()
    with pytest.raises((UnitCommandError, UnitResponseError)):
        await driver.async_set_target(40)


async def test_command_not_acknowledged_message(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    heishamon, server = fake
    heishamon.command_response = lambda: web.Response(text="set heat pump mode to 0\n")
    driver = make_driver(session, server)
    await driver.async_fetch()
    with pytest.raises(
        UnitCommandError, match=r"SetOperationMode=5.*set heat pump mode to 0"
    ):
        await driver.async_set_mode(OperatingMode.COOL)


@pytest.mark.parametrize(
    ("answer", "accepted"),
    [
        # Newer builds skip a command the heat pump already reports: that is success.
        (
            "SetZ1HeatRequestTemperature skipped: Panasonic already reports the requested value 35\n",
            True,
        ),
        # A skip of another command says nothing about this one.
        (
            "SetZ1CoolRequestTemperature skipped: Panasonic already reports the requested value 35\n",
            False,
        ),
        ("set z1 heat request temperature to 35\n", True),
        ("set z1 heat request temperature to 36\n", False),
    ],
)
async def test_command_skipped_by_newer_firmware_is_success(
    session: aiohttp.ClientSession,
    fake: tuple[FakeHeishaMon, TestServer],
    answer: str,
    *,
    accepted: bool,
) -> None:
    heishamon, server = fake
    heishamon.command_response = lambda: web.Response(text=answer)
    driver = make_driver(session, server)
    await driver.async_fetch()
    if accepted:
        await driver.async_set_target(35)
    else:
        with pytest.raises(UnitCommandError, match="SetZ1HeatRequestTemperature=35"):
            await driver.async_set_target(35)
    assert heishamon.raw_queries == ["SetZ1HeatRequestTemperature=35"]


@pytest.mark.parametrize(
    ("top0", "mode", "answer", "query", "accepted"),
    [
        # Older firmware logs SetHeatpump's raw byte: 1 is off, 2 is on.
        (1, OperatingMode.OFF, "set heatpump state to 1\n", "SetHeatpump=0", True),
        (
            0,
            OperatingMode.HEAT,
            "set heat pump mode to 34\nset heatpump state to 2\n",
            "SetOperationMode=4&SetHeatpump=1",
            True,
        ),
        # Current firmware logs the value itself.
        (1, OperatingMode.OFF, "set heatpump state to 0\n", "SetHeatpump=0", True),
        # "on" is never an answer to "off", in either numbering.
        (1, OperatingMode.OFF, "set heatpump state to 2\n", "SetHeatpump=0", False),
        # Switching on needs both answers: the mode alone is not enough.
        (
            0,
            OperatingMode.HEAT,
            "set heat pump mode to 34\n",
            "SetOperationMode=4&SetHeatpump=1",
            False,
        ),
    ],
)
async def test_set_heatpump_answer_of_older_firmware(
    session: aiohttp.ClientSession,
    fake: tuple[FakeHeishaMon, TestServer],
    top0: int,
    mode: OperatingMode,
    answer: str,
    query: str,
    *,
    accepted: bool,
) -> None:
    heishamon, server = fake
    heishamon.payload = with_topics(derived(), TOP0=top0)
    heishamon.command_response = lambda: web.Response(text=answer)
    driver = make_driver(session, server)
    await driver.async_fetch()
    if accepted:
        await driver.async_set_mode(mode)
    else:
        with pytest.raises(UnitCommandError, match="SetHeatpump"):
            await driver.async_set_mode(mode)
    assert heishamon.raw_queries == [query]


@pytest.mark.parametrize("firmware", ["3.x", "4.x"])
async def test_listen_only_mode_refuses_commands(
    session: aiohttp.ClientSession,
    fake: tuple[FakeHeishaMon, TestServer],
    firmware: str,
) -> None:
    """In listen-only mode HeishaMon acknowledges and drops every command: the driver says so instead."""
    heishamon, server = fake
    marker = listen_only_markers()[0 if firmware == "3.x" else 1]
    heishamon.status_page = status_page("<div>Uptime: 1 day</div>", marker)
    driver = make_driver(session, server)
    with pytest.raises(UnitCommandError, match="listen-only mode"):
        await driver.async_set_target(30)
    with pytest.raises(UnitCommandError, match="turn off 'Listen only'"):
        await driver.async_set_mode(OperatingMode.OFF)
    assert heishamon.commands == []  # nothing was sent that the board would drop
    # Listen-only turned off: the next command goes out.
    heishamon.status_page = status_page("<div>Uptime: 1 day</div>")
    await driver.async_set_target(30)
    assert heishamon.commands == [[("SetZ1HeatRequestTemperature", "30")]]


async def test_status_page_unreadable_sends_the_command(
    session: aiohttp.ClientSession, fake: tuple[FakeHeishaMon, TestServer]
) -> None:
    """Without a readable status page the mode is unknown: the command goes out as before."""
    heishamon, server = fake
    heishamon.status_page = None  # 404
    await make_driver(session, server).async_set_target(31)
    assert heishamon.commands == [[("SetZ1HeatRequestTemperature", "31")]]
    assert heishamon.status_requests == 1
    # A marker only after the status part (in the heat pump table) is not the status.
    heishamon.status_page = status_page() + listen_only_markers()[0]
    await make_driver(session, server).async_set_target(32)
    assert heishamon.commands[-1] == [("SetZ1HeatRequestTemperature", "32")]


async def test_command_connection_refused(session: aiohttp.ClientSession) -> None:
    driver = HeishaMonDriver(session, "127.0.0.1", unused_port(), timeout=2)
    with pytest.raises(UnitConnectionError):
        await driver.async_set_mode(OperatingMode.OFF)

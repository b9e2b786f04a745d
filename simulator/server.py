"""The aiohttp application: HeishaMon's `/json` and `/command`, and the `/_sim/*` control API for tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
import json
from typing import Any, cast

from aiohttp import web

from .faults import corrupt
from .firmware import Firmware
from .model import Simulator

MAX_STEP_S = 366 * 86_400.0
SIM_KEY = web.AppKey("simulator", Simulator)
FIRMWARE_KEY = web.AppKey("firmware", Firmware)
SPEED_KEY = web.AppKey("speed", float)
STOP_KEY = web.AppKey("stop", asyncio.Event)


def create_app(
    sim: Simulator, *, speed: float = 1.0, tick_s: float = 1.0, use_s0: bool = True
) -> web.Application:
    """Build the app around a simulator; `speed` > 0 advances simulated time in a background task."""
    app = web.Application()
    app[SIM_KEY] = sim
    app[FIRMWARE_KEY] = Firmware(sim, use_s0=use_s0)
    app[SPEED_KEY] = speed
    app[STOP_KEY] = asyncio.Event()
    app.router.add_get("/json", _json)
    app.router.add_get("/command", _command)
    app.router.add_get("/getsettings", _settings)
    app.router.add_get("/_sim/state", _state)
    app.router.add_post("/_sim/step", _step)
    app.router.add_post("/_sim/scenario", _scenario)
    app.router.add_post("/_sim/clean", _clean)
    app.router.add_post("/_sim/fault", _fault)
    # aiohttp 3.11's signal annotations disagree with aiosignal 1.4's generics; the callback is correct.
    app.on_shutdown.append(cast("Any", _release_hanging))
    if speed > 0:
        app.cleanup_ctx.append(_clock(speed, tick_s))
    return app


def _clock(speed: float, tick_s: float) -> Any:
    """A cleanup context running the real-time clock task; it is cancelled and awaited on cleanup."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(
            _run_clock(app[SIM_KEY], speed, tick_s), name="simulator-clock"
        )
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return ctx


async def _run_clock(sim: Simulator, speed: float, tick_s: float) -> None:
    """Step the simulation by real elapsed time x speed, once per tick."""
    loop = asyncio.get_running_loop()
    last = loop.time()
    while True:
        await asyncio.sleep(tick_s)
        now = loop.time()
        sim.step((now - last) * speed)
        last = now


async def _release_hanging(app: web.Application) -> None:
    """Let handlers hanging for the `timeout` fault finish so shutdown does not wait for them."""
    app[STOP_KEY].set()


async def _firmware_gate(request: web.Request) -> web.StreamResponse | None:
    """Apply reboot and transport faults to HeishaMon's own endpoints; None means answer normally."""
    sim = request.app[SIM_KEY]
    if sim.heishamon_phase() == "offline":
        # A rebooting board has no web server: the connection just drops.
        if request.transport is not None:
            request.transport.close()
        raise web.HTTPServiceUnavailable(text="rebooting")
    fault = sim.transport_fault()
    if fault == "timeout":
        await request.app[STOP_KEY].wait()
        raise web.HTTPServiceUnavailable(text="shutting down")
    if fault == "http_500":
        return web.Response(status=500, text="500: Internal Server Error")
    return None


async def _json(request: web.Request) -> web.StreamResponse:
    """`GET /json`: the cached frame as the firmware serialises it."""
    if (early := await _firmware_gate(request)) is not None:
        return early
    text = request.app[FIRMWARE_KEY].render()
    fault = request.app[SIM_KEY].transport_fault()
    if fault is not None:
        text = corrupt(text, fault)
    return await _as_firmware(request, text, "application/json")


async def _as_firmware(
    request: web.Request, text: str, content_type: str
) -> web.StreamResponse:
    """Answer as HeishaMon's own web server does: chunked, then the connection closed.

    Its headers promise keep-alive (and never say `Connection: close`), but it closes every
    connection once the last chunk is sent (it has five client slots; HeishaMon's
    `src/common/webserver.cpp`), so a poller pays a new TCP connection on every request, and a
    client that keeps the connection for another request finds it gone.
    """
    response = web.StreamResponse(headers={"Keep-Alive": "timeout=15, max=100"})
    response.content_type = content_type
    response.enable_chunked_encoding()
    await response.prepare(request)
    await response.write(text.encode())
    await response.write_eof()
    if request.transport is not None:
        request.transport.close()
    return response


async def _command(request: web.Request) -> web.StreamResponse:
    """`GET /command?SetX=v&...`: plain text, one firmware log line per accepted command."""
    if (early := await _firmware_gate(request)) is not None:
        return early
    return await _as_firmware(
        request, request.app[FIRMWARE_KEY].command(request.query_string), "text/plain"
    )


async def _settings(request: web.Request) -> web.StreamResponse:
    """`GET /getsettings` (newer firmware): a subset of the settings, passwords masked."""
    if (early := await _firmware_gate(request)) is not None:
        return early
    sim = request.app[SIM_KEY]
    return web.json_response(
        {
            "wifi_hostname": sim.hostname,
            "wifi_ssid": "simulated",
            "wifi_password": "********",
            "mqtt_topic_base": "panasonic_heat_pump",
            "mqtt_password": "",
            "waitTime": 5,
            "use_s0": request.app[FIRMWARE_KEY].use_s0,
            "use_1wire": False,
            "listenonly": False,
            "optionalPCB": False,
        }
    )


def _sim_state(request: web.Request) -> dict[str, Any]:
    return {**request.app[SIM_KEY].state(), "speed": request.app[SPEED_KEY]}


async def json_body(request: web.Request) -> dict[str, Any]:
    """Parse a JSON object body or answer 400."""
    try:
        body = await request.json()
    except ValueError:
        raise bad_request("body must be JSON") from None
    if not isinstance(body, dict):
        raise bad_request("body must be a JSON object")
    return body


def bad_request(message: str) -> web.HTTPBadRequest:
    """A 400 answer with the reason as JSON."""
    return web.HTTPBadRequest(
        text=json.dumps({"error": message}), content_type="application/json"
    )


async def _state(request: web.Request) -> web.StreamResponse:
    """`GET /_sim/state`: every true value."""
    return web.json_response(_sim_state(request))


async def _step(request: web.Request) -> web.StreamResponse:
    """`POST /_sim/step {"seconds": N}`: jump ahead in simulated time."""
    seconds = (await json_body(request)).get("seconds")
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not 0 <= seconds <= MAX_STEP_S
    ):
        raise bad_request(f"seconds must be a number from 0 to {MAX_STEP_S:g}")
    request.app[SIM_KEY].step(float(seconds))
    return web.json_response(_sim_state(request))


async def _scenario(request: web.Request) -> web.StreamResponse:
    """`POST /_sim/scenario {"name": NAME}`: switch scenario (counters carry on)."""
    name = (await json_body(request)).get("name")
    try:
        request.app[SIM_KEY].load_scenario(str(name))
    except KeyError as err:
        raise bad_request(str(err.args[0])) from None
    return web.json_response(_sim_state(request))


async def _clean(request: web.Request) -> web.StreamResponse:
    """`POST /_sim/clean`: the filter and coil are cleaned."""
    request.app[SIM_KEY].clean()
    return web.json_response(_sim_state(request))


async def _fault(request: web.Request) -> web.StreamResponse:
    """`POST /_sim/fault {"fault": NAME}`: inject a fault, or `clear`."""
    name = (await json_body(request)).get("fault")
    try:
        request.app[SIM_KEY].apply_fault(str(name))
    except ValueError as err:
        raise bad_request(str(err)) from None
    return web.json_response(_sim_state(request))

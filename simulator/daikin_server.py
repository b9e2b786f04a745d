"""The aiohttp application of the Daikin personality: the adapter's endpoints and the `/_sim/*` control API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
import contextlib
from typing import Any, cast

from aiohttp import web

from . import brp069
from .daikin import DaikinSimulator
from .daikin_adapter import DaikinAdapter
from .scenarios import SCENARIOS
from .server import MAX_STEP_S, STOP_KEY, bad_request, json_body

DAIKIN_SIM_KEY = web.AppKey("daikin_simulator", DaikinSimulator)
ADAPTER_KEY = web.AppKey("daikin_adapter", DaikinAdapter)
SPEED_KEY = web.AppKey("daikin_speed", float)

type Command = Callable[[DaikinAdapter, Mapping[str, str]], dict[str, str] | None]
COMMANDS: dict[str, Command] = {
    brp069.SET_CONTROL: DaikinAdapter.set_control,
    brp069.SET_SPECIAL_MODE: DaikinAdapter.set_special_mode,
    brp069.SET_HOLIDAY: DaikinAdapter.set_holiday,
}


def create_daikin_app(
    sim: DaikinSimulator, *, speed: float = 1.0, tick_s: float = 1.0
) -> web.Application:
    """Build the app around a Daikin simulation; `speed` > 0 advances simulated time in a background task."""
    app = web.Application()
    app[DAIKIN_SIM_KEY] = sim
    app[ADAPTER_KEY] = DaikinAdapter(sim)
    app[SPEED_KEY] = speed
    app[STOP_KEY] = asyncio.Event()
    app.router.add_get("/_sim/state", _state)
    app.router.add_post("/_sim/step", _step)
    app.router.add_post("/_sim/scenario", _scenario)
    app.router.add_post("/_sim/clean", _clean)
    app.router.add_post("/_sim/fault", _fault)
    # Anything else is the adapter's: unknown resources (pydaikin's probes for newer adapters) get 404.
    app.router.add_route("*", "/{path:.*}", _adapter)
    app.on_shutdown.append(cast("Any", _release_hanging))
    if speed > 0:
        app.cleanup_ctx.append(_clock(speed, tick_s))
    return app


def _clock(speed: float, tick_s: float) -> Any:
    """A cleanup context stepping the simulation by real elapsed time x speed."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        sim = app[DAIKIN_SIM_KEY]

        async def run() -> None:
            loop = asyncio.get_running_loop()
            last = loop.time()
            while True:
                await asyncio.sleep(tick_s)
                now = loop.time()
                sim.step((now - last) * speed)
                last = now

        task = asyncio.create_task(run(), name="simulator-daikin-clock")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return ctx


async def _release_hanging(app: web.Application) -> None:
    app[STOP_KEY].set()


async def _adapter(request: web.Request) -> web.StreamResponse:
    """A GET of one of the adapter's resources, with its faults; `set_*` resources apply commands."""
    sim = request.app[DAIKIN_SIM_KEY]
    if sim.adapter_offline():
        if request.transport is not None:
            request.transport.close()
        raise web.HTTPServiceUnavailable(text="rebooting")
    fault = sim.transport_fault()
    if fault == "timeout":
        await request.app[STOP_KEY].wait()
        raise web.HTTPServiceUnavailable(text="shutting down")
    if fault == "http_500":
        return web.Response(status=500, text="500: Internal Server Error")
    path = request.match_info["path"].strip("/")
    if request.method != "GET":
        raise web.HTTPNotFound
    adapter = request.app[ADAPTER_KEY]
    if (command := COMMANDS.get(path)) is not None:
        done = command(adapter, request.query)
        if done is None:
            return web.Response(text=brp069.render({}, ret=brp069.PARAM_NG))
        return web.Response(text=brp069.render(done))
    if path == brp069.NOTIFY_DATE_TIME:
        return web.Response(text=brp069.render({}))
    if (answer := adapter.answer(path)) is None:
        raise web.HTTPNotFound
    return web.Response(text=brp069.render(answer))


def _sim_state(request: web.Request) -> dict[str, Any]:
    return {**request.app[DAIKIN_SIM_KEY].state(), "speed": request.app[SPEED_KEY]}


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
    request.app[DAIKIN_SIM_KEY].step(float(seconds))
    return web.json_response(_sim_state(request))


async def _scenario(request: web.Request) -> web.StreamResponse:
    """`POST /_sim/scenario {"name": NAME}`: switch scenario (counters and meters carry on)."""
    name = str((await json_body(request)).get("name"))
    if name not in SCENARIOS:
        raise bad_request(
            f"unknown scenario {name!r}; known: {', '.join(sorted(SCENARIOS))}"
        )
    request.app[DAIKIN_SIM_KEY].load_scenario(name)
    return web.json_response(_sim_state(request))


async def _clean(request: web.Request) -> web.StreamResponse:
    """`POST /_sim/clean`: the indoor filter is cleaned."""
    request.app[DAIKIN_SIM_KEY].clean()
    return web.json_response(_sim_state(request))


async def _fault(request: web.Request) -> web.StreamResponse:
    """`POST /_sim/fault {"fault": NAME}`: inject a fault, or `clear`."""
    name = (await json_body(request)).get("fault")
    try:
        request.app[DAIKIN_SIM_KEY].apply_fault(str(name))
    except ValueError as err:
        raise bad_request(str(err)) from None
    return web.json_response(_sim_state(request))

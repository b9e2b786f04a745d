"""Command line: `python -m simulator --port PORT [--unit heishamon|daikin] [--speed N] [--scenario NAME] [--seed S] ...`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
import contextlib
import logging
from typing import Any

from aiohttp import web

from .daikin import DaikinSimulator
from .daikin_server import create_daikin_app
from .firmware import Firmware
from .model import SERIES, Simulator
from .mqtt import run_mqtt
from .scenarios import DEFAULT_SCENARIO, SCENARIOS
from .server import FIRMWARE_KEY, create_app

HOST = "127.0.0.1"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="A virtual heat pump behind HeishaMon's local API, or a mini-split behind a Daikin adapter.",
    )
    parser.add_argument(
        "--unit",
        choices=("heishamon", "daikin"),
        default="heishamon",
        help="heishamon: Aquarea air-to-water unit (default); daikin: air-to-air unit behind a BRP069 adapter",
    )
    parser.add_argument(
        "--port", type=int, default=8099, help="TCP port on 127.0.0.1 (default 8099)"
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="simulated seconds per real second (default 1; 0 = only /_sim/step)",
    )
    parser.add_argument(
        "--scenario", choices=sorted(SCENARIOS), default=DEFAULT_SCENARIO
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--model",
        choices=SERIES,
        default="H",
        help="Aquarea series: H/J (TOP15/16 in 200 W steps) or K/L (extra block)",
    )
    parser.add_argument(
        "--no-s0", action="store_true", help="leave the S0 kWh-meter block out of /json"
    )
    parser.add_argument(
        "--mqtt-port",
        type=int,
        default=0,
        help="also publish HeishaMon's MQTT topics to the broker on 127.0.0.1:PORT (0 = off)",
    )
    parser.add_argument(
        "--mqtt-topic",
        default="panasonic_heat_pump",
        help="HeishaMon's base topic (default panasonic_heat_pump)",
    )
    return parser.parse_args(argv)


def mqtt_context(port: int, topic: str) -> Any:
    """Return a cleanup context that publishes the simulated board's topics while the app runs."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        firmware: Firmware = app[FIRMWARE_KEY]
        task = asyncio.create_task(
            run_mqtt(firmware, host=HOST, port=port, base=topic), name="simulator-mqtt"
        )
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return ctx


def main(argv: list[str] | None = None) -> None:
    """Serve the simulator until interrupted."""
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.unit == "daikin":
        daikin = DaikinSimulator(args.scenario, seed=args.seed)
        logging.getLogger("simulator").info(
            "Serving a Daikin adapter (scenario %s, seed %d, speed x%g) on http://%s:%d/common/basic_info",
            args.scenario,
            args.seed,
            args.speed,
            HOST,
            args.port,
        )
        web.run_app(
            create_daikin_app(daikin, speed=args.speed),
            host=HOST,
            port=args.port,
            print=None,
        )
        return
    sim = Simulator(args.scenario, seed=args.seed, series=args.model)
    app = create_app(sim, speed=args.speed, use_s0=not args.no_s0)
    if args.mqtt_port:
        app.cleanup_ctx.append(mqtt_context(args.mqtt_port, args.mqtt_topic))
        logging.getLogger("simulator").info(
            "Publishing HeishaMon's MQTT topics under %s/ to the broker on %s:%d",
            args.mqtt_topic,
            HOST,
            args.mqtt_port,
        )
    logging.getLogger("simulator").info(
        "Serving scenario %s (model %s, seed %d, speed x%g) on http://%s:%d/json",
        args.scenario,
        args.model,
        args.seed,
        args.speed,
        HOST,
        args.port,
    )
    web.run_app(app, host=HOST, port=args.port, print=None)


if __name__ == "__main__":
    main()

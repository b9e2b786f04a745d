"""A fake Daikin BRP069 adapter on the loopback interface, answering with real captures.

Home Assistant's own `daikin` integration (pydaikin) talks to it exactly as to a real adapter. Values
can be changed between polls (`set`), and every request is counted, so a test can show that our
integration never adds a request to the adapter.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from aiohttp import web

CAPTURES = Path(__file__).parent / "fixtures" / "daikin_brp"
# Endpoint of each capture (pydaikin's daikin_brp069.py resource names).
ENDPOINTS = {
    "basic_info": "common/basic_info",
    "get_remote_method": "common/get_remote_method",
    "get_datetime": "common/get_datetime",
    "get_holiday": "common/get_holiday",
    "get_notify": "common/get_notify",
    "get_model_info": "aircon/get_model_info",
    "get_control_info": "aircon/get_control_info",
    "get_sensor_info": "aircon/get_sensor_info",
    "get_day_power_ex": "aircon/get_day_power_ex",
    "get_week_power": "aircon/get_week_power",
    "get_year_power": "aircon/get_year_power",
    "get_price": "aircon/get_price",
    "get_target": "aircon/get_target",
}
MAC = "409F38D107AC"  # the captured adapter's


def _parse(text: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in text.strip().split(","))


class FakeAdapter:
    """Serves the captured endpoints; `set` changes a value of one endpoint's answer."""

    def __init__(self) -> None:
        """Load the captures."""
        self.answers: dict[str, dict[str, str]] = {
            ENDPOINTS[path.stem.removeprefix("brp069_")]: _parse(
                path.read_text(encoding="utf-8")
            )
            for path in CAPTURES.glob("brp069_*.txt")
        }
        self.requests: Counter[str] = Counter()
        self._runner: web.AppRunner | None = None

    def set(self, endpoint: str, **values: str) -> None:
        """Change values the adapter reports from now on."""
        self.answers[endpoint].update(values)

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.path.strip("/")
        self.requests[path] += 1
        if (answer := self.answers.get(path)) is None:
            raise web.HTTPNotFound
        body = ",".join(f"{key}={value}" for key, value in answer.items())
        return web.Response(text=body)

    async def start(self) -> str:
        """Listen on 127.0.0.1 and return the host:port the integration connects to."""
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        # No access log: its timing breaks under the tests' frozen clock.
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        return f"127.0.0.1:{port}"

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def total(self) -> int:
        """Return how many requests the adapter has answered."""
        return sum(self.requests.values())

"""A fake Daikin BRP069 adapter on the loopback interface, answering with real captures.

Home Assistant's own `daikin` integration (pydaikin) talks to it exactly as to a real adapter. Values
can be changed between polls (`set`), and every request is counted, so a test can show that our
integration never adds a request to the adapter. The text format and the endpoint names are the
simulator's (`simulator/brp069.py`), so this fake and `python -m simulator --unit daikin` answer alike.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from aiohttp import web

from simulator.brp069 import ENDPOINTS, parse, render

CAPTURES = Path(__file__).parent / "fixtures" / "daikin_brp"
MAC = "409F38D107AC"  # the captured adapter's


def load_captures() -> dict[str, dict[str, str]]:
    """Return each captured endpoint's fields (without `ret`), keyed by its resource path."""
    answers = {}
    for path in CAPTURES.glob("brp069_*.txt"):
        fields = parse(path.read_text(encoding="utf-8"))
        assert fields.pop("ret") == "OK", path.name
        answers[ENDPOINTS[path.stem.removeprefix("brp069_")]] = fields
    return answers


class FakeAdapter:
    """Serves the captured endpoints; `set` changes a value of one endpoint's answer."""

    def __init__(self) -> None:
        """Load the captures."""
        self.answers = load_captures()
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
        return web.Response(text=render(answer))

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

"""HeishaMon over MQTT without a broker client of its own: topic messages in, readings and commands out.

HeishaMon publishes every decoded value as a retained message `<base>/main/<Name>` (the same names and value
texts as its `/json`), the K/L-series extra block under `extra/`, S0 meters under `s0/<Watt|WatthourTotal>/<port>`
and its availability under `LWT`. It publishes a value when it changes and all of them again every few
minutes. Commands are messages to `<base>/commands/<SetCommand>` with the value `/command` takes; nothing
acknowledges them, so a command counts as applied only once the unit reports the new value.

Availability: the broker keeps the board's last will `LWT` = `Offline` retained, but the firmware publishes
`Online` without retain (at every connect and every read cycle, HeishaMon.ino). After the board once dropped
off, a new subscriber is therefore handed `Offline` even while the board is up. A retained `Offline` only
counts until the board shows it is connected: any message it publishes live (not replayed by the broker),
`Online` every few seconds or a changed value, wins over it. Retained values say nothing of their age, so
the integration layer starts reading a board only once it has published live (`live`).

The transport (Home Assistant's MQTT integration in the integration layer, or a test) subscribes to
`subscriptions(base)`, hands every message to `HeishaMonMqttDriver.handle_message` and gives the driver a
`publish` coroutine. The values are decoded by turning the latest fresh message of each topic back into the
`/json` shape and parsing it with `parse_heishamon`: the same data gives the same `Reading` over both transports.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import ipaddress
from typing import Final

from .heishamon import HeishaMonDriver, _Command
from .heishamon_parser import HeishaMonState, parse_heishamon
from .heishamon_topics import (
    COMMANDS,
    EXTRA,
    EXTRA_NUMBERS,
    LWT,
    MAIN,
    MAIN_NUMBERS,
    OFFLINE,
    ONLINE,
    S0,
)
from .model import Reading, UnitConnectionError, UnitResponseError

type Publish = Callable[[str, str], Awaitable[None]]
"""Publish a payload to a topic (not retained); raise UnitConnectionError when it cannot be sent."""

DEFAULT_MAX_AGE: Final = timedelta(minutes=15)
"""A value not published again within this time expires; HeishaMon republishes everything every 5 min."""
CONFIRM_TIMEOUT: Final = timedelta(minutes=1)
"""A command the unit has not reported back within this time counts as not applied."""
MIN_STEP: Final = timedelta(milliseconds=1)
"""Readings are strictly in time order."""
MAX_PAYLOAD: Final = 256
"""HeishaMon's values are short; a longer payload on one of its topics is not a value."""
IP_TOPIC: Final = "ip"
"""HeishaMon publishes its IP address here, which gives the link to its web page."""

# SetOperationMode 2/6 (auto) is reported as 2 or 7 (6 or 8) depending on whether the unit heats or cools.
_MODE_REPORTS: Final[dict[int, frozenset[int]]] = {
    2: frozenset({2, 7}),
    6: frozenset({6, 8}),
}
# Which main topic reports each command the drivers send, and the reported values that confirm it.
_REPORTED_BY: Final[dict[str, int]] = {
    "SetHeatpump": 0,
    "SetOperationMode": 4,
    "SetZ1HeatRequestTemperature": 27,
    "SetZ1CoolRequestTemperature": 28,
}


def subscriptions(base_topic: str) -> tuple[str, ...]:
    """Return the topic filters the transport subscribes to for one HeishaMon."""
    return (
        f"{base_topic}/{LWT}",
        f"{base_topic}/{IP_TOPIC}",
        f"{base_topic}/{MAIN}/+",
        f"{base_topic}/{EXTRA}/+",
        f"{base_topic}/{S0}/+/+",
    )


def valid_base_topic(text: str) -> str | None:
    """Return a base topic without surrounding slashes and spaces, or None when it cannot be one."""
    topic = text.strip().strip("/")
    if (
        not topic
        or len(topic) > 128
        or any(char in topic for char in "#+\0")
        or "//" in topic
    ):
        return None
    return topic


def base_topic_candidates(text: str) -> tuple[str, ...]:
    """Return the base topics a user's entry can mean: as typed first, then without surrounding slashes.

    HeishaMon joins its topics as `<base>/main/<Name>` whatever the base is, so a base configured as
    `/heishamon` publishes under `/heishamon/...`: a slash typed on purpose must be kept, one typed by
    mistake dropped. Empty when the text cannot be a base topic.
    """
    typed = text.strip()
    normal = valid_base_topic(typed)
    if (
        typed.strip("/")
        and typed != normal
        and len(typed) <= 128
        and not any(char in typed for char in "#+\0")
        and "//" not in typed.strip("/")
    ):
        return (typed,) if normal is None else (typed, normal)
    return () if normal is None else (normal,)


@dataclass(frozen=True, slots=True)
class _Message:
    payload: str
    time: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingCommand:
    """A command published but not yet reported back by the unit."""

    name: str
    value: int
    sent: datetime

    def confirmed_by(self, reported: float) -> bool:
        """Return whether a reported value of the command's topic shows the command was applied."""
        if self.name == "SetOperationMode":
            return reported in _MODE_REPORTS.get(self.value, frozenset({self.value}))
        return reported == self.value


class TopicValues:
    """The latest message of every HeishaMon data topic under one base topic, and when it came."""

    def __init__(self, base_topic: str) -> None:
        """Start empty; `online` is None until the LWT topic is seen."""
        self.base_topic = base_topic
        self.online: bool | None = None
        self.ip: str | None = None
        # A message came live from the board: a retained LWT is out of date.
        self._live = False
        self._main: dict[int, _Message] = {}
        self._extra: dict[int, _Message] = {}
        self._s0: dict[tuple[int, str], _Message] = {}

    def accept(
        self, topic: str, payload: str, time: datetime, *, retained: bool = False
    ) -> int | None:
        """Keep one message; return the TOP number of a main topic, -1 for other data, None when ignored.

        `retained` says the broker replayed a stored message to a new subscription rather than passing
        on one the board publishes now.
        """
        prefix = self.base_topic + "/"
        if not topic.startswith(prefix) or len(payload) > MAX_PAYLOAD:
            return None
        parts = topic[len(prefix) :].split("/")
        value = payload.strip()
        if parts == [LWT]:
            state = {ONLINE: True, OFFLINE: False}.get(value)
            if state is not None and not (retained and self._live):
                self.online = state
            self._live = self._live or (state is not None and not retained)
            return None
        if not value:
            # An empty message deletes a retained one (a user clearing the broker, not the board):
            # the value is no longer known.
            self._forget(parts)
            return None
        if not retained:
            # The board publishes only while it is connected to the broker.
            self._live = True
            self.online = True
        match parts:
            case [str(folder)] if folder == IP_TOPIC:
                self.ip = _ip_address(value)
                return None
            case [str(folder), str(name)] if folder == MAIN and name in MAIN_NUMBERS:
                number = MAIN_NUMBERS[name]
                self._main[number] = _Message(value, time)
                return number
            case [str(folder), str(name)] if folder == EXTRA and name in EXTRA_NUMBERS:
                self._extra[EXTRA_NUMBERS[name]] = _Message(value, time)
                return -1
            case [str(folder), "Watt" | "WatthourTotal" as kind, str(port)] if (
                folder == S0 and port.isdigit()
            ):
                self._s0[int(port), kind] = _Message(value, time)
                return -1
        return None

    @property
    def live(self) -> bool:
        """Return whether the board has published anything live since the subscription began."""
        return self._live

    def _forget(self, parts: list[str]) -> None:
        """Drop the value of a data topic (given below the base topic)."""
        match parts:
            case [str(folder), str(name)] if folder == MAIN and name in MAIN_NUMBERS:
                self._main.pop(MAIN_NUMBERS[name], None)
            case [str(folder), str(name)] if folder == EXTRA and name in EXTRA_NUMBERS:
                self._extra.pop(EXTRA_NUMBERS[name], None)
            case [str(folder), str(kind), str(port)] if folder == S0 and port.isdigit():
                self._s0.pop((int(port), kind), None)

    def main_value(self, number: int) -> str | None:
        """Return the latest payload of a main topic, whatever its age."""
        message = self._main.get(number)
        return None if message is None else message.payload

    def document(self, time: datetime, max_age: timedelta) -> dict[str, object]:
        """Return the values still fresh at `time` in the shape of HeishaMon's `/json`."""

        def fresh(message: _Message) -> bool:
            return time - message.time <= max_age

        document: dict[str, object] = {
            "heatpump": [
                {"Topic": f"TOP{number}", "Value": message.payload}
                for number, message in sorted(self._main.items())
                if fresh(message)
            ]
        }
        extra = [
            {"Topic": f"XTOP{number}", "Value": message.payload}
            for number, message in sorted(self._extra.items())
            if fresh(message)
        ]
        if extra:
            document["heatpump extra"] = extra
        ports: dict[int, dict[str, str]] = {}
        for (port, kind), message in sorted(self._s0.items()):
            if fresh(message):
                ports.setdefault(port, {"S0 port": str(port)})[kind] = message.payload
        if ports:
            document["s0"] = list(ports.values())
        return document


class HeishaMonMqttDriver(HeishaMonDriver):
    """A HeishaMon board reached through an MQTT broker; implements `UnitDriver` like the HTTP driver.

    Identity, capabilities, setpoint and mode logic are the HTTP driver's; only reading (the latest
    fresh topic values instead of `GET /json`) and commanding (a message per command, confirmed when the
    unit reports it) differ.
    """

    def __init__(
        self,
        publish: Publish,
        *,
        base_topic: str,
        s0_ports: Collection[int] | None = None,
        max_age: timedelta = DEFAULT_MAX_AGE,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """Prepare the driver; messages arrive through `handle_message`."""
        # The HTTP driver's own constructor sets up a web client this driver never uses; its shared
        # logic reads only the attributes set here (a test runs every inherited method over MQTT).
        self._host = base_topic
        self._port = 0
        self._mac: str | None = None  # a board's MAC never travels over MQTT
        self._s0_ports = frozenset(s0_ports) if s0_ports is not None else None
        self._clock = clock or _utc_now
        self._state: HeishaMonState | None = None
        self._publish = publish
        self._max_age = max_age
        self.values = TopicValues(base_topic)
        self._changed_at: datetime | None = None
        self._last_time: datetime | None = None
        self._pending: dict[str, PendingCommand] = {}

    # --- what the transport calls -----------------------------------------------------------

    @property
    def base_topic(self) -> str:
        """Return the base topic the board publishes under."""
        return self.values.base_topic

    @property
    def host(self) -> str:
        """Return the board's IP address when it has published it, else ""."""
        return self.values.ip or ""

    @property
    def configuration_url(self) -> str | None:  # type: ignore[override]
        """Return the URL of HeishaMon's web page once the board has published its address."""
        ip = self.values.ip
        if ip is None:
            return None
        return f"http://[{ip}]/" if ":" in ip else f"http://{ip}/"

    @property
    def pending(self) -> bool:
        """Return whether data arrived since the last reading."""
        return self._changed_at is not None

    @property
    def last_time(self) -> datetime | None:
        """Return the time of the last reading."""
        return self._last_time

    @property
    def online(self) -> bool | None:
        """Return the board's availability from its LWT topic (None before it is seen)."""
        return self.values.online

    @property
    def live(self) -> bool:
        """Return whether the board has shown it is connected now (retained values may be days old)."""
        return self.values.live and self.values.online is True

    def handle_message(
        self, topic: str, payload: str, time: datetime, *, retained: bool = False
    ) -> bool:
        """Take one message (`retained`: replayed by the broker); return True when it carried data."""
        number = self.values.accept(topic, payload, time, retained=retained)
        if number is None:
            return False
        if self._changed_at is None or time > self._changed_at:
            self._changed_at = time
        if number >= 0:
            self._confirm(number)
        return True

    def overdue(self, now: datetime) -> list[PendingCommand]:
        """Return (and forget) the commands the unit has not reported back in time."""
        late = [
            command
            for command in self._pending.values()
            if now - command.sent >= CONFIRM_TIMEOUT
        ]
        for command in late:
            del self._pending[command.name]
        return late

    @property
    def unconfirmed(self) -> list[PendingCommand]:
        """Return the commands still waiting for the unit to report them."""
        return list(self._pending.values())

    def _confirm(self, number: int) -> None:
        """Forget pending commands that the new value of main topic `number` confirms."""
        reported = _number(self.values.main_value(number))
        if reported is None:
            return
        for name, topic in _REPORTED_BY.items():
            command = self._pending.get(name)
            if (
                topic == number
                and command is not None
                and command.confirmed_by(reported)
            ):
                del self._pending[name]

    # --- the HTTP driver's transport hooks ---------------------------------------------------

    async def _async_read(self) -> HeishaMonState:
        """Parse the fresh topic values as a reading at the time the latest of them arrived."""
        if self.values.online is False:
            raise UnitConnectionError(
                f"HeishaMon on MQTT topic {self.base_topic} is offline (its LWT says {OFFLINE})"
            )
        now = self._clock()
        time = self._changed_at or now
        self._changed_at = None
        if self._last_time is not None and time <= self._last_time:
            time = max(now, self._last_time + MIN_STEP)
        document = self.values.document(now, self._max_age)
        if not document["heatpump"]:
            raise UnitConnectionError(
                f"HeishaMon on MQTT topic {self.base_topic} has published no values "
                f"in the last {self._max_age.total_seconds() / 60:g} minutes"
            )
        state = parse_heishamon(document, time=time, s0_ports=self._s0_ports)
        self._state = state
        self._last_time = time
        return state

    async def _async_command(self, commands: Sequence[_Command]) -> None:
        """Publish each command to `<base>/commands/<name>`; the unit's next report confirms it."""
        if self.values.online is False:
            raise UnitConnectionError(
                f"HeishaMon on MQTT topic {self.base_topic} is offline: command not sent"
            )
        for name, value, _acknowledgements in commands:
            await self._publish(f"{self.base_topic}/{COMMANDS}/{name}", str(value))
            if name in _REPORTED_BY:
                # The last request wins: a newer command replaces the one still waiting.
                self._pending[name] = PendingCommand(
                    name=name, value=value, sent=self._clock()
                )

    async def async_fetch(self) -> Reading:
        """Return a reading of the fresh values (no I/O: the values were pushed)."""
        return (await self._async_read()).reading

    def check_topic(self) -> None:
        """Raise UnitResponseError unless HeishaMon's main topics were seen (config flow check)."""
        if not self.values.document(self._clock(), self._max_age)["heatpump"]:
            raise UnitResponseError(
                f"no HeishaMon values on MQTT topic {self.base_topic}/{MAIN}/"
            )


def _number(text: str | None) -> float | None:
    """Return a payload as a number, or None."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _ip_address(text: str) -> str | None:
    """Return a valid IP address, or None."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def _utc_now() -> datetime:
    return datetime.now(UTC)

"""HeishaMon's MQTT side: the simulated unit's values published as the firmware does, commands taken back.

What the firmware does (HeishaMon.ino, decode.cpp, s0.cpp): on connecting it publishes `LWT` = `Online`
(not retained, again every read cycle; the broker publishes `Offline` retained as its last will) and its IP
address to `ip` (retained). After each read of
the heat pump it publishes every changed value to `main/<Name>` (and `extra/<Name>` on K/L series), all
retained, and every value again every `updateAllTime` seconds (default 300). S0 meters publish
`s0/Watt/<port>`, `s0/Watthour/<port>` and `s0/WatthourTotal/<port>`. Commands arrive on
`commands/<SetCommand>` with the value `/command` takes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import logging
import threading
from typing import Any

from .firmware import FRAME_INTERVAL_S, Firmware, Frame, apply_command, format_value
from .topics import EXTRA_TOPICS, TOPICS, Kind

UPDATE_ALL_S = 300.0
"""The firmware's default `updateAllTime`: every value is published again this often."""
S0_INTERVAL_S = 60.0
"""How often the S0 meters are reported (the firmware's default S0 interval)."""
LOGGER = logging.getLogger(__name__)

type Message = tuple[str, str]


def main_payload(number: int, value: Any) -> str:
    """Print a main topic's value as the firmware publishes it (text values without JSON quotes)."""
    topic = TOPICS[number]
    if topic.kind is Kind.TEXT:
        return str(value)
    return format_value(topic, value)


def frame_messages(
    base: str, frame: Frame, previous: Frame | None = None
) -> list[Message]:
    """Return the main and extra messages of a frame: all of them, or only those that changed."""
    messages: list[Message] = []
    for topic in TOPICS:
        value = frame.values[topic.number]
        if previous is None or previous.values[topic.number] != value:
            messages.append(
                (f"{base}/main/{topic.name}", main_payload(topic.number, value))
            )
    if frame.extra is not None:
        for number, name in enumerate(EXTRA_TOPICS):
            value = frame.extra[number]
            if (
                previous is None
                or previous.extra is None
                or previous.extra[number] != value
            ):
                messages.append((f"{base}/extra/{name}", str(value)))
    return messages


def s0_messages(base: str, frame: Frame, watthour: int) -> list[Message]:
    """Return the S0 messages of port 1 (the whole unit) and the unconnected port 2."""
    ports = ((1, frame.s0_watt, watthour, frame.s0_total_wh), (2, 0, 0, 0))
    return [
        message
        for port, watt, wh, total in ports
        for message in (
            (f"{base}/s0/Watt/{port}", str(watt)),
            (f"{base}/s0/Watthour/{port}", str(wh)),
            (f"{base}/s0/WatthourTotal/{port}", str(total)),
        )
    ]


class Publisher:
    """Decides what the firmware publishes as simulated time passes; `send` does the publishing."""

    def __init__(
        self,
        firmware: Firmware,
        send: Callable[[str, str, bool], None],
        *,
        base: str = "panasonic_heat_pump",
    ) -> None:
        """Publish through `send(topic, payload, retain)`."""
        self.firmware = firmware
        self.base = base
        self._send = send
        self._last: Frame | None = None
        self._last_all: float | None = None
        self._last_s0: float | None = None
        self._s0_total: int | None = None

    def connected(self, ip: str = "127.0.0.1") -> None:
        """Announce the board and publish every value (as after the firmware's MQTT (re)connect)."""
        self._send(f"{self.base}/LWT", "Online", False)
        self._send(f"{self.base}/ip", ip, True)
        self._last = None
        self.tick()

    def still_online(self) -> None:
        """Say `Online` again, not retained, as the firmware does every read cycle over the broker's will."""
        if self.firmware.sim.heishamon_phase() != "offline":
            self._send(f"{self.base}/LWT", "Online", False)

    def tick(self) -> None:
        """Publish what is due at the simulator's current time."""
        sim = self.firmware.sim
        if sim.heishamon_phase() == "offline":
            return
        now = sim.uptime_s
        frame = self.firmware.frame()
        full = self._last_all is None or now - self._last_all >= UPDATE_ALL_S
        if full:
            self._last_all = now
        for topic, payload in frame_messages(
            self.base, frame, None if full else self._last
        ):
            self._send(topic, payload, True)
        self._last = frame
        if self.firmware.use_s0 and (
            self._last_s0 is None or now - self._last_s0 >= S0_INTERVAL_S
        ):
            self._last_s0 = now
            last = frame.s0_total_wh if self._s0_total is None else self._s0_total
            self._s0_total = frame.s0_total_wh
            for topic, payload in s0_messages(
                self.base, frame, max(frame.s0_total_wh - last, 0)
            ):
                self._send(topic, payload, True)

    def command(self, topic: str, payload: str) -> str | None:
        """Apply a message to `<base>/commands/<name>`; return the firmware's log line."""
        prefix = f"{self.base}/commands/"
        if not topic.startswith(prefix):
            return None
        return apply_command(self.firmware.sim.controls, topic[len(prefix) :], payload)


async def run_mqtt(
    firmware: Firmware,
    *,
    host: str,
    port: int,
    base: str = "panasonic_heat_pump",
    stop: asyncio.Event | None = None,
) -> None:
    """Connect to a broker and publish like the firmware until `stop` is set (or the task is cancelled)."""
    from paho.mqtt.client import Client  # noqa: PLC0415 - only the MQTT mode needs paho
    from paho.mqtt.enums import CallbackAPIVersion  # noqa: PLC0415

    loop = asyncio.get_running_loop()
    lock = threading.Lock()
    client = Client(CallbackAPIVersion.VERSION2, client_id=f"heishamon-sim-{port}")
    client.will_set(f"{base}/LWT", "Offline", qos=1, retain=True)

    def send(topic: str, payload: str, retain: bool) -> None:
        with lock:
            client.publish(topic, payload, qos=0, retain=retain)

    publisher = Publisher(firmware, send, base=base)

    def on_connect(*_args: Any) -> None:
        client.subscribe(f"{base}/commands/+")
        loop.call_soon_threadsafe(publisher.connected)

    def on_message(_client: Any, _userdata: Any, message: Any) -> None:
        payload = message.payload.decode("utf-8", errors="replace")

        def apply() -> None:
            line = publisher.command(message.topic, payload)
            LOGGER.info("MQTT %s=%s: %s", message.topic, payload, line)
            publisher.tick()

        loop.call_soon_threadsafe(apply)

    client.on_connect = on_connect
    client.on_message = on_message
    client.connect_async(host, port)
    client.loop_start()
    try:
        turns = 0
        while stop is None or not stop.is_set():
            await asyncio.sleep(FRAME_INTERVAL_S / 5)
            publisher.tick()
            turns += 1
            if turns % 5 == 0 and client.is_connected():
                publisher.still_online()
    finally:
        client.loop_stop()
        client.disconnect()

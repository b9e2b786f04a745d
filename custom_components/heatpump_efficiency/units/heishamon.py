"""Driver for Panasonic Aquarea heat pumps through a HeishaMon board's local HTTP API.

One `GET /json` per poll; commands through `GET /command?Name=Value`, which answers `200 text/plain` with one
line per accepted command (HeishaMon `HeishaMon.ino` route `/command`, `commands.cpp`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
import math

import aiohttp
from yarl import URL

from .heishamon_parser import (
    MAX_BODY_BYTES,
    HeishaMonState,
    decode_body,
    describe_model,
    parse_heishamon,
)
from .model import (
    Capabilities,
    OperatingMode,
    Reading,
    SetpointKind,
    UnitCommandError,
    UnitConnectionError,
    UnitIdentity,
    UnitResponseError,
    UnitTimeoutError,
    UnitValueError,
)

MANUFACTURER = "Panasonic"
DEFAULT_PORT = 80
MIN_POLL_INTERVAL = 10.0
"""HeishaMon asks the heat pump for new data every 5 s (its minimum `waitTime`) and /json serves that cache.
Polling every 10 s loses nothing that matters for efficiency and keeps the ESP8266's small web server,
which also serves MQTT and its own page, free for other clients."""
UNKNOWN_MODEL_ID = "heishamon-aquarea"
"""The identity of a heat pump whose HeishaMon firmware cannot name its model (firmware before 3.9 and a
model missing from its table). Newer firmware names every model by its bytes: `refines_model_id`."""
UNKNOWN_MODEL = "Aquarea"
WRITES_PER_HOUR = 6
"""HeishaMon's advice is "just a few writes per hour per setting" to spare the heat pump's EEPROM."""
REPORTED_FIELDS: frozenset[str] = frozenset(
    {
        "room_c",
        "outdoor_c",
        "flow_c",
        "return_c",
        "flow_lpm",
        "elec_w",
        "heat_w",
        "elec_kwh",
        "compressor_running",
        "compressor_hz",
        "compressor_starts",
        "operating_hours",
        "defrost",
        "backup_heater",
        "mode",
        "dhw_active",
        "cooling_active",
        "target_c",
        "room_target_c",
        "flow_target_c",
        "dhw_c",
        "error",
    }
)
"""The `Reading` fields `parse_heishamon` fills (TOP44 gives the error, TOP10 the tank, TOP7 the flow target)."""

# SetOperationMode takes 0-6 (commands.cpp set_operation_mode) and sends these raw bytes, which it echoes.
# TOP4 reports 0-8: the same numbers for 0-6, plus 7 Auto(cool) and 8 Auto(cool)+DHW, which cannot be set
# (setting 2 or 6 gives auto, and the unit then reports 2/7 or 6/8 depending on what it is doing).
_OPERATION_MODE_BYTES = {0: 18, 1: 19, 2: 24, 3: 33, 4: 34, 5: 35, 6: 40}
_SET_MODE = {OperatingMode.HEAT: 0, OperatingMode.COOL: 1, OperatingMode.AUTO: 2}
_WITH_DHW = 4  # heat 0 -> heat+DHW 4, cool 1 -> cool+DHW 5, auto 2 -> auto+DHW 6


class HeishaMonDriver:
    """A HeishaMon board on the local network; implements `UnitDriver`.

    Identity and its limits: HeishaMon's /json carries no MAC address, serial number or firmware version.
    `unique_id` is therefore the board's MAC when the caller knows it (pass `mac=`, e.g. from DHCP or
    zeroconf discovery), formatted `aa:bb:cc:dd:ee:ff`; otherwise `heishamon-` followed by the heat pump's
    TOP92 model bytes (`heishamon-e2cf0c740912d00e9405`; firmware before 3.9 prints the model's row in
    HeishaMon's table instead, which gives the same bytes). The model bytes survive IP changes and
    HeishaMon reboots, but two heat pumps of the same model get the same id, and moving the board to
    another model changes it. When the firmware cannot name the model, the id is `UNKNOWN_MODEL_ID`.
    Until the heat pump has answered HeishaMon (every topic still at its no-data value),
    `async_identify` raises `UnitResponseError` unless a MAC was given.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        host: str,
        port: int = DEFAULT_PORT,
        *,
        timeout: float = 10.0,
        mac: str | None = None,
        s0_ports: Collection[int] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """Prepare the driver; no I/O happens before the first call."""
        self._session = session
        self._host = host
        self._port = port
        self._timeout = timeout
        self._client_timeout = aiohttp.ClientTimeout(total=timeout)
        self._mac = _format_mac(mac) if mac else None
        self._s0_ports = frozenset(s0_ports) if s0_ports is not None else None
        self._clock = clock or _utc_now
        self._state: HeishaMonState | None = None

    @property
    def host(self) -> str:
        """Return the host name or address the driver talks to."""
        return self._host

    @property
    def configuration_url(self) -> str:
        """Return the URL of HeishaMon's own web page."""
        try:
            return str(self._url("/"))
        except ValueError:
            return f"http://{self._host}:{self._port}/"

    @property
    def capabilities(self) -> Capabilities:
        """Return what the unit can do; the setpoint follows the unit's latest reported configuration."""
        if self._state is None:
            # Before the first read: the narrowest meaning (a curve shift) until the unit says otherwise.
            kind, low, high = _DEFAULT_SETPOINT
        else:
            setpoint = self._state.setpoint
            kind, low, high = setpoint.kind, setpoint.minimum, setpoint.maximum
        fields = REPORTED_FIELDS
        if self._state is not None and self._state.reading.room_c is None:
            # The zone runs on water temperature: the unit has no room temperature to give.
            fields -= {"room_c"}
        return Capabilities(
            modes=frozenset(OperatingMode),
            setpoint_kind=kind,
            setpoint_min=low,
            setpoint_max=high,
            setpoint_step=1.0,
            min_poll_interval=MIN_POLL_INTERVAL,
            writes_per_hour=WRITES_PER_HOUR,
            reported_fields=fields,
        )

    async def async_identify(self) -> UnitIdentity:
        """Read /json once, check it is HeishaMon's and return the unit's identity."""
        state = await self._async_read()
        if not state.main_topics:
            raise UnitResponseError(
                f'{self._host}:{self._port} answered /json without HeishaMon\'s "heatpump" topics'
            )
        model_code = state.model_code
        if model_code is None and state.heatpump_on is None:
            # Every topic is still the firmware's no-data value: the heat pump has not answered yet.
            if self._mac is None:
                raise UnitResponseError(
                    f"HeishaMon at {self._host} has no data from the heat pump yet: "
                    "check that the heat pump is on and its cable is connected"
                )
            return UnitIdentity(
                unique_id=self._mac, manufacturer=MANUFACTURER, mac=self._mac
            )
        if model_code is not None:
            model_id = "heishamon-" + model_code.replace(" ", "").lower()
            model = describe_model(model_code)
        else:
            # The heat pump answers but the firmware cannot name it (before 3.9 it prints 255 for a
            # model missing from its table).
            model_id, model = UNKNOWN_MODEL_ID, UNKNOWN_MODEL
        return UnitIdentity(
            unique_id=self._mac or model_id,
            manufacturer=MANUFACTURER,
            model=model,
            mac=self._mac,
        )

    async def async_fetch(self) -> Reading:
        """Fetch one reading with a single `GET /json`."""
        return (await self._async_read()).reading

    async def async_set_target(self, value: float) -> None:
        """Write zone 1's request temperature (an integer: absolute or a -5..+5 curve shift).

        Raises UnitValueError (a ValueError) when `value` is not finite or outside `capabilities`'
        range after rounding; nothing is sent then.
        """
        state = self._state or await self._async_read()
        setpoint = state.setpoint
        if not math.isfinite(value):
            raise UnitValueError(f"target {value} is not a number")
        target = round(value)
        if not setpoint.minimum <= target <= setpoint.maximum:
            raise UnitValueError(
                f"target {target} is outside {setpoint.minimum:g}..{setpoint.maximum:g} "
                f"({setpoint.kind.value})"
            )
        if setpoint.cooling:
            command = (
                "SetZ1CoolRequestTemperature",
                target,
                (f"set z1 cool request temperature to {target}",),
            )
        else:
            command = (
                "SetZ1HeatRequestTemperature",
                target,
                (f"set z1 heat request temperature to {target}",),
            )
        await self._async_command([command])

    async def async_set_mode(self, mode: OperatingMode) -> None:
        """Switch the unit off, or on in heat, cool or auto; hot water stays on if it was on."""
        if mode is OperatingMode.OFF:
            await self._async_command([_set_heatpump(on=False)])
            return
        state = self._state or await self._async_read()
        number = _SET_MODE[mode] + (_WITH_DHW if state.dhw_enabled else 0)
        commands: list[_Command] = [
            (
                "SetOperationMode",
                number,
                (f"set heat pump mode to {_OPERATION_MODE_BYTES[number]}",),
            )
        ]
        if state.heatpump_on is not True:
            commands.append(_set_heatpump(on=True))
        await self._async_command(commands)

    async def _async_read(self) -> HeishaMonState:
        """GET /json, parse it and remember it for capabilities and commands."""
        body = await self._async_get("/json", None)
        state = parse_heishamon(
            decode_body(body), time=self._clock(), s0_ports=self._s0_ports
        )
        self._state = state
        return state

    async def _async_command(self, commands: Sequence[_Command]) -> None:
        """Send commands in one `/command` request and check each one was acknowledged."""
        if await self._async_listen_only():
            # The firmware acknowledges every command then and drops it (send_command): nothing would
            # reach the heat pump while the answer looks like success.
            raise UnitCommandError(
                f"HeishaMon at {self._host} is in listen-only mode, so it passes no command to the heat "
                "pump: turn off 'Listen only' in HeishaMon's settings to control the unit"
            )
        body = await self._async_get(
            "/command", [(name, str(value)) for name, value, _ in commands]
        )
        lines = [
            line.strip() for line in body.decode("utf-8", errors="replace").splitlines()
        ]
        for name, value, acknowledgements in commands:
            # Some newer builds skip a command that the heat pump already reports; that is success too.
            skipped = any(line.startswith(f"{name} skipped") for line in lines)
            if not skipped and not any(line in acknowledgements for line in lines):
                answer = (
                    " / ".join(line for line in lines if line)[:200]
                    or "an empty answer"
                )
                raise UnitCommandError(
                    f"HeishaMon at {self._host} did not accept {name}={value}: it sent {answer!r}"
                )

    async def _async_get(
        self, path: str, query: Sequence[tuple[str, str]] | None
    ) -> bytes:
        """GET a path and return the body of a 200 answer; every failure becomes a UnitError."""
        where = f"HeishaMon at {self._host}:{self._port}"
        try:
            url = self._url(path)
            if query:
                url = url.with_query(query)
            async with self._session.get(
                url,
                timeout=self._client_timeout,
                allow_redirects=False,
            ) as response:
                status = response.status
                body = await _read_limited(response, _MAX_BODY)
        except TimeoutError as err:
            raise UnitTimeoutError(
                f"{where} did not answer {path} within {self._timeout:g} s"
            ) from err
        except (aiohttp.ClientError, OSError, ValueError) as err:
            # ValueError: a host that is not a valid URL host (yarl, IDNA).
            raise UnitConnectionError(
                f"cannot reach {where}: {err or type(err).__name__}"
            ) from err
        if status != 200:
            raise UnitResponseError(f"{where} answered {path} with HTTP {status}")
        if body is None:
            raise UnitResponseError(
                f"{where} sent more than {_MAX_BODY} bytes for {path}"
            )
        return body

    async def _async_listen_only(self) -> bool:
        """Return True when HeishaMon's status page says listen-only mode is on.

        /json and the /command answer look the same in that mode; only the status page (`/`) shows it.
        The page is read up to its heat pump table, where the status ends. When the page cannot be read,
        the mode is unknown and the command goes out as it always did.
        """
        try:
            async with self._session.get(
                self._url("/"), timeout=self._client_timeout, allow_redirects=False
            ) as response:
                if response.status != 200:
                    return False
                seen = b""
                size = 0
                async for chunk in response.content.iter_chunked(8192):
                    size += len(chunk)
                    # Keep the end of the previous chunk: a marker may straddle two chunks.
                    seen = seen[-64:] + chunk.lower()
                    end = seen.find(_STATUS_END)
                    status = seen if end < 0 else seen[:end]
                    if any(marker in status for marker in _LISTEN_ONLY_MARKERS):
                        return True
                    if end >= 0 or size > _MAX_STATUS_PAGE:
                        return False
        except (TimeoutError, aiohttp.ClientError, OSError, ValueError):
            return False
        return False

    def _url(self, path: str) -> URL:
        return URL.build(scheme="http", host=self._host, port=self._port, path=path)


_MAX_BODY = MAX_BODY_BYTES
_MAX_STATUS_PAGE = 1_000_000
_LISTEN_ONLY_MARKERS = (
    b"listen only mode active",  # firmware 3.x: a status line (htmlcode.h webBodyRootStatusListenOnly)
    b"status-chip listen-only'",  # firmware 4.x: the script that adds the "Listen Only" status chip
)
_STATUS_END = (
    b'id="heatpump"'  # the heat pump values table follows the status part of the page
)

type _Command = tuple[str, int, tuple[str, ...]]
"""A command name, its value and the answer lines that acknowledge it."""


def _set_heatpump(*, on: bool) -> _Command:
    """SetHeatpump: older firmware logs the raw byte (2 on, 1 off), current firmware 1 and 0."""
    if on:
        return (
            "SetHeatpump",
            1,
            ("set heatpump state to 1", "set heatpump state to 2"),
        )
    return ("SetHeatpump", 0, ("set heatpump state to 0", "set heatpump state to 1"))


_DEFAULT_SETPOINT = (SetpointKind.CURVE_SHIFT, -5.0, 5.0)


async def _read_limited(response: aiohttp.ClientResponse, limit: int) -> bytes | None:
    """Read the whole body (raising on a cut-off answer), or return None once it exceeds `limit`."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(65536):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _format_mac(mac: str) -> str:
    """Format a MAC like Home Assistant's `format_mac`: `aa:bb:cc:dd:ee:ff`; other strings are kept."""
    digits = "".join(ch for ch in mac.lower() if ch in "0123456789abcdef")
    if len(digits) != 12:
        return mac.strip().lower()
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def refines_model_id(expected: str, found: str) -> bool:
    """Return True when `found` names the model an entry added as `UNKNOWN_MODEL_ID` could not name.

    Updating HeishaMon from firmware before 3.9 to a newer one turns an unknown model into its bytes;
    that is the same heat pump, not another one at the entry's address.
    """
    return expected == UNKNOWN_MODEL_ID and found.startswith("heishamon-")

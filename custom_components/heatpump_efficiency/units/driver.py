"""The protocol every vendor driver implements."""

from __future__ import annotations

from typing import Protocol

from .model import Capabilities, OperatingMode, Reading, UnitIdentity


class UnitDriver(Protocol):
    """A heat pump's local API; drivers take an injected aiohttp session and a timeout."""

    @property
    def host(self) -> str:
        """Return the unit's host name or address ("" when readings do not come over the network)."""

    @property
    def configuration_url(self) -> str | None:
        """Return the URL of the unit's own web page, if it has one."""

    @property
    def capabilities(self) -> Capabilities:
        """Return what the unit can do (valid after `async_identify`)."""

    async def async_identify(self) -> UnitIdentity:
        """Connect, check the unit answers as expected and return its identity."""

    async def async_fetch(self) -> Reading:
        """Fetch one reading (one HTTP request where the device allows it)."""

    async def async_set_target(self, value: float) -> None:
        """Write the unit's setpoint (meaning given by `capabilities.setpoint_kind`).

        Raises UnitValueError for a value outside the capabilities' range, another UnitError when
        the write fails.
        """

    async def async_set_mode(self, mode: OperatingMode) -> None:
        """Switch the operating mode; `OperatingMode.OFF` switches the unit off."""

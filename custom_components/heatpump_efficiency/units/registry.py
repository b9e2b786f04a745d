"""Unit types the integration can talk to: a key stored in the config entry -> how to build its driver."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import aiohttp

from .driver import UnitDriver
from .heishamon import DEFAULT_PORT as HEISHAMON_DEFAULT_PORT, HeishaMonDriver


class DriverFactory(Protocol):
    """Build a driver from an injected session, the unit's address and a timeout."""

    def __call__(
        self, session: aiohttp.ClientSession, host: str, port: int, *, timeout: float
    ) -> UnitDriver:
        """Return a driver; no I/O happens until its first call."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitType:
    """One supported kind of unit (a vendor API), as offered in the config flow."""

    key: str  # stored in config entries (never rename); the config flow translates it for display
    default_port: int
    factory: DriverFactory


HEISHAMON = "heishamon"

UNIT_TYPES: dict[str, UnitType] = {
    HEISHAMON: UnitType(
        key=HEISHAMON,
        default_port=HEISHAMON_DEFAULT_PORT,
        factory=HeishaMonDriver,
    ),
}
"""Supported unit types, first the one offered by default; add new vendors here."""


def create_driver(
    unit_type: str,
    session: aiohttp.ClientSession,
    host: str,
    port: int | None = None,
    *,
    timeout: float = 10.0,
) -> UnitDriver:
    """Build the driver for a unit type key; raise KeyError for an unknown key."""
    entry = UNIT_TYPES[unit_type]
    return entry.factory(
        session, host, entry.default_port if port is None else port, timeout=timeout
    )

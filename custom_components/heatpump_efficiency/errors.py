"""One translation of driver errors into Home Assistant's exceptions, shared by setup, coordinators, flows and actions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from homeassistant.exceptions import HomeAssistantError

from .const import DOMAIN
from .units.model import (
    UnitCommandError,
    UnitConnectionError,
    UnitError,
    UnitResponseError,
    UnitTimeoutError,
)

# Most specific first: a timeout is also a connection error.
_KEYS: tuple[tuple[type[UnitError], str], ...] = (
    (UnitTimeoutError, "timeout"),
    (UnitConnectionError, "cannot_connect"),
    (UnitResponseError, "invalid_response"),
    (UnitCommandError, "command_failed"),
    (UnitError, "unit_error"),
)


def error_key(err: UnitError) -> str:
    """Return the translation key of a driver error (exceptions, config flow errors and aborts use the same keys)."""
    for kind, key in _KEYS:
        if isinstance(err, kind):
            return key
    return "unit_error"  # pragma: no cover - every UnitError matches the last row


def translated[ErrorT: HomeAssistantError](
    raise_as: type[ErrorT], err: UnitError, host: str
) -> ErrorT:
    """Return `raise_as` carrying the driver error's translation key, the unit's address and the detail."""
    return raise_as(
        translation_domain=DOMAIN,
        translation_key=error_key(err),
        translation_placeholders={"host": host, "error": str(err)},
    )


@contextmanager
def unit_errors_as(raise_as: type[HomeAssistantError], host: str) -> Iterator[None]:
    """Re-raise any driver error inside the block as `raise_as` with its translation key."""
    try:
        yield
    except UnitError as err:
        raise translated(raise_as, err, host) from err

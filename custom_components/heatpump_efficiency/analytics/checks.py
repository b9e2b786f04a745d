"""Strict checks of stored state: every field by type and range, failing with a StateError that says what."""

from __future__ import annotations

import math
from typing import Any

from .totals import Totals

# Times before 2000 or after 2200 (POSIX seconds) are corrupt, not history.
MIN_T = 946_684_800.0
MAX_T = 7_258_118_400.0
# Energies and durations beyond these are corrupt (kWh, s): a century at 1 MW.
MAX_KWH = 1e9
MAX_S = 1e10


class StateError(ValueError):
    """Stored state cannot be used (corrupt, or written by a newer version); start afresh."""


# --- field checks (each raises StateError naming the field) --------------------------------------


def as_dict(value: Any, name: str) -> dict[str, Any]:
    """Return value if it is a dict with string keys."""
    if not isinstance(value, dict):
        raise StateError(f"{name} is not an object: {short(value)}")
    return value


def as_list(value: Any, name: str, max_len: int | None = None) -> list[Any]:
    """Return value if it is a list (of at most max_len items)."""
    if not isinstance(value, list):
        raise StateError(f"{name} is not a list: {short(value)}")
    if max_len is not None and len(value) > max_len:
        raise StateError(f"{name} has {len(value)} items, at most {max_len} allowed")
    return value


def num(value: Any, name: str, low: float = -MAX_KWH, high: float = MAX_KWH) -> float:
    """Return value as a finite float within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StateError(f"{name} is not a number: {short(value)}")
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise StateError(f"{name}={number!r} outside [{low:g}, {high:g}]")
    return number


def opt_num(
    value: Any, name: str, low: float = -MAX_KWH, high: float = MAX_KWH
) -> float | None:
    """Return None or a finite float within [low, high]."""
    return None if value is None else num(value, name, low, high)


def time_(value: Any, name: str) -> float:
    """Return a plausible POSIX time."""
    return num(value, name, MIN_T, MAX_T)


def opt_time(value: Any, name: str) -> float | None:
    """Return None or a plausible POSIX time."""
    return None if value is None else time_(value, name)


def integer(value: Any, name: str, low: int = 0, high: int = 10**12) -> int:
    """Return value as an int within [low, high] (floats with no fraction accepted)."""
    if isinstance(value, bool):
        raise StateError(f"{name} is not an integer: {value!r}")
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or not low <= value <= high:
        raise StateError(f"{name} is not an integer in [{low}, {high}]: {short(value)}")
    return value


def opt_integer(value: Any, name: str, low: int = 0, high: int = 10**12) -> int | None:
    """Return None or an int within [low, high]."""
    return None if value is None else integer(value, name, low, high)


def flag(value: Any, name: str) -> bool:
    """Return value if it is a bool."""
    if not isinstance(value, bool):
        raise StateError(f"{name} is not true/false: {short(value)}")
    return value


def opt_flag(value: Any, name: str) -> bool | None:
    """Return None or a bool."""
    return None if value is None else flag(value, name)


def opt_text(value: Any, name: str, max_len: int = 1000) -> str | None:
    """Return None or a string of bounded length."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_len:
        raise StateError(f"{name} is not a text: {short(value)}")
    return value


def field_of(data: dict[str, Any], key: str, name: str) -> Any:
    """Return data[key], or raise StateError naming the missing field."""
    if key not in data:
        raise StateError(f"{name}.{key} is missing")
    return data[key]


def totals_from(value: Any, name: str) -> Totals:
    """Return Totals from a stored list, every value finite and in range."""
    values = as_list(value, name, len(Totals.NAMES))
    checked = []
    for field_name, item in zip(Totals.NAMES, values, strict=False):
        if field_name == "outdoor_cs":  # temperature x seconds
            low, high = -150 * MAX_S, 150 * MAX_S
        else:
            low, high = (-MAX_S if "heat" in field_name else 0.0), MAX_S
        checked.append(num(item, f"{name}.{field_name}", low, high))
    return Totals.from_list(checked)


def short(value: Any) -> str:
    """Return a short description of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."

"""Versioned, JSON-serialisable engine state: migrations and strict validation of every stored field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

from .checks import (
    StateError,
    as_dict,
    as_list,
    field_of,
    flag,
    integer,
    num,
    opt_flag,
    opt_integer,
    opt_num,
    opt_time,
    short,
    time_,
)
from .counters import Counters, CounterTrack
from .energy import MAX_COUNTER_KWH, Sample
from .meters import Meters
from .totals import Totals

__all__ = ["STATE_VERSION", "StateError", "migrate"]

STATE_VERSION = 2
# Totals lists had this many fields in version 1.
V1_TOTALS_LEN = 18

# --- migrations ------------------------------------------------------------------------------------


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds hot water/cooling totals, counter times, monotone meters and clock handling."""
    prev = data.get("prev")
    if isinstance(prev, dict):
        prev = {**prev, "dhw": False}
    refs = as_dict(field_of(data, "refs", "state"), "refs")
    prev_t = prev.get("t") if isinstance(prev, dict) else None

    def track(value: Any) -> list[Any]:
        return [value, None if value is None else prev_t, None, None]

    ledger = as_dict(field_of(data, "ledger", "state"), "ledger")
    new_ledger = dict(ledger)
    for key in ("hours", "days"):
        new_ledger[key] = [
            [k, _extend_v1_totals(v)] if isinstance(v, list) else [k, v]
            for k, v in _pairs(ledger.get(key))
        ]
    for key in ("season", "last_season", "lifetime"):
        value = ledger.get(key)
        new_ledger[key] = _extend_v1_totals(value) if isinstance(value, list) else value
    return {
        **data,
        "prev": prev,
        "held": None,
        "behind": [],
        "counters": {
            "elec": track(refs.get("elec_kwh")),
            "heat": track(refs.get("heat_kwh")),
        },
        "meters": None,  # started from the lifetime totals with the current configuration
        "ledger": new_ledger,
        "rejected": 0,
    }


def _pairs(value: Any) -> list[tuple[Any, Any]]:
    """Return the [key, totals] pairs of a stored bucket list (left as they are when malformed)."""
    if not isinstance(value, list):
        return []
    return [
        (item[0], item[1])
        for item in value
        if isinstance(item, list) and len(item) == 2
    ]


def _extend_v1_totals(values: list[Any]) -> list[Any]:
    """Append the version-2 Totals fields; all electricity so far was counted electricity."""
    if len(values) != V1_TOTALS_LEN:
        return values
    extra = dict.fromkeys(Totals.NAMES[V1_TOTALS_LEN:], 0.0)
    extra["total_elec_kwh"] = values[0]
    return [*values, *(extra[name] for name in Totals.NAMES[V1_TOTALS_LEN:])]


# MIGRATIONS[n] turns version-n state into version n + 1. Add one whenever the state layout changes.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def migrate(raw: Any) -> dict[str, Any]:
    """Return state data upgraded to STATE_VERSION; raise StateError when impossible."""
    data: dict[str, Any] = dict(as_dict(raw, "engine state"))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StateError(f"state has no valid version: {short(version)}")
    if version > STATE_VERSION:
        raise StateError(
            f"state version {version} is newer than this engine ({STATE_VERSION})"
        )
    while version < STATE_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise StateError(f"no migration from state version {version}")
        data = step(data)
        version += 1
        data["version"] = version
    return data


# --- samples ---------------------------------------------------------------------------------------


def sample_to_dict(sample: Sample | None) -> dict[str, Any] | None:
    """Serialise the last sample (needed to integrate the first reading after a restart)."""
    return None if sample is None else asdict(sample)


_TEMPS = ("outdoor_c", "flow_c", "return_c")


def sample_from_dict(data: Any, name: str = "prev") -> Sample | None:
    """Restore a sample, checking every field."""
    if data is None:
        return None
    data = as_dict(data, name)
    values: dict[str, Any] = {}
    for f in fields(Sample):
        key = f.name
        if key not in data:
            if key == "dhw":
                values[key] = False
                continue
            raise StateError(f"{name}.{key} is missing")
        value = data[key]
        where = f"{name}.{key}"
        if key == "t":
            values[key] = time_(value, where)
        elif key in ("elec_w", "backup_w"):
            values[key] = opt_num(value, where, 0.0, 1e6)
        elif key == "heat_w":
            values[key] = opt_num(value, where, -1e6, 1e6)
        elif key in ("elec_kwh", "heat_kwh"):
            values[key] = opt_num(value, where, 0.0, MAX_COUNTER_KWH)
        elif key in _TEMPS:
            values[key] = opt_num(value, where, -100.0, 150.0)
        elif key == "outdoor_rh":
            values[key] = opt_num(value, where, 0.0, 100.0)
        elif key == "starts_counter":
            values[key] = opt_integer(value, where, 0, 10**9)
        elif key in ("running", "defrost_flag", "backup_on"):
            values[key] = opt_flag(value, where)
        else:  # cop_running, cooling, dhw
            values[key] = flag(value, where)
    return Sample(**values)


# --- the engine's own parts ------------------------------------------------------------------------


def _track_from(value: Any, name: str) -> CounterTrack:
    """Restore one counter track."""
    items = as_list(value, name, 4)
    if len(items) != 4:
        raise StateError(f"{name} needs 4 values, got {len(items)}")
    return CounterTrack(
        value=opt_num(items[0], f"{name}.value", 0.0, MAX_COUNTER_KWH),
        t=opt_time(items[1], f"{name}.t"),
        pend_value=opt_num(items[2], f"{name}.pend_value", 0.0, MAX_COUNTER_KWH),
        pend_t=opt_time(items[3], f"{name}.pend_t"),
    )


def _meters_from(value: Any) -> Meters | None:
    """Restore the meters (None: state from before they existed)."""
    if value is None:
        return None
    items = as_list(value, "meters", len(Meters.NAMES))
    if len(items) != len(Meters.NAMES):
        raise StateError(f"meters need {len(Meters.NAMES)} values, got {len(items)}")
    return Meters.from_list(
        [num(v, f"meters.{n}", 0.0) for n, v in zip(Meters.NAMES, items, strict=True)]
    )


@dataclass(slots=True, kw_only=True)
class EngineParts:
    """Validated state of the engine itself; the trackers' parts are checked by their own from_dict."""

    prev: Sample | None
    held: tuple[Sample, int] | None
    behind: list[float]
    counters: Counters
    meters: Meters | None
    ledger: dict[str, Any]
    defrost: dict[str, Any]
    cycling: dict[str, Any]
    filter: dict[str, Any]
    ignored: int
    rejected: int


def state_parts(
    *,
    prev: Sample | None,
    held: tuple[Sample, int] | None,
    behind: list[float],
    counters: Counters,
    meters: Meters,
) -> dict[str, Any]:
    """Serialise the engine's own parts."""
    return {
        "prev": sample_to_dict(prev),
        "held": None if held is None else [sample_to_dict(held[0]), held[1]],
        "behind": list(behind),
        "counters": {"elec": counters.elec.to_list(), "heat": counters.heat.to_list()},
        "meters": meters.to_list(),
    }


def restore_engine_parts(data: Any) -> EngineParts:
    """Migrate and check the engine's own stored parts; raise StateError saying what is wrong."""
    data = migrate(data)
    held_raw = field_of(data, "held", "state")
    held: tuple[Sample, int] | None = None
    if held_raw is not None:
        items = as_list(held_raw, "held", 2)
        if len(items) != 2:
            raise StateError("held needs a sample and a count")
        sample = sample_from_dict(items[0], "held")
        if sample is None:
            raise StateError("held has no sample")
        held = (sample, integer(items[1], "held.rejected", 0, 1000))
    counters = as_dict(field_of(data, "counters", "state"), "counters")
    return EngineParts(
        prev=sample_from_dict(field_of(data, "prev", "state")),
        held=held,
        behind=[
            time_(t, "behind[]")
            for t in as_list(field_of(data, "behind", "state"), "behind", 10)
        ],
        counters=Counters(
            elec=_track_from(field_of(counters, "elec", "counters"), "counters.elec"),
            heat=_track_from(field_of(counters, "heat", "counters"), "counters.heat"),
        ),
        meters=_meters_from(field_of(data, "meters", "state")),
        ledger=as_dict(field_of(data, "ledger", "state"), "ledger"),
        defrost=as_dict(field_of(data, "defrost", "state"), "defrost"),
        cycling=as_dict(field_of(data, "cycling", "state"), "cycling"),
        filter=as_dict(field_of(data, "filter", "state"), "filter"),
        ignored=integer(field_of(data, "ignored", "state"), "ignored"),
        rejected=integer(data.get("rejected", 0), "rejected"),
    )

"""Faults that can be injected: names, which layer they hit, and how they corrupt a firmware response."""

from __future__ import annotations

import json
from typing import Any

TRANSPORT_FAULTS = frozenset(
    {"timeout", "http_500", "malformed_json", "missing_fields", "wrong_types"}
)
"""Faults of HeishaMon's HTTP answers; they stay until `clear`."""
UNIT_FAULTS = frozenset({"defrost_stuck", "dirty_filter", "cold_snap"})
"""Faults of the unit or its surroundings; they stay until `clear` (fouling stays until cleaned)."""
EVENT_FAULTS = frozenset({"reboot", "counter_reset"})
"""One-off events."""
FAULTS = TRANSPORT_FAULTS | UNIT_FAULTS | EVENT_FAULTS | {"clear"}

MISSING_TOPICS = frozenset({"TOP1", "TOP5", "TOP6", "TOP15", "TOP16", "TOP26"})
DIRTY_FILTER_FOULING = 0.6
COLD_SNAP_DELTA_C = -12.0
COLD_SNAP_S = 24 * 3600.0
COLD_SNAP_RAMP_S = 2 * 3600.0


def drop_fields(doc: dict[str, Any]) -> dict[str, Any]:
    """Remove key topics, one entry's Value and the extra/s0 blocks, as a half-decoded answer would."""
    entries = []
    for entry in doc["heatpump"]:
        if entry["Topic"] in MISSING_TOPICS:
            continue
        if entry["Topic"] == "TOP8":
            entry = {k: v for k, v in entry.items() if k != "Value"}
        entries.append(entry)
    return {"heatpump": entries}


def swap_types(doc: dict[str, Any]) -> dict[str, Any]:
    """Quote every number and unquote what should be strings, where it can be parsed as a number."""

    def flip(value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                return None
        return value

    out: dict[str, Any] = {}
    for block, entries in doc.items():
        if block == "s0":
            out[block] = [{k: flip(v) for k, v in e.items()} for e in entries]
        else:
            out[block] = [{**e, "Value": flip(e["Value"])} for e in entries]
    return out


def truncate(text: str) -> str:
    """Cut a JSON document part-way, as a dropped Wi-Fi connection mid-stream does."""
    return text[: int(len(text) * 0.6)]


def corrupt(text: str, fault: str) -> str:
    """Apply a body-corrupting transport fault to a rendered `/json` document."""
    if fault == "malformed_json":
        return truncate(text)
    doc = json.loads(text)
    if fault == "missing_fields":
        doc = drop_fields(doc)
    elif fault == "wrong_types":
        doc = swap_types(doc)
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)

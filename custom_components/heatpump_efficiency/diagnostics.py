"""Diagnostics: the entry, the unit's identity, its latest reading, the engine's and learners' results, redacted."""

from __future__ import annotations

import dataclasses
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant

from .const import CONF_MAC, CONF_MODEL_ID
from .data import HeatpumpEfficiencyConfigEntry

REDACTED = "**REDACTED**"
# Addresses and everything a unit can be told apart by (HeishaMon's model bytes are its unique id).
TO_REDACT = {
    CONF_HOST,
    CONF_MAC,
    CONF_MODEL_ID,
    "serial",
    "unique_id",
    "configuration_url",
    "model_code",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for a config entry."""
    coordinator = entry.runtime_data.coordinator
    snapshot = coordinator.data
    # Titles name a second unit of a model by its address, an unknown model by its bytes.
    host = entry.data.get(CONF_HOST)
    code = snapshot.reading.extra.get("model_code")
    secrets = tuple(
        secret
        for secret in (host, str(code) if code else None, entry.unique_id)
        if secret
    )
    scrubbed: dict[str, Any] = _scrub(
        {
            "entry": {
                "title": entry.title,
                "data": async_redact_data(dict(entry.data), TO_REDACT),
                "options": dict(entry.options),
            },
            "identity": async_redact_data(
                dataclasses.asdict(coordinator.identity), TO_REDACT
            ),
            "capabilities": _jsonable(dataclasses.asdict(snapshot.capabilities)),
            "reading": async_redact_data(
                _jsonable(dataclasses.asdict(snapshot.reading)), TO_REDACT
            ),
            "results": snapshot.results.as_dict(),
            # Electricity per heating degree-day (the figures of units without heat measurement).
            "degree_days": dataclasses.asdict(snapshot.degree_days),
            # The performance curve's numbers per outdoor band (the image only draws them).
            "curve": coordinator.curve.summary(),
            # The season against the heatpumpmonitor.org fleet, with the fleet's provenance.
            "fleet": snapshot.fleet.as_dict(),
            # The heating-curve advice with the evidence per outdoor band behind it.
            "advice": snapshot.advice.as_dict(),
            "last_update_success": coordinator.last_update_success,
            # Stored statistics that could not be used at setup, as they were found (also kept in .storage/).
            "damaged_statistics": None
            if coordinator.damaged is None
            else coordinator.damaged.as_dict(),
        },
        secrets,
    )
    return scrubbed


def _scrub(value: Any, secrets: tuple[str, ...]) -> Any:
    """Replace every secret inside strings (an unknown model's name spells out its model bytes)."""
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, secrets) for item in value]
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
    return value


def _jsonable(value: Any) -> Any:
    """Turn sets, enums and datetimes into JSON-friendly values."""
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(item) for item in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, (int, float, str, bool)):
        return value.value
    return value

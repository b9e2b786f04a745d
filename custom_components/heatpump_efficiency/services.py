"""Service actions: `estimate_preheat` answers how long the house needs to warm up."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .compat import vol
from .const import DOMAIN

SERVICE_ESTIMATE_PREHEAT = "estimate_preheat"
ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_TARGET_TEMPERATURE = "target_temperature"
ATTR_START_TEMPERATURE = "start_temperature"
ATTR_OUTDOOR_TEMPERATURE = "outdoor_temperature"

_TEMPERATURE = vol.All(vol.Coerce(float), vol.Range(min=-30, max=40))
ESTIMATE_PREHEAT_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_TARGET_TEMPERATURE): _TEMPERATURE,
        vol.Optional(ATTR_START_TEMPERATURE): _TEMPERATURE,
        vol.Optional(ATTR_OUTDOOR_TEMPERATURE): vol.All(
            vol.Coerce(float), vol.Range(min=-50, max=50)
        ),
    }
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions (once, at integration setup)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_ESTIMATE_PREHEAT,
        _async_estimate_preheat,
        schema=ESTIMATE_PREHEAT_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )


async def _async_estimate_preheat(call: ServiceCall) -> ServiceResponse:
    """Return the minutes of heating needed to reach the target, from the learned warm-up rate."""
    hass = call.hass
    entries = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]
    if (entry_id := call.data.get(ATTR_CONFIG_ENTRY_ID)) is not None:
        entries = [entry for entry in entries if entry.entry_id == entry_id]
    if len(entries) != 1:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="no_entry" if not entries else "entry_required",
        )
    coordinator = entries[0].runtime_data.coordinator
    start = call.data.get(ATTR_START_TEMPERATURE, coordinator.room_temperature())
    outdoor = call.data.get(ATTR_OUTDOOR_TEMPERATURE)
    if outdoor is None and coordinator.data is not None:
        outdoor = coordinator.data.reading.outdoor_c
    if start is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_room_temperature"
        )
    learner = coordinator.preheat
    minutes = learner.lead_time_minutes(
        start, call.data[ATTR_TARGET_TEMPERATURE], outdoor
    )
    response: dict[str, Any] = {
        "minutes": round(minutes, 1),
        "start_temperature": start,
        "outdoor_temperature": outdoor,
        "rate_k_per_h": round(learner.rate_k_per_h(outdoor), 2),
        "recoveries_learned": learner.recoveries_total,
    }
    return response

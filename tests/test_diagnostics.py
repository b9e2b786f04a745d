"""Tests for diagnostics: complete enough to debug, with addresses and identities redacted."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heatpump_efficiency.diagnostics import (
    async_get_config_entry_diagnostics,
)

from .conftest import HOST, UNIQUE_ID


async def test_diagnostics_redacted(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Diagnostics carry the reading and results as JSON, never the host or the unit's identity."""
    diagnostics = await async_get_config_entry_diagnostics(hass, init_integration)
    text = json.dumps(diagnostics)
    assert HOST not in text
    assert UNIQUE_ID not in text
    assert diagnostics["entry"]["data"]["host"] == "**REDACTED**"
    assert diagnostics["identity"]["unique_id"] == "**REDACTED**"
    assert diagnostics["reading"]["outdoor_c"] == 10.0
    assert diagnostics["reading"]["elec_w"]["origin"] == "estimated"
    assert diagnostics["capabilities"]["setpoint_kind"] == "flow"
    assert "lifetime" in diagnostics["results"]
    assert diagnostics["last_update_success"] is True

"""Tests for diagnostics: complete enough to debug, with addresses and identities redacted."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.heatpump_efficiency.const import CONF_MAC, CONF_MODEL_ID, DOMAIN
from custom_components.heatpump_efficiency.diagnostics import (
    async_get_config_entry_diagnostics,
)

from .conftest import ENTRY_DATA, HOST, UNIQUE_ID

MAC = "a4:cf:12:aa:bb:cc"


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


async def test_diagnostics_hide_what_identifies_the_unit(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """The model bytes, the MAC and the address never appear, not even in the reading or a title."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Aquarea ({HOST})",
        data={**ENTRY_DATA, CONF_MODEL_ID: UNIQUE_ID, CONF_MAC: MAC},
        unique_id=MAC,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.coordinator.data.reading.extra["model_code"]

    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    text = json.dumps(diagnostics).lower()
    model_bytes = UNIQUE_ID.removeprefix("heishamon-")
    for secret in (HOST, MAC, MAC.replace(":", ""), UNIQUE_ID, model_bytes, "e2 cf 0c"):
        assert secret not in text
    assert diagnostics["reading"]["extra"]["model_code"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["mac"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["model_id"] == "**REDACTED**"
    assert diagnostics["entry"]["title"] == "Aquarea (**REDACTED**)"

"""Tests for setting up and unloading a config entry."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heatpump_efficiency.const import CONF_UNIT_TYPE, DOMAIN


async def test_setup_and_unload(hass: HomeAssistant) -> None:
    """An entry loads with typed runtime data and unloads cleanly."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_UNIT_TYPE: "heishamon", CONF_HOST: "192.0.2.10", CONF_PORT: 80},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.host == "192.0.2.10"

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED

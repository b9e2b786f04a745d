"""Tests for the config flow."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heatpump_efficiency.const import CONF_UNIT_TYPE, DOMAIN


async def test_user_flow_creates_entry(hass: HomeAssistant) -> None:
    """The user step asks for the unit and creates an entry."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_UNIT_TYPE: "heishamon", CONF_HOST: " 192.0.2.10 ", CONF_PORT: 80},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        CONF_UNIT_TYPE: "heishamon",
        CONF_HOST: "192.0.2.10",
        CONF_PORT: 80,
    }


async def test_user_flow_aborts_on_duplicate(hass: HomeAssistant) -> None:
    """The same host and port cannot be added twice."""
    MockConfigEntry(
        domain=DOMAIN,
        data={CONF_UNIT_TYPE: "heishamon", CONF_HOST: "192.0.2.10", CONF_PORT: 80},
    ).add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_UNIT_TYPE: "heishamon", CONF_HOST: "192.0.2.10", CONF_PORT: 80},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"

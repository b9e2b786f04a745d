"""Tests for the config flow: user, discovery, reconfigure and options; every error recovers."""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any

from homeassistant.config_entries import (
    SOURCE_DHCP,
    SOURCE_USER,
    SOURCE_ZEROCONF,
    ConfigFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.heatpump_efficiency.const import (
    CONF_COMFORT_TEMPERATURE,
    CONF_POLL_INTERVAL,
    CONF_THRESHOLDS,
    CONF_UNIT_TYPE,
    DOMAIN,
)

from .conftest import (
    ENTRY_DATA,
    HOST,
    JSON_URL,
    UNIQUE_ID,
    load_heishamon_payload,
    set_topic,
)

USER_INPUT = {CONF_UNIT_TYPE: "heishamon", CONF_HOST: f" {HOST} ", CONF_PORT: 80}


async def _start_device_flow(hass: HomeAssistant) -> ConfigFlowResult:
    """Open the add flow and choose "Connect to the unit" in its first menu."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert result["menu_options"] == ["device", "sensors"]
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "device"}
    )


async def test_user_flow_creates_entry(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """The user step checks the unit answers and creates an entry with its identity."""
    result = await _start_device_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "device"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == ENTRY_DATA
    assert result["result"].unique_id == UNIQUE_ID
    assert result["title"].startswith("Aquarea")


@pytest.mark.parametrize(
    ("mock_kwargs", "error"),
    [
        ({"exc": TimeoutError()}, "cannot_connect"),
        ({"exc": OSError("refused")}, "cannot_connect"),
        ({"text": "<html>router login</html>"}, "invalid_response"),
        ({"json": {"heatpump": "not a list"}}, "invalid_response"),
        ({"status": 500, "text": "boom"}, "invalid_response"),
    ],
)
async def test_user_flow_errors_recover(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_kwargs: dict[str, Any],
    error: str,
) -> None:
    """Each failure shows a translated error, and fixing it creates the entry."""
    aioclient_mock.get(JSON_URL, **mock_kwargs)
    result = await _start_device_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}

    aioclient_mock.clear_requests()
    aioclient_mock.get(JSON_URL, json=load_heishamon_payload())
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == UNIQUE_ID


async def test_user_flow_unit_without_identity(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A board whose heat pump has not answered yet (no model bytes) cannot be added yet."""
    payload = load_heishamon_payload()
    payload["heatpump"] = [
        t for t in payload["heatpump"] if t["Name"] != "Heat_Pump_Model"
    ]
    aioclient_mock.get(JSON_URL, json=payload)
    result = await _start_device_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["errors"] == {"base": "invalid_response"}


async def test_user_flow_already_configured_updates_host(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """The same unit cannot be added twice; its new address is remembered."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=UNIQUE_ID,
        data={**ENTRY_DATA, CONF_HOST: "198.51.100.7"},
    )
    entry.add_to_hass(hass)
    result = await _start_device_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == HOST


ZEROCONF = ZeroconfServiceInfo(
    ip_address=ip_address(HOST),
    ip_addresses=[ip_address(HOST)],
    hostname="heishamon.local.",
    name="HeishaMon._http._tcp.local.",
    port=80,
    type="_http._tcp.local.",
    properties={},
)
DHCP = DhcpServiceInfo(ip=HOST, hostname="heishamon", macaddress="a4cf12aabbcc")


@pytest.mark.parametrize(
    ("source", "info"), [(SOURCE_ZEROCONF, ZEROCONF), (SOURCE_DHCP, DHCP)]
)
async def test_discovery_confirm_creates_entry(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker, source: str, info: Any
) -> None:
    """A discovered HeishaMon is identified, confirmed by the user and added."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": source}, data=info
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == ENTRY_DATA
    assert result["result"].unique_id == UNIQUE_ID


async def test_discovery_of_known_unit_updates_host(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """A configured unit found at a new address is followed there."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=UNIQUE_ID,
        data={**ENTRY_DATA, CONF_HOST: "198.51.100.7"},
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == HOST


async def test_discovery_of_other_device_aborts(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Something else named heishamon that does not answer like one is ignored."""
    aioclient_mock.get(JSON_URL, text="hello")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=ZEROCONF
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "invalid_response"


async def test_reconfigure_same_unit(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """Reconfigure changes the address of the same unit, recovering from an error first."""
    mock_config_entry.add_to_hass(hass)
    aioclient_mock.get("http://198.51.100.8/json", exc=TimeoutError())
    result = await mock_config_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "198.51.100.8", CONF_PORT: 80}
    )
    assert result["errors"] == {"base": "cannot_connect"}

    aioclient_mock.get("http://198.51.100.9:8080/json", json=load_heishamon_payload())
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "198.51.100.9", CONF_PORT: 8080}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert mock_config_entry.data[CONF_HOST] == "198.51.100.9"
    assert mock_config_entry.data[CONF_PORT] == 8080


async def test_reconfigure_other_unit_is_refused(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """Pointing an entry at a different heat pump is refused and nothing changes."""
    mock_config_entry.add_to_hass(hass)
    other = load_heishamon_payload()
    set_topic(other, "Heat_Pump_Model", "E2 CF 0D 11 22 33 44 55 66 77")
    aioclient_mock.get("http://198.51.100.8/json", json=other)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "198.51.100.8", CONF_PORT: 80}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert mock_config_entry.data[CONF_HOST] == HOST


async def test_options_flow(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Options store polling, presets and thresholds; inconsistent thresholds are refused first."""
    entry = init_integration
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"

    options: dict[str, Any] = {
        CONF_POLL_INTERVAL: 60,
        CONF_COMFORT_TEMPERATURE: 20.5,
        "eco_temperature": 18,
        "away_temperature": 15,
        CONF_THRESHOLDS: {"frost_band_low_c": 5, "frost_band_high_c": 4},
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_thresholds"}

    options[CONF_THRESHOLDS] = {
        "frost_band_low_c": -2,
        "frost_band_high_c": 6,
        "filter_interval_days": 45,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options[CONF_POLL_INTERVAL] == 60
    assert entry.options[CONF_THRESHOLDS]["filter_interval_days"] == 45
    # The entry reloaded with the new options.
    coordinator = entry.runtime_data.coordinator
    assert coordinator.update_interval is not None
    assert coordinator.update_interval.total_seconds() == 60
    assert coordinator.engine.config.filter_interval_days == 45

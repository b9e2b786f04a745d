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
    CONF_MAC,
    CONF_MODEL_ID,
    CONF_POLL_INTERVAL,
    CONF_THRESHOLDS,
    CONF_UNIT_TYPE,
    DOMAIN,
)
from custom_components.heatpump_efficiency.units.heishamon import UNKNOWN_MODEL_ID

from .conftest import (
    ENTRY_DATA,
    HOST,
    JSON_URL,
    UNIQUE_ID,
    load_heishamon_payload,
    set_topic,
)

USER_INPUT = {CONF_UNIT_TYPE: "heishamon", CONF_HOST: f" {HOST} ", CONF_PORT: 80}
NEW_DATA = {**ENTRY_DATA, CONF_MODEL_ID: UNIQUE_ID}
MAC = "a4:cf:12:aa:bb:cc"
OTHER_HOST = "198.51.100.7"
TITLE = "KIT-AXC9HE8"  # the recorded unit's model bytes: HeatPumpType.md row 54


async def _start_device_flow(hass: HomeAssistant) -> ConfigFlowResult:
    """Open the add flow and choose "Connect to the unit" in its first menu."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert "device" in result["menu_options"]
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
    assert result["data"] == NEW_DATA
    assert result["result"].unique_id == UNIQUE_ID
    assert result["title"] == TITLE


@pytest.mark.parametrize(
    ("mock_kwargs", "error"),
    [
        ({"exc": TimeoutError()}, "timeout"),
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
    """A board whose heat pump has not answered yet (zero model bytes, no state) cannot be added yet."""
    payload = load_heishamon_payload()
    set_topic(payload, "Heat_Pump_Model", "00 00 00 00 00 00 00 00 00 00")
    set_topic(payload, "Heatpump_State", -1)
    aioclient_mock.get(JSON_URL, json=payload)
    result = await _start_device_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["errors"] == {"base": "invalid_response"}


@pytest.mark.parametrize(
    ("top92", "unique_id", "title"),
    [
        (54, UNIQUE_ID, TITLE),  # the model's row in HeatPumpType.md
        (255, UNKNOWN_MODEL_ID, "Aquarea"),  # a model that firmware did not know
    ],
)
async def test_user_flow_firmware_before_3_9(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    top92: int,
    unique_id: str,
    title: str,
) -> None:
    """HeishaMon before 3.9 prints TOP92 as a bare number: the board is added all the same."""
    payload = load_heishamon_payload()
    set_topic(payload, "Heat_Pump_Model", top92)
    aioclient_mock.get(JSON_URL, json=payload)
    result = await _start_device_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == unique_id
    assert result["data"][CONF_MODEL_ID] == unique_id
    assert result["title"] == title


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
    if source == SOURCE_DHCP:  # DHCP names the board's MAC: it becomes the unique id
        assert result["data"] == {**NEW_DATA, CONF_MAC: MAC}
        assert result["result"].unique_id == MAC
    else:
        assert result["data"] == NEW_DATA
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
    assert result["errors"] == {"base": "timeout"}

    aioclient_mock.get("http://198.51.100.9:8080/json", json=load_heishamon_payload())
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "198.51.100.9", CONF_PORT: 8080}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert mock_config_entry.data[CONF_HOST] == "198.51.100.9"
    assert mock_config_entry.data[CONF_PORT] == 8080


async def test_reconfigure_after_a_firmware_update(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """An entry added while HeishaMon could not name the model moves to the board that now names it."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=UNKNOWN_MODEL_ID,
        data={**ENTRY_DATA, CONF_MODEL_ID: UNKNOWN_MODEL_ID},
    )
    entry.add_to_hass(hass)
    aioclient_mock.get("http://198.51.100.8/json", json=load_heishamon_payload())
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "198.51.100.8", CONF_PORT: 80}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_HOST] == "198.51.100.8"
    assert entry.data[CONF_MODEL_ID] == UNIQUE_ID
    # Home Assistant 2025.4 reloads (sets up) the entry too: leave nothing running.
    await hass.async_block_till_done()
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


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


@pytest.mark.parametrize(
    ("host", "port", "errors"),
    [
        ("http://x", 80, {CONF_HOST: "invalid_host"}),
        ("x/../json", 80, {CONF_HOST: "invalid_host"}),
        ("user@evil.example", 80, {CONF_HOST: "invalid_host"}),
        ("%2e%2e", 80, {CONF_HOST: "invalid_host"}),
        ("heisha\x07mon", 80, {CONF_HOST: "invalid_host"}),
        ("999.999.999.999", 80, {CONF_HOST: "invalid_host"}),
        ("1.2.3.4.5", 80, {CONF_HOST: "invalid_host"}),
        ("-leading.example", 80, {CONF_HOST: "invalid_host"}),
        ("a" * 300, 80, {CONF_HOST: "invalid_host"}),
        (HOST, 80.7, {CONF_PORT: "invalid_port"}),
        (HOST, 0, {CONF_PORT: "invalid_port"}),
        (HOST, 70000, {CONF_PORT: "invalid_port"}),
        ("http://x", 80.7, {CONF_HOST: "invalid_host", CONF_PORT: "invalid_port"}),
    ],
)
async def test_user_flow_refuses_bad_address_then_recovers(
    hass: HomeAssistant,
    mock_heishamon: AiohttpClientMocker,
    host: str,
    port: float,
    errors: dict[str, str],
) -> None:
    """A bad host or port is named on its field before any request is made; a good one then adds the unit."""
    result = await _start_device_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**USER_INPUT, CONF_HOST: host, CONF_PORT: port}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert mock_heishamon.call_count == 0

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == NEW_DATA


async def test_user_flow_accepts_ipv6(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """An IPv6 literal is a valid host, given with or without brackets."""
    aioclient_mock.get("http://[2001:db8::10]/json", json=load_heishamon_payload())
    result = await _start_device_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**USER_INPUT, CONF_HOST: "[2001:db8::10]"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_HOST] == "2001:db8::10"


def _configured(host: str = OTHER_HOST, **data: Any) -> MockConfigEntry:
    """Return an entry of the recorded model at another address (version 1.2)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=TITLE,
        unique_id=data.pop("unique_id", UNIQUE_ID),
        data={**NEW_DATA, CONF_HOST: host, **data},
        minor_version=2,
    )


async def test_same_model_still_answering_is_a_second_unit(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """A unit with the same model bytes while the configured one still answers gets an entry of its own."""
    first = _configured()
    first.add_to_hass(hass)
    mock_heishamon.get(f"http://{OTHER_HOST}/json", json=load_heishamon_payload())
    result = await _start_device_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == f"{UNIQUE_ID}-2"
    assert result["data"] == NEW_DATA
    assert result["title"] == f"{TITLE} ({HOST})"
    assert first.data[CONF_HOST] == OTHER_HOST


async def test_same_model_gone_from_old_address_moved(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """Only when the configured unit no longer answers at its old address is the new address its own."""
    first = _configured()
    first.add_to_hass(hass)
    mock_heishamon.get(f"http://{OTHER_HOST}/json", exc=TimeoutError())
    result = await _start_device_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert first.data[CONF_HOST] == HOST
    assert first.unique_id == UNIQUE_ID


async def test_same_address_is_the_same_unit(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """Adding the address of a configured unit again is refused and nothing is created."""
    _configured(HOST).add_to_hass(hass)
    result = await _start_device_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_two_units_gone_is_not_guessed(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """When two configured units of the model are both away, neither is moved."""
    first = _configured()
    second = _configured("198.51.100.8", unique_id=f"{UNIQUE_ID}-2")
    first.add_to_hass(hass)
    second.add_to_hass(hass)
    mock_heishamon.get(f"http://{OTHER_HOST}/json", exc=TimeoutError())
    mock_heishamon.get("http://198.51.100.8/json", exc=TimeoutError())
    result = await _start_device_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], USER_INPUT
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "ambiguous_unit"
    assert (first.data[CONF_HOST], second.data[CONF_HOST]) == (
        OTHER_HOST,
        "198.51.100.8",
    )


async def test_dhcp_second_unit_gets_its_mac(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """DHCP finding another board of the same model (the first still answers) offers it under its MAC."""
    first = _configured()
    first.add_to_hass(hass)
    mock_heishamon.get(f"http://{OTHER_HOST}/json", json=load_heishamon_payload())
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP
    )
    assert result["step_id"] == "discovery_confirm"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == MAC
    assert result["data"] == {**NEW_DATA, CONF_MAC: MAC}
    assert first.data[CONF_HOST] == OTHER_HOST


async def test_dhcp_known_mac_follows_without_asking_old_address(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """A board known by its MAC is followed to its new address at once (its old address is not probed)."""
    entry = _configured(mac=MAC)
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == HOST
    assert all(url.host != OTHER_HOST for _, url, _, _ in mock_heishamon.mock_calls)


async def test_dhcp_other_mac_is_another_unit(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """A board with another MAC than the configured one's is never taken for it, even at its old address."""
    entry = _configured(HOST, mac="a4:cf:12:00:00:01")
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP
    )
    assert result["step_id"] == "discovery_confirm"
    assert entry.data[CONF_MAC] == "a4:cf:12:00:00:01"


async def test_dhcp_after_a_firmware_update_finds_the_entry(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """An entry added while HeishaMon could not name the model is the unit its newer firmware names."""
    entry = _configured(
        HOST, unique_id=UNKNOWN_MODEL_ID, **{CONF_MODEL_ID: UNKNOWN_MODEL_ID}
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_MAC] == MAC
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_dhcp_learns_mac_of_unit_at_its_address(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """DHCP seeing a configured unit at its address stores the MAC; the unique id stays."""
    entry = _configured(HOST)
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP
    )
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_MAC] == MAC
    assert entry.unique_id == UNIQUE_ID


async def test_zeroconf_with_mac_property(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """An mDNS announcement carrying a MAC gives the unit that MAC as its identity."""
    info = ZeroconfServiceInfo(
        ip_address=ip_address(HOST),
        ip_addresses=[ip_address(HOST)],
        hostname="heishamon.local.",
        name="HeishaMon._http._tcp.local.",
        port=80,
        type="_http._tcp.local.",
        properties={"mac": "A4-CF-12-AA-BB-CC"},
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=info
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == MAC


async def test_zeroconf_second_unit_without_mac(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """Without a MAC, a second unit of the model found by mDNS is numbered, never merged."""
    _configured().add_to_hass(hass)
    mock_heishamon.get(f"http://{OTHER_HOST}/json", json=load_heishamon_payload())
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=ZEROCONF
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == f"{UNIQUE_ID}-2"


async def test_reconfigure_bad_address_then_to_another_entrys_unit(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """Reconfigure names a bad host on its field, and refuses the address of another entry's unit."""
    entry = _configured("198.51.100.8", unique_id=f"{UNIQUE_ID}-2")
    entry.add_to_hass(hass)
    _configured(HOST).add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "user@evil.example", CONF_PORT: 80}
    )
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: HOST, CONF_PORT: 80}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == "198.51.100.8"


@pytest.mark.parametrize(
    ("change", "errors", "placeholders"),
    [
        ({CONF_POLL_INTERVAL: 5}, {CONF_POLL_INTERVAL: "poll_interval_range"}, {}),
        (
            {CONF_COMFORT_TEMPERATURE: 35},
            {CONF_COMFORT_TEMPERATURE: "preset_range"},
            {},
        ),
        (
            {CONF_THRESHOLDS: {"frost_band_low_c": -100}},
            {"base": "threshold_range"},
            {"threshold": "Frost band lower edge"},
        ),
    ],
)
async def test_options_out_of_range_have_own_messages(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    change: dict[str, Any],
    errors: dict[str, str],
    placeholders: dict[str, str],
) -> None:
    """Values outside an option's range get the integration's translated error (with the range), then recover."""
    options: dict[str, Any] = {
        CONF_POLL_INTERVAL: 60,
        CONF_COMFORT_TEMPERATURE: 20.5,
        "eco_temperature": 18,
        "away_temperature": 15,
        CONF_THRESHOLDS: {},
    }
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**options, **change}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    described = result["description_placeholders"]
    assert described is not None
    assert described["poll_min"] == "10"
    assert described["poll_max"] == "300"
    assert placeholders.items() <= described.items()

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY

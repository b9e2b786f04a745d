"""Tests for setting up, retrying and unloading a config entry."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import SOURCE_DHCP, ConfigEntry, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

import custom_components.heatpump_efficiency as integration
from custom_components.heatpump_efficiency.const import (
    CONF_COMFORT_TEMPERATURE,
    CONF_MAC,
    CONF_MODEL_ID,
    CONF_POLL_INTERVAL,
    DOMAIN,
)
from custom_components.heatpump_efficiency.errors import error_key, unit_errors_as
from custom_components.heatpump_efficiency.units.heishamon import UNKNOWN_MODEL_ID
from custom_components.heatpump_efficiency.units.model import (
    UnitCommandError,
    UnitConnectionError,
    UnitError,
    UnitResponseError,
    UnitTimeoutError,
)

from .conftest import (
    ENTRY_DATA,
    HOST,
    JSON_URL,
    UNIQUE_ID,
    load_heishamon_payload,
    set_topic,
)
from .sensor_sources import (
    ELEC,
    HEAT,
    OUTDOOR,
    TEMPERATURE_C,
    sensors_entry,
    set_sources,
)

MAC = "a4:cf:12:aa:bb:cc"
OPTIONS = {
    CONF_POLL_INTERVAL: 60,
    CONF_COMFORT_TEMPERATURE: 20.5,
    "eco_temperature": 18,
    "away_temperature": 15,
    "thresholds": {},
}


async def test_setup_and_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An entry loads with typed runtime data and a device, and unloads cleanly."""
    entry = init_integration
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.coordinator.identity.unique_id == UNIQUE_ID

    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert [d.identifiers for d in devices] == [{(DOMAIN, UNIQUE_ID)}]
    device = devices[0]
    assert device.manufacturer == "Panasonic"
    assert device.configuration_url == "http://192.0.2.10/"

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED


async def test_setup_retries_when_unreachable(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """An unreachable unit puts the entry in setup-retry, not in an error state."""
    aioclient_mock.get(JSON_URL, exc=TimeoutError())
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_setup_retries_on_garbage(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """A unit answering garbage is retried later too."""
    aioclient_mock.get(JSON_URL, text="<html>not json</html>")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_old_entry_is_migrated_and_keeps_its_ids(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An entry of version 1.1 gets its model id stored; its unique id, device and entities stay as they were."""
    entry = init_integration
    assert (entry.version, entry.minor_version) == (1, 2)
    assert entry.data[CONF_MODEL_ID] == UNIQUE_ID
    assert entry.unique_id == UNIQUE_ID
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert entities
    assert all(e.unique_id.startswith(f"{UNIQUE_ID}_") for e in entities)


async def test_newer_entry_is_refused(hass: HomeAssistant) -> None:
    """An entry written by a newer version of the integration is not guessed at."""
    entry = MockConfigEntry(
        domain=DOMAIN, data=dict(ENTRY_DATA), unique_id=UNIQUE_ID, version=2
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.MIGRATION_ERROR


async def test_mac_entry_names_entities_by_its_unique_id(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """An entry added with a MAC keeps entities and device on that id, with the MAC as a device connection."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={**ENTRY_DATA, CONF_MODEL_ID: UNIQUE_ID, CONF_MAC: MAC},
        unique_id=MAC,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert [d.identifiers for d in devices] == [{(DOMAIN, MAC)}]
    assert (dr.CONNECTION_NETWORK_MAC, MAC) in devices[0].connections
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert entities
    assert all(e.unique_id.startswith(f"{MAC}_") for e in entities)


async def test_other_unit_at_the_address_is_not_adopted(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """When a different heat pump answers at the entry's address, setup waits instead of showing its figures."""
    other = load_heishamon_payload()
    set_topic(other, "Heat_Pump_Model", "E2 CF 0D 11 22 33 44 55 66 77")
    aioclient_mock.get(JSON_URL, json=other)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert mock_config_entry.reason is not None
    assert "different heat pump" in mock_config_entry.reason


async def test_firmware_update_names_the_unknown_model(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """An entry added while HeishaMon (before 3.9) could not name the model keeps working once it can."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=UNKNOWN_MODEL_ID,
        data={**ENTRY_DATA, CONF_MODEL_ID: UNKNOWN_MODEL_ID},
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    # From now on only this model is this entry's.
    assert entry.data[CONF_MODEL_ID] == UNIQUE_ID
    assert entry.unique_id == UNKNOWN_MODEL_ID  # entities keep their ids
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert entities
    assert all(e.unique_id.startswith(f"{UNKNOWN_MODEL_ID}_") for e in entities)


@pytest.mark.parametrize(
    ("exc", "key"),
    [
        (UnitTimeoutError("slow"), "timeout"),
        (UnitConnectionError("refused"), "cannot_connect"),
        (UnitResponseError("garbage"), "invalid_response"),
        (UnitCommandError("refused"), "command_failed"),
        (UnitError("other"), "unit_error"),
    ],
)
def test_one_error_mapping(exc: UnitError, key: str) -> None:
    """Every driver error has one translation key, carried by whichever Home Assistant error is raised."""
    assert error_key(exc) == key
    for raise_as in (ConfigEntryNotReady, UpdateFailed, HomeAssistantError):
        with pytest.raises(raise_as) as caught, unit_errors_as(raise_as, HOST):
            raise exc
        assert caught.value.translation_key == key
        assert caught.value.translation_placeholders == {
            "host": HOST,
            "error": str(exc),
        }
        assert caught.value.__cause__ is exc


async def test_poll_failure_uses_the_mapping(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """A poll that times out marks the entities unavailable with the translated timeout."""
    coordinator = init_integration.runtime_data.coordinator
    aioclient_mock.clear_requests()
    aioclient_mock.get(JSON_URL, exc=TimeoutError())
    await coordinator.async_refresh()
    assert coordinator.last_update_success is False
    assert isinstance(coordinator.last_exception, UpdateFailed)
    assert coordinator.last_exception.translation_key == "timeout"


@pytest.fixture
def setups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every set-up of an entry of this integration (the entry id, once per set-up)."""
    calls: list[str] = []
    original = integration.async_setup_entry

    async def counting(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        calls.append(entry.entry_id)
        return await original(hass, entry)

    monkeypatch.setattr(integration, "async_setup_entry", counting)
    return calls


def _deprecations(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return log messages in which Home Assistant reports this integration using something deprecated."""
    return [
        record.getMessage()
        for record in caplog.records
        if DOMAIN in record.getMessage()
        and (
            "Detected that custom integration" in record.getMessage()
            or "deprecated" in record.getMessage().lower()
        )
    ]


async def test_setup_logs_no_deprecation(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Setting up every platform of a unit entry logs no deprecation on the newest Home Assistant."""
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert _deprecations(caplog) == []


async def test_options_flow_reloads_once_without_deprecation(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    setups: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Changed options reload the entry exactly once; unchanged options do not reload it."""
    entry = init_integration
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**OPTIONS, CONF_POLL_INTERVAL: 90}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert setups == [entry.entry_id]
    assert entry.runtime_data.coordinator.update_interval == timedelta(seconds=90)

    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], dict(entry.options)
    )
    await hass.async_block_till_done()
    assert setups == [entry.entry_id]
    assert _deprecations(caplog) == []


async def test_reconfigure_reloads_once_without_deprecation(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    setups: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Reconfigure sets the entry up once at its new address, with the integration's own message."""
    entry = init_integration
    aioclient_mock.get("http://198.51.100.9/json", json=load_heishamon_payload())
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "198.51.100.9", CONF_PORT: 80}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    # The integration's own message, not Home Assistant's generic one.
    assert result.get("translation_domain") in (None, DOMAIN)
    await hass.async_block_till_done()
    assert setups == [entry.entry_id]
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.coordinator.driver.host == "198.51.100.9"
    assert _deprecations(caplog) == []


async def test_discovery_of_moved_unit_reloads_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    setups: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A unit that left its old address and is discovered at a new one is set up once there."""
    entry = init_integration
    aioclient_mock.clear_requests()
    aioclient_mock.get(JSON_URL, exc=OSError("no route to host"))
    aioclient_mock.get("http://198.51.100.9/json", json=load_heishamon_payload())
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_DHCP},
        data=DhcpServiceInfo(
            ip="198.51.100.9", hostname="heishamon", macaddress=MAC.replace(":", "")
        ),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    await hass.async_block_till_done()
    assert setups == [entry.entry_id]
    assert entry.data[CONF_HOST] == "198.51.100.9"
    assert entry.data[CONF_MAC] == MAC
    assert entry.unique_id == UNIQUE_ID
    assert _deprecations(caplog) == []


async def test_repair_fix_reloads_once_without_deprecation(
    hass: HomeAssistant, setups: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    """Re-mapping a removed sensor in its repair sets the entry up exactly once."""
    assert await async_setup_component(hass, "repairs", {})
    set_sources(hass, {ELEC: 1000.0, HEAT: 3000.0})
    outdoor = er.async_get(hass).async_get_or_create(
        "sensor", "other", "garden", suggested_object_id="garden_temperature"
    )
    hass.states.async_set(outdoor.entity_id, "3.5", TEMPERATURE_C)
    entry = sensors_entry(
        {
            "electrical_power": ELEC,
            "thermal_power": HEAT,
            "outdoor_temperature": outdoor.entity_id,
        }
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    er.async_get(hass).async_remove(outdoor.entity_id)
    await hass.async_block_till_done()
    setups.clear()

    manager = repairs_flow_manager(hass)
    assert manager is not None
    issue_id = f"source_missing_{entry.entry_id}_outdoor_temperature"
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    set_sources(hass, {OUTDOOR: 4.0})
    result = await manager.async_configure(result["flow_id"], {"entity_id": OUTDOOR})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert setups == [entry.entry_id]
    assert entry.state is ConfigEntryState.LOADED
    assert _deprecations(caplog) == []

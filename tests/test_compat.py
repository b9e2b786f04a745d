"""The compatibility shims resolve to working objects on every supported Home Assistant."""

from __future__ import annotations

from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heatpump_efficiency.compat import (
    BinarySensorDeviceClass,
    OptionsFlowWithReload,
    ReloadingOptionsFlow,
    vol,
)
from custom_components.heatpump_efficiency.const import CONF_POLL_INTERVAL


def test_schema_library_validates() -> None:
    """`vol` builds and applies schemas the way config flows use it."""
    schema = vol.Schema({vol.Required("port", default=80): vol.All(vol.Coerce(int))})
    assert schema({}) == {"port": 80}
    assert schema({"port": "8080"}) == {"port": 8080}


def test_binary_sensor_device_class() -> None:
    """The enum is Home Assistant's own (values, not copies)."""
    assert BinarySensorDeviceClass.PROBLEM == "problem"
    assert BinarySensorDeviceClass.RUNNING == "running"


async def test_reloading_options_flow_reloads_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 2025.4 stand-in stores changed options and schedules exactly one reload; unchanged, none."""
    reloads: list[str] = []
    monkeypatch.setattr(hass.config_entries, "async_schedule_reload", reloads.append)
    flow = ReloadingOptionsFlow()
    flow.hass = hass
    flow.handler = init_integration.entry_id
    result = flow.async_create_entry(data={CONF_POLL_INTERVAL: 90})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {CONF_POLL_INTERVAL: 90}
    assert reloads == [init_integration.entry_id]

    flow.async_create_entry(data={CONF_POLL_INTERVAL: 90})
    assert reloads == [init_integration.entry_id]


def test_options_flow_with_reload_is_home_assistants_where_it_exists() -> None:
    """Where Home Assistant has OptionsFlowWithReload it is used as is, else the stand-in."""
    expected = getattr(config_entries, "OptionsFlowWithReload", ReloadingOptionsFlow)
    assert OptionsFlowWithReload is expected

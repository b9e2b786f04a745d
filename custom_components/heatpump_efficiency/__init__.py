"""The Heat Pump Efficiency integration: local polling and efficiency judgement for heat pumps."""

from __future__ import annotations

from dataclasses import replace
from importlib.util import find_spec
from typing import Any

# units/ and analytics/ are plain Python used without Home Assistant too (the replay CLI, scripts/bench),
# and importing them runs this file first: the integration itself is only defined where Home Assistant
# is installed, which is always the case when Home Assistant's loader imports it.
if find_spec("homeassistant") is not None:
    from homeassistant.const import CONF_HOST, CONF_PORT, Platform
    from homeassistant.core import HomeAssistant
    from homeassistant.exceptions import ConfigEntryNotReady
    from homeassistant.helpers import config_validation as cv
    from homeassistant.helpers.aiohttp_client import async_get_clientsession
    from homeassistant.helpers.storage import Store
    from homeassistant.helpers.typing import ConfigType

    from .const import (
        CONF_KIND,
        CONF_MAC,
        CONF_MODEL_ID,
        CONF_TRANSPORT,
        CONF_UNIT_TYPE,
        DOMAIN,
        KIND_SENSORS,
        REQUEST_TIMEOUT,
        STORAGE_VERSION,
        TRANSPORT_MQTT,
    )
    from .control import async_delete_control_issues, async_setup_control
    from .coordinator import HeatpumpCoordinator, storage_key
    from .data import HeatpumpEfficiencyConfigEntry, HeatpumpEfficiencyData
    from .errors import unit_errors_as
    from .pushed.heishamon_mqtt import async_create_mqtt_coordinator
    from .repairs import async_delete_issues, async_delete_source_issues
    from .sensor_coordinator import async_create_sensor_coordinator
    from .services import async_setup_services
    from .units.heishamon import refines_model_id
    from .units.registry import create_driver

    PLATFORMS: list[Platform] = [
        Platform.BINARY_SENSOR,
        Platform.BUTTON,
        Platform.CLIMATE,
        Platform.IMAGE,
        Platform.NUMBER,
        Platform.SENSOR,
    ]
    CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions, independent of any entry being loaded."""
    async_setup_services(hass)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> bool:
    """Set up a heat pump from a config entry."""
    if entry.data.get(CONF_KIND) == KIND_SENSORS:
        coordinator: HeatpumpCoordinator = await async_create_sensor_coordinator(
            hass, entry
        )
    elif entry.data.get(CONF_TRANSPORT) == TRANSPORT_MQTT:
        coordinator = await async_create_mqtt_coordinator(hass, entry)
    else:
        coordinator = await _async_create_unit_coordinator(hass, entry)
    control = None
    if entry.data.get(CONF_KIND) != KIND_SENSORS:
        control = await async_setup_control(hass, entry, coordinator)
    entry.runtime_data = HeatpumpEfficiencyData(
        coordinator=coordinator, control=control
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # No update listener: the options flow, reconfigure and repairs each schedule the one reload they need.
    return True


async def async_migrate_entry(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> bool:
    """Bring an entry stored by an older version up to date; refuse entries of a newer one."""
    if entry.version > 1:
        return False
    if entry.minor_version < 2:
        # 1.2 stores the driver's identity apart from the unique id, which may now be a MAC.
        data = dict(entry.data)
        if data.get(CONF_KIND) != KIND_SENSORS and entry.unique_id:
            data.setdefault(CONF_MODEL_ID, entry.unique_id)
        hass.config_entries.async_update_entry(entry, data=data, minor_version=2)
    return True


async def _async_create_unit_coordinator(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> HeatpumpCoordinator:
    """Connect to the unit over its local API, identify it and take the first reading."""
    driver = create_driver(
        entry.data[CONF_UNIT_TYPE],
        async_get_clientsession(hass),
        entry.data[CONF_HOST],
        entry.data[CONF_PORT],
        timeout=REQUEST_TIMEOUT,
    )
    with unit_errors_as(ConfigEntryNotReady, driver.host):
        identity = await driver.async_identify()
    expected = entry.data.get(CONF_MODEL_ID)
    if expected is not None and refines_model_id(expected, identity.unique_id):
        # Newer firmware names the model the entry's firmware could not: the same heat pump.
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_MODEL_ID: identity.unique_id}
        )
        expected = identity.unique_id
    if expected is not None and identity.unique_id != expected:
        # Another heat pump answers at this address: never show or control it as this entry's.
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="other_unit",
            translation_placeholders={
                "host": driver.host,
                "model": identity.model or identity.unique_id,
            },
        )
    # Entities and the device are named by the entry's unique id, which never changes.
    identity = replace(
        identity,
        unique_id=entry.unique_id or identity.unique_id,
        mac=entry.data.get(CONF_MAC) or identity.mac,
    )
    coordinator = HeatpumpCoordinator(hass, entry, driver, identity)
    await coordinator.async_config_entry_first_refresh()
    return coordinator


async def async_remove_entry(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> None:
    """Forget the entry's statistics and repair issues when it is deleted."""
    async_delete_issues(hass, entry.entry_id)
    async_delete_source_issues(hass, entry.entry_id)
    async_delete_control_issues(hass, entry.entry_id)
    await Store[dict[str, Any]](
        hass, STORAGE_VERSION, storage_key(entry.entry_id)
    ).async_remove()


async def async_unload_entry(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> bool:
    """Unload a config entry, saving the efficiency statistics first."""
    if (control := entry.runtime_data.control) is not None:
        await control.async_flush()  # the last request reaches the unit before a reload
    await entry.runtime_data.coordinator.async_save()
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)

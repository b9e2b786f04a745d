"""The Heat Pump Efficiency integration: local polling and efficiency judgement for heat pumps."""

from __future__ import annotations

from homeassistant.const import CONF_HOST, CONF_PORT, Platform
from homeassistant.core import HomeAssistant

from .const import CONF_UNIT_TYPE
from .data import HeatpumpEfficiencyConfigEntry, HeatpumpEfficiencyData

PLATFORMS: list[Platform] = []


async def async_setup_entry(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> bool:
    """Set up a heat pump from a config entry."""
    entry.runtime_data = HeatpumpEfficiencyData(
        unit_type=entry.data[CONF_UNIT_TYPE],
        host=entry.data[CONF_HOST],
        port=entry.data[CONF_PORT],
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)

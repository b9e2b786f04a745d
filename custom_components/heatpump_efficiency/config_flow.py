"""Config flow for Heat Pump Efficiency."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
)
import voluptuous as vol

from .const import CONF_UNIT_TYPE, DEFAULT_PORT, DOMAIN, UNIT_TYPE_HEISHAMON

USER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_UNIT_TYPE, default=UNIT_TYPE_HEISHAMON): SelectSelector(
            SelectSelectorConfig(
                options=[UNIT_TYPE_HEISHAMON], translation_key=CONF_UNIT_TYPE
            )
        ),
        vol.Required(CONF_HOST): TextSelector(),
        vol.Required(CONF_PORT, default=DEFAULT_PORT): vol.All(
            NumberSelector(
                NumberSelectorConfig(min=1, max=65535, mode=NumberSelectorMode.BOX)
            ),
            vol.Coerce(int),
        ),
    }
)


class HeatpumpEfficiencyConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a heat pump reached over its local API."""

    VERSION = 1

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask which unit to add and where it is on the network."""
        if user_input is not None:
            host = user_input[CONF_HOST].strip()
            self._async_abort_entries_match(
                {CONF_HOST: host, CONF_PORT: user_input[CONF_PORT]}
            )
            return self.async_create_entry(
                title=f"HeishaMon ({host})", data={**user_input, CONF_HOST: host}
            )
        return self.async_show_form(step_id="user", data_schema=USER_SCHEMA)

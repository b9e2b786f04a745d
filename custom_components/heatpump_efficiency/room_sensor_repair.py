"""The repair flow that gives the thermostat a room temperature sensor (it has modes only without one)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.selector import EntitySelector, EntitySelectorConfig

from .compat import RepairsFlowResult, vol
from .const import CONF_ROOM_SENSOR

FLOW_ROOM_SENSOR = "room_sensor"
"""The value of the issue's `flow` data that selects this flow."""


class RoomSensorRepairFlow(RepairsFlow):
    """Choose the room temperature sensor; the entry reloads once with it in its options."""

    def __init__(self, entry_id: str) -> None:
        """Remember which heat pump the issue belongs to."""
        super().__init__()
        self._entry_id = entry_id

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Start with the form (the init step receives the issue's data, not the user's)."""
        return await self.async_step_choose()

    async def async_step_choose(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Ask for the sensor, then store it the way the options flow does and reload."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None:
            return self.async_abort(reason="entry_removed")
        if user_input is not None:
            self.hass.config_entries.async_update_entry(
                entry,
                options={
                    **entry.options,
                    CONF_ROOM_SENSOR: user_input[CONF_ROOM_SENSOR],
                },
            )
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
            return self.async_create_entry(data={})
        issue = ir.async_get(self.hass).async_get_issue(self.handler, self.issue_id)
        schema = vol.Schema(
            {
                vol.Required(CONF_ROOM_SENSOR): EntitySelector(
                    EntitySelectorConfig(domain="sensor", device_class="temperature")
                )
            }
        )
        return self.async_show_form(
            step_id="choose",
            data_schema=schema,
            description_placeholders=None
            if issue is None
            else issue.translation_placeholders,
        )

"""Config-flow steps that start "use existing sensors" from a device: pick it, review its preset's mapping.

Mixed into the integration's config flow. The manual mapping stays as it is; these steps only fill it
in. A preset proposes, our own field checks decide, and the user sees every choice before anything
is stored, with the fields the device could not fill named.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .compat import vol
from .const import DEGREE_DAY_BASE_MAX, DEGREE_DAY_BASE_MIN
from .device_presets import Proposal, device_offers, propose
from .sensor_mapping import (
    CONF_DEFROST,
    CONF_DEFROST_STATES,
    FIELDS_BY_KEY,
    STEP_DETAILS,
    STEP_ENERGY,
    mapped,
    validate,
)
from .source_device import find_unit_device

CONF_DEVICE = "device"
MANUAL = "manual"  # the picker's last option: map every entity by hand
STEP_DEVICE = "sensors_device"
STEP_PRESET = "sensors_preset"


def degree_day_base_selector() -> NumberSelector:
    """Return the options field of the heating degree-days' base temperature."""
    return NumberSelector(
        NumberSelectorConfig(
            min=DEGREE_DAY_BASE_MIN,
            max=DEGREE_DAY_BASE_MAX,
            step=0.5,
            unit_of_measurement="°C",
            mode=NumberSelectorMode.BOX,
        )
    )


def preset_placeholders(proposal: Proposal) -> dict[str, str]:
    """Return what the review form says: the device, the source, how much was found and what was not."""
    found = len([key for key in proposal.mapping if key in FIELDS_BY_KEY])
    total = found + len(proposal.missing)
    return {
        "device": proposal.device_name,
        "source": proposal.title,
        "found": str(found),
        "total": str(total),
        "missing": ", ".join(key.replace("_", " ") for key in proposal.missing) or "-",
    }


def refreshed_mapping(hass: HomeAssistant, data: dict[str, Any]) -> dict[str, Any]:
    """Return an entry's mapping with its device's preset run again: new finds fill unmapped fields.

    For the defrost sensor the entry already maps, the preset's defrost states join the entry's.
    """
    device = find_unit_device(hass, mapped(data))
    proposal = None if device is None else propose(hass, device.id)
    if proposal is None:
        return data
    extra = {
        key: value
        for key, value in proposal.mapping.items()
        if key != CONF_DEFROST_STATES and not data.get(key)
    }
    proposed_states = proposal.mapping.get(CONF_DEFROST_STATES)
    if CONF_DEFROST in extra and proposed_states is not None:
        extra[CONF_DEFROST_STATES] = proposed_states
    elif isinstance(proposed_states, list) and data.get(
        CONF_DEFROST
    ) == proposal.mapping.get(CONF_DEFROST):
        # The same defrost sensor: states the preset has learnt since (another language of the
        # source) are added to the user's, which stay as they are.
        states = [str(state) for state in data.get(CONF_DEFROST_STATES, [])]
        known = {state.strip().casefold() for state in states}
        added = [s for s in proposed_states if s.strip().casefold() not in known]
        if added:
            extra[CONF_DEFROST_STATES] = [*states, *added]
    return {**data, **extra}


class PresetFlowSteps(ConfigFlow):
    """The device picker and the preset review of the sensors path."""

    _devices_offered = False
    _proposal: Proposal | None = None

    def mapping_schema(self, step: str, *, with_name: bool = False) -> vol.Schema:
        """Return a mapping form's schema (given by the flow that mixes these steps in)."""
        raise NotImplementedError

    def offer_devices_first(self) -> bool:
        """Return whether the sensors path should open with the device picker (once per flow)."""
        return not self._devices_offered and bool(device_offers(self.hass))

    def preset_suggestions(self, step: str) -> dict[str, Any] | None:
        """Return the chosen device's mapping for a form of the sensors path, or None without one."""
        if self._proposal is None:
            return None
        keys = {key for key, source in FIELDS_BY_KEY.items() if source.step == step}
        if step == STEP_DETAILS:
            keys.add(CONF_DEFROST_STATES)
        return {
            key: value for key, value in self._proposal.mapping.items() if key in keys
        }

    async def async_step_sensors(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Map the entities by hand (the flow's own step)."""
        raise NotImplementedError

    async def async_step_sensors_device(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Offer the devices that look like heat pumps; the chosen one is mapped through its preset."""
        self._devices_offered = True
        errors: dict[str, str] = {}
        if user_input is not None:
            choice = str(user_input[CONF_DEVICE])
            if choice == MANUAL:
                self._proposal = None
                return await self.async_step_sensors()
            if (proposal := propose(self.hass, choice)) is not None:
                self._proposal = proposal
                return await self.async_step_sensors_preset()
            errors["base"] = "device_gone"  # removed while the form was open
        options = [
            SelectOptionDict(value=offer.device_id, label=offer.label)
            for offer in device_offers(self.hass)
        ]
        options.append(SelectOptionDict(value=MANUAL, label=MANUAL))
        schema = vol.Schema(
            {
                vol.Required(CONF_DEVICE): SelectSelector(
                    SelectSelectorConfig(
                        options=options,
                        mode=SelectSelectorMode.LIST,
                        translation_key=STEP_DEVICE,
                    )
                )
            }
        )
        return self.async_show_form(
            step_id=STEP_DEVICE, data_schema=schema, errors=errors
        )

    async def async_step_sensors_preset(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the preset's mapping of electricity and heat for review, then go on as the manual path."""
        proposal = self._proposal
        if proposal is None:  # pragma: no cover - only reached from the device picker
            return await self.async_step_sensors()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate(self.hass, STEP_ENERGY, user_input)
            if not errors:
                return await self.async_step_sensors(user_input)
        suggested = user_input or {
            CONF_NAME: proposal.device_name,
            **(self.preset_suggestions(STEP_ENERGY) or {}),
        }
        return self.async_show_form(
            step_id=STEP_PRESET,
            data_schema=self.add_suggested_values_to_schema(
                self.mapping_schema(STEP_ENERGY, with_name=True), suggested
            ),
            errors=errors,
            description_placeholders=preset_placeholders(proposal),
        )

    def reconfigure_suggestions(self, entry: ConfigEntry) -> dict[str, Any]:
        """Return an entry's mapping for the reconfigure forms, with its device's preset run again."""
        return refreshed_mapping(self.hass, dict(entry.data))

"""Config-flow steps for HeishaMon over MQTT: add by hand, discovery, and switching an entry's transport.

Mixed into the integration's config flow, so the HTTP steps and these share one flow handler. Every step
checks that Home Assistant's MQTT integration is set up and that the base topic carries HeishaMon's values
(its retained model topic arrives within seconds) before anything is stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import TextSelector
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo

from custom_components.heatpump_efficiency.compat import vol
from custom_components.heatpump_efficiency.const import (
    CONF_KIND,
    CONF_MODEL_ID,
    CONF_TOPIC,
    CONF_TRANSPORT,
    CONF_UNIT_TYPE,
    KIND_SENSORS,
    LOGGER,
    TRANSPORT_MQTT,
)
from custom_components.heatpump_efficiency.units.heishamon_mqtt import (
    base_topic_candidates,
    valid_base_topic,
)
from custom_components.heatpump_efficiency.units.heishamon_topics import (
    DEFAULT_BASE_TOPIC,
    LWT,
    MAIN,
    MAIN_TOPICS,
    OFFLINE,
)
from custom_components.heatpump_efficiency.units.model import UnitError, UnitIdentity

from .heishamon_mqtt import FLOW_WAIT, HeishaMonMqtt, async_mqtt_available

HEISHAMON = "heishamon"
STEP_MQTT = "heishamon_mqtt"
_DISCOVERY_SUFFIXES = (f"/{LWT}", f"/{MAIN}/{MAIN_TOPICS[92]}")


def _topic_schema() -> vol.Schema:
    return vol.Schema(
        {vol.Required(CONF_TOPIC, default=DEFAULT_BASE_TOPIC): TextSelector()}
    )


async def async_identify_topic(
    hass: HomeAssistant, base_topics: Sequence[str]
) -> tuple[UnitIdentity | None, str, str | None]:
    """Listen on the candidate base topics at once, briefly.

    Return the unit's identity and the base topic it publishes under (the first candidate that has a
    board), or None, the first candidate and the translation key of the error.
    """
    links = [HeishaMonMqtt(hass, topic) for topic in base_topics]
    waits: list[asyncio.Task[bool]] = []
    try:
        for link in links:
            await link.async_subscribe()
        waits = [
            asyncio.ensure_future(link.async_wait_for_model(FLOW_WAIT))
            for link in links
        ]
        pending = set(waits)
        while pending and not any(wait.done() and wait.result() for wait in waits):
            _done, pending = await asyncio.wait(
                pending, return_when=asyncio.FIRST_COMPLETED
            )
        found = next(
            (
                link
                for link, wait in zip(links, waits, strict=True)
                if wait.done() and wait.result()
            ),
            None,
        )
        if found is None:
            return None, base_topics[0], "mqtt_no_data"
        try:
            return await found.driver.async_identify(), found.driver.base_topic, None
        except UnitError as err:
            LOGGER.debug("HeishaMon on MQTT topic %s: %s", found.driver.base_topic, err)
            return None, found.driver.base_topic, "mqtt_no_data"
    finally:
        for wait in waits:
            wait.cancel()
        for link in links:
            link.async_unsubscribe()


class MqttFlowSteps(ConfigFlow):
    """The MQTT steps of the integration's config flow."""

    _mqtt_topic: str | None = None
    _mqtt_identity: UnitIdentity | None = None
    _http_chosen = False  # reconfigure: the user picked HTTP in the transport menu

    def _unit_entries(self) -> list[ConfigEntry]:
        return [
            entry
            for entry in self._async_current_entries(include_ignore=False)
            if entry.data.get(CONF_KIND) != KIND_SENSORS
        ]

    def _mqtt_entry_data(
        self, base_topic: str, identity: UnitIdentity
    ) -> dict[str, Any]:
        return {
            CONF_UNIT_TYPE: HEISHAMON,
            CONF_TRANSPORT: TRANSPORT_MQTT,
            CONF_TOPIC: base_topic,
            CONF_MODEL_ID: identity.unique_id,
        }

    def _known_unit(self, base_topic: str, model_id: str) -> str | None:
        """Return why a unit found on a topic is configured already, or None for a new one."""
        for entry in self._unit_entries():
            if entry.data.get(CONF_TRANSPORT) == TRANSPORT_MQTT:
                if entry.data.get(CONF_TOPIC) == base_topic:
                    return "already_configured"
            elif entry.data.get(CONF_MODEL_ID, entry.unique_id) == model_id:
                # Most likely the same board over HTTP: switching is a reconfigure, which keeps history.
                return "configured_over_http"
        return None

    async def _async_set_mqtt_unique_id(
        self, model_id: str, *, raise_on_progress: bool = True
    ) -> None:
        """Give a new entry the model id, numbered when another entry already has it.

        An ignored discovery keeps the plain model id, so the same board is not offered again.
        """
        taken = {
            entry.unique_id
            for entry in self._async_current_entries(include_ignore=False)
        }
        unique_id, number = model_id, 1
        while unique_id in taken:
            number += 1
            unique_id = f"{model_id}-{number}"
        await self.async_set_unique_id(unique_id, raise_on_progress=raise_on_progress)

    async def async_step_heishamon_mqtt(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for HeishaMon's base topic and check that it carries HeishaMon's values."""
        if not await async_mqtt_available(self.hass):
            return self.async_abort(reason="mqtt_not_configured")
        errors: dict[str, str] = {}
        if user_input is not None:
            candidates = base_topic_candidates(str(user_input.get(CONF_TOPIC, "")))
            if not candidates:
                errors[CONF_TOPIC] = "invalid_topic"
            else:
                identity, base_topic, error = await async_identify_topic(
                    self.hass, candidates
                )
                if identity is None:
                    errors["base"] = error or "mqtt_no_data"
                else:
                    if reason := self._known_unit(base_topic, identity.unique_id):
                        return self.async_abort(reason=reason)
                    # The user's own flow wins over a discovery of the same board.
                    await self._async_set_mqtt_unique_id(
                        identity.unique_id, raise_on_progress=False
                    )
                    return self.async_create_entry(
                        title=identity.model or identity.manufacturer,
                        data=self._mqtt_entry_data(base_topic, identity),
                    )
        return self.async_show_form(
            step_id=STEP_MQTT,
            data_schema=self.add_suggested_values_to_schema(
                _topic_schema(), user_input
            ),
            errors=errors,
        )

    async def async_step_mqtt(
        self, discovery_info: MqttServiceInfo
    ) -> ConfigFlowResult:
        """Handle a HeishaMon publishing on the broker (its LWT or its model topic)."""
        topic = discovery_info.topic
        suffix = next((s for s in _DISCOVERY_SUFFIXES if topic.endswith(s)), None)
        payload = discovery_info.payload
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8", errors="replace")
        if suffix is None or (suffix.endswith(LWT) and str(payload).strip() == OFFLINE):
            return self.async_abort(reason="invalid_discovery_info")
        base_topic = valid_base_topic(topic[: -len(suffix)])
        if base_topic is None or not await async_mqtt_available(self.hass):
            return self.async_abort(reason="invalid_discovery_info")
        identity, base_topic, error = await async_identify_topic(
            self.hass, (base_topic,)
        )
        if identity is None:
            return self.async_abort(reason=error or "mqtt_no_data")
        if reason := self._known_unit(base_topic, identity.unique_id):
            return self.async_abort(reason=reason)
        await self._async_set_mqtt_unique_id(identity.unique_id)
        self._abort_if_unique_id_configured()
        self._mqtt_topic = base_topic
        self._mqtt_identity = identity
        self.context["title_placeholders"] = {
            "name": identity.model or identity.manufacturer
        }
        return await self.async_step_mqtt_confirm()

    async def async_step_mqtt_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask the user to confirm a HeishaMon found on the broker."""
        identity, base_topic = self._mqtt_identity, self._mqtt_topic
        if (
            identity is None or base_topic is None
        ):  # pragma: no cover - only after discovery
            return self.async_abort(reason="unknown")
        title = identity.model or identity.manufacturer
        if user_input is not None:
            return self.async_create_entry(
                title=title, data=self._mqtt_entry_data(base_topic, identity)
            )
        self._set_confirm_only()
        return self.async_show_form(
            step_id="mqtt_confirm",
            description_placeholders={"name": title, "topic": base_topic},
        )

    async def async_step_reconfigure_mqtt(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Reach a configured HeishaMon over MQTT from now on; the entry and its history stay."""
        entry = self._get_reconfigure_entry()
        if not await async_mqtt_available(self.hass):
            return self.async_abort(reason="mqtt_not_configured")
        errors: dict[str, str] = {}
        if user_input is not None:
            candidates = base_topic_candidates(str(user_input.get(CONF_TOPIC, "")))
            if not candidates:
                errors[CONF_TOPIC] = "invalid_topic"
            else:
                identity, base_topic, error = await async_identify_topic(
                    self.hass, candidates
                )
                if identity is None:
                    errors["base"] = error or "mqtt_no_data"
                elif identity.unique_id != entry.data.get(
                    CONF_MODEL_ID, entry.unique_id
                ):
                    return self.async_abort(reason="wrong_device")
                elif any(
                    other.entry_id != entry.entry_id
                    and other.data.get(CONF_TRANSPORT) == TRANSPORT_MQTT
                    and other.data.get(CONF_TOPIC) == base_topic
                    for other in self._unit_entries()
                ):
                    return self.async_abort(reason="already_configured")
                else:
                    return self.async_update_reload_and_abort(
                        entry,
                        data_updates={
                            CONF_TRANSPORT: TRANSPORT_MQTT,
                            CONF_TOPIC: base_topic,
                        },
                        reason="reconfigure_successful",
                    )
        return self.async_show_form(
            step_id="reconfigure_mqtt",
            data_schema=self.add_suggested_values_to_schema(
                _topic_schema(), user_input or dict(entry.data)
            ),
            errors=errors,
        )


def offers_mqtt(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Return whether reconfiguring a unit entry offers the choice of transport."""
    if entry.data.get(CONF_UNIT_TYPE) != HEISHAMON:
        return False
    return entry.data.get(CONF_TRANSPORT) == TRANSPORT_MQTT or bool(
        hass.config_entries.async_entries("mqtt")
    )

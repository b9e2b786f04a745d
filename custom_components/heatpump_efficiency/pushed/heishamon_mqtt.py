"""HeishaMon over Home Assistant's MQTT integration: subscriptions, commands and their confirmation.

The driver (`units/heishamon_mqtt.py`) decodes; this module connects it to the broker Home Assistant
already uses: it subscribes to the board's topics, publishes commands (never retained, QoS 1) and says
clearly, once, when the unit does not report a command as applied within a minute.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from custom_components.heatpump_efficiency.const import (
    CONF_MODEL_ID,
    CONF_TOPIC,
    DOMAIN,
    LOGGER,
)
from custom_components.heatpump_efficiency.data import HeatpumpEfficiencyConfigEntry
from custom_components.heatpump_efficiency.units.heishamon_mqtt import (
    CONFIRM_TIMEOUT,
    HeishaMonMqttDriver,
    PendingCommand,
    subscriptions,
)
from custom_components.heatpump_efficiency.units.heishamon_topics import (
    MAIN,
    MAIN_TOPICS,
)
from custom_components.heatpump_efficiency.units.model import (
    UnitConnectionError,
    UnitError,
    UnitIdentity,
)

from .coordinator import PushedCoordinator

if TYPE_CHECKING:
    from homeassistant.components.mqtt import ReceiveMessage

SETUP_WAIT = 12.0
"""Seconds to wait at setup for the board's retained values (the broker sends them at once) and for a sign
that it is connected now: the `Online` it publishes live every read cycle (5 s by default)."""
FLOW_WAIT = 12.0
"""Seconds the config flow waits for the board's values and for it to show it is online."""
QUIET = 1.0
"""Seconds without a new value before a reading: HeishaMon publishes a read's values one message after
the other (the K/L extra block a moment later), so a reading waits for the end of the burst."""
MAX_POSTPONE = 5
"""A board that never falls silent still gets a reading after this many postponements."""
COMMAND_QOS = 1
ISSUE_COMMAND_NOT_APPLIED = "mqtt_command_not_applied"
_MODEL_TOPIC = MAIN_TOPICS[
    92
]  # Heat_Pump_Model: retained, and what identifies the unit


def command_issue_id(entry_id: str) -> str:
    """Return the id of the issue saying a command sent over MQTT was not applied."""
    return f"{ISSUE_COMMAND_NOT_APPLIED}_{entry_id}"


async def async_mqtt_available(hass: HomeAssistant) -> bool:
    """Return whether Home Assistant's MQTT integration is set up (waiting while it starts)."""
    if not hass.config_entries.async_entries("mqtt"):
        return False  # not configured: MQTT's own module and its packages need not be loaded
    from homeassistant.components import mqtt  # noqa: PLC0415 - only for MQTT users

    return await mqtt.async_wait_for_mqtt_client(hass)


class HeishaMonMqtt:
    """One board's subscriptions and driver, shared by setup and the config flow."""

    def __init__(self, hass: HomeAssistant, base_topic: str) -> None:
        """Prepare the driver; `async_subscribe` starts receiving."""
        from homeassistant.components import mqtt  # noqa: PLC0415 - only for MQTT users

        self.hass = hass
        self._mqtt = mqtt

        async def publish(topic: str, payload: str) -> None:
            try:
                await mqtt.async_publish(
                    hass, topic, payload, qos=COMMAND_QOS, retain=False
                )
            except HomeAssistantError as err:
                raise UnitConnectionError(f"could not publish {topic}: {err}") from err
            self._async_watch_command()

        self.driver = HeishaMonMqttDriver(publish, base_topic=base_topic)
        self.coordinator: MqttCoordinator | None = None
        # Set once the model topic has arrived and the board has published live: retained values alone
        # may be those of a board that is long gone.
        self._ready = asyncio.Event()
        self._model_seen = False
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._cancel_check: CALLBACK_TYPE | None = None

    async def async_subscribe(self) -> None:
        """Subscribe to the board's topics (retained values arrive right after)."""
        for topic in subscriptions(self.driver.base_topic):
            self._unsubscribe.append(
                await self._mqtt.async_subscribe(self.hass, topic, self._async_message)
            )

    @callback
    def async_unsubscribe(self) -> None:
        """Stop receiving (and checking commands: the entry is going away)."""
        while self._unsubscribe:
            self._unsubscribe.pop()()
        if self._cancel_check is not None:
            self._cancel_check()
            self._cancel_check = None

    @callback
    def _async_message(self, message: ReceiveMessage) -> None:
        payload = message.payload
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8", errors="replace")
        driver = self.driver
        online = driver.online
        waiting = len(driver.unconfirmed)
        data = driver.handle_message(
            message.topic, str(payload), dt_util.utcnow(), retained=message.retain
        )
        if message.topic == f"{driver.base_topic}/{MAIN}/{_MODEL_TOPIC}":
            self._model_seen = True
        if self._model_seen and driver.live:
            self._ready.set()
        if (coordinator := self.coordinator) is None:
            return
        if len(driver.unconfirmed) < waiting:
            # A command was applied: an earlier "not applied" issue is out of date.
            ir.async_delete_issue(
                self.hass, DOMAIN, command_issue_id(coordinator.config_entry.entry_id)
            )
        if data or (online is False and driver.online):
            # New values, or the board is back: a reading once the burst has arrived.
            coordinator.async_source_changed()
        elif driver.online is False and online is not False:
            # The board went offline: show it now rather than at the next heartbeat.
            coordinator.hass.async_create_task(coordinator.async_refresh())

    async def async_wait_for_model(self, seconds: float) -> bool:
        """Wait until the model topic has arrived and the board is live; False when not in time."""
        try:
            async with asyncio.timeout(seconds):
                await self._ready.wait()
        except TimeoutError:
            return False
        return True

    # --- confirmation of commands ---------------------------------------------------------------

    @callback
    def _async_watch_command(self) -> None:
        """Check shortly after the confirmation time whether the unit reported the command."""
        if self._cancel_check is not None:
            self._cancel_check()  # the newest command's check also covers the earlier ones
        self._cancel_check = async_call_later(
            self.hass,
            CONFIRM_TIMEOUT.total_seconds() + 1,
            HassJob(self._async_check_commands, cancel_on_shutdown=True),
        )

    @callback
    def _async_check_commands(self, _now: datetime) -> None:
        """Report each command the unit did not apply in time, once."""
        self._cancel_check = None
        if (coordinator := self.coordinator) is None:
            return
        entry = coordinator.config_entry
        for command in self.driver.overdue(dt_util.utcnow()):
            _async_report_not_applied(self.hass, entry, command)


class MqttCoordinator(PushedCoordinator):
    """The coordinator of a HeishaMon reached over MQTT."""

    # HeishaMon publishes changes after every 5 s read of the heat pump, and while the compressor runs
    # something (pump flow, expansion valve) changes nearly every time: one reading per 30 s at most, as
    # many as polling /json at the default interval, keeps the recorder light.
    min_spacing = 30.0

    def __init__(
        self,
        hass: HomeAssistant,
        entry: HeatpumpEfficiencyConfigEntry,
        link: HeishaMonMqtt,
        identity: UnitIdentity,
    ) -> None:
        """Create the coordinator; the link's messages drive it from now on."""
        super().__init__(hass, entry, link.driver, identity)
        self.link = link
        link.coordinator = self
        self._last_data: datetime | None = None
        self._postponed = 0

    @callback
    def async_source_changed(self) -> None:
        """Note when the board last published, then schedule a reading as any pushed source does."""
        self._last_data = dt_util.utcnow()
        super().async_source_changed()

    async def _async_timer(self, name: str, now: datetime) -> None:
        """Take a reading only once the board's burst of values is complete (never half a read)."""
        if name == "align" and (last := self._last_data) is not None:
            silent = (dt_util.utcnow() - last).total_seconds()
            if 0 <= silent < QUIET and self._postponed < MAX_POSTPONE:
                self._postponed += 1
                self._timers.pop(name, None)
                self._async_schedule(name, QUIET - silent)
                return
        self._postponed = 0
        await super()._async_timer(name, now)


@callback
def _async_report_not_applied(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry, command: PendingCommand
) -> None:
    """Log and raise a repair issue: a command went out but the unit never reported it."""
    seconds = f"{CONFIRM_TIMEOUT.total_seconds():g}"
    LOGGER.error(
        "%s: %s=%s was published over MQTT but the heat pump did not report it within %s s; "
        "check that HeishaMon is online and not in listen-only mode",
        entry.title,
        command.name,
        command.value,
        seconds,
    )
    ir.async_create_issue(
        hass,
        DOMAIN,
        command_issue_id(entry.entry_id),
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=ISSUE_COMMAND_NOT_APPLIED,
        translation_placeholders={
            "name": entry.title,
            "command": command.name,
            "value": str(command.value),
            "seconds": seconds,
        },
    )


async def async_create_mqtt_coordinator(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> MqttCoordinator:
    """Subscribe to the board's topics, identify the unit from its retained values and take a reading."""
    base_topic = entry.data[CONF_TOPIC]
    if not await async_mqtt_available(hass):
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="mqtt_not_available",
            translation_placeholders={"topic": base_topic},
        )
    link = HeishaMonMqtt(hass, base_topic)
    entry.async_on_unload(link.async_unsubscribe)
    await link.async_subscribe()
    if not await link.async_wait_for_model(SETUP_WAIT):
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="mqtt_no_data",
            translation_placeholders={"topic": base_topic},
        )
    try:
        identity = await link.driver.async_identify()
    except UnitError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="mqtt_no_data",
            translation_placeholders={"topic": base_topic},
        ) from err
    expected = entry.data.get(CONF_MODEL_ID)
    if expected is not None and identity.unique_id != expected:
        # Another heat pump publishes under this topic: never show or control it as this entry's.
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="mqtt_other_unit",
            translation_placeholders={
                "topic": base_topic,
                "model": identity.model or identity.unique_id,
            },
        )
    # Entities and the device are named by the entry's unique id, whichever transport it uses.
    identity = replace(identity, unique_id=entry.unique_id or identity.unique_id)
    coordinator = MqttCoordinator(hass, entry, link, identity)
    await coordinator.async_config_entry_first_refresh()
    return coordinator

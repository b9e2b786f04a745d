"""Config flow for Heat Pump Efficiency: add, discover, reconfigure and tune a heat pump."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    SOURCE_USER,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import format_mac
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
    TextSelectorConfig,
)
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo
from homeassistant.helpers.translation import async_get_translations

from .address import normalize_host, valid_port
from .analytics.config import EngineConfig, option_bounds
from .compat import OptionsFlowWithReload, vol
from .const import (
    CONF_AWAY_TEMPERATURE,
    CONF_COMFORT_TEMPERATURE,
    CONF_DEGREE_DAY_BASE,
    CONF_ECO_TEMPERATURE,
    CONF_KIND,
    CONF_MAC,
    CONF_MAX_AGE,
    CONF_MODEL_ID,
    CONF_POLL_INTERVAL,
    CONF_ROOM_SENSOR,
    CONF_THRESHOLDS,
    CONF_TRANSPORT,
    CONF_UNIT_TYPE,
    DEFAULT_AWAY_TEMPERATURE,
    DEFAULT_COMFORT_TEMPERATURE,
    DEFAULT_DEGREE_DAY_BASE,
    DEFAULT_ECO_TEMPERATURE,
    DEFAULT_MAX_AGE,
    DEFAULT_POLL_INTERVAL,
    DEVICE_NAME,
    DOMAIN,
    KIND_SENSORS,
    LOGGER,
    MAX_MAX_AGE,
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
    PRESET_TEMPERATURE_MAX,
    PRESET_TEMPERATURE_MIN,
    REQUEST_TIMEOUT,
    TRANSPORT_HTTP,
    TRANSPORT_MQTT,
)
from .errors import error_key
from .preset_flow import PresetFlowSteps, degree_day_base_selector
from .pushed.mqtt_flow import MqttFlowSteps, offers_mqtt
from .sensor_mapping import (
    CONF_DEFROST,
    CONF_DEFROST_STATES,
    CONF_ELECTRICAL_ENERGY,
    CONF_ELECTRICAL_POWER,
    FIELDS,
    STEP_DETAILS,
    STEP_ENERGY,
    validate,
)
from .units.heishamon import refines_model_id
from .units.model import UnitError, UnitIdentity
from .units.registry import UNIT_TYPES, create_driver

HEISHAMON_DEFAULT_PORT = UNIT_TYPES["heishamon"].default_port


class CheckedInFlowNumberSelector(NumberSelector):
    """A number box that shows its bounds in the form but leaves checking them to the flow.

    Home Assistant's own check answers "Value 5.0 is too small" in English; the flow answers with the
    field's translated error instead (and refuses 80.7 as a port rather than rounding it).
    """

    def __call__(self, data: Any) -> float:
        """Accept any number; the step checks the bounds."""
        return float(vol.Coerce(float)(data))


def _box(
    minimum: float, maximum: float, step: float, unit: str | None = None
) -> CheckedInFlowNumberSelector:
    config = NumberSelectorConfig(
        min=minimum, max=maximum, step=step, mode=NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return CheckedInFlowNumberSelector(config)


def _connection_schema(defaults: dict[str, Any]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(
                CONF_HOST, default=defaults.get(CONF_HOST, vol.UNDEFINED)
            ): TextSelector(),
            vol.Required(
                CONF_PORT, default=defaults.get(CONF_PORT, HEISHAMON_DEFAULT_PORT)
            ): _box(1, 65535, 1),
        }
    )


def check_address(
    user_input: dict[str, Any],
) -> tuple[str | None, int | None, dict[str, str]]:
    """Return the host and port typed into a form, or field errors for the ones that are not valid."""
    host = normalize_host(str(user_input.get(CONF_HOST, "")))
    port = valid_port(user_input.get(CONF_PORT))
    errors: dict[str, str] = {}
    if host is None:
        errors[CONF_HOST] = "invalid_host"
    if port is None:
        errors[CONF_PORT] = "invalid_port"
    return host, port, errors


def _user_schema(defaults: dict[str, Any]) -> vol.Schema:
    unit_type = vol.Schema(
        {
            vol.Required(
                CONF_UNIT_TYPE, default=defaults.get(CONF_UNIT_TYPE, "heishamon")
            ): SelectSelector(
                SelectSelectorConfig(
                    options=list(UNIT_TYPES), translation_key=CONF_UNIT_TYPE
                )
            )
        }
    )
    return unit_type.extend(_connection_schema(defaults).schema)


def _mapping_schema(step: str, *, with_name: bool = False) -> vol.Schema:
    """One entity selector per field of a mapping form (plus the name, and defrost states after defrost)."""
    fields: dict[Any, Any] = {}
    if with_name:
        fields[vol.Required(CONF_NAME, default=DEVICE_NAME)] = TextSelector()
    for source in FIELDS:
        if source.step != step:
            continue
        fields[vol.Optional(source.key)] = source.selector()
        if source.key == CONF_DEFROST:
            fields[vol.Optional(CONF_DEFROST_STATES)] = TextSelector(
                TextSelectorConfig(multiple=True)
            )
    return vol.Schema(fields)


class HeatpumpEfficiencyConfigFlow(PresetFlowSteps, MqttFlowSteps, domain=DOMAIN):
    """Add a heat pump reached over its local API."""

    VERSION = 1
    MINOR_VERSION = (
        2  # 1.2: model id (and MAC, when discovery gave one) stored in the entry data
    )

    def __init__(self) -> None:
        """Start with nothing discovered."""
        self._discovered: dict[str, Any] = {}
        self._identity: UnitIdentity | None = None
        self._mapping: dict[str, Any] = {}

    @staticmethod
    @callback
    def async_get_options_flow(
        config_entry: ConfigEntry,
    ) -> OptionsFlow:
        """Return the options flow of the entry's kind."""
        if config_entry.data.get(CONF_KIND) == KIND_SENSORS:
            return SensorsOptionsFlow()
        return HeatpumpEfficiencyOptionsFlow()

    async def _async_identify(
        self, unit_type: str, host: str, port: int
    ) -> tuple[UnitIdentity | None, str | None]:
        """Connect to the unit; return its identity or the translation key of what went wrong."""
        driver = create_driver(
            unit_type,
            async_get_clientsession(self.hass),
            host,
            port,
            timeout=REQUEST_TIMEOUT,
        )
        try:
            return await driver.async_identify(), None
        except UnitError as err:
            LOGGER.debug("Identifying the unit at %s:%s failed: %s", host, port, err)
            return None, error_key(err)
        except Exception:  # noqa: BLE001 - the user gets 'unknown' and the log has the trace
            LOGGER.exception("Unexpected error while connecting to %s:%s", host, port)
            return None, "unknown"

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask whether to connect to the unit or to use sensors already in Home Assistant."""
        return self.async_show_menu(
            step_id="user", menu_options=["device", "heishamon_mqtt", "sensors"]
        )

    async def async_step_device(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask which unit to add and where it is on the network, and check it answers."""
        errors: dict[str, str] = {}
        if user_input is not None:
            host, port, errors = check_address(user_input)
            if host is not None and port is not None:
                unit_type = user_input[CONF_UNIT_TYPE]
                identity, error = await self._async_identify(unit_type, host, port)
                if identity is not None:
                    return await self._async_found(unit_type, host, port, identity)
                errors["base"] = error or "unknown"
        return self.async_show_form(
            step_id="device",
            data_schema=self.add_suggested_values_to_schema(
                _user_schema({}), user_input
            ),
            errors=errors,
        )

    async def async_step_sensors(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Map the entities giving electricity and heat; the heat pump is identified by its electricity."""
        if user_input is None and self.offer_devices_first():
            return await self.async_step_sensors_device()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate(self.hass, STEP_ENERGY, user_input)
            if not errors:
                await self.async_set_unique_id(
                    _sensors_unique_id(self.hass, user_input)
                )
                self._abort_if_unique_id_configured()
                self._mapping = dict(user_input)
                return await self.async_step_sensors_details()
        return self.async_show_form(
            step_id="sensors",
            data_schema=self.add_suggested_values_to_schema(
                _mapping_schema(STEP_ENERGY, with_name=True), user_input
            ),
            errors=errors,
        )

    def mapping_schema(self, step: str, *, with_name: bool = False) -> vol.Schema:
        """Return a mapping form's schema (for the preset review step)."""
        return _mapping_schema(step, with_name=with_name)

    async def async_step_sensors_details(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Map the optional entities (weather, defrost, compressor, backup heater, climate), then add."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate(self.hass, STEP_DETAILS, user_input)
            if not errors:
                mapping = {**self._mapping, **user_input}
                title = str(mapping.pop(CONF_NAME, "") or DEVICE_NAME).strip()
                return self.async_create_entry(
                    title=title or DEVICE_NAME,
                    data={CONF_KIND: KIND_SENSORS, **mapping},
                )
        return self.async_show_form(
            step_id="sensors_details",
            data_schema=self.add_suggested_values_to_schema(
                _mapping_schema(STEP_DETAILS),
                user_input or self.preset_suggestions(STEP_DETAILS),
            ),
            errors=errors,
        )

    async def async_step_reconfigure_sensors(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Re-map the entities giving electricity and heat; the history of the entry is kept."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate(self.hass, STEP_ENERGY, user_input)
            if not errors:
                self._mapping = dict(user_input)
                return await self.async_step_reconfigure_sensors_details()
        return self.async_show_form(
            step_id="reconfigure_sensors",
            data_schema=self.add_suggested_values_to_schema(
                _mapping_schema(STEP_ENERGY),
                user_input or self.reconfigure_suggestions(entry),
            ),
            errors=errors,
        )

    async def async_step_reconfigure_sensors_details(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Re-map the optional entities, then reload the entry with the new mapping."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate(self.hass, STEP_DETAILS, user_input)
            if not errors:
                return self.async_update_reload_and_abort(
                    entry,
                    data={CONF_KIND: KIND_SENSORS, **self._mapping, **user_input},
                    reason="sensors_reconfigured",
                )
        return self.async_show_form(
            step_id="reconfigure_sensors_details",
            data_schema=self.add_suggested_values_to_schema(
                _mapping_schema(STEP_DETAILS),
                user_input or self.reconfigure_suggestions(entry),
            ),
            errors=errors,
        )

    async def async_step_zeroconf(
        self, discovery_info: ZeroconfServiceInfo
    ) -> ConfigFlowResult:
        """Handle a HeishaMon board announcing its web server over mDNS (with its MAC, if it says)."""
        properties = discovery_info.properties
        mac = properties.get("mac") or properties.get("macaddress")
        return await self._async_discovered(
            discovery_info.host,
            discovery_info.port or HEISHAMON_DEFAULT_PORT,
            str(mac) if mac else None,
        )

    async def async_step_dhcp(
        self, discovery_info: DhcpServiceInfo
    ) -> ConfigFlowResult:
        """Handle a HeishaMon board joining the network or changing its address."""
        return await self._async_discovered(
            discovery_info.ip, HEISHAMON_DEFAULT_PORT, discovery_info.macaddress
        )

    async def _async_discovered(
        self, host: str, port: int, mac: str | None
    ) -> ConfigFlowResult:
        mac = format_mac(mac) if mac else None
        if mac is not None:
            # A unit added with this MAC is known for sure: follow it to its address without asking it.
            await self.async_set_unique_id(mac)
            self._abort_if_unique_id_configured(
                updates={CONF_HOST: host, CONF_PORT: port}
            )
        identity, error = await self._async_identify("heishamon", host, port)
        if identity is None:
            return self.async_abort(reason=error or "unknown")
        return await self._async_found("heishamon", host, port, identity, mac)

    async def _async_found(
        self,
        unit_type: str,
        host: str,
        port: int,
        identity: UnitIdentity,
        mac: str | None = None,
    ) -> ConfigFlowResult:
        """Decide whether a unit that answered is a configured one (update it) or a heat pump of its own.

        The model bytes are shared by heat pumps of the same model, so they alone never move an entry:
        only the MAC, the same address, or an old address that no longer answers as this unit does.
        """
        model_id = identity.unique_id
        units = [
            entry
            for entry in self._async_current_entries(include_ignore=False)
            if entry.data.get(CONF_KIND) != KIND_SENSORS
        ]
        if mac is not None:
            for entry in units:
                if mac in (entry.unique_id, entry.data.get(CONF_MAC)):
                    return self._async_update_unit(entry, host, port, mac)
        candidates = [
            entry
            for entry in units
            if _same_model(entry, model_id) and entry.data.get(CONF_MAC) in (None, mac)
        ]
        for entry in candidates:
            if entry.data.get(CONF_HOST) == host:
                return self._async_update_unit(entry, host, port, mac)
        if any(
            entry.data.get(CONF_TRANSPORT) == TRANSPORT_MQTT for entry in candidates
        ):
            # This model is configured over MQTT: most likely this very board, which needs no second entry.
            return self.async_abort(reason="already_configured")
        moved = [
            entry
            for entry in candidates
            if not await self._async_answers_as(entry, model_id)
        ]
        if len(moved) == 1:
            return self._async_update_unit(moved[0], host, port, mac)
        if moved:
            # Several units of this model are away: which one this is cannot be told.
            return self.async_abort(reason="ambiguous_unit")

        # A heat pump of its own, even when another of the same model is configured.
        await self.async_set_unique_id(mac or self._free_unique_id(model_id))
        self._abort_if_unique_id_configured()
        data: dict[str, Any] = {
            CONF_UNIT_TYPE: unit_type,
            CONF_HOST: host,
            CONF_PORT: port,
            CONF_MODEL_ID: model_id,
        }
        if mac is not None:
            data[CONF_MAC] = mac
        title = _title(identity)
        if any(entry.title == title for entry in units):
            title = f"{title} ({host})"
        if self.source == SOURCE_USER:
            return self.async_create_entry(title=title, data=data)
        self._identity = identity
        self._discovered = data
        self.context["title_placeholders"] = {"name": title}
        return await self.async_step_discovery_confirm()

    async def _async_answers_as(self, entry: ConfigEntry, model_id: str) -> bool:
        """Return whether the unit at an entry's address still answers with this model id."""
        identity, _error = await self._async_identify(
            entry.data[CONF_UNIT_TYPE], entry.data[CONF_HOST], entry.data[CONF_PORT]
        )
        return identity is not None and identity.unique_id == model_id

    def _free_unique_id(self, model_id: str) -> str:
        """Return the model id, or the model id numbered from 2 when an entry has it already."""
        taken = {
            entry.unique_id
            for entry in self._async_current_entries(include_ignore=False)
        }
        number = 1
        unique_id = model_id
        while unique_id in taken:
            number += 1
            unique_id = f"{model_id}-{number}"
        return unique_id

    @callback
    def _async_update_unit(
        self, entry: ConfigEntry, host: str, port: int, mac: str | None
    ) -> ConfigFlowResult:
        """Remember a configured unit's address (and MAC); reload it once if they changed and it runs or retries."""
        updates: dict[str, Any] = {CONF_HOST: host, CONF_PORT: port}
        if mac is not None:
            updates[CONF_MAC] = mac
        if self.hass.config_entries.async_update_entry(
            entry, data={**entry.data, **updates}
        ) and entry.state in (ConfigEntryState.LOADED, ConfigEntryState.SETUP_RETRY):
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_abort(reason="already_configured")

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask the user to confirm a discovered unit."""
        if self._identity is None:  # pragma: no cover - only reached after discovery
            return self.async_abort(reason="unknown")
        title = self.context["title_placeholders"]["name"]
        if user_input is not None:
            return self.async_create_entry(title=title, data=self._discovered)
        self._set_confirm_only()
        return self.async_show_form(
            step_id="discovery_confirm",
            description_placeholders={
                "name": title,
                "host": self._discovered[CONF_HOST],
            },
        )

    async def async_step_reconfigure_http(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Reach the unit over its web server (HTTP) from now on: ask for its address."""
        self._http_chosen = True
        return await self.async_step_reconfigure()

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address of a configured unit; it must still be the same unit."""
        entry = self._get_reconfigure_entry()
        if entry.data.get(CONF_KIND) == KIND_SENSORS:
            return await self.async_step_reconfigure_sensors()
        if (
            user_input is None
            and not self._http_chosen
            and offers_mqtt(self.hass, entry)
        ):
            return self.async_show_menu(
                step_id="reconfigure",
                menu_options=["reconfigure_http", "reconfigure_mqtt"],
            )
        errors: dict[str, str] = {}
        if user_input is not None:
            host, port, errors = check_address(user_input)
            if host is not None and port is not None:
                identity, error = await self._async_identify(
                    entry.data[CONF_UNIT_TYPE], host, port
                )
                if identity is None:
                    errors["base"] = error or "unknown"
                elif not _same_model(entry, identity.unique_id):
                    return self.async_abort(reason="wrong_device")
                elif any(
                    other.entry_id != entry.entry_id
                    and other.data.get(CONF_HOST) == host
                    for other in self._async_current_entries(include_ignore=False)
                ):
                    # Another entry's unit (of the same model) answers there.
                    return self.async_abort(reason="already_configured")
                else:
                    return self.async_update_reload_and_abort(
                        entry,
                        data_updates={
                            CONF_HOST: host,
                            CONF_PORT: port,
                            CONF_TRANSPORT: TRANSPORT_HTTP,
                            CONF_MODEL_ID: identity.unique_id,
                        },
                        reason="reconfigure_successful",
                    )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _connection_schema({}), user_input or dict(entry.data)
            ),
            errors=errors,
        )


def _title(identity: UnitIdentity) -> str:
    return identity.model or identity.manufacturer


def _same_model(entry: ConfigEntry, model_id: str) -> bool:
    """Return whether a unit answering `model_id` can be the entry's (also once newer firmware names it)."""
    expected = _model_id(entry)
    return expected == model_id or (
        expected is not None and refines_model_id(expected, model_id)
    )


def _model_id(entry: ConfigEntry) -> str | None:
    """Return the driver identity an entry's unit answers with (before 1.2 it was the unique id)."""
    return entry.data.get(CONF_MODEL_ID) or entry.unique_id


def _sensors_unique_id(hass: HomeAssistant, mapping: dict[str, Any]) -> str:
    """Identify a sensors entry by its electricity entity (its registry id survives renames)."""
    entity_id = str(
        mapping.get(CONF_ELECTRICAL_POWER) or mapping.get(CONF_ELECTRICAL_ENERGY)
    )
    entry = er.async_get(hass).async_get(entity_id)
    return f"sensors_{entry.id if entry is not None else entity_id}"


def _threshold_schema() -> vol.Schema:
    """One number field per analytics threshold, with the engine's own bounds and units."""
    defaults = EngineConfig()
    fields: dict[Any, Any] = {
        vol.Required(
            "heat_includes_backup", default=defaults.heat_includes_backup
        ): BooleanSelector()
    }
    for name, bound in option_bounds().items():
        fields[vol.Required(name, default=getattr(defaults, name))] = _box(
            bound.minimum, bound.maximum, bound.step, bound.unit
        )
    return vol.Schema(fields)


def _temperature_selector() -> NumberSelector:
    return _box(PRESET_TEMPERATURE_MIN, PRESET_TEMPERATURE_MAX, 0.5, "°C")


# Options checked by the flow: field -> (minimum, maximum, translation key of the error).
_OPTION_BOUNDS: dict[str, tuple[float, float, str]] = {
    CONF_POLL_INTERVAL: (MIN_POLL_INTERVAL, MAX_POLL_INTERVAL, "poll_interval_range"),
    CONF_COMFORT_TEMPERATURE: (
        PRESET_TEMPERATURE_MIN,
        PRESET_TEMPERATURE_MAX,
        "preset_range",
    ),
    CONF_ECO_TEMPERATURE: (
        PRESET_TEMPERATURE_MIN,
        PRESET_TEMPERATURE_MAX,
        "preset_range",
    ),
    CONF_AWAY_TEMPERATURE: (
        PRESET_TEMPERATURE_MIN,
        PRESET_TEMPERATURE_MAX,
        "preset_range",
    ),
    CONF_MAX_AGE: (1, MAX_MAX_AGE, "max_age_range"),
}

OPTION_PLACEHOLDERS = {
    "poll_min": f"{MIN_POLL_INTERVAL:g}",
    "poll_max": f"{MAX_POLL_INTERVAL:g}",
    "preset_min": f"{PRESET_TEMPERATURE_MIN:g}",
    "preset_max": f"{PRESET_TEMPERATURE_MAX:g}",
    "max_age_min": "1",
    "max_age_max": f"{MAX_MAX_AGE:g}",
}
"""Every options form shows these, so each range error can name its range."""


def validate_options(
    user_input: dict[str, Any],
) -> tuple[dict[str, Any] | None, dict[str, str], dict[str, str]]:
    """Return the options to store, or field errors and their placeholders when a value does not fit."""
    errors: dict[str, str] = {}
    for name, (minimum, maximum, error) in _OPTION_BOUNDS.items():
        value = user_input.get(name)
        if value is not None and not minimum <= value <= maximum:
            errors[name] = error
    thresholds = dict(user_input.get(CONF_THRESHOLDS, {}))
    for name, bound in option_bounds().items():
        value = thresholds.get(name)
        if value is not None and not bound.minimum <= value <= bound.maximum:
            # A form-level error naming the field: the section may be collapsed.
            errors["base"] = "threshold_range"
            return (
                None,
                errors,
                {
                    "threshold": name,
                    "min": f"{bound.minimum:g}",
                    "max": f"{bound.maximum:g}",
                },
            )
    if errors:
        return None, errors, {}
    try:
        EngineConfig.from_options(thresholds)
    except ValueError:
        return None, {"base": "invalid_thresholds"}, {}
    return {**user_input, CONF_THRESHOLDS: thresholds}, {}, {}


async def _named_threshold(
    hass: HomeAssistant, step: str, placeholders: dict[str, str]
) -> dict[str, str]:
    """Replace the threshold's key in the placeholders by its label in Home Assistant's language."""
    if (name := placeholders.get("threshold")) is None:
        return placeholders
    translations = await async_get_translations(
        hass, hass.config.language, "options", [DOMAIN]
    )
    key = (
        f"component.{DOMAIN}.options.step.{step}.sections.{CONF_THRESHOLDS}.data.{name}"
    )
    return {**placeholders, "threshold": translations.get(key, name)}


class HeatpumpEfficiencyOptionsFlow(OptionsFlowWithReload):
    """Tune polling, presets, the room sensor and the efficiency thresholds."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and validate the options."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            data, errors, placeholders = validate_options(user_input)
            if data is not None:
                return self.async_create_entry(data=data)
            placeholders = await _named_threshold(self.hass, "init", placeholders)
        schema = vol.Schema(
            {
                vol.Required(CONF_POLL_INTERVAL, default=DEFAULT_POLL_INTERVAL): _box(
                    MIN_POLL_INTERVAL, MAX_POLL_INTERVAL, 1, "s"
                ),
                vol.Required(
                    CONF_COMFORT_TEMPERATURE, default=DEFAULT_COMFORT_TEMPERATURE
                ): _temperature_selector(),
                vol.Required(
                    CONF_ECO_TEMPERATURE, default=DEFAULT_ECO_TEMPERATURE
                ): _temperature_selector(),
                vol.Required(
                    CONF_AWAY_TEMPERATURE, default=DEFAULT_AWAY_TEMPERATURE
                ): _temperature_selector(),
                vol.Optional(CONF_ROOM_SENSOR): EntitySelector(
                    EntitySelectorConfig(domain="sensor", device_class="temperature")
                ),
                vol.Required(CONF_THRESHOLDS): section(
                    _threshold_schema(), {"collapsed": True}
                ),
            }
        )
        if self.config_entry.data.get(CONF_TRANSPORT) == TRANSPORT_MQTT:
            # Readings are pushed over MQTT: there is nothing to poll.
            schema = vol.Schema(
                {
                    key: value
                    for key, value in schema.schema.items()
                    if key != CONF_POLL_INTERVAL
                }
            )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or dict(self.config_entry.options)
            ),
            errors=errors,
            description_placeholders=OPTION_PLACEHOLDERS | placeholders,
        )


class SensorsOptionsFlow(OptionsFlowWithReload):
    """Tune how long entity values stay valid and the efficiency thresholds of a sensors entry."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Start with the sensors options form (its own step: the device path's form differs)."""
        return await self.async_step_sensors(user_input)

    async def async_step_sensors(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and validate the options."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            data, errors, placeholders = validate_options(user_input)
            if data is not None:
                return self.async_create_entry(data=data)
            placeholders = await _named_threshold(self.hass, "sensors", placeholders)
        schema = vol.Schema(
            {
                vol.Required(CONF_MAX_AGE, default=DEFAULT_MAX_AGE): _box(
                    1, MAX_MAX_AGE, 1, "min"
                ),
                vol.Required(
                    CONF_DEGREE_DAY_BASE, default=DEFAULT_DEGREE_DAY_BASE
                ): degree_day_base_selector(),
                vol.Required(CONF_THRESHOLDS): section(
                    _threshold_schema(), {"collapsed": True}
                ),
            }
        )
        return self.async_show_form(
            step_id="sensors",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or dict(self.config_entry.options)
            ),
            errors=errors,
            description_placeholders=OPTION_PLACEHOLDERS | placeholders,
        )

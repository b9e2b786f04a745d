"""Config flow for Heat Pump Efficiency: add, discover, reconfigure and tune a heat pump."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
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

from .analytics.config import EngineConfig, option_bounds
from .compat import vol
from .const import (
    CONF_AWAY_TEMPERATURE,
    CONF_COMFORT_TEMPERATURE,
    CONF_ECO_TEMPERATURE,
    CONF_KIND,
    CONF_MAX_AGE,
    CONF_POLL_INTERVAL,
    CONF_ROOM_SENSOR,
    CONF_THRESHOLDS,
    CONF_UNIT_TYPE,
    DEFAULT_AWAY_TEMPERATURE,
    DEFAULT_COMFORT_TEMPERATURE,
    DEFAULT_ECO_TEMPERATURE,
    DEFAULT_MAX_AGE,
    DEFAULT_POLL_INTERVAL,
    DEVICE_NAME,
    DOMAIN,
    KIND_SENSORS,
    LOGGER,
    MAX_MAX_AGE,
    MAX_POLL_INTERVAL,
    PRESET_TEMPERATURE_MAX,
    PRESET_TEMPERATURE_MIN,
    REQUEST_TIMEOUT,
)
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
from .units.model import UnitConnectionError, UnitError, UnitIdentity
from .units.registry import UNIT_TYPES, create_driver

HEISHAMON_DEFAULT_PORT = UNIT_TYPES["heishamon"].default_port


def _connection_schema(defaults: dict[str, Any]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(
                CONF_HOST, default=defaults.get(CONF_HOST, vol.UNDEFINED)
            ): TextSelector(),
            vol.Required(
                CONF_PORT, default=defaults.get(CONF_PORT, HEISHAMON_DEFAULT_PORT)
            ): vol.All(
                NumberSelector(
                    NumberSelectorConfig(min=1, max=65535, mode=NumberSelectorMode.BOX)
                ),
                vol.Coerce(int),
            ),
        }
    )


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


class HeatpumpEfficiencyConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a heat pump reached over its local API."""

    VERSION = 1

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
        except UnitConnectionError:
            return None, "cannot_connect"
        except UnitError as err:
            LOGGER.debug("%s:%s answered, but not as expected: %s", host, port, err)
            return None, "invalid_response"
        except Exception:  # noqa: BLE001 - the user gets 'unknown' and the log has the trace
            LOGGER.exception("Unexpected error while connecting to %s:%s", host, port)
            return None, "unknown"

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask whether to connect to the unit or to use sensors already in Home Assistant."""
        return self.async_show_menu(step_id="user", menu_options=["device", "sensors"])

    async def async_step_device(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask which unit to add and where it is on the network, and check it answers."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**user_input, CONF_HOST: user_input[CONF_HOST].strip()}
            identity, error = await self._async_identify(
                data[CONF_UNIT_TYPE], data[CONF_HOST], data[CONF_PORT]
            )
            if identity is not None:
                await self.async_set_unique_id(identity.unique_id)
                self._abort_if_unique_id_configured(
                    updates={CONF_HOST: data[CONF_HOST], CONF_PORT: data[CONF_PORT]}
                )
                return self.async_create_entry(title=_title(identity), data=data)
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
                _mapping_schema(STEP_DETAILS), user_input
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
                _mapping_schema(STEP_ENERGY), user_input or dict(entry.data)
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
                _mapping_schema(STEP_DETAILS), user_input or dict(entry.data)
            ),
            errors=errors,
        )

    async def async_step_zeroconf(
        self, discovery_info: ZeroconfServiceInfo
    ) -> ConfigFlowResult:
        """Handle a HeishaMon board announcing its web server over mDNS."""
        return await self._async_discovered(
            discovery_info.host, discovery_info.port or HEISHAMON_DEFAULT_PORT
        )

    async def async_step_dhcp(
        self, discovery_info: DhcpServiceInfo
    ) -> ConfigFlowResult:
        """Handle a HeishaMon board joining the network."""
        return await self._async_discovered(discovery_info.ip, HEISHAMON_DEFAULT_PORT)

    async def _async_discovered(self, host: str, port: int) -> ConfigFlowResult:
        identity, error = await self._async_identify("heishamon", host, port)
        if identity is None:
            return self.async_abort(reason=error or "unknown")
        await self.async_set_unique_id(identity.unique_id)
        # A known unit that moved to another address: follow it.
        self._abort_if_unique_id_configured(updates={CONF_HOST: host, CONF_PORT: port})
        self._identity = identity
        self._discovered = {
            CONF_UNIT_TYPE: "heishamon",
            CONF_HOST: host,
            CONF_PORT: port,
        }
        self.context["title_placeholders"] = {"name": _title(identity)}
        return await self.async_step_discovery_confirm()

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask the user to confirm a discovered unit."""
        if self._identity is None:  # pragma: no cover - only reached after discovery
            return self.async_abort(reason="unknown")
        if user_input is not None:
            return self.async_create_entry(
                title=_title(self._identity), data=self._discovered
            )
        self._set_confirm_only()
        return self.async_show_form(
            step_id="discovery_confirm",
            description_placeholders={
                "name": _title(self._identity),
                "host": self._discovered[CONF_HOST],
            },
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address of a configured unit; it must still be the same unit."""
        entry = self._get_reconfigure_entry()
        if entry.data.get(CONF_KIND) == KIND_SENSORS:
            return await self.async_step_reconfigure_sensors()
        errors: dict[str, str] = {}
        if user_input is not None:
            host = user_input[CONF_HOST].strip()
            identity, error = await self._async_identify(
                entry.data[CONF_UNIT_TYPE], host, user_input[CONF_PORT]
            )
            if identity is not None:
                await self.async_set_unique_id(identity.unique_id)
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates={CONF_HOST: host, CONF_PORT: user_input[CONF_PORT]},
                )
            errors["base"] = error or "unknown"
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _connection_schema({}), user_input or dict(entry.data)
            ),
            errors=errors,
        )


def _title(identity: UnitIdentity) -> str:
    return identity.model or identity.manufacturer


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
        config = NumberSelectorConfig(
            min=bound.minimum,
            max=bound.maximum,
            step=bound.step,
            mode=NumberSelectorMode.BOX,
        )
        if bound.unit is not None:
            config["unit_of_measurement"] = bound.unit
        fields[vol.Required(name, default=getattr(defaults, name))] = NumberSelector(
            config
        )
    return vol.Schema(fields)


def _temperature_selector() -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=PRESET_TEMPERATURE_MIN,
            max=PRESET_TEMPERATURE_MAX,
            step=0.5,
            unit_of_measurement="°C",
            mode=NumberSelectorMode.BOX,
        )
    )


def validate_options(
    user_input: dict[str, Any],
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Return the options to store, or the errors when the thresholds do not fit together."""
    thresholds = dict(user_input.get(CONF_THRESHOLDS, {}))
    try:
        EngineConfig.from_options(thresholds)
    except ValueError:
        return None, {"base": "invalid_thresholds"}
    return {**user_input, CONF_THRESHOLDS: thresholds}, {}


class HeatpumpEfficiencyOptionsFlow(OptionsFlow):
    """Tune polling, presets, the room sensor and the efficiency thresholds."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and validate the options."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = validate_options(user_input)
            if data is not None:
                return self.async_create_entry(data=data)
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_POLL_INTERVAL, default=DEFAULT_POLL_INTERVAL
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=10,
                        max=MAX_POLL_INTERVAL,
                        step=1,
                        unit_of_measurement="s",
                        mode=NumberSelectorMode.BOX,
                    )
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
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or dict(self.config_entry.options)
            ),
            errors=errors,
        )


class SensorsOptionsFlow(OptionsFlow):
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
        if user_input is not None:
            data, errors = validate_options(user_input)
            if data is not None:
                return self.async_create_entry(data=data)
        schema = vol.Schema(
            {
                vol.Required(CONF_MAX_AGE, default=DEFAULT_MAX_AGE): NumberSelector(
                    NumberSelectorConfig(
                        min=1,
                        max=MAX_MAX_AGE,
                        step=1,
                        unit_of_measurement="min",
                        mode=NumberSelectorMode.BOX,
                    )
                ),
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
        )

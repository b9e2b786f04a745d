"""The entities a "use existing sensors" entry maps: what each field accepts, its selector and its checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, cast

from homeassistant.const import ATTR_DEVICE_CLASS, ATTR_UNIT_OF_MEASUREMENT, PERCENTAGE
from homeassistant.core import HomeAssistant, split_entity_id
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import EntitySelector, EntitySelectorConfig
from homeassistant.util.unit_conversion import (
    BaseUnitConverter,
    EnergyConverter,
    PowerConverter,
    TemperatureConverter,
    VolumeFlowRateConverter,
)

CONF_ELECTRICAL_POWER: Final = "electrical_power"
CONF_ELECTRICAL_ENERGY: Final = "electrical_energy"
CONF_THERMAL_POWER: Final = "thermal_power"
CONF_THERMAL_ENERGY: Final = "thermal_energy"
CONF_FLOW_TEMPERATURE: Final = "flow_temperature"
CONF_RETURN_TEMPERATURE: Final = "return_temperature"
CONF_FLOW_RATE: Final = "flow_rate"
CONF_OUTDOOR_TEMPERATURE: Final = "outdoor_temperature"
CONF_OUTDOOR_HUMIDITY: Final = "outdoor_humidity"
CONF_WEATHER: Final = "weather"
CONF_DEFROST: Final = "defrost"
CONF_DEFROST_STATES: Final = "defrost_states"
CONF_COMPRESSOR_RUNNING: Final = "compressor_running"
CONF_COMPRESSOR_FREQUENCY: Final = "compressor_frequency"
CONF_BACKUP_POWER: Final = "backup_power"
CONF_BACKUP_HEATER: Final = "backup_heater"
CONF_CLIMATE: Final = "climate"
CONF_DHW_ACTIVE: Final = "dhw_active"  # on while the unit heats the hot water tank

STEP_ENERGY: Final = (
    "sensors"  # the first form: electricity and heat (what a COP needs)
)
STEP_DETAILS: Final = (
    "sensors_details"  # the second form: weather, defrost, compressor, backup, climate
)

HYDRAULICS: Final = (CONF_FLOW_TEMPERATURE, CONF_RETURN_TEMPERATURE, CONF_FLOW_RATE)

# Units without a converter in Home Assistant 2025.4: the factor to the unit the reading wants.
_FREQUENCY_SCALE: Final = {"mHz": 0.001, "Hz": 1.0, "kHz": 1e3, "MHz": 1e6, "GHz": 1e9}
_PERCENT_SCALE: Final = {PERCENTAGE: 1.0}


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitRule:
    """The unit a reading needs and how a source's unit is converted to it."""

    target: str
    converter: type[BaseUnitConverter] | None = None
    scale: Mapping[str, float] = field(default_factory=dict)

    @property
    def units(self) -> frozenset[str]:
        """Return every unit that can be converted."""
        if self.converter is not None:
            return frozenset(str(unit) for unit in self.converter.VALID_UNITS)
        return frozenset(self.scale)

    def convert(self, value: float, unit: str | None) -> float | None:
        """Return the value in the target unit, or None when the unit cannot be converted."""
        if unit is None or unit not in self.units:
            return None
        if self.converter is not None:
            return float(self.converter.convert(value, unit, self.target))
        return value * self.scale[unit]


POWER = UnitRule(target="W", converter=PowerConverter)
ENERGY = UnitRule(target="kWh", converter=EnergyConverter)
TEMPERATURE = UnitRule(target="°C", converter=TemperatureConverter)
FLOW = UnitRule(target="L/min", converter=VolumeFlowRateConverter)
HUMIDITY = UnitRule(target=PERCENTAGE, scale=_PERCENT_SCALE)
FREQUENCY = UnitRule(target="Hz", scale=_FREQUENCY_SCALE)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceField:
    """One entity the user may map: which domains and device class it takes, and its unit rule."""

    key: str
    step: str
    domains: tuple[str, ...] = ("sensor",)
    device_class: str | None = None  # required device class of a sensor
    unit: UnitRule | None = None
    of_unit: bool = True  # belongs to the heat pump itself (decides which device entities attach to)

    def selector(self) -> EntitySelector:
        """Return the entity selector: one filter mapping per domain (filters in a list are OR-ed)."""
        filters: list[dict[str, str]] = []
        for domain in self.domains:
            entity_filter = {"domain": domain}
            if domain == "sensor" and self.device_class is not None:
                entity_filter["device_class"] = self.device_class
            filters.append(entity_filter)
        # A cast: the filter's TypedDict is named differently in Home Assistant 2025.4 and 2026.
        config = {"filter": filters[0] if len(filters) == 1 else filters}
        return EntitySelector(cast("EntitySelectorConfig", config))


def _sensor(
    key: str, step: str, device_class: str, unit: UnitRule, *, of_unit: bool = True
) -> SourceField:
    return SourceField(
        key=key, step=step, device_class=device_class, unit=unit, of_unit=of_unit
    )


FIELDS: Final[tuple[SourceField, ...]] = (
    _sensor(CONF_ELECTRICAL_POWER, STEP_ENERGY, "power", POWER),
    _sensor(CONF_ELECTRICAL_ENERGY, STEP_ENERGY, "energy", ENERGY),
    _sensor(CONF_THERMAL_POWER, STEP_ENERGY, "power", POWER),
    _sensor(CONF_THERMAL_ENERGY, STEP_ENERGY, "energy", ENERGY),
    _sensor(CONF_FLOW_TEMPERATURE, STEP_ENERGY, "temperature", TEMPERATURE),
    _sensor(CONF_RETURN_TEMPERATURE, STEP_ENERGY, "temperature", TEMPERATURE),
    _sensor(CONF_FLOW_RATE, STEP_ENERGY, "volume_flow_rate", FLOW),
    _sensor(
        CONF_OUTDOOR_TEMPERATURE,
        STEP_DETAILS,
        "temperature",
        TEMPERATURE,
        of_unit=False,
    ),
    _sensor(CONF_OUTDOOR_HUMIDITY, STEP_DETAILS, "humidity", HUMIDITY, of_unit=False),
    SourceField(
        key=CONF_WEATHER, step=STEP_DETAILS, domains=("weather",), of_unit=False
    ),
    SourceField(
        key=CONF_DEFROST, step=STEP_DETAILS, domains=("binary_sensor", "sensor")
    ),
    SourceField(
        key=CONF_COMPRESSOR_RUNNING, step=STEP_DETAILS, domains=("binary_sensor",)
    ),
    _sensor(CONF_COMPRESSOR_FREQUENCY, STEP_DETAILS, "frequency", FREQUENCY),
    _sensor(CONF_BACKUP_POWER, STEP_DETAILS, "power", POWER),
    SourceField(key=CONF_BACKUP_HEATER, step=STEP_DETAILS, domains=("binary_sensor",)),
    SourceField(key=CONF_CLIMATE, step=STEP_DETAILS, domains=("climate",)),
    SourceField(key=CONF_DHW_ACTIVE, step=STEP_DETAILS, domains=("binary_sensor",)),
)
FIELDS_BY_KEY: Final = {source.key: source for source in FIELDS}


def heat_mapped(entities: Mapping[str, Any]) -> bool:
    """Return whether a mapping can give heat: thermal power or energy, or all three hydraulics."""
    return bool(
        entities.get(CONF_THERMAL_POWER)
        or entities.get(CONF_THERMAL_ENERGY)
        or all(entities.get(key) for key in HYDRAULICS)
    )


def mapped(data: Mapping[str, Any]) -> dict[str, str]:
    """Return the mapped entities of an entry's data: field key -> entity id."""
    return {
        source.key: str(data[source.key]) for source in FIELDS if data.get(source.key)
    }


def _attribute_or_registry(
    hass: HomeAssistant,
    entity_id: str,
    attribute: str,
    registry_value: Callable[[er.RegistryEntry], str | None],
) -> str | None:
    """Return a state attribute, falling back to the registry while the entity has no state."""
    if (state := hass.states.get(entity_id)) is not None:
        value = state.attributes.get(attribute)
        return None if value is None else str(value)
    if (entry := er.async_get(hass).async_get(entity_id)) is not None:
        return registry_value(entry)
    return None


def field_error(hass: HomeAssistant, source: SourceField, entity_id: str) -> str | None:
    """Return the translation key of what is wrong with mapping an entity to a field, or None."""
    if split_entity_id(entity_id)[0] not in source.domains:
        return "wrong_domain"
    if (
        hass.states.get(entity_id) is None
        and er.async_get(hass).async_get(entity_id) is None
    ):
        return "entity_not_found"
    if split_entity_id(entity_id)[0] != "sensor":
        return None
    if source.device_class is not None:
        device_class = _attribute_or_registry(
            hass,
            entity_id,
            ATTR_DEVICE_CLASS,
            lambda entry: entry.device_class or entry.original_device_class,
        )
        if device_class != source.device_class:
            return "wrong_device_class"
    if source.unit is not None:
        unit = _attribute_or_registry(
            hass,
            entity_id,
            ATTR_UNIT_OF_MEASUREMENT,
            lambda entry: entry.unit_of_measurement,
        )
        if unit not in source.unit.units:
            return "wrong_unit"
    return None


def validate(
    hass: HomeAssistant, step: str, user_input: Mapping[str, Any]
) -> dict[str, str]:
    """Check one form's mapping; return errors keyed by field (or "base"), empty when valid."""
    errors: dict[str, str] = {}
    for source in FIELDS:
        entity_id = user_input.get(source.key)
        if source.step != step or not entity_id:
            continue
        if (error := field_error(hass, source, str(entity_id))) is not None:
            errors[source.key] = error
    # Electricity is required; heat is optional: without it the entry gives electricity per
    # degree-day, never a COP.
    if step == STEP_ENERGY and not (
        user_input.get(CONF_ELECTRICAL_POWER) or user_input.get(CONF_ELECTRICAL_ENERGY)
    ):
        errors.setdefault("base", "electrical_required")
    if step == STEP_DETAILS:
        defrost = user_input.get(CONF_DEFROST)
        if (
            defrost
            and split_entity_id(str(defrost))[0] == "sensor"
            and not user_input.get(CONF_DEFROST_STATES)
        ):
            errors[CONF_DEFROST_STATES] = "defrost_states_required"
    return errors

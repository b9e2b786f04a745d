"""A read-only source that turns the state changes of entities the user already has into readings.

It offers the same interface as a unit driver, so the coordinator, the engine and every entity work
unchanged. Each mapped entity's latest state is kept (an older state arriving late is ignored); a
reading takes every value as it stands at the reading's time. Numbers not reported again within the
maximum age expire (on/off flags do not: many integrations only send them when they change), and
unavailable, unknown or expired values are None, never a stale figure.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
import math
from typing import Any

from homeassistant.const import (
    ATTR_TEMPERATURE,
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    EventStateReportedData,
    HomeAssistant,
    State,
    callback,
    split_entity_id,
)
from homeassistant.helpers.event import (
    async_track_state_change_event,
    async_track_state_report_event,
)
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import TemperatureConverter

from .sensor_mapping import (
    CONF_BACKUP_HEATER,
    CONF_BACKUP_POWER,
    CONF_CLIMATE,
    CONF_COMPRESSOR_FREQUENCY,
    CONF_COMPRESSOR_RUNNING,
    CONF_DEFROST,
    CONF_DHW_ACTIVE,
    CONF_ELECTRICAL_ENERGY,
    CONF_ELECTRICAL_POWER,
    CONF_FLOW_RATE,
    CONF_FLOW_TEMPERATURE,
    CONF_OUTDOOR_HUMIDITY,
    CONF_OUTDOOR_TEMPERATURE,
    CONF_RETURN_TEMPERATURE,
    CONF_THERMAL_ENERGY,
    CONF_THERMAL_POWER,
    CONF_WEATHER,
    FIELDS_BY_KEY,
    HYDRAULICS,
    heat_mapped,
)
from .units.model import (
    Capabilities,
    OperatingMode,
    Origin,
    Quantity,
    Reading,
    SetpointKind,
    UnitCommandError,
    UnitConnectionError,
    UnitIdentity,
)
from .units.thermal import compute_thermal_power

WEATHER_MAX_AGE = timedelta(hours=3)  # forecasts services update hourly at best
MIN_STEP = timedelta(milliseconds=1)  # readings are strictly in time order
ELECTRICAL = (CONF_ELECTRICAL_POWER, CONF_ELECTRICAL_ENERGY)
THERMAL = (
    CONF_THERMAL_POWER,
    CONF_THERMAL_ENERGY,
    CONF_FLOW_TEMPERATURE,
    CONF_RETURN_TEMPERATURE,
    CONF_FLOW_RATE,
)
HVAC_MODES = {
    "off": OperatingMode.OFF,
    "heat": OperatingMode.HEAT,
    "cool": OperatingMode.COOL,
    "heat_cool": OperatingMode.AUTO,
    "auto": OperatingMode.AUTO,
    # Air-to-air units: drying runs the coil cold (cooling); fan only moves air and heats nothing,
    # so for every figure it counts as switched off (kept out of heating and cooling alike).
    "dry": OperatingMode.COOL,
    "fan_only": OperatingMode.OFF,
}
# Nothing can be written through other integrations' entities: the source is read-only.
READ_ONLY = Capabilities(
    modes=frozenset(),
    setpoint_kind=SetpointKind.ROOM,
    setpoint_min=5.0,
    setpoint_max=30.0,
    writes_per_hour=0,
    reported_fields=frozenset(),
)
# The `Reading` fields each mapped entity feeds (as `EntitySource.build` fills them).
FIELD_FEEDS: dict[str, frozenset[str]] = {
    CONF_ELECTRICAL_POWER: frozenset({"elec_w"}),
    CONF_ELECTRICAL_ENERGY: frozenset({"elec_kwh"}),
    CONF_THERMAL_POWER: frozenset({"heat_w"}),
    CONF_THERMAL_ENERGY: frozenset({"heat_kwh"}),
    CONF_FLOW_TEMPERATURE: frozenset({"flow_c"}),
    CONF_RETURN_TEMPERATURE: frozenset({"return_c"}),
    CONF_FLOW_RATE: frozenset({"flow_lpm"}),
    CONF_OUTDOOR_TEMPERATURE: frozenset({"outdoor_c"}),
    CONF_OUTDOOR_HUMIDITY: frozenset({"outdoor_rh"}),
    CONF_WEATHER: frozenset({"outdoor_c", "outdoor_rh"}),
    CONF_DEFROST: frozenset({"defrost"}),
    CONF_COMPRESSOR_RUNNING: frozenset({"compressor_running"}),
    CONF_COMPRESSOR_FREQUENCY: frozenset({"compressor_hz"}),
    CONF_BACKUP_POWER: frozenset({"backup_w"}),
    CONF_BACKUP_HEATER: frozenset({"backup_heater"}),
    CONF_CLIMATE: frozenset({"room_c", "room_target_c", "target_c", "mode"}),
    CONF_DHW_ACTIVE: frozenset({"dhw_active"}),
}


def reported_fields(entities: Collection[str]) -> frozenset[str]:
    """Return the `Reading` fields a mapping can fill (field keys of the mapped entities)."""
    fields = frozenset().union(*(FIELD_FEEDS[key] for key in entities))
    if all(key in entities for key in HYDRAULICS):
        fields |= {"heat_w"}  # computed from flow rate x (flow - return)
    return fields


class SourceUnavailableError(UnitConnectionError):
    """The entities needed for electricity or heat are unavailable, unknown or expired."""

    def __init__(self, entity_ids: Collection[str]) -> None:
        """Remember which entities are missing."""
        super().__init__(", ".join(entity_ids))
        self.entity_ids = tuple(entity_ids)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceConfig:
    """What the source reads: field key -> entity id, defrost states, maximum age, own figures."""

    entities: Mapping[str, str]
    defrost_states: frozenset[str] = frozenset()  # case-folded
    max_age: timedelta = timedelta(minutes=15)
    reported: frozenset[str] = frozenset()  # fields that are the unit's own figures


def _number(text: str) -> float | None:
    """Return a finite number from a state, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class EntitySource:
    """Readings from entity states, with the read side of the unit driver protocol."""

    def __init__(
        self, hass: HomeAssistant, config: SourceConfig, identity: UnitIdentity
    ) -> None:
        """Create the source; `load` or `async_identify` reads the current states."""
        self.hass = hass
        self.config = config
        self.identity = identity
        self._capabilities = replace(
            READ_ONLY, reported_fields=reported_fields(config.entities)
        )
        self._states: dict[str, State | None] = {}
        self._reported_at: dict[str, datetime] = {}
        self._changed_at: datetime | None = None  # newest change not yet in a reading
        self._last_time: datetime | None = None

    @property
    def capabilities(self) -> Capabilities:
        """Return what the source can do: read only, and fill what the mapping feeds."""
        return self._capabilities

    @property
    def host(self) -> str:
        """Return no address: the readings come from entities, not over the network."""
        return ""

    @property
    def configuration_url(self) -> str | None:
        """Return no web page: the unit belongs to another integration."""
        return None

    @property
    def pending(self) -> bool:
        """Return whether a change arrived since the last reading."""
        return self._changed_at is not None

    @property
    def last_time(self) -> datetime | None:
        """Return the time of the last reading taken."""
        return self._last_time

    @property
    def entity_ids(self) -> list[str]:
        """Return every mapped entity id."""
        return list(dict.fromkeys(self.config.entities.values()))

    async def async_identify(self) -> UnitIdentity:
        """Read the entities' current states and return the identity given at creation."""
        self.load()
        return self.identity

    async def async_fetch(self) -> Reading:
        """Return a reading of the entities' values now."""
        return self.build(dt_util.utcnow())

    async def async_set_target(self, value: float) -> None:
        """Refuse: the source cannot write to other integrations' entities."""
        raise UnitCommandError("existing sensors are read only")

    async def async_set_mode(self, mode: OperatingMode) -> None:
        """Refuse: the source cannot write to other integrations' entities."""
        raise UnitCommandError("existing sensors are read only")

    @callback
    def load(self) -> None:
        """Take the entities' current states (at setup and after a restart)."""
        for entity_id in self.entity_ids:
            self._states[entity_id] = self.hass.states.get(entity_id)

    @callback
    def async_start(self, on_change: Callable[[], None]) -> CALLBACK_TYPE:
        """Follow the entities; `on_change` is called after each accepted change."""

        @callback
        def changed(event: Event[EventStateChangedData]) -> None:
            if self.accept(event.data["entity_id"], event.data["new_state"]):
                on_change()

        @callback
        def reported(event: Event[EventStateReportedData]) -> None:
            if (new := event.data["new_state"]) is not None:
                self._reported_at[event.data["entity_id"]] = new.last_reported

        unsubs = [
            async_track_state_change_event(self.hass, self.entity_ids, changed),
            async_track_state_report_event(self.hass, self.entity_ids, reported),
        ]

        @callback
        def stop() -> None:
            for unsub in unsubs:
                unsub()

        return stop

    @callback
    def accept(self, entity_id: str, new: State | None) -> bool:
        """Keep a new state unless an already newer one is known (events can arrive late)."""
        if entity_id not in self._states:
            return False
        old = self._states[entity_id]
        if new is old:
            return False
        if (
            new is not None
            and old is not None
            and new.last_updated < old.last_updated
            # The state machine's current state is taken even so: the clock was set back.
            and new is not self.hass.states.get(entity_id)
        ):
            return False
        self._states[entity_id] = new
        self._reported_at.pop(entity_id, None)
        changed = new.last_updated if new is not None else None
        if changed is not None and (
            self._changed_at is None or changed > self._changed_at
        ):
            self._changed_at = changed
        return True

    # --- values -------------------------------------------------------------------------------

    def _state(
        self, key: str, time: datetime, max_age: timedelta | None
    ) -> State | None:
        """Return a field's state if it is available (and, with a maximum age, fresh) at `time`."""
        entity_id = self.config.entities.get(key)
        if entity_id is None:
            return None
        state = self._states.get(entity_id)
        if state is None or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            return None
        if max_age is not None:
            fresh = max(
                state.last_updated,
                state.last_reported,
                self._reported_at.get(entity_id, state.last_reported),
            )
            if time - fresh > max_age:
                return None
        return state

    def _value(self, key: str, time: datetime) -> float | None:
        """Return a numeric field in the unit the reading wants."""
        state = self._state(key, time, self.config.max_age)
        rule = FIELDS_BY_KEY[key].unit
        if state is None or rule is None or (value := _number(state.state)) is None:
            return None
        return rule.convert(value, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT))

    def _quantity(self, key: str, time: datetime) -> Quantity | None:
        """Return a power or energy with its origin (the unit's own figure or a meter's)."""
        value = self._value(key, time)
        if value is None:
            return None
        origin = Origin.REPORTED if key in self.config.reported else Origin.METERED
        return Quantity(value=value, origin=origin)

    def _flag(self, key: str, time: datetime) -> bool | None:
        """Return an on/off field; a sensor's state counts as on when it is one of the defrost states."""
        state = self._state(key, time, None)
        if state is None:
            return None
        if split_entity_id(state.entity_id)[0] == "sensor":
            return state.state.casefold() in self.config.defrost_states
        return state.state == STATE_ON

    def _temperature(self, value: Any, unit: Any) -> float | None:
        """Return an attribute temperature in °C, or None."""
        number = _number(str(value)) if value is not None else None
        if number is None:
            return None
        unit = str(unit) if unit else self.hass.config.units.temperature_unit
        if unit not in TemperatureConverter.VALID_UNITS:
            return None
        return float(TemperatureConverter.convert(number, unit, "°C"))

    def _outdoor(self, time: datetime) -> tuple[float | None, float | None]:
        """Return outdoor temperature and humidity, from the weather entity where sensors give none."""
        outdoor_c = self._value(CONF_OUTDOOR_TEMPERATURE, time)
        outdoor_rh = self._value(CONF_OUTDOOR_HUMIDITY, time)
        weather = self._state(CONF_WEATHER, time, WEATHER_MAX_AGE)
        if weather is not None:
            if outdoor_c is None:
                outdoor_c = self._temperature(
                    weather.attributes.get(ATTR_TEMPERATURE),
                    weather.attributes.get("temperature_unit"),
                )
            if (
                outdoor_rh is None
                and (humidity := weather.attributes.get("humidity")) is not None
            ):
                outdoor_rh = _number(str(humidity))
        return outdoor_c, outdoor_rh

    def unit_problems(self) -> dict[str, str | None]:
        """Return fields whose available entity now has a unit that cannot be converted: key -> unit."""
        problems: dict[str, str | None] = {}
        for key, entity_id in self.config.entities.items():
            rule = FIELDS_BY_KEY[key].unit
            state = self._states.get(entity_id)
            if (
                rule is None
                or state is None
                or split_entity_id(entity_id)[0] != "sensor"
                or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN)
            ):
                continue
            unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
            if unit not in rule.units:
                problems[key] = None if unit is None else str(unit)
        return problems

    # --- readings ------------------------------------------------------------------------------

    def _next_time(self, now: datetime) -> datetime:
        """Return the next reading's time: the newest change (never later than now), else now.

        Readings follow the host clock even when it went back: pinning them after a reading stamped by a
        clock that ran ahead would date every later reading in that false future, where every value
        looks expired. The engine decides what a reading older than the last one means. Only a reading
        at the very instant of the last one moves on by a millisecond, to keep readings in order.
        """
        time = min(self._changed_at or now, now)
        self._changed_at = None
        last = self._last_time
        if last is not None and time <= last:
            time = last + MIN_STEP if now == last else now
        return time

    def missing(self, time: datetime) -> list[str]:
        """Return the mapped entities behind a missing electricity or heat figure (empty when complete)."""
        elec = self._value(CONF_ELECTRICAL_POWER, time) is not None or (
            self._value(CONF_ELECTRICAL_ENERGY, time) is not None
        )
        # Heat is only awaited when the mapping can give it (units without heat measurement).
        heat = (
            not heat_mapped(self.config.entities)
            or self._heat_w(time) is not None
            or self._value(CONF_THERMAL_ENERGY, time) is not None
        )
        groups = ([] if elec else [ELECTRICAL]) + ([] if heat else [THERMAL])
        return [
            entity_id
            for group in groups
            for key in group
            if (entity_id := self.config.entities.get(key)) is not None
            and self._value(key, time) is None
        ]

    def _heat_w(self, time: datetime) -> Quantity | None:
        """Return the thermal power: the mapped sensor's, else flow rate x (flow - return)."""
        if (heat := self._quantity(CONF_THERMAL_POWER, time)) is not None:
            return heat
        flow_c = self._value(CONF_FLOW_TEMPERATURE, time)
        return_c = self._value(CONF_RETURN_TEMPERATURE, time)
        flow_lpm = self._value(CONF_FLOW_RATE, time)
        if flow_c is None or return_c is None or flow_lpm is None:
            return None
        return compute_thermal_power(flow_lpm, flow_c, return_c)

    @callback
    def sync(self) -> None:
        """Take states already in the state machine whose change events are still on their way."""
        for entity_id in self.entity_ids:
            self.accept(entity_id, self.hass.states.get(entity_id))

    def build(self, now: datetime) -> Reading:
        """Return the reading of every value as it stands; raise SourceUnavailableError when incomplete."""
        self.sync()
        time = self._next_time(now)
        if missing := self.missing(time):
            raise SourceUnavailableError(missing)
        self._last_time = time
        outdoor_c, outdoor_rh = self._outdoor(time)
        room_c = room_target_c = None
        mode = None
        if (
            climate := self._state(CONF_CLIMATE, time, self.config.max_age)
        ) is not None:
            room_c = self._temperature(
                climate.attributes.get("current_temperature"), None
            )
            room_target_c = self._temperature(
                climate.attributes.get(ATTR_TEMPERATURE), None
            )
            mode = HVAC_MODES.get(climate.state)
        return Reading(
            time=time,
            room_c=room_c,
            outdoor_c=outdoor_c,
            outdoor_rh=outdoor_rh,
            flow_c=self._value(CONF_FLOW_TEMPERATURE, time),
            return_c=self._value(CONF_RETURN_TEMPERATURE, time),
            flow_lpm=self._value(CONF_FLOW_RATE, time),
            elec_w=self._quantity(CONF_ELECTRICAL_POWER, time),
            heat_w=self._heat_w(time),
            elec_kwh=self._quantity(CONF_ELECTRICAL_ENERGY, time),
            heat_kwh=self._quantity(CONF_THERMAL_ENERGY, time),
            backup_w=self._quantity(CONF_BACKUP_POWER, time),
            compressor_running=self._flag(CONF_COMPRESSOR_RUNNING, time),
            compressor_hz=self._value(CONF_COMPRESSOR_FREQUENCY, time),
            defrost=self._flag(CONF_DEFROST, time),
            backup_heater=self._flag(CONF_BACKUP_HEATER, time),
            dhw_active=self._flag(CONF_DHW_ACTIVE, time),
            mode=mode,
            target_c=room_target_c,
            room_target_c=room_target_c,
        )

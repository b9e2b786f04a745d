"""The climate entity: control of the unit, with writes debounced and kept within a budget.

Which temperature the thermostat holds depends on the unit:
- the unit controls on room temperature (SetpointKind.ROOM): the target is the unit's room setpoint;
- the unit runs on its heating curve or a fixed flow temperature and the user picked a room
  temperature sensor in the options: the target is a room temperature held here by moving the unit's
  setpoint one step at a time, at most once per 15 minutes ("room hold");
- otherwise: the target is the unit's own setpoint (curve shift or flow temperature), as the unit shows it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
import math
from typing import Any

from homeassistant.components.climate import ClimateEntity, ClimateEntityDescription
from homeassistant.components.climate.const import (
    PRESET_AWAY,
    PRESET_COMFORT,
    PRESET_ECO,
    PRESET_NONE,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import (
    ATTR_TEMPERATURE,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfTemperature,
)
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.helpers.restore_state import RestoreEntity
from homeassistant.util import dt as dt_util

from .const import (
    CONF_AWAY_TEMPERATURE,
    CONF_COMFORT_TEMPERATURE,
    CONF_ECO_TEMPERATURE,
    CONF_KIND,
    CONF_ROOM_SENSOR,
    DEFAULT_AWAY_TEMPERATURE,
    DEFAULT_COMFORT_TEMPERATURE,
    DEFAULT_ECO_TEMPERATURE,
    DOMAIN,
    KIND_SENSORS,
    LOGGER,
    OPTIMISTIC_HOLD,
    ROOM_HOLD_DEADBAND,
    ROOM_HOLD_INTERVAL,
    WRITE_DEBOUNCE,
)
from .coordinator import HeatpumpCoordinator
from .data import HeatpumpEfficiencyConfigEntry
from .entity import HeatpumpEntity
from .units.model import OperatingMode, SetpointKind, UnitError
from .write_budget import WriteBudget

PARALLEL_UPDATES = 1  # one write at a time to the unit

KEY_TARGET = "target"
KEY_MODE = "mode"
ROOM_TARGET_MIN = 5.0
ROOM_TARGET_MAX = 30.0

TO_HVAC = {
    OperatingMode.OFF: HVACMode.OFF,
    OperatingMode.HEAT: HVACMode.HEAT,
    OperatingMode.COOL: HVACMode.COOL,
    OperatingMode.AUTO: HVACMode.AUTO,
}
FROM_HVAC = {hvac: mode for mode, hvac in TO_HVAC.items()}

THERMOSTAT = ClimateEntityDescription(
    key="thermostat", translation_key="thermostat", name=None
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the thermostat of one heat pump (none for existing sensors: the user's climate is used)."""
    if entry.data.get(CONF_KIND) == KIND_SENSORS:
        return
    async_add_entities([HeatpumpClimate(entry.runtime_data.coordinator, THERMOSTAT)])


class DebouncedWrite:
    """Turns a burst of requests for one parameter into a single write after a quiet period.

    The budget is checked when a burst starts, so an over-budget request fails at once with a clear
    error instead of being dropped silently; requests that change nothing are skipped.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        key: str,
        budget: WriteBudget,
        write: Callable[[Any], Awaitable[None]],
        current: Callable[[], Any],
    ) -> None:
        """Prepare the writer for one parameter."""
        self._hass = hass
        self._key = key
        self._budget = budget
        self._write = write
        self._current = current
        self._value: Any = None
        self._cancel: CALLBACK_TYPE | None = None
        self._job = HassJob(
            self._async_fire, f"{DOMAIN} write {key}", cancel_on_shutdown=True
        )

    @property
    def pending(self) -> bool:
        """Return whether a write is waiting for its quiet period to end."""
        return self._cancel is not None

    def request(self, value: Any) -> bool:
        """Ask for `value` to be written; return False when there is nothing to write."""
        if self._cancel is None:
            if value == self._current():
                return False
            now = dt_util.utcnow().timestamp()
            if not self._budget.allows(self._key, now):
                wait = self._budget.seconds_until_allowed(self._key, now)
                minutes = max(1, math.ceil(wait / 60))
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="write_budget_exceeded",
                    translation_placeholders={
                        "per_hour": str(self._budget.per_hour),
                        "minutes": str(minutes),
                    },
                )
        else:
            self._cancel()
        self._value = value
        self._cancel = async_call_later(self._hass, WRITE_DEBOUNCE, self._job)
        return True

    def cancel(self) -> None:
        """Drop a pending write (entity removed)."""
        if self._cancel is not None:
            self._cancel()
            self._cancel = None

    async def _async_fire(self, _now: datetime) -> None:
        self._cancel = None
        if self._value == self._current():
            return  # the burst ended where it started
        self._budget.record(self._key, dt_util.utcnow().timestamp())
        await self._write(self._value)


class HeatpumpClimate(HeatpumpEntity, ClimateEntity, RestoreEntity):
    """The heat pump's thermostat."""

    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _enable_turn_on_off_backwards_compatibility = False

    def __init__(
        self, coordinator: HeatpumpCoordinator, description: ClimateEntityDescription
    ) -> None:
        """Create the thermostat."""
        super().__init__(coordinator, description)
        options = coordinator.config_entry.options
        self._room_sensor: str | None = options.get(CONF_ROOM_SENSOR) or None
        self._presets = {
            PRESET_COMFORT: float(
                options.get(CONF_COMFORT_TEMPERATURE, DEFAULT_COMFORT_TEMPERATURE)
            ),
            PRESET_ECO: float(
                options.get(CONF_ECO_TEMPERATURE, DEFAULT_ECO_TEMPERATURE)
            ),
            PRESET_AWAY: float(
                options.get(CONF_AWAY_TEMPERATURE, DEFAULT_AWAY_TEMPERATURE)
            ),
        }
        self._budget = WriteBudget(coordinator.driver.capabilities.writes_per_hour)
        self._target_writer = DebouncedWrite(
            coordinator.hass,
            KEY_TARGET,
            self._budget,
            self._async_write_setpoint,
            self._unit_setpoint,
        )
        self._mode_writer = DebouncedWrite(
            coordinator.hass,
            KEY_MODE,
            self._budget,
            self._async_write_mode,
            self._unit_mode,
        )
        self._room_target: float | None = None  # room hold only
        self._optimistic: dict[str, tuple[Any, datetime]] = {}
        self._last_on_mode = HVACMode.HEAT

    # --- what the unit says -------------------------------------------------------------------

    @property
    def _room_hold(self) -> bool:
        """Return whether the target is a room temperature held here through the unit's setpoint."""
        return (
            self._room_sensor is not None
            and self.coordinator.data.capabilities.setpoint_kind
            is not SetpointKind.ROOM
        )

    def _unit_setpoint(self) -> float | None:
        return self.coordinator.data.reading.target_c

    def _unit_mode(self) -> HVACMode | None:
        mode = self.coordinator.data.reading.mode
        return None if mode is None else TO_HVAC[mode]

    def _optimistic_value(self, key: str, actual: Any) -> Any:
        """Return a just-written value until the unit reports it or the hold expires."""
        if key not in self._optimistic:
            return actual
        value, since = self._optimistic[key]
        writer = self._target_writer if key == KEY_TARGET else self._mode_writer
        if not writer.pending and (
            actual == value or dt_util.utcnow() - since > OPTIMISTIC_HOLD
        ):
            del self._optimistic[key]
            return actual
        return value

    # --- state --------------------------------------------------------------------------------

    @property
    def supported_features(self) -> ClimateEntityFeature:
        """Return the features; presets only where the target is a room temperature."""
        features = (
            ClimateEntityFeature.TARGET_TEMPERATURE
            | ClimateEntityFeature.TURN_ON
            | ClimateEntityFeature.TURN_OFF
        )
        if self._room_target_semantics:
            features |= ClimateEntityFeature.PRESET_MODE
        return features

    @property
    def _room_target_semantics(self) -> bool:
        return (
            self._room_hold
            or self.coordinator.data.capabilities.setpoint_kind is SetpointKind.ROOM
        )

    @property
    def hvac_modes(self) -> list[HVACMode]:
        """Return the modes the unit supports, off first."""
        modes = self.coordinator.data.capabilities.modes
        return [TO_HVAC[mode] for mode in OperatingMode if mode in modes]

    @property
    def hvac_mode(self) -> HVACMode | None:
        """Return the unit's mode (or the one just asked for)."""
        return self._optimistic_value(KEY_MODE, self._unit_mode())  # type: ignore[no-any-return]

    @property
    def hvac_action(self) -> HVACAction | None:
        """Return what the unit is doing now; defrost is reported as such."""
        reading = self.coordinator.data.reading
        if reading.mode is OperatingMode.OFF:
            return HVACAction.OFF
        if self.coordinator.data.results.defrost.active:
            return HVACAction.DEFROSTING
        if reading.compressor_running or reading.backup_heater:
            return (
                HVACAction.COOLING
                if reading.mode is OperatingMode.COOL
                else HVACAction.HEATING
            )
        if reading.compressor_running is None and reading.backup_heater is None:
            return None
        return HVACAction.IDLE

    @property
    def current_temperature(self) -> float | None:
        """Return the room temperature (from the chosen sensor in room hold)."""
        if self._room_sensor is not None:
            return self._sensor_temperature()
        return self.coordinator.data.reading.room_c

    @property
    def target_temperature(self) -> float | None:
        """Return the target (room target in room hold, else the unit's setpoint)."""
        if self._room_hold:
            return self._room_target
        return self._optimistic_value(KEY_TARGET, self._unit_setpoint())  # type: ignore[no-any-return]

    @property
    def min_temp(self) -> float:
        """Return the lowest target."""
        if self._room_hold:
            return ROOM_TARGET_MIN
        return self.coordinator.data.capabilities.setpoint_min

    @property
    def max_temp(self) -> float:
        """Return the highest target."""
        if self._room_hold:
            return ROOM_TARGET_MAX
        return self.coordinator.data.capabilities.setpoint_max

    @property
    def target_temperature_step(self) -> float:
        """Return the step the unit accepts (0.5 K for a room target held here)."""
        if self._room_hold:
            return 0.5
        return self.coordinator.data.capabilities.setpoint_step

    @property
    def preset_modes(self) -> list[str] | None:
        """Return the presets (only where the target is a room temperature)."""
        if not self._room_target_semantics:
            return None
        return [PRESET_NONE, *self._presets]

    @property
    def preset_mode(self) -> str | None:
        """Return the preset whose temperature is the current target."""
        if not self._room_target_semantics:
            return None
        target = self.target_temperature
        for preset, temperature in self._presets.items():
            if target is not None and abs(target - temperature) < 0.05:
                return preset
        return PRESET_NONE

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Say what the target means and, in room hold, the unit's own setpoint."""
        attributes: dict[str, Any] = {
            "setpoint_kind": self.coordinator.data.capabilities.setpoint_kind.value,
            "room_hold": self._room_hold,
        }
        if self._room_hold:
            attributes["unit_setpoint"] = self._unit_setpoint()
        return attributes

    def _sensor_temperature(self) -> float | None:
        if (
            self._room_sensor is None
            or (state := self.hass.states.get(self._room_sensor)) is None
        ):
            return None
        if state.state in (STATE_UNKNOWN, STATE_UNAVAILABLE):
            return None
        try:
            return float(state.state)
        except ValueError:
            return None

    # --- lifecycle ----------------------------------------------------------------------------

    async def async_added_to_hass(self) -> None:
        """Restore the room target and start the room-hold loop."""
        await super().async_added_to_hass()
        self.async_on_remove(self._target_writer.cancel)
        self.async_on_remove(self._mode_writer.cancel)
        if (last := await self.async_get_last_state()) is not None:
            # Only a room target held here is restored, never the unit's own setpoint.
            if last.attributes.get("room_hold") and isinstance(
                temperature := last.attributes.get(ATTR_TEMPERATURE), (int, float)
            ):
                self._room_target = float(temperature)
            if last.state in (HVACMode.HEAT, HVACMode.COOL, HVACMode.AUTO):
                self._last_on_mode = HVACMode(last.state)
        if self._room_target is None:
            self._room_target = self._presets[PRESET_COMFORT]
        if self._room_hold:
            self.coordinator.room_target = self._room_target
        if self._room_sensor is not None:
            self.async_on_remove(
                async_track_time_interval(
                    self.hass,
                    self._async_room_hold_step,
                    ROOM_HOLD_INTERVAL,
                    name=f"{DOMAIN} room hold",
                    cancel_on_shutdown=True,
                )
            )

    @callback
    def _handle_coordinator_update(self) -> None:
        mode = self._unit_mode()
        if mode not in (None, HVACMode.OFF):
            self._last_on_mode = mode
        super()._handle_coordinator_update()

    # --- commands -----------------------------------------------------------------------------

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Set a new target (debounced; within the unit's write budget)."""
        if (temperature := kwargs.get(ATTR_TEMPERATURE)) is None:
            return
        self._set_target(float(temperature))

    def _set_target(self, temperature: float) -> None:
        if not self.min_temp <= temperature <= self.max_temp:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="temperature_out_of_range",
                translation_placeholders={
                    "temperature": f"{temperature:g}",
                    "min": f"{self.min_temp:g}",
                    "max": f"{self.max_temp:g}",
                },
            )
        if self._room_hold:
            self._room_target = temperature
            self.coordinator.room_target = temperature
            self.async_write_ha_state()
            return
        step = self.target_temperature_step
        value = round(temperature / step) * step
        if self._target_writer.request(value):
            self._optimistic[KEY_TARGET] = (value, dt_util.utcnow())
        self.async_write_ha_state()

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Set the target to a preset's temperature."""
        if preset_mode == PRESET_NONE:
            return
        if preset_mode not in self._presets or not self._room_target_semantics:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unsupported_preset",
                translation_placeholders={"preset": preset_mode},
            )
        self._set_target(self._presets[preset_mode])

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Switch the unit's mode (debounced; within the write budget)."""
        if hvac_mode not in self.hvac_modes:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unsupported_hvac_mode",
                translation_placeholders={"mode": str(hvac_mode)},
            )
        if self._mode_writer.request(hvac_mode):
            self._optimistic[KEY_MODE] = (hvac_mode, dt_util.utcnow())
        self.async_write_ha_state()

    async def async_turn_on(self) -> None:
        """Turn the unit on in its last mode."""
        await self.async_set_hvac_mode(self._last_on_mode)

    async def async_turn_off(self) -> None:
        """Turn the unit off."""
        await self.async_set_hvac_mode(HVACMode.OFF)

    async def _async_write_setpoint(self, value: float) -> None:
        try:
            await self.coordinator.driver.async_set_target(value)
        except UnitError as err:
            LOGGER.error(
                "Could not set %s's setpoint to %s: %s",
                self.coordinator.config_entry.title,
                value,
                err,
            )
            self._optimistic.pop(KEY_TARGET, None)
        await self.coordinator.async_request_refresh()

    async def _async_write_mode(self, mode: HVACMode) -> None:
        try:
            await self.coordinator.driver.async_set_mode(FROM_HVAC[mode])
        except UnitError as err:
            LOGGER.error(
                "Could not switch %s to %s: %s",
                self.coordinator.config_entry.title,
                mode,
                err,
            )
            self._optimistic.pop(KEY_MODE, None)
        await self.coordinator.async_request_refresh()

    async def _async_room_hold_step(self, _now: datetime) -> None:
        """Move the unit's setpoint one step toward holding the room target."""
        if not self._room_hold or self._room_target is None or not self.available:
            return
        room = self._sensor_temperature()
        setpoint = self._unit_setpoint()
        if (
            room is None
            or setpoint is None
            or self.coordinator.data.reading.mode is OperatingMode.OFF
        ):
            return
        capabilities = self.coordinator.data.capabilities
        error = self._room_target - room
        if error >= ROOM_HOLD_DEADBAND:
            new = min(setpoint + capabilities.setpoint_step, capabilities.setpoint_max)
        elif error <= -ROOM_HOLD_DEADBAND:
            new = max(setpoint - capabilities.setpoint_step, capabilities.setpoint_min)
        else:
            return
        now = dt_util.utcnow().timestamp()
        if new == setpoint or not self._budget.allows(KEY_TARGET, now):
            return
        self._budget.record(KEY_TARGET, now)
        LOGGER.debug(
            "Room hold: room %.1f °C, target %.1f °C: setpoint %s -> %s",
            room,
            self._room_target,
            setpoint,
            new,
        )
        await self._async_write_setpoint(new)

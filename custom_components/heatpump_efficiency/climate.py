"""The thermostat: the unit's modes and, where there is one to hold, a room temperature target.

The target is always a room temperature:
- the unit controls on room temperature (SetpointKind.ROOM): the target is the unit's room setpoint;
- the unit runs on its heating curve or a fixed flow temperature and the user picked a room
  temperature sensor in the options: the target is a room temperature held here by moving the unit's
  setpoint one step at a time, at most once per 15 minutes ("room hold");
- otherwise the thermostat offers modes only, and a repair issue suggests choosing a room sensor. The
  curve shift and the flow temperature are `number` entities of their own.
Every write goes through the unit's `SettingWriter`s (control.py): debounced, within the persisted budget.
"""

from __future__ import annotations

from datetime import datetime
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
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.restore_state import RestoreEntity

from .const import (
    CONF_AWAY_TEMPERATURE,
    CONF_COMFORT_TEMPERATURE,
    CONF_ECO_TEMPERATURE,
    CONF_ROOM_SENSOR,
    DEFAULT_AWAY_TEMPERATURE,
    DEFAULT_COMFORT_TEMPERATURE,
    DEFAULT_ECO_TEMPERATURE,
    DOMAIN,
    LOGGER,
    ROOM_HOLD_DEADBAND,
    ROOM_HOLD_INTERVAL,
)
from .control import ISSUE_ROOM_SENSOR, UnitControl, room_sensor_issue_id
from .coordinator import HeatpumpCoordinator
from .data import HeatpumpEfficiencyConfigEntry
from .entity import HeatpumpEntity
from .room_sensor_repair import FLOW_ROOM_SENSOR
from .units.model import OperatingMode, SetpointKind

PARALLEL_UPDATES = 1  # one write at a time to the unit

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
    control = entry.runtime_data.control
    if control is None:
        return
    coordinator = entry.runtime_data.coordinator
    has_room_target = (
        bool(entry.options.get(CONF_ROOM_SENSOR))
        or coordinator.data.capabilities.setpoint_kind is SetpointKind.ROOM
    )
    issue_id = room_sensor_issue_id(entry.entry_id)
    if has_room_target:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
    else:
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_ROOM_SENSOR,
            translation_placeholders={"name": entry.title},
            data={"entry_id": entry.entry_id, "flow": FLOW_ROOM_SENSOR},
        )
    async_add_entities([HeatpumpClimate(coordinator, control, THERMOSTAT)])


class HeatpumpClimate(HeatpumpEntity, ClimateEntity, RestoreEntity):
    """The heat pump's thermostat."""

    if hasattr(ClimateEntity, "native_temperature_unit"):
        _attr_native_temperature_unit = UnitOfTemperature.CELSIUS
    else:  # Home Assistant before 2026.11 knows only the older name
        _attr_temperature_unit = UnitOfTemperature.CELSIUS

    def __init__(
        self,
        coordinator: HeatpumpCoordinator,
        control: UnitControl,
        description: ClimateEntityDescription,
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
        self._control = control
        self._room_target: float | None = None  # room hold only
        self._last_on_mode = HVACMode.HEAT

    # --- what the target means ----------------------------------------------------------------

    @property
    def _unit_controls_room(self) -> bool:
        """Return whether the unit's own setpoint is a room temperature."""
        return self.coordinator.data.capabilities.setpoint_kind is SetpointKind.ROOM

    @property
    def _room_hold(self) -> bool:
        """Return whether the target is a room temperature held here through the unit's setpoint."""
        return self._room_sensor is not None and not self._unit_controls_room

    @property
    def _has_target(self) -> bool:
        return self._room_hold or self._unit_controls_room

    # --- state --------------------------------------------------------------------------------

    @property
    def supported_features(self) -> ClimateEntityFeature:
        """Return the features: a target and presets only where the target is a room temperature."""
        features = ClimateEntityFeature.TURN_ON | ClimateEntityFeature.TURN_OFF
        if self._has_target:
            features |= (
                ClimateEntityFeature.TARGET_TEMPERATURE
                | ClimateEntityFeature.PRESET_MODE
            )
        return features

    @property
    def hvac_modes(self) -> list[HVACMode]:
        """Return the modes the unit supports, off first."""
        modes = self.coordinator.data.capabilities.modes
        return [TO_HVAC[mode] for mode in OperatingMode if mode in modes]

    @property
    def hvac_mode(self) -> HVACMode | None:
        """Return the unit's mode, or the one it was just told."""
        mode = self._control.mode.value
        return None if mode is None else TO_HVAC[mode]

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
        """Return the room temperature (from the chosen sensor when there is one)."""
        if self._room_sensor is not None:
            return self._sensor_temperature()
        return self.coordinator.data.reading.room_c

    @property
    def target_temperature(self) -> float | None:
        """Return the room target: held here, or the unit's room setpoint (or the one it was told)."""
        if self._room_hold:
            return self._room_target
        if self._unit_controls_room:
            return self._control.setpoint.value
        return None

    @property
    def min_temp(self) -> float:
        """Return the lowest room target."""
        if self._unit_controls_room:
            return self.coordinator.data.capabilities.setpoint_min
        return ROOM_TARGET_MIN

    @property
    def max_temp(self) -> float:
        """Return the highest room target."""
        if self._unit_controls_room:
            return self.coordinator.data.capabilities.setpoint_max
        return ROOM_TARGET_MAX

    @property
    def target_temperature_step(self) -> float:
        """Return the step the unit accepts (0.5 K for a room target held here)."""
        if self._unit_controls_room:
            return self.coordinator.data.capabilities.setpoint_step
        return 0.5

    @property
    def preset_modes(self) -> list[str] | None:
        """Return the presets (only where there is a room target)."""
        if not self._has_target:
            return None
        return [PRESET_NONE, *self._presets]

    @property
    def preset_mode(self) -> str | None:
        """Return the preset whose temperature is the current target."""
        if not self._has_target:
            return None
        target = self.target_temperature
        for preset, temperature in self._presets.items():
            if target is not None and abs(target - temperature) < 0.05:
                return preset
        return PRESET_NONE

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Say what the unit's setpoint means and, in room hold, its value."""
        attributes: dict[str, Any] = {
            "setpoint_kind": self.coordinator.data.capabilities.setpoint_kind.value,
            "room_hold": self._room_hold,
        }
        if self._room_hold:
            attributes["unit_setpoint"] = self._control.setpoint.unit_value
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
        """Follow the writers, restore the room target and start the room-hold loop."""
        await super().async_added_to_hass()
        for writer in (self._control.setpoint, self._control.mode):
            self.async_on_remove(writer.async_add_listener(self.async_write_ha_state))
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
        mode = self.coordinator.data.reading.mode
        if mode not in (None, OperatingMode.OFF):
            self._last_on_mode = TO_HVAC[mode]
        super()._handle_coordinator_update()

    # --- commands -----------------------------------------------------------------------------

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Set a new room target (debounced; within the unit's write budget)."""
        if (temperature := kwargs.get(ATTR_TEMPERATURE)) is None:
            return
        self._set_target(float(temperature))

    def _set_target(self, temperature: float) -> None:
        if not self._has_target:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="no_room_target"
            )
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
        self._control.setpoint.request(round(temperature / step) * step)

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Set the room target to a preset's temperature."""
        if preset_mode == PRESET_NONE:
            return
        if preset_mode not in self._presets or not self._has_target:
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
        self._control.mode.request(FROM_HVAC[hvac_mode])

    async def async_turn_on(self) -> None:
        """Turn the unit on in its last mode."""
        await self.async_set_hvac_mode(self._last_on_mode)

    async def async_turn_off(self) -> None:
        """Turn the unit off."""
        await self.async_set_hvac_mode(HVACMode.OFF)

    async def _async_room_hold_step(self, _now: datetime) -> None:
        """Move the unit's setpoint one step toward holding the room target; never raises."""
        if not self._room_hold or self._room_target is None or not self.available:
            return
        room = self._sensor_temperature()
        writer = self._control.setpoint
        setpoint = writer.value
        capabilities = self.coordinator.data.capabilities
        if (
            room is None
            or setpoint is None
            or self.coordinator.data.reading.mode is OperatingMode.OFF
        ):
            return
        if not capabilities.setpoint_min <= setpoint <= capabilities.setpoint_max:
            # The unit's setpoint and its range disagree (its heating mode just changed): wait for
            # a consistent reading instead of jumping to a limit.
            LOGGER.debug(
                "Room hold waits: setpoint %s is outside %s..%s",
                setpoint,
                capabilities.setpoint_min,
                capabilities.setpoint_max,
            )
            return
        error = self._room_target - room
        if error >= ROOM_HOLD_DEADBAND:
            new = setpoint + capabilities.setpoint_step
        elif error <= -ROOM_HOLD_DEADBAND:
            new = setpoint - capabilities.setpoint_step
        else:
            return
        new = min(max(new, capabilities.setpoint_min), capabilities.setpoint_max)
        LOGGER.debug(
            "Room hold: room %.1f °C, target %.1f °C: setpoint %s -> %s",
            room,
            self._room_target,
            setpoint,
            new,
        )
        # The writer spends no budget on an unchanged value and logs and reports driver errors.
        await writer.async_write_now(new)

"""The unit's own setpoint as a number: the heating-curve shift (K) or the fixed flow temperature (°C).

Only the kind the unit runs on is created; it is unavailable while the unit runs on another kind (its
heating mode changed at the unit). Writes go through the same writer as the thermostat's (control.py):
debounced, within the persisted write budget, the last request wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
)
from homeassistant.const import UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .control import UnitControl
from .coordinator import HeatpumpCoordinator
from .data import HeatpumpEfficiencyConfigEntry
from .entity import HeatpumpEntity
from .units.model import SetpointKind

PARALLEL_UPDATES = 1  # one write at a time to the unit


@dataclass(frozen=True, kw_only=True)
class SetpointNumberDescription(NumberEntityDescription):
    """A number for the unit's setpoint when it has this meaning."""

    setpoint_kind: SetpointKind


NUMBERS: tuple[SetpointNumberDescription, ...] = (
    SetpointNumberDescription(
        key="curve_shift",
        translation_key="curve_shift",
        setpoint_kind=SetpointKind.CURVE_SHIFT,
        native_unit_of_measurement=UnitOfTemperature.KELVIN,
    ),
    SetpointNumberDescription(
        key="flow_temperature_setpoint",
        translation_key="flow_temperature_setpoint",
        setpoint_kind=SetpointKind.FLOW,
        device_class=NumberDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the number of the setpoint kind the unit runs on (none for existing sensors)."""
    control = entry.runtime_data.control
    if control is None:
        return
    coordinator = entry.runtime_data.coordinator
    kind = coordinator.data.capabilities.setpoint_kind
    async_add_entities(
        SetpointNumber(coordinator, control, description)
        for description in NUMBERS
        if description.setpoint_kind is kind
    )


class SetpointNumber(HeatpumpEntity, NumberEntity):
    """The unit's setpoint in one meaning."""

    entity_description: SetpointNumberDescription

    def __init__(
        self,
        coordinator: HeatpumpCoordinator,
        control: UnitControl,
        description: SetpointNumberDescription,
    ) -> None:
        """Create the number."""
        super().__init__(coordinator, description)
        self._writer = control.setpoint

    async def async_added_to_hass(self) -> None:
        """Follow the writer, so a value just asked for shows at once."""
        await super().async_added_to_hass()
        self.async_on_remove(self._writer.async_add_listener(self.async_write_ha_state))

    @property
    def _kind_matches(self) -> bool:
        return (
            self.coordinator.data.capabilities.setpoint_kind
            is self.entity_description.setpoint_kind
        )

    @property
    def available(self) -> bool:
        """Return whether the unit answers and runs on this kind of setpoint."""
        return super().available and self._kind_matches

    @property
    def native_value(self) -> float | None:
        """Return the setpoint the unit will have once pending writes are done."""
        return self._writer.value if self._kind_matches else None

    @property
    def native_min_value(self) -> float:
        """Return the lowest value the unit accepts now."""
        return self.coordinator.data.capabilities.setpoint_min

    @property
    def native_max_value(self) -> float:
        """Return the highest value the unit accepts now."""
        return self.coordinator.data.capabilities.setpoint_max

    @property
    def native_step(self) -> float:
        """Return the unit's step."""
        return self.coordinator.data.capabilities.setpoint_step

    async def async_set_native_value(self, value: float) -> None:
        """Ask for a new setpoint (debounced; within the unit's write budget)."""
        step = self.native_step
        rounded = round(value / step) * step
        if not self._kind_matches or not (
            self.native_min_value <= rounded <= self.native_max_value
        ):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="setpoint_out_of_range",
                translation_placeholders={
                    "value": f"{value:g}",
                    "min": f"{self.native_min_value:g}",
                    "max": f"{self.native_max_value:g}",
                },
            )
        self._writer.request(rounded)

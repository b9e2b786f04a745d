"""The vendor-neutral values every driver produces: readings, identity, capabilities and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Origin(StrEnum):
    """Where a power or energy figure came from; decides how far it can be trusted."""

    METERED = "metered"  # an external meter (S0 pulse meter, Shelly, heat meter)
    REPORTED = "reported"  # measured by the unit itself and reported
    ESTIMATED = "estimated"  # the unit's coarse estimate (HeishaMon TOP15: 200 W steps)
    COMPUTED = "computed"  # derived here, e.g. flow rate x (outlet - inlet)


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    """A power (W) or energy (kWh) value with its origin and resolution in the same unit."""

    value: float
    origin: Origin
    resolution: float | None = None


class OperatingMode(StrEnum):
    """Modes a unit can be put in; OFF means the unit is switched off."""

    OFF = "off"
    HEAT = "heat"
    COOL = "cool"
    AUTO = "auto"


class SetpointKind(StrEnum):
    """What the unit's writable setpoint means."""

    ROOM = "room"  # a room temperature target (the unit has a room thermostat)
    FLOW = "flow"  # a fixed flow (water outlet) temperature
    CURVE_SHIFT = "curve_shift"  # a shift of the weather-compensated heating curve


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitIdentity:
    """Who the unit is; `unique_id` is stable across IP address changes."""

    unique_id: str
    manufacturer: str
    model: str | None = None
    serial: str | None = None
    mac: str | None = None
    firmware: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Capabilities:
    """What a unit can do and how gently it must be treated."""

    modes: frozenset[OperatingMode]
    setpoint_kind: SetpointKind
    setpoint_min: float
    setpoint_max: float
    setpoint_step: float = 1.0
    # seconds; polling faster only returns cached values
    min_poll_interval: float = 10.0
    writes_per_hour: int = 6  # per parameter; protects the unit's EEPROM/flash
    # The `Reading` fields this source can ever fill; entities of the others are not created.
    reported_fields: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """One snapshot of a unit's state. Unknown values are None, never a sentinel like -1."""

    time: datetime  # timezone-aware, when the reading was taken
    room_c: float | None = None
    outdoor_c: float | None = None
    outdoor_rh: float | None = None  # percent
    flow_c: float | None = None  # water leaving the unit (outlet)
    return_c: float | None = None  # water coming back (inlet)
    flow_lpm: float | None = None  # water flow, litres per minute
    elec_w: Quantity | None = None  # electrical input power
    # heat into the water: negative during defrost (and when cooling)
    heat_w: Quantity | None = None
    # electrical energy counter, if the unit or a meter has one
    elec_kwh: Quantity | None = None
    heat_kwh: Quantity | None = None  # thermal energy counter
    backup_w: Quantity | None = None  # backup (electric) heater power, part of elec_w
    compressor_running: bool | None = None
    compressor_hz: float | None = None
    compressor_starts: int | None = None  # lifetime start counter
    operating_hours: float | None = None  # lifetime compressor hours
    defrost: bool | None = None  # None where the unit does not report it
    backup_heater: bool | None = None
    mode: OperatingMode | None = None
    # True while the unit heats domestic hot water (HeishaMon TOP20 three-way valve on DHW, or a
    # mapped binary sensor), False while it serves the rooms, None where the unit does not say.
    dhw_active: bool | None = None
    # True while the unit moves heat out of the rooms; the mode setting alone cannot say so (HeishaMon's
    # "auto" runs heating or cooling). None where the unit does not say: then the mode COOL decides.
    cooling_active: bool | None = None
    # the unit's setpoint, in the meaning of Capabilities.setpoint_kind
    target_c: float | None = None
    room_target_c: float | None = None
    flow_target_c: float | None = None  # the flow temperature the unit is aiming at
    dhw_c: float | None = None  # domestic hot water tank temperature
    error: str | None = None  # the unit's error code, None when there is no error
    extra: dict[str, float | str | None] = field(default_factory=dict)


class UnitError(Exception):
    """Base class of every driver error."""


class UnitConnectionError(UnitError):
    """The unit could not be reached."""


class UnitTimeoutError(UnitConnectionError):
    """The unit did not answer in time."""


class UnitResponseError(UnitError):
    """The unit answered with something that is not a valid response."""


class UnitCommandError(UnitError):
    """The unit refused or could not carry out a command."""


class UnitValueError(UnitError, ValueError):
    """A value the unit cannot take (not a number, or outside the setting's current range)."""

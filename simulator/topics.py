"""The HeishaMon firmware's topic table: numbers, names, value kinds and description tables.

Transcribed from the firmware's ``decode.h`` (Egyras/HeishaMon) and checked against a complete real ``/json``
payload (``tests/fixtures/heishamon/``); the defaults are that payload's values, used for every topic the
model does not drive. The topic names come from the integration's own table (``units/heishamon_topics.py``),
so the simulator and the parsers cannot disagree about them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from custom_components.heatpump_efficiency.units.heishamon_topics import (
    EXTRA_TOPICS,
    MAIN_TOPICS,
)

__all__ = ["EXTRA_TOPICS", "MAIN_TOPICS", "TOPICS", "Kind", "Topic", "Value"]

type Value = int | float | str

OFF_ON = ("Off", "On")
DISABLED_ENABLED = ("Disabled", "Enabled")
BLOCKED_FREE = ("Blocked", "Free")
INACTIVE_ACTIVE = ("Inactive", "Active")
HOLIDAY = ("Off", "Scheduled", "Active")
OP_MODE = (
    "Heat",
    "Cool",
    "Auto(heat)",
    "DHW",
    "Heat+DHW",
    "Cool+DHW",
    "Auto(heat)+DHW",
    "Auto(cool)",
    "Auto(cool)+DHW",
)
POWERFUL = ("Off", "30min", "60min", "90min")
QUIET = ("Off", "Level 1", "Level 2", "Level 3")
VALVE = ("Room", "DHW")
VALVE2 = ("Cool", "Heat")
ZONES = ("Zone1 active", "Zone2 active", "Zone1 and zone2 active")
HEAT_COOL_MODE = ("Comp. Curve", "Direct")
SOLAR_MODE = ("Disabled", "Buffer", "DHW")
PUMP_FLOWRATE_MODE = ("DeltaT", "Max flow")
LIQUID = ("Water", "Glycol")
SENSOR = (
    "Water Temperature",
    "External Thermostat",
    "Internal Thermostat",
    "Thermistor",
)
PAD_HEATER = ("Disabled", "Type-A", "Type-B")
BIVALENT = ("Alternative", "Parallel", "Advanced Parallel")
HEATING_CONTROL = ("Comfort", "Efficiency")
UNKNOWN = "unknown"


class Kind(Enum):
    """How the firmware prints a value: integer, fixed decimals, or a quoted string."""

    INT = "int"
    F1 = "f1"
    F2 = "f2"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Topic:
    """One main-block topic: number, description (a unit or a value-indexed table), kind, default."""

    number: int
    description: str | tuple[str, ...]
    kind: Kind
    default: Value

    @property
    def name(self) -> str:
        """Return the firmware's name of the topic (the integration's table, shared with its parsers)."""
        return MAIN_TOPICS[self.number]

    def describe(self, value: Value) -> str:
        """Return the Description the firmware writes for this value ("unknown" when out of range)."""
        if isinstance(self.description, str):
            return self.description
        if isinstance(value, str):
            return UNKNOWN
        index = int(value)
        if 0 <= index < len(self.description):
            return self.description[index]
        return UNKNOWN

    def reset_value(self) -> Value:
        """Return what the firmware shows before it has decoded a frame (all-zero bytes)."""
        if self.kind is Kind.TEXT:
            return "00 00 00 00 00 00 00 00 00 00" if self.number == 92 else "No error"
        if self.description in ("°C", "K"):
            return -128
        if self.description == "Watt":
            return -200
        return -1


TOPICS: tuple[Topic, ...] = (
    Topic(0, OFF_ON, Kind.INT, 1),
    Topic(1, "l/min", Kind.F2, 15.17),
    Topic(2, DISABLED_ENABLED, Kind.INT, 0),
    Topic(3, DISABLED_ENABLED, Kind.INT, 0),
    Topic(4, OP_MODE, Kind.INT, 4),
    Topic(5, "°C", Kind.F2, 35.25),
    Topic(6, "°C", Kind.F2, 35.25),
    Topic(7, "°C", Kind.INT, 35),
    Topic(8, "Hz", Kind.INT, 0),
    Topic(9, "°C", Kind.INT, 50),
    Topic(10, "°C", Kind.INT, 49),
    Topic(11, "hours", Kind.INT, 2699),
    Topic(12, "count", Kind.INT, 4184),
    Topic(13, DISABLED_ENABLED, Kind.INT, 0),
    Topic(14, "°C", Kind.INT, 10),
    Topic(15, "Watt", Kind.INT, 0),
    Topic(16, "Watt", Kind.INT, 0),
    Topic(17, POWERFUL, Kind.INT, 0),
    Topic(18, QUIET, Kind.INT, 3),
    Topic(19, HOLIDAY, Kind.INT, 0),
    Topic(20, VALVE, Kind.INT, 0),
    Topic(21, "°C", Kind.INT, 10),
    Topic(22, "K", Kind.INT, -8),
    Topic(23, "K", Kind.INT, 7),
    Topic(24, "K", Kind.INT, 3),
    Topic(25, "K", Kind.INT, -15),
    Topic(26, DISABLED_ENABLED, Kind.INT, 0),
    Topic(27, "°C", Kind.INT, 35),
    Topic(28, "°C", Kind.INT, 20),
    Topic(29, "°C", Kind.INT, 35),
    Topic(30, "°C", Kind.INT, 35),
    Topic(31, "°C", Kind.INT, 15),
    Topic(32, "°C", Kind.INT, -5),
    Topic(33, "°C", Kind.INT, 30),
    Topic(34, "°C", Kind.INT, 35),
    Topic(35, "°C", Kind.INT, 10),
    Topic(36, "°C", Kind.INT, -78),
    Topic(37, "°C", Kind.INT, -78),
    Topic(38, "Watt", Kind.INT, 0),
    Topic(39, "Watt", Kind.INT, 0),
    Topic(40, "Watt", Kind.INT, 0),
    Topic(41, "Watt", Kind.INT, 0),
    Topic(42, "°C", Kind.INT, 35),
    Topic(43, "°C", Kind.INT, 35),
    Topic(44, "Error", Kind.TEXT, "No error"),
    Topic(45, "K", Kind.INT, -15),
    Topic(46, "°C", Kind.INT, -78),
    Topic(47, "°C", Kind.INT, -78),
    Topic(48, "°C", Kind.INT, -78),
    Topic(49, "°C", Kind.INT, 35),
    Topic(50, "°C", Kind.INT, 16),
    Topic(51, "°C", Kind.INT, 32),
    Topic(52, "°C", Kind.INT, 10),
    Topic(53, "°C", Kind.INT, 12),
    Topic(54, "°C", Kind.INT, 13),
    Topic(55, "°C", Kind.INT, 17),
    Topic(56, "°C", Kind.INT, 35),
    Topic(57, "°C", Kind.INT, -128),
    Topic(58, BLOCKED_FREE, Kind.INT, 0),
    Topic(59, BLOCKED_FREE, Kind.INT, 0),
    Topic(60, INACTIVE_ACTIVE, Kind.INT, 0),
    Topic(61, INACTIVE_ACTIVE, Kind.INT, 0),
    Topic(62, "r/min", Kind.INT, 0),
    Topic(63, "r/min", Kind.INT, 0),
    Topic(64, "Kgf/cm2", Kind.F1, 10.0),
    Topic(65, "r/min", Kind.INT, 1350),
    Topic(66, "Kgf/cm2", Kind.INT, 0),
    Topic(67, "Ampere", Kind.F1, 0.0),
    Topic(68, INACTIVE_ACTIVE, Kind.INT, 0),
    Topic(69, INACTIVE_ACTIVE, Kind.INT, 0),
    Topic(70, "°C", Kind.INT, 65),
    Topic(71, "Minutes", Kind.INT, 10),
    Topic(72, "°C", Kind.INT, 20),
    Topic(73, "°C", Kind.INT, 10),
    Topic(74, "°C", Kind.INT, 30),
    Topic(75, "°C", Kind.INT, 20),
    Topic(76, HEAT_COOL_MODE, Kind.INT, 1),
    Topic(77, "°C", Kind.INT, 23),
    Topic(78, "°C", Kind.INT, 0),
    Topic(79, "°C", Kind.INT, 15),
    Topic(80, "°C", Kind.INT, 10),
    Topic(81, HEAT_COOL_MODE, Kind.INT, 1),
    Topic(82, "°C", Kind.INT, 35),
    Topic(83, "°C", Kind.INT, 35),
    Topic(84, "°C", Kind.INT, 15),
    Topic(85, "°C", Kind.INT, -5),
    Topic(86, "°C", Kind.INT, 10),
    Topic(87, "°C", Kind.INT, 10),
    Topic(88, "°C", Kind.INT, 30),
    Topic(89, "°C", Kind.INT, 20),
    Topic(90, "hours", Kind.INT, 0),
    Topic(91, "hours", Kind.INT, 0),
    Topic(92, "Model", Kind.TEXT, "E2 CF 0C 74 09 12 D0 0E 94 05"),
    Topic(93, "Duty", Kind.INT, 80),
    Topic(94, ZONES, Kind.INT, 0),
    Topic(95, "Duty", Kind.INT, 150),
    Topic(96, "Minutes", Kind.INT, -1),
    Topic(97, "K", Kind.INT, -128),
    Topic(98, "K", Kind.INT, -128),
    Topic(99, DISABLED_ENABLED, Kind.INT, 0),
    Topic(100, DISABLED_ENABLED, Kind.INT, 1),
    Topic(101, SOLAR_MODE, Kind.INT, 0),
    Topic(102, "K", Kind.INT, 10),
    Topic(103, "K", Kind.INT, 5),
    Topic(104, "°C", Kind.INT, 5),
    Topic(105, "°C", Kind.INT, 80),
    Topic(106, PUMP_FLOWRATE_MODE, Kind.INT, -1),
    Topic(107, LIQUID, Kind.INT, 0),
    Topic(108, DISABLED_ENABLED, Kind.INT, 0),
    Topic(109, DISABLED_ENABLED, Kind.INT, 1),
    Topic(110, DISABLED_ENABLED, Kind.INT, 0),
    Topic(111, SENSOR, Kind.INT, 0),
    Topic(112, SENSOR, Kind.INT, 0),
    Topic(113, "K", Kind.INT, 5),
    Topic(114, PAD_HEATER, Kind.INT, 0),
    Topic(115, "Bar", Kind.F2, -0.02),
    Topic(116, "°C", Kind.INT, -128),
    Topic(117, "°C", Kind.INT, -128),
    Topic(118, "°C", Kind.INT, -128),
    Topic(119, DISABLED_ENABLED, Kind.INT, 0),
    Topic(120, DISABLED_ENABLED, Kind.INT, 0),
    Topic(121, DISABLED_ENABLED, Kind.INT, 0),
    Topic(122, DISABLED_ENABLED, Kind.INT, 0),
    Topic(123, OFF_ON, Kind.INT, 0),
    Topic(124, OFF_ON, Kind.INT, 0),
    Topic(125, VALVE2, Kind.INT, 1),
    Topic(126, VALVE, Kind.INT, 0),
    Topic(127, "%", Kind.F1, 0.0),
    Topic(128, "%", Kind.F1, 0.0),
    Topic(129, DISABLED_ENABLED, Kind.INT, 0),
    Topic(130, BIVALENT, Kind.INT, 0),
    Topic(131, "°C", Kind.INT, -5),
    Topic(132, DISABLED_ENABLED, Kind.INT, 0),
    Topic(133, DISABLED_ENABLED, Kind.INT, 0),
    Topic(134, "°C", Kind.INT, -8),
    Topic(135, "°C", Kind.INT, -2),
    Topic(136, "Minutes", Kind.INT, 30),
    Topic(137, "Minutes", Kind.INT, 30),
    Topic(138, "Minutes", Kind.INT, 30),
    Topic(139, HEATING_CONTROL, Kind.INT, -1),
    Topic(140, DISABLED_ENABLED, Kind.INT, -1),
    Topic(141, DISABLED_ENABLED, Kind.INT, -1),
    Topic(142, "Steps", Kind.INT, 120),
)

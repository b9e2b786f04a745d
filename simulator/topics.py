"""The HeishaMon firmware's topic table: numbers, names, value kinds and description tables.

Transcribed from the firmware's ``decode.h`` (Egyras/HeishaMon) and checked against a complete real ``/json``
payload (``tests/fixtures/heishamon/``); the defaults are that payload's values, used for every topic the
model does not drive.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

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
    """One main-block topic: number, name, description (a unit or a value-indexed table), kind, default."""

    number: int
    name: str
    description: str | tuple[str, ...]
    kind: Kind
    default: Value

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
    Topic(0, "Heatpump_State", OFF_ON, Kind.INT, 1),
    Topic(1, "Pump_Flow", "l/min", Kind.F2, 15.17),
    Topic(2, "Force_DHW_State", DISABLED_ENABLED, Kind.INT, 0),
    Topic(3, "Quiet_Mode_Schedule", DISABLED_ENABLED, Kind.INT, 0),
    Topic(4, "Operating_Mode_State", OP_MODE, Kind.INT, 4),
    Topic(5, "Main_Inlet_Temp", "°C", Kind.F2, 35.25),
    Topic(6, "Main_Outlet_Temp", "°C", Kind.F2, 35.25),
    Topic(7, "Main_Target_Temp", "°C", Kind.INT, 35),
    Topic(8, "Compressor_Freq", "Hz", Kind.INT, 0),
    Topic(9, "DHW_Target_Temp", "°C", Kind.INT, 50),
    Topic(10, "DHW_Temp", "°C", Kind.INT, 49),
    Topic(11, "Operations_Hours", "hours", Kind.INT, 2699),
    Topic(12, "Operations_Counter", "count", Kind.INT, 4184),
    Topic(13, "Main_Schedule_State", DISABLED_ENABLED, Kind.INT, 0),
    Topic(14, "Outside_Temp", "°C", Kind.INT, 10),
    Topic(15, "Heat_Power_Production", "Watt", Kind.INT, 0),
    Topic(16, "Heat_Power_Consumption", "Watt", Kind.INT, 0),
    Topic(17, "Powerful_Mode_Time", POWERFUL, Kind.INT, 0),
    Topic(18, "Quiet_Mode_Level", QUIET, Kind.INT, 3),
    Topic(19, "Holiday_Mode_State", HOLIDAY, Kind.INT, 0),
    Topic(20, "ThreeWay_Valve_State", VALVE, Kind.INT, 0),
    Topic(21, "Outside_Pipe_Temp", "°C", Kind.INT, 10),
    Topic(22, "DHW_Heat_Delta", "K", Kind.INT, -8),
    Topic(23, "Heat_Delta", "K", Kind.INT, 7),
    Topic(24, "Cool_Delta", "K", Kind.INT, 3),
    Topic(25, "DHW_Holiday_Shift_Temp", "K", Kind.INT, -15),
    Topic(26, "Defrosting_State", DISABLED_ENABLED, Kind.INT, 0),
    Topic(27, "Z1_Heat_Request_Temp", "°C", Kind.INT, 35),
    Topic(28, "Z1_Cool_Request_Temp", "°C", Kind.INT, 20),
    Topic(29, "Z1_Heat_Curve_Target_High_Temp", "°C", Kind.INT, 35),
    Topic(30, "Z1_Heat_Curve_Target_Low_Temp", "°C", Kind.INT, 35),
    Topic(31, "Z1_Heat_Curve_Outside_High_Temp", "°C", Kind.INT, 15),
    Topic(32, "Z1_Heat_Curve_Outside_Low_Temp", "°C", Kind.INT, -5),
    Topic(33, "Room_Thermostat_Temp", "°C", Kind.INT, 30),
    Topic(34, "Z2_Heat_Request_Temp", "°C", Kind.INT, 35),
    Topic(35, "Z2_Cool_Request_Temp", "°C", Kind.INT, 10),
    Topic(36, "Z1_Water_Temp", "°C", Kind.INT, -78),
    Topic(37, "Z2_Water_Temp", "°C", Kind.INT, -78),
    Topic(38, "Cool_Power_Production", "Watt", Kind.INT, 0),
    Topic(39, "Cool_Power_Consumption", "Watt", Kind.INT, 0),
    Topic(40, "DHW_Power_Production", "Watt", Kind.INT, 0),
    Topic(41, "DHW_Power_Consumption", "Watt", Kind.INT, 0),
    Topic(42, "Z1_Water_Target_Temp", "°C", Kind.INT, 35),
    Topic(43, "Z2_Water_Target_Temp", "°C", Kind.INT, 35),
    Topic(44, "Error", "Error", Kind.TEXT, "No error"),
    Topic(45, "Room_Holiday_Shift_Temp", "K", Kind.INT, -15),
    Topic(46, "Buffer_Temp", "°C", Kind.INT, -78),
    Topic(47, "Solar_Temp", "°C", Kind.INT, -78),
    Topic(48, "Pool_Temp", "°C", Kind.INT, -78),
    Topic(49, "Main_Hex_Outlet_Temp", "°C", Kind.INT, 35),
    Topic(50, "Discharge_Temp", "°C", Kind.INT, 16),
    Topic(51, "Inside_Pipe_Temp", "°C", Kind.INT, 32),
    Topic(52, "Defrost_Temp", "°C", Kind.INT, 10),
    Topic(53, "Eva_Outlet_Temp", "°C", Kind.INT, 12),
    Topic(54, "Bypass_Outlet_Temp", "°C", Kind.INT, 13),
    Topic(55, "Ipm_Temp", "°C", Kind.INT, 17),
    Topic(56, "Z1_Temp", "°C", Kind.INT, 35),
    Topic(57, "Z2_Temp", "°C", Kind.INT, -128),
    Topic(58, "DHW_Heater_State", BLOCKED_FREE, Kind.INT, 0),
    Topic(59, "Room_Heater_State", BLOCKED_FREE, Kind.INT, 0),
    Topic(60, "Internal_Heater_State", INACTIVE_ACTIVE, Kind.INT, 0),
    Topic(61, "External_Heater_State", INACTIVE_ACTIVE, Kind.INT, 0),
    Topic(62, "Fan1_Motor_Speed", "r/min", Kind.INT, 0),
    Topic(63, "Fan2_Motor_Speed", "r/min", Kind.INT, 0),
    Topic(64, "High_Pressure", "Kgf/cm2", Kind.F1, 10.0),
    Topic(65, "Pump_Speed", "r/min", Kind.INT, 1350),
    Topic(66, "Low_Pressure", "Kgf/cm2", Kind.INT, 0),
    Topic(67, "Compressor_Current", "Ampere", Kind.F1, 0.0),
    Topic(68, "Force_Heater_State", INACTIVE_ACTIVE, Kind.INT, 0),
    Topic(69, "Sterilization_State", INACTIVE_ACTIVE, Kind.INT, 0),
    Topic(70, "Sterilization_Temp", "°C", Kind.INT, 65),
    Topic(71, "Sterilization_Max_Time", "Minutes", Kind.INT, 10),
    Topic(72, "Z1_Cool_Curve_Target_High_Temp", "°C", Kind.INT, 20),
    Topic(73, "Z1_Cool_Curve_Target_Low_Temp", "°C", Kind.INT, 10),
    Topic(74, "Z1_Cool_Curve_Outside_High_Temp", "°C", Kind.INT, 30),
    Topic(75, "Z1_Cool_Curve_Outside_Low_Temp", "°C", Kind.INT, 20),
    Topic(76, "Heating_Mode", HEAT_COOL_MODE, Kind.INT, 1),
    Topic(77, "Heating_Off_Outdoor_Temp", "°C", Kind.INT, 23),
    Topic(78, "Heater_On_Outdoor_Temp", "°C", Kind.INT, 0),
    Topic(79, "Heat_To_Cool_Temp", "°C", Kind.INT, 15),
    Topic(80, "Cool_To_Heat_Temp", "°C", Kind.INT, 10),
    Topic(81, "Cooling_Mode", HEAT_COOL_MODE, Kind.INT, 1),
    Topic(82, "Z2_Heat_Curve_Target_High_Temp", "°C", Kind.INT, 35),
    Topic(83, "Z2_Heat_Curve_Target_Low_Temp", "°C", Kind.INT, 35),
    Topic(84, "Z2_Heat_Curve_Outside_High_Temp", "°C", Kind.INT, 15),
    Topic(85, "Z2_Heat_Curve_Outside_Low_Temp", "°C", Kind.INT, -5),
    Topic(86, "Z2_Cool_Curve_Target_High_Temp", "°C", Kind.INT, 10),
    Topic(87, "Z2_Cool_Curve_Target_Low_Temp", "°C", Kind.INT, 10),
    Topic(88, "Z2_Cool_Curve_Outside_High_Temp", "°C", Kind.INT, 30),
    Topic(89, "Z2_Cool_Curve_Outside_Low_Temp", "°C", Kind.INT, 20),
    Topic(90, "Room_Heater_Operations_Hours", "hours", Kind.INT, 0),
    Topic(91, "DHW_Heater_Operations_Hours", "hours", Kind.INT, 0),
    Topic(92, "Heat_Pump_Model", "Model", Kind.TEXT, "E2 CF 0C 74 09 12 D0 0E 94 05"),
    Topic(93, "Pump_Duty", "Duty", Kind.INT, 80),
    Topic(94, "Zones_State", ZONES, Kind.INT, 0),
    Topic(95, "Max_Pump_Duty", "Duty", Kind.INT, 150),
    Topic(96, "Heater_Delay_Time", "Minutes", Kind.INT, -1),
    Topic(97, "Heater_Start_Delta", "K", Kind.INT, -128),
    Topic(98, "Heater_Stop_Delta", "K", Kind.INT, -128),
    Topic(99, "Buffer_Installed", DISABLED_ENABLED, Kind.INT, 0),
    Topic(100, "DHW_Installed", DISABLED_ENABLED, Kind.INT, 1),
    Topic(101, "Solar_Mode", SOLAR_MODE, Kind.INT, 0),
    Topic(102, "Solar_On_Delta", "K", Kind.INT, 10),
    Topic(103, "Solar_Off_Delta", "K", Kind.INT, 5),
    Topic(104, "Solar_Frost_Protection", "°C", Kind.INT, 5),
    Topic(105, "Solar_High_Limit", "°C", Kind.INT, 80),
    Topic(106, "Pump_Flowrate_Mode", PUMP_FLOWRATE_MODE, Kind.INT, -1),
    Topic(107, "Liquid_Type", LIQUID, Kind.INT, 0),
    Topic(108, "Alt_External_Sensor", DISABLED_ENABLED, Kind.INT, 0),
    Topic(109, "Anti_Freeze_Mode", DISABLED_ENABLED, Kind.INT, 1),
    Topic(110, "Optional_PCB", DISABLED_ENABLED, Kind.INT, 0),
    Topic(111, "Z1_Sensor_Settings", SENSOR, Kind.INT, 0),
    Topic(112, "Z2_Sensor_Settings", SENSOR, Kind.INT, 0),
    Topic(113, "Buffer_Tank_Delta", "K", Kind.INT, 5),
    Topic(114, "External_Pad_Heater", PAD_HEATER, Kind.INT, 0),
    Topic(115, "Water_Pressure", "Bar", Kind.F2, -0.02),
    Topic(116, "Second_Inlet_Temp", "°C", Kind.INT, -128),
    Topic(117, "Economizer_Outlet_Temp", "°C", Kind.INT, -128),
    Topic(118, "Second_Room_Thermostat_Temp", "°C", Kind.INT, -128),
    Topic(119, "External_Control", DISABLED_ENABLED, Kind.INT, 0),
    Topic(120, "External_Heat_Cool_Control", DISABLED_ENABLED, Kind.INT, 0),
    Topic(121, "External_Error_Signal", DISABLED_ENABLED, Kind.INT, 0),
    Topic(122, "External_Compressor_Control", DISABLED_ENABLED, Kind.INT, 0),
    Topic(123, "Z2_Pump_State", OFF_ON, Kind.INT, 0),
    Topic(124, "Z1_Pump_State", OFF_ON, Kind.INT, 0),
    Topic(125, "TwoWay_Valve_State", VALVE2, Kind.INT, 1),
    Topic(126, "ThreeWay_Valve_State2", VALVE, Kind.INT, 0),
    Topic(127, "Z1_Valve_PID", "%", Kind.F1, 0.0),
    Topic(128, "Z2_Valve_PID", "%", Kind.F1, 0.0),
    Topic(129, "Bivalent_Control", DISABLED_ENABLED, Kind.INT, 0),
    Topic(130, "Bivalent_Mode", BIVALENT, Kind.INT, 0),
    Topic(131, "Bivalent_Start_Temp", "°C", Kind.INT, -5),
    Topic(132, "Bivalent_Advanced_Heat", DISABLED_ENABLED, Kind.INT, 0),
    Topic(133, "Bivalent_Advanced_DHW", DISABLED_ENABLED, Kind.INT, 0),
    Topic(134, "Bivalent_Advanced_Start_Temp", "°C", Kind.INT, -8),
    Topic(135, "Bivalent_Advanced_Stop_Temp", "°C", Kind.INT, -2),
    Topic(136, "Bivalent_Advanced_Start_Delay", "Minutes", Kind.INT, 30),
    Topic(137, "Bivalent_Advanced_Stop_Delay", "Minutes", Kind.INT, 30),
    Topic(138, "Bivalent_Advanced_DHW_Delay", "Minutes", Kind.INT, 30),
    Topic(139, "Heating_Control", HEATING_CONTROL, Kind.INT, -1),
    Topic(140, "Smart_DHW", DISABLED_ENABLED, Kind.INT, -1),
    Topic(141, "Quiet_Mode_Priority", DISABLED_ENABLED, Kind.INT, -1),
    Topic(142, "Expansion_Valve", "Steps", Kind.INT, 120),
)

EXTRA_TOPICS: tuple[str, ...] = (
    "Heat_Power_Consumption_Extra",
    "Cool_Power_Consumption_Extra",
    "DHW_Power_Consumption_Extra",
    "Heat_Power_Production_Extra",
    "Cool_Power_Production_Extra",
    "DHW_Power_Production_Extra",
)
"""The K/L-series extra block (XTOP0-XTOP5), all in Watt, values printed as quoted strings."""

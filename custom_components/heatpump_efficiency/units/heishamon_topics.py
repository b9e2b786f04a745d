"""HeishaMon's topic names, shared by the /json parser, the MQTT transport and the simulator.

The firmware (Egyras/HeishaMon `decode.h`) names every decoded value once and uses the name twice: as the
`Name` of a `TOPn` entry in `GET /json`, and as the MQTT topic `<base>/main/<Name>`. One table here maps
the two, so both transports decode through the same code. Older firmware used other names for the power
estimates; they are accepted as aliases.
"""

from __future__ import annotations

from typing import Final

DEFAULT_BASE_TOPIC: Final = "panasonic_heat_pump"
"""The firmware's default `mqtt_topic_base`."""

# Sub-topics under the base topic (HeishaMon.ino `mqtt_topic_*`).
MAIN: Final = "main"  # TOP0-TOP142, retained
EXTRA: Final = "extra"  # XTOP0-XTOP5 (K/L series extra block), retained
OPTIONAL: Final = (
    "optional"  # OPT0-OPT6: requests to an emulated optional PCB (pumps, valves)
)
S0: Final = "s0"  # s0/Watt/<port>, s0/Watthour/<port>, s0/WatthourTotal/<port>
LWT: Final = "LWT"  # availability: "Online", or "Offline" as the broker's last will
COMMANDS: Final = (
    "commands"  # commands/<SetCommand> takes the same values as /command?SetCommand=
)
ONLINE: Final = "Online"
OFFLINE: Final = "Offline"

MAIN_TOPICS: Final[tuple[str, ...]] = (
    "Heatpump_State",  # TOP0
    "Pump_Flow",  # TOP1
    "Force_DHW_State",  # TOP2
    "Quiet_Mode_Schedule",  # TOP3
    "Operating_Mode_State",  # TOP4
    "Main_Inlet_Temp",  # TOP5
    "Main_Outlet_Temp",  # TOP6
    "Main_Target_Temp",  # TOP7
    "Compressor_Freq",  # TOP8
    "DHW_Target_Temp",  # TOP9
    "DHW_Temp",  # TOP10
    "Operations_Hours",  # TOP11
    "Operations_Counter",  # TOP12
    "Main_Schedule_State",  # TOP13
    "Outside_Temp",  # TOP14
    "Heat_Power_Production",  # TOP15
    "Heat_Power_Consumption",  # TOP16
    "Powerful_Mode_Time",  # TOP17
    "Quiet_Mode_Level",  # TOP18
    "Holiday_Mode_State",  # TOP19
    "ThreeWay_Valve_State",  # TOP20
    "Outside_Pipe_Temp",  # TOP21
    "DHW_Heat_Delta",  # TOP22
    "Heat_Delta",  # TOP23
    "Cool_Delta",  # TOP24
    "DHW_Holiday_Shift_Temp",  # TOP25
    "Defrosting_State",  # TOP26
    "Z1_Heat_Request_Temp",  # TOP27
    "Z1_Cool_Request_Temp",  # TOP28
    "Z1_Heat_Curve_Target_High_Temp",  # TOP29
    "Z1_Heat_Curve_Target_Low_Temp",  # TOP30
    "Z1_Heat_Curve_Outside_High_Temp",  # TOP31
    "Z1_Heat_Curve_Outside_Low_Temp",  # TOP32
    "Room_Thermostat_Temp",  # TOP33
    "Z2_Heat_Request_Temp",  # TOP34
    "Z2_Cool_Request_Temp",  # TOP35
    "Z1_Water_Temp",  # TOP36
    "Z2_Water_Temp",  # TOP37
    "Cool_Power_Production",  # TOP38
    "Cool_Power_Consumption",  # TOP39
    "DHW_Power_Production",  # TOP40
    "DHW_Power_Consumption",  # TOP41
    "Z1_Water_Target_Temp",  # TOP42
    "Z2_Water_Target_Temp",  # TOP43
    "Error",  # TOP44
    "Room_Holiday_Shift_Temp",  # TOP45
    "Buffer_Temp",  # TOP46
    "Solar_Temp",  # TOP47
    "Pool_Temp",  # TOP48
    "Main_Hex_Outlet_Temp",  # TOP49
    "Discharge_Temp",  # TOP50
    "Inside_Pipe_Temp",  # TOP51
    "Defrost_Temp",  # TOP52
    "Eva_Outlet_Temp",  # TOP53
    "Bypass_Outlet_Temp",  # TOP54
    "Ipm_Temp",  # TOP55
    "Z1_Temp",  # TOP56
    "Z2_Temp",  # TOP57
    "DHW_Heater_State",  # TOP58
    "Room_Heater_State",  # TOP59
    "Internal_Heater_State",  # TOP60
    "External_Heater_State",  # TOP61
    "Fan1_Motor_Speed",  # TOP62
    "Fan2_Motor_Speed",  # TOP63
    "High_Pressure",  # TOP64
    "Pump_Speed",  # TOP65
    "Low_Pressure",  # TOP66
    "Compressor_Current",  # TOP67
    "Force_Heater_State",  # TOP68
    "Sterilization_State",  # TOP69
    "Sterilization_Temp",  # TOP70
    "Sterilization_Max_Time",  # TOP71
    "Z1_Cool_Curve_Target_High_Temp",  # TOP72
    "Z1_Cool_Curve_Target_Low_Temp",  # TOP73
    "Z1_Cool_Curve_Outside_High_Temp",  # TOP74
    "Z1_Cool_Curve_Outside_Low_Temp",  # TOP75
    "Heating_Mode",  # TOP76
    "Heating_Off_Outdoor_Temp",  # TOP77
    "Heater_On_Outdoor_Temp",  # TOP78
    "Heat_To_Cool_Temp",  # TOP79
    "Cool_To_Heat_Temp",  # TOP80
    "Cooling_Mode",  # TOP81
    "Z2_Heat_Curve_Target_High_Temp",  # TOP82
    "Z2_Heat_Curve_Target_Low_Temp",  # TOP83
    "Z2_Heat_Curve_Outside_High_Temp",  # TOP84
    "Z2_Heat_Curve_Outside_Low_Temp",  # TOP85
    "Z2_Cool_Curve_Target_High_Temp",  # TOP86
    "Z2_Cool_Curve_Target_Low_Temp",  # TOP87
    "Z2_Cool_Curve_Outside_High_Temp",  # TOP88
    "Z2_Cool_Curve_Outside_Low_Temp",  # TOP89
    "Room_Heater_Operations_Hours",  # TOP90
    "DHW_Heater_Operations_Hours",  # TOP91
    "Heat_Pump_Model",  # TOP92
    "Pump_Duty",  # TOP93
    "Zones_State",  # TOP94
    "Max_Pump_Duty",  # TOP95
    "Heater_Delay_Time",  # TOP96
    "Heater_Start_Delta",  # TOP97
    "Heater_Stop_Delta",  # TOP98
    "Buffer_Installed",  # TOP99
    "DHW_Installed",  # TOP100
    "Solar_Mode",  # TOP101
    "Solar_On_Delta",  # TOP102
    "Solar_Off_Delta",  # TOP103
    "Solar_Frost_Protection",  # TOP104
    "Solar_High_Limit",  # TOP105
    "Pump_Flowrate_Mode",  # TOP106
    "Liquid_Type",  # TOP107
    "Alt_External_Sensor",  # TOP108
    "Anti_Freeze_Mode",  # TOP109
    "Optional_PCB",  # TOP110
    "Z1_Sensor_Settings",  # TOP111
    "Z2_Sensor_Settings",  # TOP112
    "Buffer_Tank_Delta",  # TOP113
    "External_Pad_Heater",  # TOP114
    "Water_Pressure",  # TOP115
    "Second_Inlet_Temp",  # TOP116
    "Economizer_Outlet_Temp",  # TOP117
    "Second_Room_Thermostat_Temp",  # TOP118
    "External_Control",  # TOP119
    "External_Heat_Cool_Control",  # TOP120
    "External_Error_Signal",  # TOP121
    "External_Compressor_Control",  # TOP122
    "Z2_Pump_State",  # TOP123
    "Z1_Pump_State",  # TOP124
    "TwoWay_Valve_State",  # TOP125
    "ThreeWay_Valve_State2",  # TOP126
    "Z1_Valve_PID",  # TOP127
    "Z2_Valve_PID",  # TOP128
    "Bivalent_Control",  # TOP129
    "Bivalent_Mode",  # TOP130
    "Bivalent_Start_Temp",  # TOP131
    "Bivalent_Advanced_Heat",  # TOP132
    "Bivalent_Advanced_DHW",  # TOP133
    "Bivalent_Advanced_Start_Temp",  # TOP134
    "Bivalent_Advanced_Stop_Temp",  # TOP135
    "Bivalent_Advanced_Start_Delay",  # TOP136
    "Bivalent_Advanced_Stop_Delay",  # TOP137
    "Bivalent_Advanced_DHW_Delay",  # TOP138
    "Heating_Control",  # TOP139
    "Smart_DHW",  # TOP140
    "Quiet_Mode_Priority",  # TOP141
    "Expansion_Valve",  # TOP142
)
"""The names of TOP0 to TOP142, in order: `MAIN_TOPICS[n]` is the name of TOPn."""

LEGACY_MAIN_TOPICS: Final[dict[str, int]] = {
    # Firmware before the power topics were renamed (2021) published them as "..._Energy_...".
    "Heat_Energy_Production": 15,
    "Heat_Energy_Consumption": 16,
    "Cool_Energy_Production": 38,
    "Cool_Energy_Consumption": 39,
    "DHW_Energy_Production": 40,
    "DHW_Energy_Consumption": 41,
}
"""Older names of main topics -> TOP number."""

EXTRA_TOPICS: Final[tuple[str, ...]] = (
    "Heat_Power_Consumption_Extra",  # XTOP0
    "Cool_Power_Consumption_Extra",  # XTOP1
    "DHW_Power_Consumption_Extra",  # XTOP2
    "Heat_Power_Production_Extra",  # XTOP3
    "Cool_Power_Production_Extra",  # XTOP4
    "DHW_Power_Production_Extra",  # XTOP5
)
"""The K/L-series extra block, all in Watt: `EXTRA_TOPICS[n]` is the name of XTOPn."""

OPTIONAL_TOPICS: Final[tuple[str, ...]] = (
    "Z1_Water_Pump",  # OPT0
    "Z1_Mixing_Valve",  # OPT1
    "Z2_Water_Pump",  # OPT2
    "Z2_Mixing_Valve",  # OPT3
    "Pool_Water_Pump",  # OPT4
    "Solar_Water_Pump",  # OPT5
    "Alarm_State",  # OPT6
)
"""What the heat pump asks an emulated optional PCB to do (only with optional PCB emulation on)."""

MAIN_NUMBERS: Final[dict[str, int]] = {
    **LEGACY_MAIN_TOPICS,
    **{name: number for number, name in enumerate(MAIN_TOPICS)},
}
"""Main topic name (current or older) -> TOP number."""
EXTRA_NUMBERS: Final[dict[str, int]] = {
    name: number for number, name in enumerate(EXTRA_TOPICS)
}
"""Extra topic name -> XTOP number."""

"""Home Assistant's own `nibe_heatpump` integration (NIBE F-series over NibeGW/Modbus, S-series over Modbus TCP).

Its entities' unique ids are `f"{entry unique id}-{coil address}"` (nibe_heatpump/entity.py); the
addresses come from the `nibe` library's register tables (nibe/data/*), one table per model family.
The integration adds every coil entity disabled; only the ones the user has enabled are matched.

F-series: the F1145/F1155/F1245/F1255 table (nibe/data/f1155_f1255.csv): 40004 BT1 outdoor, 40008
BT2 supply S1, 40012 EB100-EP14-BT3 return, 43136 compressor frequency (actual, Hz), 43141
"compr. in power" (kW in hundredths, inverter to compressor; the entity carries the unit).

S-series: the S1155/S1255 table (nibe/data/s1155_s1255.csv lists Modbus input registers; the library
addresses input register N as 30000 + N, holding register N as 40000 + N): 30001 "Current outdoor
temperature (BT1)" (input 1), 30005 "Supply line (BT2)" (input 5), 30007 "Return line (BT3)"
(input 7), 31046 "Compressor frequency, current" (input 1046, Hz / 10), 31048 "Compressor power
input" (input 1048, W). Other S-series tables (S2125 with SMO S40 or VVM S320/S325 ...) are matched
where they use the same registers; what a unit lacks is reported as missing.

The two families are separate presets on purpose: S-series holding registers are numbered 40000 + N,
so an S-series setting can carry an address the F-series table uses for a temperature; the preset
that finds the most on a device wins, and its rules alone map that device.

Not mapped on purpose: the unit's heat meters (44298-44308) are calculated and split by purpose
(heating, hot water, with or without the electric addition), so none of them pairs with the
compressor's electricity; mapping one would give a COP that is not a COP.
"""

from __future__ import annotations

from .model import EntityRule, Preset

NIBE = Preset(
    key="nibe_heatpump",
    platform="nibe_heatpump",
    title="NIBE",
    rules=(
        EntityRule(field="electrical_power", unique_id=r"-43141$"),
        EntityRule(field="outdoor_temperature", unique_id=r"-40004$"),
        EntityRule(field="flow_temperature", unique_id=r"-40008$"),
        EntityRule(field="return_temperature", unique_id=r"-40012$"),
        EntityRule(field="compressor_frequency", unique_id=r"-43136$"),
    ),
)

NIBE_S = Preset(
    key="nibe_s_series",
    platform="nibe_heatpump",
    title="NIBE S-series",
    rules=(
        EntityRule(field="electrical_power", unique_id=r"-31048$"),
        EntityRule(field="outdoor_temperature", unique_id=r"-30001$"),
        EntityRule(field="flow_temperature", unique_id=r"-30005$"),
        EntityRule(field="return_temperature", unique_id=r"-30007$"),
        EntityRule(field="compressor_frequency", unique_id=r"-31046$"),
    ),
)

"""Home Assistant's own `nibe_heatpump` integration (NIBE F-series over NibeGW/Modbus).

Its entities' unique ids are `f"{entry unique id}-{coil address}"` (nibe_heatpump/entity.py); the
addresses are the F1145/F1155/F1245/F1255 register table of the `nibe` library (nibe/data/
f1155_f1255.csv): 40004 BT1 outdoor, 40008 BT2 supply S1, 40012 EB100-EP14-BT3 return,
43136 compressor frequency (actual, Hz), 43141 "compr. in power" (W, inverter to compressor).

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

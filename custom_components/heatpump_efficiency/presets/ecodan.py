"""ESPHome Ecodan (Mitsubishi air-to-water units, gekkekoe/esphome-ecodan-hp) through core `esphome`.

ESPHome entities get the unique id `<mac>-<type>-<object id>`, the object id being the entity name
in snake case; the names come from the project's confs/ecodan-labels-en.yaml (English labels):
"Outside Temp", "Feed Temp", "Return Temp", "Flow Rate" (L/min), "Compressor Frequency", "Defrost",
"Compressor", "Booster Heater" and "Reported Total Daily Energy Consumption" (kWh since midnight,
from the controller). Flow rate x (feed - return) gives the heat; the firmware's own estimated
output is not used (it is a model, not a measurement).
"""

from __future__ import annotations

from .model import EntityRule, Preset


def _esphome(kind: str, object_id: str) -> str:
    return rf"-{kind}-{object_id}$"


ECODAN = Preset(
    key="ecodan",
    platform="esphome",
    title="ESPHome Ecodan",
    rules=(
        EntityRule(
            field="electrical_energy",
            unique_id=_esphome("sensor", "reported_total_daily_energy_consumption"),
        ),
        EntityRule(
            field="outdoor_temperature", unique_id=_esphome("sensor", "outside_temp")
        ),
        EntityRule(field="flow_temperature", unique_id=_esphome("sensor", "feed_temp")),
        EntityRule(
            field="return_temperature", unique_id=_esphome("sensor", "return_temp")
        ),
        EntityRule(field="flow_rate", unique_id=_esphome("sensor", "flow_rate")),
        EntityRule(
            field="compressor_frequency",
            unique_id=_esphome("sensor", "compressor_frequency"),
        ),
        EntityRule(
            field="defrost",
            domain="binary_sensor",
            unique_id=_esphome("binary_sensor", "defrost"),
        ),
        EntityRule(
            field="compressor_running",
            domain="binary_sensor",
            unique_id=_esphome("binary_sensor", "compressor"),
        ),
        EntityRule(
            field="backup_heater",
            domain="binary_sensor",
            unique_id=_esphome("binary_sensor", "booster_heater"),
        ),
    ),
    min_matches=3,  # an ESPHome device: ask for more than a temperature or two
)

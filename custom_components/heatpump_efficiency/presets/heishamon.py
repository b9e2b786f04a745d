"""kamaradclimber's HeishaMon integration (Panasonic Aquarea over MQTT; its domain is `aquarea`).

From custom_components/aquarea: sensors have the unique id `f"{entry_id}-{heishamon_topic_id}"`
(definitions.py: TOP5 inlet, TOP6 outlet, TOP8 compressor frequency, TOP14 outdoor), and sensor.py
adds two sums, `f"{entry_id}-heishamon_w_consumption"` (heat + hot water + cooling electrical input,
W) and `f"{entry_id}-heishamon_w_production"` (the same for heat output, W). These are the unit's
own 200 W-step figures. Its defrost state is a switch (SET12), which is not offered as a defrost
source; its water flow (TOP1) has no device class and is therefore not accepted as a flow rate.
"""

from __future__ import annotations

from .model import EntityRule, Preset

HEISHAMON = Preset(
    key="heishamon",
    platform="aquarea",
    title="HeishaMon",
    rules=(
        EntityRule(field="electrical_power", unique_id=r"-heishamon_w_consumption$"),
        EntityRule(field="thermal_power", unique_id=r"-heishamon_w_production$"),
        EntityRule(field="flow_temperature", unique_id=r"-TOP6$"),
        EntityRule(field="return_temperature", unique_id=r"-TOP5$"),
        EntityRule(field="outdoor_temperature", unique_id=r"-TOP14$"),
        EntityRule(field="compressor_frequency", unique_id=r"-TOP8$"),
    ),
)

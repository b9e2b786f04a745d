"""Home Assistant's own `daikin` integration (BRP069/BRP072 wifi adapters, mostly air-to-air units).

Unique ids come from homeassistant/components/daikin: sensors are `f"{mac}-{description.key}"` with the
keys of daikin/const.py (`total_power`, `energy_today`, `outside_temperature`, `compressor_frequency`),
and the main climate entity's unique id is the adapter's MAC alone (zone climates add `-zone<n>-...`).
`total_power` is the adapter's estimate of the unit's electrical input (kW); `energy_today` its
electricity since midnight (it restarts every day: the engine reads that as a counter reset). The
adapter reports no heat, so no COP is ever derived for these units.
"""

from __future__ import annotations

from .model import EntityRule, Preset

DAIKIN = Preset(
    key="daikin",
    platform="daikin",
    title="Daikin",
    rules=(
        EntityRule(field="electrical_power", unique_id=r"-total_power$"),
        EntityRule(field="electrical_energy", unique_id=r"-energy_today$"),
        EntityRule(field="outdoor_temperature", unique_id=r"-outside_temperature$"),
        EntityRule(field="compressor_frequency", unique_id=r"-compressor_frequency$"),
        # The unit itself: a unique id without any "-suffix" (zone thermostats have one).
        EntityRule(field="climate", domain="climate", unique_id=r"^[^-]+$"),
    ),
)

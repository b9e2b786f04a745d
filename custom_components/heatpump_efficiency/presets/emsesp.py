"""EMS-ESP (Bosch, Buderus, Nefit heat pumps) through its MQTT discovery.

EMS-ESP names each entity `<device>_<short name>` (its docs/dump_entities.csv, column "discovery
entityid"; older firmware used the long name, column "discovery entityid v3.4") and puts its base
name in front in the unique id, so both forms are matched as suffixes. Short names of the boiler
(heat pump) device, from the same table and the `/api/boiler` captures: `hpcurrpower` compressor
current power (W), `metertotal` electricity meter total (kWh; `nrgconstotal`, total energy
consumption, where there is no meter), `nrgsupptotal` total energy supplied (heat, kWh),
`curflowtemp`/`rettemp` flow and return, `outdoortemp`, `hpcompon` compressor on,
`hpactivity` compressor activity (a text sensor whose state names what the compressor does).

Heat pumps EMS-ESP lists as a `heatpump` device rather than a `boiler` (the HP module of hybrid
systems, the HM200, the CSH5800iG) carry the same short names for their meters, flow and return
(dump_entities.csv, device type "heatpump"), so those devices are matched as well.

Heat: `nrgtotal` (total energy, 0.01 kWh steps) comes first where the unit has it; it sits next to
`metertotal` (0.01 kWh) on the models with an electricity meter and reads what `nrgsupptotal` (whole
kWh) reads, so a day's COP is not a ratio of whole-kWh steps.

Compressor activity is published in the language set in EMS-ESP (its locale_translations.h: the
word `defrost` in each language it ships), or as the option's index when EMS-ESP sends enums as
numbers; defrost is option 6 in every version that has it (off/none, heating, cooling, hot water,
pool, pool heating/unknown, defrost ...).
"""

from __future__ import annotations

from .model import EntityRule, Preset

# EMS-ESP's word for defrost in en, de, nl, sv, pl (an older and a newer word), no, fr, tr, it, sk, cz.
DEFROST_WORDS = (
    "defrost",
    "Abtauen",
    "ontdooien",
    "avfrostning",
    "rozmrażać",
    "odladzanie",
    "tine",
    "dégivrage",
    "buz çözücü",
    "scongelamento",
    "odmrazenie",
    "odmrazování",
)
DEFROST_INDEX = "6"  # the enum's option index, when EMS-ESP publishes enums as numbers


def _boiler(short: str, long: str) -> str:
    """Return the unique-id pattern of a boiler (or heatpump device) entity in either naming of EMS-ESP."""
    return rf"(^|_)(boiler|heatpump)_({short}|{long})$"


EMSESP = Preset(
    key="emsesp",
    platform="mqtt",
    title="EMS-ESP",
    rules=(
        EntityRule(
            field="electrical_power",
            unique_id=_boiler("hpcurrpower", "compressor_current_power"),
        ),
        EntityRule(
            field="electrical_energy", unique_id=_boiler("metertotal", "meter_total")
        ),
        # Models without the electricity meter count their consumption here.
        EntityRule(
            field="electrical_energy",
            unique_id=_boiler("nrgconstotal", "total_energy_consumption"),
        ),
        EntityRule(
            field="thermal_energy", unique_id=_boiler("nrgtotal", "total_energy")
        ),
        EntityRule(
            field="thermal_energy",
            unique_id=_boiler("nrgsupptotal", "total_energy_supplied"),
        ),
        EntityRule(
            field="flow_temperature",
            unique_id=_boiler("curflowtemp", "current_flow_temperature"),
        ),
        EntityRule(
            field="return_temperature",
            unique_id=_boiler("rettemp", "return_temperature"),
        ),
        EntityRule(
            field="outdoor_temperature",
            unique_id=_boiler("outdoortemp", "outside_temperature"),
        ),
        EntityRule(
            field="compressor_running",
            domain="binary_sensor",
            unique_id=_boiler("hpcompon", "hp_compressor"),
        ),
        EntityRule(
            field="defrost", unique_id=_boiler("hpactivity", "compressor_activity")
        ),
    ),
    defrost_states=(*DEFROST_WORDS, DEFROST_INDEX),
)

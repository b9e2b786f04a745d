"""ebusd (Vaillant aroTHERM and other eBUS heat pumps) through its MQTT discovery.

ebusd's contrib/etc/ebusd/mqtt-hassio.cfg builds each unique id as `%{TOPIC}_%FIELD`: the normalised
topic `<prefix>_<circuit>_<message>` plus the field name, so the user's prefix is skipped by matching
suffixes (case-insensitively; the field part is optional for single-value messages). Messages from
the heat pump's circuit (ebusd-configuration, as in the `ebusctl find` captures): CurrentConsumedPower
(electrical input, kW) and CurrentYieldPower (heat output, kW); the outdoor temperature is the
broadcast message Outsidetemp (field temp2), filed under ebusd's broadcast device. The circuit is
`hmu` for an HMU00 and `hmux0` for an HMUX0 (aroTHERM units whose HMU identifies so), so both
circuit names are matched.

Home Assistant's own `ebusd` integration (YAML only) registers no unique ids and no device, and
for heat pumps (circuit "ehp") it offers only hot-water and outdoor temperatures: there is nothing
to pick a device by, so its outdoor temperature is mapped by hand.
"""

from __future__ import annotations

from .model import EntityRule, Preset

HMU = r"_hmu(x\d)?"  # the circuit: hmu (HMU00) or hmux0 (HMUX0)

EBUSD = Preset(
    key="ebusd",
    platform="mqtt",
    title="ebusd",
    rules=(
        EntityRule(
            field="electrical_power",
            unique_id=rf"{HMU}_currentconsumedpower(_value)?$",
        ),
        EntityRule(
            field="thermal_power", unique_id=rf"{HMU}_currentyieldpower(_value)?$"
        ),
        EntityRule(
            field="outdoor_temperature",
            unique_id=r"_broadcast_outsidetemp(_temp2)?$",
            anywhere=True,
        ),
    ),
)

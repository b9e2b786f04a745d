"""ebusd through MQTT discovery on an aroTHERM whose HMU is an HMUX0: its circuit is `hmux0`, not `hmu`.

The circuit name comes from a real `ebusctl find` of such a unit (`fixtures/ebusd/`); the discovery
messages are built as ebusd's mqtt-hassio.cfg builds them (unique id `%{TOPIC}_%FIELD`, kW power
fields with device class power). The power figures are set by the test (the capture's unit was not
asked for them); the outdoor temperature is the broadcast value of the HMU00 capture.
"""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import async_fire_mqtt_message
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.heatpump_efficiency.const import DOMAIN
from custom_components.heatpump_efficiency.device_presets import device_offers, propose

from .conftest import state_of
from .test_preset_emsesp import add_from_device

CAPTURE = (
    Path(__file__).parent
    / "fixtures"
    / "ebusd"
    / "ebusd_find_hmux0_issue99_markbovee_EXCERPT.txt"
)


def captured_circuit() -> str:
    """Return the one circuit the HMUX0 capture's messages are filed under."""
    lines = CAPTURE.read_text(encoding="utf-8").splitlines()
    (circuit,) = {line.split()[0] for line in lines if line.strip()}
    return circuit


async def publish_ebusd(
    hass: HomeAssistant, circuit: str, consumed_kw: float, yield_kw: float
) -> None:
    """Publish ebusd's discovery for the heat pump circuit and the broadcast, then the values."""
    messages = (
        (circuit, "CurrentConsumedPower", "value", "kW", "power", consumed_kw),
        (circuit, "CurrentYieldPower", "value", "kW", "power", yield_kw),
        ("broadcast", "Outsidetemp", "temp2", "°C", "temperature", 28.598),
    )
    for owner, name, field, unit, device_class, _ in messages:
        config = {
            "unique_id": f"ebusd_{owner}_{name}_{field}",
            "name": f"ebusd {owner} {name} {field}",
            "device": {
                "identifiers": f"ebusd_{owner}",
                "manufacturer": "ebusd.eu",
                "name": f"ebusd {owner}",
                "via_device": "ebusd",
                "sw_version": "25.1",
                "suggested_area": "Heating",
            },
            "value_template": f'{{{{value_json["{field}"].value}}}}',
            "state_topic": f"ebusd/{owner}/{name}",
            "unit_of_measurement": unit,
            "state_class": "measurement",
            "device_class": device_class,
        }
        async_fire_mqtt_message(
            hass,
            f"homeassistant/sensor/ebusd_{owner}_{name}_{field}/config",
            json.dumps(config),
            retain=True,
        )
    await hass.async_block_till_done()
    for owner, name, field, _, _, value in messages:
        async_fire_mqtt_message(
            hass, f"ebusd/{owner}/{name}", json.dumps({field: {"value": value}})
        )
    await hass.async_block_till_done()


# Home Assistant's MQTT client keeps a housekeeping timer the plugin's mock may leave at teardown.
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_hmux0_circuit_is_offered_and_read_in_kw(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    """The HMUX0's device is offered; 1.15 kW consumed and 4.6 kW yield read as 1150 W and 4600 W."""
    circuit = captured_circuit()
    assert circuit == "hmux0"
    await publish_ebusd(hass, circuit, 1.15, 4.6)
    registry = er.async_get(hass)
    power = registry.async_get_entity_id(
        "sensor", "mqtt", f"ebusd_{circuit}_CurrentConsumedPower_value"
    )
    assert power is not None
    power_entry = registry.async_get(power)
    assert power_entry is not None and power_entry.device_id is not None
    assert [offer.device_id for offer in device_offers(hass)] == [power_entry.device_id]

    proposal = propose(hass, power_entry.device_id)
    assert proposal is not None and proposal.preset_key == "ebusd"
    assert proposal.mapping == {
        "electrical_power": power,
        "thermal_power": registry.async_get_entity_id(
            "sensor", "mqtt", f"ebusd_{circuit}_CurrentYieldPower_value"
        ),
        "outdoor_temperature": registry.async_get_entity_id(
            "sensor", "mqtt", "ebusd_broadcast_Outsidetemp_temp2"
        ),
    }
    entry = await add_from_device(hass, power_entry.device_id)
    reading = entry.runtime_data.coordinator.data.reading
    assert reading.elec_w is not None and reading.elec_w.value == 1150.0
    assert reading.heat_w is not None and reading.heat_w.value == 4600.0
    assert reading.outdoor_c == 28.598
    live_cop = registry.async_get_entity_id(
        "sensor", DOMAIN, f"{entry.unique_id}_cop_live"
    )
    assert live_cop is not None
    assert state_of(hass, live_cop).state == "4.0"

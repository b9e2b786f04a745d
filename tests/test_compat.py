"""The compatibility shims resolve to working objects on every supported Home Assistant."""

from __future__ import annotations

from homeassistant.data_entry_flow import FlowResultType

from custom_components.heatpump_efficiency.compat import (
    BinarySensorDeviceClass,
    RepairsFlowResult,
    vol,
)


def test_schema_library_validates() -> None:
    """`vol` builds and applies schemas the way config flows use it."""
    schema = vol.Schema({vol.Required("port", default=80): vol.All(vol.Coerce(int))})
    assert schema({}) == {"port": 80}
    assert schema({"port": "8080"}) == {"port": 8080}


def test_binary_sensor_device_class() -> None:
    """The enum is Home Assistant's own (values, not copies)."""
    assert BinarySensorDeviceClass.PROBLEM == "problem"
    assert BinarySensorDeviceClass.RUNNING == "running"


def test_repairs_flow_result_is_a_mapping_type() -> None:
    """The repair result type accepts what a repair flow returns."""
    result: RepairsFlowResult = {"type": FlowResultType.CREATE_ENTRY}  # type: ignore[typeddict-item,unused-ignore]
    assert result["type"] is FlowResultType.CREATE_ENTRY

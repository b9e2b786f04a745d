"""NIBE presets: F-series (NibeGW) and S-series (Modbus TCP) units of core nibe_heatpump, by coil address."""

from __future__ import annotations

from custom_components.heatpump_efficiency.presets import (
    PRESETS,
    EntityIdentity,
    best_match,
)
from custom_components.heatpump_efficiency.presets.nibe import NIBE, NIBE_S

ENTRY = "01J9ZQ4K2C7V8X"  # core nibe_heatpump's config entry unique id prefixes every coil's


def _coil(address: int, entity_id: str, domain: str = "sensor") -> EntityIdentity:
    """An entity as core nibe_heatpump registers it: unique id `<entry>-<coil address>`."""
    return EntityIdentity(
        entity_id=f"{domain}.{entity_id}",
        domain=domain,
        platform="nibe_heatpump",
        unique_id=f"{ENTRY}-{address}",
        device_id="nibe",
    )


# Addresses and names as in the nibe library's f1155_f1255 table.
F_SERIES = [
    _coil(40004, "bt1_outdoor_temperature_40004"),
    _coil(40008, "bt2_supply_temp_s1_40008"),
    _coil(40012, "eb100_ep14_bt3_return_temp_40012"),
    _coil(43136, "compressor_frequency_actual_43136"),
    _coil(43141, "compr_in_power_43141"),
    _coil(43437, "heating_medium_pump_speed_gp1_43437"),
    _coil(47011, "heat_offset_s1_47011", "number"),
]
# Addresses as in the library's s1155_s1255 table (input register N is 30000 + N); 40008 stands for a
# holding register of the S-series that must not be read as the F-series' supply temperature.
S_SERIES = [
    _coil(30001, "current_outdoor_temperature_bt1_30001"),
    _coil(30005, "supply_line_bt2_30005"),
    _coil(30007, "return_line_bt3_30007"),
    _coil(30037, "average_temperature_bt1_30037"),
    _coil(31046, "compressor_frequency_current_31046"),
    _coil(31048, "compressor_power_input_31048"),
    _coil(31065, "compressor_frequency_31065"),
    _coil(40008, "holding_register_40008"),
]


def test_f_series_maps_its_coils() -> None:
    """An F1255 maps power, temperatures and frequency by address; the S-series preset finds nothing."""
    match = best_match(PRESETS, F_SERIES)
    assert match is not None and match.preset is NIBE
    assert dict(match.mapping) == {
        "electrical_power": "sensor.compr_in_power_43141",
        "outdoor_temperature": "sensor.bt1_outdoor_temperature_40004",
        "flow_temperature": "sensor.bt2_supply_temp_s1_40008",
        "return_temperature": "sensor.eb100_ep14_bt3_return_temp_40012",
        "compressor_frequency": "sensor.compressor_frequency_actual_43136",
    }
    assert match.missing == ()


def test_s_series_maps_its_registers_and_not_f_addresses() -> None:
    """An S1255 maps the current (not requested, not averaged) figures; a 40008 there is no supply line."""
    match = best_match(PRESETS, S_SERIES)
    assert match is not None and match.preset is NIBE_S
    assert dict(match.mapping) == {
        "electrical_power": "sensor.compressor_power_input_31048",
        "outdoor_temperature": "sensor.current_outdoor_temperature_bt1_30001",
        "flow_temperature": "sensor.supply_line_bt2_30005",
        "return_temperature": "sensor.return_line_bt3_30007",
        "compressor_frequency": "sensor.compressor_frequency_current_31046",
    }
    assert "sensor.holding_register_40008" not in match.mapping.values()


def test_s_series_model_without_some_registers_says_what_is_missing() -> None:
    """A model whose table lacks the compressor registers still maps its temperatures, and says so."""
    partial = [e for e in S_SERIES if not e.unique_id.endswith(("-31046", "-31048"))]
    match = best_match(PRESETS, partial)
    assert match is not None and match.preset is NIBE_S
    assert set(match.missing) == {"electrical_power", "compressor_frequency"}
    assert match.mapping["flow_temperature"] == "sensor.supply_line_bt2_30005"

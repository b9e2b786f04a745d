"""Small shims for the oldest supported Home Assistant (2025.4); remove each when the minimum moves past it."""

from __future__ import annotations

# Home Assistant 2026 builds flow schemas with probatio, voluptuous' successor with the same names;
# 2025.x has only voluptuous.
try:
    import probatio as vol  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - exercised by `scripts/test --min`
    import voluptuous as vol  # type: ignore[no-redef,unused-ignore]


# Home Assistant 2026 moved the enum to binary_sensor.const without re-exporting it for type checkers.
try:
    from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - exercised by `scripts/test --min`
    from homeassistant.components.binary_sensor import BinarySensorDeviceClass  # type: ignore[attr-defined,no-redef,unused-ignore]

# Home Assistant 2026 types repair flow results; 2025.4 uses the generic flow result.
try:
    from homeassistant.components.repairs import RepairsFlowResult  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - exercised by `scripts/test --min`
    from homeassistant.data_entry_flow import FlowResult as RepairsFlowResult  # type: ignore[assignment,unused-ignore]

__all__ = ["BinarySensorDeviceClass", "RepairsFlowResult", "vol"]

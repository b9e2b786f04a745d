"""Small shims for the oldest supported Home Assistant (2025.4); remove each when the minimum moves past it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers import device as _device_helper
from homeassistant.helpers.storage import Store

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


# Home Assistant 2026 lets any device belong to one config entry only: a helper's entities join another
# integration's device through `entity.device_entry`. 2025.4 only links through a device info carrying just
# that device's identifiers and connections (which adds the helper's entry to the device).
LINK_WITH_DEVICE_ENTRY = hasattr(_device_helper, "async_entity_id_to_device")

# Home Assistant 2026 has child devices: registry lookups return either kind.
try:
    from homeassistant.helpers.device_registry import AnyDeviceEntry  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - exercised by `scripts/test --min`
    from homeassistant.helpers.device_registry import DeviceEntry as AnyDeviceEntry  # type: ignore[assignment,unused-ignore]

# Home Assistant 2026 refuses a newer major storage version before the store's migration sees it,
# unless the store declares a higher `max_readable_version`; 2025.4 hands every version to the migration.
STORE_HAS_MAX_READABLE_VERSION = "max_readable_version" in (
    Store.__init__.__kwdefaults__ or {}
)


class ReloadingOptionsFlow(OptionsFlow):
    """An options flow that stores changed options and schedules one reload (Home Assistant 2025.4)."""

    def async_create_entry(
        self,
        *,
        title: str | None = None,
        data: Mapping[str, Any],
        description: str | None = None,
        description_placeholders: Mapping[str, str] | None = None,
    ) -> ConfigFlowResult:
        """Store the options now and schedule one reload if they changed."""
        if self.hass.config_entries.async_update_entry(self.config_entry, options=data):
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
        return super().async_create_entry(
            title=title,
            data=data,
            description=description,
            description_placeholders=description_placeholders,
        )


# Home Assistant 2025.8 reloads the entry when an OptionsFlowWithReload changes the options; 2025.4 leaves
# that to an update listener, which Home Assistant 2026.12 no longer accepts next to reloading flows.
if TYPE_CHECKING:
    # One static type on both versions (2025.4's stubs would make the class Any for mypy).
    OptionsFlowWithReload = ReloadingOptionsFlow
else:
    try:
        from homeassistant.config_entries import OptionsFlowWithReload
    except ImportError:  # pragma: no cover - exercised by `scripts/test --min`
        OptionsFlowWithReload = ReloadingOptionsFlow


__all__ = [
    "LINK_WITH_DEVICE_ENTRY",
    "STORE_HAS_MAX_READABLE_VERSION",
    "AnyDeviceEntry",
    "BinarySensorDeviceClass",
    "OptionsFlowWithReload",
    "ReloadingOptionsFlow",
    "RepairsFlowResult",
    "vol",
]

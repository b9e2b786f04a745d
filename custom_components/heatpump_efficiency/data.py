"""Typed runtime data kept on the config entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .control import UnitControl
    from .coordinator import HeatpumpCoordinator


@dataclass(slots=True)
class HeatpumpEfficiencyData:
    """What a loaded entry holds while it runs."""

    coordinator: HeatpumpCoordinator
    # The unit's writable settings; None where readings come from existing entities.
    control: UnitControl | None = None


type HeatpumpEfficiencyConfigEntry = ConfigEntry[HeatpumpEfficiencyData]

"""Typed runtime data kept on the config entry."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry


@dataclass(slots=True)
class HeatpumpEfficiencyData:
    """What a loaded entry holds while it runs."""

    unit_type: str
    host: str
    port: int


type HeatpumpEfficiencyConfigEntry = ConfigEntry[HeatpumpEfficiencyData]

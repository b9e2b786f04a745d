"""Vendor-neutral hydraulics: heat carried by the water from flow rate and temperature difference."""

from __future__ import annotations

from .model import Origin, Quantity

# Water near 30 °C: 4.18 kJ/(kg·K) x 0.996 kg/l / 60 s = 69.7 W per (l/min · K).
WATER_W_PER_LPM_K = 69.7


def compute_thermal_power(
    flow_lpm: float, outlet_c: float, inlet_c: float, *, step_k: float | None = None
) -> Quantity:
    """Return flow x (outlet - inlet) x 69.7 W, negative when the water loses heat (defrost, cooling).

    `step_k` is the temperature sensors' resolution; the result's resolution is what one step of the
    difference is worth at this flow (None when the resolution is unknown).
    """
    return Quantity(
        value=flow_lpm * (outlet_c - inlet_c) * WATER_W_PER_LPM_K,
        origin=Origin.COMPUTED,
        resolution=None if step_k is None else flow_lpm * step_k * WATER_W_PER_LPM_K,
    )

"""The building: a 2R2C lumped model with a room node and a water/emitter node."""

from __future__ import annotations

from dataclasses import dataclass

WATER_CP = 4186.0  # J/(kg K)


@dataclass(frozen=True, slots=True, kw_only=True)
class HouseParams:
    """Heat-loss coefficient, capacities, emitter size and free gains of one house."""

    ua_w_per_k: float
    room_capacity_j_per_k: float
    water_capacity_j_per_k: float
    emitter_w_per_k: float
    internal_gain_w: float = 350.0
    room_c: float = 20.5
    water_c: float = 30.0


@dataclass(frozen=True, slots=True)
class HouseFlows:
    """Heat flows of one step (W): emitter to room, loss to outdoors, free gains."""

    emitter_w: float
    loss_w: float
    gain_w: float


class House:
    """Room and water temperatures; heat added to the water reaches the room through the emitters."""

    def __init__(self, params: HouseParams) -> None:
        """Start at the parameters' initial temperatures."""
        self.params = params
        self.room_c = params.room_c
        self.water_c = params.water_c

    def emitter_w(self) -> float:
        """Heat the emitters give the room right now (W)."""
        return self.params.emitter_w_per_k * (self.water_c - self.room_c)

    def stored_j(self) -> float:
        """Thermal energy stored relative to 0 °C (J), for energy-balance checks."""
        p = self.params
        return (
            p.room_capacity_j_per_k * self.room_c
            + p.water_capacity_j_per_k * self.water_c
        )

    def step(self, dt: float, heat_to_water_w: float, outdoor_c: float) -> HouseFlows:
        """Advance dt seconds with explicit Euler; energy is conserved exactly step by step."""
        p = self.params
        emitter = self.emitter_w()
        loss = p.ua_w_per_k * (self.room_c - outdoor_c)
        gain = p.internal_gain_w
        self.water_c += (heat_to_water_w - emitter) * dt / p.water_capacity_j_per_k
        self.room_c += (emitter + gain - loss) * dt / p.room_capacity_j_per_k
        return HouseFlows(emitter, loss, gain)

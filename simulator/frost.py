"""Frost on the outdoor coil: growth from air humidity and coil temperature, and reverse-cycle defrost."""

from __future__ import annotations

from dataclasses import dataclass
import math

ATMOSPHERE_PA = 101_325.0
# Normalised frost growth: at +1 °C / 90 % RH and mid load a clean coil reaches the defrost threshold
# (frost = 1.0) after roughly an hour of compressor running, as in published field data.
FROST_RATE = 0.26
FROST_LATENT_J = (
    500_000.0  # heat to melt a full frost load of a 9 kW unit (about 1.5 kg of ice)
)
COIL_CAPACITY_J_PER_K = 25_000.0  # coil metal and refrigerant of a 9 kW unit
DEFROST_AIR_LOSS_W_PER_K = 100.0
DEFROST_MIN_S = 120.0
DEFROST_MAX_S = 600.0
DEFROST_END_COIL_C = 8.0
DEFROST_MAX_OUTDOOR_C = (
    7.0  # the unit's logic never defrosts above this outdoor temperature
)


def saturation_pa(temp_c: float) -> float:
    """Saturation vapour pressure over water (Magnus formula, Pa)."""
    return 610.94 * math.exp(17.625 * temp_c / (temp_c + 243.04))


def saturation_ice_pa(temp_c: float) -> float:
    """Saturation vapour pressure over ice (Magnus formula, Pa)."""
    return 611.15 * math.exp(22.452 * temp_c / (272.55 + temp_c))


def humidity_ratio(vapour_pa: float) -> float:
    """Water vapour per kg of dry air (kg/kg) at a vapour partial pressure."""
    return 0.622 * vapour_pa / (ATMOSPHERE_PA - vapour_pa)


def coil_temperature(
    outdoor_c: float, load_fraction: float, fouling: float, frost: float
) -> float:
    """Evaporator surface temperature: colder with more load, a dirtier coil and more frost."""
    return outdoor_c - (
        3.0 + 5.0 * load_fraction + 8.0 * fouling + 3.0 * min(frost, 1.5)
    )


def frost_growth_per_s(
    outdoor_c: float, rh: float, coil_c: float, fouling: float
) -> float:
    """Normalised frost growth rate (threshold = 1.0) for a running compressor.

    Vapour deposits when the coil is below freezing and below the air's frost point; close to 0 °C most of
    it drains as water, so the deposited fraction fades to nothing as the coil approaches 0 °C.
    """
    if coil_c >= 0.0:
        return 0.0
    vapour = rh / 100.0 * saturation_pa(outdoor_c)
    excess = humidity_ratio(vapour) - humidity_ratio(saturation_ice_pa(coil_c))
    if excess <= 0.0:
        return 0.0
    deposited = min(-coil_c / 3.0, 1.0)
    # Dirt gives ice more places to start and the weaker airflow is compensated by a colder coil.
    return FROST_RATE * excess * deposited * (1.0 + fouling)


@dataclass(slots=True)
class Defrost:
    """One reverse-cycle defrost in progress: the energy it needs and has received so far."""

    needed_j: float
    done_j: float = 0.0
    elapsed_s: float = 0.0

    def step(
        self,
        dt: float,
        *,
        compressor_w: float,
        drawn_w: float,
        outdoor_c: float,
        scale: float,
        frost_start: float,
    ) -> tuple[float, float]:
        """Advance by dt with the compressor's and the drawn-back heat; return (frost left, coil °C).

        The cold outdoor air takes some of the heat; at least a fifth of the drawn-back heat melts ice.
        """
        air_loss = DEFROST_AIR_LOSS_W_PER_K * scale * max(5.0 - outdoor_c, 0.0)
        self.elapsed_s += dt
        self.done_j += max(compressor_w + drawn_w - air_loss, 0.2 * drawn_w) * dt
        frost = frost_start * max(1.0 - self.done_j / self.needed_j, 0.0)
        coil_c = min(outdoor_c + 15.0 * self.elapsed_s / 180.0, 12.0)
        return frost, coil_c

    def finished(self) -> bool:
        """A defrost ends once the ice is melted and the coil warm, within the unit's time limits."""
        if self.elapsed_s >= DEFROST_MAX_S:
            return True
        return self.elapsed_s >= DEFROST_MIN_S and self.done_j >= self.needed_j


def defrost_energy_j(frost: float, coil_c: float, scale: float) -> float:
    """Heat a defrost needs: melt the ice and warm the coil to its end temperature."""
    return scale * (
        FROST_LATENT_J * frost + COIL_CAPACITY_J_PER_K * (DEFROST_END_COIL_C - coil_c)
    )

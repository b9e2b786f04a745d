"""Lifetime energy meters for total_increasing sensors: every figure finite and never decreasing."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

from .results import EnergyMeters


@dataclass(slots=True)
class Meters:
    """Monotone lifetime kWh per mode; heat dips (defrost) are held as debt until heat repays them."""

    elec_kwh: float = 0.0
    space_elec_kwh: float = 0.0
    dhw_elec_kwh: float = 0.0
    cooling_elec_kwh: float = 0.0
    backup_kwh: float = 0.0
    heat_kwh: float = 0.0
    space_heat_kwh: float = 0.0
    dhw_heat_kwh: float = 0.0
    cooling_kwh: float = 0.0
    # Net heat taken back (defrost) and not yet put back, per heat meter.
    heat_debt: float = 0.0
    space_heat_debt: float = 0.0
    dhw_heat_debt: float = 0.0

    NAMES: ClassVar[tuple[str, ...]] = ()

    def add_elec(self, category: int, kwh: float) -> None:
        """Count electricity (>= 0) used in a mode category (SPACE, DHW or COOL)."""
        if kwh <= 0:
            return
        self.elec_kwh += kwh
        if category == COOL:
            self.cooling_elec_kwh += kwh
        elif category == DHW:
            self.dhw_elec_kwh += kwh
        else:
            self.space_elec_kwh += kwh

    def add_heat(self, category: int, kwh: float) -> None:
        """Count net heating heat (may be negative in a defrost) or, for COOL, heat removed (>= 0)."""
        if category == COOL:
            if kwh > 0:
                self.cooling_kwh += kwh
            return
        self.heat_kwh, self.heat_debt = _monotone(self.heat_kwh, self.heat_debt, kwh)
        if category == DHW:
            self.dhw_heat_kwh, self.dhw_heat_debt = _monotone(
                self.dhw_heat_kwh, self.dhw_heat_debt, kwh
            )
        else:
            self.space_heat_kwh, self.space_heat_debt = _monotone(
                self.space_heat_kwh, self.space_heat_debt, kwh
            )

    def add_backup(self, kwh: float) -> None:
        """Count backup heater electricity (already counted in elec_kwh)."""
        if kwh > 0:
            self.backup_kwh += kwh

    def view(self) -> EnergyMeters:
        """Return the frozen figures."""
        return EnergyMeters(
            elec_kwh=self.elec_kwh,
            space_elec_kwh=self.space_elec_kwh,
            dhw_elec_kwh=self.dhw_elec_kwh,
            cooling_elec_kwh=self.cooling_elec_kwh,
            backup_kwh=self.backup_kwh,
            heat_kwh=self.heat_kwh,
            space_heat_kwh=self.space_heat_kwh,
            dhw_heat_kwh=self.dhw_heat_kwh,
            cooling_kwh=self.cooling_kwh,
        )

    def to_list(self) -> list[float]:
        """Serialise compactly in field order."""
        return [getattr(self, name) for name in Meters.NAMES]

    @classmethod
    def from_list(cls, values: list[float]) -> Meters:
        """Restore from `to_list` (values validated by the caller)."""
        if len(values) != len(cls.NAMES):
            raise ValueError(f"meters need {len(cls.NAMES)} values, got {len(values)}")
        return cls(*(float(v) for v in values))


# Mode categories of a half-interval.
SPACE = 0
DHW = 1
COOL = 2


def _monotone(value: float, debt: float, delta: float) -> tuple[float, float]:
    """Add a signed delta to a never-decreasing meter: decreases become debt that later gains repay."""
    if delta < 0:
        return value, debt - delta
    if delta <= debt:
        return value, debt - delta
    # Add only the non-negative remainder, so rounding can never step the meter back.
    return value + (delta - debt), 0.0


Meters.NAMES = tuple(f.name for f in fields(Meters))

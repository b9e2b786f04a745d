"""Additive totals for one period (an hour, a day, a season): energy sums, times and event counts."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar


@dataclass(slots=True)
class Totals:
    """Mutable sums for a period; every field adds up across periods except the `_max` ones."""

    # All electricity incl. backup, over intervals with both powers known.
    elec_kwh: float = 0.0
    heat_kwh: float = 0.0  # heat as measured, net (negative defrost heat included)
    backup_kwh: float = 0.0  # backup heater electricity (part of elec_kwh)
    # The same three while the compressor counts as running.
    running_elec_kwh: float = 0.0
    running_heat_kwh: float = 0.0
    running_backup_kwh: float = 0.0
    # Positive heat only: the base of the defrost-loss share.
    heat_gross_kwh: float = 0.0
    # Heat taken back from the water during defrosts (positive number).
    defrost_lost_kwh: float = 0.0
    data_s: float = 0.0  # time covered by usable readings
    gap_s: float = 0.0  # time between readings further apart than the gap limit
    running_s: float = 0.0  # compressor running time
    backup_s: float = 0.0  # backup heater on time
    defrost_s: float = 0.0  # time in defrost
    outdoor_cs: float = 0.0  # outdoor temperature x seconds, for a time-weighted mean
    outdoor_s: float = 0.0
    starts: float = 0.0  # compressor starts
    defrosts: float = 0.0  # defrosts started
    defrost_max_s: float = 0.0  # longest completed defrost
    # Added in state version 2 (appended: older lists restore with zeros).
    # The hot water part of elec_kwh, heat_kwh and backup_kwh.
    dhw_elec_kwh: float = 0.0
    dhw_heat_kwh: float = 0.0
    dhw_backup_kwh: float = 0.0
    # Cooling over intervals with both sides known: electricity and heat removed (positive).
    cool_elec_kwh: float = 0.0
    cool_kwh: float = 0.0
    # Every counted kWh of electricity (all modes, with or without heat known).
    total_elec_kwh: float = 0.0
    unmatched_elec_kwh: float = 0.0  # counted while heat was unknown
    rejected: float = 0.0  # implausible samples dropped
    clock: float = (
        0.0  # readings from the future and re-anchors after the clock went back
    )

    NAMES: ClassVar[tuple[str, ...]] = ()
    SUM_NAMES: ClassVar[tuple[str, ...]] = ()
    MAX_NAMES: ClassVar[tuple[str, ...]] = ()

    def add(self, other: Totals, scale: float = 1.0) -> None:
        """Add another period's totals (summable fields scaled, maxima merged)."""
        # Spelt out rather than looped over fields: this runs about a dozen times per update.
        self.elec_kwh += other.elec_kwh * scale
        self.heat_kwh += other.heat_kwh * scale
        self.backup_kwh += other.backup_kwh * scale
        self.running_elec_kwh += other.running_elec_kwh * scale
        self.running_heat_kwh += other.running_heat_kwh * scale
        self.running_backup_kwh += other.running_backup_kwh * scale
        self.heat_gross_kwh += other.heat_gross_kwh * scale
        self.defrost_lost_kwh += other.defrost_lost_kwh * scale
        self.data_s += other.data_s * scale
        self.gap_s += other.gap_s * scale
        self.running_s += other.running_s * scale
        self.backup_s += other.backup_s * scale
        self.defrost_s += other.defrost_s * scale
        self.outdoor_cs += other.outdoor_cs * scale
        self.outdoor_s += other.outdoor_s * scale
        self.starts += other.starts * scale
        self.defrosts += other.defrosts * scale
        self.defrost_max_s = max(self.defrost_max_s, other.defrost_max_s)
        self.dhw_elec_kwh += other.dhw_elec_kwh * scale
        self.dhw_heat_kwh += other.dhw_heat_kwh * scale
        self.dhw_backup_kwh += other.dhw_backup_kwh * scale
        self.cool_elec_kwh += other.cool_elec_kwh * scale
        self.cool_kwh += other.cool_kwh * scale
        self.total_elec_kwh += other.total_elec_kwh * scale
        self.unmatched_elec_kwh += other.unmatched_elec_kwh * scale
        self.rejected += other.rejected * scale
        self.clock += other.clock * scale

    def copy(self) -> Totals:
        """Return an independent copy."""
        return Totals(*self.to_list())

    def to_list(self) -> list[float]:
        """Serialise compactly as a list in field order."""
        return [getattr(self, name) for name in Totals.NAMES]

    @classmethod
    def from_list(cls, values: list[float]) -> Totals:
        """Restore from `to_list`; shorter lists (older state versions) keep zero for new fields."""
        if len(values) > len(cls.NAMES):
            raise ValueError("too many values for Totals")
        return cls(*(float(v) for v in values))

    @staticmethod
    def summed(parts: list[Totals]) -> Totals:
        """Return the sum of several totals."""
        total = Totals()
        for part in parts:
            total.add(part)
        return total


Totals.NAMES = tuple(f.name for f in fields(Totals))
Totals.MAX_NAMES = tuple(name for name in Totals.NAMES if name.endswith("_max_s"))
Totals.SUM_NAMES = tuple(name for name in Totals.NAMES if name not in Totals.MAX_NAMES)

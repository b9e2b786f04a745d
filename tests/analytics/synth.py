"""Synthetic heat pump traces for the analytics tests: simple, exact and deterministic."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from custom_components.heatpump_efficiency.units.model import Origin, Quantity, Reading

START = datetime(2025, 1, 6, 0, 0, tzinfo=UTC)


@dataclass(frozen=True, kw_only=True)
class Spec:
    """A steady pattern: runs and pauses, defrosts every so many running minutes."""

    start: datetime = START
    hours: float = 24.0
    step_s: float = 60.0
    outdoor_c: float = 5.0
    outdoor_rh: float | None = 85.0
    run_min: float = 60.0
    off_min: float = 0.0
    elec_w: float = 1200.0
    cop: float = 3.5
    standby_w: float = 15.0
    defrost_every_min: float | None = None  # running minutes between defrosts
    defrost_min: float = 5.0
    defrost_heat_w: float = -2500.0
    defrost_flag: bool = True  # report the flag (True) or leave it unknown (False)
    backup_w: float = 0.0


def readings(spec: Spec) -> Iterator[Reading]:
    """Yield readings every step; the pattern is evaluated at each sample time."""
    steps = int(spec.hours * 3600 / spec.step_s)
    clock = 0.0  # running minutes since the last defrost ended
    defrost_left = 0.0
    cycle = spec.run_min + spec.off_min
    flow = 35.0
    for i in range(steps + 1):
        minute = i * spec.step_s / 60
        running = spec.off_min == 0 or (minute % cycle) < spec.run_min
        defrost = False
        if running and spec.defrost_every_min is not None:
            if defrost_left > 0:
                defrost = True
                defrost_left -= spec.step_s / 60
            elif clock >= spec.defrost_every_min:
                defrost = True
                defrost_left = spec.defrost_min - spec.step_s / 60
                clock = 0.0
            else:
                clock += spec.step_s / 60
        if defrost:
            elec, heat = spec.elec_w, spec.defrost_heat_w
            flow -= 1.0
        elif running:
            elec, heat = spec.elec_w, spec.elec_w * spec.cop
            flow = min(flow + 0.5, 35.0)
        else:
            elec, heat = spec.standby_w, 0.0
        elec += spec.backup_w
        heat += spec.backup_w
        yield Reading(
            time=spec.start + timedelta(seconds=i * spec.step_s),
            elec_w=Quantity(value=elec, origin=Origin.METERED),
            heat_w=Quantity(value=heat, origin=Origin.METERED),
            backup_w=Quantity(value=spec.backup_w, origin=Origin.METERED),
            flow_c=flow,
            return_c=flow
            - (5.0 if running and not defrost else -1.0 if defrost else 0.0),
            outdoor_c=spec.outdoor_c,
            outdoor_rh=spec.outdoor_rh,
            compressor_hz=40.0 if running else 0.0,
            defrost=defrost if spec.defrost_flag else None,
        )


def reading(
    minutes: float,
    elec: float | None = None,
    heat: float | None = None,
    *,
    start: datetime = START,
    **fields: object,
) -> Reading:
    """Build one reading `minutes` after the start with powers in W and any other fields."""
    return Reading(
        time=start + timedelta(minutes=minutes),
        elec_w=None if elec is None else Quantity(value=elec, origin=Origin.METERED),
        heat_w=None if heat is None else Quantity(value=heat, origin=Origin.METERED),
        **fields,  # type: ignore[arg-type]
    )


def at(minutes: float, start: datetime = START) -> datetime:
    """Return the time so many minutes after the start."""
    return start + timedelta(minutes=minutes)


__all__ = ["START", "UTC", "Spec", "at", "reading", "readings"]

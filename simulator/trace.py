"""Trace exporter: the true model values at a fixed step, as rows or CSV (`python -m simulator.trace`)."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
import csv
from dataclasses import dataclass
from datetime import datetime
import sys
from typing import TextIO

from .model import SERIES, Simulator
from .scenarios import SCENARIOS

HEADER = (
    "time",
    "elec_w",
    "heat_w",
    "flow_c",
    "return_c",
    "outdoor_c",
    "outdoor_rh",
    "defrost",
    "compressor_hz",
    "backup_w",
)


@dataclass(frozen=True, slots=True)
class TraceRow:
    """One sample: powers are means over the step ending at `time`, temperatures are values at `time`.

    `defrost` is True when the unit defrosted at any moment of the step. None means unknown (HeishaMon was
    rebooting, so nobody could have read the unit).
    """

    time: datetime
    elec_w: float | None
    heat_w: float | None
    flow_c: float | None
    return_c: float | None
    outdoor_c: float | None
    outdoor_rh: float | None
    defrost: bool | None
    compressor_hz: float | None
    backup_w: float | None

    def as_csv(self) -> list[str]:
        """The row's CSV cells (empty = unknown, defrost as 0/1)."""

        def num(value: float | None, digits: int) -> str:
            return "" if value is None else f"{value:.{digits}f}"

        return [
            self.time.isoformat(),
            num(self.elec_w, 1),
            num(self.heat_w, 1),
            num(self.flow_c, 2),
            num(self.return_c, 2),
            num(self.outdoor_c, 2),
            num(self.outdoor_rh, 1),
            "" if self.defrost is None else str(int(self.defrost)),
            num(self.compressor_hz, 1),
            num(self.backup_w, 1),
        ]


def trace(
    scenario: str,
    hours: float,
    *,
    step_s: float = 60.0,
    seed: int = 0,
    faults: Sequence[str] = (),
    model: str = "H",
) -> list[TraceRow]:
    """Run a scenario for `hours` and return one row per `step_s` of simulated time."""
    if step_s <= 0:
        raise ValueError("step must be positive")
    sim = Simulator(scenario, seed=seed, series=model)
    for fault in faults:
        sim.apply_fault(fault)
    rows: list[TraceRow] = []
    for _ in range(round(hours * 3600.0 / step_s)):
        elec, heat, defrost_heat = sim.elec_j, sim.heat_j, sim.defrost_heat_j
        backup, hz, defrost_s = sim.backup_j, sim.hz_s, sim.defrost_s
        sim.step(step_s)
        if sim.heishamon_phase() != "ok":
            rows.append(
                TraceRow(
                    sim.sim_time, None, None, None, None, None, None, None, None, None
                )
            )
            continue
        flow, ret = sim.flow_return_c()
        rows.append(
            TraceRow(
                time=sim.sim_time,
                elec_w=(sim.elec_j - elec) / step_s,
                heat_w=((sim.heat_j - heat) - (sim.defrost_heat_j - defrost_heat))
                / step_s,
                flow_c=flow,
                return_c=ret,
                outdoor_c=sim.outdoor_c,
                outdoor_rh=sim.outdoor_rh,
                defrost=sim.defrost_s > defrost_s,
                compressor_hz=(sim.hz_s - hz) / step_s,
                backup_w=(sim.backup_j - backup) / step_s,
            )
        )
    return rows


def write_csv(rows: Iterable[TraceRow], out: TextIO) -> None:
    """Write the header and the rows as CSV."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(row.as_csv() for row in rows)


def main(argv: list[str] | None = None) -> None:
    """Command line entry point: CSV to stdout."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator.trace", description="Export a simulated trace as CSV."
    )
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    parser.add_argument("--hours", type=float, required=True)
    parser.add_argument(
        "--step", type=float, default=60.0, help="seconds between rows (default 60)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", choices=SERIES, default="H")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        help="fault to inject at the start (repeatable)",
    )
    args = parser.parse_args(argv)
    write_csv(
        trace(
            args.scenario,
            args.hours,
            step_s=args.step,
            seed=args.seed,
            faults=args.fault,
            model=args.model,
        ),
        sys.stdout,
    )


if __name__ == "__main__":
    main()

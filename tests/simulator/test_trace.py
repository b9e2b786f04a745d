"""The trace exporter: rows in-process and CSV on the command line."""

from __future__ import annotations

import csv
from datetime import timedelta
import io

import pytest

from simulator.trace import HEADER, main, trace, write_csv


def test_rows_are_means_over_each_step() -> None:
    rows = trace("cold_humid", 3, step_s=60, seed=1)
    assert len(rows) == 180
    assert rows[1].time - rows[0].time == timedelta(seconds=60)
    assert rows[0].time.tzinfo is not None
    assert any(r.defrost for r in rows)
    assert all(r.elec_w is not None and r.elec_w > 0 for r in rows)
    defrosting = [r for r in rows if r.defrost]
    assert min(r.heat_w or 0 for r in defrosting) < 0


def test_csv_cli_header_and_faults(capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "--scenario",
            "warm_humid",
            "--hours",
            "0.75",
            "--step",
            "10",
            "--fault",
            "defrost_stuck",
            "--fault",
            "reboot",
        ]
    )
    out = capsys.readouterr().out
    lines = list(csv.reader(io.StringIO(out)))
    assert (
        ",".join(lines[0])
        == "time,elec_w,heat_w,flow_c,return_c,outdoor_c,outdoor_rh,defrost,compressor_hz,backup_w"
    )
    assert tuple(lines[0]) == HEADER
    assert len(lines) == 271
    assert lines[1][1:] == [""] * 9  # HeishaMon was rebooting: unknown
    assert {row[7] for row in lines[4:]} == {"0", "1"}


def test_write_csv_matches_rows() -> None:
    rows = trace("mild", 1, step_s=600)
    buf = io.StringIO()
    write_csv(rows, buf)
    lines = buf.getvalue().splitlines()
    assert lines[1] == ",".join(rows[0].as_csv())

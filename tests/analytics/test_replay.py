"""Tests of the replay CLI on a fixture CSV recorded from the simulator and on hand-made files."""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys
from typing import Any

import pytest

from custom_components.heatpump_efficiency.analytics.replay import main

ROOT = Path(__file__).parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "analytics" / "replay_small.csv"
REQUIRED = {
    "elec_kwh",
    "heat_kwh",
    "cop_combined",
    "cop_running",
    "backup_kwh",
    "defrost_count",
    "defrost_heat_lost_kwh",
    "defrost_heat_lost_pct",
    "defrost_max_minutes",
    "compressor_starts",
    "starts_per_hour",
    "median_run_minutes",
    "excessive_defrost",
    "short_cycling",
}


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main([*args, "--indent", "0"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_module_runs_as_a_script() -> None:
    module = "custom_components.heatpump_efficiency.analytics.replay"
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", module, str(FIXTURE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    summary = json.loads(done.stdout)
    assert set(summary) >= REQUIRED
    assert set(summary["excessive_defrost"]) >= {"active", "reason"}
    assert isinstance(summary["short_cycling"], bool)


def test_fixture_summary(capsys: pytest.CaptureFixture[str]) -> None:
    summary = run_main(capsys, str(FIXTURE))
    assert summary["readings"] == 180
    assert summary["cop_combined"] == pytest.approx(
        summary["heat_kwh"] / summary["elec_kwh"], abs=1e-3
    )
    assert summary["defrost_count"] >= 1
    assert summary["defrost_heat_lost_kwh"] > 0
    assert 0 < summary["defrost_max_minutes"] < 15
    assert summary["excessive_defrost"] == {
        "active": False,
        "reason": None,
        "detail": None,
        "first_at": None,
        "episodes": 0,
        "active_at_end": False,
    }
    assert summary["quality"] == []
    assert [day["date"] for day in summary["days"]] == ["2025-01-14"]
    assert summary["days"][0]["elec_kwh"] == pytest.approx(
        summary["elec_kwh"], abs=1e-3
    )
    assert summary["skipped_rows"] == []
    assert summary["options"] == {}


def test_flags_change_the_judgement(capsys: pytest.CaptureFixture[str]) -> None:
    summary = run_main(capsys, str(FIXTURE), "--starting-power", "2000")
    assert summary["options"] == {"starting_power_w": 2000.0}
    assert summary["running_elec_kwh"] < summary["elec_kwh"]
    with pytest.raises(SystemExit):
        main([str(FIXTURE), "--starting-power-w", "-5"])
    with pytest.raises(SystemExit):
        main([str(FIXTURE), "--tz", "Mars/Olympus"])


def test_help_lists_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "--defrost-loss-max-pct" in text
    assert "--starting-power-w" in text
    # The optional columns row_to_reading reads are named too.
    assert "heat_kwh,compressor_running" in text
    assert "room_c,flow_lpm,mode" in text


def test_hand_made_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        "time,elec_w,heat_w,flow_c,return_c,outdoor_c,outdoor_rh,defrost,compressor_hz,backup_w",
        "2025-01-05T23:00:00Z,1000,3000,35,30,2,90,0,40,",
        "2025-01-05T23:30:00Z,1000,3000,35,30,2,90,false,40,",
        "2025-01-06T00:00:00Z,1000,3000,35,30,2,90,,40,0",
        "2025-01-06T00:10:00Z,,,,,,,,,",
        "not a time,1,2,3,4,5,6,0,1,0",
        "2025-01-06T00:20:00Z,1000,3000,35,30,2,90,true,40,0",
        "2025-01-06T00:30:00Z,1000,3000,35,30,2,90,0,40,0",
    ]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run_main(capsys, str(path), "--tz", "Europe/Berlin")
    assert summary["skipped_rows"] == ["line 6: time='not a time' is not ISO 8601"]
    assert summary["readings"] == 6
    # 23:00 UTC is midnight in Berlin: all of it on 6 January
    assert [day["date"] for day in summary["days"]] == ["2025-01-06"]
    # half-hour steps are gaps, and so is either side of the row with unknown powers:
    # only 00:20-00:30 is integrated
    assert summary["elec_kwh"] == pytest.approx(1 / 6, abs=1e-4)
    assert summary["gap_hours"] == pytest.approx(80 / 60, abs=1e-4)
    assert "gaps" in summary["quality"]
    assert summary["defrost_count"] == 1
    # without --tz the zone is the first time's offset (UTC): two days
    summary = run_main(capsys, str(path))
    assert [day["date"] for day in summary["days"]] == ["2025-01-05", "2025-01-06"]

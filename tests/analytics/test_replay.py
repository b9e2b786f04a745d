"""Tests of the replay CLI on a fixture CSV recorded from the simulator and on hand-made files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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


def test_hostile_cells_modes_and_counter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = "time,elec_w,heat_w,flow_c,return_c,outdoor_c,outdoor_rh,defrost,compressor_hz,backup_w,elec_kwh,mode"
    rows = []
    counter = 500.0
    for minute in range(241):
        mode = "heat" if minute < 60 else "dhw" if minute < 120 else "cool"
        heat = {"heat": 3500, "dhw": 2500, "cool": -3000}[mode]
        elec = "1000"
        if minute == 30:
            elec = "1e9"  # one absurd sample: rejected
        if minute == 31:
            elec = "inf"
        if minute == 32:
            elec = "nan"
        if minute == 100:
            counter = 50.0  # a replaced meter: counting goes on from the new value
        else:
            counter += 1 / 60 if minute else 0.0
        if 150 < minute < 200:
            continue  # 50 min without rows: the counter bridges the gap
        rows.append(
            f"2025-01-06T00:00:00Z,{elec},{heat},35,30,2,80,0,40,,{counter:.6f},{mode}".replace(
                "2025-01-06T00:00:00Z",
                f"2025-01-06T{minute // 60:02d}:{minute % 60:02d}:00Z",
            )
        )
    rows.append("2025-01-06T04:01:00Z,,,,,,,,,,,steam")
    path = tmp_path / "hostile.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    summary = run_main(capsys, str(path))
    assert summary["skipped_rows"] == [
        f"line {len(rows) + 1}: mode='steam' is not one of heat, cool, dhw, off, auto"
    ]
    assert summary["rejected_samples"] == 1  # inf and nan are unknown, not rejected
    # The counter's increase over the trace, minus the step of the replaced meter (1 min unknown).
    assert summary["elec_kwh"] == pytest.approx(240 / 60 - 1 / 60, abs=0.02)
    assert summary["heat_kwh"] == pytest.approx(
        summary["space_heat_kwh"] + summary["dhw_heat_kwh"]
    )
    assert summary["cop_space"] == pytest.approx(3.5, rel=0.01)
    assert summary["cop_dhw"] == pytest.approx(2.5, rel=0.01)
    assert summary["eer"] == pytest.approx(3.0, rel=0.01)
    assert summary["cooling_kwh"] > 0
    assert summary["heat_kwh"] > 0  # cooling never subtracted
    assert summary["unmatched_elec_kwh"] == pytest.approx(50 / 60, abs=0.02)
    assert summary["cop_combined"] == pytest.approx(
        summary["heat_kwh"] / summary["heating_elec_kwh"], abs=1e-3
    )
    assert "rejected" in summary["quality"]


def test_fleet_rank_of_a_fortnight(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fifteen days at COP 4.0, 35 °C flow at 2 °C outdoor: the fleet's median SPF in the 35-38 °C class."""
    lines = [
        "time,elec_w,heat_w,flow_c,return_c,outdoor_c,outdoor_rh,defrost,compressor_hz,backup_w"
    ]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for step in range(15 * 24 * 6 + 1):  # every 10 minutes
        when = (start + timedelta(minutes=10 * step)).isoformat()
        lines.append(f"{when},1000,4000,35,30,2,90,0,40,0")
    path = tmp_path / "fortnight.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fleet = run_main(capsys, str(path), "--no-days")["fleet"]
    assert fleet["status"] == "ranked"
    assert fleet["data_days"] == pytest.approx(15.0)
    assert fleet["heat_kwh"] == pytest.approx(1440.0, abs=0.01)
    # SPF 4.00 is the fleet's median: better than half of it.
    assert fleet["spf_rank_pct"] == pytest.approx(50.0)
    figures = fleet["figures"]
    assert figures["flow_temperature"]["value"] == pytest.approx(35.0)
    # 35 °C: 50 + 0.3 / 2.7 x 25 = 52.8th percentile, lower than 47.2 % of the fleet.
    assert figures["flow_temperature"]["rank_pct"] == pytest.approx(47.2)
    # 33 K flow - outdoor: 90 + 0.6 / 2.5 x 15 = 93.6th percentile, better than 6.4 %.
    assert figures["flow_outdoor_difference"]["value"] == pytest.approx(33.0)
    assert figures["flow_outdoor_difference"]["rank_pct"] == pytest.approx(6.4)
    assert fleet["flow_class"] == "35_38"
    assert fleet["expected_spf"] == 3.86
    assert fleet["fleet"]["self_selected"] is True


def test_fleet_needs_enough_data(capsys: pytest.CaptureFixture[str]) -> None:
    """The three-hour fixture is far from a comparable season."""
    fleet = run_main(capsys, str(FIXTURE))["fleet"]
    assert fleet["status"] == "not_enough_data"
    assert fleet["spf_rank_pct"] is None
    assert fleet["figures"] == {}


def test_curve_per_outdoor_band_and_picture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two days at 2 °C (COP 3.0) and a day at 9 °C (COP 4.5) give two bands; the picture is drawn."""
    lines = [
        "time,elec_w,heat_w,flow_c,return_c,outdoor_c,outdoor_rh,defrost,compressor_hz,backup_w"
    ]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for step in range(3 * 24 * 6 + 1):  # every 10 minutes
        cold = step <= 2 * 24 * 6
        when = (start + timedelta(minutes=10 * step)).isoformat()
        heat, flow, outdoor = (3000, 38, 2) if cold else (4500, 32, 9)
        lines.append(f"{when},1000,{heat},{flow},{flow - 5},{outdoor},90,0,40,0")
    path = tmp_path / "three_days.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    picture = tmp_path / "curve.svg"
    summary = run_main(capsys, str(path), "--no-days", "--curve-svg", str(picture))
    cold, mild = summary["curve"]
    assert set(cold) == {
        "low_c",
        "days",
        "running_hours",
        "elec_kwh",
        "heat_kwh",
        "cop",
        "heat_kw",
        "flow_c",
        "lift_k",
        "backup_kwh",
    }
    assert (cold["low_c"], mild["low_c"]) == (2.0, 8.0)
    assert cold["cop"] == pytest.approx(3.0)
    # The interval across the change (mean 3.75 kW) is booked to the band it ends in.
    assert mild["cop"] == pytest.approx(4.5, abs=0.01)
    assert cold["running_hours"] == pytest.approx(48.0)
    assert cold["days"] == 3  # the last interval of the second day ends at midnight
    assert mild["heat_kw"] == pytest.approx(4.5, abs=0.01)
    assert cold["flow_c"] == pytest.approx(38.0)
    assert mild["lift_k"] == pytest.approx(23.0, abs=0.05)
    text = picture.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "Running COP" in text
    # Without the option no file is written, and the curve is still in the JSON.
    other = tmp_path / "none.svg"
    assert run_main(capsys, str(path), "--no-days")["curve"] == summary["curve"]
    assert not other.exists()


def test_curve_picture_unwritable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([str(FIXTURE), "--curve-svg", str(tmp_path / "missing" / "curve.svg")])
    assert "cannot write" in capsys.readouterr().err


def _house_csv(path: Path, room_offset_k: float, *, target_column: bool) -> None:
    """A week of a house heated all the time, rooms `room_offset_k` off 21 °C, on cold and mild days."""
    header = "time,elec_w,heat_w,flow_c,return_c,outdoor_c,outdoor_rh,defrost,compressor_hz,backup_w,room_c"
    lines = [header + (",room_target_c" if target_column else "")]
    start = datetime(2025, 1, 6, tzinfo=UTC)
    for step in range(7 * 24 * 6 + 1):  # every 10 minutes
        when = start + timedelta(minutes=10 * step)
        outdoor = -4.0 if (when - start).days % 2 else 6.0
        room = 21.0 + room_offset_k
        heat = 180.0 * (room - outdoor) - 300.0
        flow = room + heat / 240.0
        row = f"{when.isoformat()},{heat / 3.5:.0f},{heat:.0f},{flow:.2f},{flow - 4:.2f},{outdoor},80,0,40,0,{room}"
        lines.append(row + (",21" if target_column else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_heating_curve_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rooms 2 K above their target on cold and mild days: lower the curve; on target: ok."""
    warm = tmp_path / "warm.csv"
    _house_csv(warm, 2.0, target_column=True)
    advice = run_main(capsys, str(warm), "--no-days")["advice"]
    assert advice["advice"] == "lower"
    assert advice["reason"] == "rooms_warm"
    assert advice["change_k"] == pytest.approx(-3.5, abs=0.5)
    assert advice["cop_gain_pct"] > 0
    assert advice["days"] == 7
    assert {band["low_c"] for band in advice["evidence"]} == {-4.0, 6.0}
    # The file's own targets win over --room-target.
    same = run_main(capsys, str(warm), "--no-days", "--room-target", "23")["advice"]
    assert same["advice"] == "lower"
    plain = tmp_path / "plain.csv"
    _house_csv(plain, 0.0, target_column=False)
    assert run_main(capsys, str(plain), "--no-days")["advice"]["advice"] == "lower"
    # The default target is the integration's comfort temperature, 20 °C.
    assert (
        run_main(capsys, str(plain), "--no-days", "--room-target", "21")["advice"][
            "advice"
        ]
        == "ok"
    )


def test_advice_needs_room_temperatures(capsys: pytest.CaptureFixture[str]) -> None:
    advice = run_main(capsys, str(FIXTURE))["advice"]
    assert advice["advice"] == "not_enough_data"
    assert advice["change_k"] is None


def test_room_target_must_be_a_room_temperature(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main([str(FIXTURE), "--room-target", "nan"])
    with pytest.raises(SystemExit):
        main([str(FIXTURE), "--room-target", "60"])

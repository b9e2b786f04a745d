"""The HeishaMon rendering: shape against real payloads, quirks, cache, S0 and commands."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

import pytest

from simulator.firmware import Firmware, apply_command
from simulator.heatpump import Controls
from simulator.model import Simulator

FIXTURES = Path(__file__).parent.parent / "fixtures" / "heishamon"
REAL = FIXTURES / "DERIVED_json_from_issue552_frame_decoded_with_firmware_logic.json"


def _topics(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["Topic"]: entry for entry in doc["heatpump"]}


@pytest.mark.parametrize("series", ["H", "K"])
def test_json_matches_the_real_payload_topics_names_and_types(series: str) -> None:
    real = _topics(json.loads(REAL.read_text()))
    sim = Simulator("cold_humid", series=series)
    sim.step(1800)
    ours = _topics(json.loads(Firmware(sim).render()))
    assert list(ours) == list(real)
    for topic, entry in real.items():
        mine = ours[topic]
        assert list(mine) == ["Topic", "Name", "Value", "Description"]
        assert mine["Name"] == entry["Name"]
        assert type(mine["Value"]) is type(entry["Value"]), topic
        if not isinstance(entry["Value"], str) and entry["Description"] in (
            "°C",
            "K",
            "Watt",
            "l/min",
            "Hz",
            "Bar",
        ):
            assert mine["Description"] == entry["Description"]


def test_json_text_prints_numbers_like_the_firmware() -> None:
    sim = Simulator("cold_humid")
    sim.step(1800)
    text = Firmware(sim).render()
    assert re.search(r'"Name":"Pump_Flow","Value":\d+\.\d\d,', text)
    assert re.search(r'"Name":"Main_Inlet_Temp","Value":\d+\.\d\d,', text)
    assert re.search(r'"Name":"Error","Value":"No error","Description":"Error"', text)
    assert re.search(r'"Name":"Heat_Pump_Model","Value":"[0-9A-F ]{29}"', text)
    real_text = REAL.read_text()
    for name in ("Pump_Flow", "High_Pressure", "Water_Pressure"):
        real_decimals = re.search(rf'"{name}","Value":-?\d+\.(\d+)', real_text)
        ours_decimals = re.search(rf'"{name}","Value":-?\d+\.(\d+)', text)
        assert real_decimals and ours_decimals
        assert len(real_decimals.group(1)) == len(ours_decimals.group(1))


def test_h_series_powers_in_200_w_steps_and_no_extra_block() -> None:
    sim = Simulator("cold_humid", series="H")
    sim.step(1800)
    doc = json.loads(Firmware(sim).render())
    top = _topics(doc)
    assert "heatpump extra" not in doc
    assert top["TOP15"]["Value"] % 200 == 0 and top["TOP15"]["Value"] > 0
    assert top["TOP16"]["Value"] % 200 == 0 and top["TOP16"]["Value"] > 0
    assert abs(top["TOP16"]["Value"] - sim.last.elec_w) <= 100


def test_k_series_quirk_minus_200_and_extra_block_as_strings() -> None:
    sim = Simulator("cold_humid", series="K")
    sim.step(1800)
    doc = json.loads(Firmware(sim).render())
    top = _topics(doc)
    assert top["TOP15"]["Value"] == -200 and top["TOP16"]["Value"] == -200
    extra = doc["heatpump extra"]
    assert [e["Topic"] for e in extra] == [f"XTOP{i}" for i in range(6)]
    assert extra[0]["Name"] == "Heat_Power_Consumption_Extra"
    assert all(
        isinstance(e["Value"], str) and e["Description"] == "Watt" for e in extra
    )
    assert int(extra[0]["Value"]) == round(sim.last.elec_w)
    assert int(extra[3]["Value"]) == round(sim.last.heat_w)


def test_descriptions_follow_values_and_unknown_for_minus_one() -> None:
    sim = Simulator("cold_humid")
    fw = Firmware(sim)
    sim.step(60)
    top = _topics(json.loads(fw.render()))
    assert top["TOP0"]["Description"] == "On"
    assert top["TOP4"]["Description"] == "Heat+DHW"
    assert top["TOP26"]["Description"] == "Disabled"
    assert top["TOP139"]["Value"] == -1 and top["TOP139"]["Description"] == "unknown"


def test_five_second_cache_and_s0_watthour_since_previous_read() -> None:
    sim = Simulator("cold_humid")
    fw = Firmware(sim)
    sim.step(600)
    first = json.loads(fw.render())
    sim.step(1)
    second = json.loads(fw.render())
    assert first["heatpump"] == second["heatpump"]
    assert second["s0"][0]["Watthour"] == "0"
    sim.step(5)
    third = json.loads(fw.render())
    assert third["heatpump"] != first["heatpump"]
    s0 = third["s0"][0]
    assert list(s0) == [
        "S0 port",
        "Watt",
        "Watthour",
        "WatthourTotal",
        "PulseQuality",
        "AvgPulseWidth",
    ]
    assert all(isinstance(v, str) for v in s0.values())
    assert int(s0["WatthourTotal"]) - int(first["s0"][0]["WatthourTotal"]) == int(
        s0["Watthour"]
    )
    assert int(s0["WatthourTotal"]) == int(sim.elec_kwh * 1000) or sim.uptime_s % 5 != 0


def test_no_s0_block_when_disabled() -> None:
    assert "s0" not in json.loads(Firmware(Simulator(), use_s0=False).render())


def test_commands_answer_with_firmware_log_lines_and_change_the_model() -> None:
    sim = Simulator("cold_humid")
    fw = Firmware(sim)
    text = fw.command(
        "SetZ1HeatRequestTemperature=3&SetOperationMode=0&SetQuietMode=2&Unknown=5&SetHeatpump=0"
    )
    assert text.splitlines() == [
        "set z1 heat request temperature to 3",
        "set heat pump mode to 18",
        "set Quiet mode to 2",
        "set heatpump state to 1",
    ]
    assert sim.controls.z1_heat_request == 3
    assert sim.controls.operation_mode == 0
    assert sim.controls.quiet_level == 2
    assert not sim.controls.power_on
    shown = _topics(json.loads(fw.render()))
    assert shown["TOP27"]["Value"] == 3 and shown["TOP0"]["Value"] == 0


def test_command_examples_from_the_docs() -> None:
    examples = (FIXTURES / "command_endpoint_examples_from_docs.txt").read_text()
    fw = Firmware(Simulator())
    assert fw.command("SetZ1HeatRequestTemperature=21") in examples
    assert fw.command("SetOperationMode=4") in examples


def test_command_values_wrap_like_the_firmware_byte() -> None:
    controls = Controls()
    assert (
        apply_command(controls, "SetZ1HeatRequestTemperature", "200")
        == "set z1 heat request temperature to -56"
    )
    assert (
        apply_command(controls, "SetZ1HeatRequestTemperature", "21.7")
        == "set z1 heat request temperature to 21"
    )
    assert apply_command(controls, "SetOperationMode", "9") == "set heat pump mode to 0"
    assert controls.operation_mode == 4
    assert (
        apply_command(controls, "SetCurves", "{not json")
        == "SetCurves JSON decode failed!"
    )
    ok = apply_command(
        controls, "SetCurves", '{"zone1":{"heat":{"target":{"high":50,"low":30}}}}'
    )
    assert ok == "SetCurves JSON received ok"
    assert (controls.curve_target_high_c, controls.curve_target_low_c) == (50, 30)


def test_shift_and_direct_mode_change_the_target() -> None:
    sim = Simulator("cold_humid")
    base = sim.controls.target_flow_c(0.0)
    apply_command(sim.controls, "SetZ1HeatRequestTemperature", "2")
    assert sim.controls.target_flow_c(0.0) == base + 2
    sim.controls.heating_mode = 1
    apply_command(sim.controls, "SetZ1HeatRequestTemperature", "40")
    assert sim.controls.target_flow_c(0.0) == 40


def test_reset_frame_after_reboot() -> None:
    sim = Simulator("cold_humid")
    fw = Firmware(sim)
    sim.step(600)
    sim.apply_fault("reboot")
    sim.step(25)
    top = _topics(json.loads(fw.render()))
    assert top["TOP5"]["Value"] == -128
    assert top["TOP8"]["Value"] == -1 and top["TOP8"]["Description"] == "Hz"
    assert top["TOP0"]["Description"] == "unknown"
    sim.step(10)
    top = _topics(json.loads(fw.render()))
    assert top["TOP5"]["Value"] > 0

"""Recorded HeishaMon payloads from tests/fixtures/heishamon/, turned into /json documents where needed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
import re
from typing import Any

FIXTURES = Path(__file__).parent.parent / "fixtures" / "heishamon"
DERIVED = "DERIVED_json_from_issue552_frame_decoded_with_firmware_logic.json"
PR132 = "pr132_json_fragment_TRUNCATED.txt"
ISSUE370 = "issue370_K_series_webui_table_TRUNCATED.txt"
ISSUE692 = "issue692_xtop_table_tcap_M_series.txt"
COMMANDS = "command_endpoint_examples_from_docs.txt"
TOP92_ROWS = "top92_model_rows_issues_607_635_765.txt"
STATUS_PAGE = "status_page_listen_only_EXCERPT.txt"

_ROW = re.compile(r"(X?TOP\d+) \| (\w+) \| (\S+) \| (.*)")


def fixture_text(name: str) -> str:
    """Return a fixture file's text."""
    return (FIXTURES / name).read_text(encoding="utf-8")


def derived() -> dict[str, Any]:
    """Return the complete 143-topic /json (issue 552 frame decoded with the firmware's tables)."""
    return json.loads(fixture_text(DERIVED))  # type: ignore[no-any-return]


def pr132() -> dict[str, Any]:
    """Return the real v3.5 /json fragment, cut after its last complete topic and closed."""
    text = fixture_text(PR132).strip()
    return json.loads(text[: text.rindex("},{") + 1] + "]}")  # type: ignore[no-any-return]


def issue370() -> dict[str, Any]:
    """Return the K-series web table as the /json the firmware serves for the same values."""
    rows = [
        _ROW.fullmatch(line.strip()) for line in fixture_text(ISSUE370).splitlines()
    ]
    return {"heatpump": [_entry(*row.groups(), quote=False) for row in rows if row]}


def issue692() -> dict[str, Any]:
    """Return the T-CAP M-series TOP15 entry and its XTOP block as /json (XTOP values quoted)."""
    lines = fixture_text(ISSUE692).splitlines()
    top15 = json.loads('{"Topic":' + lines[0].strip() + "}")
    rows = [_ROW.fullmatch(line.strip()) for line in lines[1:]]
    extra = [_entry(*row.groups(), quote=True) for row in rows if row]
    return {"heatpump": [top15], "heatpump extra": extra}


def command_answers() -> dict[str, str]:
    """Return the documented /command answer lines, keyed by the query that produced them."""
    lines = [
        line for line in fixture_text(COMMANDS).splitlines() if line.startswith("set ")
    ]
    return {
        "SetZ1HeatRequestTemperature=21": lines[0],
        "SetOperationMode=4": lines[1],
    }


def top92_values() -> list[str]:
    """Return the TOP92 values real boards showed, in the fixture's order (bytes, bytes, a number)."""
    values: list[str] = []
    for line in fixture_text(TOP92_ROWS).splitlines():
        if line.startswith("#"):
            continue
        if "|" in line or "\t" in line:
            values.append(re.split(r"\s*\|\s*|\t", line)[2])
        else:
            values.append(line.split("showing as ")[1].split()[0])
    return values


def listen_only_markers() -> list[str]:
    """Return the status page excerpts: the 3.x listen-only line, the 4.x listen-only script, the table start."""
    blocks: list[list[str]] = []
    for line in fixture_text(STATUS_PAGE).splitlines():
        if line.startswith("#"):
            blocks.append([])
        else:
            blocks[-1].append(line)
    return ["\n".join(block) for block in blocks]


def all_payloads() -> dict[str, dict[str, Any]]:
    """Return every recorded payload as a /json document, keyed by fixture file name."""
    return {
        DERIVED: derived(),
        PR132: pr132(),
        ISSUE370: issue370(),
        ISSUE692: issue692(),
    }


def with_topics(payload: dict[str, Any], **values: Any) -> dict[str, Any]:
    """Return a copy with main-block (TOPn) or extra-block (XTOPn) values replaced or added."""
    result = copy.deepcopy(payload)
    for topic, value in values.items():
        block = result.setdefault(
            "heatpump extra" if topic.startswith("XTOP") else "heatpump", []
        )
        for entry in block:
            if entry["Topic"] == topic:
                entry["Value"] = value
                break
        else:
            block.append(
                {"Topic": topic, "Name": topic, "Value": value, "Description": ""}
            )
    return result


def without_topics(payload: dict[str, Any], *topics: str) -> dict[str, Any]:
    """Return a copy without the given topics."""
    result = copy.deepcopy(payload)
    for key in ("heatpump", "heatpump extra"):
        if key in result:
            result[key] = [e for e in result[key] if e["Topic"] not in topics]
    return result


def s0_block(*ports: tuple[int, int, int, int]) -> list[dict[str, str]]:
    """Return an "s0" block as s0.cpp prints it: (port, Watt, Watthour, WatthourTotal), all quoted."""
    return [
        {
            "S0 port": str(port),
            "Watt": str(watt),
            "Watthour": str(watthour),
            "WatthourTotal": str(total),
            "PulseQuality": "100",
            "AvgPulseWidth": "50",
        }
        for port, watt, watthour, total in ports
    ]


def _entry(
    topic: str, name: str, value: str, description: str, *, quote: bool
) -> dict[str, Any]:
    number = float(value)
    parsed: Any = (
        value
        if quote
        else (int(number) if number.is_integer() and "." not in value else number)
    )
    return {"Topic": topic, "Name": name, "Value": parsed, "Description": description}

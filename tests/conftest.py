"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import Generator
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant, State
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

# Import our package before the plugin's `hass` fixture puts its own testing `custom_components`
# package on sys.path, so Home Assistant's loader finds this integration and not the plugin's.
import custom_components.heatpump_efficiency  # noqa: F401
from custom_components.heatpump_efficiency.const import CONF_UNIT_TYPE, DOMAIN
from simulator.firmware import Firmware
from simulator.model import Simulator

pytest_plugins = ["pytest_homeassistant_custom_component"]

FIXTURES = Path(__file__).parent / "fixtures"
HOST = "192.0.2.10"
PORT = 80
JSON_URL = f"http://{HOST}/json"
COMMAND_URL = f"http://{HOST}/command"
STATUS_URL = f"http://{HOST}/"  # HeishaMon's status page: read before commands for listen-only mode
# The recorded unit's identity: HeishaMon exposes the heat pump's model bytes (TOP92), no serial.
UNIQUE_ID = "heishamon-e2cf0c740912d00e9405"
ENTRY_DATA = {CONF_UNIT_TYPE: "heishamon", CONF_HOST: HOST, CONF_PORT: PORT}


def load_heishamon_payload() -> dict[str, Any]:
    """Return the full recorded /json document (see tests/fixtures/heishamon/SOURCES.md)."""
    path = (
        FIXTURES
        / "heishamon"
        / "DERIVED_json_from_issue552_frame_decoded_with_firmware_logic.json"
    )
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def state_of(hass: HomeAssistant, entity_id: str) -> State:
    """Return an entity's state, failing the test clearly when it does not exist."""
    state = hass.states.get(entity_id)
    assert state is not None, f"{entity_id} does not exist"
    return state


def commands_sent(aioclient_mock: AiohttpClientMocker) -> list[dict[str, str]]:
    """Return the query of every /command request made so far, in order."""
    return [
        dict(url.query)
        for method, url, _, _ in aioclient_mock.mock_calls
        if url.path == "/command"
    ]


def set_topic(payload: dict[str, Any], name: str, value: Any) -> None:
    """Change one topic's value in a /json document (by its firmware name)."""
    for topic in payload["heatpump"]:
        if topic["Name"] == name:
            topic["Value"] = value
            return
    raise KeyError(name)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom integrations in every test."""


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled (copied from core's tests)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
    ):
        yield


@pytest.fixture
def heishamon_payload() -> dict[str, Any]:
    """Return a fresh copy of the recorded /json, to modify per test."""
    return load_heishamon_payload()


@pytest.fixture
def mock_heishamon(
    aioclient_mock: AiohttpClientMocker, heishamon_payload: dict[str, Any]
) -> AiohttpClientMocker:
    """Serve the recorded payload as a HeishaMon board at HOST (and accept commands)."""
    firmware = Firmware(Simulator())

    async def answer_json(
        method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        # Serialised per request, so a test can change the payload between polls.
        return AiohttpClientMockResponse(method, url, json=heishamon_payload)

    aioclient_mock.get(JSON_URL, side_effect=answer_json)

    async def answer_command(
        method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        # Acknowledge each command with the firmware's own log line (as the simulator does).
        return AiohttpClientMockResponse(
            method, url, text=firmware.command(url.query_string)
        )

    aioclient_mock.get(COMMAND_URL, side_effect=answer_command)
    aioclient_mock.get(STATUS_URL, text="<html><body>HeishaMon</body></html>")
    return aioclient_mock


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """Return the config entry of the recorded unit."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Aquarea",
        data=dict(ENTRY_DATA),
        unique_id=UNIQUE_ID,
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> MockConfigEntry:
    """Set up the integration with the recorded unit."""
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry

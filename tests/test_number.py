"""Tests for the setpoint numbers and the write path they share with the thermostat.

Debounce, last request wins, the persisted write budget (across reload, restart and re-adding the unit),
changes that could not be sent, and one run against the simulated unit over loopback with real timing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
import logging
from typing import Any

from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.number import (
    ATTR_MAX,
    ATTR_MIN,
    ATTR_STEP,
    ATTR_VALUE,
    DOMAIN as NUMBER_DOMAIN,
)
from homeassistant.components.number.const import SERVICE_SET_VALUE
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_ENTITY_ID,
    ATTR_UNIT_OF_MEASUREMENT,
    EVENT_HOMEASSISTANT_STOP,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.heatpump_efficiency.const import DOMAIN
from simulator.model import Simulator
from simulator.server import create_app

from .conftest import (
    COMMAND_URL,
    ENTRY_DATA,
    JSON_URL,
    STATUS_URL,
    UNIQUE_ID,
    commands_sent,
    set_topic,
    state_of,
)

FLOW = "number.heat_pump_flow_temperature_setpoint"
SHIFT = "number.heat_pump_heating_curve_shift"


async def _set(hass: HomeAssistant, value: float, entity_id: str = FLOW) -> None:
    await hass.services.async_call(
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: value},
        blocking=True,
    )


async def _pass(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def _issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(
        DOMAIN, f"write_not_sent_{entry.entry_id}_setpoint"
    )


# --- which number -------------------------------------------------------------------------------


async def test_flow_unit_has_a_flow_temperature_number(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A unit on a fixed flow temperature gets that number in °C, with the unit's range; no shift."""
    state = state_of(hass, FLOW)
    assert float(state.state) == 35
    assert state.attributes[ATTR_MIN] == 20 and state.attributes[ATTR_MAX] == 65
    assert state.attributes[ATTR_STEP] == 1
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == "°C"
    assert state.attributes[ATTR_DEVICE_CLASS] == "temperature"
    assert hass.states.get(SHIFT) is None


async def test_curve_unit_has_a_curve_shift_number(
    hass: HomeAssistant,
    heishamon_payload: dict[str, Any],
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """A unit on its heating curve gets the shift in K (no temperature device class), -5..+5."""
    set_topic(heishamon_payload, "Heating_Mode", 0)
    set_topic(heishamon_payload, "Z1_Heat_Request_Temp", -2)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    state = state_of(hass, SHIFT)
    assert float(state.state) == -2
    assert state.attributes[ATTR_MIN] == -5 and state.attributes[ATTR_MAX] == 5
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == "K"
    assert ATTR_DEVICE_CLASS not in state.attributes
    assert hass.states.get(FLOW) is None


async def test_number_unavailable_when_the_unit_changes_its_setpoint_kind(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    heishamon_payload: dict[str, Any],
) -> None:
    """Switched to the curve at the unit: the flow temperature number has nothing to set any more."""
    set_topic(heishamon_payload, "Heating_Mode", 0)
    set_topic(heishamon_payload, "Z1_Heat_Request_Temp", 1)
    await _pass(hass, freezer, 31)
    assert state_of(hass, FLOW).state == STATE_UNAVAILABLE


# --- debounce and last request wins -------------------------------------------------------------


async def test_burst_of_values_becomes_one_write(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """Slider moves within the quiet period collapse into one write of the last value, shown at once."""
    for value in (36, 37, 38):
        await _set(hass, value)
        await _pass(hass, freezer, 0.5)
    assert commands_sent(mock_heishamon) == []
    assert float(state_of(hass, FLOW).state) == 38
    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon) == [{"SetZ1HeatRequestTemperature": "38"}]


async def test_no_op_requests_write_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """The unit's own value writes nothing; neither does a burst that returns to it."""
    await _set(hass, 35)
    await _set(hass, 36)
    await _set(hass, 35)
    await _pass(hass, freezer, 5)
    assert commands_sent(mock_heishamon) == []
    assert init_integration.runtime_data.control.budget.to_dict() == {"writes": {}}


async def test_last_request_wins_over_a_stale_reading(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """A -> b -> a seconds apart while the unit still reports a: every change is written, in order.

    The unit's cache (here: a /json that never changes) still says 35 after 36 was written; asking for
    35 again must still be sent, and asking for 36 a third time is the only no-op.
    """
    await _set(hass, 36)
    await _pass(hass, freezer, 6)
    await _set(hass, 35)
    await _pass(hass, freezer, 6)
    await _set(hass, 36)
    await _pass(hass, freezer, 6)
    await _set(hass, 36)
    await _pass(hass, freezer, 6)
    assert commands_sent(mock_heishamon) == [
        {"SetZ1HeatRequestTemperature": "36"},
        {"SetZ1HeatRequestTemperature": "35"},
        {"SetZ1HeatRequestTemperature": "36"},
    ]
    assert float(state_of(hass, FLOW).state) == 36


async def test_pending_change_is_sent_before_a_reload(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """An options change (reload) within the quiet period does not lose the last request."""
    await _set(hass, 40)
    assert commands_sent(mock_heishamon) == []
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert commands_sent(mock_heishamon) == [{"SetZ1HeatRequestTemperature": "40"}]


async def test_pending_change_is_sent_when_home_assistant_stops(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """Stopping within the quiet period sends the last request instead of dropping it."""
    await _set(hass, 39)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert commands_sent(mock_heishamon) == [{"SetZ1HeatRequestTemperature": "39"}]
    # Unloading afterwards (the listener is removed cleanly) sends nothing twice.
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert len(commands_sent(mock_heishamon)) == 1


# --- the write budget ---------------------------------------------------------------------------


async def _spend_budget(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, count: int = 6
) -> None:
    for value in range(40, 40 + count):
        await _set(hass, value)
        await _pass(hass, freezer, 60)


async def _assert_refused(hass: HomeAssistant, minutes: str) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _set(hass, 50)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "write_budget_exceeded"
    assert err.value.translation_placeholders == {"per_hour": "6", "minutes": minutes}


async def test_write_budget_refuses_then_recovers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """Six writes an hour go through; the seventh fails with a translated error until the hour rolls."""
    await _spend_budget(hass, freezer)
    assert len(commands_sent(mock_heishamon)) == 6
    await _assert_refused(hass, "55")
    assert float(state_of(hass, FLOW).state) == 45  # the refused value is not shown

    await _pass(hass, freezer, 55 * 60)
    await _set(hass, 50)
    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon)[-1] == {"SetZ1HeatRequestTemperature": "50"}


async def test_write_budget_survives_reload_restart_and_re_adding(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """The writes of the last hour are stored per unit: no fresh allowance from a reload or restart."""
    await _spend_budget(hass, freezer)

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    await _assert_refused(hass, "55")

    # A restart: the entry is unloaded and set up again; only what was stored survives.
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    await _assert_refused(hass, "55")

    # Removed and added again: the same unit, the same budget.
    assert await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    again = MockConfigEntry(
        domain=DOMAIN, title="Aquarea", data=dict(ENTRY_DATA), unique_id=UNIQUE_ID
    )
    again.add_to_hass(hass)
    assert await hass.config_entries.async_setup(again.entry_id)
    await hass.async_block_till_done()
    await _assert_refused(hass, "55")

    await _pass(hass, freezer, 55 * 60)
    await _set(hass, 50)
    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon)[-1] == {"SetZ1HeatRequestTemperature": "50"}


async def test_change_refused_after_the_quiet_period_is_reported(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The budget ran out while a change waited (room hold wrote meanwhile): logged, a repair, unit value."""
    budget = init_integration.runtime_data.control.budget
    await _set(hass, 40)
    now = dt_util.utcnow().timestamp()
    for _ in range(6):
        await budget.async_record("setpoint", now)
    await _pass(hass, freezer, 3)

    assert commands_sent(mock_heishamon) == []
    assert "was not sent" in caplog.text
    issue = _issue(hass, init_integration)
    assert issue is not None
    assert issue.translation_key == "write_refused"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["value"] == "40"
    assert issue.translation_placeholders["minutes"] == "60"
    assert float(state_of(hass, FLOW).state) == 35


async def test_failed_write_reverts_and_is_reported_until_the_next_one_works(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    heishamon_payload: dict[str, Any],
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A unit that does not acknowledge: the unit's value shows again and a repair says so."""
    answers = [""]  # not acknowledged: HeishaMon answers nothing to an unknown command

    async def answer_json(
        method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        return AiohttpClientMockResponse(method, url, json=heishamon_payload)

    async def answer_command(
        method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        return AiohttpClientMockResponse(method, url, text=answers[-1])

    mock_heishamon.clear_requests()
    mock_heishamon.get(JSON_URL, side_effect=answer_json)
    mock_heishamon.get(COMMAND_URL, side_effect=answer_command)
    mock_heishamon.get(STATUS_URL, text="")  # not in listen-only mode
    caplog.set_level(logging.ERROR)

    await _set(hass, 41)
    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon) == [{"SetZ1HeatRequestTemperature": "41"}]
    assert float(state_of(hass, FLOW).state) == 35
    issue = _issue(hass, init_integration)
    assert issue is not None and issue.translation_key == "write_failed"
    assert "did not accept SetZ1HeatRequestTemperature=41" in caplog.text

    answers.append("set z1 heat request temperature to 42")
    await _set(hass, 42)
    await _pass(hass, freezer, 3)
    assert _issue(hass, init_integration) is None


async def test_value_the_driver_refuses_spends_no_budget(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    heishamon_payload: dict[str, Any],
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """The unit's range changed between the request and the write: nothing sent, nothing counted."""
    await _set(hass, 45)
    # Within the quiet period the unit is switched to its heating curve (-5..+5) at the unit.
    set_topic(heishamon_payload, "Heating_Mode", 0)
    set_topic(heishamon_payload, "Z1_Heat_Request_Temp", 0)
    await init_integration.runtime_data.coordinator.async_refresh()
    await _pass(hass, freezer, 3)
    assert commands_sent(mock_heishamon) == []
    assert init_integration.runtime_data.control.budget.to_dict() == {"writes": {}}
    issue = _issue(hass, init_integration)
    assert issue is not None and issue.translation_key == "write_failed"
    assert issue.translation_placeholders is not None
    assert "outside -5..5" in issue.translation_placeholders["error"]


async def test_value_outside_the_range_is_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """Home Assistant's own range check refuses it; nothing is written."""
    with pytest.raises(ServiceValidationError):
        await _set(hass, 70)
    assert commands_sent(mock_heishamon) == []


# --- against the simulated unit, with real time -------------------------------------------------


@pytest.fixture
async def simulated_unit() -> AsyncIterator[tuple[Simulator, int]]:
    """Serve a simulated unit on 127.0.0.1; simulated time (and HeishaMon's 5 s cache) stands still."""
    sim = Simulator("cold_humid", seed=1)
    sim.step(3600)
    runner = web.AppRunner(create_app(sim, speed=0))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield sim, runner.addresses[0][1]
    await runner.cleanup()


@pytest.mark.usefixtures("socket_enabled")
async def test_a_b_a_reaches_the_simulated_unit(
    hass: HomeAssistant, simulated_unit: tuple[Simulator, int]
) -> None:
    """Curve shift a -> b -> a, a few seconds apart, ends with the unit at a (real 2 s debounce).

    The simulated HeishaMon keeps serving its cached frame (the shift before any write), as the real
    one does for up to 5 s and the coordinator for a poll interval.
    """
    sim, port = simulated_unit
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "device"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"unit_type": "heishamon", "host": "127.0.0.1", "port": port}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    start = sim.controls.z1_heat_request
    a, b = start + 1, start + 2

    async def settle() -> None:
        await asyncio.sleep(2.3)  # the debounce, then the write
        await hass.async_block_till_done()

    await _set(hass, a, SHIFT)
    await settle()
    assert sim.controls.z1_heat_request == a
    await _set(hass, b, SHIFT)
    await settle()
    assert sim.controls.z1_heat_request == b
    await _set(
        hass, a, SHIFT
    )  # the unit's cache still says `start`: this is not a no-op
    await settle()
    assert sim.controls.z1_heat_request == a
    assert float(state_of(hass, SHIFT).state) == a

"""Tests for repair issues: they appear when a problem persists and disappear when it is resolved."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.heatpump_efficiency.const import DOMAIN

from .conftest import state_of


async def _pass_days(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, days: float
) -> None:
    """Let days pass with the unit polled every 12 hours (enough for calendar-based judgements)."""
    for _ in range(round(days * 2)):
        freezer.tick(timedelta(hours=12))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def test_filter_overdue_repair_and_fix(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """Past the monthly check by more than a week, a fixable issue appears; fixing it resets the filter."""
    assert await async_setup_component(hass, "repairs", {})
    issue_id = f"filter_overdue_{init_integration.entry_id}"
    registry = ir.async_get(hass)

    await _pass_days(hass, freezer, 36)
    assert state_of(hass, "binary_sensor.heat_pump_filter_due").state == "on"
    assert (
        registry.async_get_issue(DOMAIN, issue_id) is None
    )  # due, but not a week overdue yet

    await _pass_days(hass, freezer, 2)
    issue = registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders == {"name": "Aquarea", "days": "8"}

    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    assert registry.async_get_issue(DOMAIN, issue_id) is None
    assert state_of(hass, "binary_sensor.heat_pump_filter_due").state == "off"
    assert float(state_of(hass, "sensor.heat_pump_filter_check_due_in").state) == 30


async def test_filter_button_clears_repair(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """Pressing the filter-cleaned button also resolves the issue."""
    await _pass_days(hass, freezer, 40)
    issue_id = f"filter_overdue_{init_integration.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.heat_pump_filter_cleaned"},
        blocking=True,
    )
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert state_of(hass, "binary_sensor.heat_pump_filter_due").state == "off"


async def test_removing_entry_removes_issues(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """Deleting the heat pump leaves no repair behind."""
    await _pass_days(hass, freezer, 40)
    assert await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert not [i for i in ir.async_get(hass).issues.values() if i.domain == DOMAIN]


async def test_polls_touch_the_issue_registry_only_on_a_change(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """Polls with the same judgement leave the registry alone; a new day count or a fix updates it."""
    issue_id = f"filter_overdue_{init_integration.entry_id}"
    registry = ir.async_get(hass)
    await _pass_days(hass, freezer, 38)
    issue = registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {"name": "Aquarea", "days": "8"}

    with (
        patch.object(ir, "async_create_issue", wraps=ir.async_create_issue) as create,
        patch.object(ir, "async_delete_issue", wraps=ir.async_delete_issue) as delete,
    ):
        for _ in range(10):  # five minutes of polls, still 8 days overdue
            freezer.tick(timedelta(seconds=30))
            async_fire_time_changed(hass)
            await hass.async_block_till_done()
        assert state_of(hass, "binary_sensor.heat_pump_filter_due").state == "on"
        assert create.call_count == delete.call_count == 0

        await _pass_days(hass, freezer, 1)  # a day later: the issue says 9 days
        issue = registry.async_get_issue(DOMAIN, issue_id)
        assert issue is not None
        assert issue.translation_placeholders == {"name": "Aquarea", "days": "9"}
        assert [c.args[2] for c in create.call_args_list] == [issue_id]

        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": "button.heat_pump_filter_cleaned"},
            blocking=True,
        )
        assert registry.async_get_issue(DOMAIN, issue_id) is None
        deleted = delete.call_count
        freezer.tick(timedelta(seconds=30))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        assert delete.call_count == deleted  # cleared once, not again on the next poll

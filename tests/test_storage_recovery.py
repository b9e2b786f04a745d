"""Damaged or newer stored statistics never block setup: a copy is kept, the entry loads, a repair says so."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.heatpump_efficiency.analytics.curve import PerformanceCurve
from custom_components.heatpump_efficiency.const import DOMAIN
from custom_components.heatpump_efficiency.coordinator import storage_key
from custom_components.heatpump_efficiency.diagnostics import (
    async_get_config_entry_diagnostics,
)

from .conftest import state_of
from .stored_parts import (
    assert_lost_alone,
    damaged_copies,
    restart_with,
    restart_with_damage,
    statistics_of_an_hour,
)

ELEC_ENERGY = "sensor.heat_pump_electrical_energy"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("engine", "abc"),
        ("engine.ledger.day_key", 10**9),
        ("engine.prev.t", None),
        ("engine.defrost.outdoor_c", "x"),
        ("engine.version", 99),  # the engine's own state format is newer (a downgrade)
    ],
)
async def test_damaged_statistics_start_afresh_with_a_copy_and_a_repair(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
    hass_storage: dict[str, Any],
    path: str,
    value: Any,
) -> None:
    """The entry loads with fresh statistics, the damaged data is kept, a repair says what was lost."""
    entry = mock_config_entry
    stored = await restart_with_damage(
        hass, freezer, entry, heishamon_payload, hass_storage, path, value
    )
    assert float(state_of(hass, ELEC_ENERGY).state) == 0.0

    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"statistics_reset_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.is_persistent
    assert issue.translation_placeholders is not None
    [copy_key] = damaged_copies(hass_storage, entry)
    assert issue.translation_placeholders["copy"] == f".storage/{copy_key}"
    kept = hass_storage[copy_key]["data"]
    assert kept["data"] == stored["data"]
    assert "statistics" in kept["lost"]

    # The fresh state was saved over the damage: statistics count on, and the next start is clean.
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["damaged_statistics"]["copy"] == copy_key
    assert diagnostics["damaged_statistics"]["data"] == stored["data"]
    assert hass_storage[storage_key(entry.entry_id)]["data"]["engine"] != "abc"


async def test_damaged_preheat_keeps_the_energy_statistics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
    hass_storage: dict[str, Any],
) -> None:
    """`preheat: [1]` loses only the learner: the energy statistics are restored."""
    entry = mock_config_entry
    await restart_with_damage(
        hass, freezer, entry, heishamon_payload, hass_storage, "preheat", [1]
    )
    assert_lost_alone(hass, hass_storage, entry, "preheat")


async def test_curve_survives_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
    hass_storage: dict[str, Any],
) -> None:
    """The performance curve is stored with the statistics and comes back unchanged."""
    entry = mock_config_entry
    stored = await statistics_of_an_hour(
        hass, freezer, entry, heishamon_payload, hass_storage
    )
    bands = PerformanceCurve.from_dict(stored["data"]["curve"]).bands()
    assert bands
    assert bands[0].running_hours == pytest.approx(1.0, abs=0.01)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.coordinator.curve.bands() == bands
    assert not damaged_copies(hass_storage, entry)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("curve", [1]),
        ("curve.version", 99),
        ("curve.season", [[3.0, 1, 739000, 60.0, 1.0, 3.0, 0.0, 3.0, 105.0, 90.0]]),
        ("curve.base", [float("nan")] * 9),
    ],
)
async def test_damaged_curve_alone_starts_afresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
    hass_storage: dict[str, Any],
    path: str,
    value: Any,
) -> None:
    """A damaged curve loses only the curve: energy statistics stay, a copy and a repair say so."""
    entry = mock_config_entry
    await restart_with_damage(
        hass, freezer, entry, heishamon_payload, hass_storage, path, value
    )
    assert_lost_alone(hass, hass_storage, entry, "curve")
    coordinator = entry.runtime_data.coordinator
    assert coordinator.curve.bands() == ()
    # The fresh curve was saved over the damage and learns on from here.
    assert hass_storage[storage_key(entry.entry_id)]["data"]["curve"]["season"] == []
    for _ in range(10):
        freezer.tick(timedelta(seconds=30))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert coordinator.curve.bands()


async def test_newer_storage_version_starts_afresh_and_is_acknowledged(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
    hass_storage: dict[str, Any],
) -> None:
    """A store written by a newer release (a downgrade) is kept as a copy instead of failing setup."""
    entry = mock_config_entry
    stored = await statistics_of_an_hour(
        hass, freezer, entry, heishamon_payload, hass_storage
    )
    stored["version"] = 2
    await restart_with(hass, entry, hass_storage, stored)
    [copy_key] = damaged_copies(hass_storage, entry)
    kept = hass_storage[copy_key]["data"]
    assert kept["data"] == {"version": 2, "data": stored["data"]}
    assert {"statistics", "preheat"} <= set(kept["lost"])
    assert hass_storage[storage_key(entry.entry_id)]["version"] == 1

    # Both parts were lost: one notice each; confirming closes it.
    assert await async_setup_component(hass, "repairs", {})
    registry = ir.async_get(hass)
    issue_id = f"statistics_reset_{entry.entry_id}"
    assert registry.async_get_issue(DOMAIN, f"preheat_reset_{entry.entry_id}")
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert registry.async_get_issue(DOMAIN, issue_id) is None

    # The next start reads the fresh statistics: no new copy, no new issue.
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert len(damaged_copies(hass_storage, entry)) == 1
    assert registry.async_get_issue(DOMAIN, issue_id) is None

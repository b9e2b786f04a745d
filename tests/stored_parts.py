"""Stored statistics for the storage tests: an hour of them, one field damaged, a restart, what was lost."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.heatpump_efficiency.const import DOMAIN
from custom_components.heatpump_efficiency.coordinator import storage_key

from .conftest import set_topic

# The parts of the store that are restored, lost and announced (a repair each) on their own.
PARTS = ("statistics", "preheat", "degree_days", "curve", "advisor")


async def statistics_of_an_hour(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    payload: dict[str, Any],
    hass_storage: dict[str, Any],
) -> dict[str, Any]:
    """Run the unit for an hour at 1 kW, unload (which saves) and return the stored document."""
    freezer.move_to("2026-01-15T08:00:00+00:00")
    set_topic(payload, "Compressor_Freq", 40)
    set_topic(payload, "Heat_Power_Consumption", 1000)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    for _ in range(120):
        freezer.tick(timedelta(seconds=30))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    meters = entry.runtime_data.coordinator.engine.results.meters
    assert meters.elec_kwh == pytest.approx(1.0, abs=0.001)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    return copy.deepcopy(hass_storage[storage_key(entry.entry_id)])


def damage(document: dict[str, Any], path: str, value: Any) -> None:
    """Set one field of the stored document, addressed like `engine.ledger.day_key`."""
    *parents, last = path.split(".")
    node = document["data"]
    for name in parents:
        node = node[name]
    node[last] = value


def damaged_copies(hass_storage: dict[str, Any], entry: MockConfigEntry) -> list[str]:
    """Return the keys of the copies kept of damaged stores."""
    prefix = f"{storage_key(entry.entry_id)}.damaged_"
    return [key for key in hass_storage if key.startswith(prefix)]


async def restart_with(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    stored: dict[str, Any],
) -> None:
    """Store `stored` as the entry's statistics and set the entry up again: it must load."""
    hass_storage[storage_key(entry.entry_id)] = stored
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def restart_with_damage(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    payload: dict[str, Any],
    hass_storage: dict[str, Any],
    path: str,
    value: Any,
) -> dict[str, Any]:
    """Store an hour of statistics with one field damaged, restart, and return what was stored."""
    stored = await statistics_of_an_hour(hass, freezer, entry, payload, hass_storage)
    damage(stored, path, value)
    await restart_with(hass, entry, hass_storage, stored)
    return stored


def assert_lost_alone(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    entry: MockConfigEntry,
    part: str,
) -> str:
    """Check only `part` was lost: the energy stays, its repair alone is up, one copy says so.

    Returns the copy's key.
    """
    meters = entry.runtime_data.coordinator.engine.results.meters
    assert meters.elec_kwh == pytest.approx(1.0, abs=0.001)
    registry = ir.async_get(hass)
    for name in PARTS:
        issue = registry.async_get_issue(DOMAIN, f"{name}_reset_{entry.entry_id}")
        assert (issue is not None) is (name == part), name
        assert issue is None or issue.translation_key == f"{part}_reset"
    [copy_key] = damaged_copies(hass_storage, entry)
    assert hass_storage[copy_key]["data"]["lost"] == [part]
    return copy_key

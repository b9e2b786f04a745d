"""Tests for the rolling-hour write budget and its storage per unit."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
import pytest

from custom_components.heatpump_efficiency.write_budget import (
    WriteBudget,
    async_load_write_budget,
    storage_key,
)

T0 = 1_800_000_000.0


async def test_rolling_hour_per_setting() -> None:
    """Three writes an hour per setting; settings do not share; each write frees up an hour later."""
    budget = WriteBudget(3)
    for minute in (0, 10, 20):
        assert budget.allows("setpoint", T0 + minute * 60)
        await budget.async_record("setpoint", T0 + minute * 60)
    assert not budget.allows("setpoint", T0 + 30 * 60)
    assert budget.allows("mode", T0 + 30 * 60)
    assert budget.seconds_until_allowed("setpoint", T0 + 30 * 60) == 30 * 60
    assert budget.minutes_until_allowed("setpoint", T0 + 30 * 60) == 30
    # The first write leaves the window exactly an hour after it was made.
    assert not budget.allows("setpoint", T0 + 3599)
    assert budget.minutes_until_allowed("setpoint", T0 + 3599) == 1
    assert budget.allows("setpoint", T0 + 3600)
    assert budget.seconds_until_allowed("setpoint", T0 + 3600) == 0


async def test_over_full_budget_waits_for_enough_writes_to_expire() -> None:
    """More writes than allowed (recorded by an older version): wait until enough have expired."""
    budget = WriteBudget(2)
    budget.load({"writes": {"setpoint": [T0, T0 + 600, T0 + 1200]}}, T0 + 1200)
    assert budget.seconds_until_allowed("setpoint", T0 + 1200) == 600 + 3600 - 1200


def test_per_hour_must_be_positive() -> None:
    """A budget of zero would refuse every write forever."""
    with pytest.raises(ValueError, match="at least 1"):
        WriteBudget(0)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (None, {}),
        ([], {}),
        ({"writes": "x"}, {}),
        (
            {
                "writes": {
                    "setpoint": [
                        T0 - 4000,  # older than an hour: no longer counts
                        T0 - 60,
                        "later",
                        float("nan"),
                        True,
                        T0 + 7200,  # the clock went back: dropped
                    ],
                    "mode": "bad",
                    "empty": [],
                }
            },
            {"setpoint": [T0 - 60]},
        ),
    ],
)
def test_load_keeps_only_writes_that_count(stored: Any, expected: Any) -> None:
    """Malformed or stale stored data never blocks or frees a setting it should not."""
    budget = WriteBudget(6)
    budget.load(stored, T0)
    assert budget.to_dict() == {"writes": expected}


async def test_stored_per_unit_and_loaded_again(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """Each write is saved under the unit's id at once; a new budget for that unit sees it."""
    budget = await async_load_write_budget(hass, "aa:bb:cc:dd:ee:ff", 6, T0)
    await budget.async_record("setpoint", T0)
    key = storage_key("aa:bb:cc:dd:ee:ff")
    assert key == "heatpump_efficiency.writes.aa_bb_cc_dd_ee_ff"
    assert hass_storage[key]["data"] == {"writes": {"setpoint": [T0]}}

    again = await async_load_write_budget(hass, "aa:bb:cc:dd:ee:ff", 1, T0 + 60)
    assert not again.allows("setpoint", T0 + 60)
    other = await async_load_write_budget(hass, "heishamon-other", 1, T0 + 60)
    assert other.allows("setpoint", T0 + 60)


async def test_discarded_write_no_longer_counts(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A write the driver refused before sending is taken back, in storage too."""
    budget = await async_load_write_budget(hass, "unit", 1, T0)
    await budget.async_record("setpoint", T0)
    assert not budget.allows("setpoint", T0 + 1)
    await budget.async_discard("setpoint", T0)
    await budget.async_discard("mode", T0)  # nothing recorded: nothing to take back
    assert budget.allows("setpoint", T0 + 1)
    assert hass_storage[storage_key("unit")]["data"] == {"writes": {}}

"""A host clock that jumps ahead and is corrected never freezes the statistics nor makes entities unavailable."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest

from custom_components.heatpump_efficiency.entity_source import (
    EntitySource,
    SourceConfig,
)
from custom_components.heatpump_efficiency.units.model import UnitIdentity

from .conftest import state_of
from .sensor_sources import ELEC, HEAT, POWER_W, sensors_entry, set_sources, settle

START = datetime.fromisoformat("2026-01-15T08:00:00+00:00")
ELEC_ENERGY = "sensor.heat_pump_electrical_energy"


async def _run(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, start: datetime, minutes: int
) -> None:
    """Let the sources report 1 kW in and 3.5 kW out every 30 s (alternating by a watt: real changes)."""
    for step in range(minutes * 2):
        freezer.move_to(start + timedelta(seconds=30 * step))
        set_sources(hass, {ELEC: 1000 + step % 2, HEAT: 3500 + step % 2})
        await settle(hass, freezer)


async def test_clock_a_day_ahead_then_corrected(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Issue 11, reproduction 4 (sensors path): one reading a day ahead, then the right time again.

    Before, every later reading was pinned just after the false one: the values looked a day old and
    every entity went unavailable, and the statistics stopped.
    """
    freezer.move_to(START)
    set_sources(hass, {ELEC: 1000, HEAT: 3500})
    entry = sensors_entry({"electrical_power": ELEC, "thermal_power": HEAT})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await _run(hass, freezer, START, 60)
    before = float(state_of(hass, ELEC_ENERGY).state)
    # Energy states are written at least every 5 minutes (at most 1 kWh apart): 0.1 kWh of slack.
    assert before == pytest.approx(1.0, abs=0.1)

    # One reading with the clock a day ahead ...
    await _run(hass, freezer, START + timedelta(days=1, hours=1), 1)
    # ... then the clock is right again, for three hours.
    await _run(hass, freezer, START + timedelta(hours=1, minutes=1), 180)

    energy = state_of(hass, ELEC_ENERGY)
    assert energy.state != STATE_UNAVAILABLE
    # The three hours after the correction count.
    assert float(energy.state) - before == pytest.approx(3.0, abs=0.1)
    assert state_of(hass, "sensor.heat_pump_cop_today").state != STATE_UNAVAILABLE


async def test_reading_times_follow_the_host_clock(hass: HomeAssistant) -> None:
    """Readings are dated by the host clock, never pinned after a reading from a clock that ran ahead."""
    hass.states.async_set(ELEC, "1000", POWER_W)
    hass.states.async_set(HEAT, "3500", POWER_W)
    source = EntitySource(
        hass,
        SourceConfig(entities={"electrical_power": ELEC, "thermal_power": HEAT}),
        UnitIdentity(unique_id="test", manufacturer="test"),
    )
    source.load()
    ahead = START + timedelta(days=1)
    assert source.build(ahead).time == ahead
    assert source.build(START).time == START  # the clock went back: so does the reading
    assert source.build(START).time == START + timedelta(milliseconds=1)
    later = START + timedelta(seconds=30)
    assert source.build(later).time == later

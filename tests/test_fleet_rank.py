"""The fleet-rank sensor: unknown until the season has enough measured data, then the SPF's rank."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.heatpump_efficiency.analytics.curve import PerformanceCurve
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.const import DOMAIN
from custom_components.heatpump_efficiency.coordinator import HeatpumpCoordinator
from custom_components.heatpump_efficiency.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.heatpump_efficiency.units.model import Reading

from .analytics.synth import Spec, readings
from .conftest import UNIQUE_ID

NOW = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
STEP = timedelta(minutes=5)
# The rank is worked out again once per 15 minutes of readings.
REFRESH = timedelta(minutes=15)


def _entity_id(hass: HomeAssistant) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{UNIQUE_ID}_fleet_rank"
    )
    assert entity_id is not None
    return entity_id


def _season_engine(coordinator: HeatpumpCoordinator, days: float) -> Engine:
    """Return an engine that has seen `days` of steady heating at COP 4.0 up to just before NOW.

    The coordinator's performance curve learns the same readings (35 °C flow at 5 °C outdoor).
    """
    engine = Engine(coordinator.engine.config)
    curve = PerformanceCurve(engine.config)
    spec = Spec(
        start=NOW - STEP - timedelta(days=days),
        hours=days * 24,
        step_s=STEP.total_seconds(),
        cop=4.0,
        elec_w=1200.0,
    )
    for reading in readings(spec):
        curve.update(reading, engine.update(reading))
    coordinator.curve = curve
    return engine


@pytest.fixture
async def entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> MockConfigEntry:
    """Set up the recorded unit at NOW."""
    freezer.move_to(NOW)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


async def test_unknown_until_the_season_has_enough_data(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """A fresh entry has no season to compare: the rank is unknown and says why."""
    state = hass.states.get(_entity_id(hass))
    assert state is not None
    assert state.state == "unknown"
    assert state.attributes["status"] == "not_enough_data"
    assert state.attributes["running_cop_rank"] is None
    assert "self-selected, well-metered" in state.attributes["fleet"]
    assert state.attributes["unit_of_measurement"] == "%"
    assert "state_class" not in state.attributes  # no long-term statistics of a rank


async def test_a_season_of_measured_heat_is_ranked(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Fifteen days at COP 4.0, the fleet's median SPF, rank at 50 %; every figure is hand-checked."""
    coordinator = entry.runtime_data.coordinator
    coordinator.engine = _season_engine(coordinator, 15.0)
    freezer.tick(REFRESH)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(_entity_id(hass))
    assert state is not None
    season = coordinator.data.results.season
    assert season.cop_combined == pytest.approx(4.0, abs=1e-3)
    assert state.state == "50"
    assert state.attributes["status"] == "ranked"
    # Running COP 4.0: 25 + 0.33 / 0.40 x 25 = 45.6th percentile.
    assert state.attributes["running_cop_rank"] == 46
    # One start in fifteen days: far below the fleet's 10th percentile, held at 99 %.
    assert state.attributes["starts_per_hour_rank"] == 99
    # 35 °C flow: 50 + 0.3 / 2.7 x 25 = 52.8th percentile, lower than 47 % of the fleet.
    assert state.attributes["flow_temperature_rank"] == 47
    # 30 K lift: 75 + 0.1 / 2.5 x 15 = 75.6th percentile, better than 24 %.
    assert state.attributes["flow_outdoor_difference_rank"] == 24
    assert state.attributes["flow_temperature_class"] == "35_38"
    assert state.attributes["expected_spf"] == 3.86
    # SPF 4.00 in the 35-38 °C class: 50 + 0.14 / 0.31 x 25 = 61.3.
    assert state.attributes["spf_rank_in_flow_temperature_class"] == 61
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["fleet"]["status"] == "ranked"
    assert diagnostics["fleet"]["spf_rank_pct"] == pytest.approx(50.0, abs=0.1)
    assert diagnostics["fleet"]["fleet"]["systems"] == 304


async def test_too_short_a_season_is_not_ranked(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Ten days are not enough, however good the figures."""
    coordinator = entry.runtime_data.coordinator
    coordinator.engine = _season_engine(coordinator, 10.0)
    freezer.tick(REFRESH)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(_entity_id(hass))
    assert state is not None
    assert state.state == "unknown"
    assert state.attributes["status"] == "not_enough_data"


async def test_the_rank_is_worked_out_once_per_quarter_hour(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Polls within the same 15 minutes of readings reuse the rank; the next quarter hour sees the change."""
    coordinator = entry.runtime_data.coordinator
    coordinator.engine = _season_engine(coordinator, 15.0)
    freezer.tick(REFRESH)
    await coordinator.async_refresh()
    assert coordinator.data.fleet.spf_rank_pct is not None
    # A shorter season (as after a restore of older data) within the same quarter hour: still the old rank.
    coordinator.engine = _season_engine(coordinator, 10.0)
    freezer.tick(timedelta(minutes=1))
    await coordinator.async_refresh()
    assert coordinator.data.fleet.spf_rank_pct is not None
    freezer.tick(REFRESH)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert coordinator.data.fleet.spf_rank_pct is None
    state = hass.states.get(_entity_id(hass))
    assert state is not None
    assert state.state == "unknown"


async def test_only_estimated_heat_is_not_ranked(
    hass: HomeAssistant, entry: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without flow rate the HeishaMon heat is only the unit's 200 W estimate: no comparison."""
    coordinator = entry.runtime_data.coordinator
    coordinator.engine = _season_engine(coordinator, 15.0)
    fetch = coordinator.driver.async_fetch

    async def without_flow() -> Reading:
        reading: Reading = await fetch()
        return replace(reading, flow_lpm=None)

    monkeypatch.setattr(coordinator.driver, "async_fetch", without_flow)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(_entity_id(hass))
    assert state is not None
    assert state.state == "unknown"
    assert state.attributes["status"] == "heat_estimated"

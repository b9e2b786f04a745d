"""The heating-curve advice in Home Assistant: its sensors, its repair issue, persistence and diagnostics."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.heatpump_efficiency.analytics.advisor import HeatingCurveAdvisor
from custom_components.heatpump_efficiency.const import CONF_ROOM_SENSOR, DOMAIN
from custom_components.heatpump_efficiency.coordinator import storage_key
from custom_components.heatpump_efficiency.diagnostics import (
    async_get_config_entry_diagnostics,
)

from .analytics.test_advisor import feed
from .conftest import set_topic, state_of
from .stored_parts import (
    assert_lost_alone,
    damaged_copies,
    restart_with_damage,
    statistics_of_an_hour,
)

ROOM = "sensor.living_room"
# A fixed hour for tests that count the local days of a week of evidence (noon in the test time zone).
MIDDAY = "2026-01-15T20:00:00+00:00"
KEYS = ("heating_curve_advice", "heating_curve_change", "heating_curve_cop_change")


def _entity_ids(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    registry = er.async_get(hass)
    found = {}
    for key in KEYS:
        entity_id = registry.async_get_entity_id(
            "sensor", DOMAIN, f"{entry.unique_id}_{key}"
        )
        assert entity_id is not None, key
        found[key] = entity_id
    return found


async def _setup_with_room_sensor(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    hass.states.async_set(ROOM, "21.0", {"unit_of_measurement": "°C"})
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, options={CONF_ROOM_SENSOR: ROOM})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def _poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def _advisor_of_a_week(room_offset_k: float) -> HeatingCurveAdvisor:
    """An advisor that saw the last week of a house `room_offset_k` off its target."""
    advisor = HeatingCurveAdvisor()
    # No setting: the unit's own (seen at the next poll) is then the first, not a change.
    feed(
        advisor,
        7,
        room_offset_k=room_offset_k,
        start=dt_util.utcnow() - timedelta(days=7, minutes=5),
        setting=None,
    )
    return advisor


async def test_sensors_and_repair_follow_the_advice(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """Not enough data at first; a confident 'lower' raises the issue; 'ok' removes it."""
    # How many local days a week of evidence touches depends on the hour.
    freezer.move_to(MIDDAY)
    entry = mock_config_entry
    await _setup_with_room_sensor(hass, entry)
    ids = _entity_ids(hass, entry)
    assert state_of(hass, ids["heating_curve_advice"]).state == "not_enough_data"
    assert state_of(hass, ids["heating_curve_change"]).state == "unknown"
    assert state_of(hass, ids["heating_curve_cop_change"]).state == "unknown"
    registry = ir.async_get(hass)
    issue_id = f"heating_curve_{entry.entry_id}"
    assert registry.async_get_issue(DOMAIN, issue_id) is None

    coordinator = entry.runtime_data.coordinator
    coordinator.advisor = _advisor_of_a_week(2.0)
    await _poll(hass, freezer)
    advice = state_of(hass, ids["heating_curve_advice"])
    assert advice.state == "lower"
    assert advice.attributes["reason"] == "rooms_warm"
    # A week back from now touches eight local days.
    assert advice.attributes["days"] == 8
    change = float(state_of(hass, ids["heating_curve_change"]).state)
    assert change == pytest.approx(-3.5, abs=0.5)
    cop = state_of(hass, ids["heating_curve_cop_change"])
    assert float(cop.state) > 0
    assert cop.attributes["basis"] == "carnot"
    issue = registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "heating_curve_lower"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["change"] == f"{abs(change):g}"
    assert issue.translation_placeholders["days"] == "8"

    # The same advice on the next poll leaves the registry alone.
    before = issue.created
    await _poll(hass, freezer)
    same = registry.async_get_issue(DOMAIN, issue_id)
    assert same is not None
    assert same.created == before

    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["advice"]["advice"] == "lower"
    assert diagnostics["advice"]["evidence"]

    coordinator.advisor = _advisor_of_a_week(0.0)
    await _poll(hass, freezer)
    assert state_of(hass, ids["heating_curve_advice"]).state == "ok"
    assert float(state_of(hass, ids["heating_curve_change"]).state) == 0.0
    assert registry.async_get_issue(DOMAIN, issue_id) is None


async def test_raise_has_its_own_text(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    freezer.move_to(MIDDAY)
    entry = mock_config_entry
    await _setup_with_room_sensor(hass, entry)
    entry.runtime_data.coordinator.advisor = _advisor_of_a_week(-2.0)
    await _poll(hass, freezer)
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"heating_curve_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_key == "heating_curve_raise"
    # Removing the entry removes its issue.
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, f"heating_curve_{entry.entry_id}")
        is None
    )


async def test_no_advice_entities_without_a_room_temperature(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The recorded unit runs on water temperature: no room temperature, so nothing to judge."""
    registry = er.async_get(hass)
    for key in KEYS:
        assert (
            registry.async_get_entity_id(
                "sensor", DOMAIN, f"{init_integration.unique_id}_{key}"
            )
            is None
        )


async def test_advisor_survives_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
    hass_storage: dict[str, Any],
) -> None:
    """The advisor's evidence is stored with the statistics and comes back unchanged."""
    entry = mock_config_entry
    stored = await statistics_of_an_hour(
        hass, freezer, entry, heishamon_payload, hass_storage
    )
    evidence = HeatingCurveAdvisor.from_dict(stored["data"]["advisor"])
    assert evidence.to_dict()["cells"]
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert (
        entry.runtime_data.coordinator.advisor.to_dict()["cells"]
        == (evidence.to_dict()["cells"])
    )
    assert not damaged_copies(hass_storage, entry)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("advisor", [1]),
        ("advisor.version", 99),
        ("advisor.cells", [[1, 2, 3]]),
        ("advisor.since", float("nan")),
    ],
)
async def test_damaged_advisor_alone_starts_afresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
    hass_storage: dict[str, Any],
    path: str,
    value: Any,
) -> None:
    """A damaged advisor loses only its evidence: a copy and its own repair say so."""
    entry = mock_config_entry
    await restart_with_damage(
        hass, freezer, entry, heishamon_payload, hass_storage, path, value
    )
    assert_lost_alone(hass, hass_storage, entry, "advisor")
    assert entry.runtime_data.coordinator.curve.bands()
    assert hass_storage[storage_key(entry.entry_id)]["data"]["advisor"]["cells"] == []


async def test_a_changed_shift_restarts_the_evidence_except_in_room_hold(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
) -> None:
    """The user changing the curve shift restarts the advice; room hold's own steps do not."""
    set_topic(
        heishamon_payload, "Heating_Mode", 0
    )  # compensation curve: the request is a shift
    set_topic(heishamon_payload, "Z1_Heat_Request_Temp", 0)
    entry = mock_config_entry
    await _setup_with_room_sensor(hass, entry)
    coordinator = entry.runtime_data.coordinator
    # With a room sensor the thermostat holds the room by moving the shift itself ("room hold");
    # first without it, as with the unit's own room temperature and no room sensor chosen.
    coordinator.room_target = None
    await _poll(hass, freezer)
    assert coordinator.advisor.result().evidence_since is None
    set_topic(heishamon_payload, "Z1_Heat_Request_Temp", 2)
    await _poll(hass, freezer)
    since = coordinator.advisor.result().evidence_since
    assert since is not None
    # In room hold the climate entity moves the shift itself: not a new curve.
    coordinator.room_target = 21.0
    freezer.tick(timedelta(minutes=20))
    set_topic(heishamon_payload, "Z1_Heat_Request_Temp", 3)
    await _poll(hass, freezer)
    assert coordinator.advisor.result().evidence_since == since

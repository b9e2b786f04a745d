"""The shipped dashboard: built-in cards only, and every entity and attribute it shows exists by default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util.yaml import load_yaml
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.heatpump_efficiency.const import CONF_ROOM_SENSOR

DASHBOARD = (
    Path(__file__).parent.parent / "dashboards" / "heatpump_efficiency.yaml"
).resolve()

# Card, row, badge, section and view types the Home Assistant frontend ships (no HACS cards).
BUILT_IN_CARDS = frozenset(
    {
        "alarm-panel",
        "area",
        "button",
        "calendar",
        "conditional",
        "entities",
        "entity",
        "entity-filter",
        "gauge",
        "glance",
        "grid",
        "heading",
        "history-graph",
        "horizontal-stack",
        "humidifier",
        "iframe",
        "light",
        "logbook",
        "map",
        "markdown",
        "media-control",
        "picture",
        "picture-elements",
        "picture-entity",
        "picture-glance",
        "plant-status",
        "sensor",
        "statistic",
        "statistics-graph",
        "thermostat",
        "tile",
        "todo-list",
        "vertical-stack",
        "weather-forecast",
    }
)
BUILT_IN_ROWS = frozenset(
    {"attribute", "button", "buttons", "call-service", "cast", "conditional"}
    | {"divider", "perform-action", "section", "simple-entity", "text", "weblink"}
)
BUILT_IN_BADGES = frozenset({"entity"})
BUILT_IN_SECTIONS = frozenset({"grid"})
BUILT_IN_VIEWS = frozenset({"masonry", "panel", "sections", "sidebar"})


# The heating-curve advisor's entities exist only where a room temperature is fed (the recorded unit
# runs on water temperature); their card is hidden elsewhere.
NEEDS_ROOM_TEMPERATURE = frozenset(
    {
        "sensor.heat_pump_heating_curve_advice",
        "sensor.heat_pump_suggested_heating_curve_change",
        "sensor.heat_pump_expected_cop_change",
    }
)


def load_dashboard() -> dict[str, Any]:
    """Return the dashboard configuration."""
    config = load_yaml(DASHBOARD)
    assert isinstance(config, dict)
    return config


def cards(container: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield every card of a view, section or stack, nested ones included."""
    for card in container.get("cards", []):
        yield card
        yield from cards(card)
        for key in ("card", "default"):  # conditional card, entity-filter card
            if isinstance(inner := card.get(key), dict):
                yield inner
                yield from cards(inner)


def all_cards(config: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield every card of the dashboard."""
    for view in config["views"]:
        yield from cards(view)
        for section in view.get("sections", []):
            yield from cards(section)


def entity_refs(node: Any) -> Iterator[str]:
    """Yield every entity id the configuration refers to, wherever it appears."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("entity", "entity_id") and isinstance(value, str):
                yield value
            elif key in ("entity", "entity_id", "entities") and isinstance(value, list):
                yield from (item for item in value if isinstance(item, str))
            yield from entity_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from entity_refs(item)


def rows(config: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield every row of every entities card, the rows inside conditional rows included."""
    for card in all_cards(config):
        for row in card.get("entities", []):
            if not isinstance(row, dict):
                continue
            yield row
            if row.get("type") == "conditional":
                yield row["row"]


def attribute_rows(config: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Yield (entity id, attribute) of every attribute row."""
    for row in rows(config):
        if row.get("type") == "attribute":
            yield row["entity"], row["attribute"]


def shown_only_with_value(conditions: list[dict[str, Any]], entity_id: str) -> bool:
    """Return whether the conditions hide something while `entity_id` is unknown or unavailable."""
    return any(
        c.get("condition") == "state"
        and c.get("entity") == entity_id
        and (
            {"unknown", "unavailable"} <= set(c.get("state_not", []))
            or c.get("state") not in (None, "unknown", "unavailable")
        )
        for c in conditions
    )


def test_only_built_in_types() -> None:
    """Views, sections, cards, rows and badges are all built into Home Assistant."""
    config = load_dashboard()
    assert config["views"], "the dashboard has no view"
    card_types: set[str] = set()
    for view in config["views"]:
        assert view.get("type", "masonry") in BUILT_IN_VIEWS
        for section in view.get("sections", []):
            assert section.get("type", "grid") in BUILT_IN_SECTIONS
    for card in all_cards(config):
        card_type = card["type"]
        card_types.add(card_type)
        assert not card_type.startswith("custom:"), card_type
        assert card_type in BUILT_IN_CARDS, card_type
        for row in card.get("entities", []):
            if isinstance(row, dict) and "type" in row:
                assert row["type"] in BUILT_IN_ROWS, row
        for badge in card.get("badges", []):
            assert badge.get("type", "entity") in BUILT_IN_BADGES, badge
    # The issue asks for COP per day over weeks as a statistics graph.
    assert "statistics-graph" in card_types
    assert "thermostat" in card_types


def test_cop_per_day_uses_daily_statistics() -> None:
    """The COP chart groups long-term statistics by day over several weeks."""
    charts = [
        card
        for card in all_cards(load_dashboard())
        if card["type"] == "statistics-graph"
        and any("cop" in ref for ref in entity_refs(card))
    ]
    assert charts
    for chart in charts:
        assert chart["period"] == "day"
        assert chart["days_to_show"] >= 14
        assert chart["stat_types"] == ["mean"]


@pytest.mark.usefixtures("init_integration")
async def test_entities_exist_and_enabled_by_default(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Every referenced entity is created, enabled by default, and shows the attributes the rows read."""
    config = load_dashboard()
    registry = er.async_get(hass)
    created = {
        entry.entity_id: entry
        for entry in er.async_entries_for_config_entry(
            registry, mock_config_entry.entry_id
        )
    }
    referenced = set(entity_refs(config)) - NEEDS_ROOM_TEMPERATURE
    assert referenced, "the dashboard refers to no entity"
    missing = referenced - created.keys()
    assert not missing, f"not created by the integration: {sorted(missing)}"
    disabled = sorted(e for e in referenced if created[e].disabled_by is not None)
    assert not disabled, f"disabled by default: {disabled}"
    for entity_id, attribute in attribute_rows(config):
        if entity_id in NEEDS_ROOM_TEMPERATURE:
            continue
        state = hass.states.get(entity_id)
        assert state is not None, entity_id
        assert attribute in state.attributes, f"{entity_id} has no {attribute}"


async def test_heating_curve_card_with_a_room_temperature(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """The advisor's entities exist once a room temperature is fed; without one their card hides."""
    hass.states.async_set("sensor.living_room", "21.0", {"unit_of_measurement": "°C"})
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_ROOM_SENSOR: "sensor.living_room"}
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    config = load_dashboard()
    for entity_id in NEEDS_ROOM_TEMPERATURE:
        assert hass.states.get(entity_id) is not None, entity_id
    for entity_id, attribute in attribute_rows(config):
        if entity_id in NEEDS_ROOM_TEMPERATURE:
            state = hass.states.get(entity_id)
            assert state is not None
            assert attribute in state.attributes, f"{entity_id} has no {attribute}"
    [card] = [
        card
        for card in all_cards(config)
        if NEEDS_ROOM_TEMPERATURE & set(entity_refs(card.get("entities", [])))
    ]
    # Shown only while the advice sensor has one of its states: hidden where it does not exist.
    [condition] = card["visibility"]
    assert condition["entity"] == "sensor.heat_pump_heating_curve_advice"
    assert set(condition["state"]) == {"lower", "ok", "raise", "not_enough_data"}


@pytest.mark.usefixtures("init_integration")
async def test_shows_every_headline_entity(hass: HomeAssistant) -> None:
    """The figures the issue lists are all on the dashboard."""
    referenced = set(entity_refs(load_dashboard()))
    assert {
        "sensor.heat_pump_live_cop",
        "sensor.heat_pump_thermal_power",
        "sensor.heat_pump_electrical_power",
        "sensor.heat_pump_cop_today",
        "sensor.heat_pump_cop_last_7_days",
        "sensor.heat_pump_seasonal_cop",
        "sensor.heat_pump_electrical_energy",
        "sensor.heat_pump_thermal_energy",
        "sensor.heat_pump_outdoor_temperature",
        "sensor.heat_pump_defrosts_today",
        "sensor.heat_pump_defrost_heat_lost_today",
        "sensor.heat_pump_compressor_starts_per_hour",
        "sensor.heat_pump_median_run_time",
        "sensor.heat_pump_filter_check_due_in",
        "sensor.heat_pump_backup_heater_share_today",
        "binary_sensor.heat_pump_defrost",
        "binary_sensor.heat_pump_filter_due",
        "binary_sensor.heat_pump_excessive_defrost",
        "binary_sensor.heat_pump_short_cycling",
        "binary_sensor.heat_pump_backup_heater",
        "button.heat_pump_filter_cleaned",
        "climate.heat_pump",
    } <= referenced


def test_header_badges_say_what_they_show() -> None:
    """Every header badge names its figure ("Outdoor · 0.0 °C"); defrosting shows only while it happens."""
    headings = [c for c in all_cards(load_dashboard()) if c["type"] == "heading"]
    badges = [badge for heading in headings for badge in heading.get("badges", [])]
    assert badges
    for badge in badges:
        assert badge.get("name"), badge
        content = badge.get("state_content", [])
        assert "name" in ([content] if isinstance(content, str) else content), badge
    by_entity = {badge["entity"]: badge for badge in badges}
    assert by_entity["sensor.heat_pump_outdoor_temperature"]["name"] == "Outdoor"
    assert "sensor.heat_pump_compressor_frequency" in by_entity
    defrost = by_entity["binary_sensor.heat_pump_defrost"]
    assert defrost["visibility"] == [
        {
            "condition": "state",
            "entity": "binary_sensor.heat_pump_defrost",
            "state": "on",
        }
    ]


def test_rows_unknown_by_design_show_only_with_a_value() -> None:
    """The excessive-defrost reason, the COP against the clean filter and the fleet rank hide while unknown."""
    config = load_dashboard()
    conditional = [row for row in rows(config) if row.get("type") == "conditional"]
    for row in conditional:
        assert row["conditions"] and "row" in row, row
    guarded = {
        row["row"].get("attribute", row["row"]["entity"])
        for row in conditional
        if shown_only_with_value(row["conditions"], row["conditions"][0]["entity"])
    }
    assert {"detail", "sensor.heat_pump_cop_against_clean_filter"} <= guarded
    # Nowhere else: an unguarded row of these would read "Unknown" for weeks.
    plain = [row for card in all_cards(config) for row in card.get("entities", [])]
    assert not any(
        isinstance(row, dict)
        and (
            row.get("attribute") in ("detail", "cop_drift_pct")
            or row.get("entity") == "sensor.heat_pump_cop_against_clean_filter"
        )
        for row in plain
    )
    fleet_cards = [
        card
        for card in all_cards(config)
        if "sensor.heat_pump_fleet_rank" in set(entity_refs(card.get("entities", [])))
    ]
    assert fleet_cards, "the dashboard has no fleet row"
    for card in fleet_cards:
        assert shown_only_with_value(
            card.get("visibility", []), "sensor.heat_pump_fleet_rank"
        ), card


def test_conditions_use_the_built_in_syntax() -> None:
    """Conditional rows and card or badge visibility use Home Assistant's condition syntax."""
    config = load_dashboard()
    conditions = [c for row in rows(config) for c in row.get("conditions", [])]
    for card in all_cards(config):
        conditions += card.get("visibility", [])
        for badge in card.get("badges", []):
            conditions += badge.get("visibility", [])
    assert conditions
    for condition in conditions:
        assert condition["condition"] in ("state", "numeric_state"), condition
        assert condition["entity"].split(".")[0] in ("sensor", "binary_sensor")
        if condition["condition"] == "state":
            assert ("state" in condition) != ("state_not" in condition), condition

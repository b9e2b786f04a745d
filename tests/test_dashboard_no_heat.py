"""The dashboard for units without heat measurement: built-in cards, no COP, every entity it shows exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util.yaml import load_yaml

from .test_dashboard import (
    BUILT_IN_CARDS,
    BUILT_IN_ROWS,
    all_cards,
    attribute_rows,
    entity_refs,
)
from .test_no_heat import setup, split_entry

DASHBOARD = (
    Path(__file__).parent.parent / "dashboards" / "heatpump_efficiency_no_heat.yaml"
).resolve()


def load_dashboard() -> dict[str, Any]:
    """Return the dashboard configuration."""
    config = load_yaml(DASHBOARD)
    assert isinstance(config, dict)
    return config


def test_built_in_cards_and_no_cop() -> None:
    """Only built-in cards and rows; no COP anywhere (these units have none)."""
    config = load_dashboard()
    for card in all_cards(config):
        assert card["type"] in BUILT_IN_CARDS, card["type"]
        for row in card.get("entities", []):
            if isinstance(row, dict) and "type" in row:
                assert row["type"] in BUILT_IN_ROWS, row
    refs = set(entity_refs(config))
    assert not {ref for ref in refs if "cop" in ref}
    assert "sensor.heat_pump_electricity_per_degree_day_7_days" in refs


async def test_every_entity_exists_for_an_air_to_air_unit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A unit with only electricity, outdoor temperature and its thermostat feeds every card."""
    entry = await setup(hass, freezer, split_entry())
    config = load_dashboard()
    created = {
        e.entity_id: e
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    referenced = set(entity_refs(config))
    assert not referenced - created.keys()
    assert not [e for e in referenced if created[e].disabled_by is not None]
    for entity_id, attribute in attribute_rows(config):
        state = hass.states.get(entity_id)
        assert state is not None
        assert attribute in state.attributes, (entity_id, attribute)

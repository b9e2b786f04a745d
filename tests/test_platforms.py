"""One snapshot per platform, from the recorded HeishaMon payload.

The snapshot is a plain summary (entity id, state, attributes and registry facts) rather than Home
Assistant's registry serialisation, so the same snapshot holds on every supported Home Assistant.
"""

from __future__ import annotations

import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion

from custom_components.heatpump_efficiency.const import DOMAIN

FROZEN_TIME = "2026-01-15T10:00:00+00:00"


def _plain(value: Any) -> Any:
    """Return JSON-plain data: enum keys and values as their strings, as every version serialises them."""
    return json.loads(json.dumps(value, default=str))


def platform_summary(
    hass: HomeAssistant, entry_id: str, platform: Platform
) -> list[dict[str, Any]]:
    """Summarise every entity of one platform of an entry."""
    registry = er.async_get(hass)
    summary = []
    for entity in sorted(
        er.async_entries_for_config_entry(registry, entry_id), key=lambda e: e.entity_id
    ):
        if entity.domain != platform:
            continue
        state = hass.states.get(entity.entity_id)
        attributes = None if state is None else dict(state.attributes)
        if attributes is not None:
            # An image's access token is random (and so is the picture address built from it).
            attributes.pop("access_token", None)
            if entity.domain == Platform.IMAGE:
                attributes.pop("entity_picture", None)
        summary.append(
            {
                "entity_id": entity.entity_id,
                "unique_id": entity.unique_id,
                "translation_key": entity.translation_key,
                "entity_category": _plain(entity.entity_category),
                "disabled_by": _plain(entity.disabled_by),
                "state": None if state is None else state.state,
                "attributes": None if attributes is None else _plain(attributes),
            }
        )
    return summary


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    "platform",
    [
        Platform.BINARY_SENSOR,
        Platform.BUTTON,
        Platform.CLIMATE,
        Platform.IMAGE,
        Platform.NUMBER,
        Platform.SENSOR,
    ],
)
async def test_platform_snapshot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every entity of the platform, as created from the recorded payload."""
    freezer.move_to(FROZEN_TIME)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert platform_summary(hass, mock_config_entry.entry_id, platform) == snapshot


async def test_entities_disabled_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Noisy or rarely needed sensors start disabled; the essentials are enabled."""
    registry = er.async_get(hass)
    disabled = {
        e.translation_key
        for e in er.async_entries_for_config_entry(registry, init_integration.entry_id)
        if e.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    }
    assert disabled == {
        "cop_30d",
        "cop_lifetime",
        "flow_target_temperature",
        "dhw_temperature",
    }
    assert hass.states.get("sensor.heat_pump_live_cop") is not None
    assert DOMAIN in hass.config.components

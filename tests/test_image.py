"""The performance curve picture: served through the image API, drawn again only when the curve changed."""

from __future__ import annotations

from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any
import xml.etree.ElementTree as ET  # parses only our own output

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.heatpump_efficiency.analytics.curve import PerformanceCurve
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.heatpump_efficiency.image import RENDER_INTERVAL

from .analytics.synth import START, Spec, readings
from .conftest import set_topic, state_of
from .test_no_heat import setup as setup_split, split_entry

IMAGE = "image.heat_pump_performance_curve"


def learned(hours: float, outdoor_c: float = 3.0, cop: float = 3.5) -> PerformanceCurve:
    """Return a curve learned from a synthetic steady run that ended a day ago (this season)."""
    engine = Engine()
    curve = PerformanceCurve(engine.config)
    start = dt_util.utcnow() - timedelta(days=1, hours=hours)
    for reading in readings(
        Spec(start=start, hours=hours, outdoor_c=outdoor_c, cop=cop)
    ):
        curve.update(reading, engine.update(reading))
    return curve


async def fetch(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    image: str = IMAGE,
) -> tuple[str, bytes]:
    """Fetch the picture through Home Assistant's image API, as a picture card does (its token)."""
    client = await hass_client_no_auth()
    token = state_of(hass, image).attributes["access_token"]
    response = await client.get(f"/api/image_proxy/{image}?token={token}")
    assert response.status == HTTPStatus.OK
    return response.content_type, await response.read()


async def poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Let time pass and the coordinator poll."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def test_picture_served_and_redrawn_only_on_change(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: ClientSessionGenerator,
    init_integration: MockConfigEntry,
) -> None:
    """At first a "not enough data yet" picture; a changed curve is drawn at most once an hour."""
    first = state_of(hass, IMAGE)
    assert set(first.attributes) <= {"access_token", "entity_picture", "friendly_name"}
    content_type, body = await fetch(hass, hass_client_no_auth)
    assert content_type == "image/svg+xml"
    ET.fromstring(body)  # noqa: S314
    assert b"Not enough data yet" in body

    # Polls without a change in the curve draw nothing, however long they go on (Home Assistant
    # itself rotates the access token every 5 minutes; the state, the drawing time, stays).
    await poll(hass, freezer, RENDER_INTERVAL * 2)
    assert state_of(hass, IMAGE).state == first.state
    assert state_of(hass, IMAGE).last_changed == first.last_changed

    coordinator = init_integration.runtime_data.coordinator
    coordinator.curve = learned(6)
    await poll(hass, freezer, timedelta(minutes=1))
    drawn = state_of(hass, IMAGE)
    assert drawn.state != first.state
    assert dt_util.utcnow() - datetime.fromisoformat(drawn.state) <= timedelta(
        minutes=1
    )
    _, body = await fetch(hass, hass_client_no_auth)
    assert b"Running COP" in body and b"Not enough data yet" not in body
    ET.fromstring(body)  # noqa: S314

    # Another change within the hour waits; after the hour it is drawn.
    coordinator.curve = learned(6, outdoor_c=-3.0, cop=2.8)
    await poll(hass, freezer, RENDER_INTERVAL / 2)
    assert state_of(hass, IMAGE).state == drawn.state
    assert (await fetch(hass, hass_client_no_auth))[1] == body
    await poll(hass, freezer, RENDER_INTERVAL / 2)
    assert state_of(hass, IMAGE).state != drawn.state
    assert (await fetch(hass, hass_client_no_auth))[1] != body


async def test_picture_stays_while_the_unit_is_offline(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    init_integration: MockConfigEntry,
) -> None:
    """The curve is history: the picture stays available when a poll fails."""
    coordinator = init_integration.runtime_data.coordinator
    coordinator.async_set_update_error(TimeoutError("unit unreachable"))
    await hass.async_block_till_done()
    assert not coordinator.last_update_success
    assert state_of(hass, IMAGE).state != "unavailable"
    assert (await fetch(hass, hass_client_no_auth))[0] == "image/svg+xml"


async def test_no_picture_without_heat(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A unit that reports no heat has no COP to draw: the image is not created."""
    entry = await setup_split(hass, freezer, split_entry())
    domains = {
        e.domain
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert "image" not in domains
    assert hass.states.get("image.heat_pump_performance_curve") is None


async def test_curve_learned_from_polls_and_in_diagnostics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
    heishamon_payload: dict[str, Any],
) -> None:
    """Polls feed the coordinator's curve; diagnostics carry its numbers."""
    freezer.move_to(START)
    set_topic(heishamon_payload, "Compressor_Freq", 40)
    set_topic(heishamon_payload, "Heat_Power_Consumption", 1000)
    set_topic(heishamon_payload, "Heat_Power_Production", 3500)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    for _ in range(3 * 120):
        await poll(hass, freezer, timedelta(seconds=30))
    coordinator = mock_config_entry.runtime_data.coordinator
    (band,) = coordinator.data.curve
    assert band.running_hours > 2.9
    assert band.cop is not None and 3.0 < band.cop < 4.0
    diagnostics = await async_get_config_entry_diagnostics(hass, mock_config_entry)
    assert diagnostics["curve"]["bands"][0]["low_c"] == band.low_c
    assert diagnostics["curve"]["heat_weighted_flow_c"] is not None


async def test_picture_speaks_home_assistant_language(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """The picture's texts come from the translations in Home Assistant's language."""
    hass.config.language = "de"
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    (image,) = hass.states.async_entity_ids("image")
    assert image == "image.heat_pump_leistungskurve"
    _, body = await fetch(hass, hass_client_no_auth, image)
    ET.fromstring(body)  # noqa: S314
    assert b"Noch nicht genug Daten" in body
    assert b"Not enough data yet" not in body

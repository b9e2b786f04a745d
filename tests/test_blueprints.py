"""The shipped automation blueprints: schema, then behaviour in a running Home Assistant."""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint, DomainBlueprints
from homeassistant.const import EVENT_CALL_SERVICE
from homeassistant.core import (
    Event,
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util, yaml as yaml_util
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_mock_service,
)

from .conftest import state_of

ROOT = Path(__file__).parents[1]
BLUEPRINTS = ROOT / "blueprints"
FOLDER = BLUEPRINTS / "automation" / "heatpump_efficiency"
NAMES = ("occupancy_scheduling", "preheat", "alerts")
SOURCE = "https://github.com/heatpump-efficiency/heatpump_efficiency/blob/main/blueprints/automation/heatpump_efficiency/"
CLIMATE = "climate.test"
ROOM = "sensor.room"

# Schedules and time patterns keep their next timer when Home Assistant stops after the test.
pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])


@pytest.fixture(autouse=True)
def blueprint_folder() -> Generator[None]:
    """Load blueprints straight from the repository (the test config folder belongs to the plugin)."""
    with patch.object(
        DomainBlueprints,
        "blueprint_folder",
        property(lambda self: BLUEPRINTS / self.domain),
    ):
        yield


def load(name: str) -> dict[str, Any]:
    """Return a blueprint file's YAML (with its !input tags resolved as Home Assistant does)."""
    return yaml_util.load_yaml_dict(FOLDER / f"{name}.yaml")


def selectors(inputs: dict[str, Any]) -> Generator[tuple[str, dict[str, Any]]]:
    """Yield (input key, selector) of every input, through sections."""
    for key, value in inputs.items():
        if value and "input" in value:
            yield from selectors(value["input"])
        elif value and "selector" in value:
            yield key, value["selector"]


# Schema -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_blueprint_schema(name: str) -> None:
    """Each blueprint passes Home Assistant's automation blueprint schema and our conventions."""
    data = load(name)
    blueprint = Blueprint(
        data, expected_domain="automation", schema=AUTOMATION_BLUEPRINT_SCHEMA
    )
    assert blueprint.validate() is None
    meta = blueprint.metadata
    assert meta["source_url"] == f"{SOURCE}{name}.yaml"
    assert meta["homeassistant"]["min_version"] == "2025.4.0"
    assert all("input" in section for section in meta["input"].values()), (
        "inputs are in sections"
    )
    # New syntax only.
    assert {"triggers", "actions"} <= data.keys()
    assert not {"trigger", "action", "condition"} & data.keys()
    raw = load(name)["blueprint"][
        "input"
    ]  # as written, before the schema normalises it
    for _, selector in selectors(raw):
        if "entity" in selector and "filter" in selector["entity"]:
            filters = selector["entity"]["filter"]
            for item in filters if isinstance(filters, list) else [filters]:
                assert isinstance(item, dict)
    climate = dict(selectors(raw)).get("climate_entity")
    if climate is not None:
        # Any integration's climate entity with a target temperature: one mapping (AND), no
        # integration filter; and the description says so.
        assert climate["entity"]["filter"] == {
            "domain": "climate",
            "supported_features": ["climate.ClimateEntityFeature.TARGET_TEMPERATURE"],
        }
        assert "Needs a thermostat with a target temperature" in meta["description"]


# Helpers ------------------------------------------------------------------------------------------


async def setup_climate(hass: HomeAssistant, room_c: float = 19.0) -> None:
    """A generic thermostat (an input_boolean heater and a plain sensor): any climate must work."""
    # The thermostat switches its heater through homeassistant.turn_on/turn_off.
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"heater": {}}}
    )
    hass.states.async_set(ROOM, str(room_c), {"unit_of_measurement": "°C"})
    assert await async_setup_component(
        hass,
        "climate",
        {
            "climate": {
                "platform": "generic_thermostat",
                "name": "test",
                "heater": "input_boolean.heater",
                "target_sensor": ROOM,
                "initial_hvac_mode": "heat",
                "target_temp": 17,
                "min_temp": 5,
                "max_temp": 30,
            }
        },
    )
    await hass.async_block_till_done()
    assert state_of(hass, CLIMATE).state == "heat"


async def setup_automation(
    hass: HomeAssistant, name: str, inputs: dict[str, Any]
) -> None:
    """Create one automation from a blueprint."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "id": name,
                    "alias": name,
                    "use_blueprint": {
                        "path": f"heatpump_efficiency/{name}.yaml",
                        "input": inputs,
                    },
                }
            ]
        },
    )
    await hass.async_block_till_done()
    assert state_of(hass, f"automation.{name}").state == "on"


def target(hass: HomeAssistant) -> float:
    """Return the thermostat's target temperature."""
    return float(state_of(hass, CLIMATE).attributes["temperature"])


async def move(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Move time forward in one-minute steps, firing time listeners on the way."""
    end = dt_util.utcnow() + delta
    while dt_util.utcnow() < end:
        freezer.tick(min(timedelta(minutes=1), end - dt_util.utcnow()))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


def move_to(freezer: FrozenDateTimeFactory, local: str) -> None:
    """Freeze time at a local date-time of the test time zone (before Home Assistant sets up)."""
    freezer.move_to(
        datetime.fromisoformat(local).replace(tzinfo=dt_util.get_default_time_zone())
    )


@pytest.fixture
def climate_calls(hass: HomeAssistant) -> list[ServiceCall | Event]:
    """Record every climate action called, to prove the heating is never switched off."""
    calls: list[Any] = []

    def record(event: Event) -> None:
        if event.data.get("domain") == "climate":
            calls.append(event)

    hass.bus.async_listen(EVENT_CALL_SERVICE, record)
    return calls


def assert_never_off(hass: HomeAssistant, calls: list[Any], floor: float) -> None:
    """Only setpoints were written, none below the floor, and the mode stayed heat."""
    assert calls, "the blueprint never acted"
    for event in calls:
        assert event.data["service"] == "set_temperature", event.data
        assert event.data["service_data"]["temperature"] >= floor
    assert state_of(hass, CLIMATE).state == "heat"


# Occupancy scheduling -----------------------------------------------------------------------------

OCCUPANCY = {
    "climate_entity": CLIMATE,
    "occupancy_entities": ["person.anna", "binary_sensor.living_presence"],
}


@pytest.fixture
async def occupancy(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> dict[str, Any]:
    """Anna at home, presence sensor off; thermostat and a night schedule 22:00-06:30."""
    move_to(freezer, "2025-01-06T12:00:00")
    hass.states.async_set("person.anna", "home")
    hass.states.async_set("binary_sensor.living_presence", "off")
    hass.states.async_set("binary_sensor.window", "off", {"device_class": "window"})
    await setup_climate(hass)
    night = [
        {"from": "00:00:00", "to": "06:30:00"},
        {"from": "22:00:00", "to": "23:59:59"},
    ]
    days = (
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    )
    assert await async_setup_component(
        hass,
        "schedule",
        {"schedule": {"night": {"name": "Night", **dict.fromkeys(days, night)}}},
    )
    inputs = {
        **OCCUPANCY,
        "eco_schedules": ["schedule.night"],
        "window_sensors": ["binary_sensor.window"],
    }
    await setup_automation(hass, "occupancy_scheduling", inputs)
    return inputs


async def test_arrival_sets_comfort(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    occupancy: dict[str, Any],
    climate_calls: list[Any],
) -> None:
    """Someone coming home brings the comfort temperature at once; any source counts."""
    hass.states.async_set("person.anna", "not_home")
    await hass.async_block_till_done()
    await move(hass, freezer, timedelta(minutes=45))
    assert target(hass) == 15.0
    hass.states.async_set("binary_sensor.living_presence", "on")
    await hass.async_block_till_done()
    assert target(hass) == 20.0
    assert_never_off(hass, climate_calls, 12)


async def test_departure_waits_for_the_delay(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, occupancy: dict[str, Any]
) -> None:
    """The away temperature comes only after the home has been empty for 30 minutes."""
    hass.states.async_set("person.anna", "home", {"changed": 1})  # any event: comfort
    await hass.async_block_till_done()
    assert target(hass) == 20.0
    hass.states.async_set("person.anna", "not_home")
    await hass.async_block_till_done()
    await move(hass, freezer, timedelta(minutes=29))
    assert target(hass) == 20.0
    # A brief return resets the clock.
    hass.states.async_set("person.anna", "home")
    await hass.async_block_till_done()
    hass.states.async_set("person.anna", "not_home")
    await hass.async_block_till_done()
    await move(hass, freezer, timedelta(minutes=29))
    assert target(hass) == 20.0
    await move(hass, freezer, timedelta(minutes=2))
    assert target(hass) == 15.0


async def test_night_schedule_sets_back(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    occupancy: dict[str, Any],
    climate_calls: list[Any],
) -> None:
    """During the sleep schedule the target is comfort minus the setback, then comfort again."""
    hass.states.async_set("binary_sensor.living_presence", "on")
    await hass.async_block_till_done()
    assert target(hass) == 20.0
    await move(hass, freezer, timedelta(hours=10, minutes=1))  # 22:01
    assert state_of(hass, "schedule.night").state == "on"
    assert target(hass) == 18.0
    await move(hass, freezer, timedelta(hours=8, minutes=30))  # 06:31
    assert state_of(hass, "schedule.night").state == "off"
    assert target(hass) == 20.0
    assert_never_off(hass, climate_calls, 12)


async def test_window_pauses_to_the_floor(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    occupancy: dict[str, Any],
    climate_calls: list[Any],
) -> None:
    """A window open for a minute drops the target to the floor; closing it restores the schedule."""
    hass.states.async_set("binary_sensor.living_presence", "on")
    await hass.async_block_till_done()
    hass.states.async_set("binary_sensor.window", "on", {"device_class": "window"})
    await hass.async_block_till_done()
    await move(hass, freezer, timedelta(seconds=30))
    assert target(hass) == 20.0  # a quick airing changes nothing
    await move(hass, freezer, timedelta(seconds=31))
    assert target(hass) == 12.0
    # Presence changes while open do not undo the pause.
    hass.states.async_set("binary_sensor.living_presence", "off")
    await hass.async_block_till_done()
    assert target(hass) == 12.0
    hass.states.async_set("binary_sensor.window", "off", {"device_class": "window"})
    await hass.async_block_till_done()
    assert target(hass) == 20.0
    assert_never_off(hass, climate_calls, 12)


async def test_never_below_the_floor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, climate_calls: list[Any]
) -> None:
    """An away temperature below the floor is raised to the floor."""
    move_to(freezer, "2025-01-06T12:00:00")
    hass.states.async_set("person.anna", "home")
    await setup_climate(hass)
    await setup_automation(
        hass,
        "occupancy_scheduling",
        {
            "climate_entity": CLIMATE,
            "occupancy_entities": ["person.anna", "zone.home"],
            "away_temperature": 10,
            "floor_temperature": 13,
            "empty_delay": 0,
        },
    )
    hass.states.async_set("zone.home", "1")
    await hass.async_block_till_done()
    assert target(hass) == 20.0
    hass.states.async_set("person.anna", "not_home")
    await hass.async_block_till_done()
    assert target(hass) == 20.0  # the zone still has someone in it
    hass.states.async_set("zone.home", "0")
    await hass.async_block_till_done()
    await move(hass, freezer, timedelta(minutes=1))
    assert target(hass) == 13.0
    assert_never_off(hass, climate_calls, 13)


# Pre-heat -----------------------------------------------------------------------------------------


@pytest.fixture
def estimate_calls(hass: HomeAssistant) -> list[ServiceCall]:
    """Stand in for heatpump_efficiency.estimate_preheat: 60 minutes, whatever is asked."""
    calls: list[ServiceCall] = []

    async def estimate(call: ServiceCall) -> ServiceResponse:
        calls.append(call)
        return {"minutes": 60}

    hass.services.async_register(
        "heatpump_efficiency",
        "estimate_preheat",
        estimate,
        supports_response=SupportsResponse.ONLY,
    )
    return calls


async def test_preheat_before_schedule(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    estimate_calls: list[ServiceCall],
    climate_calls: list[Any],
) -> None:
    """With a 60-minute learned lead, recovery starts at 06:00 for a comfort period from 07:00."""
    move_to(freezer, "2025-01-06T03:00:00")
    await setup_climate(hass, room_c=18.2)
    hass.states.async_set("sensor.outdoor", "-3.5", {"unit_of_measurement": "°C"})
    days = (
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    )
    day = [{"from": "07:00:00", "to": "22:00:00"}]
    assert await async_setup_component(
        hass,
        "schedule",
        {"schedule": {"comfort": {"name": "Comfort", **dict.fromkeys(days, day)}}},
    )
    await setup_automation(
        hass,
        "preheat",
        {
            "climate_entity": CLIMATE,
            "comfort_schedules": ["schedule.comfort"],
            "outdoor_temperature_sensor": ["sensor.outdoor"],
        },
    )
    await move(hass, freezer, timedelta(hours=2, minutes=59))  # 05:59
    assert target(hass) == 17.0
    assert estimate_calls, "the learned lead time was asked for"
    assert estimate_calls[-1].data == {
        "target_temperature": 20,
        "start_temperature": 18.2,
        "outdoor_temperature": -3.5,
    }
    await move(hass, freezer, timedelta(minutes=1))  # 06:00
    assert target(hass) == 20.0
    # No boost and no repeated writes afterwards.
    await move(hass, freezer, timedelta(hours=2))
    assert target(hass) == 20.0
    assert len(climate_calls) == 1


async def test_preheat_for_arrival_with_rate_fallback(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, climate_calls: list[Any]
) -> None:
    """For any thermostat: a warm-up rate of 1 °C/h from 18 °C starts 2 h before an 18:00 arrival."""
    move_to(freezer, "2025-01-06T12:00:00")
    hass.states.async_set("person.anna", "not_home")
    await setup_climate(hass, room_c=18.0)
    await setup_automation(
        hass,
        "preheat",
        {
            "climate_entity": CLIMATE,
            "arrival_time": "18:00:00",
            "occupancy_entities": ["person.anna"],
            "lead_time_source": "rate",
            "warmup_rate": 1.0,
        },
    )
    await move(hass, freezer, timedelta(hours=3, minutes=59))  # 15:59
    assert target(hass) == 17.0
    await move(hass, freezer, timedelta(minutes=1))  # 16:00
    assert target(hass) == 20.0
    assert len(climate_calls) == 1


async def test_preheat_arrival_ignored_when_home(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, climate_calls: list[Any]
) -> None:
    """Arrival-based pre-heat does nothing while someone is home (occupancy scheduling rules then)."""
    move_to(freezer, "2025-01-06T15:00:00")
    hass.states.async_set("person.anna", "home")
    await setup_climate(hass, room_c=18.0)
    await setup_automation(
        hass,
        "preheat",
        {
            "climate_entity": CLIMATE,
            "arrival_time": "18:00:00",
            "occupancy_entities": ["person.anna"],
            "lead_time_source": "rate",
        },
    )
    await move(hass, freezer, timedelta(hours=3))
    assert target(hass) == 17.0
    assert climate_calls == []


async def test_preheat_travel_time_and_sensor_lead(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, climate_calls: list[Any]
) -> None:
    """A travel time at or under the lead time sensor's value starts recovery; none while paused."""
    move_to(freezer, "2025-01-06T12:00:00")
    hass.states.async_set(
        "sensor.heat_pump_pre_heat_lead_time", "50", {"unit_of_measurement": "min"}
    )
    hass.states.async_set("sensor.anna_to_home", "1.5", {"unit_of_measurement": "h"})
    hass.states.async_set("input_boolean.holiday", "off")
    await setup_climate(hass, room_c=18.0)
    await setup_automation(
        hass,
        "preheat",
        {
            "climate_entity": CLIMATE,
            "travel_time_sensors": ["sensor.anna_to_home"],
            "lead_time_source": "sensor",
            "pause_entities": ["input_boolean.holiday"],
        },
    )
    hass.states.async_set("sensor.anna_to_home", "55", {"unit_of_measurement": "min"})
    await hass.async_block_till_done()
    assert target(hass) == 17.0
    hass.states.async_set("input_boolean.holiday", "on")
    hass.states.async_set("sensor.anna_to_home", "45", {"unit_of_measurement": "min"})
    await hass.async_block_till_done()
    assert target(hass) == 17.0
    hass.states.async_set("input_boolean.holiday", "off")
    hass.states.async_set("sensor.anna_to_home", "44", {"unit_of_measurement": "min"})
    await hass.async_block_till_done()
    assert target(hass) == 20.0
    assert len(climate_calls) == 1


async def test_preheat_falls_back_when_the_estimate_fails(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, climate_calls: list[Any]
) -> None:
    """If the learned estimate errors, the warm-up rate input decides (0.5 °C/h: 3 °C take 6 h)."""

    async def broken(call: ServiceCall) -> ServiceResponse:
        raise HomeAssistantError("no data")

    hass.services.async_register(
        "heatpump_efficiency",
        "estimate_preheat",
        broken,
        supports_response=SupportsResponse.ONLY,
    )
    move_to(freezer, "2025-01-06T12:00:00")
    await setup_climate(hass, room_c=17.0)
    await setup_automation(
        hass,
        "preheat",
        {"climate_entity": CLIMATE, "arrival_time": "19:00:00"},
    )
    await move(hass, freezer, timedelta(minutes=59))  # 12:59
    assert target(hass) == 17.0
    await move(hass, freezer, timedelta(minutes=1))  # 13:00 = 19:00 - 6 h
    assert target(hass) == 20.0
    assert len(climate_calls) == 1


# Alerts -------------------------------------------------------------------------------------------

ALERT_SOURCES = {
    "filter_due_sensor": "binary_sensor.filter_due",
    "excessive_defrost_sensor": "binary_sensor.defrost",
    "short_cycling_sensor": "binary_sensor.cycling",
    "cop_sensor": "sensor.cop_7d",
    "filter_cleaned_button": "button.filter_cleaned",
}


@pytest.fixture
async def alert_sources(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Every source healthy."""
    move_to(freezer, "2025-01-06T12:10:00")
    for entity in (
        "binary_sensor.filter_due",
        "binary_sensor.defrost",
        "binary_sensor.cycling",
    ):
        hass.states.async_set(entity, "off")
    hass.states.async_set("sensor.cop_7d", "3.4")


async def test_alerts_once_per_cooldown(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, alert_sources: None
) -> None:
    """One persistent notification for a new problem, none during the cooldown, a reminder after it."""
    notes = async_mock_service(hass, "notify", "persistent_notification")
    await setup_automation(hass, "alerts", dict(ALERT_SOURCES))
    hass.states.async_set(
        "binary_sensor.defrost", "on", {"reason": "warm", "detail": "defrost at 9.5 °C"}
    )
    await hass.async_block_till_done()
    assert len(notes) == 1
    assert notes[0].data["message"] == "Excessive defrost: warm - defrost at 9.5 °C."
    assert notes[0].data["data"] == {"notification_id": "heatpump_efficiency_alert"}
    # More problems, flapping, hourly checks: nothing until the cooldown (24 h) has passed.
    hass.states.async_set("binary_sensor.cycling", "on", {"reason": "starts"})
    hass.states.async_set("sensor.cop_7d", "2.2")
    hass.states.async_set("binary_sensor.defrost", "off")
    hass.states.async_set("binary_sensor.defrost", "on", {"reason": "rate"})
    await hass.async_block_till_done()
    await move(hass, freezer, timedelta(hours=23, minutes=40))
    assert len(notes) == 1
    await move(
        hass, freezer, timedelta(minutes=20)
    )  # 12:10 next day; next hourly check at 13:00
    assert len(notes) == 1
    await move(hass, freezer, timedelta(minutes=50))
    assert len(notes) == 2
    assert notes[1].data["message"].splitlines() == [
        "Excessive defrost: rate.",
        "Short cycling: starts.",
        "COP 2.2 is below 2.5.",
    ]
    await move(hass, freezer, timedelta(hours=23))
    assert len(notes) == 2


async def test_filter_alert_action_presses_the_button(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, alert_sources: None
) -> None:
    """A mobile app notification carries a Filter cleaned action; tapping it presses the button."""
    phone = async_mock_service(hass, "notify", "mobile_app_phone")
    presses = async_mock_service(hass, "button", "press")
    await setup_automation(
        hass, "alerts", {**ALERT_SOURCES, "notify_action": "notify.mobile_app_phone"}
    )
    hass.states.async_set("binary_sensor.filter_due", "on", {"reason": "cop_drift"})
    await hass.async_block_till_done()
    assert len(phone) == 1
    assert phone[0].data["message"] == "Filter check due (cop drift)."
    action = phone[0].data["data"]["actions"][0]
    assert action == {
        "action": "HEATPUMP_FILTER_CLEANED_button.filter_cleaned",
        "title": "Filter cleaned",
    }
    hass.bus.async_fire("mobile_app_notification_action", {"action": "OTHER"})
    await hass.async_block_till_done()
    assert presses == []
    hass.bus.async_fire("mobile_app_notification_action", {"action": action["action"]})
    await hass.async_block_till_done()
    assert [call.data["entity_id"] for call in presses] == [["button.filter_cleaned"]]


async def test_alerts_defaults_and_real_notification(
    hass: HomeAssistant, init_integration: Any
) -> None:
    """With no inputs the blueprint watches Heat Pump Efficiency's entities and notifies for real."""
    defaults = [
        value["default"]
        for value in load("alerts")["blueprint"]["input"]["sources"]["input"].values()
        if "entity" in value["selector"]
    ]
    assert len(defaults) == 5
    for entity_id in defaults:
        assert hass.states.get(entity_id) is not None, entity_id
    assert await async_setup_component(hass, "notify", {})
    await setup_automation(hass, "alerts", {})
    hass.states.async_set(
        "binary_sensor.heat_pump_short_cycling", "on", {"reason": "short_runs"}
    )
    await hass.async_block_till_done()
    from homeassistant.components.persistent_notification import (
        _async_get_or_create_notifications,
    )

    notifications = _async_get_or_create_notifications(hass)
    assert (
        notifications["heatpump_efficiency_alert"]["message"]
        == "Short cycling: short runs."
    )


# Thermostats without a target temperature ---------------------------------------------------------


MODES_ONLY = {
    "hvac_modes": ["off", "heat"],
    # ClimateEntityFeature.TURN_OFF | TURN_ON: what Heat Pump Efficiency's offers without a room sensor.
    "supported_features": 384,
    "friendly_name": "Heat pump",
}


@pytest.fixture
def notifications(hass: HomeAssistant) -> list[ServiceCall]:
    """Record persistent notifications (the component itself is not needed to see what was said)."""
    return async_mock_service(hass, "persistent_notification", "create")


@pytest.mark.parametrize(
    ("name", "inputs"),
    [
        ("occupancy_scheduling", OCCUPANCY),
        (
            "preheat",
            {"climate_entity": CLIMATE, "arrival_time": "13:00:00", "warmup_rate": 1.0},
        ),
    ],
)
async def test_thermostat_without_target_is_refused_with_a_message(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    climate_calls: list[Any],
    notifications: list[ServiceCall],
    name: str,
    inputs: dict[str, Any],
) -> None:
    """A modes-only thermostat gets no setpoint: a notification names it and the run stops as an error."""
    move_to(freezer, "2025-01-06T12:00:00")
    hass.states.async_set("person.anna", "not_home")
    hass.states.async_set("binary_sensor.living_presence", "off")
    hass.states.async_set(CLIMATE, "heat", {**MODES_ONLY, "current_temperature": 17})
    await setup_automation(hass, name, inputs)
    hass.states.async_set("person.anna", "home")
    await hass.async_block_till_done()
    await move(hass, freezer, timedelta(minutes=10))

    assert notifications, "the user was told"
    message = notifications[-1].data["message"]
    assert CLIMATE in message and "no target temperature" in message
    assert (
        notifications[-1].data["notification_id"]
        == f"heatpump_efficiency_automation.{name}"
    )
    assert climate_calls == []
    automation = state_of(hass, f"automation.{name}")
    assert (
        automation.state == "on"
    )  # it stops this run, it stays enabled for a fixed thermostat


async def test_unavailable_thermostat_is_not_reported_as_modes_only(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
) -> None:
    """While the thermostat is unavailable its features are unknown: no false "no target" message."""
    move_to(freezer, "2025-01-06T12:00:00")
    hass.states.async_set("person.anna", "not_home")
    hass.states.async_set("binary_sensor.living_presence", "off")
    hass.states.async_set(CLIMATE, "unavailable", {})
    await setup_automation(hass, "occupancy_scheduling", OCCUPANCY)
    hass.states.async_set("person.anna", "home")
    await hass.async_block_till_done()
    assert notifications == []

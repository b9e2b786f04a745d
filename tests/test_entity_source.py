"""Tests for readings built from state changes: units, alignment, order, availability, expiry, restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import EventStateChangedData, HomeAssistant, State
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.heatpump_efficiency.entity_source import (
    EntitySource,
    SourceConfig,
    SourceUnavailableError,
)
from custom_components.heatpump_efficiency.sensor_coordinator import HEARTBEAT
from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    Origin,
    UnitCommandError,
    UnitIdentity,
)

from .conftest import state_of
from .sensor_sources import (
    ELEC,
    ENERGY_KWH,
    FLOW_LPM,
    HEAT,
    POWER_W,
    TEMPERATURE_C,
    sensors_entry,
    set_sources,
    settle,
)

T0 = datetime(2025, 1, 14, 6, 0, tzinfo=UTC)
IDENTITY = UnitIdentity(unique_id="test", manufacturer="")


def make_source(
    hass: HomeAssistant, entities: dict[str, str], **config: object
) -> EntitySource:
    """Return a source following `entities` (field key -> entity id), with their states loaded."""
    source = EntitySource(
        hass,
        SourceConfig(entities=entities, **config),  # type: ignore[arg-type]
        IDENTITY,
    )
    source.load()
    return source


async def test_units_converted_and_origins(hass: HomeAssistant) -> None:
    """Values arrive in the reading's units; the unit's own figures are reported, others metered."""
    hass.states.async_set(
        "sensor.p", "1.5", {"device_class": "power", "unit_of_measurement": "kW"}
    )
    hass.states.async_set(
        "sensor.e", "2500", {"device_class": "energy", "unit_of_measurement": "Wh"}
    )
    hass.states.async_set("sensor.q", "4200", POWER_W)
    hass.states.async_set(
        "sensor.t", "95", {"device_class": "temperature", "unit_of_measurement": "°F"}
    )
    hass.states.async_set(
        "sensor.f",
        "0.9",
        {"device_class": "volume_flow_rate", "unit_of_measurement": "m³/h"},
    )
    hass.states.async_set(
        "sensor.hz", "0.05", {"device_class": "frequency", "unit_of_measurement": "kHz"}
    )
    source = make_source(
        hass,
        {
            "electrical_power": "sensor.p",
            "electrical_energy": "sensor.e",
            "thermal_power": "sensor.q",
            "flow_temperature": "sensor.t",
            "flow_rate": "sensor.f",
            "compressor_frequency": "sensor.hz",
        },
        reported=frozenset({"thermal_power"}),
    )
    reading = source.build(T0)
    assert reading.elec_w is not None and reading.elec_w.value == 1500
    assert reading.elec_w.origin is Origin.METERED
    assert reading.elec_kwh is not None and reading.elec_kwh.value == 2.5
    assert reading.heat_w is not None and reading.heat_w.origin is Origin.REPORTED
    assert reading.flow_c == pytest.approx(35.0)
    assert reading.flow_lpm == pytest.approx(15.0)
    assert reading.compressor_hz == pytest.approx(50.0)
    assert reading.defrost is None and reading.compressor_running is None


async def test_heat_computed_from_flow_and_return(hass: HomeAssistant) -> None:
    """Without a heat figure, the thermal power is flow rate x (flow - return) x 69.7 W."""
    hass.states.async_set("sensor.p", "1000", POWER_W)
    hass.states.async_set("sensor.flow", "35", TEMPERATURE_C)
    hass.states.async_set("sensor.ret", "30", TEMPERATURE_C)
    hass.states.async_set("sensor.lpm", "12", FLOW_LPM)
    source = make_source(
        hass,
        {
            "electrical_power": "sensor.p",
            "flow_temperature": "sensor.flow",
            "return_temperature": "sensor.ret",
            "flow_rate": "sensor.lpm",
        },
    )
    heat = source.build(T0).heat_w
    assert heat is not None
    assert heat.value == pytest.approx(12 * 5 * 69.7)
    assert heat.origin is Origin.COMPUTED

    hass.states.async_set("sensor.lpm", STATE_UNAVAILABLE, FLOW_LPM)
    with pytest.raises(SourceUnavailableError) as err:
        source.build(T0 + timedelta(minutes=1))
    assert err.value.entity_ids == ("sensor.lpm",)


async def test_unavailable_required_and_optional(hass: HomeAssistant) -> None:
    """Missing electricity fails the reading; a missing optional value is just unknown."""
    set_sources(hass, {ELEC: None, HEAT: 3000.0})
    hass.states.async_set("sensor.out", "unknown", TEMPERATURE_C)
    source = make_source(
        hass,
        {
            "electrical_power": ELEC,
            "thermal_power": HEAT,
            "outdoor_temperature": "sensor.out",
        },
    )
    with pytest.raises(SourceUnavailableError) as err:
        source.build(T0)
    assert err.value.entity_ids == (ELEC,)
    assert source.missing(T0) == [ELEC]

    set_sources(hass, {ELEC: 900.0})
    reading = source.build(T0 + timedelta(seconds=1))
    assert reading.outdoor_c is None
    assert reading.elec_w is not None and reading.elec_w.value == 900


async def test_out_of_order_change_is_ignored(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A state older than the one already known is ignored; readings stay in time order."""
    freezer.move_to(T0)
    set_sources(hass, {ELEC: 1000.0, HEAT: 3000.0})
    source = make_source(hass, {"electrical_power": ELEC, "thermal_power": HEAT})
    changes: list[None] = []
    unsub = source.async_start(lambda: changes.append(None))

    freezer.move_to(T0 + timedelta(seconds=30))
    set_sources(hass, {ELEC: 1200.0})
    await hass.async_block_till_done()
    assert len(changes) == 1
    first = source.build(T0 + timedelta(seconds=31))
    assert first.time == T0 + timedelta(seconds=30)  # the change's own time

    late = State(ELEC, "700", POWER_W, last_updated=T0 + timedelta(seconds=10))
    hass.bus.async_fire(
        EVENT_STATE_CHANGED,
        EventStateChangedData(entity_id=ELEC, old_state=None, new_state=late),
    )
    await hass.async_block_till_done()
    assert len(changes) == 1
    assert not source.accept(ELEC, late)

    # A change that happened before the last reading but arrives after it is taken now.
    hass.states.async_set(
        HEAT, "3300", POWER_W, timestamp=(T0 + timedelta(seconds=20)).timestamp()
    )
    await hass.async_block_till_done()
    assert len(changes) == 2
    second = source.build(T0 + timedelta(seconds=40))
    assert second.time == T0 + timedelta(seconds=40)
    assert second.elec_w is not None and second.elec_w.value == 1200
    assert second.heat_w is not None and second.heat_w.value == 3300
    unsub()


async def test_stale_values_expire(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A number not reported again within the maximum age expires; reporting it again keeps it."""
    freezer.move_to(T0)
    set_sources(hass, {ELEC: 1000.0, HEAT: 3000.0})
    hass.states.async_set("sensor.out", "4.5", TEMPERATURE_C)
    hass.states.async_set("binary_sensor.defrost", "off")
    source = make_source(
        hass,
        {
            "electrical_power": ELEC,
            "thermal_power": HEAT,
            "outdoor_temperature": "sensor.out",
            "defrost": "binary_sensor.defrost",
        },
        max_age=timedelta(minutes=15),
    )
    unsub = source.async_start(lambda: None)

    freezer.move_to(T0 + timedelta(minutes=10))
    set_sources(hass, {ELEC: 1000.0, HEAT: 3000.0})  # the same values again: reported
    await hass.async_block_till_done()
    reading = source.build(T0 + timedelta(minutes=20))
    assert reading.elec_w is not None and reading.heat_w is not None
    assert reading.outdoor_c is None  # not reported for 20 minutes
    assert reading.defrost is False  # on/off flags never expire

    with pytest.raises(SourceUnavailableError):
        source.build(T0 + timedelta(minutes=26))
    unsub()


async def test_weather_defrost_states_and_climate(hass: HomeAssistant) -> None:
    """Weather fills in for outdoor sensors; a sensor's state names defrost; climate gives room and mode."""
    set_sources(hass, {ELEC: 1000.0, HEAT: 3000.0})
    hass.states.async_set(
        "weather.home",
        "cloudy",
        {"temperature": 35.6, "temperature_unit": "°F", "humidity": 91},
    )
    hass.states.async_set("sensor.mode", "Defrosting")
    hass.states.async_set(
        "climate.aquarea", "cool", {"current_temperature": 22.5, "temperature": 24}
    )
    source = make_source(
        hass,
        {
            "electrical_power": ELEC,
            "thermal_power": HEAT,
            "weather": "weather.home",
            "defrost": "sensor.mode",
            "climate": "climate.aquarea",
        },
        defrost_states=frozenset({"defrosting"}),
    )
    reading = source.build(T0)
    assert reading.outdoor_c == pytest.approx(2.0)
    assert reading.outdoor_rh == 91
    assert reading.defrost is True
    assert reading.room_c == 22.5 and reading.room_target_c == 24
    assert reading.mode is OperatingMode.COOL

    hass.states.async_set("sensor.mode", "Heat")
    hass.states.async_set("weather.home", STATE_UNAVAILABLE)
    reading = source.build(T0 + timedelta(seconds=1))
    assert reading.defrost is False
    assert reading.outdoor_c is None


async def test_unit_problems_and_read_only(hass: HomeAssistant) -> None:
    """An entity whose unit cannot be converted gives no value and is reported; nothing can be written."""
    set_sources(hass, {HEAT: 3000.0})
    hass.states.async_set(
        "sensor.e", "12", {"device_class": "energy", "unit_of_measurement": "%"}
    )
    hass.states.async_set("sensor.p", "12", ENERGY_KWH)
    source = make_source(
        hass,
        {
            "electrical_energy": "sensor.e",
            "electrical_power": "sensor.p",
            "thermal_power": HEAT,
        },
    )
    assert source.unit_problems() == {
        "electrical_energy": "%",
        "electrical_power": "kWh",
    }
    assert source.missing(T0) == ["sensor.p", "sensor.e"]
    with pytest.raises(UnitCommandError):
        await source.async_set_target(21)
    with pytest.raises(UnitCommandError):
        await source.async_set_mode(OperatingMode.HEAT)
    assert await source.async_identify() is IDENTITY
    assert not source.capabilities.modes


async def test_changes_together_make_one_reading(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Changes within the alignment window are one reading; quiet time still gets heartbeat readings."""
    freezer.move_to(T0)
    set_sources(hass, {ELEC: 1000.0, HEAT: 3000.0})
    entry = sensors_entry({"electrical_power": ELEC, "thermal_power": HEAT})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    coordinator = entry.runtime_data.coordinator
    times: list[datetime] = []
    coordinator.async_add_listener(lambda: times.append(coordinator.data.reading.time))

    freezer.move_to(T0 + timedelta(seconds=10))
    set_sources(hass, {ELEC: 2000.0})
    freezer.move_to(T0 + timedelta(seconds=11))
    set_sources(hass, {HEAT: 7000.0})
    await settle(hass, freezer)
    assert times == [T0 + timedelta(seconds=11)]
    assert state_of(hass, "sensor.heat_pump_live_cop").state == "3.5"

    freezer.tick(timedelta(seconds=HEARTBEAT))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(times) == 2
    assert coordinator.engine.results.ignored_readings == 0

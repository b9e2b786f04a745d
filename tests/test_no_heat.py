"""A unit that reports no heat (air-to-air): no COP anywhere, electricity per degree-day instead."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.heatpump_efficiency.const import (
    CONF_DEGREE_DAY_BASE,
    CONF_KIND,
    DOMAIN,
    KIND_SENSORS,
)
from custom_components.heatpump_efficiency.diagnostics import (
    async_get_config_entry_diagnostics,
)

from .conftest import state_of

POWER = "sensor.split_power"
OUTDOOR = "sensor.split_outside"
CLIMATE = "climate.split"
POWER_KW = {"device_class": "power", "unit_of_measurement": "kW"}
TEMPERATURE_C = {"device_class": "temperature", "unit_of_measurement": "°C"}
START = "2025-11-03T00:00:00+00:00"


def split_entry(options: dict[str, float] | None = None) -> MockConfigEntry:
    """Return a sensors entry of a mini-split: electricity, outdoor temperature and its thermostat."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Split",
        unique_id="sensors_split",
        data={
            CONF_KIND: KIND_SENSORS,
            "electrical_power": POWER,
            "outdoor_temperature": OUTDOOR,
            "climate": CLIMATE,
        },
        options=options or {},
    )


def show(hass: HomeAssistant, kw: float, outdoor: float, mode: str) -> None:
    """Set the split's entities as its integration would."""
    hass.states.async_set(POWER, str(kw), POWER_KW)
    hass.states.async_set(OUTDOOR, str(outdoor), TEMPERATURE_C)
    hass.states.async_set(
        CLIMATE, mode, {"current_temperature": 20.5, "temperature": 21}
    )


async def run_hours(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hours: float,
    *,
    kw: float,
    outdoor: float,
    mode: str = "heat",
) -> None:
    """Report the split's values every minute for a while, as a polling integration does."""
    for _ in range(int(hours * 60)):
        show(hass, kw, outdoor, mode)
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def setup(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry
) -> MockConfigEntry:
    freezer.move_to(START)
    show(hass, 1.0, 5.5, "heat")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


async def test_no_cop_entities_and_degree_day_figures(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """No COP entity exists; kWh per degree-day follows heating and leaves cooling and fan only out."""
    entry = await setup(hass, freezer, split_entry())
    keys = {
        e.unique_id.removeprefix("sensors_split_")
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert not {key for key in keys if key.startswith(("cop", "scop"))}
    # Nothing that needs heat, and no defrost figures: this unit does not report defrosts.
    assert {
        "thermal_power",
        "thermal_energy",
        "defrost_heat_lost_today",
        "defrost",
        "defrosts_today",
        "excessive_defrost",
    }.isdisjoint(keys)
    assert {
        "electricity_per_degree_day_today",
        "electricity_per_degree_day_7d",
        "electricity_per_degree_day_season",
        "electricity_per_degree_day_trend",
        "compressor_running_today",
    } <= keys

    # 6 h of heating at 1 kW, 10 K below the 15.5 °C base: 6 kWh over 2.5 degree-days.
    await run_hours(hass, freezer, 6, kw=1.0, outdoor=5.5)
    today = state_of(hass, "sensor.heat_pump_electricity_per_degree_day_today")
    assert today.attributes["unit_of_measurement"] == "kWh/HDD"
    assert float(today.state) == pytest.approx(2.4, abs=0.05)

    # Cooling and fan only use electricity but add nothing to the heating figure.
    await run_hours(hass, freezer, 3, kw=0.8, outdoor=5.5, mode="cool")
    await run_hours(hass, freezer, 3, kw=0.05, outdoor=5.5, mode="fan_only")
    season = entry.runtime_data.coordinator.degree_days.results()
    assert season.season_kwh == pytest.approx(6.0, abs=0.1)
    assert season.season_hdd == pytest.approx(5.0, abs=0.05)
    assert float(
        state_of(hass, "sensor.heat_pump_electricity_per_degree_day_season").state
    ) == pytest.approx(1.2, abs=0.05)
    assert state_of(
        hass, "sensor.heat_pump_electricity_per_degree_day_vs_season_start"
    ).state == ("unknown")
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["degree_days"]["season_kwh"] == pytest.approx(6.0, abs=0.1)
    assert diagnostics["degree_days"]["trend_pct"] is None


async def test_base_temperature_option_and_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The base temperature comes from the options; figures survive a restart, a new base starts afresh."""
    entry = await setup(hass, freezer, split_entry({CONF_DEGREE_DAY_BASE: 18.0}))
    await run_hours(hass, freezer, 6, kw=1.0, outdoor=6.0)  # 12 K below 18 °C
    before = entry.runtime_data.coordinator.degree_days.results()
    assert before.season_hdd == pytest.approx(3.0, abs=0.05)

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    restored = entry.runtime_data.coordinator.degree_days.results()
    assert restored.season_kwh == pytest.approx(before.season_kwh, abs=0.02)

    hass.config_entries.async_update_entry(entry, options={CONF_DEGREE_DAY_BASE: 15.5})
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.coordinator.degree_days.results().season_hdd < 0.1


async def test_base_temperature_in_the_options_flow(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The options form offers the base temperature (default 15.5 °C) and the learner uses it."""
    entry = await setup(hass, freezer, split_entry())
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "sensors"
    assert result["data_schema"] is not None
    field = next(
        key for key in result["data_schema"].schema if key == CONF_DEGREE_DAY_BASE
    )
    assert field.default() == 15.5
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"],
            {"max_age": 15, CONF_DEGREE_DAY_BASE: 40.0, "thresholds": {}},
        )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"max_age": 15, CONF_DEGREE_DAY_BASE: 18.0, "thresholds": {}},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.runtime_data.coordinator.degree_days.config.base_c == 18.0

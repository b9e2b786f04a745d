"""Home Assistant's own daikin integration on a fake BRP069 adapter, and our entry made from its device."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterator
from datetime import timedelta
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.heatpump_efficiency.const import DOMAIN
from custom_components.heatpump_efficiency.sensor_coordinator import ALIGN_DELAY
from custom_components.heatpump_efficiency.units.model import OperatingMode

from .conftest import state_of
from .daikin_adapter import MAC, FakeAdapter
from .test_preset_flow import suggested


@pytest.fixture
async def adapter(socket_enabled: None) -> AsyncGenerator[FakeAdapter]:
    """Run the fake adapter for one test."""
    fake = FakeAdapter()
    yield fake
    await fake.stop()


async def setup_daikin(hass: HomeAssistant, adapter: FakeAdapter) -> MockConfigEntry:
    """Set up core daikin on the fake adapter, as a user who added it by address would."""
    host = await adapter.start()
    entry = MockConfigEntry(
        domain="daikin", unique_id=MAC, data={CONF_HOST: host, "mac": MAC}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


def daikin_entity(hass: HomeAssistant, domain: str, unique_id: str) -> str:
    """Return the entity id core daikin registered under a unique id."""
    entity_id = er.async_get(hass).async_get_entity_id(domain, "daikin", unique_id)
    assert entity_id is not None, unique_id
    return entity_id


@pytest.fixture(autouse=True)
def readings_never_pause() -> Iterator[None]:
    """Take readings whatever the wall clock says: these tests run on the real clock.

    A reading due in the last seconds of a statistics period waits for its end (tested on a frozen
    clock in test_recorder_pushed.py); here that would make each poll depend on when the test runs.
    """
    with patch(
        "custom_components.heatpump_efficiency.pushed.coordinator.in_flush_window",
        return_value=False,
    ):
        yield


async def poll(hass: HomeAssistant, daikin: MockConfigEntry) -> None:
    """Let core daikin poll the adapter once, and our entry take the reading that follows."""
    await daikin.runtime_data.async_refresh()
    await hass.async_block_till_done()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=ALIGN_DELAY + 1))
    await hass.async_block_till_done()


async def test_entry_from_the_daikin_device(
    hass: HomeAssistant, adapter: FakeAdapter
) -> None:
    """The adapter's device is offered, mapped through the preset, and our entry reads its entities."""
    # A real clock: pydaikin's request timeouts run on the event loop's time.
    daikin = await setup_daikin(hass, adapter)
    climate = er.async_get(hass).async_get(daikin_entity(hass, "climate", MAC))
    assert climate is not None and climate.device_id is not None
    device = dr.async_get(hass).async_get(climate.device_id)
    assert device is not None
    power = daikin_entity(hass, "sensor", f"{MAC}-total_power")
    # Disabled by default in core daikin: enabled as a user would to map it.
    frequency = daikin_entity(hass, "sensor", f"{MAC}-compressor_frequency")
    er.async_get(hass).async_update_entity(frequency, disabled_by=None)
    assert await hass.config_entries.async_reload(daikin.entry_id)
    await hass.async_block_till_done()

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "sensors"}
    )
    assert result["step_id"] == "sensors_device"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"device": device.id}
    )
    assert result["step_id"] == "sensors_preset"
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["missing"] == "-"
    energy = suggested(result)
    assert energy["electrical_power"] == power
    assert energy["electrical_energy"] == daikin_entity(
        hass, "sensor", f"{MAC}-energy_today"
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], energy)
    details = suggested(result)
    assert details == {
        "outdoor_temperature": daikin_entity(
            hass, "sensor", f"{MAC}-outside_temperature"
        ),
        "compressor_frequency": frequency,
        "climate": daikin_entity(hass, "climate", MAC),
    }
    result = await hass.config_entries.flow.async_configure(result["flow_id"], details)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    ours = result["result"]
    assert ours.state is ConfigEntryState.LOADED

    # Our entities join the Daikin device; there is no COP, only what the adapter can feed.
    entities = er.async_entries_for_config_entry(er.async_get(hass), ours.entry_id)
    keys = {e.unique_id.removeprefix(f"{ours.unique_id}_") for e in entities}
    assert not {k for k in keys if "cop" in k}
    assert "electricity_per_degree_day_today" in keys
    assert "compressor_frequency" in keys
    assert all(e.device_id == device.id for e in entities)

    # The captured unit is drying at 21 °C outdoors: it runs, but nothing counts as heating.
    before = adapter.total
    await poll(hass, daikin)
    coordinator = ours.runtime_data.coordinator
    reading = coordinator.data.reading
    assert reading.compressor_hz == 40.0
    assert reading.outdoor_c == 21.0
    assert reading.mode is OperatingMode.COOL  # drying
    assert reading.elec_w is not None and reading.elec_kwh is not None

    # Heating on a cold morning: the adapter's own estimate of its electrical input is read.
    adapter.set("aircon/get_control_info", mode="4", pow="1")
    adapter.set("aircon/get_sensor_info", otemp="2.0", cmpfreq="62")
    await poll(hass, daikin)
    assert state_of(hass, daikin_entity(hass, "climate", MAC)).state == "heat"
    reading = coordinator.data.reading
    assert reading.mode is OperatingMode.HEAT
    assert (reading.outdoor_c, reading.compressor_hz) == (2.0, 62.0)
    assert coordinator.degree_days.results().season_hdd > 0

    # Our readings never reach the adapter: only core daikin's polling does.
    assert adapter.total > before
    served = adapter.total
    for _ in range(3):
        await coordinator.async_refresh()
    assert adapter.total == served

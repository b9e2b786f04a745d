"""Helpers for the "use existing sensors" tests: source entities, a config entry, recorded traces."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.heatpump_efficiency.const import CONF_KIND, DOMAIN, KIND_SENSORS
from custom_components.heatpump_efficiency.pushed.coordinator import (
    AFTER_PERIOD_END,
    in_flush_window,
    period_end,
)
from custom_components.heatpump_efficiency.sensor_coordinator import ALIGN_DELAY
from custom_components.heatpump_efficiency.units.model import Origin, Quantity, Reading
from simulator.trace import TraceRow

TRACES = Path(__file__).parent / "fixtures" / "traces"

POWER_W = {"device_class": "power", "unit_of_measurement": "W"}
ENERGY_KWH = {"device_class": "energy", "unit_of_measurement": "kWh"}
TEMPERATURE_C = {"device_class": "temperature", "unit_of_measurement": "°C"}
HUMIDITY = {"device_class": "humidity", "unit_of_measurement": "%"}
FREQUENCY_HZ = {"device_class": "frequency", "unit_of_measurement": "Hz"}
FLOW_LPM = {"device_class": "volume_flow_rate", "unit_of_measurement": "L/min"}

ELEC = "sensor.hp_electrical_power"
HEAT = "sensor.hp_thermal_power"
FLOW = "sensor.hp_flow_temperature"
RETURN = "sensor.hp_return_temperature"
OUTDOOR = "sensor.hp_outdoor_temperature"
HUMID = "sensor.hp_outdoor_humidity"
DEFROST = "binary_sensor.hp_defrost"
HZ = "sensor.hp_compressor_frequency"
BACKUP = "sensor.hp_backup_power"

ATTRIBUTES: dict[str, dict[str, str]] = {
    ELEC: POWER_W,
    HEAT: POWER_W,
    FLOW: TEMPERATURE_C,
    RETURN: TEMPERATURE_C,
    OUTDOOR: TEMPERATURE_C,
    HUMID: HUMIDITY,
    DEFROST: {"device_class": "running"},
    HZ: FREQUENCY_HZ,
    BACKUP: POWER_W,
}
MAPPING = {
    "electrical_power": ELEC,
    "thermal_power": HEAT,
    "flow_temperature": FLOW,
    "return_temperature": RETURN,
    "outdoor_temperature": OUTDOOR,
    "outdoor_humidity": HUMID,
    "defrost": DEFROST,
    "compressor_frequency": HZ,
    "backup_power": BACKUP,
}
UNIQUE_ID = "sensors_hp"


def sensors_entry(
    data: dict[str, Any] | None = None, options: dict[str, Any] | None = None
) -> MockConfigEntry:
    """Return a "use existing sensors" entry mapping the entities above (or `data`)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Heat pump",
        unique_id=UNIQUE_ID,
        data={CONF_KIND: KIND_SENSORS, **(MAPPING if data is None else data)},
        options=options or {},
    )


def _num(text: str) -> float | None:
    return None if text == "" else float(text)


def load_trace(name: str) -> list[TraceRow]:
    """Return a recorded simulator trace (`python -m simulator.trace`) from tests/fixtures/traces."""
    with (TRACES / name).open(encoding="utf-8") as file:
        return [
            TraceRow(
                time=datetime.fromisoformat(row["time"]),
                elec_w=_num(row["elec_w"]),
                heat_w=_num(row["heat_w"]),
                flow_c=_num(row["flow_c"]),
                return_c=_num(row["return_c"]),
                outdoor_c=_num(row["outdoor_c"]),
                outdoor_rh=_num(row["outdoor_rh"]),
                defrost=None if row["defrost"] == "" else row["defrost"] == "1",
                compressor_hz=_num(row["compressor_hz"]),
                backup_w=_num(row["backup_w"]),
            )
            for row in csv.DictReader(file)
        ]


def row_values(row: TraceRow) -> dict[str, Any]:
    """Return the state each source entity shows for a trace row."""
    return {
        ELEC: row.elec_w,
        HEAT: row.heat_w,
        FLOW: row.flow_c,
        RETURN: row.return_c,
        OUTDOOR: row.outdoor_c,
        HUMID: row.outdoor_rh,
        DEFROST: None if row.defrost is None else ("on" if row.defrost else "off"),
        HZ: row.compressor_hz,
        BACKUP: row.backup_w,
    }


def set_sources(hass: HomeAssistant, values: dict[str, Any]) -> None:
    """Set source entities' states (None: unavailable), as their own integration would."""
    for entity_id, value in values.items():
        state = "unavailable" if value is None else str(value)
        hass.states.async_set(entity_id, state, ATTRIBUTES.get(entity_id, {}))


def reading_from_row(row: TraceRow) -> Reading:
    """Return the reading a unit driver would produce for a trace row (the device path)."""

    def metered(value: float | None) -> Quantity | None:
        return None if value is None else Quantity(value=value, origin=Origin.METERED)

    return Reading(
        time=row.time,
        elec_w=metered(row.elec_w),
        heat_w=metered(row.heat_w),
        flow_c=row.flow_c,
        return_c=row.return_c,
        outdoor_c=row.outdoor_c,
        outdoor_rh=row.outdoor_rh,
        defrost=row.defrost,
        compressor_hz=row.compressor_hz,
        backup_w=metered(row.backup_w),
    )


async def settle(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the alignment window pass so waiting changes become a reading."""
    await (
        hass.async_block_till_done()
    )  # state change events are dispatched on the next loop turn
    freezer.tick(ALIGN_DELAY + 0.1)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    if in_flush_window(now := dt_util.utcnow()):
        # Readings wait while a statistics period's figures are flushed: until the period ends.
        freezer.move_to(period_end(now) + AFTER_PERIOD_END + timedelta(seconds=0.1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def feed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, rows: list[TraceRow]
) -> None:
    """Play trace rows through the source entities, each at its own time."""
    for row in rows:
        freezer.move_to(row.time)
        set_sources(hass, row_values(row))
        await settle(hass, freezer)

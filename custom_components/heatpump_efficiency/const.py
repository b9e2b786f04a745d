"""Constants for the Heat Pump Efficiency integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "heatpump_efficiency"
LOGGER = logging.getLogger(__package__)

CONF_UNIT_TYPE: Final = "unit_type"
# The unit's identity as its driver reports it (HeishaMon: `heishamon-` + TOP92 model bytes), and its MAC
# when discovery gave one. Entry unique ids never change; these decide which entry a unit found later is.
CONF_MODEL_ID: Final = "model_id"
CONF_MAC: Final = "mac"

# Options
CONF_POLL_INTERVAL: Final = "poll_interval"
CONF_COMFORT_TEMPERATURE: Final = "comfort_temperature"
CONF_ECO_TEMPERATURE: Final = "eco_temperature"
CONF_AWAY_TEMPERATURE: Final = "away_temperature"
CONF_ROOM_SENSOR: Final = "room_sensor"
CONF_THRESHOLDS: Final = "thresholds"
# Base temperature of the heating degree-days (units without heat measurement).
CONF_DEGREE_DAY_BASE: Final = "degree_day_base"

DEFAULT_POLL_INTERVAL: Final = 30  # seconds
MAX_POLL_INTERVAL: Final = 300
DEFAULT_COMFORT_TEMPERATURE: Final = 20.0
MIN_POLL_INTERVAL: Final = 10
DEFAULT_ECO_TEMPERATURE: Final = 18.0
DEFAULT_AWAY_TEMPERATURE: Final = 15.0
PRESET_TEMPERATURE_MIN: Final = 5.0
PRESET_TEMPERATURE_MAX: Final = 30.0
# °C, the usual base of heating degree-days in Europe.
DEFAULT_DEGREE_DAY_BASE: Final = 15.5
DEGREE_DAY_BASE_MIN: Final = 5.0
DEGREE_DAY_BASE_MAX: Final = 22.0

REQUEST_TIMEOUT: Final = 10.0  # seconds for one HTTP request to the unit
WRITE_DEBOUNCE: Final = (
    2.0  # seconds of quiet before a burst of setpoint changes is written
)
OPTIMISTIC_HOLD: Final = timedelta(
    seconds=60
)  # unit caches (HeishaMon: 5 s) may lag a write
ROOM_HOLD_INTERVAL: Final = timedelta(
    minutes=15
)  # at most one setpoint step per interval
ROOM_HOLD_DEADBAND: Final = 0.5  # K of room error before the setpoint is moved

STORAGE_VERSION: Final = 1
STORAGE_SAVE_DELAY: Final = (
    60  # seconds; engine state is saved at most this often (and at stop)
)

# Device name: entity ids derive from it (sensor.heat_pump_live_cop), which the shipped dashboard uses.
DEVICE_NAME: Final = "Heat pump"

# How an entry gets its readings: from the unit's local API (no key, the default) or from existing entities.
CONF_KIND: Final = "kind"
KIND_SENSORS: Final = "sensors"
CONF_MAX_AGE: Final = "max_age"  # minutes after which an entity's value that was not reported again expires
DEFAULT_MAX_AGE: Final = 15
MAX_MAX_AGE: Final = 1440

# How a unit entry reaches its unit: its local HTTP API (no key, the default) or HeishaMon's MQTT topics
# through Home Assistant's MQTT integration. Switching keeps the entry, its entities and its statistics.
CONF_TRANSPORT: Final = "transport"
TRANSPORT_HTTP: Final = "http"
TRANSPORT_MQTT: Final = "mqtt"
CONF_TOPIC: Final = "topic"  # the HeishaMon base topic (its `mqtt_topic_base`)

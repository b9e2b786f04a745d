"""Constants for the Heat Pump Efficiency integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "heatpump_efficiency"
LOGGER = logging.getLogger(__package__)

CONF_UNIT_TYPE: Final = "unit_type"
UNIT_TYPE_HEISHAMON: Final = "heishamon"
DEFAULT_PORT: Final = 80

"""The heatpumpmonitor.org fleet's percentiles, shipped as constants: never fetched at runtime.

Provenance. heatpumpmonitor.org (run by OpenEnergyMonitor) publishes the measured performance of
heat pump systems whose owners chose to share it. The figures below were derived from its public
repository `openenergymonitor/heatpumpmonitor.org`, file
`analysis/performance_prediction/heatpumpmonitor_all_fields_last365_2026-07-15.csv`: the
last-365-days statistics of every publicly listed system, exported on 2026-07-15. Of its 312
systems, the 304 air-source ones form the fleet here; each figure's `n` counts the systems that have
it. The fleet is self-selected: owners who meter carefully, many with MID-class heat and electricity
meters. It is therefore a demanding yardstick, not an average of all installations.

Definitions follow heatpumpmonitor.org: "combined" is space heating plus hot water, the year's
heat divided by the year's electricity; "running" counts only the time the compressor runs; starts
per hour are the year's compressor starts divided by the hours with data (not by running hours:
heatpumpmonitor.org's own statistics code divides the starts by the combined data length, and the
table's starts per day are 24 times its starts per hour); the flow temperature and the flow minus
outdoor difference are heat-weighted means; the defrost loss is the heat taken back by defrosts as
a share of the heat, over the systems without cooling (their heat meters mix cooling into the
negative heat).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FLEET_SOURCE = "heatpumpmonitor.org"
FLEET_EXPORTED = date(2026, 7, 15)
FLEET_SYSTEMS = 304  # air-source systems in the export
# The percentiles every distribution below gives a value for.
PERCENTILES: tuple[float, ...] = (10.0, 25.0, 50.0, 75.0, 90.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Distribution:
    """One figure's spread over the fleet: its values at PERCENTILES, and which way is better."""

    systems: int  # how many systems have the figure
    values: tuple[
        float, float, float, float, float
    ]  # at the 10th, 25th, 50th, 75th, 90th
    higher_is_better: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowClass:
    """The fleet's combined SPF among systems whose heat-weighted flow temperature is in a range."""

    key: str  # stable name for attributes and JSON
    low_c: float | None  # the class covers low_c <= flow < high_c (None: open-ended)
    high_c: float | None
    systems: int
    p25: float
    median: float
    p75: float


SPF = Distribution(
    systems=304, values=(3.32, 3.62, 4.00, 4.34, 4.60), higher_is_better=True
)
RUNNING_COP = Distribution(
    systems=304, values=(3.37, 3.67, 4.07, 4.44, 4.69), higher_is_better=True
)
STARTS_PER_HOUR = Distribution(
    systems=304, values=(0.13, 0.18, 0.27, 0.36, 0.58), higher_is_better=False
)
FLOW_C = Distribution(
    systems=300, values=(31.1, 32.7, 34.7, 37.4, 39.8), higher_is_better=False
)
LIFT_K = Distribution(
    systems=300, values=(23.5, 25.3, 27.2, 29.9, 32.4), higher_is_better=False
)
DEFROST_LOSS_PCT = Distribution(
    systems=267, values=(0.8, 1.0, 1.5, 2.2, 3.1), higher_is_better=False
)

# Combined SPF by heat-weighted flow temperature: each kelvin of flow costs efficiency.
FLOW_CLASSES: tuple[FlowClass, ...] = (
    FlowClass(
        key="below_32",
        low_c=None,
        high_c=32.0,
        systems=53,
        p25=4.17,
        median=4.45,
        p75=4.69,
    ),
    FlowClass(
        key="32_35",
        low_c=32.0,
        high_c=35.0,
        systems=106,
        p25=3.91,
        median=4.17,
        p75=4.45,
    ),
    FlowClass(
        key="35_38",
        low_c=35.0,
        high_c=38.0,
        systems=78,
        p25=3.62,
        median=3.86,
        p75=4.17,
    ),
    FlowClass(
        key="38_42",
        low_c=38.0,
        high_c=42.0,
        systems=53,
        p25=3.30,
        median=3.42,
        p75=3.67,
    ),
    FlowClass(
        key="42_and_above",
        low_c=42.0,
        high_c=None,
        systems=10,
        p25=2.74,
        median=3.09,
        p75=3.18,
    ),
)

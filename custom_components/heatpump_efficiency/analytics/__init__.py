"""Efficiency analytics: pure, typed Python with no Home Assistant imports.

Fed one vendor-neutral reading at a time, the engine keeps energy totals, period COP, defrost,
filter, short-cycling and backup-heater judgements in bounded, serialisable state.
"""

from .config import Bound, EngineConfig, option_bounds
from .engine import Engine
from .results import (
    CyclingReason,
    DefrostReason,
    EnergyMeters,
    FilterReason,
    PeriodStats,
    Quality,
    Results,
)
from .state import STATE_VERSION, StateError

__all__ = [
    "STATE_VERSION",
    "Bound",
    "CyclingReason",
    "DefrostReason",
    "EnergyMeters",
    "Engine",
    "EngineConfig",
    "FilterReason",
    "PeriodStats",
    "Quality",
    "Results",
    "StateError",
    "option_bounds",
]

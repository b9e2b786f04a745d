"""The stored statistics: restored part by part, and kept as a copy when they cannot be used.

Damaged or newer-version statistics never stop the entry from loading: what cannot be read starts
afresh, the stored document is copied next to the store file in `.storage/` (so nothing is destroyed
by the next save), and the coordinator raises a repair issue saying what was lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .analytics.advisor import AdvisorConfig, HeatingCurveAdvisor
from .analytics.config import EngineConfig
from .analytics.curve import PerformanceCurve
from .analytics.degree_days import DegreeDayConfig, DegreeDayLearner
from .analytics.engine import Engine
from .analytics.preheat import PreheatLearner
from .analytics.state import StateError
from .compat import STORE_HAS_MAX_READABLE_VERSION
from .const import STORAGE_VERSION

# Any stored major version reaches `_async_migrate_func`, which decides (Home Assistant 2026 would refuse).
NEWEST_READABLE = 2**31 - 1
# What a damaged part holds; the repair issue names it.
PART_STATISTICS = "statistics"
PART_PREHEAT = "preheat"
PART_DEGREE_DAYS = "degree_days"
PART_ADVISOR = "advisor"
PART_CURVE = "curve"

# Anything a malformed document can make the restore functions raise besides StateError.
_SHAPE_ERRORS = (
    StateError,
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    IndexError,
    OverflowError,
)


class StoredVersionError(Exception):
    """The statistics were written by a newer version of the integration (after a downgrade)."""

    def __init__(self, version: int, data: Any) -> None:
        """Keep the stored version and the data as found."""
        super().__init__(
            f"written by a newer version of the integration (storage version {version}, "
            f"this version reads {STORAGE_VERSION})"
        )
        self.version = version
        self.data = data


class StatisticsStore(Store[dict[str, Any]]):
    """The entry's store; a newer major version is reported with its data instead of failing the load."""

    def __init__(self, hass: HomeAssistant, key: str) -> None:
        """Create the store of one entry."""
        if STORE_HAS_MAX_READABLE_VERSION:
            super().__init__(  # type: ignore[call-arg,unused-ignore]
                hass, STORAGE_VERSION, key, max_readable_version=NEWEST_READABLE
            )
        else:  # pragma: no cover - exercised by `scripts/test --min`
            super().__init__(hass, STORAGE_VERSION, key)

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: Any
    ) -> Any:
        """Hand other minor versions on unchanged (the engine migrates its own state); refuse newer ones."""
        if old_major_version > self.version:
            raise StoredVersionError(old_major_version, old_data)
        return old_data


@dataclass(frozen=True, slots=True, kw_only=True)
class DamagedStatistics:
    """Stored data that could not be used: which parts were lost, why, when, and where the copy is."""

    lost: tuple[str, ...]
    reason: str
    time: datetime
    copy_key: str
    data: Any

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly view for diagnostics."""
        return {
            "lost": list(self.lost),
            "reason": self.reason,
            "time": self.time.isoformat(),
            "copy": self.copy_key,
            "data": self.data,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Restored:
    """What could be restored; a part that could not is fresh, and `problems` says why (part -> reason)."""

    engine: Engine
    preheat: PreheatLearner
    problems: dict[str, str]
    degree_days: DegreeDayLearner
    advisor: HeatingCurveAdvisor = field(default_factory=HeatingCurveAdvisor)
    curve: PerformanceCurve


def restore(
    stored: Any,
    config: EngineConfig,
    degree_day_config: DegreeDayConfig | None = None,
    *,
    advisor_config: AdvisorConfig | None = None,
) -> Restored:
    """Restore the engine and the learners independently: one damaged part does not cost the others."""
    problems: dict[str, str] = {}
    engine = Engine(config)
    preheat = PreheatLearner()
    degree_days = DegreeDayLearner(degree_day_config)
    advisor = HeatingCurveAdvisor(advisor_config)
    curve = PerformanceCurve(config)
    if not isinstance(stored, dict):
        reason = f"stored data is a {type(stored).__name__}, expected an object"
        return Restored(
            engine=engine,
            preheat=preheat,
            problems={
                PART_STATISTICS: reason,
                PART_PREHEAT: reason,
                PART_DEGREE_DAYS: reason,
                PART_ADVISOR: reason,
                PART_CURVE: reason,
            },
            degree_days=degree_days,
            advisor=advisor,
            curve=curve,
        )
    raw_engine = stored.get("engine")
    try:
        if not isinstance(raw_engine, dict):
            raise StateError(
                f"engine state is a {type(raw_engine).__name__}, expected an object"
            )
        engine = Engine.from_dict(raw_engine, config)
    except _SHAPE_ERRORS as err:
        problems[PART_STATISTICS] = _describe(err)
    if (raw_preheat := stored.get("preheat")) is not None:
        try:
            if not isinstance(raw_preheat, dict):
                raise StateError(
                    f"pre-heat state is a {type(raw_preheat).__name__}, expected an object"
                )
            preheat = PreheatLearner.from_dict(raw_preheat)
        except _SHAPE_ERRORS as err:
            problems[PART_PREHEAT] = _describe(err)
    if (raw_degree_days := stored.get("degree_days")) is not None:
        try:
            degree_days = DegreeDayLearner.from_dict(raw_degree_days, degree_day_config)
        except _SHAPE_ERRORS as err:
            problems[PART_DEGREE_DAYS] = _describe(err)
    if (raw_curve := stored.get("curve")) is not None:
        try:
            curve = PerformanceCurve.from_dict(raw_curve, config)
        except _SHAPE_ERRORS as err:
            problems[PART_CURVE] = _describe(err)
    if (raw_advisor := stored.get("advisor")) is not None:
        try:
            advisor = HeatingCurveAdvisor.from_dict(raw_advisor, advisor_config)
        except _SHAPE_ERRORS as err:
            problems[PART_ADVISOR] = _describe(err)
    return Restored(
        advisor=advisor,
        engine=engine,
        preheat=preheat,
        problems=problems,
        degree_days=degree_days,
        curve=curve,
    )


def _describe(err: Exception) -> str:
    """Return a one-line reason; the engine's StateError already says what was wrong."""
    return str(err) if isinstance(err, StateError) else f"{type(err).__name__}: {err}"


def copy_key(key: str, now: datetime) -> str:
    """Return the storage key of a damaged copy: next to the store file, stamped with the time."""
    return f"{key}.damaged_{now.strftime('%Y%m%dT%H%M%SZ')}"


async def async_keep_copy(
    hass: HomeAssistant, key: str, lost: tuple[str, ...], reason: str, data: Any
) -> DamagedStatistics:
    """Write the damaged document to its own file in `.storage/` (in the executor) and describe it."""
    now = dt_util.utcnow()
    damaged = DamagedStatistics(
        lost=lost, reason=reason, time=now, copy_key=copy_key(key, now), data=data
    )
    copy: Store[dict[str, Any]] = Store(hass, 1, damaged.copy_key)
    await copy.async_save(damaged.as_dict())
    return damaged

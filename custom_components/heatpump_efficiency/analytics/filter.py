"""Filter maintenance: runtime and calendar intervals, and early warning from COP drift at comparable weather."""

from __future__ import annotations

from dataclasses import dataclass
import math
from typing import Any

from .checks import (
    MAX_KWH,
    MAX_S,
    StateError,
    as_dict,
    as_list,
    field_of,
    integer,
    num,
    opt_num,
    opt_text,
    opt_time,
)
from .config import EngineConfig
from .results import FilterReason

DRIFT_EVAL_S = 3600.0  # drift changes slowly; judging it hourly keeps updates cheap
OUTDOOR_MIN_C = (
    -30.0
)  # colder or warmer readings share the edge bins, so bins stay bounded
OUTDOOR_MAX_C = 40.0


@dataclass(slots=True)
class DriftBin:
    """Running heat and electricity in one outdoor-temperature bin: a frozen baseline and a recent window."""

    base_heat: float = 0.0
    base_elec: float = 0.0
    recent_heat: float = 0.0
    recent_elec: float = 0.0


class FilterTracker:
    """Runtime since the last cleaning, calendar time, and COP drift per outdoor-temperature bin."""

    def __init__(self) -> None:
        """Start with no cleaning known; the first reading counts as the last cleaning."""
        self.last_cleaned: float | None = None
        self.running_s = 0.0
        self.due_since: float | None = None
        self.due_reason: FilterReason | None = None
        self.bins: dict[int, DriftBin] = {}
        self.bin_c: float | None = None  # the bin width the bins were learnt with
        self.drift_pct: float | None = None
        self.next_eval = float("-inf")

    def cleaned(self, t: float) -> None:
        """Reset after the owner cleaned the filter; the COP baseline is learnt again."""
        self.last_cleaned = t
        self.running_s = 0.0
        self.due_since = None
        self.due_reason = None
        self.bins.clear()
        self.drift_pct = None
        self.next_eval = float("-inf")

    def rewind(self, t: float) -> None:
        """Pull times after t back to t (the clock went back and the engine re-anchored)."""
        if self.last_cleaned is not None and self.last_cleaned > t:
            self.last_cleaned = t
        if self.due_since is not None and self.due_since > t:
            self.due_since = t
        if self.next_eval > t:
            self.next_eval = float("-inf")

    def step(
        self,
        t: float,
        *,
        running_s: float,
        outdoor_c: float | None,
        clean_heat_kwh: float,
        clean_elec_kwh: float,
        config: EngineConfig,
    ) -> None:
        """Add runtime and steady running energy (no defrost, no backup) to the bin of the outdoor temperature."""
        if self.last_cleaned is None:
            self.last_cleaned = t
        self.running_s += running_s
        if outdoor_c is not None and clean_elec_kwh > 0:
            self._add_energy(outdoor_c, clean_heat_kwh, clean_elec_kwh, config)
        if t >= self.next_eval:
            self.drift_pct = self._drift(config)
            self.next_eval = t + DRIFT_EVAL_S
        self._judge(t, config)

    def _add_energy(
        self, outdoor_c: float, heat: float, elec: float, config: EngineConfig
    ) -> None:
        """Book energy into the baseline until it is complete, then into the recent window."""
        if self.bin_c != config.filter_drift_bin_c:
            self.bins.clear()  # bins of another width compare other weather: learn again
            self.bin_c = config.filter_drift_bin_c
        clamped = min(max(outdoor_c, OUTDOOR_MIN_C), OUTDOOR_MAX_C)
        key = math.floor(clamped / config.filter_drift_bin_c)
        drift_bin = self.bins.get(key)
        if drift_bin is None:
            drift_bin = self.bins[key] = DriftBin()
        if drift_bin.base_elec < config.filter_drift_baseline_kwh:
            drift_bin.base_heat += heat
            drift_bin.base_elec += elec
            return
        # An exponential window by energy, not time: a bin the weather skips keeps its memory.
        keep = math.exp(-elec / config.filter_drift_window_kwh)
        drift_bin.recent_heat = drift_bin.recent_heat * keep + heat
        drift_bin.recent_elec = drift_bin.recent_elec * keep + elec

    def _drift(self, config: EngineConfig) -> float | None:
        """Return recent heat vs what the baseline COP would give for the same electricity, in %."""
        expected = actual = elec = 0.0
        for drift_bin in self.bins.values():
            if (
                drift_bin.base_elec < config.filter_drift_baseline_kwh
                or drift_bin.recent_elec <= 0
            ):
                continue
            expected += (
                drift_bin.recent_elec * drift_bin.base_heat / drift_bin.base_elec
            )
            actual += drift_bin.recent_heat
            elec += drift_bin.recent_elec
        if elec < config.filter_drift_min_kwh or expected <= 0:
            return None
        return 100.0 * (actual / expected - 1.0)

    def _judge(self, t: float, config: EngineConfig) -> None:
        """Mark the filter due by runtime, calendar or drift, whichever comes first; it stays due until cleaned."""
        if self.due_since is not None:
            return
        reason: FilterReason | None = None
        if self.running_s >= config.filter_interval_running_h * 3600:
            reason = FilterReason.RUNTIME
        elif (
            self.last_cleaned is not None
            and t - self.last_cleaned >= config.filter_interval_days * 86400
        ):
            reason = FilterReason.CALENDAR
        elif self.drift_pct is not None and self.drift_pct <= -config.filter_drift_pct:
            reason = FilterReason.COP_DRIFT
        if reason is not None:
            self.due_since = t
            self.due_reason = reason

    def to_dict(self) -> dict[str, Any]:
        """Serialise."""
        return {
            "last_cleaned": self.last_cleaned,
            "running_s": self.running_s,
            "due_since": self.due_since,
            "due_reason": None if self.due_reason is None else self.due_reason.value,
            "bins": [
                [k, b.base_heat, b.base_elec, b.recent_heat, b.recent_elec]
                for k, b in sorted(self.bins.items())
            ],
            "bin_c": self.bin_c,
            "drift_pct": self.drift_pct,
            "next_eval": None if math.isinf(self.next_eval) else self.next_eval,
        }

    @classmethod
    def from_dict(cls, data: Any) -> FilterTracker:
        """Restore, checking every field (StateError)."""
        data = as_dict(data, "filter")

        def get(key: str) -> Any:
            return field_of(data, key, "filter")

        tracker = cls()
        tracker.last_cleaned = opt_time(get("last_cleaned"), "filter.last_cleaned")
        tracker.running_s = num(get("running_s"), "filter.running_s", 0.0, MAX_S)
        tracker.due_since = opt_time(get("due_since"), "filter.due_since")
        reason = opt_text(get("due_reason"), "filter.due_reason")
        try:
            tracker.due_reason = None if reason is None else FilterReason(reason)
        except ValueError as err:
            raise StateError(f"filter.due_reason {reason!r} is not a reason") from err
        for item in as_list(get("bins"), "filter.bins", 1000):
            values = as_list(item, "filter.bins[]", 5)
            if len(values) != 5:
                raise StateError("filter.bins[] needs 5 values")
            key = integer(values[0], "filter.bins[].key", -1000, 1000)
            tracker.bins[key] = DriftBin(
                *(num(v, "filter.bins[]", -MAX_KWH, MAX_KWH) for v in values[1:])
            )
        tracker.bin_c = opt_num(data.get("bin_c"), "filter.bin_c", 0.0, 100.0)
        tracker.drift_pct = opt_num(get("drift_pct"), "filter.drift_pct", -1e6, 1e6)
        next_eval = opt_time(get("next_eval"), "filter.next_eval")
        tracker.next_eval = float("-inf") if next_eval is None else next_eval
        return tracker

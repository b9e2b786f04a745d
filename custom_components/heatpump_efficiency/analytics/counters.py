"""Cumulative energy counters read the way Home Assistant reads a total_increasing sensor.

A decrease of more than 10 % is a reset or a replaced meter: counting goes on from the new value.
A smaller decrease is jitter: nothing accrues and the higher reference is kept, so the value coming
back is not counted twice. A rise faster than the plausibility limit is a glitch: it counts as
unknown until a second reading confirms the new level (a meter replaced by one reading higher).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

# Below this share of the reference a counter was reset or replaced.
RESET_RATIO = 0.9
# Rounding slack of a counter's last digit (kWh), so a tiny interval never rejects one count.
RESOLUTION_SLACK_KWH = 0.01


class StepKind(Enum):
    """What one counter reading says about the interval that ends at it."""

    NONE = "none"  # no counter value, or the first one: nothing known from the counter
    COUNTED = "counted"  # `kwh` accrued since `since`
    HELD = "held"  # jitter: unknown now, the next rise covers it
    REJECTED = "rejected"  # implausible rise: unknown, waiting for a confirmation
    RESET = (
        "reset"  # reset/replaced: only `kwh` (the new value, when plausible) is a guess
    )


@dataclass(frozen=True, slots=True)
class CounterStep:
    """The outcome of one counter reading."""

    kind: StepKind
    kwh: float | None = None
    since: float | None = None  # start of the span `kwh` covers (COUNTED)


def limit_kwh(max_kw: float, seconds: float) -> float:
    """Return the most energy a unit within the power limit can use in `seconds`."""
    return max_kw * max(seconds, 0.0) / 3600 + RESOLUTION_SLACK_KWH


@dataclass(slots=True)
class CounterTrack:
    """The reference value of one counter and any unconfirmed new level; kept across restarts."""

    value: float | None = None
    t: float | None = None
    pend_value: float | None = None
    pend_t: float | None = None

    def advance(self, value: float | None, t: float, max_kw: float) -> CounterStep:
        """Take the counter's value at time t (after the reference) and say what accrued."""
        if value is None:
            return CounterStep(StepKind.NONE)
        if self.value is None or self.t is None or t <= self.t:
            self._set(value, t)
            return CounterStep(StepKind.NONE)
        delta = value - self.value
        if delta >= 0:
            if delta <= limit_kwh(max_kw, t - self.t):
                since = self.t
                self._set(value, t)
                return CounterStep(StepKind.COUNTED, delta, since)
            return self._implausible(value, t, max_kw)
        if value >= self.value * RESET_RATIO:
            return CounterStep(StepKind.HELD)
        guess = value if value <= limit_kwh(max_kw, t - self.t) else None
        self._set(value, t)
        return CounterStep(StepKind.RESET, guess)

    def rebase(
        self, value: float | None, t: float, max_kw: float, span_s: float
    ) -> float:
        """Move the reference to a reading whose time since the reference is unknown (clock re-anchor).

        Returns what accrued when that is plausible within `span_s`, else 0.
        """
        if value is None:
            return 0.0
        accrued = 0.0
        if self.value is not None and 0 <= value - self.value <= limit_kwh(
            max_kw, span_s
        ):
            accrued = value - self.value
        self._set(value, t)
        return accrued

    def _implausible(self, value: float, t: float, max_kw: float) -> CounterStep:
        """A rise beyond the limit: count on from a new level only once a second reading agrees."""
        if self.pend_value is not None and self.pend_t is not None and t > self.pend_t:
            delta = value - self.pend_value
            if 0 <= delta <= limit_kwh(max_kw, t - self.pend_t):
                since = self.pend_t
                self._set(value, t)
                return CounterStep(StepKind.COUNTED, delta, since)
        self.pend_value, self.pend_t = value, t
        return CounterStep(StepKind.REJECTED)

    def _set(self, value: float, t: float) -> None:
        """Make a reading the reference and drop any unconfirmed level."""
        self.value, self.t = value, t
        self.pend_value = self.pend_t = None

    def to_list(self) -> list[float | None]:
        """Serialise."""
        return [self.value, self.t, self.pend_value, self.pend_t]


@dataclass(slots=True)
class Counters:
    """The electricity and heat counter tracks of one unit."""

    elec: CounterTrack
    heat: CounterTrack

    @classmethod
    def empty(cls) -> Counters:
        """Return tracks with no reference yet."""
        return cls(CounterTrack(), CounterTrack())

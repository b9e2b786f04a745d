"""The Daikin adapter's energy counters: hourly 0.1 kWh buckets per mode, a week in Wh, months in kWh."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
import random

J_PER_KWH = 3.6e6
STEP_J = J_PER_KWH / 10.0  # the indoor unit counts electricity in 0.1 kWh steps


def _month_kwh_seed(rng: random.Random, month: int) -> int:
    """A plausible month of a mini-split's electricity: mostly heating in winter, a little cooling in summer."""
    heating = {1: 190, 2: 160, 3: 120, 4: 60, 5: 15, 10: 45, 11: 110, 12: 170}.get(
        month, 0
    )
    cooling = {6: 25, 7: 55, 8: 45, 9: 10}.get(month, 0)
    return round((heating + cooling) * rng.uniform(0.8, 1.2))


@dataclass(slots=True)
class _Counter:
    """Electricity not yet counted (J) and the whole 0.1 kWh steps counted in each hour of today."""

    pending_j: float = 0.0
    today: list[int] = field(default_factory=lambda: [0] * 24)
    yesterday: list[int] = field(default_factory=lambda: [0] * 24)

    def add(self, joules: float, hour: int) -> int:
        """Count electricity; return how many 0.1 kWh steps were completed."""
        self.pending_j += joules
        steps = int(self.pending_j // STEP_J)
        if steps:
            self.pending_j -= steps * STEP_J
            self.today[hour] += steps
        return steps

    def new_day(self, *, consecutive: bool) -> None:
        """Start a day: today's buckets become yesterday's (or nothing, after a jump of several days)."""
        self.yesterday = self.today if consecutive else [0] * 24
        self.today = [0] * 24


class AdapterMeters:
    """Everything `get_day_power_ex`, `get_week_power` and `get_year_power` report, in the unit's own steps.

    Heating and cooling (drying counts as cooling) fill the day buckets; the week and the months count
    all of the unit's electricity, fans and standby included, in 0.1 kWh steps too. The past is seeded
    from the seed so the adapter reports energy from the first request, as an installed unit does
    (pydaikin offers energy sensors only when the last 7 days or 2 years show some).
    """

    def __init__(self, now: datetime, *, seed: int) -> None:
        """Start at `now` (the adapter's local time) with a seeded history."""
        rng = random.Random(f"daikin-history-{seed}")
        self.day: date = now.date()
        self.heat = _Counter()
        self.cool = _Counter()
        self.total_pending_j = 0.0
        # Oldest first; the last entry is today (Wh, whole 0.1 kWh steps).
        self.week_wh = [rng.randrange(10, 80) * 100 for _ in range(6)] + [0]
        self.runtime_today_s = 0.0
        self.previous_year = [_month_kwh_seed(rng, m) for m in range(1, 13)]
        self.this_year = [_month_kwh_seed(rng, m) for m in range(1, now.month)] + [0]
        self.month_pending_wh = 0

    def add(
        self, joules: float, *, mode: str | None, running_s: float, now: datetime
    ) -> None:
        """Count electricity used until `now`; `mode` is "heat", "cool" or None (fan, standby)."""
        self._roll(now)
        if mode == "heat":
            self.heat.add(joules, now.hour)
        elif mode == "cool":
            self.cool.add(joules, now.hour)
        self.total_pending_j += joules
        steps = int(self.total_pending_j // STEP_J)
        if steps:
            self.total_pending_j -= steps * STEP_J
            self.week_wh[-1] += steps * 100
            self.month_pending_wh += steps * 100
            whole = self.month_pending_wh // 1000
            self.this_year[-1] += whole
            self.month_pending_wh -= whole * 1000
        self.runtime_today_s += running_s

    def _roll(self, now: datetime) -> None:
        """Move to a new day (and month, and year) when the clock passed midnight."""
        today = now.date()
        if today == self.day:
            return
        gap = (today - self.day).days
        consecutive = gap == 1
        for counter in (self.heat, self.cool):
            counter.new_day(consecutive=consecutive)
        shift = min(
            max(gap, 1), 7
        )  # a clock set back (a new scenario) still starts a new day
        self.week_wh = (self.week_wh + [0] * shift)[-7:]
        self.runtime_today_s = 0.0
        if today.year != self.day.year:
            self.previous_year = (self.this_year + [0] * 12)[:12]
            self.this_year = [0] * today.month
        elif today.month != self.day.month:
            self.this_year = (self.this_year + [0] * 12)[: today.month]
        self.day = today

    def day_power(self) -> dict[str, str]:
        """`aircon/get_day_power_ex`: today's and yesterday's hourly buckets (0.1 kWh)."""
        return {
            "curr_day_heat": _slashed(self.heat.today),
            "prev_1day_heat": _slashed(self.heat.yesterday),
            "curr_day_cool": _slashed(self.cool.today),
            "prev_1day_cool": _slashed(self.cool.yesterday),
        }

    def week_power(self) -> dict[str, str]:
        """`aircon/get_week_power`: today's compressor minutes and seven days of electricity (Wh)."""
        return {
            "today_runtime": str(int(self.runtime_today_s // 60)),
            "datas": _slashed(self.week_wh),
        }

    def year_power(self) -> dict[str, str]:
        """`aircon/get_year_power`: electricity per month (kWh), last year and this year so far."""
        return {
            "previous_year": _slashed(self.previous_year),
            "this_year": _slashed(self.this_year),
        }


def _slashed(values: list[int]) -> str:
    return "/".join(str(v) for v in values)

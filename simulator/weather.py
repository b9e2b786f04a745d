"""Outdoor temperature and humidity: scripted day segments with a daily swing and smooth seeded noise."""

from __future__ import annotations

from dataclasses import dataclass
import math
import random

_BLEND_S = 3 * 3600.0  # segments merge into the next one over their last three hours


@dataclass(frozen=True, slots=True, kw_only=True)
class WeatherSegment:
    """A stretch of weather: mean and daily half-swing of temperature (°C) and relative humidity (%)."""

    hours: float
    mean_c: float
    swing_c: float
    rh_mean: float
    rh_swing: float


@dataclass(frozen=True, slots=True, kw_only=True)
class WeatherProfile:
    """A sequence of segments (repeated once it runs out) plus the size of the random wander."""

    segments: tuple[WeatherSegment, ...]
    noise_c: float = 0.6
    noise_rh: float = 2.0


class Weather:
    """Deterministic outdoor conditions for a profile, a seed and the local hour of the start."""

    def __init__(
        self, profile: WeatherProfile, *, seed: int, start_hour: float
    ) -> None:
        """Prepare the noise generator; nothing is random after construction except through the seed."""
        self._profile = profile
        self._start_hour = start_hour
        self._rng = random.Random(seed)
        self._noise: list[tuple[float, float]] = [(0.0, 0.0)]
        self._cycle_s = sum(s.hours for s in profile.segments) * 3600.0

    def _noise_at(self, t: float) -> tuple[float, float]:
        """Hourly AR(1) noise, linearly interpolated so the weather never jumps."""
        hour = max(t, 0.0) / 3600.0
        index = int(hour)
        while len(self._noise) <= index + 1:
            last_t, last_rh = self._noise[-1]
            self._noise.append(
                (
                    0.85 * last_t + 0.53 * self._rng.gauss(0.0, 1.0),
                    0.85 * last_rh + 0.53 * self._rng.gauss(0.0, 1.0),
                )
            )
        frac = hour - index
        (t0, rh0), (t1, rh1) = self._noise[index], self._noise[index + 1]
        return (
            (t0 + (t1 - t0) * frac) * self._profile.noise_c,
            (rh0 + (rh1 - rh0) * frac) * self._profile.noise_rh,
        )

    def _segment_means(self, t: float) -> tuple[WeatherSegment, float, float]:
        """Return the current segment and its blended temperature and humidity means."""
        segments = self._profile.segments
        pos = t % self._cycle_s if self._cycle_s > 0 else 0.0
        for i, seg in enumerate(segments):
            length = seg.hours * 3600.0
            if pos < length or i == len(segments) - 1:
                nxt = segments[(i + 1) % len(segments)]
                left = length - pos
                w = 0.0 if left >= _BLEND_S else 1.0 - max(left, 0.0) / _BLEND_S
                return (
                    seg,
                    seg.mean_c + (nxt.mean_c - seg.mean_c) * w,
                    seg.rh_mean + (nxt.rh_mean - seg.rh_mean) * w,
                )
            pos -= length
        raise AssertionError("unreachable")  # pragma: no cover

    def at(self, t: float) -> tuple[float, float]:
        """Return (outdoor °C, relative humidity %) at t seconds after the start."""
        seg, mean_c, rh_mean = self._segment_means(t)
        hour = (self._start_hour + t / 3600.0) % 24.0
        # Coldest around 05:00, warmest around 15:00; humidity moves the other way.
        daily = -math.cos(2.0 * math.pi * (hour - 3.5) / 24.0)
        noise_c, noise_rh = self._noise_at(t)
        temp = mean_c + seg.swing_c * daily + noise_c
        rh = rh_mean - seg.rh_swing * daily + noise_rh
        return temp, min(max(rh, 15.0), 100.0)

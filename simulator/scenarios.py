"""Named scenarios: a house, a unit and the weather, each chosen to make one behaviour happen for real reasons."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from .heatpump import Controls, HeatPumpParams
from .house import HouseParams
from .weather import WeatherProfile, WeatherSegment


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """Everything needed to start a simulation, except the seed."""

    name: str
    description: str
    house: HouseParams
    unit: HeatPumpParams
    weather: WeatherProfile
    start: datetime
    controls: Controls = field(default_factory=Controls)


def _day(
    mean_c: float, swing_c: float, rh_mean: float, rh_swing: float, hours: float = 24.0
) -> WeatherSegment:
    return WeatherSegment(
        hours=hours, mean_c=mean_c, swing_c=swing_c, rh_mean=rh_mean, rh_swing=rh_swing
    )


AVERAGE_HOUSE = HouseParams(
    ua_w_per_k=180.0,
    room_capacity_j_per_k=20e6,
    water_capacity_j_per_k=600e3,
    emitter_w_per_k=240.0,
)
WELL_INSULATED_SMALL_WATER = HouseParams(
    ua_w_per_k=110.0,
    room_capacity_j_per_k=15e6,
    water_capacity_j_per_k=250e3,
    emitter_w_per_k=150.0,
    internal_gain_w=300.0,
)
LEAKY_HOUSE = HouseParams(
    ua_w_per_k=220.0,
    room_capacity_j_per_k=25e6,
    water_capacity_j_per_k=700e3,
    emitter_w_per_k=360.0,
    room_c=19.5,
    water_c=40.0,
)

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            name="mild",
            description="Spring weather 8-14 °C, average house, 7 kW unit modulating without defrosts.",
            house=AVERAGE_HOUSE,
            unit=HeatPumpParams(nominal_w=7000.0),
            weather=WeatherProfile(segments=(_day(11.0, 3.0, 75.0, 10.0),)),
            start=datetime(2025, 4, 8, 0, 0, tzinfo=UTC),
        ),
        Scenario(
            name="cold_humid",
            description="Damp winter days around 0-3 °C at 85-95 % RH: frost builds fast, defrosts about hourly.",
            house=AVERAGE_HOUSE,
            unit=HeatPumpParams(nominal_w=7000.0),
            weather=WeatherProfile(
                segments=(_day(1.5, 1.5, 90.0, 4.0),), noise_c=0.4, noise_rh=1.5
            ),
            start=datetime(2025, 1, 14, 0, 0, tzinfo=UTC),
        ),
        Scenario(
            name="hard_frost",
            description="Clear dry frost -15..-5 °C: high lift, low COP, rare defrosts.",
            house=AVERAGE_HOUSE,
            unit=HeatPumpParams(nominal_w=9000.0),
            weather=WeatherProfile(segments=(_day(-10.0, 5.0, 70.0, 10.0),)),
            start=datetime(2025, 2, 3, 0, 0, tzinfo=UTC),
            controls=Controls(heater_on_outdoor_c=-5),
        ),
        Scenario(
            name="oversized",
            description="A 12 kW unit on a well-insulated house with little water at 10-14 °C: short cycling.",
            house=WELL_INSULATED_SMALL_WATER,
            unit=HeatPumpParams(nominal_w=12000.0),
            weather=WeatherProfile(segments=(_day(12.0, 2.0, 75.0, 10.0),)),
            start=datetime(2025, 10, 20, 0, 0, tzinfo=UTC),
        ),
        Scenario(
            name="undersized",
            description="A 5 kW unit on a leaky house in hard frost: the backup heater has to help.",
            house=LEAKY_HOUSE,
            unit=HeatPumpParams(nominal_w=5000.0),
            weather=WeatherProfile(segments=(_day(-10.0, 4.0, 70.0, 10.0),)),
            start=datetime(2025, 2, 3, 0, 0, tzinfo=UTC),
            controls=Controls(heater_on_outdoor_c=0, heater_delay_min=10),
        ),
        Scenario(
            name="warm_humid",
            description="Drizzly 8-11 °C near saturation: no frost, so defrosts only with the defrost_stuck fault.",
            house=AVERAGE_HOUSE,
            unit=HeatPumpParams(nominal_w=7000.0),
            weather=WeatherProfile(
                segments=(_day(9.5, 1.5, 94.0, 3.0),), noise_c=0.3, noise_rh=1.0
            ),
            start=datetime(2025, 11, 12, 0, 0, tzinfo=UTC),
        ),
        Scenario(
            name="cold_week",
            description="A week of varied cold: damp, freezing fog, dry frost, thaw; for heating-policy benchmarks.",
            house=AVERAGE_HOUSE,
            unit=HeatPumpParams(nominal_w=9000.0),
            weather=WeatherProfile(
                segments=(
                    _day(2.0, 2.0, 90.0, 5.0),
                    _day(-3.0, 3.0, 85.0, 8.0),
                    _day(-8.0, 4.0, 72.0, 10.0),
                    _day(-12.0, 4.0, 68.0, 10.0),
                    _day(-4.0, 2.0, 88.0, 5.0),
                    _day(0.5, 1.0, 97.0, 2.0),
                    _day(4.0, 2.5, 90.0, 6.0),
                )
            ),
            start=datetime(2025, 1, 6, 0, 0, tzinfo=UTC),
            controls=Controls(heater_on_outdoor_c=-5),
        ),
    )
}
DEFAULT_SCENARIO = "cold_humid"


def get_scenario(name: str) -> Scenario:
    """Return a scenario by name; raise KeyError listing the known names otherwise."""
    try:
        return SCENARIOS[name]
    except KeyError:
        raise KeyError(
            f"unknown scenario {name!r}; known: {', '.join(sorted(SCENARIOS))}"
        ) from None


def steady_scenario(
    outdoor_c: float, rh: float, *, base: str = "cold_humid"
) -> Scenario:
    """A copy of `base` with constant, noise-free weather: for sweeps over outdoor conditions."""
    segment = WeatherSegment(
        hours=24.0, mean_c=outdoor_c, swing_c=0.0, rh_mean=rh, rh_swing=0.0
    )
    return replace(
        get_scenario(base),
        name=f"steady_{outdoor_c:g}C_{rh:g}pct",
        description=f"Constant {outdoor_c:g} °C at {rh:g} % RH.",
        weather=WeatherProfile(segments=(segment,), noise_c=0.0, noise_rh=0.0),
    )

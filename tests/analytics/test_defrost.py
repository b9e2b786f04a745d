"""Tests of defrost detection and the weather-judged excessive-defrost alert."""

from __future__ import annotations

from dataclasses import replace

import pytest

from custom_components.heatpump_efficiency.analytics.config import EngineConfig
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.analytics.results import (
    DefrostReason,
    Results,
)

from .synth import Spec, reading, readings


def run(spec: Spec, config: EngineConfig | None = None) -> tuple[Engine, list[Results]]:
    engine = Engine(config)
    return engine, [engine.update(r) for r in readings(spec)]


def first_alert(history: list[Results]) -> Results | None:
    return next((r for r in history if r.defrost.excessive), None)


def test_flagged_defrosts_are_counted_and_timed() -> None:
    _, history = run(Spec(hours=6, outdoor_c=2, defrost_every_min=50, defrost_min=5))
    last = history[-1]
    assert last.defrost.count_today == 6
    assert last.defrost.last_minutes == 5
    assert last.defrost.max_minutes_today == 5
    assert last.defrost.last_interval_running_min == pytest.approx(50, abs=1)
    assert last.defrost.inferred is False
    assert last.today.defrost_heat_lost_kwh > 0
    assert last.defrost.heat_lost_today_pct is not None


def test_defrost_is_inferred_without_a_flag() -> None:
    spec = Spec(
        hours=6, outdoor_c=2, defrost_every_min=50, defrost_min=5, defrost_flag=False
    )
    _, history = run(spec)
    assert history[-1].defrost.inferred is True
    assert history[-1].defrost.count_today == 6
    assert any(r.defrost.active for r in history)


def test_inference_needs_a_running_compressor_and_no_heat() -> None:
    engine = Engine()
    engine.update(
        reading(0, 1200, 4000, flow_c=35.0, return_c=30.0, compressor_hz=40.0)
    )
    # standby with no heat and falling flow is not a defrost
    result = engine.update(
        reading(1, 10, 0, flow_c=34.0, return_c=33.0, compressor_hz=0.0)
    )
    assert not result.defrost.active
    result = engine.update(
        reading(2, 1200, -2000, flow_c=33.0, return_c=34.0, compressor_hz=40.0)
    )
    assert result.defrost.active


def test_frequent_short_defrosts_in_humid_frost_are_normal() -> None:
    # every 25 running minutes at 0 °C and 95 % RH, 4 minutes each, for two days
    spec = Spec(
        hours=48, outdoor_c=0, outdoor_rh=95, defrost_every_min=25, defrost_min=4
    )
    _, history = run(spec)
    assert history[-1].lifetime.defrost_count > 80
    assert first_alert(history) is None


def test_same_defrosts_in_dry_air_alert_short_interval() -> None:
    spec = Spec(
        hours=6, outdoor_c=0, outdoor_rh=60, defrost_every_min=25, defrost_min=4
    )
    _, history = run(spec)
    alert = first_alert(history)
    assert alert is not None
    assert alert.defrost.reason is DefrostReason.SHORT_INTERVAL
    assert alert.defrost.reason_detail is not None
    assert "running minutes" in alert.defrost.reason_detail
    assert alert.defrost.excessive_since == alert.time


def test_rate_rule() -> None:
    config = EngineConfig(defrost_min_interval_min=10)
    spec = Spec(
        hours=6, outdoor_c=-5, outdoor_rh=70, defrost_every_min=15, defrost_min=3
    )
    _, history = run(spec, config)
    alert = first_alert(history)
    assert alert is not None
    assert alert.defrost.reason is DefrostReason.RATE


def test_warm_defrost_alerts() -> None:
    _, history = run(Spec(hours=4, outdoor_c=9, outdoor_rh=95, defrost_every_min=60))
    alert = first_alert(history)
    assert alert is not None
    assert alert.defrost.reason is DefrostReason.WARM
    assert alert.defrost.reason_detail is not None
    assert "9.0 °C" in alert.defrost.reason_detail


def test_long_defrost_alerts_while_it_lasts() -> None:
    _, history = run(Spec(hours=4, outdoor_c=1, defrost_every_min=60, defrost_min=20))
    alert = first_alert(history)
    assert alert is not None
    assert alert.defrost.reason is DefrostReason.LONG
    assert alert.defrost.active  # raised during the defrost, not after


def test_heat_loss_outside_frost_band() -> None:
    # at -5 °C dry air, infrequent but heat-hungry defrosts take more than 3 % of the heat
    spec = Spec(
        hours=24,
        outdoor_c=-5,
        outdoor_rh=70,
        defrost_every_min=90,
        defrost_min=10,
        defrost_heat_w=-4000,
    )
    _, history = run(spec)
    assert history[-1].rolling_24h.defrost_heat_lost_pct is not None
    assert history[-1].rolling_24h.defrost_heat_lost_pct > 3
    alert = first_alert(history)
    assert alert is not None
    assert alert.defrost.reason is DefrostReason.HEAT_LOSS
    # the same loss inside the frost band is within its 15 % budget
    _, history = run(replace(spec, outdoor_c=2))
    assert first_alert(history) is None


def test_alert_holds_then_clears() -> None:
    config = EngineConfig(defrost_alert_hold_h=2)
    warm = list(readings(Spec(hours=2, outdoor_c=9, defrost_every_min=30)))
    after = Spec(start=warm[-1].time, hours=4, outdoor_c=9)  # no more defrosts
    engine = Engine(config)
    for r in warm:
        engine.update(r)
    assert engine.results.defrost.excessive
    history = [engine.update(r) for r in list(readings(after))[1:]]
    assert not history[-1].defrost.excessive
    assert history[-1].defrost.reason is None
    assert history[-1].defrost.excessive_since is None

"""HeishaMon over MQTT, without a broker: topic messages in, the same readings as `/json`, commands out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path

import pytest

from custom_components.heatpump_efficiency.analytics.config import EngineConfig
from custom_components.heatpump_efficiency.analytics.engine import Engine
from custom_components.heatpump_efficiency.units.heishamon_mqtt import (
    CONFIRM_TIMEOUT,
    HeishaMonMqttDriver,
    base_topic_candidates,
    subscriptions,
    valid_base_topic,
)
from custom_components.heatpump_efficiency.units.heishamon_parser import parse_heishamon
from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    SetpointKind,
    UnitConnectionError,
    UnitValueError,
)
from simulator.firmware import Firmware
from simulator.model import Simulator
from simulator.mqtt import Publisher

BASE = "panasonic_heat_pump"
T0 = datetime(2026, 1, 15, 6, 0, tzinfo=UTC)


class Clock:
    """A settable clock for the driver."""

    def __init__(self) -> None:
        """Start at T0."""
        self.now = T0

    def __call__(self) -> datetime:
        """Return the current time."""
        return self.now


class Board:
    """A simulated HeishaMon publishing into a driver (retained values replayed at once)."""

    def __init__(self, series: str = "H", *, use_s0: bool = True) -> None:
        """Warm a simulated unit of a series up; nothing is published yet."""
        self.sim = Simulator("cold_humid", seed=3, series=series)
        self.sim.step(3600)
        self.firmware = Firmware(self.sim, use_s0=use_s0)
        self.clock = Clock()
        self.sent: list[tuple[str, str]] = []
        self.driver = HeishaMonMqttDriver(
            self._publish, base_topic=BASE, clock=self.clock
        )
        self.publisher = Publisher(self.firmware, self._deliver, base=BASE)

    async def _publish(self, topic: str, payload: str) -> None:
        self.sent.append((topic, payload))

    def _deliver(self, topic: str, payload: str, _retain: bool) -> None:
        self.driver.handle_message(topic, payload, self.clock.now)

    def advance(self, seconds: float) -> None:
        """Move the unit and the clock forward, publishing as the firmware would."""
        self.sim.step(seconds)
        self.clock.now += timedelta(seconds=seconds)
        self.publisher.tick()


def test_subscriptions_and_base_topic() -> None:
    assert subscriptions("hm") == (
        "hm/LWT",
        "hm/ip",
        "hm/main/+",
        "hm/extra/+",
        "hm/s0/+/+",
    )
    assert valid_base_topic(" /panasonic_heat_pump/ ") == "panasonic_heat_pump"
    assert valid_base_topic("home/heishamon") == "home/heishamon"
    for bad in ("", "/", "a/+/b", "a/#", "a//b"):
        assert valid_base_topic(bad) is None
        assert base_topic_candidates(bad) == ()
    # HeishaMon publishes under `<base>/...` as configured: a slash may be meant, or a typing slip.
    assert base_topic_candidates(" panasonic_heat_pump ") == ("panasonic_heat_pump",)
    assert base_topic_candidates("/heishamon") == ("/heishamon", "heishamon")
    assert base_topic_candidates("heishamon/ ") == ("heishamon/", "heishamon")


@pytest.mark.parametrize("series", ["H", "K"])
async def test_same_readings_and_results_as_json(series: str) -> None:
    """The same unit gives the same Reading (and engine results) over MQTT as over /json, for hours."""
    board = Board(series)
    board.publisher.connected()
    http_engine = Engine(EngineConfig())
    mqtt_engine = Engine(EngineConfig())
    for _ in range(6 * 60):  # six hours, one reading a minute
        board.advance(60)
        mqtt_reading = await board.driver.async_fetch()
        # /json at the time the MQTT reading stands for, with the values published so far.
        http_reading = parse_heishamon(
            json.loads(board.firmware.render()), time=mqtt_reading.time
        ).reading
        assert mqtt_reading == http_reading
        assert mqtt_engine.update(mqtt_reading) == http_engine.update(http_reading)
    assert mqtt_reading.elec_kwh is not None
    assert mqtt_reading.heat_w is not None


async def test_values_expire_and_offline_board() -> None:
    board = Board()
    with pytest.raises(UnitConnectionError, match="no values"):
        await board.driver.async_fetch()
    board.publisher.connected()
    reading = await board.driver.async_fetch()
    assert reading.outdoor_c is not None
    assert board.driver.configuration_url == "http://127.0.0.1/"
    # Nothing republished for longer than the maximum age: every value has expired.
    board.clock.now += timedelta(minutes=16)
    with pytest.raises(UnitConnectionError):
        await board.driver.async_fetch()
    board.driver.handle_message(f"{BASE}/LWT", "Offline", board.clock.now)
    assert board.driver.online is False
    board.publisher.connected()
    assert board.driver.online is True
    board.driver.handle_message(f"{BASE}/LWT", "Offline", board.clock.now)
    with pytest.raises(UnitConnectionError, match="offline"):
        await board.driver.async_fetch()
    with pytest.raises(UnitConnectionError, match="offline"):
        await board.driver.async_set_mode(OperatingMode.OFF)
    assert board.sent == []


async def test_reading_times_follow_the_data_and_stay_in_order() -> None:
    board = Board()
    board.publisher.connected()
    first = await board.driver.async_fetch()
    assert first.time == T0
    assert not board.driver.pending
    # A heartbeat without new data is taken "now", and never at or before the previous reading.
    board.clock.now += timedelta(seconds=60)
    second = await board.driver.async_fetch()
    assert second.time == T0 + timedelta(seconds=60)
    board.driver.handle_message(f"{BASE}/main/Outside_Temp", "-3", T0)  # late message
    assert board.driver.pending
    third = await board.driver.async_fetch()
    assert third.time > second.time
    assert third.outdoor_c == -3


def test_foreign_and_malformed_messages_are_ignored() -> None:
    board = Board()
    driver = board.driver
    assert not driver.handle_message("other/main/Outside_Temp", "5", T0)
    assert not driver.handle_message(f"{BASE}/main/No_Such_Topic", "5", T0)
    assert not driver.handle_message(f"{BASE}/log", "hello", T0)
    assert not driver.handle_message(f"{BASE}/main/Outside_Temp", "9" * 300, T0)
    assert not driver.handle_message(f"{BASE}/s0/Watt/x", "5", T0)
    assert not driver.handle_message(f"{BASE}/ip", "not an address", T0)
    assert driver.host == ""
    assert driver.configuration_url is None
    assert not driver.pending
    # Older firmware's names of the power estimates are understood.
    assert driver.handle_message(f"{BASE}/main/Heat_Energy_Production", "1400", T0)
    assert driver.values.main_value(15) == "1400"


async def test_identity_and_setpoint_come_from_the_topics() -> None:
    board = Board()
    board.publisher.connected()
    identity = await board.driver.async_identify()
    assert identity.unique_id == "heishamon-e2cf0d850512d00c9405"
    assert identity.manufacturer == "Panasonic"
    assert board.driver.capabilities.setpoint_kind is SetpointKind.CURVE_SHIFT
    with pytest.raises(UnitValueError):
        await board.driver.async_set_target(9)
    assert board.sent == []


async def test_commands_are_published_and_confirmed_by_the_unit() -> None:
    board = Board()
    board.publisher.connected()
    await board.driver.async_fetch()
    await board.driver.async_set_target(2)
    assert board.sent == [(f"{BASE}/commands/SetZ1HeatRequestTemperature", "2")]
    assert [c.name for c in board.driver.unconfirmed] == ["SetZ1HeatRequestTemperature"]
    # The board applies it and publishes the new value: confirmed, nothing is overdue.
    for topic, payload in board.sent:
        board.publisher.command(topic, payload)
    board.advance(5)
    assert board.driver.unconfirmed == []
    board.clock.now += CONFIRM_TIMEOUT
    assert board.driver.overdue(board.clock.now) == []


async def test_a_command_the_unit_never_reports_is_overdue_once() -> None:
    board = Board()
    board.publisher.connected()
    await board.driver.async_fetch()
    await board.driver.async_set_mode(OperatingMode.COOL)
    assert board.sent == [(f"{BASE}/commands/SetOperationMode", "5")]
    # The board is in listen-only mode: it never applies the command.
    board.advance(30)
    assert board.driver.overdue(board.clock.now) == []
    board.advance(31)
    late = board.driver.overdue(board.clock.now)
    assert [(c.name, c.value) for c in late] == [("SetOperationMode", 5)]
    assert board.driver.overdue(board.clock.now) == []  # reported once


async def test_the_last_request_wins_and_auto_is_confirmed_by_either_report() -> None:
    board = Board()
    board.publisher.connected()
    await board.driver.async_fetch()
    await board.driver.async_set_mode(OperatingMode.COOL)
    await board.driver.async_set_mode(OperatingMode.AUTO)
    assert [(c.name, c.value) for c in board.driver.unconfirmed] == [
        ("SetOperationMode", 6)
    ]
    # Auto with hot water reports 8 while it cools.
    board.driver.handle_message(
        f"{BASE}/main/Operating_Mode_State", "8", board.clock.now
    )
    assert board.driver.unconfirmed == []


# --- real firmware behaviour (fixtures in tests/fixtures/heishamon_mqtt, provenance in SOURCES.md) ---

FIXTURES = Path(__file__).parent.parent / "fixtures" / "heishamon_mqtt"


def recorded(name: str) -> list[list[tuple[str, str, bool]]]:
    """Return a fixture's messages as (topic, payload, retained), in blocks separated by `--` lines."""
    blocks: list[list[tuple[str, str, bool]]] = [[]]
    for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line == "--":
            blocks.append([])
            continue
        kind, topic, payload = line.split(" ", 2)
        assert kind in ("R", "L"), line
        blocks[-1].append((f"{BASE}/{topic}", payload, kind == "R"))
    return blocks


def deliver(
    driver: HeishaMonMqttDriver,
    messages: list[tuple[str, str, bool]],
    time: datetime,
) -> None:
    for topic, payload, retained in messages:
        driver.handle_message(topic, payload, time, retained=retained)


async def test_a_retained_last_will_counts_until_the_board_publishes_live() -> None:
    """Issue 554's values behind the retained `Offline` a broker keeps: offline until the live `Online`."""
    clock = Clock()
    driver = HeishaMonMqttDriver(_no_publish, base_topic=BASE, clock=clock)
    (messages,) = recorded("issue554_retained_will_then_online.txt")
    replayed, live = messages[:-1], messages[-1:]
    deliver(driver, replayed, clock.now)
    assert driver.online is False
    assert not driver.live
    with pytest.raises(UnitConnectionError, match="offline"):
        await driver.async_fetch()
    deliver(driver, live, clock.now + timedelta(seconds=5))
    assert driver.online is True
    assert driver.live
    clock.now += timedelta(seconds=5)
    reading = await driver.async_fetch()
    assert reading.flow_lpm == 0.13
    assert reading.return_c == 25.75
    assert reading.flow_c == 26.0
    assert reading.flow_target_c == 30.0
    assert reading.compressor_hz == 0.0
    assert reading.compressor_running is False
    assert reading.mode is OperatingMode.HEAT
    assert reading.cooling_active is False
    assert reading.extra["operating_mode"] == "heat"
    identity = await driver.async_identify()
    assert identity.unique_id == "heishamon-c2d30b3465b2d30b9565"
    assert identity.model == "WH-MDC07J3E5"
    # The broker replays the stored will again (a second subscription): the live proof stands.
    driver.handle_message(f"{BASE}/LWT", "Offline", clock.now, retained=True)
    assert driver.online is True
    # The will published now (the board dropped off) is believed at once ...
    driver.handle_message(f"{BASE}/LWT", "Offline", clock.now)
    assert driver.online is False
    # ... until the board publishes again: a value it sends live shows it is back.
    driver.handle_message(f"{BASE}/main/Compressor_Freq", "23", clock.now)
    assert driver.online is True


async def test_retained_values_without_any_last_will_are_parsed_but_not_live() -> None:
    """A broker that never saw the board drop off has no LWT: its retained values parse, of unknown age."""
    clock = Clock()
    driver = HeishaMonMqttDriver(_no_publish, base_topic=BASE, clock=clock)
    (messages,) = recorded("issue554_retained_will_then_online.txt")
    deliver(driver, [m for m in messages if not m[0].endswith("/LWT")], clock.now)
    assert driver.online is None
    assert (await driver.async_fetch()).return_c == 25.75
    # Of unknown age, though: the integration layer waits for the board to publish live.
    assert not driver.live


async def test_s0_total_after_a_reboot_without_restore_is_a_reset_not_a_loss() -> None:
    """S0 totals as s0.cpp prints them; a reboot that restores nothing starts again from 0 Wh."""
    clock = Clock()
    driver = HeishaMonMqttDriver(
        _no_publish, base_topic=BASE, clock=clock, s0_ports=[1]
    )
    (base_values,) = recorded("issue554_retained_will_then_online.txt")
    deliver(driver, base_values, clock.now)
    engine = Engine(EngineConfig())
    totals: list[float | None] = []
    for block in recorded("s0_reboot_without_restore.txt"):
        clock.now += timedelta(seconds=60)
        deliver(driver, block, clock.now)
        reading = await driver.async_fetch()
        totals.append(None if reading.elec_kwh is None else reading.elec_kwh.value)
        results = engine.update(reading)
    assert totals == [1234.567, 1234.587, 0.0, 0.02, 0.04]
    # 20 Wh before the reboot, 40 Wh counted after it, and the minute of the reboot from the power
    # (1200 W falling to 0 W: 10 Wh): the drop to 0 is a reset, neither negative energy nor 1234 kWh.
    assert results.meters.elec_kwh == pytest.approx(0.07, abs=1e-9)


async def _no_publish(_topic: str, _payload: str) -> None:
    raise AssertionError("nothing is published in these tests")


async def test_clearing_the_brokers_retained_values_forgets_them() -> None:
    """An empty message (a user deleting retained topics of a board that is gone) is no value and no sign of life."""
    clock = Clock()
    driver = HeishaMonMqttDriver(_no_publish, base_topic=BASE, clock=clock)
    (messages,) = recorded("issue554_retained_will_then_online.txt")
    deliver(driver, [m for m in messages if not m[0].endswith("/LWT")], clock.now)
    driver.handle_message(f"{BASE}/LWT", "Offline", clock.now, retained=True)
    for topic, _payload, _retained in messages:
        if not topic.endswith("/LWT"):
            assert not driver.handle_message(topic, "", clock.now)
    driver.handle_message(f"{BASE}/LWT", "", clock.now)
    assert driver.online is False
    assert driver.values.main_value(5) is None
    assert driver.values.document(clock.now, timedelta(minutes=15)) == {"heatpump": []}

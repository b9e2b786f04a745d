"""HeishaMon over Home Assistant's MQTT integration (the plugin's MQTT mock): flow, readings, commands."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import (
    SOURCE_DHCP,
    SOURCE_IGNORE,
    SOURCE_MQTT,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_mqtt_message,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.heatpump_efficiency.const import (
    CONF_MODEL_ID,
    CONF_TOPIC,
    CONF_TRANSPORT,
    DOMAIN,
    TRANSPORT_MQTT,
)
from custom_components.heatpump_efficiency.pushed import heishamon_mqtt
from custom_components.heatpump_efficiency.units.model import Reading
from simulator.firmware import Firmware
from simulator.model import Simulator
from simulator.mqtt import Publisher

from .conftest import HOST, PORT, UNIQUE_ID, state_of

# Home Assistant's MQTT client keeps a housekeeping timer (`_async_misc`) that the plugin's MQTT mock
# sometimes leaves running at teardown; it is MQTT's, not this integration's.
pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])

BASE = "panasonic_heat_pump"
SIM_ID = "heishamon-e2cf0d850512d00c9405"  # the simulated H-series unit's model bytes


class RetainedBoard:
    """A simulated HeishaMon on the mocked broker: keeps its retained values and replays them on demand."""

    def __init__(self, hass: HomeAssistant, base: str = BASE) -> None:
        """Warm the unit up and publish its first values."""
        self.hass = hass
        self.sim = Simulator("cold_humid", seed=2)
        self.sim.step(2 * 3600)
        self.retained: dict[str, str] = {}
        self.publisher = Publisher(Firmware(self.sim), self._send, base=base)
        self.publisher.connected()

    def _send(self, topic: str, payload: str, retain: bool) -> None:
        if retain:
            self.retained[topic] = payload
        if "mqtt" in self.hass.data:
            # A broker forwards a live message to existing subscribers without the retain flag.
            async_fire_mqtt_message(self.hass, topic, payload)

    def replay(self) -> None:
        """Deliver every retained value, as a broker does to a new subscriber."""
        for topic, payload in self.retained.items():
            async_fire_mqtt_message(self.hass, topic, payload, retain=True)

    async def run(
        self, step: Callable[[], Awaitable[Any]], *, live_online: bool = True
    ) -> Any:
        """Run a step that subscribes and waits; replay the retained values while it waits.

        `live_online`: the board also says `Online` live now and then, as the firmware does every read
        cycle (not retained); without it only what the broker kept arrives.
        """
        task = asyncio.ensure_future(step())
        # No real sleeps: tests with a frozen clock would never wake from them.
        for turn in range(50_000):
            if task.done():
                break
            if turn % 50 == 0:
                self.replay()
            if live_online and turn % 50 == 25:
                async_fire_mqtt_message(
                    self.hass, f"{self.publisher.base}/LWT", "Online"
                )
            await asyncio.sleep(0)
        return await task

    def advance(self, seconds: float) -> None:
        """Move the unit on and publish what the firmware would."""
        self.sim.step(seconds)
        self.publisher.tick()


@pytest.fixture
def fast_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wait a fraction of a second, not seconds, for a topic that stays silent."""
    monkeypatch.setattr(heishamon_mqtt, "FLOW_WAIT", 0.2)
    monkeypatch.setattr(heishamon_mqtt, "SETUP_WAIT", 0.2)
    from custom_components.heatpump_efficiency.pushed import mqtt_flow

    monkeypatch.setattr(mqtt_flow, "FLOW_WAIT", 0.2)


def mqtt_entry(**data: Any) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Aquarea",
        data={
            "unit_type": "heishamon",
            CONF_TRANSPORT: TRANSPORT_MQTT,
            CONF_TOPIC: BASE,
            CONF_MODEL_ID: SIM_ID,
            **data,
        },
        unique_id=SIM_ID,
        minor_version=2,
    )


async def setup_entry(
    hass: HomeAssistant,
    board: RetainedBoard,
    entry: MockConfigEntry,
    *,
    live_online: bool = True,
) -> None:
    entry.add_to_hass(hass)
    await board.run(
        lambda: hass.config_entries.async_setup(entry.entry_id),
        live_online=live_online,
    )
    await hass.async_block_till_done()


async def test_add_from_the_menu(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    """The user picks MQTT, gives the base topic; the entry reads the board's retained values."""
    board = RetainedBoard(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert "heishamon_mqtt" in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "heishamon_mqtt"}
    )
    assert result["type"] is FlowResultType.FORM
    flow_id = result["flow_id"]
    result = await board.run(
        lambda: hass.config_entries.flow.async_configure(
            flow_id, {CONF_TOPIC: f" {BASE}/"}
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        "unit_type": "heishamon",
        CONF_TRANSPORT: TRANSPORT_MQTT,
        CONF_TOPIC: BASE,
        CONF_MODEL_ID: SIM_ID,
    }
    assert result["result"].unique_id == SIM_ID
    await board.run(hass.async_block_till_done)
    outdoor = state_of(hass, "sensor.heat_pump_outdoor_temperature")
    assert float(outdoor.state) == round(board.sim.state()["outdoor_c"])


async def test_wrong_topic_then_recover(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient, fast_waits: None
) -> None:
    board = RetainedBoard(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "heishamon_mqtt"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOPIC: "a/#"}
    )
    assert result["errors"] == {CONF_TOPIC: "invalid_topic"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOPIC: "heishamon"}
    )
    assert result["errors"] == {"base": "mqtt_no_data"}
    flow_id = result["flow_id"]
    result = await board.run(
        lambda: hass.config_entries.flow.async_configure(flow_id, {CONF_TOPIC: BASE})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result


async def test_mqtt_not_set_up(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "heishamon_mqtt"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "mqtt_not_configured"


async def offered(hass: HomeAssistant) -> None:
    """Wait until a discovery flow, which runs in the background, has reached its form."""
    for _ in range(4000):
        if hass.config_entries.flow.async_progress_by_handler(DOMAIN):
            break
        await asyncio.sleep(0)
    await hass.async_block_till_done()


async def test_discovery(hass: HomeAssistant, mqtt_mock: MqttMockHAClient) -> None:
    """The manifest's MQTT topics offer a board publishing on the broker, once; a dead board is not offered."""
    board = RetainedBoard(hass)
    await board.run(lambda: offered(hass))
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    assert flows[0]["context"]["source"] == SOURCE_MQTT
    assert flows[0]["step_id"] == "mqtt_confirm"
    result = await board.run(
        lambda: hass.config_entries.flow.async_configure(flows[0]["flow_id"], {})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_TOPIC] == BASE
    await board.run(hass.async_block_till_done)
    info = MqttServiceInfo(
        topic=f"{BASE}/main/Heat_Pump_Model",
        payload="E2 CF 0D 85 05 12 D0 0C 94 05",
        qos=0,
        retain=True,
        subscribed_topic="+/main/Heat_Pump_Model",
        timestamp=0,
    )
    result = await board.run(
        lambda: hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_MQTT}, data=info
        )
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    offline = MqttServiceInfo(
        topic="other/LWT",
        payload="Offline",
        qos=0,
        retain=True,
        subscribed_topic="+/LWT",
        timestamp=0,
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_MQTT}, data=offline
    )
    assert result["reason"] == "invalid_discovery_info"


async def test_readings_follow_the_board_and_go_unavailable_offline(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient, freezer: FrozenDateTimeFactory
) -> None:
    """A burst is one reading, readings are spaced 30 s; the board's last will makes entities unavailable at once."""
    # Early in a statistics period: no reading here waits for the period's flush.
    freezer.move_to("2026-01-15T08:00:05+00:00")
    board = RetainedBoard(hass)
    entry = mqtt_entry()
    await setup_entry(hass, board, entry)
    assert entry.state is ConfigEntryState.LOADED
    coordinator = entry.runtime_data.coordinator
    first = coordinator.data.reading.time
    board.sim.apply_fault("cold_snap")
    freezer.tick(timedelta(seconds=40))  # longer ago than the spacing of readings
    board.advance(600)
    await hass.async_block_till_done()
    assert coordinator.data.reading.time == first  # waiting for the rest of the burst
    freezer.tick(timedelta(seconds=3))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    second = coordinator.data.reading.time
    assert second > first
    # Frames every 5 s with something new: still at most one reading per 30 s.
    for _ in range(5):
        board.advance(5)
        freezer.tick(timedelta(seconds=5))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert coordinator.data.reading.time == second
    board.advance(5)
    freezer.tick(timedelta(seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert coordinator.data.reading.time > second
    outdoor = float(state_of(hass, "sensor.heat_pump_outdoor_temperature").state)
    assert outdoor == board.publisher.firmware.frame().values[14]
    async_fire_mqtt_message(hass, f"{BASE}/LWT", "Offline")
    await hass.async_block_till_done()
    assert (
        state_of(hass, "sensor.heat_pump_outdoor_temperature").state
        == STATE_UNAVAILABLE
    )
    board.publisher.connected()
    freezer.tick(timedelta(seconds=31))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert (
        state_of(hass, "sensor.heat_pump_outdoor_temperature").state
        != STATE_UNAVAILABLE
    )


async def test_command_not_applied_is_reported_once_and_cleared(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient, freezer: FrozenDateTimeFactory
) -> None:
    """A change goes out on the command topic; a unit that never reports it raises one issue."""
    board = RetainedBoard(hass)
    entry = mqtt_entry()
    await setup_entry(hass, board, entry)
    mqtt_mock.async_publish.reset_mock()
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.heat_pump_heating_curve_shift", "value": 3},
        blocking=True,
    )
    freezer.tick(timedelta(seconds=3))  # the write debounce
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    # Not retained, QoS 1 (newer Home Assistant adds a keyword argument).
    assert mqtt_mock.async_publish.call_count == 1
    assert mqtt_mock.async_publish.call_args.args[:4] == (
        f"{BASE}/commands/SetZ1HeatRequestTemperature",
        "3",
        1,
        False,
    )
    issue_id = heishamon_mqtt.command_issue_id(entry.entry_id)
    registry = ir.async_get(hass)
    # The board (listen-only) never applies it: one issue after a minute.
    for _ in range(7):
        board.advance(10)
        freezer.tick(timedelta(seconds=10))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    issue = registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["command"] == "SetZ1HeatRequestTemperature"
    # A later change that the unit applies clears it.
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.heat_pump_heating_curve_shift", "value": 1},
        blocking=True,
    )
    freezer.tick(timedelta(seconds=3))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    for call in mqtt_mock.async_publish.call_args_list[1:]:
        board.publisher.command(call.args[0], call.args[1])
    board.advance(5)
    await hass.async_block_till_done()
    assert registry.async_get_issue(DOMAIN, issue_id) is None
    assert board.sim.controls.z1_heat_request == 1


async def test_setup_without_data_retries(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient, fast_waits: None
) -> None:
    entry = mqtt_entry()
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_reconfigure_http_entry_to_mqtt_keeps_the_entry(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    """Switching transport keeps the entry (its id, unique id and statistics store)."""
    board = RetainedBoard(hass)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Aquarea",
        data={
            "unit_type": "heishamon",
            "host": HOST,
            "port": PORT,
            CONF_MODEL_ID: SIM_ID,
        },
        unique_id=SIM_ID,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["reconfigure_http", "reconfigure_mqtt"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "reconfigure_mqtt"}
    )
    flow_id = result["flow_id"]
    result = await board.run(
        lambda: hass.config_entries.flow.async_configure(flow_id, {CONF_TOPIC: BASE})
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_TRANSPORT] == TRANSPORT_MQTT
    assert entry.unique_id == SIM_ID
    await board.run(hass.async_block_till_done)
    assert entry.state is ConfigEntryState.LOADED
    assert state_of(hass, "climate.heat_pump")


async def test_reconfigure_to_another_unit_is_refused(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    board = RetainedBoard(hass)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Aquarea",
        data={
            "unit_type": "heishamon",
            "host": HOST,
            "port": PORT,
            CONF_MODEL_ID: UNIQUE_ID,
        },
        unique_id=UNIQUE_ID,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "reconfigure_mqtt"}
    )
    flow_id = result["flow_id"]
    result = await board.run(
        lambda: hass.config_entries.flow.async_configure(flow_id, {CONF_TOPIC: BASE})
    )
    assert result["reason"] == "wrong_device"
    assert CONF_TRANSPORT not in entry.data


async def test_reconfigure_mqtt_entry_back_to_http(
    hass: HomeAssistant,
    mqtt_mock: MqttMockHAClient,
    mock_heishamon: AiohttpClientMocker,
) -> None:
    """An MQTT entry is offered both transports; HTTP asks for the address and keeps the entry."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Aquarea",
        data={
            "unit_type": "heishamon",
            CONF_TRANSPORT: TRANSPORT_MQTT,
            CONF_TOPIC: BASE,
            CONF_MODEL_ID: UNIQUE_ID,
        },
        unique_id=UNIQUE_ID,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["menu_options"] == ["reconfigure_http", "reconfigure_mqtt"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "reconfigure_http"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"host": HOST, "port": PORT}
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_TRANSPORT] == "http"
    assert entry.data["host"] == HOST
    assert entry.unique_id == UNIQUE_ID
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_http_discovery_of_a_unit_configured_over_mqtt(
    hass: HomeAssistant, mock_heishamon: AiohttpClientMocker
) -> None:
    """DHCP finding the web server of a board that is set up over MQTT adds no second entry."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Aquarea",
        data={
            "unit_type": "heishamon",
            CONF_TRANSPORT: TRANSPORT_MQTT,
            CONF_TOPIC: BASE,
            CONF_MODEL_ID: UNIQUE_ID,
        },
        unique_id=UNIQUE_ID,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_DHCP},
        data=DhcpServiceInfo(ip=HOST, hostname="heishamon", macaddress="a4cf12345678"),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_options_of_an_mqtt_entry_have_no_poll_interval(
    hass: HomeAssistant,
) -> None:
    """Readings are pushed over MQTT: the options do not offer a poll interval."""
    entry = mqtt_entry()
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    schema = result["data_schema"]
    assert schema is not None
    fields = {str(key) for key in schema.schema}
    assert "poll_interval" not in fields
    assert "comfort_temperature" in fields


async def test_an_ignored_board_is_not_offered_again(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    board = RetainedBoard(hass)
    MockConfigEntry(
        domain=DOMAIN, source=SOURCE_IGNORE, unique_id=SIM_ID, data={}
    ).add_to_hass(hass)
    await board.run(hass.async_block_till_done)
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []


async def test_a_board_behind_its_retained_last_will_is_added_and_read(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    """A board back online behind the last will `Offline` its broker keeps is added and read.

    The board once lost its connection; back, it says `Online` only live (HeishaMon.ino): the flow and
    the setup wait for that.
    """
    board = RetainedBoard(hass)
    board.retained[f"{BASE}/LWT"] = (
        "Offline"  # the will the broker stored when the board dropped off
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "heishamon_mqtt"}
    )
    flow_id = result["flow_id"]
    result = await board.run(
        lambda: hass.config_entries.flow.async_configure(flow_id, {CONF_TOPIC: BASE})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry = result["result"]
    await board.run(hass.async_block_till_done)
    assert entry.state is ConfigEntryState.LOADED
    outdoor = state_of(hass, "sensor.heat_pump_outdoor_temperature")
    assert float(outdoor.state) == round(board.sim.state()["outdoor_c"])


async def test_a_board_that_stays_offline_is_not_set_up(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient, fast_waits: None
) -> None:
    """Retained values and the retained will of a board that is really gone: no entity shows them as current."""
    board = RetainedBoard(hass)
    board.retained[f"{BASE}/LWT"] = "Offline"
    entry = mqtt_entry()
    await setup_entry(hass, board, entry, live_online=False)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_retained_values_of_a_board_that_left_without_a_will_are_not_shown(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient, fast_waits: None
) -> None:
    """A board disconnected cleanly (no will) leaves retained values of unknown age: not read as current."""
    board = RetainedBoard(hass)
    assert f"{BASE}/LWT" not in board.retained
    entry = mqtt_entry()
    await setup_entry(hass, board, entry, live_online=False)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_a_reading_waits_for_the_end_of_a_burst(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient, freezer: FrozenDateTimeFactory
) -> None:
    """A read's values arriving one by one across the moment a reading is due: it waits for the last one."""
    freezer.move_to("2026-01-15T08:00:05+00:00")
    board = RetainedBoard(hass)
    entry = mqtt_entry()
    await setup_entry(hass, board, entry)
    coordinator = entry.runtime_data.coordinator
    readings: list[Reading] = []
    coordinator.async_add_listener(lambda: readings.append(coordinator.data.reading))
    freezer.tick(timedelta(seconds=40))  # longer ago than the spacing of readings
    burst = [
        ("Compressor_Freq", "47"),
        ("Main_Outlet_Temp", "41.25"),
        ("Main_Inlet_Temp", "36.50"),
        ("Pump_Flow", "18.30"),
        ("Outside_Temp", "-4"),
        ("DHW_Temp", "47"),
    ]
    # 0.6 s apart (a board publishing through a slow link): the reading due 2 s after the first waits.
    for name, payload in burst:
        async_fire_mqtt_message(hass, f"{BASE}/main/{name}", payload)
        await hass.async_block_till_done()
        freezer.tick(timedelta(seconds=0.6))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert readings == []
    freezer.tick(timedelta(seconds=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(readings) == 1
    reading = readings[0]
    assert (
        reading.compressor_hz,
        reading.flow_c,
        reading.return_c,
        reading.flow_lpm,
        reading.outdoor_c,
        reading.dhw_c,
    ) == (47.0, 41.25, 36.5, 18.3, -4.0, 47.0)


async def test_discovery_of_a_board_behind_its_retained_last_will(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    """Discovery offers a board whose broker still hands out its old last will, once it says `Online`."""
    board = RetainedBoard(hass)
    board.retained[f"{BASE}/LWT"] = "Offline"
    await board.run(lambda: offered(hass))
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["step_id"] for flow in flows] == ["mqtt_confirm"]
    result = await board.run(
        lambda: hass.config_entries.flow.async_configure(flows[0]["flow_id"], {})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await board.run(hass.async_block_till_done)
    assert result["result"].state is ConfigEntryState.LOADED


async def test_a_base_topic_with_a_leading_slash_is_kept(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    """HeishaMon configured with the base `/heishamon` publishes `/heishamon/main/...`: that topic is used."""
    board = RetainedBoard(hass, base="/heishamon")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "heishamon_mqtt"}
    )
    flow_id = result["flow_id"]
    result = await board.run(
        lambda: hass.config_entries.flow.async_configure(
            flow_id, {CONF_TOPIC: "/heishamon"}
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["data"][CONF_TOPIC] == "/heishamon"
    await board.run(hass.async_block_till_done)
    assert result["result"].state is ConfigEntryState.LOADED

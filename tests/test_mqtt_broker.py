"""End to end over a real MQTT broker: mosquitto on a free loopback port, the simulator publishing like HeishaMon.

Home Assistant's real MQTT integration (paho, no mocks) connects to the broker; the integration is added
through the config flow, reads the simulated unit and sends a command that the simulated board applies.
Skipped where mosquitto is not installed (`scripts/setup` installs it).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
from pathlib import Path
import shutil
import socket
import subprocess

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heatpump_efficiency.const import CONF_TOPIC, DOMAIN
from simulator.firmware import Firmware
from simulator.model import Simulator
from simulator.mqtt import run_mqtt

from .conftest import state_of

MOSQUITTO = shutil.which("mosquitto") or next(
    (
        p
        for p in ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")
        if Path(p).exists()
    ),
    None,
)
pytestmark = [
    pytest.mark.usefixtures("socket_enabled"),
    pytest.mark.skipif(MOSQUITTO is None, reason="mosquitto is not installed"),
]
BASE = "sim_heat_pump"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def broker(tmp_path: Path) -> AsyncIterator[int]:
    """Run mosquitto on a free loopback port for one test."""
    port = free_port()
    config = tmp_path / "mosquitto.conf"
    config.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
    )
    assert MOSQUITTO is not None
    process = subprocess.Popen(  # noqa: ASYNC220, S603 - our own broker, stopped below
        [MOSQUITTO, "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                await writer.wait_closed()
                break
            await asyncio.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


async def until(check: Callable[[], bool], seconds: float = 20.0) -> None:
    """Wait in real time until `check()` holds (messages travel through a real broker)."""
    async with asyncio.timeout(seconds):
        while not check():  # noqa: ASYNC110 - the values change in another process
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def board_on_broker(hass: HomeAssistant, broker: int) -> AsyncIterator[Simulator]:
    """Run a simulated board publishing on the broker and Home Assistant's MQTT connected to it.

    On the way out the board stops and every entry (ours and MQTT's) is unloaded.
    """
    sim = Simulator("cold_humid", seed=4)
    sim.step(2 * 3600)
    stop = asyncio.Event()
    board = asyncio.create_task(
        run_mqtt(Firmware(sim), host="127.0.0.1", port=broker, base=BASE, stop=stop)
    )
    mqtt_entry = MockConfigEntry(
        domain="mqtt",
        data={"broker": "127.0.0.1", "port": broker},
        version=1,
        minor_version=2,
    )
    mqtt_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mqtt_entry.entry_id)
    try:
        yield sim
    finally:
        stop.set()
        await board
        for entry in hass.config_entries.async_entries(DOMAIN):
            await hass.config_entries.async_unload(entry.entry_id)
        await hass.config_entries.async_unload(mqtt_entry.entry_id)
        await hass.async_block_till_done()


@pytest.mark.usefixtures("mock_hass_config")
async def test_simulated_board_over_a_real_broker(
    hass: HomeAssistant, broker: int
) -> None:
    """Add the simulated board over MQTT, read it, and set its curve shift through the broker."""
    async with board_on_broker(hass, broker) as sim:
        result = await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_USER}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"next_step_id": "heishamon_mqtt"}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_TOPIC: BASE}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY, result
        await hass.async_block_till_done()

        outdoor = state_of(hass, "sensor.heat_pump_outdoor_temperature")
        assert float(outdoor.state) == round(sim.state()["outdoor_c"])

        await hass.services.async_call(
            "number",
            "set_value",
            {"entity_id": "number.heat_pump_heating_curve_shift", "value": 2},
            blocking=True,
        )
        # The write debounce, the broker, the board applying it and publishing the new value.
        await until(lambda: sim.state()["z1_heat_request"] == 2)
        await until(
            lambda: (
                state_of(hass, "number.heat_pump_heating_curve_shift").state == "2.0"
            )
        )


def drop_off_uncleanly(port: int) -> None:
    """Connect as a board with HeishaMon's last will and vanish without a DISCONNECT (a power cut)."""
    from paho.mqtt.client import Client
    from paho.mqtt.enums import CallbackAPIVersion

    client = Client(
        CallbackAPIVersion.VERSION2, client_id="heishamon-before-the-power-cut"
    )
    client.will_set(f"{BASE}/LWT", "Offline", qos=1, retain=True)
    client.connect("127.0.0.1", port)
    client.loop(timeout=1.0)  # the broker's CONNACK
    sock = client.socket()
    assert sock is not None
    sock.close()  # no DISCONNECT: the broker publishes the will and keeps it


@pytest.mark.usefixtures("mock_hass_config")
async def test_board_back_after_a_power_cut_is_added_over_a_real_broker(
    hass: HomeAssistant, broker: int
) -> None:
    """The broker keeps the will `Offline` after a power cut; the board, back, says `Online` only live.

    A new subscriber is still handed `Offline` while the board publishes (the broker proves it here), and
    the integration is added and reads the unit all the same.
    """
    await hass.async_add_executor_job(drop_off_uncleanly, broker)
    async with board_on_broker(hass, broker) as sim:
        from homeassistant.components import mqtt

        lwt: list[tuple[str, bool]] = []
        unsubscribe = await mqtt.async_subscribe(
            hass,
            f"{BASE}/LWT",
            lambda message: lwt.append((str(message.payload), message.retain)),
        )
        await until(lambda: ("Online", False) in lwt)
        unsubscribe()
        assert lwt[0] == ("Offline", True)  # what every new subscriber is handed first

        result = await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_USER}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"next_step_id": "heishamon_mqtt"}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_TOPIC: BASE}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY, result
        await hass.async_block_till_done()
        outdoor = state_of(hass, "sensor.heat_pump_outdoor_temperature")
        assert float(outdoor.state) == round(sim.state()["outdoor_c"])

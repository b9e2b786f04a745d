"""The unit's writable settings: debounced, within the persisted write budget, and the last request wins.

Every entity that changes a setting (the thermostat, the curve-shift and flow-temperature numbers, room
hold) goes through the one `SettingWriter` of that setting, so they all agree on what the unit was told.
A writer knows three values: the one waiting for the quiet period to end (requested), the one written but
not yet reported back by the unit (commanded; units cache their data, HeishaMon for 5 s, and the
coordinator polls every 30 s), and the one the unit reports. What the unit will have after the pending
writes is the first of these that is set; asking for exactly that is the only request that writes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER, OPTIMISTIC_HOLD, WRITE_DEBOUNCE
from .coordinator import HeatpumpCoordinator, Snapshot
from .data import HeatpumpEfficiencyConfigEntry
from .units.model import OperatingMode, UnitError, UnitValueError
from .write_budget import WriteBudget, async_load_write_budget

KEY_SETPOINT = "setpoint"
KEY_MODE = "mode"
ISSUE_WRITE_REFUSED = "write_refused"
ISSUE_WRITE_FAILED = "write_failed"
ISSUE_ROOM_SENSOR = "room_sensor_missing"


def write_issue_id(entry_id: str, key: str) -> str:
    """Return the id of the issue saying a change of one setting did not reach the unit."""
    return f"write_not_sent_{entry_id}_{key}"


class SettingWriter[T]:
    """One writable setting of one unit; see the module docstring."""

    def __init__(
        self,
        hass: HomeAssistant,
        coordinator: HeatpumpCoordinator,
        *,
        key: str,
        budget: WriteBudget,
        read: Callable[[Snapshot], T | None],
        write: Callable[[T], Awaitable[None]],
    ) -> None:
        """Prepare the writer; `read` gives the unit's value from a snapshot, `write` sends one."""
        self._hass = hass
        self._coordinator = coordinator
        self.key = key
        self._budget = budget
        self._read = read
        self._write = write
        self._requested: T | None = None
        self._commanded: tuple[T, datetime] | None = None
        self._cancel_timer: CALLBACK_TYPE | None = None
        self._lock = asyncio.Lock()
        self._listeners: list[CALLBACK_TYPE] = []
        self._job = HassJob(
            self._async_timer_fired,
            f"{DOMAIN} write {key}",
            cancel_on_shutdown=True,
        )

    # --- values -------------------------------------------------------------------------------

    @property
    def unit_value(self) -> T | None:
        """Return the value the unit last reported."""
        data = self._coordinator.data
        return None if data is None else self._read(data)

    @property
    def value(self) -> T | None:
        """Return what the unit will have once the pending writes are done."""
        if self._requested is not None:
            return self._requested
        return self._settled

    @property
    def _settled(self) -> T | None:
        """Return what the unit has or was told (ignoring a request still waiting)."""
        if self._commanded is not None:
            return self._commanded[0]
        return self.unit_value

    # --- listeners ----------------------------------------------------------------------------

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update` whenever `value` may have changed; return the function that stops it."""
        self._listeners.append(update)

        def remove() -> None:
            self._listeners.remove(update)

        return remove

    @callback
    def _notify(self) -> None:
        for update in list(self._listeners):
            update()

    @callback
    def async_unit_reported(self) -> None:
        """Forget the commanded value once the unit reports it, or when it never does in time."""
        if self._commanded is None:
            return
        commanded, since = self._commanded
        reported = self.unit_value
        if reported == commanded:
            self._commanded = None
        elif dt_util.utcnow() - since > self._hold:
            LOGGER.warning(
                "%s was set to %s but still reports %s; showing the unit's value",
                self._coordinator.config_entry.title,
                commanded,
                reported,
            )
            self._commanded = None

    @property
    def _hold(self) -> timedelta:
        """How long a written value is trusted before the unit reports it: two polls at least."""
        interval = self._coordinator.update_interval or timedelta(0)
        return max(OPTIMISTIC_HOLD, 2 * interval)

    # --- requests -----------------------------------------------------------------------------

    @callback
    def request(self, value: T) -> None:
        """Ask for `value`; written after a quiet period, unless it is what the unit will have anyway.

        Raises ServiceValidationError when a new change would exceed the setting's write budget.
        """
        if value == self.value:
            return
        if self._requested is None:
            now = dt_util.utcnow().timestamp()
            if not self._budget.allows(self.key, now):
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="write_budget_exceeded",
                    translation_placeholders={
                        "per_hour": str(self._budget.per_hour),
                        "minutes": str(
                            self._budget.minutes_until_allowed(self.key, now)
                        ),
                    },
                )
        self._requested = value
        if self._cancel_timer is not None:
            self._cancel_timer()
        self._cancel_timer = async_call_later(self._hass, WRITE_DEBOUNCE, self._job)
        self._notify()

    async def async_write_now(self, value: T) -> bool:
        """Write `value` at once if the budget allows (room hold); return whether it was sent."""
        if self._requested is not None or value == self._settled:
            return False  # a user's change is on its way, or nothing changes
        if not self._budget.allows(self.key, dt_util.utcnow().timestamp()):
            return False
        self._requested = value
        return await self.async_flush()

    async def _async_timer_fired(self, _now: datetime) -> None:
        self._cancel_timer = None
        await self.async_flush()

    async def async_flush(self) -> bool:
        """Send the waiting request now (quiet period over, unload, stop); return whether it was sent."""
        if self._cancel_timer is not None:
            self._cancel_timer()
            self._cancel_timer = None
        async with self._lock:
            if self._cancel_timer is not None or (value := self._requested) is None:
                return False  # a newer burst is waiting for its own quiet period
            self._requested = None
            previous = self._commanded
            if value == self._settled:
                self._notify()  # the burst ended where it started
                return False
            now = dt_util.utcnow()
            if not self._budget.allows(self.key, now.timestamp()):
                self._report_not_sent(
                    value,
                    ISSUE_WRITE_REFUSED,
                    per_hour=str(self._budget.per_hour),
                    minutes=str(
                        self._budget.minutes_until_allowed(self.key, now.timestamp())
                    ),
                )
                return False
            # Counted and shown before it goes out: a request arriving meanwhile compares with it.
            self._commanded = (value, now)
            self._notify()
            try:
                await self._budget.async_record(self.key, now.timestamp())
                await self._write(value)
            except UnitError as err:
                if self._commanded == (value, now):
                    self._commanded = previous
                if isinstance(err, UnitValueError):
                    # Refused before anything was sent: the unit's memory was not written.
                    await self._budget.async_discard(self.key, now.timestamp())
                self._report_not_sent(value, ISSUE_WRITE_FAILED, error=str(err))
                return False
            ir.async_delete_issue(
                self._hass,
                DOMAIN,
                write_issue_id(self._coordinator.config_entry.entry_id, self.key),
            )
        await self._coordinator.async_request_refresh()
        return True

    @callback
    def _report_not_sent(self, value: T, reason: str, **placeholders: str) -> None:
        """Log and raise a repair issue: the change did not reach the unit, which keeps its value."""
        entry = self._coordinator.config_entry
        LOGGER.error(
            "%s: the change of %s to %s was not sent (%s); the unit keeps %s",
            entry.title,
            self.key,
            _describe(value),
            placeholders.get("error") or "write limit reached",
            _describe(self.unit_value),
        )
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            write_issue_id(entry.entry_id, self.key),
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=reason,
            translation_placeholders={
                "name": entry.title,
                "value": _describe(value),
                "current": _describe(self.unit_value),
                **placeholders,
            },
        )
        self._notify()

    @callback
    def cancel(self) -> None:
        """Stop the quiet-period timer (the writer is going away)."""
        if self._cancel_timer is not None:
            self._cancel_timer()
            self._cancel_timer = None


@dataclass(slots=True)
class UnitControl:
    """The writers of one unit's settings and the budget they share."""

    budget: WriteBudget
    setpoint: SettingWriter[float]
    mode: SettingWriter[OperatingMode]

    async def async_flush(self) -> None:
        """Send every waiting request now, so a reload or stop does not lose the last one."""
        await self.setpoint.async_flush()
        await self.mode.async_flush()


async def async_setup_control(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    coordinator: HeatpumpCoordinator,
) -> UnitControl:
    """Create the unit's writers with its persisted budget, loaded before any write."""
    driver = coordinator.driver
    budget = await async_load_write_budget(
        hass,
        coordinator.identity.unique_id,
        driver.capabilities.writes_per_hour,
        dt_util.utcnow().timestamp(),
    )
    control = UnitControl(
        budget=budget,
        setpoint=SettingWriter(
            hass,
            coordinator,
            key=KEY_SETPOINT,
            budget=budget,
            read=lambda data: data.reading.target_c,
            write=driver.async_set_target,
        ),
        mode=SettingWriter(
            hass,
            coordinator,
            key=KEY_MODE,
            budget=budget,
            read=lambda data: data.reading.mode,
            write=driver.async_set_mode,
        ),
    )
    for writer in (control.setpoint, control.mode):
        entry.async_on_unload(
            coordinator.async_add_listener(writer.async_unit_reported)
        )
        entry.async_on_unload(writer.cancel)

    async def _async_flush_on_stop(_event: Event) -> None:
        await control.async_flush()

    # Not listen_once: removing a one-time listener after it fired would log an error on unload.
    entry.async_on_unload(
        hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _async_flush_on_stop)
    )
    return control


def _describe(value: object) -> str:
    """Return a value as people read it: 40, not 40.0; "unknown" for none."""
    if value is None:
        return "unknown"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def room_sensor_issue_id(entry_id: str) -> str:
    """Return the id of the issue suggesting a room sensor for the thermostat of an entry."""
    return f"{ISSUE_ROOM_SENSOR}_{entry_id}"


@callback
def async_delete_control_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove the entry's control issues: changes not sent, room sensor missing (entry removed)."""
    for key in (KEY_SETPOINT, KEY_MODE):
        ir.async_delete_issue(hass, DOMAIN, write_issue_id(entry_id, key))
    ir.async_delete_issue(hass, DOMAIN, room_sensor_issue_id(entry_id))

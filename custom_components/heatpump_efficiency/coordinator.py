"""Polls the unit, feeds the analytics engine and the pre-heat learner, and persists both."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import CONNECTION_NETWORK_MAC, DeviceInfo
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .advice_issue import UNCHECKED, AdviceIssue, async_update_advice_issue
from .analytics.advisor import (
    NO_ADVICE,
    AdvisorConfig,
    AdvisorResult,
    HeatingCurveAdvisor,
)
from .analytics.config import EngineConfig
from .analytics.curve import CurveBand, PerformanceCurve
from .analytics.degree_days import DegreeDayConfig, DegreeDayLearner, DegreeDayResults
from .analytics.engine import Engine
from .analytics.fleet import NOT_RANKED, FleetRank, heat_is_measured, rank_season
from .analytics.preheat import PreheatLearner
from .analytics.results import Results
from .const import (
    CONF_COMFORT_TEMPERATURE,
    CONF_DEGREE_DAY_BASE,
    CONF_POLL_INTERVAL,
    CONF_ROOM_SENSOR,
    CONF_THRESHOLDS,
    DEFAULT_COMFORT_TEMPERATURE,
    DEFAULT_DEGREE_DAY_BASE,
    DEFAULT_POLL_INTERVAL,
    DEVICE_NAME,
    DOMAIN,
    LOGGER,
    STORAGE_SAVE_DELAY,
)
from .data import HeatpumpEfficiencyConfigEntry
from .errors import unit_errors_as
from .repairs import EngineIssues, async_create_storage_issue, async_update_issues
from .source_device import DeviceLink
from .statistics_store import (
    PART_ADVISOR,
    PART_CURVE,
    PART_DEGREE_DAYS,
    PART_PREHEAT,
    PART_STATISTICS,
    DamagedStatistics,
    StatisticsStore,
    StoredVersionError,
    async_keep_copy,
    restore,
)
from .units.driver import UnitDriver
from .units.model import (
    Capabilities,
    OperatingMode,
    Reading,
    SetpointKind,
    UnitIdentity,
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What every entity reads: the latest reading and the engine's judgement of it."""

    reading: Reading
    results: Results
    capabilities: Capabilities
    # Electrical input from which the compressor counts as running.
    starting_power_w: float
    # Plausibility limits (W): a live figure beyond them is a faulty sample and shows as unknown.
    max_elec_w: float = 30_000.0
    max_heat_w: float = 100_000.0
    # Minutes of heating from the room temperature now to the comfort temperature.
    preheat_minutes: float | None = None
    # A room temperature is fed: the chosen room sensor, or the unit's own.
    feeds_room_temperature: bool = False
    # Electricity per heating degree-day (what units without heat measurement get instead of a COP).
    degree_days: DegreeDayResults = field(default_factory=DegreeDayResults)
    # This season's performance curve per 2 K outdoor band (coldest first; bands with data only).
    curve: tuple[CurveBand, ...] = ()
    # The season against the heatpumpmonitor.org fleet (ranked once there is enough measured data).
    fleet: FleetRank = NOT_RANKED
    # The heating-curve advice and the evidence behind it (judged every quarter hour).
    advice: AdvisorResult = NO_ADVICE


REJECTED_LOG_INTERVAL = timedelta(hours=1)
# The fleet rank moves over days: it is worked out again once per this many seconds of readings (or when
# the heat's origin changes), which saves its ~60 µs on most polls.
FLEET_REFRESH_S = 900.0


def storage_key(entry_id: str) -> str:
    """Return where an entry's state is stored (engine and learner version their own data)."""
    return f"{DOMAIN}.{entry_id}.engine"


def poll_interval(
    entry: HeatpumpEfficiencyConfigEntry, driver: UnitDriver
) -> timedelta:
    """Return the configured poll interval, never faster than the unit's safe minimum."""
    seconds = float(entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL))
    return timedelta(seconds=max(seconds, driver.capabilities.min_poll_interval))


def engine_config(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry
) -> EngineConfig:
    """Build the engine's configuration from the entry's options and Home Assistant's time zone."""
    return EngineConfig.from_options(
        entry.options.get(CONF_THRESHOLDS, {}),
        timezone=dt_util.get_default_time_zone(),
    )


def degree_day_config(
    entry: HeatpumpEfficiencyConfigEntry, engine: EngineConfig
) -> DegreeDayConfig:
    """Build the degree-day learner's configuration: base from the options, season as the engine's."""
    return DegreeDayConfig(
        base_c=float(entry.options.get(CONF_DEGREE_DAY_BASE, DEFAULT_DEGREE_DAY_BASE)),
        timezone=engine.timezone,
        season_start_month=engine.season_start_month,
        season_start_day=engine.season_start_day,
    )


def advisor_config(driver: UnitDriver, engine: EngineConfig) -> AdvisorConfig:
    """Configure the heating-curve advisor: local days as the engine's, suggestions in the unit's steps."""
    capabilities = driver.capabilities
    step = 0.5
    if capabilities.setpoint_kind in (SetpointKind.CURVE_SHIFT, SetpointKind.FLOW):
        step = max(capabilities.setpoint_step, step)
    return AdvisorConfig(timezone=engine.timezone, step_k=step)


def comfort_temperature(entry: HeatpumpEfficiencyConfigEntry) -> float:
    """Return the comfort preset temperature from the options."""
    return float(
        entry.options.get(CONF_COMFORT_TEMPERATURE, DEFAULT_COMFORT_TEMPERATURE)
    )


class HeatpumpCoordinator(DataUpdateCoordinator[Snapshot]):
    """One unit's polling rhythm; the engine and the learner see every reading once."""

    config_entry: HeatpumpEfficiencyConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: HeatpumpEfficiencyConfigEntry,
        driver: UnitDriver,
        identity: UnitIdentity,
    ) -> None:
        """Create the coordinator; stored state is loaded in `_async_setup`."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=poll_interval(entry, driver),
        )
        self.driver = driver
        self.identity = identity
        # The device every entity of this entry joins.
        self.device_link = DeviceLink(
            device_info=DeviceInfo(
                identifiers={(DOMAIN, identity.unique_id)},
                connections={(CONNECTION_NETWORK_MAC, identity.mac)}
                if identity.mac
                else set(),
                manufacturer=identity.manufacturer,
                model=identity.model,
                serial_number=identity.serial,
                sw_version=identity.firmware,
                name=DEVICE_NAME,
                configuration_url=driver.configuration_url,
            ),
            device_entry=None,
        )
        self.engine = Engine(engine_config(hass, entry))
        self.preheat = PreheatLearner()
        self.degree_days = DegreeDayLearner(
            degree_day_config(entry, self.engine.config)
        )
        self.curve = PerformanceCurve(self.engine.config)
        self.advisor = HeatingCurveAdvisor(advisor_config(driver, self.engine.config))
        # The heating-curve issue the last advice raised (UNCHECKED until the first poll).
        self._advice_issue: AdviceIssue | None = UNCHECKED
        # The room target the thermostat holds (set by the climate entity in room hold).
        self.room_target: float | None = None
        self._store = StatisticsStore(hass, storage_key(entry.entry_id))
        # Stored data that could not be used at setup (kept as a copy, shown in diagnostics).
        self.damaged: DamagedStatistics | None = None
        # Faulty samples not yet logged, and when they last were (logged at most once an hour).
        self._rejected_unlogged = 0
        self._rejected_logged_at: datetime | None = None
        # The repair issues the last judgement raised: the registry is touched only on a change.
        self._issues: EngineIssues | None = None
        # Whether the source's heat is measured or computed (not only estimated); None until known.
        self.heat_measured: bool | None = None
        # The last fleet rank, and the (refresh slot, heat measured) it was worked out for.
        self._fleet_rank: FleetRank = NOT_RANKED
        self._fleet_key: tuple[int, bool | None] | None = None

    async def _async_setup(self) -> None:
        """Restore the statistics so a restart loses and double-counts nothing; damage never blocks setup."""
        try:
            stored = await self._store.async_load()
        except StoredVersionError as err:
            await self._async_keep_damaged(
                (
                    PART_STATISTICS,
                    PART_PREHEAT,
                    PART_ADVISOR,
                    PART_DEGREE_DAYS,
                    PART_CURVE,
                ),
                str(err),
                {"version": err.version, "data": err.data},
            )
            return
        if stored is None:
            return
        restored = restore(
            stored,
            self.engine.config,
            self.degree_days.config,
            advisor_config=self.advisor.config,
        )
        self.engine, self.preheat = restored.engine, restored.preheat
        self.degree_days = restored.degree_days
        self.advisor = restored.advisor
        self.curve = restored.curve
        if restored.problems:
            reason = "; ".join(
                f"{part}: {problem}" for part, problem in restored.problems.items()
            )
            await self._async_keep_damaged(tuple(restored.problems), reason, stored)

    async def _async_keep_damaged(
        self, lost: tuple[str, ...], reason: str, data: Any
    ) -> None:
        """Copy the unusable data next to the store, save the fresh state over it and raise a repair."""
        entry = self.config_entry
        self.damaged = await async_keep_copy(
            self.hass, self._store.key, lost, reason, data
        )
        LOGGER.warning(
            "Stored %s of %s could not be used and start afresh; the data is kept in .storage/%s: %s",
            " and ".join(lost),
            entry.title,
            self.damaged.copy_key,
            reason,
        )
        # The next start reads valid (fresh) data instead of finding the damage again.
        await self._store.async_save(self._stored_data())
        async_create_storage_issue(self.hass, entry, self.damaged)

    async def _async_update_data(self) -> Snapshot:
        """Fetch one reading and update the analytics and the pre-heat learner."""
        with unit_errors_as(UpdateFailed, self.driver.host):
            reading = await self.driver.async_fetch()
        # The host clock lets the engine refuse readings from the future and recover from a clock jump.
        rejected_before = self.engine.results.rejected_samples
        now = dt_util.utcnow()
        results = self.engine.update(reading, now=now)
        # Books only readings the engine accepted (its results' time moved).
        self.curve.update(reading, results)
        self.degree_days.update(reading, now)
        if (measured := heat_is_measured(reading)) is not None:
            self.heat_measured = measured
        self._learn_advice(reading, results)
        self._log_rejected(results.rejected_samples - rejected_before)
        if self.data is None or reading.time > self.data.reading.time:
            self._learn_preheat(reading)
        self._store.async_delay_save(self._stored_data, STORAGE_SAVE_DELAY)
        self._issues = async_update_issues(
            self.hass, self.config_entry, results, self._issues
        )
        self._advice_issue = async_update_advice_issue(
            self.hass, self.config_entry, self._advice(), self._advice_issue
        )
        return self._snapshot(reading, results)

    def _log_rejected(self, new: int) -> None:
        """Log faulty samples the engine left out, at most once an hour with how many since the last time."""
        self._rejected_unlogged += max(new, 0)
        now = dt_util.utcnow()
        if not self._rejected_unlogged or (
            self._rejected_logged_at is not None
            and now - self._rejected_logged_at < REJECTED_LOG_INTERVAL
        ):
            return
        config = self.engine.config
        LOGGER.warning(
            "%s: %d sample(s) left out as implausible (above %.0f kW electrical or %.0f kW thermal, "
            "a meter jump, or dated ahead of the clock); the time they cover counts as a gap. "
            "The limits are in the integration's options",
            self.config_entry.title,
            self._rejected_unlogged,
            config.max_elec_kw,
            config.max_heat_kw,
        )
        self._rejected_unlogged = 0
        self._rejected_logged_at = now

    def _learn_preheat(self, reading: Reading) -> None:
        """Show the learner one new sample (a refresh at the same instant adds nothing)."""
        self.preheat.update(
            reading.time,
            self.room_temperature(reading),
            self.room_target if self.room_target is not None else reading.room_target_c,
            reading.outdoor_c,
            heating=reading.mode in (OperatingMode.HEAT, OperatingMode.AUTO),
        )

    def _learn_advice(self, reading: Reading, results: Results) -> None:
        """Show the heating-curve advisor a reading the engine accepted."""
        if results.time != reading.time:
            return
        mode = reading.mode
        cooling = bool(reading.cooling_active) or mode is OperatingMode.COOL
        enabled = not cooling and mode in (OperatingMode.HEAT, OperatingMode.AUTO, None)
        kind = self.driver.capabilities.setpoint_kind
        # The setting whose change restarts the evidence: the curve shift or the direct flow target.
        # Not in room hold: there the climate entity itself moves the setpoint every few minutes.
        setting = (
            f"{kind.value}:{reading.target_c:g}"
            if kind in (SetpointKind.CURVE_SHIFT, SetpointKind.FLOW)
            and reading.target_c is not None
            and self.room_target is None
            else None
        )
        target = self.room_target
        if target is None:
            target = reading.room_target_c
        if target is None:
            target = comfort_temperature(self.config_entry)
        self.advisor.update(
            reading.time,
            outdoor_c=reading.outdoor_c,
            room_c=self.room_temperature(reading),
            room_target_c=target,
            flow_c=reading.flow_c,
            heating_enabled=enabled,
            space_heating=bool(reading.compressor_running)
            and not reading.dhw_active
            and not reading.defrost,
            heat_w=None if reading.heat_w is None else reading.heat_w.value,
            backup_w=None if reading.backup_w is None else reading.backup_w.value,
            backup_on=reading.backup_heater,
            setting=setting,
        )

    def _advice(self) -> AdvisorResult:
        """Return the advice (judged again only when the evidence moved on by a quarter hour)."""
        return self.advisor.result(self.curve.bands())

    def _snapshot(self, reading: Reading, results: Results) -> Snapshot:
        return Snapshot(
            reading=reading,
            results=results,
            capabilities=self.driver.capabilities,
            starting_power_w=self.engine.config.starting_power_w,
            max_elec_w=self.engine.config.max_elec_kw * 1000.0,
            max_heat_w=self.engine.config.max_heat_kw * 1000.0,
            preheat_minutes=self._preheat_minutes(reading),
            feeds_room_temperature=bool(self.config_entry.options.get(CONF_ROOM_SENSOR))
            or "room_c" in self.driver.capabilities.reported_fields,
            degree_days=self.degree_days.results(),
            advice=self._advice(),
            curve=self.curve.bands(),
            fleet=self._fleet(results),
        )

    def _fleet(self, results: Results) -> FleetRank:
        """Rank the season against the fleet, at most once per FLEET_REFRESH_S of reading time."""
        measured = self.heat_measured
        when = results.time
        slot = -1 if when is None else int(when.timestamp() // FLEET_REFRESH_S)
        if (slot, measured) != self._fleet_key:
            self._fleet_key = (slot, measured)
            self._fleet_rank = rank_season(
                results.season,
                flow_c=self.curve.heat_weighted_flow_c(),
                lift_k=self.curve.heat_weighted_lift_k(),
                heat_measured=measured,
            )
        return self._fleet_rank

    def _stored_data(self) -> dict[str, Any]:
        return {
            "engine": self.engine.to_dict(),
            "preheat": self.preheat.to_dict(),
            "degree_days": self.degree_days.to_dict(),
            "advisor": self.advisor.to_dict(),
            "curve": self.curve.to_dict(),
        }

    def room_temperature(self, reading: Reading | None = None) -> float | None:
        """Return the room temperature: the chosen room sensor's, else the unit's own."""
        if sensor := self.config_entry.options.get(CONF_ROOM_SENSOR):
            state = self.hass.states.get(sensor)
            try:
                return None if state is None else float(state.state)
            except ValueError:
                return None
        if reading is None and self.data is not None:
            reading = self.data.reading
        return None if reading is None else reading.room_c

    def _preheat_minutes(self, reading: Reading) -> float | None:
        room = self.room_temperature(reading)
        if room is None:
            return None
        comfort = comfort_temperature(self.config_entry)
        return round(
            self.preheat.lead_time_minutes(room, comfort, reading.outdoor_c), 1
        )

    async def async_save(self) -> None:
        """Write the statistics now (on unload)."""
        await self._store.async_save(self._stored_data())

    def filter_cleaned(self) -> None:
        """Record a filter cleaning now and publish the new judgement."""
        results = self.engine.filter_cleaned(dt_util.utcnow())
        self._store.async_delay_save(self._stored_data, STORAGE_SAVE_DELAY)
        self._issues = async_update_issues(
            self.hass, self.config_entry, results, self._issues
        )
        if self.data is not None:
            self.async_set_updated_data(self._snapshot(self.data.reading, results))

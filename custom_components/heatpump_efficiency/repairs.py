"""Repair issues: overdue filter, lasting excessive defrost, and mapped entities gone, renamed or in a wrong unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.const import CONF_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .advice_issue import ISSUE_HEATING_CURVE
from .compat import RepairsFlowResult, vol
from .const import DOMAIN
from .room_sensor_repair import FLOW_ROOM_SENSOR, RoomSensorRepairFlow
from .sensor_mapping import FIELDS, FIELDS_BY_KEY, field_error
from .statistics_store import (
    PART_ADVISOR,
    PART_CURVE,
    PART_DEGREE_DAYS,
    PART_STATISTICS,
)

if TYPE_CHECKING:
    from .analytics.results import Results
    from .data import HeatpumpEfficiencyConfigEntry
    from .statistics_store import DamagedStatistics

FILTER_OVERDUE_DAYS = 7.0  # a repair appears when the filter is this long past due
DEFROST_PERSIST = timedelta(days=1)  # ... or when excessive defrost lasts this long

ISSUE_FILTER_OVERDUE = "filter_overdue"
ISSUE_EXCESSIVE_DEFROST = "excessive_defrost"
ISSUE_SOURCE_MISSING = "source_missing"
ISSUE_SOURCE_RENAMED = "source_renamed"
ISSUE_SOURCE_UNIT = "source_unit"
SOURCE_ISSUES = (ISSUE_SOURCE_MISSING, ISSUE_SOURCE_RENAMED, ISSUE_SOURCE_UNIT)
ISSUE_STATISTICS_RESET = "statistics_reset"
ISSUE_PREHEAT_RESET = "preheat_reset"
ISSUE_DEGREE_DAYS_RESET = "degree_days_reset"
ISSUE_ADVISOR_RESET = "advisor_reset"
ISSUE_CURVE_RESET = "curve_reset"
STORAGE_ISSUES = (
    ISSUE_STATISTICS_RESET,
    ISSUE_PREHEAT_RESET,
    ISSUE_DEGREE_DAYS_RESET,
    ISSUE_CURVE_RESET,
)


def issue_id(kind: str, entry_id: str) -> str:
    """Return the issue id of one kind of problem on one config entry."""
    return f"{kind}_{entry_id}"


@dataclass(frozen=True, slots=True)
class EngineIssues:
    """What the engine's judgement raises: the overdue days shown, the excessive defrost's detail."""

    filter_overdue_days: str | None = None
    excessive_defrost: str | None = None


def engine_issues(results: Results) -> EngineIssues:
    """Return the filter and defrost issues the engine's latest judgement calls for."""
    filter_ = results.filter
    days = (
        f"{filter_.overdue_days:.0f}"
        if filter_.due and filter_.overdue_days > FILTER_OVERDUE_DAYS
        else None
    )
    defrost = results.defrost
    since = defrost.excessive_since
    detail = (
        defrost.reason_detail or (defrost.reason.value if defrost.reason else "")
        if defrost.excessive
        and since is not None
        and results.time is not None
        and results.time - since >= DEFROST_PERSIST
        else None
    )
    return EngineIssues(filter_overdue_days=days, excessive_defrost=detail)


def async_update_issues(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    results: Results,
    raised: EngineIssues | None = None,
) -> EngineIssues:
    """Raise or clear the entry's repair issues from the engine's latest judgement.

    `raised` is what the previous call returned: when the judgement is the same, the issue registry
    is left alone (a poll costs no registry work). Returns what is raised now.
    """
    issues = engine_issues(results)
    if issues == raised:
        return issues
    title = entry.title
    if (days := issues.filter_overdue_days) is not None:
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id(ISSUE_FILTER_OVERDUE, entry.entry_id),
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_FILTER_OVERDUE,
            translation_placeholders={"name": title, "days": days},
            data={"entry_id": entry.entry_id},
        )
    else:
        ir.async_delete_issue(
            hass, DOMAIN, issue_id(ISSUE_FILTER_OVERDUE, entry.entry_id)
        )
    if (detail := issues.excessive_defrost) is not None:
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id(ISSUE_EXCESSIVE_DEFROST, entry.entry_id),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_EXCESSIVE_DEFROST,
            translation_placeholders={"name": title, "detail": detail},
        )
    else:
        ir.async_delete_issue(
            hass, DOMAIN, issue_id(ISSUE_EXCESSIVE_DEFROST, entry.entry_id)
        )
    return issues


def async_delete_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove the entry's issues (entry removed)."""
    for kind in (
        ISSUE_FILTER_OVERDUE,
        ISSUE_EXCESSIVE_DEFROST,
        ISSUE_HEATING_CURVE,
        ISSUE_ADVISOR_RESET,
        *STORAGE_ISSUES,
    ):
        ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry_id))


def async_create_storage_issue(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    damaged: DamagedStatistics,
) -> None:
    """Tell the user, per lost part, which stored data started afresh, why, and where the copy is kept."""
    for part in damaged.lost:
        kind = {
            PART_STATISTICS: ISSUE_STATISTICS_RESET,
            PART_DEGREE_DAYS: ISSUE_DEGREE_DAYS_RESET,
            PART_ADVISOR: ISSUE_ADVISOR_RESET,
            PART_CURVE: ISSUE_CURVE_RESET,
        }.get(part, ISSUE_PREHEAT_RESET)
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id(kind, entry.entry_id),
            is_fixable=True,
            is_persistent=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key=kind,
            translation_placeholders={
                "name": entry.title,
                "reason": damaged.reason,
                "copy": f".storage/{damaged.copy_key}",
            },
            data={"entry_id": entry.entry_id, "acknowledge": True},
        )


class FilterCleanedRepairFlow(ConfirmRepairFlow):
    """Confirming the repair records the filter as cleaned."""

    def __init__(self, entry_id: str) -> None:
        """Remember which heat pump the issue belongs to."""
        super().__init__()
        self._entry_id = entry_id

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Ask the user to confirm the filter was cleaned, then reset the counters."""
        if user_input is not None:
            entry = self.hass.config_entries.async_get_entry(self._entry_id)
            if entry is not None and hasattr(entry, "runtime_data"):
                entry.runtime_data.coordinator.filter_cleaned()
            return self.async_create_entry(data={})
        issue = ir.async_get(self.hass).async_get_issue(self.handler, self.issue_id)
        placeholders = None if issue is None else issue.translation_placeholders
        return self.async_show_form(
            step_id="confirm", description_placeholders=placeholders
        )


def source_issue_id(kind: str, entry_id: str, key: str) -> str:
    """Return the issue id of a problem with one mapped entity of an entry."""
    return f"{kind}_{entry_id}_{key}"


def async_create_source_issue(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    kind: str,
    key: str,
    entity_id: str,
    *,
    new_entity_id: str | None = None,
    unit: str | None = None,
) -> None:
    """Raise a fixable issue for a mapped entity that is gone, renamed, or in a unit that cannot be used."""
    expected = FIELDS_BY_KEY[key].unit
    ir.async_create_issue(
        hass,
        DOMAIN,
        source_issue_id(kind, entry.entry_id, key),
        is_fixable=True,
        is_persistent=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key=kind,
        translation_placeholders={
            "name": entry.title,
            "field": key.replace("_", " "),
            "entity": entity_id,
            "new_entity": new_entity_id or "",
            "unit": unit or "",
            "expected": ", ".join(sorted(expected.units)) if expected else "",
        },
        data={"entry_id": entry.entry_id, "key": key, "entity_id": new_entity_id or ""},
    )


def async_delete_source_issue(
    hass: HomeAssistant, entry_id: str, kind: str, key: str
) -> None:
    """Clear one mapped entity's issue of one kind."""
    ir.async_delete_issue(hass, DOMAIN, source_issue_id(kind, entry_id, key))


def async_update_source_unit_issues(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    entities: dict[str, str],
    problems: dict[str, str | None],
) -> None:
    """Raise an issue per mapped entity whose unit cannot be used; clear the others."""
    for key, entity_id in entities.items():
        if key in problems:
            async_create_source_issue(
                hass, entry, ISSUE_SOURCE_UNIT, key, entity_id, unit=problems[key]
            )
        else:
            async_delete_source_issue(hass, entry.entry_id, ISSUE_SOURCE_UNIT, key)


def async_delete_source_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove every mapped-entity issue of an entry (entry removed)."""
    for kind in SOURCE_ISSUES:
        for source in FIELDS:
            async_delete_source_issue(hass, entry_id, kind, source.key)


class RemapSourceRepairFlow(RepairsFlow):
    """Map another entity to the field whose entity is gone, renamed or in an unusable unit."""

    def __init__(self, entry_id: str, key: str, suggested: str) -> None:
        """Remember the entry, the field and a suggested entity (the new id after a rename)."""
        super().__init__()
        self._entry_id = entry_id
        self._key = key
        self._suggested = suggested

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Start with the re-mapping form."""
        return await self.async_step_remap()

    async def async_step_remap(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Ask for the entity; check it like the config flow does, then reload the entry with it."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None:
            return self.async_abort(reason="entry_removed")
        source = FIELDS_BY_KEY[self._key]
        errors: dict[str, str] = {}
        if user_input is not None:
            entity_id = str(user_input[CONF_ENTITY_ID])
            if (error := field_error(self.hass, source, entity_id)) is None:
                self.hass.config_entries.async_update_entry(
                    entry, data={**entry.data, self._key: entity_id}
                )
                for kind in SOURCE_ISSUES:
                    async_delete_source_issue(
                        self.hass, entry.entry_id, kind, self._key
                    )
                self.hass.config_entries.async_schedule_reload(entry.entry_id)
                return self.async_create_entry(data={})
            errors[CONF_ENTITY_ID] = error
        issue = ir.async_get(self.hass).async_get_issue(self.handler, self.issue_id)
        schema = vol.Schema({vol.Required(CONF_ENTITY_ID): source.selector()})
        suggested = user_input or {
            CONF_ENTITY_ID: self._suggested or entry.data.get(self._key)
        }
        return self.async_show_form(
            step_id="remap",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
            description_placeholders=None
            if issue is None
            else issue.translation_placeholders,
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """Create the fix flow of a fixable issue."""
    entry_id = str((data or {}).get("entry_id", ""))
    if (data or {}).get("acknowledge"):
        return ConfirmRepairFlow()
    if (data or {}).get("flow") == FLOW_ROOM_SENSOR:
        return RoomSensorRepairFlow(entry_id)
    if key := (data or {}).get("key"):
        return RemapSourceRepairFlow(
            entry_id, str(key), str((data or {}).get("entity_id") or "")
        )
    return FilterCleanedRepairFlow(entry_id)

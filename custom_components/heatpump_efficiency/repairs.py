"""Repair issues: an overdue filter (fixable by confirming it was cleaned) and defrost that stays excessive."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .compat import RepairsFlowResult
from .const import DOMAIN

if TYPE_CHECKING:
    from .analytics.results import Results
    from .data import HeatpumpEfficiencyConfigEntry

FILTER_OVERDUE_DAYS = 7.0  # a repair appears when the filter is this long past due
DEFROST_PERSIST = timedelta(days=1)  # ... or when excessive defrost lasts this long

ISSUE_FILTER_OVERDUE = "filter_overdue"
ISSUE_EXCESSIVE_DEFROST = "excessive_defrost"


def issue_id(kind: str, entry_id: str) -> str:
    """Return the issue id of one kind of problem on one config entry."""
    return f"{kind}_{entry_id}"


def async_update_issues(
    hass: HomeAssistant, entry: HeatpumpEfficiencyConfigEntry, results: Results
) -> None:
    """Raise or clear the entry's repair issues from the engine's latest judgement."""
    title = entry.title
    filter_ = results.filter
    if filter_.due and filter_.overdue_days > FILTER_OVERDUE_DAYS:
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id(ISSUE_FILTER_OVERDUE, entry.entry_id),
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_FILTER_OVERDUE,
            translation_placeholders={
                "name": title,
                "days": f"{filter_.overdue_days:.0f}",
            },
            data={"entry_id": entry.entry_id},
        )
    else:
        ir.async_delete_issue(
            hass, DOMAIN, issue_id(ISSUE_FILTER_OVERDUE, entry.entry_id)
        )

    defrost = results.defrost
    since = defrost.excessive_since
    if (
        defrost.excessive
        and since is not None
        and results.time is not None
        and results.time - since >= DEFROST_PERSIST
    ):
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id(ISSUE_EXCESSIVE_DEFROST, entry.entry_id),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_EXCESSIVE_DEFROST,
            translation_placeholders={
                "name": title,
                "detail": defrost.reason_detail
                or (defrost.reason.value if defrost.reason else ""),
            },
        )
    else:
        ir.async_delete_issue(
            hass, DOMAIN, issue_id(ISSUE_EXCESSIVE_DEFROST, entry.entry_id)
        )


def async_delete_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove the entry's issues (entry removed)."""
    for kind in (ISSUE_FILTER_OVERDUE, ISSUE_EXCESSIVE_DEFROST):
        ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry_id))


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


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """Create the fix flow of a fixable issue."""
    entry_id = str((data or {}).get("entry_id", ""))
    return FilterCleanedRepairFlow(entry_id)

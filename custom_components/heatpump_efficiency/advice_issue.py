"""The heating-curve advice as a repair issue: raised once the advisor is confident, removed when it is not."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .analytics.advisor import Advice, AdvisorResult
from .const import DOMAIN
from .data import HeatpumpEfficiencyConfigEntry

ISSUE_HEATING_CURVE = "heating_curve"
# One issue per entry; its text says lower or raise.
TRANSLATION_KEYS = {
    Advice.LOWER: "heating_curve_lower",
    Advice.RAISE: "heating_curve_raise",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class AdviceIssue:
    """What the issue shows: which advice, and its numbers as the placeholders print them."""

    translation_key: str
    change: str  # kelvin, unsigned
    cop: str  # whole percent, unsigned
    days: str
    bands: str


UNCHECKED = AdviceIssue(translation_key="", change="", cop="", days="", bands="")
"""What the coordinator holds before its first check (an issue left from before a restart is unknown)."""


def advice_issue(result: AdvisorResult) -> AdviceIssue | None:
    """Return the issue a confident lower or raise calls for; None for ok or not enough data."""
    key = TRANSLATION_KEYS.get(result.advice)
    if key is None or result.change_k is None:
        return None
    return AdviceIssue(
        translation_key=key,
        change=f"{abs(result.change_k):g}",
        # Whole percent: the expected gain moves by tenths as evidence comes in; the issue need not.
        cop="?" if result.cop_gain_pct is None else f"{abs(result.cop_gain_pct):.0f}",
        days=str(result.days),
        bands=str(result.bands),
    )


def async_update_advice_issue(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    result: AdvisorResult,
    raised: AdviceIssue | None,
) -> AdviceIssue | None:
    """Raise, update or remove the entry's heating-curve issue; the registry is touched only on a change.

    `raised` is what the previous call returned, UNCHECKED at setup (so a stale issue is removed).
    """
    issue = advice_issue(result)
    if issue == raised:
        return issue
    issue_id = f"{ISSUE_HEATING_CURVE}_{entry.entry_id}"
    if issue is None:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return None
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=issue.translation_key,
        translation_placeholders={
            "name": entry.title,
            "change": issue.change,
            "cop": issue.cop,
            "days": issue.days,
            "bands": issue.bands,
        },
    )
    return issue

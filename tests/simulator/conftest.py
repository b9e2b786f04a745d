"""Fixtures for the simulator tests: they need no Home Assistant instance."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the suite-wide fixture: the simulator tests do not start Home Assistant."""

"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import Generator
from unittest.mock import patch

import pytest

# Import our package before the plugin's `hass` fixture puts its own testing `custom_components`
# package on sys.path, so Home Assistant's loader finds this integration and not the plugin's.
import custom_components.heatpump_efficiency  # noqa: F401

pytest_plugins = ["pytest_homeassistant_custom_component"]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom integrations in every test."""


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled (copied from core's tests)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
    ):
        yield

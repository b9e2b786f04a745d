"""Tests for the unit-type registry."""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.heatpump_efficiency.units.heishamon import HeishaMonDriver
from custom_components.heatpump_efficiency.units.registry import (
    HEISHAMON,
    UNIT_TYPES,
    create_driver,
)


async def test_heishamon_is_the_first_unit_type() -> None:
    assert next(iter(UNIT_TYPES)) == HEISHAMON == "heishamon"
    assert UNIT_TYPES[HEISHAMON].default_port == 80


async def test_create_driver() -> None:
    async with aiohttp.ClientSession() as session:
        driver = create_driver(HEISHAMON, session, "heishamon.local", timeout=3.0)
        assert isinstance(driver, HeishaMonDriver)
        assert driver.configuration_url == "http://heishamon.local/"
        other = create_driver(HEISHAMON, session, "10.0.0.5", 8080)
        assert isinstance(other, HeishaMonDriver)
        assert other.configuration_url == "http://10.0.0.5:8080/"


async def test_unknown_unit_type() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(KeyError):
            create_driver("daikin", session, "10.0.0.5")

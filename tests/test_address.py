"""Tests for the address checks behind the config flow's host and port fields."""

from __future__ import annotations

import pytest

from custom_components.heatpump_efficiency.address import normalize_host, valid_port


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("192.168.1.50", "192.168.1.50"),
        (" heishamon.local ", "heishamon.local"),
        ("heishamon.local.", "heishamon.local."),
        ("HeishaMon", "HeishaMon"),
        ("my_heishamon.fritz.box", "my_heishamon.fritz.box"),
        ("xn--wrmepumpe-w5a.example", "xn--wrmepumpe-w5a.example"),
        ("wärmepumpe.example", "wärmepumpe.example"),
        ("2001:db8::10", "2001:db8::10"),
        ("[2001:db8::10]", "2001:db8::10"),
        ("2001:0db8:0000:0000:0000:0000:0000:0010", "2001:db8::10"),
        ("a" * 63 + ".example", "a" * 63 + ".example"),
    ],
)
def test_valid_hosts(text: str, host: str) -> None:
    """Host names (any script) and IPv4/IPv6 addresses are accepted, trimmed and IPv6 shortened."""
    assert normalize_host(text) == host


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "http://x",
        "x/../json",
        "heishamon.local/json",
        "user@evil.example",
        "%2e%2e",
        "heishamon%2elocal",
        "heisha\x00mon",
        "heisha\nmon",
        "heisha mon",
        "999.999.999.999",
        "1.2.3.4.5",
        "1.2.3",
        "10.0.0.256",
        "-leading.example",
        "trailing-.example",
        "a" * 300,
        "a" * 64 + ".example",
        ".".join(["abcdefghi"] * 26),  # 259 characters
        "double..dot",
        "heishamon:80",
        "[heishamon]",
        "fe80::1%eth0",
        "[192.168.1.50]",
        "host.123",
        "back\\slash",
    ],
)
def test_invalid_hosts(text: str) -> None:
    """URLs, paths, credentials, escapes, control characters, bad IPs and bad labels are refused."""
    assert normalize_host(text) is None


@pytest.mark.parametrize(
    ("value", "port"),
    [(80, 80), (80.0, 80), ("8080", 8080), (1, 1), (65535, 65535)],
)
def test_valid_ports(value: object, port: int) -> None:
    """Whole numbers from 1 to 65535 are ports, whatever number type the form sent."""
    assert valid_port(value) == port


@pytest.mark.parametrize(
    "value",
    [80.7, 0, -1, 65536, float("nan"), float("inf"), "80.7", "", None, True, "eighty"],
)
def test_invalid_ports(value: object) -> None:
    """A fraction is never rounded to a port, and out-of-range or non-numbers are refused."""
    assert valid_port(value) is None

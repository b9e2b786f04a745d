"""Checks of a unit's network address as typed by the user: a bare host name or IP address, and a port."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address
import math
import re

MAX_HOST_LENGTH = 253  # RFC 1035, without the trailing dot
MAX_LABEL_LENGTH = 63
# Letters (any script: the URL library encodes them), digits, hyphens; underscores occur in DHCP names.
_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?", re.UNICODE)
_DOTTED_NUMBERS = re.compile(r"[0-9.]+")


def normalize_host(text: str) -> str | None:
    """Return the host to connect to, or None when the text is not a bare host name or IP address.

    URLs, paths, credentials, ports, percent-escapes, white space and control characters are refused;
    an IPv6 address may be given with or without brackets and is returned without them.
    """
    host = text.strip()
    if not host or not host.isprintable() or any(ch.isspace() for ch in host):
        return None
    if host.startswith("[") and host.endswith("]"):
        return _ipv6(host[1:-1])
    if ":" in host:
        return _ipv6(host)
    if _DOTTED_NUMBERS.fullmatch(host):
        # Only digits and dots: an IPv4 address or nothing (999.999.999.999 and 1.2.3.4.5 are not names).
        try:
            return str(IPv4Address(host))
        except ValueError:
            return None
    return host if _is_host_name(host) else None


def _ipv6(text: str) -> str | None:
    """Return an IPv6 address in its short form; zone ids (`%eth0`) are refused with other escapes."""
    if "%" in text:
        return None
    try:
        address = ip_address(text)
    except ValueError:
        return None
    return str(address) if isinstance(address, IPv6Address) else None


def _is_host_name(host: str) -> bool:
    """Return whether `host` is a DNS name: dot-separated labels of letters, digits and inner hyphens."""
    name = host.removesuffix(".")
    if not name or len(name) > MAX_HOST_LENGTH:
        return False
    labels = name.split(".")
    if labels[-1].isdigit():
        return False  # a numeric top-level label is a mistyped IPv4 address, not a name
    return all(
        len(label) <= MAX_LABEL_LENGTH and _LABEL.fullmatch(label) for label in labels
    )


def valid_port(value: object) -> int | None:
    """Return a TCP port from a form value, or None unless it is a whole number from 1 to 65535."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= 65535 else None

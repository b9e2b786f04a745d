"""Versioned, JSON-serialisable engine state and its migrations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, fields
from typing import Any

from .energy import Sample

STATE_VERSION = 1

# MIGRATIONS[n] turns version-n state into version n + 1. Add one whenever the state layout changes.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class StateError(ValueError):
    """Stored state cannot be used (corrupt, or written by a newer version); start afresh."""


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Return state data upgraded to STATE_VERSION; raise StateError when impossible."""
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StateError(f"state has no valid version: {version!r}")
    if version > STATE_VERSION:
        raise StateError(
            f"state version {version} is newer than this engine ({STATE_VERSION})"
        )
    while version < STATE_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise StateError(f"no migration from state version {version}")
        data = step(data)
        version += 1
        data["version"] = version
    return data


def sample_to_dict(sample: Sample | None) -> dict[str, Any] | None:
    """Serialise the last sample (needed to integrate the first reading after a restart)."""
    return None if sample is None else asdict(sample)


def sample_from_dict(data: dict[str, Any] | None) -> Sample | None:
    """Restore the last sample."""
    if data is None:
        return None
    names = {f.name for f in fields(Sample)}
    return Sample(**{k: v for k, v in data.items() if k in names})

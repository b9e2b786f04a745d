"""Device presets: how each source integration's entities map to our fields (pure data, no Home Assistant)."""

from __future__ import annotations

from typing import Final

from .daikin import DAIKIN
from .ebusd import EBUSD
from .ecodan import ECODAN
from .emsesp import EMSESP
from .heishamon import HEISHAMON
from .model import (
    EntityIdentity,
    EntityRule,
    Preset,
    PresetMatch,
    best_match,
    match_preset,
)
from .nibe import NIBE, NIBE_S

PRESETS: Final[tuple[Preset, ...]] = (
    DAIKIN,
    NIBE,
    NIBE_S,
    EMSESP,
    EBUSD,
    ECODAN,
    HEISHAMON,
)
PRESETS_BY_KEY: Final = {preset.key: preset for preset in PRESETS}
# The integrations whose devices are looked at when offering a device.
PLATFORMS: Final = frozenset(preset.platform for preset in PRESETS)

__all__ = [
    "PLATFORMS",
    "PRESETS",
    "PRESETS_BY_KEY",
    "EntityIdentity",
    "EntityRule",
    "Preset",
    "PresetMatch",
    "best_match",
    "match_preset",
]

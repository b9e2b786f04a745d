"""Panasonic Aquarea models known to HeishaMon, keyed by the TOP92 `Heat_Pump_Model` bytes.

The table is HeishaMon's `HeatPumpType.md` (bytes 129-138 of the heat pump's answer, as the firmware
prints them in TOP92). Unknown byte strings are normal: the list only holds models users reported.
"""

from __future__ import annotations

# TOP92 bytes (upper case, space separated, as the firmware prints them) -> kit (or monoblock) name.
KNOWN_MODELS: dict[str, str] = {
    "E2 CF 0B 13 33 32 D1 0C 16 33": "WH-MDC05H3E5",
    "E2 CF 0B 14 33 42 D1 0B 17 33": "WH-MDC07H3E5",
    "E2 CF 0D 77 09 12 D0 0B 05 11": "KIT-WXC09H3E5",
    "E2 CF 0C 88 05 12 D0 0B 97 05": "KIT-WC09H3E8",
    "E2 CF 0D 85 05 12 D0 0C 94 05": "KIT-WXC09H9E8",
    "E2 CF 0D 86 05 12 D0 0C 95 05": "KIT-WXC12H9E8",
    "E2 CF 0D 87 05 12 D0 0C 96 05": "KIT-WXC16H9E8",
    "E2 CE 0D 71 81 72 CE 0C 92 81": "KIT-WC05H3E5",
    "62 D2 0B 43 54 42 D2 0B 72 66": "KIT-WC09J3E5",
    "C2 D3 0B 33 65 B2 D3 0B 94 65": "WH-MDC05J3E5",
    "E2 CF 0B 15 33 42 D1 0B 18 33": "WH-MDC09H3E5",
    "E2 CF 0B 41 34 82 D1 0B 31 35": "WH-MXC09H3E5",
    "62 D2 0B 45 54 42 D2 0B 47 55": "KIT-ADC09JE5",
    "E2 CF 0C 74 09 12 D0 0D 95 05": "KIT-AXC12HE8",
    "E2 CF 0B 82 05 12 D0 0C 91 05": "KIT-WQC09H3E8",
    "E2 CF 0C 55 14 12 D0 0B 15 08": "KIT-WC09H3E5",
    "E2 CF 0C 43 00 12 D0 0B 15 08": "KIT-ADC09HE5",
    "62 D2 0B 45 54 32 D2 0C 45 55": "KIT-ADC05JE5",
    "62 D2 0B 43 54 42 D2 0C 46 55": "KIT-WC07J3E5",
    "E2 CF 0C 54 14 12 D0 0B 14 08": "KIT-WC07H3E5-1",
    "C2 D3 0B 34 65 B2 D3 0B 95 65": "WH-MDC07J3E5",
    "C2 D3 0B 35 65 B2 D3 0B 96 65": "WH-MDC09J3E5",
    "62 D2 0B 41 54 32 D2 0C 45 55": "KIT-WC05J3E5",
    "32 D4 0B 87 84 73 90 0C 84 84": "WH-MXC09J3E8",
    "32 D4 0B 88 84 73 90 0C 85 84": "WH-MXC12J9E8",
    "E2 CF 0B 75 09 12 D0 0C 06 11": "KIT-ADC12HE5",
    "42 D4 0B 83 71 42 D2 0C 46 55": "KIT-ADC07JE5C",
    "C2 D3 0C 34 65 B2 D3 0B 95 65": "WH-MDC07J3E5",
    "C2 D3 0C 33 65 B2 D3 0B 94 65": "WH-MDC05J3E5",
    "E2 CF 0B 83 05 12 D0 0D 92 05": "KIT-WQC12H9E8",
}


def model_name(model_code: str) -> str | None:
    """Return the kit name for TOP92 bytes, or None when the model is not in the table."""
    return KNOWN_MODELS.get(model_code.upper())

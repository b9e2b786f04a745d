"""Panasonic Aquarea models known to HeishaMon, keyed by the TOP92 `Heat_Pump_Model` bytes.

The table is HeishaMon's `HeatPumpType.md` (rows 0-79, heishamon/HeishaMon, 2026): bytes 129-138 of
the heat pump's answer, as the firmware prints them in TOP92, in the file's order. A row's position is
the number that firmware before 3.9 printed in TOP92 instead of the bytes (255 for a model it did not
know); rows are only ever appended, so a position means the same model in every firmware. Unknown
byte strings are normal: the list only holds models users reported.
"""

from __future__ import annotations

# (TOP92 bytes as the firmware prints them, kit name or monoblock name), in HeatPumpType.md order.
MODELS: tuple[tuple[str, str], ...] = (
    ("E2 CF 0B 13 33 32 D1 0C 16 33", "WH-MDC05H3E5"),  # 0
    ("E2 CF 0B 14 33 42 D1 0B 17 33", "WH-MDC07H3E5"),  # 1
    ("E2 CF 0D 77 09 12 D0 0B 05 11", "KIT-WXC09H3E5"),  # 2
    ("E2 CF 0C 88 05 12 D0 0B 97 05", "KIT-WC09H3E8"),  # 3
    ("E2 CF 0D 85 05 12 D0 0C 94 05", "KIT-WXC09H9E8"),  # 4
    ("E2 CF 0D 86 05 12 D0 0C 95 05", "KIT-WXC12H9E8"),  # 5
    ("E2 CF 0D 87 05 12 D0 0C 96 05", "KIT-WXC16H9E8"),  # 6
    ("E2 CE 0D 71 81 72 CE 0C 92 81", "KIT-WC05H3E5"),  # 7
    ("62 D2 0B 43 54 42 D2 0B 72 66", "KIT-WC09J3E5"),  # 8
    ("C2 D3 0B 33 65 B2 D3 0B 94 65", "WH-MDC05J3E5"),  # 9
    ("E2 CF 0B 15 33 42 D1 0B 18 33", "WH-MDC09H3E5"),  # 10
    ("E2 CF 0B 41 34 82 D1 0B 31 35", "WH-MXC09H3E5"),  # 11
    ("62 D2 0B 45 54 42 D2 0B 47 55", "KIT-ADC09JE5"),  # 12
    ("E2 CF 0C 74 09 12 D0 0D 95 05", "KIT-AXC12HE8"),  # 13
    ("E2 CF 0B 82 05 12 D0 0C 91 05", "KIT-WQC09H3E8"),  # 14
    ("E2 CF 0C 55 14 12 D0 0B 15 08", "KIT-WC09H3E5"),  # 15
    ("E2 CF 0C 43 00 12 D0 0B 15 08", "KIT-ADC09HE5"),  # 16
    ("62 D2 0B 45 54 32 D2 0C 45 55", "KIT-ADC05JE5"),  # 17
    ("62 D2 0B 43 54 42 D2 0C 46 55", "KIT-WC07J3E5"),  # 18
    ("E2 CF 0C 54 14 12 D0 0B 14 08", "KIT-WC07H3E5-1"),  # 19
    ("C2 D3 0B 34 65 B2 D3 0B 95 65", "WH-MDC07J3E5"),  # 20
    ("C2 D3 0B 35 65 B2 D3 0B 96 65", "WH-MDC09J3E5"),  # 21
    ("62 D2 0B 41 54 32 D2 0C 45 55", "KIT-WC05J3E5"),  # 22
    ("32 D4 0B 87 84 73 90 0C 84 84", "WH-MXC09J3E8"),  # 23
    ("32 D4 0B 88 84 73 90 0C 85 84", "WH-MXC12J9E8"),  # 24
    ("E2 CF 0B 75 09 12 D0 0C 06 11", "KIT-ADC12HE5"),  # 25
    ("42 D4 0B 83 71 42 D2 0C 46 55", "KIT-ADC07JE5C"),  # 26
    ("C2 D3 0C 34 65 B2 D3 0B 95 65", "WH-MDC07J3E5"),  # 27
    ("C2 D3 0C 33 65 B2 D3 0B 94 65", "WH-MDC05J3E5"),  # 28
    ("E2 CF 0B 83 05 12 D0 0D 92 05", "KIT-WQC12H9E8"),  # 29
    ("E2 CF 0C 78 09 12 D0 0B 06 11", "KIT-WXC12H6E5"),  # 30
    ("C2 D3 0C 35 65 B2 D3 0B 96 65", "WH-MDC09J3E5"),  # 31
    ("32 D4 0B 99 77 62 90 0B 01 78", "WH-MXC09J3E5"),  # 32
    ("42 D4 0B 15 76 12 D0 0B 10 11", "KIT-ADC12HE5C-CL"),  # 33
    ("E2 D5 0C 29 99 83 92 0C 28 98", "KIT-ADC07L3E5"),  # 34
    ("E2 CF 0D 85 05 12 D0 0E 94 05", "KIT-WXC09H3E8"),  # 35
    ("E2 D5 0D 36 99 02 D6 0F 67 95", "KIT-ADC07K3E5AN"),  # 36
    ("E2 D5 0B 08 95 02 D6 0E 66 95", "KIT-WC05K3E5"),  # 37
    ("E2 D5 0B 34 99 83 92 0C 29 98", "KIT-WC09L3E5"),  # 38
    ("E2 CF 0C 89 05 12 D0 0C 98 05", "KIT-WC12H9E8"),  # 39
    ("E2 D5 0B 08 95 02 D6 0E 67 95", "KIT-WC07K3E5"),  # 40
    ("E2 CF 0C 74 09 12 D0 0C 96 05", "KIT-AXC16HE8"),  # 41
    ("E2 CF 0C 74 09 12 D0 0E 95 05", "KIT-AXC12HE8"),  # 42
    ("32 D4 0B 89 84 73 90 0C 86 84", "WH-MXC16J9E8"),  # 43
    ("32 D4 0B 00 78 62 90 0B 02 78", "WH-MXC12J6E5"),  # 44
    ("E2 CF 0B 82 05 12 D0 0D 91 05", "KIT-WQC09H3E8"),  # 45
    ("E2 D5 0D 99 94 02 D6 0D 68 95", "KIT-ADC09K3E5"),  # 46
    ("E2 CF 0C 74 09 12 D0 0C 95 05", "KIT-AXC12HE8"),  # 47
    ("E2 D5 0B 34 99 83 92 0C 28 98", "KIT-WC07L3E5"),  # 48
    ("E2 CF 0D 77 09 12 D0 0C 05 11", "KIT-WXC09H3E5"),  # 49
    ("E2 CF 0B 44 34 12 D0 0C 34 35", "WH-MXC12H9E8"),  # 50
    ("E2 D5 0C 67 00 83 92 0C 27 98", "KIT-ADC05L3E5AN"),  # 51
    ("E2 D5 0B 34 99 83 92 0C 27 98", "KIT-WC05L3E5"),  # 52
    ("42 D4 0B 83 71 32 D2 0C 44 55", "KIT-ADC03JE5C-S"),  # 53
    ("E2 CF 0C 74 09 12 D0 0E 94 05", "KIT-AXC9HE8"),  # 54
    ("12 D7 0D 98 11 33 94 0C 83 10", "WH-ADC0316M9E8AN2 / WH-WXG09ME8"),  # 55
    ("E2 D5 0B 08 95 02 D6 0F 67 95", "KIT-SDC07KE5"),  # 56
    ("E2 D5 0D 36 99 02 D6 10 66 95", "KIT-ADC05K3E5AN"),  # 57
    ("E2 D5 0F 99 94 02 D6 10 68 95", "KIT-ADC09K3E5"),  # 58
    ("E2 D5 0C 67 00 83 92 0C 28 98", "KIT-ADC07L3E5AN"),  # 59
    ("E2 CF 0D 86 05 12 D0 0E 95 05", "KIT-WXC12H9E8"),  # 60
    ("12 D7 0C 98 14 35 94 0D 83 10", "KIT-SDCWXG09"),  # 61
    ("E2 D5 0C 08 95 02 D6 10 67 95", "KIT-SDC07KE5"),  # 62
    ("C2 D3 0D 35 65 B2 D3 0B 96 65", "WH-MDC09J3E5-1"),  # 63
    ("E2 D5 0C 29 99 83 92 0C 29 98", "KIT-ADC09L3E5"),  # 64
    ("62 D2 0B 45 54 42 D2 0B 72 66", "KIT-ADC09JE5"),  # 65
    ("E2 CF 0B 82 09 12 D0 0B 10 11", "KIT-WC012H6E5"),  # 66
    ("42 D4 0B 83 71 32 D2 0C 45 55", "KIT-ADC05JE5C"),  # 67
    ("12 D7 0B 47 19 37 94 0E 83 10", "WH-ADC0316M9E83 / WH-WXG09ME8"),  # 68
    ("E2 D5 0D 00 09 43 D6 0E 07 09", "KIT-WC09K3E8"),  # 69
    ("E2 CF 0B 84 05 12 D0 0B 93 05", "KIT-WQC16H9E8"),  # 70
    ("E2 D5 0B 35 99 83 92 0D 29 98", "KIT-WC09L6E5"),  # 71
    ("12 D7 0B 98 14 35 94 0D 83 10", "WH-SDC0316M9E8 / WH-WXG09ME8"),  # 72
    ("E2 CF 0C 77 09 12 D0 0B 05 11", "KIT-WXC09H3E5"),  # 73
    ("C2 D3 0D 33 65 B2 D3 0B 94 65", "WH-MDC05J3E5"),  # 74
    ("12 D7 0D 98 14 37 94 0E 84 10", "KIT-SDCWXG12"),  # 75
    ("12 D7 0D 98 11 39 94 0F 84 10", "WH-ADC0316M9E8AN2 / WH-WXG12ME8"),  # 76
    ("12 D7 0D 85 11 37 94 0E 84 10", "WH-WXG12ME8"),  # 77
    ("E2 D5 0B 34 99 83 92 0D 29 98", "KIT-WC09L3E5"),  # 78
    ("E2 D5 0B 12 95 02 D6 0F 70 95", "KIT-WXC12K6E5"),  # 79
)

KNOWN_MODELS: dict[str, str] = dict(MODELS)
"""TOP92 bytes (upper case, space separated) -> kit (or monoblock) name."""


def model_name(model_code: str) -> str | None:
    """Return the kit name for TOP92 bytes, or None when the model is not in the table."""
    return KNOWN_MODELS.get(model_code.upper())


def model_code_for_number(number: int) -> str | None:
    """Return the TOP92 bytes of the model that firmware before 3.9 printed as `number`, or None."""
    if 0 <= number < len(MODELS):
        return MODELS[number][0]
    return None

"""Draws the performance curve as a small SVG: running COP and heat output against outdoor temperature.

Pure and deterministic: the same bands always give the same bytes. Every text in the picture is a
fixed label or a number formatted here, so nothing needs escaping. The picture has its own
background and switches to dark colours when the viewer prefers a dark scheme, so it reads on a
light or a dark dashboard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
import itertools
import math
from typing import Final

from .curve import BAND_WIDTH_K, CurveBand

WIDTH: Final = 640
HEIGHT: Final = 360
# Plot area inside the picture (room for the axes' labels and the legend).
_LEFT, _RIGHT, _TOP, _BOTTOM = 56.0, 584.0, 52.0, 300.0
# A band seen on fewer days than this is drawn faint: one cold snap is not yet a curve.
MIN_SOLID_DAYS: Final = 3
# The outdoor axis always spans at least this range (°C), so a few bands do not fill the width.
_MIN_SPAN: Final = (-10.0, 16.0)
# Round steps of the COP and kW axes (five steps each).
_STEPS: Final = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 10.0, 20.0)

_STYLE: Final = (
    "<style>"
    ".bg{fill:#ffffff}.fg{fill:#1f2933}.grid{stroke:#d5dbe1}.axis{stroke:#52606d}"
    ".cop{stroke:#1b7f3b;fill:#1b7f3b}.heat{fill:#e8833a}.last{stroke:#7b8794}"
    "text{font-family:sans-serif;font-size:13px}.small{font-size:11px}.big{font-size:18px}"
    "@media (prefers-color-scheme:dark){"
    ".bg{fill:#1c1f24}.fg{fill:#e4e7eb}.grid{stroke:#3e4c59}.axis{stroke:#9aa5b1}"
    ".cop{stroke:#5fd38d;fill:#5fd38d}.heat{fill:#f0a060}.last{stroke:#9aa5b1}}"
    "</style>"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CurveLabels:
    """The fixed texts of the picture (plain text without markup characters)."""

    cop: str = "Running COP"
    heat: str = "Heat output (kW)"
    outdoor: str = "Outdoor temperature (°C)"
    last_season: str = "Last season's COP"
    faint: str = f"Faint: seen on fewer than {MIN_SOLID_DAYS} days"
    empty_title: str = "Not enough data yet"
    empty_detail: str = "The curve fills in as the heat pump heats the rooms at different outdoor temperatures."


def _f(value: float) -> str:
    """Format a coordinate compactly and deterministically."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def _nice_top(value: float, minimum: float) -> float:
    """Return an axis top of five round steps that holds value (and at least minimum)."""
    need = max(value, minimum) / 5
    step = next((s for s in _STEPS if s >= need), math.ceil(need))
    return 5 * step


def render_curve_svg(
    bands: Sequence[CurveBand],
    last_season: Sequence[CurveBand] = (),
    labels: CurveLabels | None = None,
) -> bytes:
    """Return the picture as UTF-8 SVG; without any band COP, a clear "not enough data yet" picture."""
    labels = labels or CurveLabels()
    for text in _texts(labels):
        if any(char in text for char in "<>&"):
            raise ValueError("labels must be plain text")
    shown = [b for b in bands if b.cop is not None or b.heat_kw is not None]
    previous = [b for b in last_season if b.cop is not None]
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}">'
        ),
        _STYLE,
        f'<rect class="bg" x="0" y="0" width="{WIDTH}" height="{HEIGHT}" rx="12"/>',
    ]
    if not any(b.cop is not None for b in shown) and not previous:
        parts += _empty(labels)
    else:
        parts += _chart(shown, previous, labels)
    parts.append("</svg>")
    return ("\n".join(parts) + "\n").encode()


def _texts(labels: CurveLabels) -> tuple[str, ...]:
    """Return every text of the labels."""
    return (
        labels.cop,
        labels.heat,
        labels.outdoor,
        labels.last_season,
        labels.faint,
        labels.empty_title,
        labels.empty_detail,
    )


def _empty(labels: CurveLabels) -> list[str]:
    """Return the picture shown before any band has a COP."""
    middle = WIDTH / 2
    return [
        (
            f'<text class="fg big" x="{_f(middle)}" y="160" text-anchor="middle">'
            f"{labels.empty_title}</text>"
        ),
        (
            f'<text class="fg small" x="{_f(middle)}" y="192" text-anchor="middle">'
            f"{labels.empty_detail}</text>"
        ),
    ]


def _chart(
    bands: Sequence[CurveBand], previous: Sequence[CurveBand], labels: CurveLabels
) -> list[str]:
    """Return the axes, heat bars, COP line and legend."""
    lows = [b.low_c for b in (*bands, *previous)]
    x_min = min(*lows, _MIN_SPAN[0])
    x_max = max(max(lows) + BAND_WIDTH_K, _MIN_SPAN[1])
    cops = [b.cop for b in (*bands, *previous) if b.cop is not None]
    heats = [b.heat_kw for b in bands if b.heat_kw is not None]
    cop_top = _nice_top(max(cops, default=0.0), 5.0)
    heat_top = _nice_top(max(heats, default=0.0), 5.0)

    def x(temp: float) -> float:
        return _LEFT + (temp - x_min) / (x_max - x_min) * (_RIGHT - _LEFT)

    def y(value: float, top: float) -> float:
        return _BOTTOM - value / top * (_BOTTOM - _TOP)

    out: list[str] = []
    # Grid and left axis (COP), right axis (kW): five steps each.
    for step in range(6):
        cop = cop_top * step / 5
        row = y(cop, cop_top)
        out.append(
            f'<line class="grid" x1="{_f(_LEFT)}" y1="{_f(row)}" x2="{_f(_RIGHT)}" '
            f'y2="{_f(row)}" stroke-width="1"/>'
        )
        out.append(
            f'<text class="fg small" x="{_f(_LEFT - 6)}" y="{_f(row + 4)}" '
            f'text-anchor="end">{cop:.1f}</text>'
        )
        out.append(
            f'<text class="fg small" x="{_f(_RIGHT + 6)}" y="{_f(row + 4)}">'
            f"{heat_top * step / 5:.1f}</text>"
        )
    # Outdoor axis: a tick every 4 K (every 8 K on a wide range).
    every = 4 if x_max - x_min <= 40 else 8
    tick = math.ceil(x_min / every) * every
    while tick <= x_max:
        col = x(tick)
        out.append(
            f'<line class="axis" x1="{_f(col)}" y1="{_f(_BOTTOM)}" x2="{_f(col)}" '
            f'y2="{_f(_BOTTOM + 5)}" stroke-width="1"/>'
        )
        out.append(
            f'<text class="fg small" x="{_f(col)}" y="{_f(_BOTTOM + 18)}" '
            f'text-anchor="middle">{tick:g}</text>'
        )
        tick += every
    out.append(
        f'<line class="axis" x1="{_f(_LEFT)}" y1="{_f(_BOTTOM)}" x2="{_f(_RIGHT)}" '
        f'y2="{_f(_BOTTOM)}" stroke-width="1.5"/>'
    )
    out.append(
        f'<text class="fg" x="{_f((_LEFT + _RIGHT) / 2)}" y="{HEIGHT - 16}" '
        f'text-anchor="middle">{labels.outdoor}</text>'
    )
    # The units of the two value axes, above each.
    out.append(
        f'<text class="fg small" x="{_f(_LEFT - 6)}" y="{_f(_TOP - 10)}" '
        'text-anchor="end">COP</text>'
    )
    out.append(
        f'<text class="fg small" x="{_f(_RIGHT + 6)}" y="{_f(_TOP - 10)}">kW</text>'
    )
    # Heat output as bars, one per band.
    for band in bands:
        if band.heat_kw is None:
            continue
        top = y(min(band.heat_kw, heat_top), heat_top)
        out.append(
            f'<rect class="heat" x="{_f(x(band.low_c) + 3)}" y="{_f(top)}" '
            f'width="{_f(x(band.low_c + BAND_WIDTH_K) - x(band.low_c) - 6)}" '
            f'height="{_f(_BOTTOM - top)}" opacity="{_opacity(band, 0.55)}"/>'
        )
    # Last season's COP, dashed, under this season's.
    out += _cop_line(previous, x, lambda v: y(v, cop_top), "last", dashed=True)
    out += _cop_line(
        [b for b in bands if b.cop is not None],
        x,
        lambda v: y(v, cop_top),
        "cop",
        dashed=False,
    )
    out += _legend(labels, bool(previous), any(b.days < MIN_SOLID_DAYS for b in bands))
    return out


def _opacity(band: CurveBand, solid: float) -> str:
    """Return a band's opacity: faint while it has been seen on too few days."""
    return _f(solid if band.days >= MIN_SOLID_DAYS else solid * 0.35)


def _cop_line(
    bands: Sequence[CurveBand],
    x: Callable[[float], float],
    y: Callable[[float], float],
    css: str,
    *,
    dashed: bool,
) -> list[str]:
    """Return a COP line through band centres (broken where a band has no COP) and its dots."""
    out: list[str] = []
    points = [
        (x(b.low_c + BAND_WIDTH_K / 2), y(b.cop), b) for b in bands if b.cop is not None
    ]
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    for (x0, y0, b0), (x1, y1, b1) in itertools.pairwise(points):
        if b1.low_c - b0.low_c > BAND_WIDTH_K:
            continue  # no line across a band without data
        faint = min(b0.days, b1.days) < MIN_SOLID_DAYS and not dashed
        out.append(
            f'<line class="{css}" x1="{_f(x0)}" y1="{_f(y0)}" x2="{_f(x1)}" y2="{_f(y1)}" '
            f'stroke-width="2.5" fill="none"{dash} opacity="{"0.35" if faint else "1"}"/>'
        )
    if not dashed:
        for px, py, band in points:
            out.append(
                f'<circle class="{css}" cx="{_f(px)}" cy="{_f(py)}" r="4" '
                f'opacity="{_opacity(band, 1.0)}"/>'
            )
    return out


def _legend(labels: CurveLabels, last_season: bool, faint: bool) -> list[str]:
    """Return the legend above the plot and the axis titles."""
    out = [
        f'<circle class="cop" cx="{_f(_LEFT + 6)}" cy="24" r="5"/>',
        f'<text class="fg" x="{_f(_LEFT + 16)}" y="29">{labels.cop}</text>',
        f'<rect class="heat" x="{_f(_LEFT + 170)}" y="18" width="12" height="12" opacity="0.55"/>',
        f'<text class="fg" x="{_f(_LEFT + 188)}" y="29">{labels.heat}</text>',
    ]
    if last_season:
        out += [
            (
                f'<line class="last" x1="{_f(_LEFT + 340)}" y1="24" x2="{_f(_LEFT + 362)}" y2="24" '
                'stroke-width="2.5" stroke-dasharray="6 4"/>'
            ),
            f'<text class="fg" x="{_f(_LEFT + 368)}" y="29">{labels.last_season}</text>',
        ]
    if faint:
        out.append(
            f'<text class="fg small" x="{WIDTH - 12}" y="{HEIGHT - 16}" '
            f'text-anchor="end" opacity="0.8">{labels.faint}</text>'
        )
    return out

"""Draw the integration's brand images (icon and logo) into custom_components/.../brand/.

An original, simple drawing: a heat pump's outdoor unit with its fan, and a warm arrow rising from it.
Run with any Python that has Pillow: `python scripts/draw_brand.py`.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (
    Path(__file__).parents[1] / "custom_components" / "heatpump_efficiency" / "brand"
)
BLUE = (3, 102, 214, 255)
DARK = (20, 40, 70, 255)
WARM = (242, 120, 35, 255)
WHITE = (255, 255, 255, 255)


def draw_icon(size: int) -> Image.Image:
    """Return a square icon drawn at `size` pixels."""
    scale = 4  # draw large, then downsample for smooth edges
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    u = s / 256
    # Outdoor unit casing.
    d.rounded_rectangle((20 * u, 70 * u, 236 * u, 226 * u), radius=22 * u, fill=BLUE)
    # Fan grille and blades.
    cx, cy, r = 102 * u, 148 * u, 58 * u
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    for k in range(3):
        a = math.radians(k * 120 + 20)
        blade = [
            (cx, cy),
            (cx + r * 0.9 * math.cos(a), cy + r * 0.9 * math.sin(a)),
            (cx + r * 0.9 * math.cos(a + 0.7), cy + r * 0.9 * math.sin(a + 0.7)),
        ]
        d.polygon(blade, fill=DARK)
    d.ellipse((cx - 9 * u, cy - 9 * u, cx + 9 * u, cy + 9 * u), fill=WHITE)
    # Vent slats.
    for i in range(4):
        y = (110 + i * 24) * u
        d.rounded_rectangle((178 * u, y, 218 * u, y + 10 * u), radius=4 * u, fill=WHITE)
    # Warm arrow rising above the unit.
    d.polygon(
        [
            (150 * u, 12 * u),
            (196 * u, 54 * u),
            (166 * u, 54 * u),
            (166 * u, 66 * u),
            (134 * u, 66 * u),
            (134 * u, 54 * u),
            (104 * u, 54 * u),
        ],
        fill=WARM,
    )
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    """Write icon.png, icon@2x.png, logo.png and logo@2x.png."""
    BRAND.mkdir(parents=True, exist_ok=True)
    for name, size in (
        ("icon", 256),
        ("icon@2x", 512),
        ("logo", 256),
        ("logo@2x", 512),
    ):
        draw_icon(size).save(BRAND / f"{name}.png", optimize=True)


if __name__ == "__main__":
    main()

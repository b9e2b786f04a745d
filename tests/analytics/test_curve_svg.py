"""Tests of the performance curve picture: valid SVG, deterministic, honest about thin data."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET  # parses only our own output

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.heatpump_efficiency.analytics.curve import CurveBand
from custom_components.heatpump_efficiency.analytics.curve_svg import (
    MIN_SOLID_DAYS,
    CurveLabels,
    render_curve_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


def band(
    low: float, cop: float | None, heat_kw: float | None, days: int = 10
) -> CurveBand:
    return CurveBand(
        low_c=low,
        days=days,
        running_hours=20.0,
        elec_kwh=20.0,
        heat_kwh=60.0,
        cop=cop,
        heat_kw=heat_kw,
        flow_c=35.0,
        lift_k=35.0 - low,
    )


def parse(picture: bytes) -> ET.Element:
    root = ET.fromstring(picture)  # noqa: S314
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text")]


CURVE = [
    band(-8, 2.4, 6.5, days=1),
    band(-6, 2.6, 6.1),
    band(-4, 2.8, 5.6),
    band(-2, 3.0, 5.0),
    band(0, 3.2, 4.4),
    band(2, 3.6, 3.9),
    band(6, 4.3, 2.6),
    band(10, None, 1.8, days=2),
]


def test_empty_picture_says_not_enough_data() -> None:
    picture = render_curve_svg([])
    root = parse(picture)
    assert "Not enough data yet" in texts(root)
    assert not list(root.iter(f"{SVG}circle"))
    # A band without a COP yet is not a curve either.
    assert "Not enough data yet" in texts(parse(render_curve_svg([band(0, None, 4.0)])))


def test_chart_has_axes_with_units_legend_and_points() -> None:
    root = parse(render_curve_svg(CURVE))
    words = texts(root)
    assert {
        "Running COP",
        "Heat output (kW)",
        "Outdoor temperature (°C)",
        "COP",
        "kW",
    } <= set(words)
    assert "Not enough data yet" not in words
    # One dot per band with a COP; one heat bar per band with a heat output (plus the legend's).
    dots = [c for c in root.iter(f"{SVG}circle") if c.get("r") == "4"]
    assert len(dots) == 7
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "heat"]
    assert len(bars) == 8 + 1
    # The band seen on one day and the band seen on two are faint, the others solid.
    assert [d.get("opacity") for d in dots].count("1") == 6
    assert f"fewer than {MIN_SOLID_DAYS} days" in " ".join(words)


def test_no_line_across_a_band_without_data() -> None:
    root = parse(render_curve_svg(CURVE))
    lines = [el for el in root.iter(f"{SVG}line") if el.get("class") == "cop"]
    # -8..-6..-4..-2..0..2 joined (5 segments); 2 -> 6 skips the empty 4 °C band.
    assert len(lines) == 5


def test_last_season_is_dashed_with_its_legend() -> None:
    last = [band(-4, 2.7, 5.5), band(-2, 2.9, 5.0)]
    root = parse(render_curve_svg(CURVE, last))
    dashed = [el for el in root.iter(f"{SVG}line") if el.get("class") == "last"]
    assert len(dashed) == 1 + 1  # one segment and the legend's sample
    assert "Last season's COP" in texts(root)
    # Last season alone (early in a new season) still draws a chart.
    assert "Not enough data yet" not in texts(parse(render_curve_svg([], last)))


def test_deterministic_and_dark_theme_aware() -> None:
    first = render_curve_svg(CURVE)
    assert first == render_curve_svg(list(CURVE))
    assert b"prefers-color-scheme:dark" in first
    assert first.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_labels_are_plain_text() -> None:
    with pytest.raises(ValueError, match="plain text"):
        render_curve_svg(CURVE, labels=CurveLabels(cop="<script>"))
    picture = render_curve_svg(CURVE, labels=CurveLabels(cop="Laufender COP"))
    assert "Laufender COP" in texts(parse(picture))


finite = st.floats(min_value=0.0, max_value=15.0)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=29),
            st.one_of(st.none(), finite),
            st.one_of(st.none(), st.floats(min_value=0.0, max_value=100.0)),
            st.integers(min_value=1, max_value=300),
        ),
        max_size=30,
        unique_by=lambda row: row[0],
    )
)
def test_any_bands_give_valid_finite_svg(
    rows: list[tuple[int, float | None, float | None, int]],
) -> None:
    bands = sorted(
        (band(-30.0 + 2 * index, cop, kw, days) for index, cop, kw, days in rows),
        key=lambda b: b.low_c,
    )
    root = parse(render_curve_svg(bands))
    for element in root.iter():
        for name in ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "width", "height"):
            if (value := element.get(name)) is not None:
                number = float(value)
                assert math.isfinite(number)
                assert -1 <= number <= 700

"""Offline analysis: replay a CSV of readings through the engine and print the results as one JSON object.

Usage: python -m custom_components.heatpump_efficiency.analytics.replay FILE.csv [--tz ZONE] [--OPTION VALUE ...]
       [--curve-svg PICTURE.svg]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator, Sequence
import csv
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
import gzip
import io
import json
import math
import statistics
import sys
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from custom_components.heatpump_efficiency.units.model import (
    OperatingMode,
    Origin,
    Quantity,
    Reading,
)

from .advisor import AdvisorConfig, AdvisorResult, HeatingCurveAdvisor
from .config import EngineConfig, option_bounds
from .curve import PerformanceCurve
from .curve_svg import render_curve_svg
from .energy import sample_from_reading
from .engine import Engine
from .fleet import heat_is_measured, rank_season
from .results import PeriodStats, Results, jsonable

COLUMNS = (
    "time",
    "elec_w",
    "heat_w",
    "flow_c",
    "return_c",
    "outdoor_c",
    "outdoor_rh",
    "defrost",
    "compressor_hz",
    "backup_w",
)
# Optional extra columns, read when present.
EXTRA_COLUMNS = (
    "elec_kwh",
    "heat_kwh",
    "compressor_running",
    "compressor_starts",
    "backup_heater",
    "room_c",
    "flow_lpm",
    "mode",
    "room_target_c",
)
# Rooms are compared with this target where the file has no room_target_c (the integration's
# default comfort temperature).
DEFAULT_ROOM_TARGET_C = 20.0
# Short spellings of the most used options.
ALIASES = {"starting_power_w": "--starting-power", "max_gap_s": "--max-gap"}
TRUE = frozenset({"1", "true", "yes", "on", "t", "y"})
FALSE = frozenset({"0", "false", "no", "off", "f", "n"})


class RowError(ValueError):
    """A CSV row that cannot be read."""


def _float(row: dict[str, str | None], key: str) -> float | None:
    """Return a cell as a finite float, None when empty or missing."""
    text = (row.get(key) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError as err:
        raise RowError(f"{key}={text!r} is not a number") from err
    return value if math.isfinite(value) else None


def _bool(row: dict[str, str | None], key: str) -> bool | None:
    """Return a cell as a bool, None when empty or missing."""
    text = (row.get(key) or "").strip().lower()
    if not text:
        return None
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    try:
        return float(text) != 0
    except ValueError as err:
        raise RowError(f"{key}={text!r} is not a boolean") from err


def _qty(value: float | None) -> Quantity | None:
    """Wrap a CSV number as a metered quantity."""
    return None if value is None else Quantity(value=value, origin=Origin.METERED)


def parse_time(text: str, default_tz: tzinfo) -> datetime:
    """Parse ISO 8601 (or POSIX seconds); naive times are taken in `default_tz`."""
    text = text.strip()
    if not text:
        raise RowError("time is empty")
    try:
        return datetime.fromtimestamp(float(text), UTC)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as err:
        raise RowError(f"time={text!r} is not ISO 8601") from err
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=default_tz)


# The mode column: what the unit was doing. "dhw" heats hot water; the others are operating modes.
MODES = ("heat", "cool", "dhw", "off", "auto")


def _mode(row: dict[str, str | None]) -> tuple[OperatingMode | None, bool | None]:
    """Return the operating mode and whether hot water was heated, from the optional mode column."""
    text = (row.get("mode") or "").strip().lower()
    if not text:
        return None, None
    if text == "dhw":
        return OperatingMode.HEAT, True
    if text not in MODES:
        raise RowError(f"mode={text!r} is not one of {', '.join(MODES)}")
    return OperatingMode(text), False


def row_to_reading(row: dict[str, str | None], default_tz: tzinfo) -> Reading:
    """Convert one CSV row to a Reading; empty, nan and inf cells are unknown."""
    starts = _float(row, "compressor_starts")
    mode, dhw_active = _mode(row)
    return Reading(
        time=parse_time(row.get("time") or "", default_tz),
        elec_w=_qty(_float(row, "elec_w")),
        heat_w=_qty(_float(row, "heat_w")),
        backup_w=_qty(_float(row, "backup_w")),
        elec_kwh=_qty(_float(row, "elec_kwh")),
        heat_kwh=_qty(_float(row, "heat_kwh")),
        flow_c=_float(row, "flow_c"),
        return_c=_float(row, "return_c"),
        outdoor_c=_float(row, "outdoor_c"),
        outdoor_rh=_float(row, "outdoor_rh"),
        room_c=_float(row, "room_c"),
        room_target_c=_float(row, "room_target_c"),
        flow_lpm=_float(row, "flow_lpm"),
        defrost=_bool(row, "defrost"),
        compressor_hz=_float(row, "compressor_hz"),
        compressor_running=_bool(row, "compressor_running"),
        compressor_starts=None if starts is None else int(starts),
        backup_heater=_bool(row, "backup_heater"),
        mode=mode,
        dhw_active=dhw_active,
    )


def open_text(path: str) -> TextIO:
    """Open a CSV file (gzip when it ends in .gz, stdin for '-')."""
    if path == "-":
        return sys.stdin
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def first_offset_zone(rows: list[dict[str, str | None]]) -> tzinfo:
    """Return the fixed UTC offset of the first timestamp, or UTC (used when no --tz is given)."""
    for row in rows:
        try:
            moment = parse_time(row.get("time") or "", UTC)
        except RowError:
            continue
        offset = moment.utcoffset()
        return UTC if not offset else timezone(offset)
    return UTC


@dataclass(slots=True)
class _Watch:
    """What the replay follows across the whole file besides the engine's own totals."""

    runs: list[float] = field(default_factory=list)
    days: list[tuple[date, PeriodStats, bool, bool]] = field(default_factory=list)
    defrost_first: dict[str, Any] | None = None
    defrost_episodes: int = 0
    cycling_first: str | None = None
    filter_reason: str | None = None
    day_defrost_alert: bool = False
    day_cycling_alert: bool = False


def replay(
    readings: Iterable[Reading],
    config: EngineConfig,
    curve: PerformanceCurve | None = None,
    room_target_c: float = DEFAULT_ROOM_TARGET_C,
) -> dict[str, Any]:
    """Run readings through a fresh engine and return the whole-file summary.

    The performance curve is learned into `curve` when one is given (to draw it afterwards). Rooms
    are compared with the row's `room_target_c`, else with `room_target_c` (the comfort temperature).
    """
    engine = Engine(config)
    advisor = HeatingCurveAdvisor(AdvisorConfig(timezone=config.timezone))
    if curve is None:
        curve = PerformanceCurve(config)
    # Whether the file's heat is measured or computed (the last reading with heat says so).
    heat_measured: bool | None = None
    watch = _Watch()
    last: Results = engine.results
    count = 0
    first_time: datetime | None = None
    for reading in readings:
        count += 1
        result = engine.update(reading)
        curve.update(reading, result)
        if result.time == reading.time:
            _advise(advisor, reading, result, config, room_target_c)
        if (measured := heat_is_measured(reading)) is not None:
            heat_measured = measured
        if first_time is None:
            first_time = result.time
        _follow(watch, last, result)
        last = result
    # A last reading far after the one before waits for a confirmation no reading will bring.
    result = engine.flush()
    if result is not last:
        _follow(watch, last, result)
        last = result
    if last.today_date is not None:
        watch.days.append(
            (
                last.today_date,
                last.today,
                watch.day_defrost_alert,
                watch.day_cycling_alert,
            )
        )
    summary = _summary(last, watch, count, first_time)
    # The performance curve of the file's last heating season, per 2 K outdoor band.
    summary["curve"] = [
        {
            name: _r(value) if isinstance(value, float) else value
            for name, value in band.items()
        }
        for band in curve.summary()["bands"]
    ]
    # The heating-curve advice as the sensor would show it at the end of the file.
    summary["advice"] = _advice_json(advisor.result(curve.bands()))
    # The fleet rank as the sensor would show it at the end of the file (its last heating season).
    summary["fleet"] = rank_season(
        last.season,
        flow_c=curve.heat_weighted_flow_c(),
        lift_k=curve.heat_weighted_lift_k(),
        heat_measured=heat_measured is True,
    ).as_dict()
    return summary


def _advise(
    advisor: HeatingCurveAdvisor,
    reading: Reading,
    result: Results,
    config: EngineConfig,
    room_target_c: float,
) -> None:
    """Show the heating-curve advisor one accepted reading, as the coordinator does."""
    sample = sample_from_reading(reading, config)
    mode = reading.mode
    advisor.update(
        reading.time,
        outdoor_c=sample.outdoor_c,
        room_c=reading.room_c,
        room_target_c=reading.room_target_c
        if reading.room_target_c is not None
        else room_target_c,
        flow_c=sample.flow_c,
        heating_enabled=not sample.cooling
        and mode in (OperatingMode.HEAT, OperatingMode.AUTO, None),
        space_heating=bool(sample.running)
        and not sample.dhw
        and not result.defrost.active,
        heat_w=sample.heat_w,
        backup_w=sample.backup_w,
        backup_on=sample.backup_on,
    )


def _advice_json(advice: AdvisorResult) -> dict[str, Any]:
    """The advice with its figures rounded for reading."""
    data = advice.as_dict()
    for band in data["evidence"]:
        for name, value in band.items():
            if isinstance(value, float):
                band[name] = _r(value, 2)
    return data


def _follow(watch: _Watch, last: Results, result: Results) -> None:
    """Record runs, alerts and finished days between two consecutive results."""
    if (
        result.cycling.runs_completed > last.cycling.runs_completed
        and result.cycling.last_run_minutes is not None
    ):
        watch.runs.append(result.cycling.last_run_minutes)
    if last.today_date is not None and result.today_date != last.today_date:
        # `yesterday` includes the part of the interval before midnight; after a longer gap use the last view.
        day_stats = result.yesterday
        if result.today_date != last.today_date + timedelta(days=1):
            day_stats = last.today
        watch.days.append(
            (
                last.today_date,
                day_stats,
                watch.day_defrost_alert,
                watch.day_cycling_alert,
            )
        )
        watch.day_defrost_alert = watch.day_cycling_alert = False
    defrost = result.defrost
    if defrost.excessive:
        watch.day_defrost_alert = True
        if not last.defrost.excessive:
            watch.defrost_episodes += 1
        if watch.defrost_first is None:
            watch.defrost_first = {
                "reason": None if defrost.reason is None else defrost.reason.value,
                "detail": defrost.reason_detail,
                "first_at": None if result.time is None else result.time.isoformat(),
            }
    if result.cycling.short_cycling:
        watch.day_cycling_alert = True
        if watch.cycling_first is None and result.cycling.reason is not None:
            watch.cycling_first = result.cycling.reason.value
    if (
        result.filter.due
        and watch.filter_reason is None
        and result.filter.reason is not None
    ):
        watch.filter_reason = result.filter.reason.value


def _r(value: float | None, digits: int = 4) -> float | None:
    """Round for output."""
    return None if value is None else round(value, digits)


def _period_json(stats: PeriodStats) -> dict[str, Any]:
    """Return a period's figures rounded for output."""
    out: dict[str, Any] = {}
    for key, value in jsonable(stats).items():
        out[key] = round(value, 4) if isinstance(value, float) else value
    return out


def _summary(
    last: Results, watch: _Watch, count: int, first_time: datetime | None
) -> dict[str, Any]:
    """Build the JSON summary of a replay."""
    life = last.lifetime
    starts_per_hour = (
        life.compressor_starts / life.data_hours if life.data_hours > 0 else None
    )
    first = watch.defrost_first or {}
    return {
        "readings": count,
        "ignored_readings": last.ignored_readings,
        "start": None if first_time is None else first_time.isoformat(),
        "end": None if last.time is None else last.time.isoformat(),
        # All electricity over the trace: the counter's increase where there is a counter.
        "elec_kwh": _r(life.total_elec_kwh),
        # The rest pairs electricity and heat over the intervals where both are known.
        "heating_elec_kwh": _r(life.elec_kwh),
        "heat_kwh": _r(life.heat_kwh),
        "cop_combined": _r(life.cop_combined, 3),
        "space_elec_kwh": _r(life.space_elec_kwh),
        "space_heat_kwh": _r(life.space_heat_kwh),
        "cop_space": _r(life.cop_space, 3),
        "dhw_elec_kwh": _r(life.dhw_elec_kwh),
        "dhw_heat_kwh": _r(life.dhw_heat_kwh),
        "cop_dhw": _r(life.cop_dhw, 3),
        "cooling_kwh": _r(life.cooling_kwh),
        "cooling_elec_kwh": _r(life.cooling_elec_kwh),
        "eer": _r(life.eer, 3),
        "unmatched_elec_kwh": _r(life.unmatched_elec_kwh),
        "rejected_samples": last.rejected_samples,
        "cop_running": _r(life.cop_running, 3),
        "running_elec_kwh": _r(life.running_elec_kwh),
        "running_heat_kwh": _r(life.running_heat_kwh),
        "system_elec_kwh": _r(life.system_elec_kwh),
        "system_heat_kwh": _r(life.system_heat_kwh),
        "cop_system": _r(life.cop_system, 3),
        "backup_kwh": _r(life.backup_kwh),
        "backup_hours": _r(life.backup_hours),
        "backup_share_pct": _r(life.backup_share_pct, 2),
        "defrost_count": life.defrost_count,
        "defrost_inferred": last.defrost.inferred,
        "defrost_heat_lost_kwh": _r(life.defrost_heat_lost_kwh),
        "defrost_heat_lost_pct": _r(life.defrost_heat_lost_pct, 2),
        "defrost_max_minutes": _r(life.defrost_max_minutes, 2),
        "defrost_hours": _r(life.defrost_hours),
        "compressor_starts": life.compressor_starts,
        "starts_per_hour": _r(starts_per_hour, 3),
        "median_run_minutes": _r(
            statistics.median(watch.runs) if watch.runs else None, 2
        ),
        "runs": len(watch.runs),
        "running_hours": _r(life.running_hours),
        "outdoor_mean_c": _r(life.outdoor_mean_c, 2),
        "data_hours": _r(life.data_hours),
        "gap_hours": _r(life.gap_hours),
        "quality": [flag.value for flag in life.quality],
        "excessive_defrost": {
            "active": watch.defrost_first is not None,
            "reason": first.get("reason"),
            "detail": first.get("detail"),
            "first_at": first.get("first_at"),
            "episodes": watch.defrost_episodes,
            "active_at_end": last.defrost.excessive,
        },
        "short_cycling": watch.cycling_first is not None,
        "short_cycling_reason": watch.cycling_first,
        "short_cycling_at_end": last.cycling.short_cycling,
        "filter": {
            "due": last.filter.due,
            "reason": watch.filter_reason,
            "cop_drift_pct": _r(last.filter.cop_drift_pct, 2),
            "running_hours_since_clean": _r(last.filter.running_hours_since_clean, 2),
        },
        "days": [
            {
                "date": day.isoformat(),
                **_period_json(stats),
                "excessive_defrost": defrost,
                "short_cycling": cycling,
            }
            for day, stats, defrost, cycling in watch.days
            if stats.data_hours + stats.gap_hours > 0
        ],
    }


def _readings(
    rows: list[dict[str, str | None]], tz: tzinfo, skipped: list[str]
) -> Iterator[Reading]:
    """Yield readings from rows, noting unreadable rows (by line) instead of stopping."""
    for line, row in enumerate(rows, start=2):
        try:
            yield row_to_reading(row, tz)
        except RowError as err:
            skipped.append(f"line {line}: {err}")


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser; every engine option is a flag (e.g. --starting-power-w 150)."""
    parser = argparse.ArgumentParser(
        prog="python -m custom_components.heatpump_efficiency.analytics.replay",
        description="Replay a CSV of heat pump readings through the efficiency engine and print JSON.",
    )
    parser.add_argument(
        "file",
        help="CSV with header "
        + ",".join(COLUMNS)
        + " and optional columns "
        + ",".join(EXTRA_COLUMNS)
        + " ('-' = stdin, .gz accepted)",
    )
    parser.add_argument(
        "--tz",
        help="IANA time zone for days and naive times (default: offset of the first time)",
    )
    parser.add_argument(
        "--indent", type=int, default=2, help="JSON indent (0 = one line)"
    )
    parser.add_argument(
        "--no-days", action="store_true", help="leave out the per-day breakdown"
    )
    parser.add_argument(
        "--curve-svg",
        metavar="PICTURE.svg",
        help="also draw the performance curve (COP and heat output by outdoor temperature) to this file",
    )
    parser.add_argument(
        "--room-target",
        type=float,
        default=DEFAULT_ROOM_TARGET_C,
        metavar="C",
        help="room target for the heating-curve advice where a row has no room_target_c",
    )
    parser.add_argument(
        "--heat-includes-backup",
        action=argparse.BooleanOptionalAction,
        default=EngineConfig().heat_includes_backup,
        help="whether heat_w already includes the backup heater's output",
    )
    for name, bound in option_bounds().items():
        unit = f" [{bound.unit}]" if bound.unit else ""
        text = f"{bound.doc}{unit}; {bound.minimum:g}..{bound.maximum:g}"
        flags = ["--" + name.replace("_", "-")]
        if name in ALIASES:
            flags.append(ALIASES[name])
        parser.add_argument(
            *flags,
            dest=name,
            type=float,
            default=None,
            metavar="N",
            help=text.replace("%", "%%"),  # argparse formats help strings
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with open_text(args.file) as handle:
            rows: list[dict[str, str | None]] = list(csv.DictReader(handle))
    except OSError as err:
        parser.error(f"cannot read {args.file}: {err}")
    if rows and "time" not in rows[0]:
        parser.error("the CSV has no 'time' column")
    if not 5.0 <= args.room_target <= 35.0:  # also refuses nan
        parser.error("--room-target must be between 5 and 35 °C")
    try:
        tz: tzinfo = ZoneInfo(args.tz) if args.tz else first_offset_zone(rows)
    except (ZoneInfoNotFoundError, ValueError):
        parser.error(f"unknown time zone {args.tz!r}")
    options: dict[str, Any] = {
        name: getattr(args, name)
        for name in option_bounds()
        if getattr(args, name) is not None
    }
    options["heat_includes_backup"] = args.heat_includes_backup
    try:
        config = EngineConfig.from_options(options, timezone=tz)
    except ValueError as err:
        parser.error(str(err))
    skipped: list[str] = []
    curve = PerformanceCurve(config)
    summary = replay(_readings(rows, tz, skipped), config, curve, args.room_target)
    if args.curve_svg:
        try:
            with open(args.curve_svg, "wb") as picture:
                picture.write(
                    render_curve_svg(curve.bands(), curve.last_season_bands())
                )
        except OSError as err:
            parser.error(f"cannot write {args.curve_svg}: {err}")
    summary["skipped_rows"] = skipped
    if args.no_days:
        del summary["days"]
    summary["options"] = {
        k: v for k, v in config.to_options().items() if v != getattr(EngineConfig(), k)
    }
    indent = args.indent if args.indent > 0 else None
    print(json.dumps(summary, indent=indent, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

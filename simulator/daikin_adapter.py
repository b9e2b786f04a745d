"""What the BRP069 adapter makes of the simulated mini-split: its answers and how it applies commands."""

from __future__ import annotations

from collections.abc import Mapping

from . import brp069
from .airtoair import AUTO_MODES, FAN_RATES, MODES
from .daikin import DaikinSimulator

# Setpoint range the indoor unit accepts per mode (°C); the adapter answers PARAM NG outside it.
SETPOINT_RANGE = {"4": (10.0, 31.0), "3": (18.0, 33.0), "auto": (18.0, 30.0)}
FAN_DIRECTIONS = frozenset({"0", "1", "2", "3"})
ADV = {(False, False): "", (True, False): "2", (False, True): "12"}  # (powerful, econo)
HUMIDITY = {"1": "AUTO", "2": "50", "3": "0", "4": "0", "5": "0", "7": "AUTO"}


def _half(value: float) -> str:
    """A temperature as the adapter reports it: 0.5 °C steps, one decimal."""
    return f"{round(value * 2) / 2:.1f}"


class DaikinAdapter:
    """Renders the adapter's endpoints from the simulation and applies `set_*` requests to it."""

    def __init__(self, sim: DaikinSimulator) -> None:
        """Remember the per-mode fan settings the remote control keeps (the adapter reports them all)."""
        self.sim = sim
        self.fan_by_mode = dict.fromkeys(("1", "2", "3", "4", "5", "6", "7"), "A")
        self.dir_by_mode = dict.fromkeys(("1", "2", "3", "4", "5", "6", "7"), "0")
        self.holiday = False

    # Answers --------------------------------------------------------------------------------------

    def answer(self, path: str) -> dict[str, str] | None:
        """The fields of a GET endpoint's answer, or None for a resource this adapter lacks."""
        sim = self.sim
        if path == "common/basic_info":
            info = brp069.basic_info(
                mac=sim.mac, name=sim.name, power_on=sim.controls.power_on
            )
            info["en_hol"] = "1" if self.holiday else "0"
            return info
        if path == "aircon/get_model_info":
            return brp069.model_info()
        if path == "aircon/get_sensor_info":
            return self.sensor_info()
        if path == "aircon/get_control_info":
            return self.control_info()
        if path == "aircon/get_day_power_ex":
            return sim.meters.day_power()
        if path == "aircon/get_week_power":
            return sim.meters.week_power()
        if path == "aircon/get_year_power":
            return sim.meters.year_power()
        if path == "common/get_datetime":
            return self.datetime_info()
        if path == "common/get_holiday":
            return {"en_hol": "1" if self.holiday else "0"}
        return brp069.STATIC_ANSWERS.get(path)

    def sensor_info(self) -> dict[str, str]:
        """`aircon/get_sensor_info`: room and outdoor temperature, error code, compressor frequency."""
        sim = self.sim
        return {
            "htemp": _half(sim.room_c),
            "hhum": "-",
            "otemp": _half(sim.outdoor_c),
            "err": "0",
            "cmpfreq": str(round(sim.last.hz)),
        }

    def control_info(self) -> dict[str, str]:
        """`aircon/get_control_info`: mode, setpoints and fan settings, current and per mode."""
        c = self.sim.controls
        setpoints = {
            "1": c.auto_setpoint_c,
            "3": c.cool_setpoint_c,
            "4": c.heat_setpoint_c,
            "5": c.auto_setpoint_c,
            "7": c.auto_setpoint_c,
        }
        stemp = {"2": "M", "6": "--"}.get(c.mode) or f"{c.setpoint_c():.1f}"
        values: dict[str, str] = {
            "pow": "1" if c.power_on else "0",
            "mode": c.mode,
            "adv": ADV[(c.powerful_left_s > 0, c.econo)],
            "stemp": stemp,
            "shum": HUMIDITY.get(c.mode, "--"),
        }
        for m in ("1", "2", "3", "4", "5", "7"):
            values[f"dt{m}"] = "M" if m == "2" else f"{setpoints[m]:.1f}"
        for m in ("1", "2", "3", "4", "5", "7"):
            values[f"dh{m}"] = HUMIDITY[m]
        values |= {
            "dhh": "50",
            "b_mode": c.mode,
            "b_stemp": stemp,
            "b_shum": values["shum"],
            "alert": "255",
            "f_rate": c.fan_rate,
            "f_dir": c.fan_dir,
            "b_f_rate": c.fan_rate,
            "b_f_dir": c.fan_dir,
        }
        for m in ("1", "2", "3", "4", "5", "6", "7"):
            values[f"dfr{m}"] = self.fan_by_mode[m]
        values["dfrh"] = "5"
        for m in ("1", "2", "3", "4", "5", "6", "7"):
            values[f"dfd{m}"] = self.dir_by_mode[m]
        values |= {"dfdh": "0", "dmnd_run": "0", "en_demand": "0"}
        return values

    def datetime_info(self) -> dict[str, str]:
        """`common/get_datetime`: the adapter's clock (the simulated local time)."""
        t = self.sim.sim_time
        return {
            "sta": "2",
            "cur": f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute}:{t.second}",
            "reg": "eu",
            "dst": "1",
            "zone": "313",
        }

    # Commands -------------------------------------------------------------------------------------

    def set_control(self, query: Mapping[str, str]) -> dict[str, str] | None:
        """`aircon/set_control_info`: apply pow/mode/stemp/f_rate/f_dir, or None (PARAM NG) for bad input.

        Nothing is applied unless every parameter is valid, as the adapter does.
        """
        c = self.sim.controls
        power, mode = query.get("pow"), query.get("mode")
        stemp, fan, direction = (
            query.get("stemp"),
            query.get("f_rate"),
            query.get("f_dir"),
        )
        if (
            power not in ("0", "1")
            or mode not in MODES
            or stemp is None
            or "shum" not in query
        ):
            return None
        if fan is not None and fan not in FAN_RATES:
            return None
        if direction is not None and direction not in FAN_DIRECTIONS:
            return None
        setpoint: float | None = None
        if mode in ("4", "3") or mode in AUTO_MODES:
            low, high = SETPOINT_RANGE["auto" if mode in AUTO_MODES else mode]
            try:
                setpoint = float(stemp)
            except ValueError:
                return None
            if not low <= setpoint <= high:
                return None
        c.power_on = power == "1"
        c.mode = mode
        if setpoint is not None:
            if mode == "4":
                c.heat_setpoint_c = setpoint
            elif mode == "3":
                c.cool_setpoint_c = setpoint
            else:
                c.auto_setpoint_c = setpoint
        slot = (
            "1" if mode == "0" else mode
        )  # the remote keeps auto's fan settings in slot 1
        if fan is not None:
            c.fan_rate = self.fan_by_mode[slot] = fan
        else:
            c.fan_rate = self.fan_by_mode[slot]
        if direction is not None:
            c.fan_dir = self.dir_by_mode[slot] = direction
        if not c.power_on:
            self.sim.start_powerful(False)
        return {"adv": ADV[(c.powerful_left_s > 0, c.econo)]}

    def set_special_mode(self, query: Mapping[str, str]) -> dict[str, str] | None:
        """`aircon/set_special_mode`: powerful (kind 1) or econo (kind 2) on or off; streamer is accepted."""
        kind, value = query.get("spmode_kind"), query.get("set_spmode")
        if "en_streamer" in query and kind is None:
            return {
                "adv": ADV[
                    (self.sim.controls.powerful_left_s > 0, self.sim.controls.econo)
                ]
            }
        if kind not in ("0", "1", "2") or value not in ("0", "1"):
            return None
        if kind == "1":
            self.sim.start_powerful(value == "1")
        elif kind == "2":
            self.sim.set_econo(value == "1")
        c = self.sim.controls
        return {"adv": ADV[(c.powerful_left_s > 0, c.econo)]}

    def set_holiday(self, query: Mapping[str, str]) -> dict[str, str] | None:
        """`common/set_holiday`: the away flag (recorded and reported; the unit's timers are not simulated)."""
        value = query.get("en_hol")
        if value not in ("0", "1"):
            return None
        self.holiday = value == "1"
        return {}

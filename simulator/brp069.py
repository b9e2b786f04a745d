"""The Daikin BRP069 wifi adapter's text protocol: `key=value` pairs joined by commas, and its endpoints.

Shared by the simulator's Daikin personality and the fake adapter of the tests, so both answer in the
same shape. The field lists follow real BRP069 answers (EU adapter, firmware 1_2_54) as published in
the pydaikin project's sample requests; which fields Home Assistant reads follows pydaikin's
daikin_brp069.py and power.py.
"""

from __future__ import annotations

from collections.abc import Mapping

# The adapter's resources, keyed by the short name its capture files use.
ENDPOINTS = {
    "basic_info": "common/basic_info",
    "get_remote_method": "common/get_remote_method",
    "get_datetime": "common/get_datetime",
    "get_holiday": "common/get_holiday",
    "get_notify": "common/get_notify",
    "get_model_info": "aircon/get_model_info",
    "get_control_info": "aircon/get_control_info",
    "get_sensor_info": "aircon/get_sensor_info",
    "get_day_power_ex": "aircon/get_day_power_ex",
    "get_week_power": "aircon/get_week_power",
    "get_year_power": "aircon/get_year_power",
    "get_price": "aircon/get_price",
    "get_target": "aircon/get_target",
}
SET_CONTROL = "aircon/set_control_info"
SET_SPECIAL_MODE = "aircon/set_special_mode"
SET_HOLIDAY = "common/set_holiday"
NOTIFY_DATE_TIME = "common/notify_date_time"
OK = "OK"
PARAM_NG = "PARAM NG"  # what the adapter answers to a request it cannot apply


def render(values: Mapping[str, str], *, ret: str = OK) -> str:
    """Serialise an answer as the adapter does: `ret=OK,key=value,...` (no escaping but the name's)."""
    return ",".join([f"ret={ret}", *(f"{k}={v}" for k, v in values.items())])


def parse(text: str) -> dict[str, str]:
    """Split an answer into its fields, `ret` included (a value never holds `=` or `,`)."""
    return dict(pair.split("=", 1) for pair in text.strip().split(",") if pair)


def encode_name(name: str) -> str:
    """Return a name as the adapter sends it: every byte percent-encoded (`Notte` -> `%4e%6f...`)."""
    return "".join(f"%{byte:02x}" for byte in name.encode())


def basic_info(*, mac: str, name: str, power_on: bool) -> dict[str, str]:
    """`common/basic_info`: identity, firmware and the power state."""
    return {
        "type": "aircon",
        "reg": "eu",
        "dst": "1",
        "ver": "1_2_54",
        "rev": "203DE8C",
        "pow": "1" if power_on else "0",
        "err": "0",
        "location": "0",
        "name": encode_name(name),
        "icon": "3",
        "method": "home only",
        "port": "30050",
        "id": "",
        "pw": "",
        "lpw_flag": "0",
        "adp_kind": "3",
        "pv": "3.20",
        "cpv": "3",
        "cpv_minor": "20",
        "led": "1",
        "en_setzone": "1",
        "mac": mac,
        "adp_mode": "run",
        "en_hol": "0",
        "ssid1": "simulated",
        "radio1": "-48",
        "grp_name": "",
        "en_grp": "0",
    }


def model_info() -> dict[str, str]:
    """`aircon/get_model_info`: what the indoor unit supports (energy figures, fan rate and direction).

    `dmnd` is 0: the simulated unit offers no demand control, so pydaikin asks for no demand endpoint.
    """
    return {
        "model": "0000",
        "type": "N",
        "pv": "3.20",
        "cpv": "3",
        "cpv_minor": "20",
        "mid": "NA",
        "humd": "0",
        "s_humd": "0",
        "acled": "0",
        "land": "0",
        "elec": "1",
        "temp": "1",
        "temp_rng": "0",
        "m_dtct": "1",
        "ac_dst": "--",
        "disp_dry": "0",
        "dmnd": "0",
        "en_scdltmr": "1",
        "en_frate": "1",
        "en_fdir": "1",
        "s_fdir": "3",
        "en_rtemp_a": "0",
        "en_spmode": "7",
        "en_ipw_sep": "1",
        "en_mompow": "0",
        "hmlmt_l": "10.0",
    }


STATIC_ANSWERS: dict[str, dict[str, str]] = {
    "common/get_remote_method": {
        "method": "home only",
        "notice_ip_int": "3600",
        "notice_sync_int": "60",
    },
    "common/get_notify": {"auto_off_flg": "0", "auto_off_tm": "- -"},
    "aircon/get_price": {"price_int": "27", "price_dec": "0"},
    "aircon/get_target": {"target": "0"},
}

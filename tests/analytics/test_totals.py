"""Tests of the additive period totals."""

from __future__ import annotations

from custom_components.heatpump_efficiency.analytics.totals import Totals


def test_add_covers_every_field() -> None:
    for name in Totals.NAMES:
        total = Totals()
        other = Totals()
        setattr(other, name, 2.0)
        total.add(other, 0.5 if name in Totals.SUM_NAMES else 1.0)
        assert getattr(total, name) == (1.0 if name in Totals.SUM_NAMES else 2.0), name
    assert Totals.MAX_NAMES == ("defrost_max_s",)


def test_list_round_trip_and_older_shorter_lists() -> None:
    total = Totals(*[float(i) for i in range(len(Totals.NAMES))])
    assert Totals.from_list(total.to_list()) == total
    assert Totals.from_list([1.0]).elec_kwh == 1.0
    assert Totals.summed([total, total]).elec_kwh == 0.0
    assert Totals.summed([total, total]).heat_kwh == 2.0

"""The charts' rolling series: a slot keeps its last value, old buckets go, windows read back what happened."""

from __future__ import annotations

from domain import series
from domain.series import HOUR_S, SAMPLE_S, gauge_line, hourly, sampled, slots

T = 1_795_000_000.0 // SAMPLE_S * SAMPLE_S  # a slot boundary


def test_a_slot_keeps_its_last_value_and_an_unchanged_or_older_reading_changes_nothing() -> None:
    s = sampled((), T + 10, 1.0)
    s = sampled(s, T + 20, 2.0)
    assert s == ((T + 20, 2.0),)
    assert sampled(s, T + 30, 2.0) is None  # same slot, same value
    s = sampled(s, T + SAMPLE_S, 3.0)
    assert s == ((T + 20, 2.0), (T + SAMPLE_S, 3.0))
    assert sampled(s, T + 5, 9.0) is None  # a slot already passed


def test_samples_older_than_a_day_and_a_slot_are_dropped() -> None:
    s: tuple = ()
    for n in range(400):
        s = sampled(s, T + n * SAMPLE_S, float(n)) or s
    assert len(s) == series.SAMPLES_KEPT_S // SAMPLE_S + 2
    assert s[0][0] >= s[-1][0] - series.SAMPLES_KEPT_S - SAMPLE_S


def test_a_gauge_line_breaks_where_the_station_fell_silent_and_stops_at_a_day() -> None:
    samples = [(T - 90000, 1.0), (T, 2.0), (T + 600, 2.1), (T + 600 + series.GAP_S + 1, 2.5)]
    line = gauge_line(samples, T + 3000)
    assert line == {"t": [T, T + 600, None, T + 600 + series.GAP_S + 1], "level": [2.0, 2.1, None, 2.5]}


def test_slots_hold_the_last_value_at_each_slots_end_and_now_for_the_last() -> None:
    samples = [(T - 100, 4.0), (T + 5, 1.0), (T + 599, 2.0), (T + 1300, 3.0)]
    assert slots(samples, T, T + 1300) == [2.0, 2.0, 3.0]
    assert slots([], T, T + 1300) == [None, None, None]
    assert slots([(T + 700, 1.0)], T, T + 1300) == [None, 1.0, 1.0]


def test_hourly_reads_today_up_to_now_and_all_of_yesterday_from_the_buckets() -> None:
    start = T // HOUR_S * HOUR_S
    buckets = {(start, "110"): 2, (start + 2 * HOUR_S, "grid"): 1, (start - 24 * HOUR_S + 5 * HOUR_S, "12345"): 4}
    out = hourly(buckets, start, start + 2 * HOUR_S + 10)
    assert out["today"]["110"] == [2, 0, 0] and out["today"]["grid"] == [0, 0, 1]
    assert out["yesterday"]["12345"][5] == 4 and len(out["yesterday"]["open311"]) == 24
    assert series.source_bucket("hydrology") == series.OTHER

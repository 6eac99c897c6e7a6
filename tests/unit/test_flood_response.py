"""The flood response level: the highest level any station state or flood alert in force gives; trends of stations."""

from __future__ import annotations

import pytest

from domain import events as ev
from domain import flood
from domain.projection import Projection
from domain.situation import KEY, situation

T = 1_795_000_000.0


@pytest.mark.parametrize(
    "warning, guarantee, level",
    [
        (0, 0, None),
        (1, 0, "IV"),
        (2, 0, "III"),
        (3, 0, "II"),
        (1, 1, "II"),
        (2, 2, "I"),
        (5, 0, "II"),
    ],
)
def test_stations_above_their_lines_give_the_level(warning, guarantee, level):
    assert flood.station_levels(warning, guarantee) == level


def _read(state, station, level, n):
    return state.apply(ev.StationReadingRecorded(f"r{station.id}{n}", T + 300 * n, station.id, level), state.seq + 1)


def _alert(state, severity, event="暴雨", expires=T + 3600):
    state.apply(
        ev.AlertIssued(
            f"cap:{severity}",
            T,
            f"A-{severity}",
            "气象台",
            "Alert",
            event,
            severity,
            "Expected",
            "Likely",
            f"{event}预警",
            "",
            "云湖区",
            sent=T,
            expires=expires,
        ),
        state.seq + 1,
    )


def test_one_station_above_warning_is_level_iv_and_one_above_guarantee_is_level_ii(district):
    state = Projection(district)
    a, b = list(district.stations.values())[:2]
    _read(state, a, a.warning_level + 0.05, 0)
    assert flood.response_level(state, T)["level"] == "IV"
    _read(state, b, b.guarantee_level + 0.01, 1)
    got = flood.response_level(state, T)
    assert (got["level"], got["above_warning"], got["above_guarantee"]) == ("II", 2, 1)


def test_a_red_rainstorm_alert_in_force_raises_the_level_to_i_and_its_expiry_lowers_it(district):
    state = Projection(district)
    _alert(state, "Extreme")
    assert flood.response_level(state, T)["level"] == "I"
    assert flood.response_level(state, T + 3600)["level"] is None


def test_an_alert_that_is_not_about_rain_or_flood_gives_no_flood_response(district):
    state = Projection(district)
    _alert(state, "Extreme", event="高温")
    assert flood.response_level(state, T)["level"] is None


def test_the_level_is_the_highest_of_stations_and_alerts(district):
    state = Projection(district)
    a = next(iter(district.stations.values()))
    _read(state, a, a.warning_level + 0.05, 0)
    _alert(state, "Moderate")
    got = flood.response_level(state, T)
    assert (got["by_stations"], got["by_alerts"], got["level"]) == ("IV", "III", "III")


@pytest.mark.parametrize(
    "levels, trend",
    [
        ((4.9,), "steady"),
        ((4.80, 4.85, 4.90), "rising"),
        ((5.0, 4.9), "falling"),
        ((4.90, 4.91, 4.90, 4.905), "steady"),
    ],
)
def test_a_trend_compares_the_latest_level_with_the_oldest_kept(levels, trend):
    assert flood.trend(levels) == trend


def test_a_station_keeps_only_its_last_four_levels_and_each_reading_marks_the_situation_changed(district):
    state = Projection(district)
    s = next(iter(district.stations.values()))
    changed = [_read(state, s, 4.0 + n / 10, n) for n in range(6)]
    assert state.stations[s.id].recent == pytest.approx((4.2, 4.3, 4.4, 4.5))
    assert all(KEY in keys for keys in changed)


def test_the_posture_is_the_newest_security_posture_broadcast_of_the_day(district):
    state = Projection(district)
    for n, (level, at) in enumerate((("high", T - 90000), ("elevated", T - 600), ("highest", T - 60))):
        state.apply(
            ev.BroadcastIssued(f"b{n}", at, f"B-{n}", "security_posture", level, "", ("T01",), "cmdr", at + 60), n + 1
        )
    state.apply(ev.BroadcastIssued("f", T, "B-f", "flood_response", "II", "", ("T01",), "cmdr", T + 60), 4)
    assert situation(state, T, 86400)["posture"]["level"] == "highest"
    assert situation(state, T + 86400 - 30, 86400)["posture"] is None

"""Office hours: a hall is open within its hours of the district's day, closed outside, and says when it flips next."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from domain import events as ev
from domain.halls import DAY_S, hall_open, open_changes, parse_hours, served_since
from domain.model import Hall
from domain.projection import Projection
from domain.report import report
from web import views

CST = timezone(timedelta(hours=8))
WEEKDAYS = parse_hours({"1-5": "09:00-17:00"})
WITH_SATURDAY = parse_hours({"1-5": "09:00-17:00", "6": "09:00-12:00"})


def _hall(hours=WEEKDAYS) -> Hall:
    return Hall("H01", "T01", "云湖街道便民服务中心", "Yunhu Service Center", 121.1, 31.1, 8, hours)


def _at(day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 11, day, hh, mm, tzinfo=CST)  # 2026-11-16 is a Monday


@pytest.mark.parametrize(
    "when, is_open",
    [
        (_at(16, 8, 59), False),
        (_at(16, 9, 0), True),
        (_at(18, 12, 30), True),
        (_at(20, 16, 59), True),
        (_at(20, 17, 0), False),
        (_at(18, 19, 6), False),
        (_at(21, 10, 0), False),
        (_at(22, 10, 0), False),
    ],
)
def test_a_township_hall_is_open_from_nine_to_five_on_weekdays_only(when, is_open):
    assert hall_open(_hall(), when) is is_open


def test_the_district_centre_is_also_open_on_saturday_morning():
    centre = _hall(WITH_SATURDAY)
    assert hall_open(centre, _at(21, 11, 59)) and not hall_open(centre, _at(21, 12, 0))
    assert not hall_open(centre, _at(22, 10, 0))


def test_a_hall_without_published_hours_is_never_shown_closed():
    assert hall_open(_hall(()), _at(22, 3, 0))
    assert open_changes(_hall(()), _at(22, 3).timestamp(), 8) == []


def test_the_next_changes_of_a_friday_afternoon_skip_the_weekend():
    changes = open_changes(_hall(), _at(20, 16, 0).timestamp(), 8)
    assert changes[:3] == [_at(20, 17).timestamp(), _at(23, 9).timestamp(), _at(23, 17).timestamp()]


def test_bad_hours_in_a_fixture_are_refused_with_their_text():
    with pytest.raises(ValueError, match="17:00-09:00"):
        parse_hours({"1-5": "17:00-09:00"})


def _served_around_midnight(district) -> tuple[Projection, str, float]:
    """Return a state whose first hall served two tickets before the 18th's midnight and two after it."""
    state = Projection(district)
    hall = next(iter(district.halls))
    midnight = _at(18, 0).timestamp()
    for n, at in enumerate((midnight - 3600, midnight - 60, midnight + 60, midnight + 7200)):
        state.apply(ev.HallTicketRecorded(f"i{n}", at, hall, "issued", f"A{n}"), n * 2 + 1)
        state.apply(ev.HallTicketRecorded(f"s{n}", at, hall, "served", f"A{n}"), n * 2 + 2)
    return state, hall, midnight


def test_served_today_counts_from_the_district_midnight_not_since_the_log_began(district):
    state, hall, midnight = _served_around_midnight(district)
    assert served_since(state.halls[hall], midnight) == 2
    assert state.halls[hall].served_today == 4


def test_a_days_report_counts_the_tickets_served_that_day_as_the_wall_does(district):
    state, hall, midnight = _served_around_midnight(district)
    now = midnight + 8 * 3600
    row = next(r for r in report(state, midnight, midnight + DAY_S, now)["halls"] if r["hall"] == hall)
    assert row["served"] == views.entity(state, f"hall:{hall}", now, 8)["served"] == 2


def test_a_district_an_hour_east_of_greenwich_starts_its_day_and_opens_its_halls_at_its_own_local_time(district):
    central_europe = replace(district, utc_offset_h=1.0)
    hall = next(h for h in district.halls.values() if h.hours == WEEKDAYS)
    state = Projection(central_europe)
    monday = datetime(2026, 11, 16, tzinfo=timezone(timedelta(hours=1)))  # the district's own midnight
    assert views.day_window(monday.timestamp() + 3600, central_europe.utc_offset_h)[0] == monday.timestamp()
    at_half_eight = monday.timestamp() + 8.5 * 3600  # 15:30 in China: the halls there are open
    entity = views.entity(state, f"hall:{hall.id}", at_half_eight, central_europe.utc_offset_h)
    assert entity["open"] is False and entity["open_changes"][0] == monday.timestamp() + 9 * 3600

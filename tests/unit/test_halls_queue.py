"""A hall's waiting queue: the tickets of the district's day not yet called; what a lost call leaves behind leaves too."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from domain import events as ev
from domain import halls
from domain.projection import Projection, replay
from domain.replay import checkpoint, moment
from domain.report import report
from domain.series import slots
from tests.unit.helpers import fold
from web import views

CST = timezone(timedelta(hours=8))
HALL = "H01"
LOST_EVERY = 4  # in the days fed below, every fourth ticket's call is lost
TICKETS_A_DAY = 40


def _at(day: int, hh: int, mm: int = 0, ss: int = 0) -> float:
    return datetime(2026, 11, day, hh, mm, ss, tzinfo=CST).timestamp()  # 2026-11-18 is a Wednesday


def _ticket(action: str, ticket: str, at: float) -> ev.HallTicketRecorded:
    return ev.HallTicketRecorded(f"{action}-{ticket}", at, HALL, action, ticket)


def _hall(state: Projection, now: float) -> dict:
    return views.entity(state, f"hall:{HALL}", now, 8)


def _report_row(state: Projection, day: int, now: float) -> dict:
    """Return the hall's row in the daily report of a day (of November), as of now."""
    rows = report(state, _at(day, 0), _at(day + 1, 0), now)["halls"]
    return next(r for r in rows if r["hall"] == HALL)


def _many_days(days: int) -> list[ev.HallTicketRecorded]:
    """Return a busy hall's days from 2026-11-01 on: tickets 09:00 to 16:48, each called 5 minutes later but
    every fourth, whose call is lost."""
    out = []
    for day in range(1, days + 1):
        for n in range(TICKETS_A_DAY):
            ticket, at = f"{day:02}-{n:03}", _at(1, 9) + (day - 1) * halls.DAY_S + n * 720
            out.append(_ticket("issued", ticket, at))
            if n % LOST_EVERY:
                out.append(_ticket("called", ticket, at + 300))
    return sorted(out, key=lambda e: e.at)


def test_a_ticket_issued_yesterday_and_never_called_is_not_waiting_today_on_the_wall_or_in_the_report(district):
    state = Projection(district)
    fold(
        state, [_ticket("issued", "A001", _at(17, 16, 30)), _ticket("issued", "A002", _at(18, 9, 5))]
    )  # A001's call lost
    now = _at(18, 10)
    hall, row = _hall(state, now), _report_row(state, 18, now)
    assert (hall["waiting"], hall["oldest_waiting_since"]) == (1, _at(18, 9, 5))
    assert (row["waiting"], row["longest_wait_s"]) == (1, 55 * 60.0)


def test_todays_tickets_not_yet_called_are_waiting_from_midnight_on_and_the_longest_wait_is_the_oldest_of_them(
    district,
):
    state = Projection(district)
    fold(
        state,
        [
            _ticket("issued", "Y999", _at(17, 23, 59, 59)),
            _ticket("issued", "A000", _at(18, 0)),
            _ticket("issued", "A001", _at(18, 9)),
            _ticket("issued", "A002", _at(18, 9, 10)),
            _ticket("called", "A000", _at(18, 9, 12)),
            _ticket("issued", "A003", _at(18, 9, 20)),
            _ticket("served", "A002", _at(18, 9, 25)),
        ],
    )
    now = _at(18, 9, 30)
    hall, row = _hall(state, now), _report_row(state, 18, now)
    assert (hall["waiting"], hall["oldest_waiting_since"]) == (2, _at(18, 9))  # A001 and A003
    assert (row["waiting"], row["longest_wait_s"]) == (2, 30 * 60.0)
    assert halls.waiting(state.halls[HALL], _at(18, 0)) == halls.Waiting(2, _at(18, 9))


def test_a_ticket_left_waiting_at_the_days_end_is_in_that_days_report_and_not_in_the_next_days(district):
    state = Projection(district)
    fold(state, [_ticket("issued", "A001", _at(17, 16, 30))])  # the hall closed on it
    assert (_report_row(state, 17, _at(18, 0))["waiting"], _report_row(state, 17, _at(18, 0))["longest_wait_s"]) == (
        1,
        7.5 * 3600,
    )
    assert (_report_row(state, 18, _at(18, 8))["waiting"], _hall(state, _at(18, 8))["waiting"]) == (0, 0)


def test_the_queue_chart_counts_only_todays_tickets_and_starts_the_day_empty(district):
    state = Projection(district)
    fold(state, [_ticket("issued", "A001", _at(17, 16, 30)), _ticket("issued", "A002", _at(18, 0, 25))])
    now = _at(18, 0, 45)
    queue = slots(state.hall_samples[HALL], _at(18, 0), now)
    assert queue == [0, 0, 1, 1, 1]  # slots ending 00:10, 00:20, 00:30, 00:40 and now
    assert queue[-1] == _hall(state, now)["waiting"]


def test_a_queue_fed_for_many_days_with_lost_calls_stays_bounded(district):
    state = Projection(district)
    events = _many_days(60)
    fold(state, events)
    lost_a_day = TICKETS_A_DAY // LOST_EVERY
    # Only the last day's lost tickets are kept (a day after its issue a ticket leaves), and they are waiting today.
    assert len(state.halls[HALL].waiting) == lost_a_day
    assert all(at >= events[-1].at - halls.DAY_S for _, at in state.halls[HALL].waiting)
    assert _hall(state, _at(1, 17) + 59 * halls.DAY_S)["waiting"] == lost_a_day


def test_a_replay_of_the_same_events_gives_the_live_queue_of_the_last_days_tickets(district):
    events = _many_days(10)
    pairs = list(enumerate(events, 1))
    live = Projection(district)
    half = len(pairs) // 2
    for seq, e in pairs[:half]:
        live.apply(e, seq)
    at_half, t_half = checkpoint(live), events[half - 1].at
    for seq, e in pairs[half:]:
        live.apply(e, seq)
    resumed = checkpoint(at_half)  # a start from a snapshot taken half way
    for seq, e in pairs[half:]:
        resumed.apply(e, seq)
    full = replay(district, pairs)
    assert full.halls == resumed.halls == live.halls and full.hall_samples == resumed.hall_samples == live.hall_samples
    assert moment(district, pairs, t_half).halls == at_half.halls
    lost = [(f"10-{n:03}", _at(10, 9) + n * 720) for n in range(0, TICKETS_A_DAY, LOST_EVERY)]
    assert live.halls[HALL].waiting == tuple(lost)


def test_a_district_an_hour_east_of_greenwich_samples_its_queue_chart_in_its_own_day_not_chinas(district):
    central_europe = replace(district, utc_offset_h=1.0)
    late = datetime(2026, 11, 18, 22, 30, tzinfo=UTC).timestamp()  # 23:30 there, 06:30 of the 19th in China
    state = Projection(central_europe)
    fold(state, [_ticket("issued", "A001", late), _ticket("issued", "A002", late + 3600)])  # A001's call lost
    # At 00:30 of the 19th there, A001 is yesterday's: one waits (in China's day, both would: 2).
    assert state.hall_samples[HALL][-1] == (late + 3600, 1)
    assert views.entity(state, f"hall:{HALL}", late + 3600, central_europe.utc_offset_h)["waiting"] == 1

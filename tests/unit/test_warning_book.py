"""The warning book: its bounded counts, warnings raised and acknowledged as events, in force, and in a replay."""

from __future__ import annotations

import pytest

from domain import events as ev
from domain.errors import Rejected
from domain.model import Actor, Role
from domain.projection import Projection
from domain.replay import checkpoint, moment
from domain.warnbook import acknowledge, due_warnings
from domain.warning import HOUR, WarningPolicy
from tests.unit.helpers import COMMANDER, fold, room
from tests.unit.warnings_log import DAY0, anchor, at, reports, state_of
from web import views

POLICY = WarningPolicy()


def raised(district):
    """Return a state whose T03 waterlogging raised its hour's and its day's warning at 10:30, and its log."""
    state = Projection(district)
    log = fold(state, anchor() + reports(5, at(0, 10, 5)))
    return state, log + fold(state, due_warnings(state, at(0, 10, 30), POLICY))


def warning_ids(log) -> list[str]:
    """Return the ids of the warnings a log raised, the hour's first."""
    return sorted((e.warning_id for e in log if isinstance(e, ev.WarningRaised)), key=lambda w: HOUR not in w)


def shown(state, now, scope="all") -> dict[str, dict]:
    """Return the warning entities a scope's screen is sent at a moment, by id."""
    return {e["id"]: e for e in views.snapshot(state, now, 8, scope)["entities"] if e["kind"] == "warning"}


def test_the_books_keep_the_last_ten_days_of_hours_and_days_and_drop_older_ones_as_reports_come(district):
    state = state_of(district, *(reports(1, at(back, 12)) for back in range(15, -1, -1)))  # noon, days d-15 .. d
    today = int(DAY0 + 8 * 3600) // 86400
    assert sorted(d for d, _, _ in state.report_days) == list(range(today - 9, today + 1))
    assert sorted(h for h, _, _ in state.report_hours) == [(today - back) * 24 + 12 for back in range(9, -1, -1)]


def test_a_report_counted_twice_by_its_source_counts_once(district):
    state = Projection(district)
    (report,) = reports(1, at(0, 9))
    fold(state, [report, report])
    assert list(state.report_hours.values()) == list(state.report_days.values()) == [1]


def test_a_raised_warning_shows_the_reports_that_keep_coming_in_its_period(district):
    state, log = raised(district)
    hour_id = warning_ids(log)[0]
    changed = set().union(*(state.apply(e, state.seq + 1) for e in reports(2, at(0, 10, 40))))
    assert f"warning:{hour_id}" in changed
    entity = shown(state, at(0, 10, 41))[hour_id]
    assert (entity["count"], entity["raised_count"], entity["usual"], entity["ratio"]) == (7, 5, 0.0, None)


def test_the_center_and_the_township_concerned_see_a_warning_and_other_townships_do_not(district):
    state, _ = raised(district)
    assert len(shown(state, at(0, 10, 31))) == len(shown(state, at(0, 10, 31), "T03")) == 2
    assert shown(state, at(0, 10, 31), "T01") == {}


def test_a_warning_stays_on_the_screens_until_acknowledged_and_its_period_over(district):
    state, log = raised(district)
    hour_id = warning_ids(log)[0]
    assert hour_id in shown(state, at(0, 14))  # its hour is over, nobody acknowledged it
    fold(state, acknowledge(state, COMMANDER, hour_id, "cmd:ack1", at(0, 14, 5)))
    assert hour_id not in shown(state, at(0, 14, 6))
    fresh, _ = raised(district)
    fold(fresh, acknowledge(fresh, COMMANDER, hour_id, "cmd:ack2", at(0, 10, 35)))
    assert hour_id in shown(fresh, at(0, 10, 59)) and hour_id not in shown(fresh, at(0, 11))


def test_acknowledging_needs_a_console_role_a_known_warning_and_only_once(district):
    state, log = raised(district)
    wid = warning_ids(log)[0]
    with pytest.raises(Rejected) as refused:
        acknowledge(state, room("T03"), wid, "cmd:a", at(0, 11))
    assert refused.value.code == "forbidden"
    with pytest.raises(Rejected) as unknown:
        acknowledge(state, Actor("lead", Role.DUTY_LEADER), "warn:hour:1:T03:noise", "cmd:b", at(0, 11))
    assert unknown.value.code == "unknown_warning"
    (ack,) = fold(state, acknowledge(state, COMMANDER, wid, "cmd:c", at(0, 11), "  checked  "))
    assert (ack.actor, ack.note) == ("cmdr", "checked")
    with pytest.raises(Rejected) as again:
        acknowledge(state, COMMANDER, wid, "cmd:d", at(0, 11, 1))
    assert again.value.code == "warning_acknowledged"


def test_a_replay_shows_the_warning_and_its_acknowledgement_after_them_and_not_before(district):
    state, log = raised(district)
    wid = warning_ids(log)[0]
    log = list(enumerate(log + fold(state, acknowledge(state, COMMANDER, wid, "cmd:ack", at(0, 10, 45))), 1))
    assert shown(moment(district, log, at(0, 10, 29)), at(0, 10, 29)) == {}
    before_ack = shown(moment(district, log, at(0, 10, 40)), at(0, 10, 40))
    assert before_ack[wid]["acked_at"] is None
    after_ack = shown(moment(district, log, at(0, 10, 50)), at(0, 10, 50))
    assert (after_ack[wid]["acked_at"], after_ack[wid]["acked_by"]) == (at(0, 10, 45), "cmdr")


def test_a_checkpoints_books_and_warnings_are_its_own(district):
    state, log = raised(district)
    wid, copy = warning_ids(log)[0], checkpoint(state)
    fold(state, reports(3, at(0, 10, 50)) + acknowledge(state, COMMANDER, wid, "cmd:x", at(0, 10, 55)))
    assert copy.warnings[wid].acked_at is None
    assert sum(copy.report_hours.values()) == sum(state.report_hours.values()) - 3


def test_the_clock_re_sends_the_warnings_so_one_leaves_the_screens_when_its_period_ends(district):
    state, log = raised(district)
    assert {f"warning:{w}" for w in warning_ids(log)} <= views.timed_keys(state)

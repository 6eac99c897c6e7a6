"""SLA deadlines and breaches at their exact boundaries; per-category overrides."""

from __future__ import annotations

import pytest

from domain.dispatch import advance_order, breaches, issue_order
from domain.sla import SlaPolicy, status
from tests.conftest import T0
from tests.unit.helpers import COMMANDER, fold, room, with_incident

ISSUED = T0 + 10


DEFAULT_POLICY = SlaPolicy()


def ordered(district, policy=DEFAULT_POLICY, category="noise"):
    state, iid = with_incident(district, T0, category)
    fold(state, issue_order(state, policy, COMMANDER, iid, "T01-A", "cmd:issue", ISSUED))
    return state, iid


def test_a_step_done_exactly_at_its_deadline_is_on_time_and_a_moment_later_is_late(district):
    state, iid = ordered(district)
    on_time = advance_order(state, room("T01"), iid, "sign", "cmd:s", ISSUED + 60)[0]
    late = advance_order(state, room("T01"), iid, "sign", "cmd:s", ISSUED + 60.001)[0]
    assert (on_time.late, late.late) == (False, True)


def test_no_breach_at_the_deadline_and_one_just_after(district):
    state, iid = ordered(district)
    assert breaches(state, ISSUED + 60) == []
    found = breaches(state, ISSUED + 60.5)
    assert [(b.step, b.deadline) for b in found] == [("sign", ISSUED + 60)]


def test_a_breach_is_appended_once_per_stage_not_once_per_tick(district):
    state, iid = ordered(district)
    fold(state, breaches(state, ISSUED + 61))
    assert breaches(state, ISSUED + 62) == []
    assert state.incidents[iid].order.breached == ("sign",)


def test_every_undone_stage_past_its_deadline_breaches_and_done_stages_do_not(district):
    state, iid = ordered(district)
    fold(state, advance_order(state, room("T01"), iid, "sign", "cmd:s", ISSUED + 30))
    assert [b.step for b in breaches(state, ISSUED + 181)] == ["respond", "route"]


def test_breach_event_ids_are_stable_so_a_second_ticker_adds_nothing(district):
    state, iid = ordered(district)
    assert breaches(state, ISSUED + 61)[0].event_id == breaches(state, ISSUED + 99)[0].event_id


def test_per_category_overrides_change_only_their_stages():
    policy = SlaPolicy.from_dict({"default": {"sign": 30}, "categories": {"gas_leak": {"on_site": 300}}})
    assert policy.deadlines("noise", 0) == {"sign": 30, "respond": 120, "route": 180, "on_site": 600}
    assert policy.deadlines("gas_leak", 0) == {"sign": 30, "respond": 120, "route": 180, "on_site": 300}


@pytest.mark.parametrize("raw", [{"default": {"lunch": 5}}, {"categories": {"noise": {"sign": 0}}}])
def test_a_policy_with_unknown_stages_or_non_positive_targets_is_refused(raw):
    with pytest.raises(ValueError):
        SlaPolicy.from_dict(raw)


def test_status_goes_waiting_ok_warning_breached_handling(district):
    state, iid = with_incident(district, T0)
    assert status(state.incidents[iid], T0) == "waiting"
    state, iid = ordered(district)
    inc = state.incidents[iid]
    assert [status(inc, ISSUED + dt) for dt in (0, 44, 45, 60, 60.1)] == ["ok", "ok", "warning", "warning", "breached"]
    for i, step in enumerate(("sign", "respond", "route", "on_site")):
        fold(state, advance_order(state, room("T01"), iid, step, f"cmd:{step}", ISSUED + i + 1))
    assert status(state.incidents[iid], ISSUED + 5) == "handling"

"""After the order: room picks its team, transfer, feedback, reopen, close, cancel, merge, escalate."""

from __future__ import annotations

import pytest

from domain.dispatch import advance_order, breaches, issue_order
from domain.errors import Rejected
from domain.lifecycle import (
    cancel_incident,
    close_incident,
    escalations,
    merge_candidates,
    merge_incidents,
    record_feedback,
    transfer_order,
)
from domain.model import Stage
from domain.sla import SlaPolicy
from tests.conftest import T0
from tests.unit.helpers import COMMANDER, fold, room, with_incident

POLICY = SlaPolicy.from_dict({"escalate_after": 60})


def resolved(district):
    state, iid = with_incident(district, T0)
    fold(state, issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:o", T0))
    for i, step in enumerate(("sign", "respond", "route", "on_site", "resolve")):
        fold(state, advance_order(state, room("T01"), iid, step, f"cmd:{step}", T0 + i, note="修好了"))
    return state, iid


def test_an_order_to_a_township_room_has_no_team_until_the_room_routes_it_to_one(district):
    state, iid = with_incident(district, T0)
    fold(state, issue_order(state, POLICY, COMMANDER, iid, "", "cmd:o", T0, township="T01"))
    fold(state, advance_order(state, room("T01"), iid, "sign", "cmd:s", T0 + 1))
    fold(state, advance_order(state, room("T01"), iid, "respond", "cmd:r", T0 + 2))
    with pytest.raises(Rejected, match="team_required"):
        advance_order(state, room("T01"), iid, "route", "cmd:x", T0 + 3)
    other = next(t for t in district.teams.values() if t.township != "T01")
    with pytest.raises(Rejected, match="out_of_scope"):
        advance_order(state, room("T01"), iid, "route", "cmd:x", T0 + 3, team_id=other.id)
    fold(state, advance_order(state, room("T01"), iid, "route", "cmd:x", T0 + 3, team_id="T01-A"))
    assert state.incidents[iid].order.team_id == "T01-A" and state.team_busy["T01-A"] == iid


def test_resolving_needs_a_result_note(district):
    state, iid = with_incident(district, T0)
    fold(state, issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:o", T0))
    for step in ("sign", "respond", "route", "on_site"):
        fold(state, advance_order(state, room("T01"), iid, step, f"cmd:{step}", T0))
    with pytest.raises(Rejected, match="note_required"):
        advance_order(state, room("T01"), iid, "resolve", "cmd:res", T0, note="  ")


def test_resolving_says_how_it_ended_and_an_unknown_ending_is_refused(district):
    state, iid = with_incident(district, T0)
    fold(state, issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:o", T0))
    for step in ("sign", "respond", "route", "on_site"):
        fold(state, advance_order(state, room("T01"), iid, step, f"cmd:{step}", T0))
    with pytest.raises(Rejected, match="unknown_outcome"):
        advance_order(state, room("T01"), iid, "resolve", "cmd:res", T0, note="调解", outcome="prison")
    fold(
        state,
        advance_order(state, room("T01"), iid, "resolve", "cmd:res", T0, note="转司法调解", outcome="court_mediation"),
    )
    assert state.incidents[iid].order.outcome == "court_mediation"


def test_a_transfer_to_another_township_gives_it_a_new_order_on_a_new_clock(district):
    state, iid = with_incident(district, T0)
    fold(state, issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:o", T0))
    fold(state, transfer_order(state, POLICY, room("T01"), iid, "cmd:t", T0 + 30, "在城东辖区", to_township="T02"))
    inc = state.incidents[iid]
    assert (inc.stage, inc.order.township, inc.order.team_id, inc.order.issued_at) == (
        Stage.ORDERED,
        "T02",
        "",
        T0 + 30,
    )
    assert inc.order.deadlines["sign"] == T0 + 90 and inc.history[-1].township == "T01"
    assert "T01-A" not in state.team_busy


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"reason": ""}, "reason_required"),
        ({"reason": "x"}, "transfer_target_required"),
        ({"reason": "x", "to_township": "T01"}, "unknown_township"),
    ],
)
def test_a_transfer_needs_a_reason_and_one_other_target(district, kwargs, code):
    state, iid = with_incident(district, T0)
    fold(state, issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:o", T0))
    with pytest.raises(Rejected, match=code):
        transfer_order(state, POLICY, room("T01"), iid, "cmd:t", T0, **kwargs)


def test_a_transfer_to_a_department_ends_the_incident_for_the_district(district):
    state, iid = with_incident(district, T0)
    fold(state, issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:o", T0))
    fold(state, transfer_order(state, POLICY, room("T01"), iid, "cmd:t", T0, "属燃气公司", to_department="燃气公司"))
    assert state.incidents[iid].stage is Stage.TRANSFERRED and not state.team_busy


def test_satisfied_feedback_then_close_ends_the_incident(district):
    state, iid = resolved(district)
    with pytest.raises(Rejected, match="feedback_required"):
        close_incident(state, COMMANDER, iid, "cmd:c", T0 + 9)
    fold(state, record_feedback(state, COMMANDER, iid, "satisfied", "cmd:f", T0 + 9))
    fold(state, close_incident(state, COMMANDER, iid, "cmd:c", T0 + 10))
    assert state.incidents[iid].stage is Stage.CLOSED and state.incidents[iid].feedback == "satisfied"


def test_unsatisfied_feedback_reopens_the_incident_for_a_new_order(district):
    state, iid = resolved(district)
    fold(state, record_feedback(state, COMMANDER, iid, "unsatisfied", "cmd:f", T0 + 9, note="噪音仍在"))
    inc = state.incidents[iid]
    assert (inc.stage, inc.order, inc.reopened, len(inc.history)) == (Stage.NEW, None, 1, 1)
    fold(state, issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:o2", T0 + 20))
    assert state.incidents[iid].order.id.endswith("-2")


@pytest.mark.parametrize("result,code", [("meh", "unknown_feedback")])
def test_feedback_must_be_one_of_satisfied_unsatisfied_unreached(district, result, code):
    state, iid = resolved(district)
    with pytest.raises(Rejected, match=code):
        record_feedback(state, COMMANDER, iid, result, "cmd:f", T0)


def test_feedback_before_resolve_or_by_a_township_is_refused(district):
    state, iid = with_incident(district, T0)
    with pytest.raises(Rejected, match="not_resolved"):
        record_feedback(state, COMMANDER, iid, "satisfied", "cmd:f", T0)
    state, iid = resolved(district)
    with pytest.raises(Rejected, match="forbidden"):
        record_feedback(state, room("T01"), iid, "satisfied", "cmd:f", T0)


def test_cancel_needs_a_reason_and_frees_the_team(district):
    state, iid = with_incident(district, T0)
    fold(state, issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:o", T0))
    with pytest.raises(Rejected, match="reason_required"):
        cancel_incident(state, COMMANDER, iid, "cmd:x", T0, " ")
    fold(state, cancel_incident(state, COMMANDER, iid, "cmd:x", T0, "重复来电"))
    assert state.incidents[iid].stage is Stage.CANCELLED and not state.team_busy
    with pytest.raises(Rejected, match="not_open"):
        cancel_incident(state, COMMANDER, iid, "cmd:y", T0, "again")


def test_a_merged_duplicate_points_to_the_incident_it_repeats(district):
    state, first = with_incident(district, T0, source_id="110-A")
    other, second = with_incident(district, T0 + 60, source_id="GRID-B")
    state.incidents[second] = other.incidents[second]
    assert [i.id for i in merge_candidates(state, first, 300, 900)] == [second]
    fold(state, merge_incidents(state, COMMANDER, second, first, "cmd:m", T0 + 70, "同一事件"))
    assert state.incidents[second].stage is Stage.MERGED and state.incidents[first].merged == (second,)
    assert merge_candidates(state, first, 300, 900) == []
    with pytest.raises(Rejected, match="merge_into_itself"):
        merge_incidents(state, COMMANDER, first, first, "cmd:n", T0, "x")


def test_merge_candidates_need_the_same_category_and_nearness_in_place_and_time(district):
    state, first = with_incident(district, T0, "noise", source_id="A")
    for sid, cat, dt in (("B", "garbage", 0), ("C", "noise", 5000)):
        other, oid = with_incident(district, T0 + dt, cat, source_id=sid)
        state.incidents[oid] = other.incidents[oid]
    assert merge_candidates(state, first, 300, 900) == []


def test_a_breach_left_undone_escalates_once_after_the_interval(district):
    state, iid = with_incident(district, T0)
    fold(state, issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:o", T0))
    fold(state, breaches(state, T0 + 61))
    assert escalations(state, POLICY, T0 + 120) == []
    found = fold(state, escalations(state, POLICY, T0 + 121))
    assert [e.step for e in found] == ["sign"] and state.incidents[iid].escalated == ("sign",)
    assert "sign" not in [e.step for e in escalations(state, POLICY, T0 + 500)]  # once, not once per tick

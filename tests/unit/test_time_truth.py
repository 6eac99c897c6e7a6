"""Nothing late looks on time: the dispatch clock, breached orders, stage verdicts, ranks and suggestions."""

from __future__ import annotations

import pytest

from domain import dispatch, lifecycle
from domain.kpi import rank
from domain.sla import SlaPolicy, stage_verdict, status
from tests.unit.helpers import COMMANDER, fold, room, with_incident

T0 = 1_795_000_000.0
POLICY = SlaPolicy()


def test_the_dispatch_clock_runs_from_receipt_by_priority_and_warns_then_breaches(district):
    state, iid = with_incident(district, T0, category="gas_leak")  # priority 1: 60 s
    inc = state.incidents[iid]
    assert (inc.dispatch_since, inc.dispatch_due) == (T0, T0 + 60)
    assert [status(inc, T0 + s) for s in (0, 45, 60, 61)] == [
        "waiting",
        "waiting_warning",
        "waiting_warning",
        "waiting_late",
    ]


def test_a_dispatch_breach_is_appended_once_per_round_and_escalates_after_the_interval(district):
    state, iid = with_incident(district, T0, category="gas_leak")
    assert dispatch.breaches(state, T0 + 60) == []
    fold(state, dispatch.breaches(state, T0 + 61))
    assert state.incidents[iid].dispatch_breached and dispatch.breaches(state, T0 + 62) == []
    assert lifecycle.escalations(state, POLICY, T0 + 180) == []
    escalated = lifecycle.escalations(state, POLICY, T0 + 181)
    assert [(e.event_id, e.step) for e in escalated] == [(f"esc:{iid}:dispatch:0", "dispatch")]


def test_an_order_with_a_late_stage_stays_breached_though_its_current_step_is_in_time(district):
    state, iid = with_incident(district, T0)
    fold(state, dispatch.issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:order", T0))
    fold(state, dispatch.advance_order(state, room("T01"), iid, "sign", "cmd:sign", T0 + 61))  # 1 s late
    inc = state.incidents[iid]
    assert status(inc, T0 + 62) == "breached"  # respond is due at T0+120: its own clock is fine
    assert stage_verdict(inc.order, "sign", T0 + 62) is False and stage_verdict(inc.order, "respond", T0 + 62) is None


def test_a_stage_done_exactly_at_its_deadline_is_on_time_and_an_undone_one_is_late_only_past_it(district):
    state, iid = with_incident(district, T0)
    fold(state, dispatch.issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:order", T0))
    order = state.incidents[iid].order
    assert [stage_verdict(order, "sign", T0 + s) for s in (60, 61)] == [None, False]
    fold(state, dispatch.advance_order(state, room("T01"), iid, "sign", "cmd:sign", T0 + 60))
    assert stage_verdict(state.incidents[iid].order, "sign", T0 + 999) is True


def test_a_transferred_order_is_judged_at_its_transfer_not_later(district):
    state, iid = with_incident(district, T0)
    fold(state, dispatch.issue_order(state, POLICY, COMMANDER, iid, "T01-A", "cmd:order", T0))
    fold(
        state,
        lifecycle.transfer_order(state, POLICY, room("T01"), iid, "cmd:tr", T0 + 30, "not ours", to_township="T02"),
    )
    first = state.incidents[iid].history[-1]
    assert first.ended_at == T0 + 30 and stage_verdict(first, "sign", T0 + 9999) is None
    assert state.incidents[iid].order.township == "T02" and state.incidents[iid].order.dispatch_due is None


@pytest.mark.parametrize("raw", [{"dispatch": {"4": 30}}, {"dispatch": {"1": 0}}, {"dispatch": {"x": 1}}])
def test_a_bad_dispatch_target_in_the_policy_file_is_refused_with_its_reason(raw):
    with pytest.raises(ValueError, match="dispatch"):
        SlaPolicy.from_dict(raw)


def test_dispatch_targets_come_from_the_policy_file_and_default_per_priority():
    assert SlaPolicy.from_dict({"dispatch": {"1": 30}}).dispatch_s == {1: 30.0, 2: 180.0, 3: 600.0}


def test_ties_share_a_rank_and_a_township_with_no_decided_order_has_none():
    rows = [
        {"id": "T03", "on_time_rate": 0.5, "completion_rate": 1.0},
        {"id": "T01", "on_time_rate": None, "completion_rate": None},
        {"id": "T02", "on_time_rate": 1.0, "completion_rate": 0.5},
        {"id": "T04", "on_time_rate": 1.0, "completion_rate": 0.5},
    ]
    assert [(r["id"], r["rank"]) for r in rank(rows)] == [("T02", 1), ("T04", 1), ("T03", 3), ("T01", None)]


def test_teams_that_can_be_on_site_in_time_come_first_and_none_fitting_is_told(district):
    state, iid = with_incident(district, T0, township="T09")
    inc = state.incidents[iid]
    ranked = dispatch.rank_teams(state, inc, 25.0, on_site_s=600)
    fits = [s.fits for s in ranked]
    assert fits[0] and fits == sorted(fits, reverse=True)
    assert all(s.fits == (s.eta_s <= 600) for s in ranked)
    assert not any(s.fits for s in dispatch.rank_teams(state, inc, 25.0, on_site_s=1))

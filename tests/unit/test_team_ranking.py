"""Suggested teams: the incident's township first, then its neighbours; the right kind before comprehensive."""

from __future__ import annotations

from domain.dispatch import issue_order, rank_teams
from domain.sla import SlaPolicy
from tests.conftest import T0
from tests.unit.helpers import COMMANDER, fold, with_incident


def test_only_teams_of_the_categorys_kind_or_comprehensive_are_suggested(district):
    state, iid = with_incident(district, T0, "waterlogging", "T01")
    kinds = {s.team.kind for s in rank_teams(state, state.incidents[iid])}
    assert kinds <= {"water", "comprehensive"}


def test_the_incidents_own_township_comes_first_then_neighbours_then_the_rest(district):
    state, iid = with_incident(district, T0, "waterlogging", "T01")
    ranked = rank_teams(state, state.incidents[iid])
    near = district.neighbours["T01"]
    tiers = [0 if s.team.township == "T01" else 1 if s.team.township in near else 2 for s in ranked]
    assert ranked[0].team.township == "T01" and tiers == sorted(tiers)


def test_within_a_tier_the_exact_kind_comes_before_comprehensive_and_then_the_nearest(district):
    state, iid = with_incident(district, T0, "waterlogging", "T01")
    ranked = [
        s
        for s in rank_teams(state, state.incidents[iid])
        if s.team.township != "T01" and s.team.township in district.neighbours["T01"]
    ]
    keys = [(not s.exact_kind, s.distance_m) for s in ranked]
    assert keys == sorted(keys)


def test_a_busy_team_is_not_suggested_and_eta_follows_the_speed(district):
    state, iid = with_incident(district, T0, "noise", "T01")
    first = rank_teams(state, state.incidents[iid], speed_kmh=36)[0]
    assert abs(first.eta_s - first.distance_m / 10) < 1e-6
    fold(state, issue_order(state, SlaPolicy(), COMMANDER, iid, first.team.id, "cmd:1", T0))
    state2, iid2 = with_incident(district, T0, "noise", "T01", source_id="other")
    state.incidents[iid2] = state2.incidents[iid2]
    assert first.team.id not in {s.team.id for s in rank_teams(state, state.incidents[iid2])}

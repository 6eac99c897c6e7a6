"""The order lifecycle: every legal step in order, every illegal one refused with its reason."""

from __future__ import annotations

import pytest

from domain.dispatch import advance_order, incident_id_for, issue_order, rank_teams
from domain.errors import Rejected
from domain.intake import Report, report_incident
from domain.model import STEPS, Actor, Role, Stage
from domain.sla import SlaPolicy
from tests.conftest import T0
from tests.unit.helpers import COMMANDER, fold, room, with_incident

POLICY = SlaPolicy()


def ordered(district, category="noise"):
    state, iid = with_incident(district, T0, category)
    team = rank_teams(state, state.incidents[iid])[0].team
    fold(state, issue_order(state, POLICY, COMMANDER, iid, team.id, "cmd:issue", T0 + 30))
    return state, iid, team


def test_issuing_an_order_starts_the_clock_at_issue_with_the_default_1_2_3_10_deadlines(district):
    state, iid, team = ordered(district)
    order = state.incidents[iid].order
    assert state.incidents[iid].stage is Stage.ORDERED
    assert order.team_id == team.id and order.issued_at == T0 + 30
    assert order.deadlines == {"sign": T0 + 90, "respond": T0 + 150, "route": T0 + 210, "on_site": T0 + 630}
    assert state.team_busy[team.id] == iid


def test_the_steps_go_sign_respond_route_on_site_resolve_and_each_sets_its_stage(district):
    state, iid, team = ordered(district)
    operator = room(team.township)
    reached = []
    for i, step in enumerate(STEPS):
        fold(state, advance_order(state, operator, iid, step, f"cmd:{step}", T0 + 40 + i, note="已处理"))
        reached.append(state.incidents[iid].stage)
    assert reached == [Stage.SIGNED, Stage.RESPONDED, Stage.ROUTED, Stage.ON_SITE, Stage.RESOLVED]
    assert state.incidents[iid].order.done == {s: T0 + 40 + i for i, s in enumerate(STEPS)}
    assert team.id not in state.team_busy  # the team is free again


@pytest.mark.parametrize(
    "done,attempt,code",
    [
        ([], "respond", "step_out_of_order"),
        ([], "resolve", "step_out_of_order"),
        (["sign"], "sign", "step_already_done"),
        (["sign"], "route", "step_out_of_order"),
        (["sign", "respond", "route"], "resolve", "step_out_of_order"),
        ([], "fly", "unknown_step"),
    ],
)
def test_a_step_out_of_order_or_repeated_is_refused_with_its_reason(district, done, attempt, code):
    state, iid, team = ordered(district)
    for step in done:
        fold(state, advance_order(state, room(team.township), iid, step, f"cmd:{step}", T0 + 40))
    with pytest.raises(Rejected) as err:
        advance_order(state, room(team.township), iid, attempt, "cmd:x", T0 + 50)
    assert err.value.code == code


def test_an_incident_cannot_be_ordered_twice(district):
    state, iid, team = ordered(district)
    other = next(t for t in district.teams.values() if t.id != team.id)
    with pytest.raises(Rejected, match="already_ordered"):
        issue_order(state, POLICY, COMMANDER, iid, other.id, "cmd:again", T0 + 31)


def test_a_busy_team_cannot_take_a_second_order(district):
    state, iid, team = ordered(district)
    t = district.townships["T01"]
    fold(state, report_incident(state, Report("12345", "B2", "noise", t.lon, t.lat, T0), "T01", T0))
    iid2 = incident_id_for("12345", "B2")
    with pytest.raises(Rejected, match="team_busy"):
        issue_order(state, POLICY, COMMANDER, iid2, team.id, "cmd:second", T0 + 31)


def test_an_unknown_incident_or_team_is_refused(district):
    state, iid = with_incident(district, T0)
    with pytest.raises(Rejected, match="unknown_incident"):
        issue_order(state, POLICY, COMMANDER, "nope", "T01-A", "cmd:1", T0)
    with pytest.raises(Rejected, match="unknown_team"):
        issue_order(state, POLICY, COMMANDER, iid, "nope", "cmd:1", T0)


def test_stepping_an_incident_without_an_order_is_refused(district):
    state, iid = with_incident(district, T0)
    with pytest.raises(Rejected, match="no_active_order"):
        advance_order(state, COMMANDER, iid, "sign", "cmd:1", T0)


@pytest.mark.parametrize(
    "actor",
    [
        Actor("wall", Role.WALL),
        Actor("sys", Role.SYSTEM),
        Actor("adm", Role.ADMIN),
        Actor("room", Role.TOWNSHIP, "T01"),
    ],
)
def test_only_commanders_and_duty_leaders_issue_orders(district, actor):
    state, iid = with_incident(district, T0)
    with pytest.raises(Rejected, match="forbidden"):
        issue_order(state, POLICY, actor, iid, "T01-A", "cmd:1", T0)


def test_a_township_operator_cannot_step_another_townships_order(district):
    state, iid, team = ordered(district)
    other = next(t for t in district.townships if t != team.township)
    with pytest.raises(Rejected, match="out_of_scope"):
        advance_order(state, room(other), iid, "sign", "cmd:1", T0 + 40)
    with pytest.raises(Rejected, match="forbidden"):
        advance_order(state, Actor("wall", Role.WALL), iid, "sign", "cmd:1", T0 + 40)

"""Decide commands: rank teams, issue and advance orders, find breaches; each returns events."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from domain import events as ev
from domain import positions
from domain.access import authorize, authorize_incident
from domain.catalog import CATEGORIES, FALLBACK_TEAM_KIND
from domain.errors import Rejected
from domain.model import BY_ROOM, OUTCOMES, STEPS, TEAM_STEPS, Actor, Fix, Incident, Order, Role, Stage, Team
from domain.positions import SITE, SitePolicy, distance_m
from domain.sla import SlaPolicy, due_breaches, due_dispatch_breaches
from domain.state import State

MAX_PHOTOS = 6  # evidence photos a step carries
DEFAULT_SPEED_KMH = 25.0  # urban driving with stops; a setting overrides it
_blake2b = hashlib.blake2b  # bound once: incident_id_for runs for every record ingested


@dataclass(frozen=True)
class Suggestion:
    """A team that could take an incident, and how far it is."""

    team: Team
    distance_m: float
    eta_s: float
    same_township: bool
    exact_kind: bool
    fits: bool = True  # its ETA is within the on-site target: it can be there in time


def incident_id_for(source: str, source_id: str) -> str:
    """Return the stable incident id of a source record, so a redelivery maps to the same incident."""
    return "I" + _blake2b(f"{source}:{source_id}".encode(), digest_size=6).hexdigest().upper()


def rank_teams(
    state: State,
    incident: Incident,
    speed_kmh: float = DEFAULT_SPEED_KMH,
    on_site_s: float | None = None,
    now: float | None = None,
) -> list[Suggestion]:
    """Rank free teams: those that can be on site within on_site_s first; then own township, neighbours,
    the district; exact kind before comprehensive; then distance, from where each team is at now (its fresh
    fix, else its base; from its base when no time is given)."""
    district = state.district
    kind = CATEGORIES[incident.category].team_kind if incident.category in CATEGORIES else FALLBACK_TEAM_KIND
    near = {incident.township} | set(district.neighbours.get(incident.township or "", ()))
    ranked = []
    for team in district.teams.values():
        if team.id in state.team_busy or team.kind not in (kind, FALLBACK_TEAM_KIND):
            continue
        fix = state.team_fix.get(team.id) if now is not None else None
        lon, lat = positions.where(team.lon, team.lat, fix, now or 0.0)
        d = distance_m(incident.lon, incident.lat, lon, lat)
        eta = d / (speed_kmh / 3.6)
        ranked.append(
            Suggestion(
                team,
                d,
                eta,
                team.township == incident.township,
                team.kind == kind,
                on_site_s is None or eta <= on_site_s,
            )
        )

    def key(s: Suggestion) -> tuple[bool, bool, bool, bool, float, str]:
        return (not s.fits, not s.same_township, s.team.township not in near, not s.exact_kind, s.distance_m, s.team.id)

    return sorted(ranked, key=key)


def issue_order(
    state: State,
    policy: SlaPolicy,
    actor: Actor,
    incident_id: str,
    team_id: str,
    command_id: str,
    now: float,
    township: str = "",
) -> list[ev.Event]:
    """Order a team (or, with no team, a township room that picks its own) to handle an incident."""
    authorize(actor, "issue_order")
    inc = _incident(state, incident_id)
    if inc.stage is not Stage.NEW:
        raise Rejected("already_ordered", incident=incident_id)
    if team_id:
        township = check_free_team(state, team_id, inc.id).township
    elif township not in state.district.townships:
        raise Rejected("unknown_township", township=township or "-")
    return [order_issued(inc, policy, actor, team_id, township, command_id, now)]


def order_issued(
    inc: Incident, policy: SlaPolicy, actor: Actor, team_id: str, township: str, event_id: str, now: float
) -> ev.OrderIssued:
    """Return the OrderIssued event of a new order on an incident; its clock starts now."""
    number = len(inc.history) + (2 if inc.order else 1)
    return ev.OrderIssued(
        event_id=event_id,
        at=now,
        incident_id=inc.id,
        order_id=f"{inc.id}-{number}",
        actor=actor.name,
        team_id=team_id,
        township=township,
        deadlines=policy.deadlines(inc.category, now),
    )


def check_free_team(state: State, team_id: str, incident_id: str) -> Team:
    """Return the team if it exists and is free (or already on this incident), else raise Rejected."""
    team = state.district.teams.get(team_id)
    if team is None:
        raise Rejected("unknown_team", team=team_id)
    if state.team_busy.get(team.id, incident_id) != incident_id:
        raise Rejected("team_busy", team=team_id)
    return team


def advance_order(
    state: State,
    actor: Actor,
    incident_id: str,
    step: str,
    command_id: str,
    now: float,
    note: str = "",
    team_id: str = "",
    site: SitePolicy = SITE,
    fix: Fix | None = None,
    device_at: float = 0.0,
    photos: tuple[str, ...] = (),
    outcome: str = "",
) -> list[ev.Event]:
    """Take the order's next step (sign, respond, route, on site, resolve: with how it ended); late past its deadline.

    A team member (from /team) takes only the team's steps, with its phone's fix (proving on site) and the time
    the phone says it was pressed; a step queued offline is judged at the server's time like any other."""
    authorize_incident(actor, "advance_order", state.incidents.get(incident_id))  # scope before state
    inc = _incident(state, incident_id)
    order = inc.order
    if order is None or not inc.is_open:
        raise Rejected("no_active_order", incident=incident_id)
    authorize(actor, "advance_order", order.township)
    if actor.role is Role.TEAM and step not in TEAM_STEPS:
        raise Rejected("room_step", step=step)
    if step not in STEPS:
        raise Rejected("unknown_step", step=step)
    expected = order.next_step()
    if step in order.done:
        raise Rejected("step_already_done", step=step)
    if step != expected:
        raise Rejected("step_out_of_order", step=step, expected=expected or "-")
    if device_at:
        positions.check_device_time(site, device_at, now)
    deadline = order.deadlines.get(step)
    common: dict[str, Any] = dict(
        event_id=command_id,
        at=now,
        incident_id=inc.id,
        order_id=order.id,
        actor=actor.name,
        late=deadline is not None and now > deadline,
        note=note[:500],
        device_at=device_at,
        photos=photos[:MAX_PHOTOS],
    )
    if step == "on_site":
        how, distance = positions.proof(site, actor, inc, fix)
        sent = fix if fix is not None and how != BY_ROOM else None  # a room's marking carries no phone's fix
        return [
            ev.TeamOnSite(
                **common,
                proof=how,
                distance_m=distance,
                lon=sent.lon if sent else None,
                lat=sent.lat if sent else None,
                accuracy_m=sent.accuracy_m if sent else None,
            )
        ]
    if step == "route":
        return [ev.OrderRouted(**common, team_id=_route_team(state, order, team_id))]
    if step == "resolve" and not note.strip():
        raise Rejected("note_required", step=step)
    if step == "resolve":
        if outcome and outcome not in OUTCOMES:
            raise Rejected("unknown_outcome", outcome=outcome[:40])
        return [ev.OrderResolved(**common, outcome=outcome)]
    return [ev.STEP_EVENTS[step](**common)]


def _route_team(state: State, order: Order, team_id: str) -> str:
    """Return the team a route goes to: the one named (of the order's township), or the order's own."""
    if not team_id:
        if not order.team_id:
            raise Rejected("team_required")
        return order.team_id
    team = check_free_team(state, team_id, order.incident_id)
    if team.township != order.township:
        raise Rejected("out_of_scope", township=team.township)
    return team.id


def breaches(state: State, now: float) -> list[ev.Event]:
    """Return one SlaBreached per undone stage past its deadline, and one DispatchBreached per incident
    waiting for its order past the dispatch target; ids are stable so a rerun adds none."""
    open_now = state.open_incidents()
    stages: list[ev.Event] = [
        ev.SlaBreached(
            event_id=f"breach:{inc.order.id}:{step}",
            at=now,
            incident_id=inc.id,
            order_id=inc.order.id,
            actor="sla",
            step=step,
            deadline=deadline,
        )
        for inc, step, deadline in due_breaches(open_now, now)
        if inc.order
    ]
    return stages + [
        ev.DispatchBreached(f"dispatch:{inc.id}:{inc.reopened}", now, inc.id, "", "sla", inc.dispatch_due)
        for inc in due_dispatch_breaches(open_now, now)
    ]


def _incident(state: State, incident_id: str) -> Incident:
    inc = state.incidents.get(incident_id)
    if inc is None:
        raise Rejected("unknown_incident", incident=incident_id)
    return inc

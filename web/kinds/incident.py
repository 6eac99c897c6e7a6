"""The incident kind: an incident with its current order and its dispatch clock, as the screens and the API show it."""

from __future__ import annotations

from typing import TypedDict

from domain import events as ev
from domain import sla
from domain.model import Incident
from domain.projection import Projection
from web.kinds.base import DayFigures, Entity, EntityKind

# Every event about one incident changes it (domain/folds.py).
INCIDENT_EVENTS: tuple[type[ev.Event], ...] = (
    ev.IncidentReported,
    ev.OrderIssued,
    *ev.STEP_EVENTS.values(),
    ev.SlaBreached,
    ev.OrderTransferred,
    ev.FeedbackRecorded,
    ev.IncidentReopened,
    ev.IncidentClosed,
    ev.IncidentCancelled,
    ev.IncidentMerged,
    ev.IncidentEscalated,
    ev.DispatchBreached,
)


class OrderShape(TypedDict):
    """The incident's current order: its team, deadlines, steps done and lateness."""

    id: str
    team_id: str
    team_zh: str
    team_en: str
    township: str
    issued_at: float
    issued_by: str
    deadlines: dict[str, float]
    done: dict[str, float]
    late: list[str]
    breached: list[str]
    lateness: dict[str, float]
    next_step: str | None
    proof: str  # how its on-site step was proven: verified, not_verified, by_room ("" until then)
    proof_m: float | None  # the team's phone's distance from the incident then


class DispatchShape(TypedDict):
    """The center's dispatch clock of the current round (or of the round the order ended)."""

    since: float | None
    due: float | None
    ordered_at: float | None
    late: bool


class ClockShape(TypedDict):
    """The clock running now (domain/sla.py Clock): the browser compares these times to its server-corrected clock."""

    name: str
    since: float
    warn_at: float
    due: float
    late_at: float


class IncidentShape(TypedDict):
    """An incident as the screens and the API show it."""

    kind: str
    id: str
    category: str
    source: str
    source_id: str
    township: str | None
    lon: float
    lat: float
    priority: int
    summary: str
    address: str
    reported_at: float
    received_at: float
    stage: str
    status: str
    order: OrderShape | None
    feedback: str | None
    reopened: int
    orders: int
    escalated: list[str]
    merged: list[str]
    merged_into: str | None
    note: str
    dispatch: DispatchShape
    clock: ClockShape | None


def is_live(inc: Incident) -> bool:
    """Tell whether an incident belongs on the live screens: open, or resolved and waiting for its call-back."""
    return inc.is_open


def incident_entity(state: Projection, inc: Incident, now: float) -> IncidentShape:
    """Return an incident as the screens and the API show it."""
    order = inc.order
    out: IncidentShape = {
        "kind": "incident",
        "id": inc.id,
        "category": inc.category,
        "source": inc.source,
        "source_id": inc.source_id,
        "township": inc.township,
        "lon": inc.lon,
        "lat": inc.lat,
        "priority": inc.priority,
        "summary": inc.summary,
        "address": inc.address,
        "reported_at": inc.reported_at,
        "received_at": inc.received_at,
        "stage": inc.stage.value,
        "status": sla.status(inc, now),
        "order": None,
        "feedback": inc.feedback,
        "reopened": inc.reopened,
        "orders": len(inc.history) + (inc.order is not None),
        "escalated": list(inc.escalated),
        "merged": list(inc.merged),
        "merged_into": inc.merged_into,
        "note": inc.note,
        "dispatch": _dispatch(inc, now),
        "clock": _clock(inc),
    }
    if order:
        team, lateness = state.district.teams.get(order.team_id), sla.stage_lateness(order, now)
        out["order"] = {
            "id": order.id,
            "team_id": order.team_id,
            "team_zh": team.name_zh if team else order.team_id,
            "team_en": team.name_en if team else order.team_id,
            "township": order.township,
            "issued_at": order.issued_at,
            "issued_by": order.issued_by,
            "deadlines": dict(order.deadlines),
            "done": dict(order.done),
            "late": list(order.late),
            "breached": list(lateness),
            "lateness": {s: round(x, 1) for s, x in lateness.items()},
            "next_step": order.next_step(),
            "proof": order.proof,
            "proof_m": order.proof_m,
        }
    return out


def _clock(inc: Incident) -> ClockShape | None:
    """Return the running clock's times: its warning, its due and when the incident turns late."""
    c = sla.running_clock(inc)
    if c is None:
        return None
    return {"name": c.name, "since": c.since, "warn_at": c.warn_at, "due": c.due, "late_at": c.late_at}


def _dispatch(inc: Incident, now: float) -> DispatchShape:
    """Return the center's dispatch clock of the incident's current round (or the round its order ended)."""
    orders = inc.history + ((inc.order,) if inc.order else ())
    order = next((o for o in reversed(orders) if o.dispatch_since is not None), None) if inc.order else None
    if order is not None:
        return {
            "since": order.dispatch_since,
            "due": order.dispatch_due,
            "ordered_at": order.issued_at,
            "late": sla.dispatch_verdict(inc, order, now) is False,
        }
    return {
        "since": inc.dispatch_since,
        "due": inc.dispatch_due,
        "ordered_at": None,
        "late": sla.dispatch_verdict(inc, None, now) is False,
    }


def _build(state: Projection, ident: str, day: DayFigures) -> IncidentShape | None:
    inc = state.incidents.get(ident)
    return incident_entity(state, inc, day.now) if inc and is_live(inc) else None


def _ids(state: Projection) -> list[str]:
    return [i.id for i in state.incidents.values() if is_live(i)]


def _scope(entity: Entity, scope: str) -> bool:
    """A room sees the incidents in its township and those ordered to it."""
    order = entity.get("order") or {}
    return entity.get("township") == scope or order.get("township") == scope


KIND = EntityKind("incident", IncidentShape, _build, _ids, INCIDENT_EVENTS, scope=_scope)

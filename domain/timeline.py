"""An incident's own timeline: each step, where it happened, which team, when and how late; pure, t is a parameter.

A team starts at its base (its township's seat while the room has not picked it). Where its phone sent fixes
(TeamPositioned, in the incident's stream while it works the order), the track is those fixes, and the on-site
step stands where the phone was when it was pressed; without them, the track is base to site and the team is at
the site from its on-site step on. Nothing is interpolated.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from domain import events as ev
from domain.model import District, Incident, Order
from domain.sla import stage_lateness

# What each event of an incident's stream is as a step of its timeline (docs/glossary.md words).
KINDS: dict[str, str] = {
    "IncidentReported": "received",
    "OrderIssued": "ordered",
    "OrderSigned": "signed",
    "OrderResponded": "responded",
    "OrderRouted": "routed",
    "TeamOnSite": "on_site",
    "OrderResolved": "resolved",
    "FeedbackRecorded": "called_back",
    "IncidentClosed": "closed",
    "OrderTransferred": "transferred",
    "IncidentReopened": "reopened",
    "SlaBreached": "overdue",
    "DispatchBreached": "overdue",
    "IncidentEscalated": "escalated",
    "IncidentCancelled": "cancelled",
    "IncidentMerged": "merged",
}
STAGE_OF = {"signed": "sign", "responded": "respond", "routed": "route", "on_site": "on_site"}  # the 1/2/3/10 clocks
AT_SITE = frozenset({"received", "reopened", "cancelled", "merged", "called_back", "closed"})  # about the place


def _clock(at: float, utc_offset_h: float) -> str:
    return datetime.fromtimestamp(at, timezone(timedelta(hours=utc_offset_h))).strftime("%H:%M:%S")


def _base(district: District, team_id: str, township: str | None, site: tuple[float, float]) -> tuple[float, float]:
    """Return where a team waits: its base; its township's seat while no team is named; the site as a last resort."""
    team = district.teams.get(team_id)
    if team is not None:
        return team.lon, team.lat
    town = district.townships.get(township or "")
    return (town.lon, town.lat) if town is not None else site


def _judge(kind: str, event: ev.Event, order: Order | None) -> tuple[str | None, float | None, float | None]:
    """Return (clock, deadline, seconds late) of a step: the dispatch or stage clock it ends, or the one it breaches."""
    if kind == "ordered" and order is not None and order.dispatch_due is not None:
        return "dispatch", order.dispatch_due, event.at - order.dispatch_due
    if kind in STAGE_OF and order is not None and STAGE_OF[kind] in order.deadlines:
        return STAGE_OF[kind], order.deadlines[STAGE_OF[kind]], event.at - order.deadlines[STAGE_OF[kind]]
    if isinstance(event, ev.SlaBreached):
        return event.step, event.deadline, event.at - event.deadline
    if isinstance(event, ev.DispatchBreached):
        return "dispatch", event.deadline, event.at - event.deadline
    if isinstance(event, ev.IncidentEscalated):
        return event.step, None, None
    return None, None, None


def _track(district: District, inc: Incident, order: Order, t: float, path: list[list[float]]) -> dict[str, Any]:
    """Return an order's track: its team from its base (through its phone's fixes) to the site, and its stages'
    lateness as of t."""
    team, site = district.teams.get(order.team_id), (inc.lon, inc.lat)
    lateness = stage_lateness(order, t)
    return {
        "order_id": order.id,
        "team_id": order.team_id,
        "township": order.township,
        "team_zh": team.name_zh if team else "",
        "team_en": team.name_en if team else "",
        "start": list(_base(district, order.team_id, order.township, site)),
        "path": [p[:2] for p in path if order.issued_at <= p[2] <= (order.ended_at or t)],  # the phone's fixes
        "site": list(site),
        "proof": order.proof,
        "proof_m": order.proof_m,
        "issued_at": order.issued_at,
        "routed_at": order.done.get("route"),
        "on_site_at": order.done.get("on_site"),
        "ended_at": order.ended_at,
        "breached": list(lateness),
        "lateness": {s: round(x, 1) for s, x in lateness.items()},
    }


def incident_timeline(
    inc: Incident, events: Iterable[ev.Event], district: District, t: float, utc_offset_h: float
) -> dict[str, Any]:
    """Return the incident's timeline as of t: its place, one track per order, and every step numbered in order."""
    orders = {o.id: o for o in (*inc.history, *((inc.order,) if inc.order else ()))}
    site, steps = (inc.lon, inc.lat), list[dict[str, Any]]()
    team_of: dict[str, str] = {}  # order -> its team as of the step being read (the room may name it when routing)
    arrived: set[str] = set()  # orders whose team reached the site
    paths: dict[str, list[list[float]]] = {}  # team -> its fixes on this incident, [lon, lat, fix time]
    for event in events:
        if isinstance(event, ev.TeamPositioned) and event.fix_at <= t:
            paths.setdefault(event.team_id, []).append([event.lon, event.lat, event.fix_at])
            continue
        kind = KINDS.get(type(event).__name__)
        if kind is None or event.at > t:
            continue
        oid = getattr(event, "order_id", "") or ""
        if isinstance(event, ev.OrderIssued):
            team_of[oid] = event.team_id
        elif isinstance(event, ev.OrderRouted) and event.team_id:
            team_of[oid] = event.team_id
        elif isinstance(event, ev.TeamOnSite):
            arrived.add(oid)
        order = orders.get(oid) if oid in team_of else None  # a dispatch clock names no order yet
        where = (
            site
            if kind in AT_SITE or order is None or oid in arrived
            else _base(district, team_of[oid], order.township, site)
        )
        if isinstance(event, ev.TeamOnSite) and event.lon is not None and event.lat is not None:
            where = (event.lon, event.lat)  # where the phone was when the team said it had arrived
        clock, deadline, late_s = _judge(kind, event, order)
        pressed = float(getattr(event, "device_at", 0.0))
        late = (late_s is not None and late_s > 0) or kind in ("overdue", "escalated")
        steps.append(
            {
                "n": len(steps) + 1,
                "kind": kind,
                "event": type(event).__name__,
                "at": event.at,
                "local": _clock(event.at, utc_offset_h),
                "order_id": oid if order else None,
                "team_id": team_of.get(oid, "") if order else "",
                "township": order.township if order else inc.township,
                "lon": where[0],
                "lat": where[1],
                "clock": clock,
                "deadline": deadline,
                "lateness_s": round(max(late_s, 0.0), 1) if late_s is not None else None,
                "late": late,
                "proof": getattr(event, "proof", "") or ("by_room" if kind == "on_site" else ""),
                "distance_m": getattr(event, "distance_m", None),
                "device_at": pressed or None,  # pressed on a phone then (maybe offline)
                "device_local": _clock(pressed, utc_offset_h) if pressed else None,
                "photos": list(getattr(event, "photos", ())),
            }
        )
    return {
        "incident": inc.id,
        "at": t,
        "category": inc.category,
        "township": inc.township,
        "address": inc.address,
        "site": list(site),
        "tracks": [_track(district, inc, o, t, paths.get(o.team_id, [])) for o in orders.values()],
        "steps": steps,
    }

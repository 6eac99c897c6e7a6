"""A notice's payload: what a new order or a breach tells a work-messaging app (docs/notify.md); pure."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import NotRequired, TypedDict

from domain import events as ev
from domain.catalog import category_names
from domain.model import District, Incident, Order
from domain.state import State

VERSION = 1  # the payload's version: a receiver refuses one it does not know


class Moment(TypedDict):
    """A time: ISO 8601 in the district's offset, and Unix seconds."""

    at: str
    at_unix: float


class IncidentPart(TypedDict):
    """The incident as the wall shows it (never the caller: no phone, no name, no source record id)."""

    id: str
    category: str
    category_zh: str
    category_en: str
    summary: str
    address: str
    township: str | None
    township_zh: str
    township_en: str
    lon: float
    lat: float
    priority: int


class OrderPart(TypedDict):
    """The order: its team (empty while the township room picks it), township and deadlines; a breach's stage."""

    id: str
    team_id: str
    team_zh: str
    team_en: str
    township: str
    deadlines: dict[str, Moment]
    step: NotRequired[str]  # order.breached: the stage whose deadline passed...
    deadline: NotRequired[Moment]  # ...and that deadline


class Notice(TypedDict):
    """One notice, as JSON: what happened, to which incident and order, and where to open it."""

    version: int
    id: str  # the event's id: also the X-OneMap-Delivery header, on which receivers deduplicate
    type: str  # order.new | order.breached | dispatch.breached
    at: str
    at_unix: float
    incident: IncidentPart
    order: OrderPart | None  # None for dispatch.breached: the incident waits for its first order
    dispatch_deadline: NotRequired[Moment]  # dispatch.breached: when the center should have ordered
    link: str


def notice_type(event: ev.Event) -> str | None:
    """Return the notice type of an event, or None when the event is no news to a team or township."""
    if isinstance(event, ev.OrderIssued) or (isinstance(event, ev.OrderRouted) and event.team_id):
        return "order.new"
    if isinstance(event, ev.SlaBreached):
        return "order.breached"
    if isinstance(event, ev.DispatchBreached):
        return "dispatch.breached"
    return None


def moment(t: float, utc_offset_h: float) -> Moment:
    """Return a time as ISO 8601 in the district's offset, with its Unix seconds."""
    zone = timezone(timedelta(hours=utc_offset_h))
    return {"at": datetime.fromtimestamp(t, zone).isoformat(timespec="seconds"), "at_unix": t}


def notice(event: ev.Event, state: State, base_url: str) -> Notice | None:
    """Return the notice of an event against the state, or None (no news, or its incident is not in memory)."""
    kind = notice_type(event)
    inc = state.incidents.get(event.incident_id) if isinstance(event, ev.IncidentEvent) else None
    if kind is None or inc is None or not isinstance(event, ev.IncidentEvent):
        return None
    district = state.district
    order, when = _order(district, inc, event), moment(event.at, district.utc_offset_h)
    township = order["township"] if order else inc.township
    team = kind == "order.new" and order is not None and order["team_id"]
    out: Notice = {
        "version": VERSION,
        "id": event.event_id,
        "type": kind,
        "at": when["at"],
        "at_unix": when["at_unix"],
        "incident": _incident(district, inc),
        "order": order,
        "link": base_url.rstrip("/") + ("/team" if team else f"/township/{township}" if township else "/command"),
    }
    if isinstance(event, ev.DispatchBreached):
        out["dispatch_deadline"] = moment(event.deadline, district.utc_offset_h)
    return out


def _incident(district: District, inc: Incident) -> IncidentPart:
    (cat_zh, cat_en), town = category_names(inc.category), district.townships.get(inc.township or "")
    return {
        "id": inc.id,
        "category": inc.category,
        "category_zh": cat_zh,
        "category_en": cat_en,
        "summary": inc.summary,
        "address": inc.address,
        "township": inc.township,
        "township_zh": town.name_zh if town else "",
        "township_en": town.name_en if town else "",
        "lon": inc.lon,
        "lat": inc.lat,
        "priority": inc.priority,
    }


def _order(district: District, inc: Incident, event: ev.IncidentEvent) -> OrderPart | None:
    """Return the event's order: the event's own facts first, the state's for the rest (it may have moved on)."""
    held: Order | None = next((o for o in (inc.order, *inc.history) if o and o.id == event.order_id), None)
    if isinstance(event, ev.OrderIssued):
        team_id, township, deadlines = event.team_id, event.township, event.deadlines
    elif held is not None:
        team_id, township, deadlines = getattr(event, "team_id", "") or held.team_id, held.township, held.deadlines
    else:
        return None
    team, offset = district.teams.get(team_id), district.utc_offset_h
    out: OrderPart = {
        "id": event.order_id,
        "team_id": team_id,
        "team_zh": team.name_zh if team else team_id,
        "team_en": team.name_en if team else team_id,
        "township": township,
        "deadlines": {step: moment(t, offset) for step, t in deadlines.items()},
    }
    if isinstance(event, ev.SlaBreached):
        out["step"], out["deadline"] = event.step, moment(event.deadline, offset)
    return out

"""What the browsers see: entities built from the projection, and which scope may see each."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable

from domain import flood, halls, situation, sla
from domain.catalog import warning_name_en
from domain.kpi import day_figures
from domain.model import Incident
from domain.projection import Projection
from application import charts

Entity = dict[str, Any]
DAY_S = 86400
BROADCAST_SHOWN_S = 86400  # a broadcast stays on the boards for a day


def day_window(now: float, utc_offset_h: float) -> tuple[float, float]:
    """Return [start, end) of the district's local day containing now."""
    start = halls.local_midnight(now, utc_offset_h)
    return start, start + DAY_S


def is_live(inc: Incident) -> bool:
    """Tell whether an incident belongs on the live screens: open, or resolved and waiting for its call-back."""
    return inc.is_open


def incident_entity(state: Projection, inc: Incident, now: float) -> Entity:
    """Return an incident as the screens and the API show it."""
    order = inc.order
    out: Entity = {
        "kind": "incident", "id": inc.id, "category": inc.category, "source": inc.source,
        "source_id": inc.source_id, "township": inc.township, "lon": inc.lon, "lat": inc.lat,
        "priority": inc.priority, "summary": inc.summary, "address": inc.address,
        "reported_at": inc.reported_at, "received_at": inc.received_at, "stage": inc.stage.value,
        "status": sla.status(inc, now), "order": None, "feedback": inc.feedback, "reopened": inc.reopened,
        "orders": len(inc.history) + (inc.order is not None), "escalated": list(inc.escalated),
        "merged": list(inc.merged), "merged_into": inc.merged_into, "note": inc.note,
        "dispatch": _dispatch(inc, now),
    }
    if order:
        team, lateness = state.district.teams.get(order.team_id), sla.stage_lateness(order, now)
        out["order"] = {
            "id": order.id, "team_id": order.team_id, "team_zh": team.name_zh if team else order.team_id,
            "team_en": team.name_en if team else order.team_id, "township": order.township,
            "issued_at": order.issued_at, "issued_by": order.issued_by, "deadlines": dict(order.deadlines),
            "done": dict(order.done), "late": list(order.late), "breached": list(lateness),
            "lateness": {s: round(x, 1) for s, x in lateness.items()}, "next_step": order.next_step(),
        }
    return out


def _dispatch(inc: Incident, now: float) -> Entity:
    """Return the center's dispatch clock of the incident's current round (or the round its order ended)."""
    orders = inc.history + ((inc.order,) if inc.order else ())
    order = next((o for o in reversed(orders) if o.dispatch_since is not None), None) if inc.order else None
    if order is not None:
        return {"since": order.dispatch_since, "due": order.dispatch_due, "ordered_at": order.issued_at,
                "late": sla.dispatch_verdict(inc, order, now) is False}
    return {"since": inc.dispatch_since, "due": inc.dispatch_due, "ordered_at": None,
            "late": sla.dispatch_verdict(inc, None, now) is False}


def entity(state: Projection, key: str, now: float, utc_offset_h: float) -> Entity | None:
    """Return the entity for a key ("incident:ID", "team:ID", ...), or None when it left the live set."""
    return entities(state, [key], now, utc_offset_h)[key]


def entities(state: Projection, keys: Iterable[str], now: float, utc_offset_h: float) -> dict[str, Entity | None]:
    """Return the entity of each key; the day's figures are counted once for all that show them (kpi, charts)."""
    figures = DayFigures(state, now, utc_offset_h)
    out: dict[str, Entity | None] = {}
    for key in keys:
        kind, _, ident = key.partition(":")
        if kind in _FIGURED:
            out[key] = _FIGURED[kind](state, ident, now, figures)
        else:
            builder = _BUILDERS.get(kind)
            out[key] = builder(state, ident, now, utc_offset_h) if builder else None
    return out


class DayFigures:
    """The local day's window and its `day_figures` as of now, counted on first use and then kept."""

    def __init__(self, state: Projection, now: float, utc_offset_h: float) -> None:
        self.state, self.now = state, now
        self.start, self.end = day_window(now, utc_offset_h)
        self._figures: dict[str, Any] | None = None

    def get(self) -> dict[str, Any]:
        """Return day_figures of the day as of now."""
        if self._figures is None:
            self._figures = day_figures(self.state, self.start, self.end, self.now)
        return self._figures


def _incident(state: Projection, ident: str, now: float, _off: float) -> Entity | None:
    inc = state.incidents.get(ident)
    return incident_entity(state, inc, now) if inc and is_live(inc) else None


def _team(state: Projection, ident: str, _now: float, _off: float) -> Entity | None:
    t = state.district.teams.get(ident)
    if t is None:
        return None
    return {"kind": "team", "id": t.id, "township": t.township, "team_kind": t.kind, "name_zh": t.name_zh,
            "name_en": t.name_en, "lon": t.lon, "lat": t.lat, "members": t.members,
            "busy_with": state.team_busy.get(t.id)}


def _station(state: Projection, ident: str, _now: float, _off: float) -> Entity | None:
    s = state.district.stations.get(ident)
    if s is None:
        return None
    r = state.stations.get(ident)
    level = r.level if r else s.normal_level
    return {"kind": "station", "id": s.id, "name_zh": s.name_zh, "name_en": s.name_en, "township": s.township,
            "lon": s.lon, "lat": s.lat, "warning_level": s.warning_level, "guarantee_level": s.guarantee_level,
            "level": level, "rainfall": r.rainfall if r else 0.0, "at": r.at if r else None,
            "state": flood.level_state(s, level), "trend": flood.trend(r.recent if r else ()),
            "recent": list(r.recent) if r else []}


def _hall(state: Projection, ident: str, now: float, utc_offset_h: float) -> Entity | None:
    h = state.district.halls.get(ident)
    if h is None:
        return None
    q = state.halls.get(ident)
    day_start = day_window(now, utc_offset_h)[0]
    waiting = halls.waiting(q, day_start)  # today's tickets only: one left from yesterday is not waiting
    local = datetime.fromtimestamp(now, timezone(timedelta(hours=utc_offset_h)))
    # open: at now; open_changes: when it flips next, so a screen turns a hall closed at 17:00 with no event
    return {"kind": "hall", "id": h.id, "township": h.township, "name_zh": h.name_zh, "name_en": h.name_en,
            "lon": h.lon, "lat": h.lat, "windows": h.windows, "open_windows": q.open_windows if q else 0,
            "waiting": waiting.count, "oldest_waiting_since": waiting.oldest_since,
            "served": halls.served_since(q, day_start) if q else 0,
            "open": halls.hall_open(h, local), "open_changes": halls.open_changes(h, now, utc_offset_h)}


def _broadcast(state: Projection, ident: str, now: float, _off: float) -> Entity | None:
    b = state.broadcasts.get(ident)
    if b is None or now - b.issued_at > BROADCAST_SHOWN_S:
        return None
    return {"kind": "broadcast", "id": b.id, "type": b.kind, "level": b.level, "message": b.message,
            "townships": list(b.townships), "issued_at": b.issued_at, "issued_by": b.issued_by,
            "deadline": b.deadline, "signed": dict(b.signed)}


def _alert(state: Projection, ident: str, _now: float, _off: float) -> Entity | None:
    a = state.alerts.get(ident)
    if a is None:
        return None
    areas = [{"polygon": [[lat, lon] for lon, lat in ring]} for ring in a.polygons]
    areas += [{"circle": {"lat": lat, "lon": lon, "radius_km": r / 1000}} for lon, lat, r in a.circles]
    return {"kind": "alert", "id": a.id, "event": a.event, "event_en": warning_name_en(a.event, a.headline),
            "severity": a.severity or "Unknown", "headline": a.headline,
            "area_desc": a.area_desc, "areas": areas, "sent": a.sent, "expires": a.expires}


def _situation(state: Projection, _ident: str, now: float, _off: float) -> Entity:
    return {"kind": "situation", "id": "district", **situation.situation(state, now, BROADCAST_SHOWN_S)}


def _kpi(_state: Projection, _ident: str, _now: float, figures: DayFigures) -> Entity:
    return {"kind": "kpi", "id": "today", **figures.get()}


def _chart(state: Projection, ident: str, now: float, figures: DayFigures) -> Entity | None:
    build = charts.BUILDERS.get(ident)
    return {"kind": "chart", "id": ident, "now": now, **build(state, now, figures)} if build else None


_FIGURED: dict[str, Callable[[Projection, str, float, DayFigures], Entity | None]] = {"kpi": _kpi, "chart": _chart}
_BUILDERS: dict[str, Callable[[Projection, str, float, float], Entity | None]] = {
    "incident": _incident, "team": _team, "station": _station, "hall": _hall, "broadcast": _broadcast,
    "alert": _alert, "situation": _situation,
}


# What changes with the clock alone (the day's window, the charts' hours and slots): re-sent every 10 minutes, so
# also at the district's midnight (a slot's end for any whole-hour offset).
TIMED_KEYS = frozenset({"kpi:today", *(f"chart:{c}" for c in charts.BUILDERS)})
TIMED_EVERY_S = 600


def timed_keys(state: Projection) -> frozenset[str]:
    """Return the keys re-sent each TIMED_EVERY_S: TIMED_KEYS and the halls (their waiting and served are today's)."""
    return TIMED_KEYS | {f"hall:{h}" for h in state.district.halls}


def figured(key: str) -> bool:
    """Tell whether a key's entity counts the whole day (the figures, the charts): the costly ones to build."""
    return key.partition(":")[0] in _FIGURED


def all_keys(state: Projection) -> list[str]:
    """Return the keys of everything on the live screens."""
    d = state.district
    return ([f"incident:{i.id}" for i in state.incidents.values() if is_live(i)]
            + [f"team:{t}" for t in d.teams] + [f"station:{s}" for s in d.stations]
            + [f"hall:{h}" for h in d.halls] + ["kpi:today"] + [f"broadcast:{b}" for b in state.broadcasts]
            + [f"alert:{a}" for a in state.alerts] + [situation.KEY] + [f"chart:{c}" for c in charts.BUILDERS])


def snapshot(state: Projection, now: float, utc_offset_h: float, scope: str) -> dict[str, Any]:
    """Return what a scope sees of a state at a moment: the live snapshot, and a replay's, are this."""
    ents = entities(state, all_keys(state), now, utc_offset_h).values()
    return {"seq": state.seq, "server_time": now, "last_event_at": state.last_event_at, "scope": scope,
            "entities": [e for e in ents if e is not None and visible(e, scope)]}


def visible(entity: Entity, scope: str) -> bool:
    """Tell whether a scope ("all" or a township id) may see an entity."""
    if scope == "all" or entity["kind"] not in ("incident", "broadcast", "chart"):
        return True
    if entity["kind"] == "chart":
        return False  # the district's analytics view only: a township room draws no chart
    if entity["kind"] == "broadcast":
        return scope in entity["townships"]
    order = entity.get("order") or {}
    return entity.get("township") == scope or order.get("township") == scope

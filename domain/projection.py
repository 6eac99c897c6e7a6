"""The read model: a fold of the event log; one apply function per event type."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

from domain import events as ev
from domain.model import STEP_STAGE, District, HallState, Incident, Order, Stage, StationState


@dataclass
class Projection:
    """Current state of the district, rebuilt from events alone; seq is the last applied log seq."""

    district: District
    incidents: dict[str, Incident] = field(default_factory=dict)
    stations: dict[str, StationState] = field(default_factory=dict)
    halls: dict[str, HallState] = field(default_factory=dict)
    team_busy: dict[str, str] = field(default_factory=dict)  # team id -> incident id
    seq: int = 0
    last_event_at: float = 0.0

    def apply(self, event: ev.Event, seq: int | None = None) -> set[str]:
        """Fold one event in; return the keys ("incident:ID", ...) of what changed."""
        if seq is not None:
            self.seq = seq
        self.last_event_at = max(self.last_event_at, event.at)
        handler = _HANDLERS.get(type(event))
        return handler(self, event) if handler else set()

    def open_incidents(self) -> list[Incident]:
        """Return the incidents that still need work."""
        return [i for i in self.incidents.values() if i.is_open]


def replay(district: District, events: Iterable[tuple[int, ev.Event]]) -> Projection:
    """Rebuild the projection from (seq, event) pairs in log order."""
    state = Projection(district)
    for seq, event in events:
        state.apply(event, seq)
    return state


def register_handler(cls: type[ev.Event], fn: Callable[[Projection, ev.Event], set[str]]) -> None:
    """Fold a further event type (added by other domain modules) into the projection."""
    _HANDLERS[cls] = fn


def _reported(s: Projection, e: ev.IncidentReported) -> set[str]:
    if e.incident_id in s.incidents:
        return set()
    s.incidents[e.incident_id] = Incident(
        id=e.incident_id, source=e.source, source_id=e.source_id, category=e.category,
        township=e.township, lon=e.lon, lat=e.lat, priority=e.priority, summary=e.summary,
        address=e.address, reported_at=e.reported_at or e.at, received_at=e.at,
    )
    return {f"incident:{e.incident_id}", "kpi:today"}


def _issued(s: Projection, e: ev.OrderIssued) -> set[str]:
    inc = s.incidents[e.incident_id]
    order = Order(e.order_id, e.incident_id, e.team_id, e.township, e.at, e.actor, dict(e.deadlines))
    history = inc.history + ((inc.order,) if inc.order else ())
    s.incidents[e.incident_id] = replace(inc, stage=Stage.ORDERED, order=order, history=history)
    s.team_busy[e.team_id] = e.incident_id
    return {f"incident:{e.incident_id}", f"team:{e.team_id}", "kpi:today"}


def _step(s: Projection, e: ev.StepDone) -> set[str]:
    step = next(k for k, cls in ev.STEP_EVENTS.items() if isinstance(e, cls))
    inc = s.incidents[e.incident_id]
    order = inc.order
    assert order is not None and order.id == e.order_id, "event for an order that is not current"
    order = replace(order, done={**order.done, step: e.at}, late=order.late + ((step,) if e.late else ()))
    s.incidents[e.incident_id] = replace(inc, stage=STEP_STAGE[step], order=order)
    changed = {f"incident:{e.incident_id}", "kpi:today"}
    if step == "resolve" and s.team_busy.get(order.team_id) == e.incident_id:
        del s.team_busy[order.team_id]
        changed.add(f"team:{order.team_id}")
    return changed


def _breached(s: Projection, e: ev.SlaBreached) -> set[str]:
    inc = s.incidents[e.incident_id]
    if inc.order is None or inc.order.id != e.order_id or e.step in inc.order.breached:
        return set()
    order = replace(inc.order, breached=inc.order.breached + (e.step,))
    s.incidents[e.incident_id] = replace(inc, order=order)
    return {f"incident:{e.incident_id}", "kpi:today"}


def _reading(s: Projection, e: ev.StationReadingRecorded) -> set[str]:
    s.stations[e.station_id] = StationState(e.level, e.rainfall, e.at)
    return {f"station:{e.station_id}"}


def _ticket(s: Projection, e: ev.HallTicketRecorded) -> set[str]:
    h = s.halls.get(e.hall_id, HallState())
    waiting, windows, served = h.waiting, h.open_windows, h.served_today
    if e.action == "issued":
        waiting = waiting + ((e.ticket, e.at),)
    elif e.action in ("called", "served"):
        waiting = tuple(w for w in waiting if w[0] != e.ticket)
        served += e.action == "served"
    elif e.action == "window_opened":
        windows += 1
    elif e.action == "window_closed":
        windows = max(0, windows - 1)
    s.halls[e.hall_id] = HallState(waiting, windows, served, e.at)
    return {f"hall:{e.hall_id}"}


_HANDLERS: dict[type, Callable[[Projection, ev.Event], set[str]]] = {
    ev.IncidentReported: _reported,
    ev.OrderIssued: _issued,
    **{cls: _step for cls in ev.STEP_EVENTS.values()},
    ev.SlaBreached: _breached,
    ev.StationReadingRecorded: _reading,
    ev.HallTicketRecorded: _ticket,
}

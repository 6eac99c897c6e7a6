"""The read model: a fold of the event log; one apply function per event type."""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

from domain import events as ev
from domain import alerts, flood
from domain import folds, series
from domain.model import District, HallState, StationState
from domain.state import State


class Projection(State):
    """The district's state with its fold: apply one event at a time, in log order."""

    def apply(self, event: ev.Event, seq: int | None = None) -> set[str]:
        """Fold one event in; return the keys ("incident:ID", ...) of what changed."""
        if seq is not None:
            self.seq = seq
        self.last_event_at = max(self.last_event_at, event.at)
        handler = _HANDLERS.get(type(event))
        return handler(self, event) if handler else set()


def replay(district: District, events: Iterable[tuple[int, ev.Event]],
           dispatch_s: Mapping[int, float] | None = None) -> Projection:
    """Rebuild the projection from (seq, event) pairs in log order, with the policy's dispatch targets."""
    state = Projection(district, dict(dispatch_s)) if dispatch_s else Projection(district)
    for seq, event in events:
        state.apply(event, seq)
    return state


def register_handler(cls: type[ev.Event], fn: Callable[[Projection, ev.Event], set[str]]) -> None:
    """Fold a further event type (added by other domain modules) into the projection."""
    _HANDLERS[cls] = fn


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
    **folds.HANDLERS,
    ev.StationReadingRecorded: _reading,
    ev.HallTicketRecorded: _ticket,
}

# Flood watches and public alerts are folded by their own domain modules.
register_handler(ev.FloodStageChanged, flood.apply_stage_changed)
register_handler(ev.AlertIssued, alerts.apply_issued)
register_handler(ev.AlertCancelled, alerts.apply_cancelled)
register_handler(ev.AlertExpired, alerts.apply_expired)


# The analytics charts' samples follow each reading and ticket (domain/series.py).
def _reading_sampled(s: Projection, e: ev.StationReadingRecorded) -> set[str]:
    return _reading(s, e) | series.gauge_read(s, e.station_id, e.at, e.level)


def _ticket_sampled(s: Projection, e: ev.HallTicketRecorded) -> set[str]:
    changed = _ticket(s, e)
    return changed | series.hall_moved(s, e.hall_id, e.at, len(s.halls[e.hall_id].waiting))


register_handler(ev.StationReadingRecorded, _reading_sampled)
register_handler(ev.HallTicketRecorded, _ticket_sampled)

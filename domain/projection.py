"""The read model: a fold of the event log; one apply function per event type."""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

from domain import events as ev
from domain import alerts, flood, halls, series, situation
from domain import folds
from domain.model import District
from domain.state import State


class Projection(State):
    """The district's state with its fold: apply one event at a time, in log order."""

    def apply(self, event: ev.Event, seq: int | None = None) -> set[str]:
        """Fold one event in; return the keys ("incident:ID", ...) of what changed."""
        if seq is not None:
            self.seq = seq
        self.last_event_at = max(self.last_event_at, event.at)
        handler = _HANDLERS.get(type(event))
        changed = handler(self, event) if handler else set()
        if self.last_event_at >= self.sweep_at:
            folds.sweep(self)  # closed incidents past the retention leave memory (their streams stay in the log)
        return changed


def replay(district: District, events: Iterable[tuple[int, ev.Event]],
           dispatch_s: Mapping[int, float] | None = None) -> Projection:
    """Rebuild the projection from (seq, event) pairs in log order, with the policy's dispatch targets."""
    state = Projection(district, dict(dispatch_s)) if dispatch_s else Projection(district)
    for seq, event in events:
        state.apply(event, seq)
    return state


def fold_stream(district: District, events: Iterable[tuple[int, ev.Event]],
                dispatch_s: Mapping[int, float] | None = None) -> Projection:
    """Fold one incident's own stream (an archived incident's, read back from the log) with nothing archived."""
    state = Projection(district, dict(dispatch_s)) if dispatch_s else Projection(district)
    state.retention_s = float("inf")
    for seq, event in events:
        state.apply(event, seq)
    return state


def register_handler(cls: type[ev.Event], fn: Callable[[Projection, ev.Event], set[str]]) -> None:
    """Fold a further event type (added by other domain modules) into the projection."""
    _HANDLERS[cls] = fn


_HANDLERS: dict[type, Callable[[Projection, ev.Event], set[str]]] = {
    **folds.HANDLERS,
    ev.HallTicketRecorded: halls.apply_ticket,
}

# Flood watches and public alerts are folded by their own domain modules.
# The wall's situation (flood response level, security posture) changes with stations, alerts and broadcasts.
register_handler(ev.FloodStageChanged, flood.apply_stage_changed)
register_handler(ev.StationReadingRecorded, situation.touching(flood.apply_reading))
register_handler(ev.AlertIssued, situation.touching(alerts.apply_issued))
register_handler(ev.AlertCancelled, situation.touching(alerts.apply_cancelled))
register_handler(ev.AlertExpired, situation.touching(alerts.apply_expired))
register_handler(ev.BroadcastIssued, situation.touching(folds.broadcast_issued))


# The analytics charts' samples follow each reading and ticket (domain/series.py).
def _sampled(fold: Callable[[Projection, ev.Event], set[str]],
             sample: Callable[[Projection, ev.Event], set[str]]) -> Callable[[Projection, ev.Event], set[str]]:
    """Return a fold that also keeps the event's chart sample."""
    return lambda s, e: fold(s, e) | sample(s, e)


register_handler(ev.StationReadingRecorded, _sampled(
    _HANDLERS[ev.StationReadingRecorded], lambda s, e: series.gauge_read(s, e.station_id, e.at, e.level)))
register_handler(ev.HallTicketRecorded, _sampled(
    _HANDLERS[ev.HallTicketRecorded],
    lambda s, e: series.hall_moved(s, e.hall_id, e.at,
                                   halls.waiting_at(s.halls[e.hall_id], e.at, s.district.utc_offset_h))))

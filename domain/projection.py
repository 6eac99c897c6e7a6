"""The read model: a fold of the event log; one apply function per event type."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from domain import alerts, flood, folds, halls, positions, recurbook, series, situation, warnbook
from domain import events as ev
from domain.model import District
from domain.state import State


class Projection(State):
    """The district's state with its fold: apply one event at a time, in log order."""

    def apply(self, event: ev.Event, seq: int | None = None) -> set[str]:
        """Fold one event in; return the keys ("incident:ID", ...) of what changed."""
        if seq is not None:
            self.seq = seq
        self.last_event_at = max(self.last_event_at, event.at)
        handler = FOLDS.get(type(event))
        changed = handler(self, event) if handler else set()
        if self.last_event_at >= self.sweep_at:
            folds.sweep(self)  # closed incidents past the retention leave memory (their streams stay in the log)
        return changed


def replay(
    district: District, events: Iterable[tuple[int, ev.Event]], dispatch_s: Mapping[int, float] | None = None
) -> Projection:
    """Rebuild the projection from (seq, event) pairs in log order, with the policy's dispatch targets."""
    state = Projection(district, dict(dispatch_s)) if dispatch_s else Projection(district)
    for seq, event in events:
        state.apply(event, seq)
    return state


def fold_stream(
    district: District, events: Iterable[tuple[int, ev.Event]], dispatch_s: Mapping[int, float] | None = None
) -> Projection:
    """Fold one incident's own stream (an archived incident's, read back from the log) with nothing archived."""
    state = Projection(district, dict(dispatch_s)) if dispatch_s else Projection(district)
    state.retention_s = float("inf")
    for seq, event in events:
        state.apply(event, seq)
    return state


Fold = Callable[[Projection, Any], set[str]]


def _sampled(fold: Fold, sample: Fold) -> Fold:
    """Return a fold that also keeps the event's chart sample (domain/series.py)."""
    return lambda s, e: fold(s, e) | sample(s, e)


def _gauge_sample(s: Projection, e: ev.StationReadingRecorded) -> set[str]:
    return series.gauge_read(s, e.station_id, e.at, e.level)


def _hall_sample(s: Projection, e: ev.HallTicketRecorded) -> set[str]:
    return series.hall_moved(s, e.hall_id, e.at, halls.waiting_at(s.halls[e.hall_id], e.at, s.district.utc_offset_h))


_step = folds.tracked(folds.step)
# The fold table, written once: each event type's fold with what it also keeps, inside out. folds.tracked keeps
# the incident indexes (and ignores an archived incident's event), situation.touching marks the wall's situation
# changed with what changed, _sampled keeps the analytics' samples, warnbook.counted the early warning's counts,
# recurbook.placing and .following the recurring problems' book. An event type missing here changes nothing.
FOLDS: dict[type[ev.Event], Fold] = {
    ev.IncidentReported: recurbook.placing(warnbook.counted(folds.reported_tracked)),
    ev.OrderIssued: recurbook.following(folds.tracked(folds.issued)),
    **{cls: _step for cls in ev.STEP_EVENTS.values() if cls is not ev.OrderResolved},
    ev.OrderResolved: recurbook.following(_step),
    ev.SlaBreached: folds.tracked(folds.breached),
    ev.OrderTransferred: recurbook.following(folds.tracked(folds.transferred)),
    ev.FeedbackRecorded: folds.tracked(folds.feedback),
    ev.IncidentReopened: recurbook.following(folds.tracked(folds.reopened)),
    ev.IncidentClosed: recurbook.following(folds.tracked(folds.closed)),
    ev.IncidentCancelled: recurbook.following(folds.tracked(folds.cancelled)),
    ev.IncidentMerged: recurbook.following(folds.tracked(folds.merged_tracked)),
    ev.IncidentEscalated: folds.tracked(folds.escalated),
    ev.DispatchBreached: folds.tracked(folds.dispatch_breached),
    ev.BroadcastIssued: situation.touching(folds.broadcast_issued),
    ev.BroadcastSigned: folds.broadcast_signed,
    ev.StationReadingRecorded: _sampled(situation.touching(flood.apply_reading), _gauge_sample),
    ev.FloodStageChanged: flood.apply_stage_changed,
    ev.AlertIssued: situation.touching(alerts.apply_issued),
    ev.AlertCancelled: situation.touching(alerts.apply_cancelled),
    ev.AlertExpired: situation.touching(alerts.apply_expired),
    ev.HallTicketRecorded: _sampled(halls.apply_ticket, _hall_sample),
    ev.TeamPositioned: positions.positioned,
    ev.WarningRaised: warnbook.raised,
    ev.WarningAcknowledged: warnbook.acknowledged,
}

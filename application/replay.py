"""Replay: the district's state at any past moment, from the log, with checkpoints so a moment costs little."""
from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass
from typing import Any, Mapping

from domain import events as ev
from domain.model import District
from domain.projection import Projection
from domain.replay import checkpoint, fold_until
from domain.timeline import incident_timeline
from store.log import EventLog

CHECKPOINT_EVERY = 2000  # events between checkpoints: a moment folds at most this many after a copy
MAX_CHECKPOINTS = 64  # past this, every other one is dropped and the spacing doubles: each holds the dicts of a state


@dataclass(frozen=True)
class Point:
    """A checkpoint: the state after seq, and the time of its last event."""

    seq: int
    at: float
    state: Projection


class Replayer:
    """Rebuild any moment by folding the log from the nearest earlier checkpoint; checkpoints are kept."""

    def __init__(self, log: EventLog, district: District, dispatch_s: Mapping[int, float] | None = None,
                 every: int = CHECKPOINT_EVERY) -> None:
        self.log, self.district, self.dispatch_s, self.every = log, district, dict(dispatch_s or {}), every
        self._points: list[Point] = [Point(0, float("-inf"), self._empty())]
        self._lock = threading.Lock()  # one extender at a time; the points themselves are never folded into

    def _empty(self) -> Projection:
        return Projection(self.district, dict(self.dispatch_s)) if self.dispatch_s else Projection(self.district)

    def at(self, t: float) -> Projection:
        """Return the state at t: every event of the log that happened by t, folded in order."""
        self.extend(t)
        with self._lock:
            point = self._points[max(0, bisect.bisect_right([p.at for p in self._points], t) - 1)]
        state = checkpoint(point.state)
        fold_until(state, self.log.read(after=point.seq), t)
        return state

    def extend(self, t: float | None = None) -> None:
        """Add checkpoints along the log up to the moment t (the whole log when None)."""
        with self._lock:
            last = self._points[-1]
            if t is not None and last.at > t:
                return
            state, count = checkpoint(last.state), 0
            for seq, event in self.log.read(after=last.seq):
                state.apply(event, seq)
                count += 1
                if count % self.every == 0:
                    self._keep(Point(seq, state.last_event_at, checkpoint(state)))
                    if t is not None and state.last_event_at > t:
                        return

    def _keep(self, point: Point) -> None:
        self._points.append(point)
        if len(self._points) > MAX_CHECKPOINTS:
            self._points = self._points[:1] + self._points[2::2]
            self.every *= 2

    def events_between(self, start: float, end: float, kinds: tuple[type, ...]) -> list[ev.Event]:
        """Return the log's events of some types that happened in [start, end)."""
        return [e for _, e in self.log.between(start, end, [k.__name__ for k in kinds])]

    def timeline(self, incident_id: str, t: float, utc_offset_h: float) -> dict[str, Any] | None:
        """Return an incident's own timeline as of t (domain/timeline.py), or None when it did not exist by then."""
        state = self.at(t)
        incident = state.incidents.get(incident_id)
        if incident is None:
            return None
        events = [e for seq, e in self.log.stream(incident_id) if seq <= state.seq]  # the moment's prefix, no more
        return incident_timeline(incident, events, self.district, t, utc_offset_h)

"""Replay: the district's state at any past moment, from the log, with checkpoints so a moment costs little.

Its states archive closed incidents as the live one does (domain/folds.py sweep): a report's window is at most
seven days, read as of its end, and the retention (eight days) keeps every incident that can count for it.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from domain import events as ev
from domain.model import District
from domain.projection import Projection, fold_stream
from domain.replay import checkpoint, fold_until
from domain.state import RETENTION_S
from domain.timeline import incident_timeline
from store.log import EventLog
from store.snapshots import Snapshots

CHECKPOINT_EVERY = 2000  # events between checkpoints: a moment folds at most this many after a copy
MAX_CHECKPOINTS = 64  # past this, every other one is dropped and the spacing doubles: each holds the dicts of a state
GAP_CHECKPOINTS = 32  # at most this many fill the log before a seeded snapshot (a year of log: one every ~250,000)
E = TypeVar("E", bound=ev.Event)  # the event types events_between is asked for


@dataclass(frozen=True)
class Point:
    """A checkpoint: the state after seq, and the time of its last event."""

    seq: int
    at: float
    state: Projection


class Replayer:
    """Rebuild any moment by folding the log from the nearest earlier checkpoint; checkpoints are kept."""

    def __init__(
        self,
        log: EventLog,
        district: District,
        dispatch_s: Mapping[int, float] | None = None,
        every: int = CHECKPOINT_EVERY,
        snapshot_key: bytes = b"",
    ) -> None:
        self.log, self.district, self.dispatch_s, self.every = log, district, dict(dispatch_s or {}), every
        self._points: list[Point] = [Point(0, float("-inf"), self._empty())]
        self._lock = threading.Lock()  # one extender at a time; the points themselves are never folded into
        self._snapshots = Snapshots(log.engine, snapshot_key)  # the store's, signed with the same secret

    def _empty(self) -> Projection:
        return Projection(self.district, dict(self.dispatch_s)) if self.dispatch_s else Projection(self.district)

    def at(self, t: float) -> Projection:
        """Return the state at t: every event of the log that happened by t, folded in order."""
        self.extend(t)
        with self._lock:
            i = max(0, bisect.bisect_right([p.at for p in self._points], t) - 1)
            point = self._points[i]
            gap = self._points[i + 1].seq - point.seq if i + 1 < len(self._points) else 0
        state = checkpoint(point.state)
        if gap > 2 * self.every:  # before the seeded snapshot: fill the gap with checkpoints on the way
            self._fill(state, t, max(self.every, gap // GAP_CHECKPOINTS))
            return state
        fold_until(state, self.log.read(after=point.seq), t)
        return state

    def _fill(self, state: Projection, t: float, spacing: int) -> None:
        """Fold into state up to t, keeping a checkpoint every `spacing` events (a gap is filled once, in at most
        GAP_CHECKPOINTS of them)."""
        count = 0
        for seq, event in self.log.read(after=state.seq):
            if event.at > t:
                return
            state.apply(event, seq)
            count += 1
            if count % spacing == 0:
                with self._lock:
                    seqs = [p.seq for p in self._points]
                    k = bisect.bisect_left(seqs, seq)
                    if k < len(seqs) and seqs[k] - seq > spacing and len(seqs) < 2 * MAX_CHECKPOINTS:
                        self._points.insert(k, Point(seq, state.last_event_at, checkpoint(state)))

    def extend(self, t: float | None = None) -> None:
        """Add checkpoints along the log up to the moment t (the whole log when None)."""
        with self._lock:
            if len(self._points) == 1:
                self._seed()
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

    def _seed(self) -> None:
        """Start the checkpoints' chain at the newest snapshot too, so following the log never folds a year of it;
        a moment before the snapshot fills that gap with checkpoints when first asked for (at)."""
        start = self._snapshots.load(self.district, self.dispatch_s or None, RETENTION_S, self.log.last_seq())
        if start is not None and start.seq > 2 * self.every:
            self._points.append(Point(start.seq, start.last_event_at, start))

    def _keep(self, point: Point) -> None:
        self._points.append(point)
        if len(self._points) > MAX_CHECKPOINTS:
            self._points = self._points[:1] + self._points[2::2]
            self.every *= 2

    def events_between(self, start: float, end: float, kinds: tuple[type[E], ...]) -> list[E]:
        """Return the log's events of some types that happened in [start, end)."""
        picked = [e for _, e in self.log.between(start, end, [k.__name__ for k in kinds])]
        return cast("list[E]", picked)  # the log picks them by these types' names

    def timeline(self, incident_id: str, t: float, utc_offset_h: float) -> dict[str, Any] | None:
        """Return an incident's own timeline as of t (domain/timeline.py), or None when it did not exist by then."""
        state = self.at(t)
        incident = state.incidents.get(incident_id)
        pairs = [(seq, e) for seq, e in self.log.stream(incident_id) if seq <= state.seq]  # the moment's prefix
        if incident is None and pairs:  # archived by then: folded from its own stream
            incident = fold_stream(self.district, pairs, self.dispatch_s or None).incidents.get(incident_id)
        if incident is None:
            return None
        return incident_timeline(incident, [e for _, e in pairs], self.district, t, utc_offset_h)

"""The store: decide against the projection, append to the log, fold in, tell listeners; one lock, two doors."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from domain import events as ev
from domain.model import District, Incident
from domain.projection import Projection, fold_stream
from domain.replay import checkpoint
from domain.state import RETENTION_S
from store.log import EventLog
from store.snapshots import Snapshots

SNAPSHOT_EVENTS = 20_000  # a snapshot after this many events, or
SNAPSHOT_S = 600.0  # this long after the last one when anything was appended since

Listener = Callable[[set[str], int], None]
Stored = Callable[[list[ev.Event]], None]
T = TypeVar("T")


@dataclass(frozen=True)
class Appended:
    """What an append did: the events newly stored and the keys of what changed."""

    events: list[ev.Event] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    seq: int = 0
    repeat: bool = False  # execute(once=...): the log already held that event, so nothing was decided


class Store:
    """The log plus its in-memory projection, kept equal under one lock.

    Its two doors: read(fn) runs fn on the projection under the lock; execute(decide) decides against it and
    appends the outcome. The lock and the projection are its own: nothing else takes the one or holds the other.
    """

    def __init__(
        self,
        log: EventLog,
        district: District,
        dispatch_s: Mapping[int, float] | None = None,
        snapshots: bool = True,
        retention_s: float = RETENTION_S,
        snapshot_key: bytes = b"",
    ) -> None:
        self.log = log
        self._lock = threading.RLock()
        # snapshot_key signs the snapshots: the installation's secret where it is wired (app, consumers, manage.py).
        self.snapshots = Snapshots(log.engine, snapshot_key) if snapshots else None
        # The newest compatible snapshot and the log after it; else (none, or unreadable) the whole log.
        start = self.snapshots.load(district, dispatch_s, retention_s, log.last_seq()) if self.snapshots else None
        self.started_from = start.seq if start else 0
        if start is None:
            start = Projection(district, dict(dispatch_s)) if dispatch_s else Projection(district)
            start.retention_s = retention_s
        self._state: Projection = start
        for seq, event in log.read(after=start.seq):
            start.apply(event, seq)
        self._listeners: list[Listener] = []
        self._stored: list[Stored] = []
        self._snapshot_seq: int = self.started_from
        self._snapshot_at: float | None = None

    def take_snapshot(self, now: float) -> tuple[int, int]:
        """Save the projection as it stands (python manage.py snapshot, and snapshot_due); return (seq, bytes)."""
        if self.snapshots is None:
            return 0, 0
        with self._lock:  # a copy of the dicts under the lock; the pickling outside it, with appends going on
            state = checkpoint(self._state)
        size = self.snapshots.save(state, now)
        self._snapshot_seq, self._snapshot_at = state.seq, now
        return state.seq, size

    def snapshot_due(self, now: float) -> None:
        """Take a snapshot when SNAPSHOT_EVENTS were folded, or SNAPSHOT_S passed with any, since the last one."""
        if self._snapshot_at is None:
            self._snapshot_at = now  # the clock of the first one starts with the process
        behind = self._state.seq - self._snapshot_seq
        if behind >= SNAPSHOT_EVENTS or (behind > 0 and now - self._snapshot_at >= SNAPSHOT_S):
            self.take_snapshot(now)

    def incident(self, incident_id: str) -> Incident | None:
        """Return an incident as it stands: from memory, or an archived one folded from its own stream."""
        with self._lock:
            inc = self._state.incidents.get(incident_id)
            district, dispatch_s = self._state.district, self._state.dispatch_s
        if inc is not None:
            return inc
        stream = self.log.stream(incident_id)
        return fold_stream(district, stream, dispatch_s).incidents.get(incident_id) if stream else None

    def subscribe(self, listener: Listener) -> None:
        """Call listener(changed_keys, seq) after each append that changed something, inside the store's lock."""
        self._listeners.append(listener)

    def on_stored(self, listener: Stored) -> None:
        """Call listener(events) with the events this store itself appended, once folded, inside the store's lock.

        Never with what it only folds: the start-up's replay, or what other processes appended (catch_up). So an
        event's side effect outside the district (a notice sent) happens once, in the process that decided it.
        """
        self._stored.append(listener)

    def append(self, batch: Sequence[ev.Event]) -> Appended:
        """Append events (duplicates are skipped) and fold the new ones into the projection."""
        with self._lock:
            stored = self.log.append(batch)
            if stored and stored[0][0] != self._state.seq + 1:
                # Another process wrote in between: fold the log in order, theirs and ours alike.
                changed = self._fold(self.log.read(after=self._state.seq))
                return self._own(self._tell(Appended([e for _, e in stored], changed, self._state.seq)))
            return self._own(self._tell(Appended([e for _, e in stored], self._fold(stored), self._state.seq)))

    def catch_up(self) -> Appended:
        """Fold what other processes (consumers, other web processes) appended since our last seq."""
        with self._lock:
            read = list(self.log.read(after=self._state.seq))
            return self._tell(Appended([e for _, e in read], self._fold(read), self._state.seq))

    def read(self, fn: Callable[[Projection], T]) -> T:
        """Return fn(projection), run under the store's lock: no fold changes what fn reads meanwhile.

        fn reads and returns; what it returns must not be a live part of the projection that is read later
        outside the lock (copy a dict, or build the answer inside fn). The lock is reentrant: a listener may read.
        """
        with self._lock:
            return fn(self._state)

    def execute(
        self,
        decide: Callable[[Projection], list[ev.Event]],
        once: str = "",
        check: Callable[[Projection], None] | None = None,
        exclusive: bool = True,
    ) -> Appended:
        """Decide against the current state and append the outcome, with no other writer between, in any process.

        The log's write lock (EventLog.writing) is taken before the last of the tail is read, and held
        until the outcome commits: two processes deciding on one incident decide one after the other,
        the second against the first's outcome. Lock order: this store's lock, then the log's.
        once: a command's event id; if any process stored it already, nothing is decided (repeat=True).
        check: runs first, against the state caught up with other processes; it raises to refuse (an access
        check), so a refusal never depends on whether the command was a repeat.
        exclusive=False: decided under this store's lock only, without the log's write lock or a catch-up, for
        outcomes the log deduplicates by themselves (source records); one decided on a stale projection is
        skipped as a duplicate, and the log is folded in order.
        """
        with self._lock:
            if not exclusive:
                return self.append(decide(self._state))
            # Most of the tail is folded before the write lock, so other processes wait only for the rest.
            changed = set(self.catch_up().changed)
            if check is not None:
                check(self._state)
            with self.log.writing() as writer:
                tail = self._fold(writer.read(self._state.seq))  # what committed while we waited for the lock
                changed |= self._tell(Appended(changed=tail, seq=self._state.seq)).changed
                if once and writer.has(once):
                    return Appended(changed=changed, seq=self._state.seq, repeat=True)
                stored = writer.append(decide(self._state))
            # Folded once committed: a failed commit leaves the projection equal to the log.
            result = self._own(self._tell(Appended([e for _, e in stored], self._fold(stored), self._state.seq)))
            return Appended(result.events, changed | result.changed, result.seq)

    def _fold(self, stored: Iterable[tuple[int, ev.Event]]) -> set[str]:
        changed: set[str] = set()
        for seq, event in stored:
            if seq > self._state.seq:
                changed |= self._state.apply(event, seq)
        return changed

    def _tell(self, result: Appended) -> Appended:
        # Inside the lock: a listener never sees a seq whose keys it has not been told of.
        if result.changed:
            for listener in self._listeners:
                listener(result.changed, result.seq)
        return result

    def _own(self, result: Appended) -> Appended:
        # result.events are the events this store appended (never those of a catch-up): see on_stored.
        if result.events:
            for listener in self._stored:
                listener(result.events)
        return result

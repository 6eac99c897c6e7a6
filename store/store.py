"""The store: decide against the projection, append to the log, fold in, tell listeners; one lock."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from domain import events as ev
from domain.model import District
from domain.projection import Projection, replay
from store.log import EventLog

Listener = Callable[[set[str], int], None]


@dataclass(frozen=True)
class Appended:
    """What an append did: the events newly stored and the keys of what changed."""

    events: list[ev.Event] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    seq: int = 0
    repeat: bool = False  # execute(once=...): the log already held that event, so nothing was decided


class Store:
    """The log plus its in-memory projection, kept equal under one lock."""

    def __init__(self, log: EventLog, district: District, dispatch_s: Mapping[int, float] | None = None) -> None:
        self.log = log
        self.lock = threading.RLock()
        self.state: Projection = replay(district, log.read(), dispatch_s)
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        """Call listener(changed_keys, seq) after each append that changed something."""
        self._listeners.append(listener)

    def append(self, batch: Sequence[ev.Event]) -> Appended:
        """Append events (duplicates are skipped) and fold the new ones into the projection."""
        with self.lock:
            stored = self.log.append(batch)
            if stored and stored[0][0] != self.state.seq + 1:
                # Another process wrote in between: fold the log in order, theirs and ours alike.
                changed = self._fold(self.log.read(after=self.state.seq))
                return self._tell(Appended([e for _, e in stored], changed, self.state.seq))
            return self._tell(Appended([e for _, e in stored], self._fold(stored), self.state.seq))

    def catch_up(self) -> Appended:
        """Fold what other processes (consumers, other web processes) appended since our last seq."""
        with self.lock:
            read = list(self.log.read(after=self.state.seq))
            return self._tell(Appended([e for _, e in read], self._fold(read), self.state.seq))

    def execute(self, decide: Callable[[Projection], list[ev.Event]], once: str = "") -> Appended:
        """Decide against the current state and append the outcome, with no other writer between, in any process.

        The log's write lock (EventLog.writing) is taken before the last of the tail is read, and held
        until the outcome commits: two processes deciding on one incident decide one after the other,
        the second against the first's outcome. Lock order: this store's lock, then the log's.
        once: a command's event id; if any process stored it already, nothing is decided (repeat=True).
        """
        with self.lock:
            # Most of the tail is folded before the write lock, so other processes wait only for the rest.
            changed = set(self.catch_up().changed)
            with self.log.writing() as writer:
                tail = self._fold(writer.read(self.state.seq))  # what committed while we waited for the lock
                changed |= self._tell(Appended(changed=tail, seq=self.state.seq)).changed
                if once and writer.has(once):
                    return Appended(changed=changed, seq=self.state.seq, repeat=True)
                stored = writer.append(decide(self.state))
            # Folded once committed: a failed commit leaves the projection equal to the log.
            result = self._tell(Appended([e for _, e in stored], self._fold(stored), self.state.seq))
            return Appended(result.events, changed | result.changed, result.seq)

    def _fold(self, stored: Iterable[tuple[int, ev.Event]]) -> set[str]:
        changed: set[str] = set()
        for seq, event in stored:
            if seq > self.state.seq:
                changed |= self.state.apply(event, seq)
        return changed

    def _tell(self, result: Appended) -> Appended:
        # Inside the lock: a listener never sees a seq whose keys it has not been told of.
        if result.changed:
            for listener in self._listeners:
                listener(result.changed, result.seq)
        return result

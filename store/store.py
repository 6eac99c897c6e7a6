"""The store: decide against the projection, append to the log, fold in, tell listeners; one lock."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable, Sequence

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


class Store:
    """The log plus its in-memory projection, kept equal under one lock."""

    def __init__(self, log: EventLog, district: District) -> None:
        self.log = log
        self.lock = threading.RLock()
        self.state: Projection = replay(district, log.read())
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        """Call listener(changed_keys, seq) after each append that changed something."""
        self._listeners.append(listener)

    def append(self, batch: Sequence[ev.Event]) -> Appended:
        """Append events (duplicates are skipped) and fold the new ones into the projection."""
        with self.lock:
            stored = self.log.append(batch)
            changed: set[str] = set()
            for seq, event in stored:
                changed |= self.state.apply(event, seq)
            result = Appended([e for _, e in stored], changed, self.state.seq)
            # Inside the lock: a listener never sees a seq whose keys it has not been told of.
            if changed:
                for listener in self._listeners:
                    listener(changed, result.seq)
        return result

    def execute(self, decide: Callable[[Projection], list[ev.Event]]) -> Appended:
        """Decide against the current state and append the outcome, with no other writer between."""
        with self.lock:
            return self.append(decide(self.state))

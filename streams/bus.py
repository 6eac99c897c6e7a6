"""The bus between sources and the consumer; the in-process one is the embedded default."""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

DEAD_KEPT = 10_000  # the in-process dead-letter keeps this many; the store's table keeps them all


@dataclass(frozen=True)
class Entry:
    """One record on the bus, with the id the bus acks it by and the stream it came on."""

    id: str
    record: Any
    stream: str = ""


class Bus(Protocol):
    """Publish records; read them in batches; ack each after its effect is committed."""

    name: str
    redelivers: bool  # an unacked entry comes back by itself (counted, cut off as poison); else the consumer decides

    def publish(self, records: Sequence[Any]) -> list[str]: ...

    def read(self, consumer: str, count: int, block_ms: int) -> list[Entry]: ...

    def ack(self, entries: Sequence[Entry]) -> None: ...

    def dead(self, rejected: Sequence[tuple[Entry, str]]) -> None: ...

    def backlog(self) -> int: ...


class MemoryBus:
    """An in-process bus with at-least-once semantics: unacked entries can be taken back."""

    name = "memory"
    redelivers = False  # only requeue_pending (a restart) brings entries back: a poison record is dead-lettered at once

    def __init__(self, maxlen: int = 100_000) -> None:
        self._queue: deque[Entry] = deque(maxlen=maxlen)  # oldest dropped past maxlen, like MAXLEN ~
        self._pending: dict[str, Entry] = {}
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self.dead_letters: deque[tuple[Entry, str]] = deque(maxlen=DEAD_KEPT)

    def publish(self, records: Sequence[Any]) -> list[str]:
        """Append records; return their ids."""
        with self._cond:
            entries = [Entry(f"{next(self._ids)}-0", r, "memory") for r in records]
            self._queue.extend(entries)
            self._cond.notify_all()
        return [e.id for e in entries]

    def read(self, consumer: str, count: int, block_ms: int) -> list[Entry]:
        """Take up to count entries, waiting up to block_ms for the first."""
        with self._cond:
            if not self._queue:
                self._cond.wait(block_ms / 1000)
            batch = [self._queue.popleft() for _ in range(min(count, len(self._queue)))]
            self._pending.update((e.id, e) for e in batch)
        return batch

    def ack(self, entries: Sequence[Entry]) -> None:
        """Forget entries whose effect is committed."""
        with self._cond:
            for e in entries:
                self._pending.pop(e.id, None)

    def dead(self, rejected: Sequence[tuple[Entry, str]]) -> None:
        """Keep rejected entries with their reasons (the store's dead_letters table has them too)."""
        with self._cond:
            self.dead_letters.extend(rejected)

    def requeue_pending(self) -> int:
        """Put unacked entries back at the front (a consumer died mid-batch); return how many."""
        with self._cond:
            pending = sorted(self._pending.values(), key=lambda e: int(e.id.split("-")[0]))
            self._queue.extendleft(reversed(pending))
            self._pending.clear()
            return len(pending)

    def backlog(self) -> int:
        """Return how many entries wait to be read."""
        return len(self._queue)

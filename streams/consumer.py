"""The consumer loop: read a batch from the bus, ingest it, dead-letter the rejected, ack; never dies of a record.

Faults: a batch that fails is retried entry by entry, so one poison record never holds back the others; a
batch in hand when the store or Redis goes away is kept and retried until it is committed and acked.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from store.faults import unavailable
from streams import codec
from streams.bus import Bus, Entry
from streams.ingest import Ingestor, Result, collector_paused

log = logging.getLogger(__name__)
BATCH = 500
BLOCK_MS = 1000
TICK_S = 1.0  # alert expiry is checked this often
RETRY_S = 1.0


def default_name() -> str:
    """Return a consumer name unique to this process: its pending entries are its own."""
    return f"{socket.gethostname()}-{os.getpid()}"


def consume_once(
    bus: Bus,
    ingestor: Ingestor,
    consumer: str = "web-1",
    count: int = BATCH,
    block_ms: int = BLOCK_MS,
    tally: Counter[str] | None = None,
) -> int:
    """Process one batch; return how many entries it took. Acks only after the store committed."""
    # A backlog is read and processed with the collector held off (see collector_paused), reading
    # included: the reply is the batch's largest heap of objects. Only an idle wait keeps it on.
    with collector_paused():
        entries = bus.read(consumer, count, 1)
        if entries:
            return _process(bus, ingestor, entries, tally)
    entries = bus.read(consumer, count, block_ms)
    if not entries:
        return 0
    with collector_paused():
        return _process(bus, ingestor, entries, tally)


class Unavailable(Exception):
    """The store or Redis went away with a batch in hand: keep it and retry (results: set once it is committed)."""

    def __init__(self, entries: list[Entry], results: list[Result | None] | None, cause: BaseException) -> None:
        super().__init__(f"{unavailable(cause)} unavailable: {type(cause).__name__}: {str(cause)[:200]}")
        self.entries, self.results, self.cause = entries, results, cause


def _process(bus: Bus, ingestor: Ingestor, entries: list[Entry], tally: Counter[str] | None) -> int:
    """Ingest a batch, dead-letter its rejected, then ack it all; return its size."""
    results: Sequence[Result | None]
    try:
        try:
            results = ingestor.ingest([e.record for e in entries])
        except Exception as exc:
            if unavailable(exc):
                raise
            results = _one_by_one(bus, ingestor, entries, exc)
    except Exception as exc:
        if unavailable(exc):  # nothing of it is acked: the whole batch is kept and tried again
            raise Unavailable(entries, None, exc) from exc
        raise
    settle(bus, entries, results, tally)
    return len(entries)


def settle(bus: Bus, entries: Sequence[Entry], results: Sequence[Result | None], tally: Counter[str] | None) -> None:
    """After the commit: dead-letter the rejected, ack the batch (an entry without a result stays pending)."""
    done = [(e, r) for e, r in zip(entries, results) if r is not None]
    try:
        rejected = [(e, r.reason) for e, r in done if r.status == "rejected"]
        if rejected:
            bus.dead(rejected)
        bus.ack([e for e, _ in done])
    except Exception as exc:
        if unavailable(exc):
            raise Unavailable(list(entries), list(results), exc) from exc
        raise
    if tally is not None:
        tally.update(r.status for _, r in done)


def _one_by_one(bus: Bus, ingestor: Ingestor, entries: list[Entry], failure: Exception) -> list[Result | None]:
    """Retry a failed batch entry by entry; return each one's result, None for one that fails on its own."""
    log.error(
        "a batch of %d failed (%s: %s); retrying it entry by entry",
        len(entries),
        type(failure).__name__,
        str(failure)[:200],
    )
    results: list[Result | None] = []
    for e in entries:
        try:
            results += ingestor.ingest([e.record])
        except Exception as exc:
            if unavailable(exc):
                raise
            results.append(_poison(bus, ingestor, e, exc))
    return results


def _poison(bus: Bus, ingestor: Ingestor, entry: Entry, exc: Exception) -> Result | None:
    """A record whose processing fails on its own: left pending on a bus that redelivers, else dead-lettered now."""
    log.exception("entry %s of %s failed on its own", entry.id, entry.stream or "the bus")
    if getattr(bus, "redelivers", False):  # it comes back, counted, and is cut off at the bus's max_deliveries
        return None
    reason = f"poison: processing failed ({type(exc).__name__}: {str(exc)[:200]})"
    source = entry.record.get("source") if isinstance(entry.record, dict) else None
    raw = entry.record.raw if isinstance(entry.record, codec.Undecodable) else codec.dumps(entry.record).decode()
    return ingestor.ingest([codec.Undecodable(reason, str(source or "?")[:60], raw)])[0]


def run(
    bus: Bus,
    ingestor: Ingestor,
    stop: threading.Event,
    consumer: str = "",
    count: int = BATCH,
    block_ms: int = BLOCK_MS,
    tally: Counter[str] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> None:
    """Consume until stop is set; a failing batch is logged and retried, never fatal."""
    consumer = consumer or default_name()
    next_tick = 0.0
    held: Unavailable | None = None  # the batch in hand when the store or Redis went away
    outage = _Outage()
    while not stop.is_set():
        try:
            if held is not None:
                n = _retry(bus, ingestor, held, tally)
                held = None
            else:
                n = consume_once(bus, ingestor, consumer, count, block_ms, tally)
            if on_batch is not None:
                on_batch(n)
            if time.monotonic() >= next_tick:
                next_tick = time.monotonic() + TICK_S
                ingestor.tick()
            outage.over()
        except Unavailable as exc:  # the batch stays in hand: retried as it is, not redelivered and recounted
            held = exc
            outage.during(exc.cause)
            stop.wait(RETRY_S)
        except Exception as exc:  # a store or Redis outage must not kill the loop; the batch stays unacked
            if unavailable(exc):
                outage.during(exc)
            else:
                log.exception("consumer batch failed; retrying")
            stop.wait(RETRY_S)


def _retry(bus: Bus, ingestor: Ingestor, held: Unavailable, tally: Counter[str] | None) -> int:
    """Process a batch kept through an outage again: only its ack when it was committed already."""
    with collector_paused():
        if held.results is None:
            return _process(bus, ingestor, held.entries, tally)
        settle(bus, held.entries, held.results, tally)
        return len(held.entries)


class _Outage:
    """Log an outage once when it starts and once when it ends, not every retry."""

    def __init__(self) -> None:
        self.since: float | None = None

    def during(self, cause: Any) -> None:
        if self.since is None:
            self.since = time.monotonic()
            log.warning(
                "%s unavailable (%s: %s); retrying every %.0f s",
                unavailable(cause) or "server",
                type(cause).__name__,
                str(cause)[:200],
                RETRY_S,
            )

    def over(self) -> None:
        if self.since is not None:
            log.warning("resumed after %.1f s", time.monotonic() - self.since)
            self.since = None

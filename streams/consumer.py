"""The consumer loop: read a batch from the bus, ingest it, dead-letter the rejected, ack; never dies of a record."""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections import Counter
from typing import Callable

from streams.bus import Bus, Entry
from streams.ingest import Ingestor, collector_paused

log = logging.getLogger(__name__)
BATCH = 500
BLOCK_MS = 1000
TICK_S = 1.0  # alert expiry is checked this often
RETRY_S = 1.0


def default_name() -> str:
    """Return a consumer name unique to this process: its pending entries are its own."""
    return f"{socket.gethostname()}-{os.getpid()}"


def consume_once(bus: Bus, ingestor: Ingestor, consumer: str = "web-1", count: int = BATCH,
                 block_ms: int = BLOCK_MS, tally: Counter | None = None) -> int:
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


def _process(bus: Bus, ingestor: Ingestor, entries: list[Entry], tally: Counter | None) -> int:
    """Ingest a batch, dead-letter its rejected, then ack it all; return its size."""
    results = ingestor.ingest([e.record for e in entries])
    rejected = [(e, r.reason) for e, r in zip(entries, results) if r.status == "rejected"]
    if rejected:
        bus.dead(rejected)
    bus.ack(entries)
    if tally is not None:
        tally.update(r.status for r in results)
    return len(entries)


def run(bus: Bus, ingestor: Ingestor, stop: threading.Event, consumer: str = "", count: int = BATCH,
        block_ms: int = BLOCK_MS, tally: Counter | None = None, on_batch: Callable[[int], None] | None = None) -> None:
    """Consume until stop is set; a failing batch is logged and retried, never fatal."""
    consumer = consumer or default_name()
    next_tick = 0.0
    while not stop.is_set():
        try:
            n = consume_once(bus, ingestor, consumer, count, block_ms, tally)
            if on_batch is not None:
                on_batch(n)
            if time.monotonic() >= next_tick:
                next_tick = time.monotonic() + TICK_S
                ingestor.tick()
        except Exception:  # a store or Redis outage must not kill the loop; the batch stays unacked
            log.exception("consumer batch failed; retrying")
            stop.wait(RETRY_S)

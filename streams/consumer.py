"""The consumer loop: read a batch from the bus, ingest it, ack it; never dies of a record."""
from __future__ import annotations

import logging
import threading

from streams.bus import Bus
from streams.ingest import Ingestor

log = logging.getLogger(__name__)
BATCH = 500
BLOCK_MS = 1000


def consume_once(bus: Bus, ingestor: Ingestor, consumer: str = "web-1", count: int = BATCH,
                 block_ms: int = BLOCK_MS) -> int:
    """Process one batch; return how many entries it took. Acks only after the store committed."""
    entries = bus.read(consumer, count, block_ms)
    if entries:
        ingestor.ingest([e.record for e in entries])
        bus.ack(entries)
    return len(entries)


def run(bus: Bus, ingestor: Ingestor, stop: threading.Event, consumer: str = "web-1") -> None:
    """Consume until stop is set; a failing batch is logged and retried, never fatal."""
    while not stop.is_set():
        try:
            consume_once(bus, ingestor, consumer)
        except Exception:  # a store outage must not kill the loop; the batch stays unacked
            log.exception("consumer batch failed; retrying")
            stop.wait(1.0)

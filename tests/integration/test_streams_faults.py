"""Faults of the consumer group: dead consumer names removed, poison records cut off, a group lost with its data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis
from sqlalchemy import text

from streams import consumer
from streams.bus import MemoryBus
from streams.ingest import Ingestor, Result
from tests.integration.buses import incident, redis_bus
from tests.support import REDIS_URL

GROUP = "onemap"
MARKER = "JJ-POISON"


class CrashingIngestor(Ingestor):
    """An Ingestor that crashes the whole batch whenever a record carries the marker, as a bug would."""

    def ingest(self, raws: Sequence[Any]) -> list[Result]:
        if any(isinstance(r, dict) and r.get("alarm_no") == MARKER for r in raws):
            raise RuntimeError("processing crashed")
        return super().ingest(raws)


def _crashing(ingestor: Ingestor) -> CrashingIngestor:
    return CrashingIngestor(ingestor.store, ingestor.locator, ingestor.clock)


def _consumers(client: redis.Redis, stream: str) -> dict[str, int]:
    return {c["name"].decode(): c["pending"] for c in client.xinfo_consumers(stream, GROUP)}


def _stored(store) -> set[str]:
    with store.log.engine.connect() as conn:
        return set(
            conn.execute(
                text("SELECT json_extract(payload, '$.source_id') FROM events WHERE type = 'IncidentReported'")
            ).scalars()
        )


def test_consumers_idle_with_nothing_pending_are_removed_and_one_with_pending_entries_only_once_claimed(
    prefix, district
):
    earlier = redis_bus(prefix)  # the processes that died, with the default thresholds
    bus = redis_bus(prefix, claim_idle_ms=0, claim_every_s=0, forget_idle_ms=0)
    client = redis.Redis.from_url(REDIS_URL)
    stream = bus.stream_key("110")
    earlier.publish([incident(0, district), incident(1, district)])
    earlier.ack(earlier.read("dead-empty", 1, 1))  # took one, acked it, then its process ended
    assert len(earlier.read("dead-with-pending", 1, 1)) == 1  # took one, never acked: its process died
    earlier.close()
    assert _consumers(client, stream) == {"dead-with-pending": 1, "dead-empty": 0}

    bus.forget_consumers("me")  # the one holding an entry stays until it is claimed
    assert _consumers(client, stream) == {"dead-with-pending": 1}

    claimed = bus.read("me", 10, 1)  # a claim round: XAUTOCLAIM takes the entry, then the cleanup runs
    assert [e.record["alarm_no"] for e in claimed] == ["JJ-1"]
    assert _consumers(client, stream) == {"me": 1}  # the dead name is gone; the reader itself never is
    bus.ack(claimed)
    bus.close()


def test_a_consumer_idle_for_less_than_the_threshold_is_kept(prefix, district):
    bus = redis_bus(prefix, forget_idle_ms=60_000)
    client = redis.Redis.from_url(REDIS_URL)
    assert bus.read("resting", 10, 1) == []
    assert bus.forget_consumers("me") == []
    assert "resting" in _consumers(client, bus.stream_key("110"))
    bus.close()


def test_a_poison_record_is_dead_lettered_after_max_deliveries_and_the_good_ones_of_its_batch_are_not_held_back(
    prefix, district, store, ingestor
):
    bus = redis_bus(prefix, claim_idle_ms=0, claim_every_s=0, max_deliveries=3)
    crashing = _crashing(ingestor)
    good = [incident(i, district) for i in range(3)]
    bus.publish([good[0], {**incident(9, district), "alarm_no": MARKER}, *good[1:]])
    client = redis.Redis.from_url(REDIS_URL)
    stream = bus.stream_key("110")

    assert consumer.consume_once(bus, crashing, "c1", 100, 1) == 4  # the batch crashes: retried entry by entry
    assert _stored(store) == {"JJ-0", "JJ-1", "JJ-2"}  # the good ones are in, at once
    assert client.xpending(stream, GROUP)["pending"] == 1  # the poison waits, unacked, to be delivered again

    deliveries = 1
    while client.xpending(stream, GROUP)["pending"] and deliveries < 10:
        consumer.consume_once(bus, crashing, "c1", 100, 1)  # claimed again: its delivery count goes up
        deliveries += 1
    assert deliveries == 4  # processed 3 times, cut off at the 4th delivery
    assert client.xpending(stream, GROUP)["pending"] == 0  # acked: the consumer moved on
    dead = client.xrange(bus.dead_key)
    assert len(dead) == 1
    fields = dead[0][1]
    assert fields[b"reason"] == b"poison: delivered 3 times without an ack"
    assert MARKER.encode() in fields[b"raw"]
    with store.log.engine.connect() as conn:  # also kept in the store's dead letters, raw payload and all
        reason, raw = conn.execute(text("SELECT reason, raw FROM dead_letters")).one()
    assert reason == "poison: delivered 3 times without an ack" and MARKER in raw
    assert _stored(store) == {"JJ-0", "JJ-1", "JJ-2"}
    bus.close()


def test_on_the_in_process_bus_a_poison_record_is_dead_lettered_at_once_and_the_others_stored(
    district, store, ingestor
):
    bus = MemoryBus()
    bus.publish([incident(0, district), {**incident(9, district), "alarm_no": MARKER}, incident(1, district)])
    assert consumer.consume_once(bus, _crashing(ingestor), "c1", 100, 1) == 3
    assert _stored(store) == {"JJ-0", "JJ-1"}
    assert [reason for _, reason in bus.dead_letters] == [
        "poison: processing failed (RuntimeError: processing crashed)"
    ]
    assert bus.requeue_pending() == 0  # everything acked: nothing comes back


def test_a_group_lost_with_its_streams_is_recreated_and_reading_goes_on(prefix, district):
    bus = redis_bus(prefix)
    bus.publish([incident(0, district)])
    taken = bus.read("c1", 10, 1)
    assert len(taken) == 1
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(*client.scan_iter(match=f"{prefix}:*"))  # what a Redis restart without persistence leaves
    bus.ack(taken)  # nothing is pending any more: nothing to ack, and no error
    bus.publish([incident(1, district)])
    assert [e.record["alarm_no"] for e in bus.read("c1", 10, 1)] == ["JJ-1"]
    bus.close()

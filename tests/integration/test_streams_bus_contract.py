"""The bus contract, run against the in-process bus and Redis Streams alike."""

from __future__ import annotations

from collections import Counter

import redis
from sqlalchemy import func, select

from store.tables import events
from streams import consumer
from streams.codec import Undecodable
from tests.integration.buses import incident, recover, redis_bus
from tests.support import REDIS_URL


def test_published_records_are_read_in_batches_and_gone_once_acked(bus):
    bus.publish([{"source": "hall", "n": i} for i in range(25)])
    first = bus.read("c1", 10, 100)
    assert [e.record["n"] for e in first] == list(range(10))
    bus.ack(first)
    rest = bus.read("c1", 100, 100)
    assert [e.record["n"] for e in rest] == list(range(10, 25))
    bus.ack(rest)
    assert bus.read("c1", 100, 50) == []


def test_entries_read_but_not_acked_are_delivered_again_after_the_consumer_dies(bus):
    bus.publish([{"source": "hall", "n": i} for i in range(5)])
    taken = bus.read("c1", 3, 100)
    assert len(taken) == 3  # ... and the consumer dies before it acks
    again = recover(bus)
    got = again.read("c2", 10, 100)
    got += again.read("c2", 10, 100)
    assert sorted(e.record["n"] for e in got) == [0, 1, 2, 3, 4]


def test_a_whole_feed_lands_in_the_store_once_even_when_delivered_twice(bus, ingestor, store, district):
    records = [incident(i, district) for i in range(300)]
    bus.publish(records + records[:50])  # a source that sent a stretch twice
    tally: Counter = Counter()
    while consumer.consume_once(bus, ingestor, "c1", count=100, block_ms=50, tally=tally):
        pass
    assert tally == Counter(accepted=300, duplicate=50)
    with store.log.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 300
    assert bus.backlog() == 0


def test_rejected_records_go_to_the_dead_letters_with_reason_and_raw_payload(bus, ingestor, store, district):
    bus.publish([incident(1, district), {"source": "110", "alarm_no": "X", "case_type": "FJ99", "lon": 1, "lat": 2}])
    consumer.consume_once(bus, ingestor, "c1", block_ms=50)
    (row,) = store.log.dead_letters()
    assert row["source"] == "110" and "FJ99" in row["reason"] and '"FJ99"' in row["raw"]
    assert bus.read("c1", 10, 50) == []  # acked: never redelivered


def test_a_malformed_redis_entry_is_dead_lettered_in_stream_and_table_and_acked(prefix, ingestor, store):
    b = redis_bus(prefix)
    raw = redis.Redis.from_url(REDIS_URL)
    b.read("c1", 1, 1)  # creates the groups
    raw.xadd(b.stream_key("110"), {"record": b"\xff\xfe not json"})
    raw.xadd(b.stream_key("110"), {"other": b"x"})
    assert consumer.consume_once(b, ingestor, "c1", block_ms=50) == 2
    dead = raw.xrange(b.dead_key)
    assert [d[b"reason"][:12] for _, d in dead] == [b"undecodable ", b"entry has no"]
    assert b"xff" in dead[0][1][b"raw"] and b"not json" in dead[0][1][b"raw"]
    reasons = sorted(r["reason"] for r in store.log.dead_letters())
    assert reasons[0].startswith("entry has no 'record'") and reasons[1].startswith("undecodable")
    assert raw.xpending(b.stream_key("110"), "onemap")["pending"] == 0


def test_reclaim_loops_on_the_cursor_past_one_count_of_stale_entries(prefix):
    dead = redis_bus(prefix)
    dead.publish([{"source": "grid", "n": i} for i in range(250)])
    while dead.read("dead-one", 100, 10):
        pass  # took all 250, acked none, and died
    heir = redis_bus(prefix, claim_idle_ms=0)
    claimed = [heir.read("heir", 60, 10) for _ in range(5)]
    assert sum(len(c) for c in claimed) == 250  # in batches of 60: the cursor carried across reads
    heir.ack([e for c in claimed for e in c])
    assert heir.backlog() == 0


def test_a_restarted_consumer_first_rereads_its_own_unacked_entries(prefix):
    first = redis_bus(prefix, claim_idle_ms=600_000)
    first.publish([{"source": "hall", "n": i} for i in range(4)])
    assert len(first.read("same-name", 10, 10)) == 4  # then killed
    again = redis_bus(prefix, claim_idle_ms=600_000)  # nothing is idle long enough to be claimed
    assert sorted(e.record["n"] for e in again.read("same-name", 10, 10)) == [0, 1, 2, 3]


def test_streams_are_per_source_and_trimmed_to_about_maxlen(prefix):
    b = redis_bus(prefix, maxlen=100)
    b.publish([{"source": "grid", "n": i} for i in range(2000)] + [{"source": "martian"}, "not an object"])
    raw = redis.Redis.from_url(REDIS_URL)
    assert 100 <= raw.xlen(b.stream_key("grid")) < 2000  # MAXLEN ~ trims whole nodes only
    assert raw.xlen(b.stream_key("unknown")) == 2


def test_an_unknown_or_undecodable_record_never_stops_the_ingest(ingestor):
    results = ingestor.ingest([Undecodable("undecodable record: bad", "110", "{}"), "text", 42, None])
    assert [r.status for r in results] == ["rejected"] * 4

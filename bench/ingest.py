"""Benchmark: Redis ceiling (raw XREADGROUP+XACK) vs our consumer end to end, and latency at 1,000 records/s.

    REDIS_URL=redis://127.0.0.1:6379/15 python bench/ingest.py

REDIS_URL is the Redis it writes to: the product's own setting (config.py), required, never guessed. Every key it
writes is under a prefix of its own, ONEMAP_REDIS_PREFIX (default onemap) + "-bench-ingest-" + a run id, so it
never touches the product's streams (onemap:*), and it deletes them when done. The store is a SQLite file in a
temporary directory.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python bench/ingest.py` from anywhere

import redis  # noqa: E402

from application.bootstrap import bootstrap  # noqa: E402
from config import Settings, from_env  # noqa: E402
from streams import consumer, feeds  # noqa: E402
from streams.redis_bus import RedisBus, RedisConfig  # noqa: E402

N = 60_000
BATCH = 500
LATENCY_RATE = 1000  # records per second
LATENCY_S = 5.0
SOURCES = ("12345", "grid", "110")
CATEGORIES = sorted(set(feeds.CODE_110) & set(feeds.CODE_12345) & set(feeds.CODE_GRID))


def records(n: int, tag: str, points: list[tuple[float, float]]) -> list[dict]:
    """n distinct incident records in their sources' own schemas, spread over the district."""
    rng = random.Random(7)
    when = time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(time.time() + 8 * 3600 - 60))
    return [
        feeds.native(
            SOURCES[i % 3],
            f"{tag}-{i}",
            rng.choice(CATEGORIES),
            *rng.choice(points),
            when,
            "人民路12号附近：噪声扰民",
            "人民路12号",
            rng,
        )
        for i in range(n)
    ]


def bench_bus(url: str, prefix: str) -> RedisBus:
    """Return a bus on keys of the bench's own: the prefix, "-bench-ingest-" and a run id (purged when done)."""
    return RedisBus(RedisConfig(url, f"{prefix}-bench-ingest-{uuid.uuid4().hex[:8]}"))


def ceiling(recs: list[dict], url: str, prefix: str) -> float:
    """Records/s of a bare redis-py loop: XREADGROUP COUNT=BATCH over the same streams, then XACK."""
    bus = bench_bus(url, prefix)
    bus.publish(recs)
    client, group = redis.Redis.from_url(url), bus.config.group
    for s in bus.streams:
        client.xgroup_create(s, group, id="0", mkstream=True)
    done, t0 = 0, time.perf_counter()
    while done < len(recs):
        reply = cast(
            "list[Any]", client.xreadgroup(group, "raw", {s: ">" for s in bus.streams}, count=BATCH, block=100)
        )  # RESP2: [stream, entries] pairs
        for stream, msgs in reply:
            client.xack(stream, group, *[m for m, _ in msgs])
            done += len(msgs)
    rate = done / (time.perf_counter() - t0)
    bus.purge()
    return rate


def end_to_end(recs: list[dict], settings: Settings, url: str, prefix: str) -> float:
    """Records/s of our consumer: read, decode, validate, locate, decide, append to SQLite, ack."""
    core = bootstrap(settings)
    store, ingestor = core.store, core.ingestor(time.time)
    bus = bench_bus(url, prefix)
    bus.publish(recs)
    done, t0 = 0, time.perf_counter()
    while done < len(recs):
        done += consumer.consume_once(bus, ingestor, "bench", count=BATCH, block_ms=100)
    rate = done / (time.perf_counter() - t0)
    assert store.read(lambda state: len(state.incidents)) >= len(recs), "every record should be an incident"
    bus.purge()
    return rate


def latency(recs: list[dict], settings: Settings, url: str, prefix: str) -> tuple[float, float]:
    """p50 and p99 ms from XADD to committed, with a publisher at LATENCY_RATE records/s."""
    core = bootstrap(settings)
    ingestor = core.ingestor(time.time)
    bus = bench_bus(url, prefix)
    sent: dict[str | None, float] = {}  # by the record's number
    stop = threading.Event()

    def publish() -> None:
        tick, per_tick, i, start = 0.01, int(LATENCY_RATE * 0.01), 0, time.perf_counter()
        while i < len(recs) and not stop.is_set():
            for r in recs[i : i + per_tick]:
                sent[r.get("order_no") or r.get("event_no") or r.get("alarm_no")] = time.perf_counter()
                bus.publish([r])
            i += per_tick
            time.sleep(max(0.0, start + tick * (i // per_tick) - time.perf_counter()))

    lat: list[float] = []
    reader = RedisBus(RedisConfig(url, bus.config.prefix))
    feeder = threading.Thread(target=publish)
    feeder.start()
    while len(lat) < len(recs):
        entries = reader.read("bench", BATCH, 200)
        if entries:
            ingestor.ingest([e.record for e in entries])
            reader.ack(entries)
            now = time.perf_counter()
            lat += [
                now - sent[r.record.get("order_no") or r.record.get("event_no") or r.record.get("alarm_no")]
                for r in entries
            ]
    stop.set()
    feeder.join()
    bus.purge()
    lat.sort()
    return lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000


def redis_target(argv: list[str] | None = None) -> tuple[str, str]:
    """Parse the command line (--help: usage only); return the Redis URL and key prefix the settings give."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.parse_args(argv)
    settings = from_env([], os.environ)  # REDIS_URL and ONEMAP_REDIS_PREFIX, read as the product reads them
    if not settings.redis_url:
        p.error("REDIS_URL is not set: give the Redis this bench may write to, e.g. redis://127.0.0.1:6379/15")
    return settings.redis_url, settings.redis_prefix


def main() -> None:
    """Print the three figures and the latency percentiles."""
    url, prefix = redis_target()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/bench.sqlite3")
        core = bootstrap(settings)
        district = core.district
        points = [(t.lon, t.lat) for t in district.townships.values()]
        rng = random.Random(1)
        points = [(lon + rng.uniform(-0.01, 0.01), lat + rng.uniform(-0.01, 0.01)) for lon, lat in points * 200]
        top = ceiling(records(N, "C", points), url, prefix)
        ours = end_to_end(records(N, "E", points), settings, url, prefix)
        p50, p99 = latency(
            records(int(LATENCY_RATE * LATENCY_S), "L", points),
            Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/latency.sqlite3"),
            url,
            prefix,
        )
    print(f"batch size                               {BATCH}")
    print(f"ceiling: redis-py XREADGROUP+XACK        {top:>10,.0f} records/s")
    print(f"ours: read, validate, locate, append, ack {ours:>9,.0f} records/s  (SQLite, one process)")
    print(f"ratio ours / ceiling                     {ours / top:>10.2f}")
    print(f"XADD -> committed at {LATENCY_RATE}/s              p50 {p50:.1f} ms   p99 {p99:.1f} ms")


if __name__ == "__main__":
    main()

"""Fixtures of the streams tests: both buses behind one parameter, a store on SQLite, records of each source."""
from __future__ import annotations

import uuid
from typing import Iterator

import pytest
import redis

from conftest import REDIS_URL, T0, Clock
from store.log import EventLog, make_engine
from store.store import Store
from streams.bus import Bus, MemoryBus
from streams.ingest import Ingestor
from streams.redis_bus import RedisBus, RedisConfig


def require_redis() -> None:
    """Fail (never skip) when the Redis server is missing: CI must have it."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is required at {REDIS_URL} (ONEMAP_TEST_REDIS): {exc}")


def redis_bus(prefix: str, **config: object) -> RedisBus:
    """A Redis bus under a prefix of the test's own."""
    return RedisBus(RedisConfig(REDIS_URL, prefix, **config))


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of the test's own; every key under it is deleted after."""
    require_redis()
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{name}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(params=["memory", "redis"])
def bus(request) -> Iterator[Bus]:
    """The in-process bus and the Redis bus: the contract tests run against both."""
    if request.param == "memory":
        yield MemoryBus()
        return
    b = redis_bus(request.getfixturevalue("prefix"), claim_idle_ms=0)
    yield b
    b.close()


def recover(bus: Bus) -> Bus:
    """Return the bus as seen after its consumer died: unacked entries can be taken again."""
    if isinstance(bus, MemoryBus):
        bus.requeue_pending()
        return bus
    return RedisBus(bus.config)  # a new process: it reclaims what the dead one left pending


@pytest.fixture
def store(tmp_path, district) -> Store:
    return Store(EventLog(make_engine(f"sqlite:///{tmp_path / 'streams.sqlite3'}")), district)


@pytest.fixture
def ingestor(store, boundaries, clock: Clock) -> Ingestor:
    from geo.locate import Locator

    return Ingestor(store, Locator(boundaries), clock)


def incident(n: int, district, source: str = "110") -> dict:
    """A valid 110 record at a township centre."""
    towns = sorted(district.townships.values(), key=lambda t: t.id)
    t = towns[n % len(towns)]
    return {"source": source, "alarm_no": f"JJ-{n}", "case_type": "FJ01", "lon": t.lon, "lat": t.lat,
            "alarm_at": T0 - 60}

"""Helpers of the streams tests: Redis required, a bus under a prefix, a bus as seen after a crash, a 110 record."""

from __future__ import annotations

import pytest
import redis

from streams.bus import Bus, MemoryBus
from streams.redis_bus import RedisBus, RedisConfig
from tests.support import REDIS_URL, T0


def require_redis() -> None:
    """Fail (never skip) when the Redis server is missing: CI must have it."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is required at {REDIS_URL} (ONEMAP_TEST_REDIS): {exc}")


def redis_bus(prefix: str, **config: object) -> RedisBus:
    """A Redis bus under a prefix of the test's own."""
    return RedisBus(RedisConfig(REDIS_URL, prefix, **config))


def recover(bus: Bus) -> Bus:
    """Return the bus as seen after its consumer died: unacked entries can be taken again."""
    if isinstance(bus, MemoryBus):
        bus.requeue_pending()
        return bus
    return RedisBus(bus.config)  # a new process: it reclaims what the dead one left pending


def incident(n: int, district, source: str = "110") -> dict:
    """A valid 110 record at a township centre."""
    towns = sorted(district.townships.values(), key=lambda t: t.id)
    t = towns[n % len(towns)]
    return {
        "source": source,
        "alarm_no": f"JJ-{n}",
        "case_type": "FJ01",
        "lon": t.lon,
        "lat": t.lat,
        "alarm_at": T0 - 60,
    }

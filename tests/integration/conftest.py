"""Integration fixtures: a quiet app with its users, Redis key prefixes, both buses, a store on SQLite, an ingestor."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from store.log import EventLog, make_engine
from store.store import Store
from streams.bus import Bus, MemoryBus
from streams.ingest import Ingestor
from tests.integration.buses import redis_bus, require_redis
from tests.integration.world import PASSWORD
from tests.support import REDIS_URL, Clock

USERS = (("cmd", "commander", None), ("t01", "township", "T01"), ("boss", "admin", None))


@pytest.fixture
def make_app(tmp_path, clock: Clock) -> Callable[..., Any]:
    """Return make(**settings): the app on a data dir of the test's own, no simulator unless asked, the test's clock."""
    from app import create_app
    from config import Settings

    def make(**settings: Any) -> Any:
        return create_app(Settings(**{"data_dir": tmp_path, "simulator": False, **settings}), clock=clock)

    return make


@pytest.fixture
def onemap(make_app, capsys) -> Any:
    """The app with no simulator on a data dir of the test's own, its clock moved by hand; users cmd, t01, boss.

    The first start's output (the one-time admin password, the wall's kiosk URL) is kept as first_start_output.
    """
    from domain.model import Role

    app = make_app()
    app.first_start_output = capsys.readouterr().out
    for name, role, township in USERS:
        app.services.accounts.create_user(name, PASSWORD, Role(role), township)
    return app


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


@pytest.fixture
def store(tmp_path, district) -> Store:
    """A store on a SQLite file of the test's own."""
    return Store(EventLog(make_engine(f"sqlite:///{tmp_path / 'streams.sqlite3'}")), district)


@pytest.fixture
def ingestor(store, boundaries, clock: Clock) -> Ingestor:
    """An ingestor into that store, locating records in the demo district."""
    from geo.locate import Locator

    return Ingestor(store, Locator(boundaries), clock)

"""Redis killed and restarted empty: pages and reads serve from the store, the consumer survives and resumes.

Each test starts its own redis-server on a free port and kills it; the shared Redis at 6379 is never touched.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from flask import Flask

from app import create_app
from config import Settings
from domain.model import Role
from streams import consumer
from streams.redis_bus import RedisBus, RedisConfig
from tests.integration.buses import incident
from tests.support import Clock, node_require, run_node, wait_until
from web import hardening, push

TOKENS = {"sys-token-1": "system"}
SYSTEM = {"Authorization": "Bearer sys-token-1"}


class PrivateRedis:
    """A redis-server of the test's own that keeps nothing on disk: a restart loses every stream."""

    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is needed to start a Redis of the test's own")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        wait_until(lambda: _pings(client), 10, "the private Redis to start")
        client.close()

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)
        self.proc = None


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    if server.proc is not None:
        server.kill()


def _source_ids(store: Any) -> set[str]:
    return store.read(lambda state: {i.source_id for i in state.incidents.values()})


def test_the_consumer_loop_survives_a_redis_restart_that_lost_the_streams_and_takes_records_again(
    private_redis, store, ingestor, district, caplog
):
    caplog.set_level(logging.WARNING, logger="streams")
    bus = RedisBus(RedisConfig(private_redis.url, "faults"))
    stop = threading.Event()
    loop = threading.Thread(target=consumer.run, args=(bus, ingestor, stop, "c1", 100, 200), daemon=True)
    loop.start()
    try:
        bus.publish([incident(0, district)])
        wait_until(lambda: "JJ-0" in _source_ids(store), 20, "the first record")
        private_redis.kill()
        wait_until(lambda: "bus unavailable" in caplog.text, 20, "the consumer to see the outage")
        assert loop.is_alive()
        private_redis.start()  # empty: the streams and their group are gone
        bus.publish([incident(1, district)])
        wait_until(lambda: "JJ-1" in _source_ids(store), 20, "a record after the restart")
        wait_until(lambda: "resumed after" in caplog.text, 5, "the consumer to log its recovery")
        assert caplog.text.count("bus unavailable") == 1  # logged once, not at every retry
    finally:
        stop.set()
        loop.join(10)
    assert not loop.is_alive()
    bus.close()


def test_while_redis_is_down_pages_reads_and_records_are_served_from_the_store_and_the_bus_resumes_after(
    private_redis, tmp_path
):
    prefix = f"t{uuid.uuid4().hex[:8]}"
    onemap = create_app(
        Settings(
            data_dir=tmp_path, simulator=False, api_tokens=TOKENS, redis_url=private_redis.url, redis_prefix=prefix
        ),
        clock=Clock(),
    )
    onemap.start()
    try:
        kiosk = onemap.services.accounts.create_token("wall-1", "kiosk", Role.WALL)
        t = onemap.services.district.townships["T03"]
        record = {"source": "12345", "source_id": "OUT-1", "category": "noise", "lon": t.lon, "lat": t.lat}
        private_redis.kill()

        client = onemap.server.test_client()
        for path in (f"/wall?kiosk={kiosk}", "/wall/situation", "/wall/analytics", "/healthz"):
            assert client.get(path).status_code == 200, path
        for path in ("/api/v1/incidents", "/api/v1/kpi"):
            assert client.get(path, headers=SYSTEM).status_code == 200, path
        metrics = client.get("/metrics")
        assert metrics.status_code == 200 and "onemap_bus_backlog -1" in metrics.get_data(as_text=True)
        push.flush(onemap.socketio, onemap.services.pusher)  # this process's screens still get their deltas
        # The API's records go straight to the store, so they never wait for the bus.
        posted = client.post("/api/v1/records", json=record, headers=SYSTEM)
        assert posted.status_code == 200 and posted.get_json()["results"][0]["status"] == "accepted"

        private_redis.start()  # empty: the app's consumer recreates the group
        onemap.bus.publish([{**record, "source_id": "OUT-2"}])
        wait_until(
            lambda: "OUT-2" in _source_ids(onemap.services.store), 20, "a record through the bus after the restart"
        )
    finally:
        onemap.stop.set()


def test_a_request_that_needs_redis_while_it_is_down_is_answered_503_with_a_clear_message(private_redis):
    server = Flask(__name__)
    hardening.install(server, lambda: "default-src 'self'")
    bus = RedisBus(RedisConfig(private_redis.url, "faults"))
    server.add_url_rule(
        "/api/v1/publish", "publish", lambda: {"ids": bus.publish([{"source": "110"}])}, methods=["POST"]
    )
    client = server.test_client()
    assert client.post("/api/v1/publish").status_code == 200
    private_redis.kill()
    down = client.post("/api/v1/publish", headers={"Accept-Language": "en"})
    assert down.status_code == 503
    assert down.headers["Retry-After"] == "5"
    assert down.get_json() == {
        "error": {
            "code": "bus_unavailable",
            "message": "The message bus (Redis) cannot be reached right now; try again shortly",
        }
    }
    bus.close()


def _node(script: str) -> Any:
    return run_node(node_require("live", "live.js"), script, "the browser's merge")


def test_a_screen_shows_stale_within_3_s_of_its_last_message_and_asks_a_resync_when_messages_resume() -> None:
    got = _node("""
      let s = live.applySnapshot(live.emptyState(), {seq: 7, server_time: 100, entities: []}, 1000);
      const back = live.applyDelta(s, {from_seq: 9, seq: 9, server_time: 130, upsert: [], remove: []}, 31000);
      console.log(JSON.stringify({stale: live.STALE_AFTER_MS, resync: back.resync}));""")
    badge_redraw_ms = 1000  # assets/sla.js redraws the live/stale badge every second
    assert got["stale"] + badge_redraw_ms <= 3000
    assert got["stale"] >= 2 * Settings().heartbeat_s * 1000  # one late heartbeat never marks a screen stale
    assert got["resync"] is True  # the first heartbeat after the outage shows the gap: the screen asks a resync

"""The production command (`python serve.py`: gunicorn, one gevent worker) serves pages, API and push over websocket.

Run on SQLite with the in-process bus, and on PostgreSQL with the Redis bus: psycopg and redis-py must yield to
gevent, or the worker's one hub would stall and no delta would arrive.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http.cookiejar
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import PG_URL, REDIS_URL, wait_until
from web import push

ROOT = Path(__file__).resolve().parents[2]
API_TOKEN = "prod-test-api-token-0123456789"
STARTUP_S = 60.0  # gunicorn, then the worker builds the app (geopandas, Dash) on a busy machine
DELIVERY_S = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kiosk_token(env: dict[str, str]) -> str:
    """Make a wall's kiosk token in the app's database before it starts."""
    import config
    from domain.model import Role
    from store.accounts import Accounts
    from store.log import make_engine

    settings = config.from_env([], env)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Accounts(make_engine(settings.db_url), time.time).create_token("prod-wall", "kiosk", Role.WALL)


def wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> dict[str, Any]:
    """Poll /healthz until the server answers (it is starting, not flaky); fail with its log if it exits."""

    def answer() -> dict[str, Any] | None:
        if proc.poll() is not None:
            pytest.fail(f"serve.py exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as resp:
                return json.load(resp)
        except OSError:
            return None

    try:
        return wait_until(answer, STARTUP_S, "/healthz", tick_s=0.3)
    except AssertionError:
        pytest.fail(f"serve.py not up after {STARTUP_S}s:\n{log.read_text(errors='replace')[-3000:]}")


@contextlib.contextmanager
def production_server(env: dict[str, str], tmp: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Run the documented production command; yield its URL and first health answer; stop it with SIGTERM."""
    port, log = free_port(), tmp / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "serve.py", "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{port}"
            yield url, wait_healthy(url, proc, log)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise
    assert code == 0, log.read_text(errors="replace")[-3000:]
    assert "Worker exiting" in log.read_text(errors="replace")


def wall_cookie(url: str, kiosk: str) -> str:
    """Open the wall's kiosk URL, as its browser does; return the session cookie it was given."""
    jar = http.cookiejar.CookieJar()
    urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(
        f"{url}/wall?kiosk={kiosk}", timeout=30
    ).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def post_record(url: str, source_id: str) -> dict[str, Any]:
    body = {
        "source": "12345",
        "source_id": source_id,
        "category": "noise",
        "lon": 121.145,
        "lat": 31.075,
        "summary": "广场舞音响扰民",
        "address": "人民路100号",
    }
    req = urllib.request.Request(
        f"{url}/api/v1/records",
        json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {API_TOKEN}"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.load(resp)


async def wall_sees(url: str, cookie: str, source_id: str) -> tuple[str, dict[str, Any], list[str]]:
    """Connect a wall over websocket, post a record once its snapshot came; return transport, snapshot, answer."""
    import socketio

    snapshot: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    delivered = asyncio.Event()
    client = socketio.AsyncClient(reconnection=False)

    @client.on("snapshot")
    def _snapshot(raw: bytes) -> None:
        if not snapshot.done():
            snapshot.set_result(json.loads(zlib.decompress(raw)))

    @client.on("delta")
    def _delta(data: dict[str, Any] | bytes) -> None:
        if any(e.get("source_id") == source_id for e in push.decoded(data)["upsert"]):
            delivered.set()

    await client.connect(f"{url}?scope=all", headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=30)
    try:
        transport = client.transport()
        snap = await asyncio.wait_for(snapshot, DELIVERY_S)
        answer = await asyncio.to_thread(post_record, url, source_id)
        await asyncio.wait_for(delivered.wait(), DELIVERY_S)
    finally:
        await client.disconnect()
    return transport, snap, [r["status"] for r in answer["results"]]


def base_env(tmp: Path) -> dict[str, str]:
    import os

    return {
        **os.environ,
        "ONEMAP_DATA_DIR": str(tmp / "data"),
        "ONEMAP_SIMULATOR": "off",
        "ONEMAP_AUTOPILOT": "off",
        "ONEMAP_API_TOKENS": f"{API_TOKEN}=system",
        "PYTHONUNBUFFERED": "1",
    }


def refused_order_from(url: str, client_address: str) -> int:
    """Ask for an order with the system's token (not its role's), as nginx forwards it; return the HTTP status."""
    req = urllib.request.Request(
        f"{url}/api/v1/incidents/none/order",
        b"{}",
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {API_TOKEN}",
            "X-Forwarded-For": client_address,
        },
    )
    try:
        urllib.request.urlopen(req, timeout=30).read()
    except urllib.error.HTTPError as exc:
        return exc.code
    return 200


def serves_a_wall(env: dict[str, str], tmp: Path, source_id: str) -> dict[str, Any]:
    """Start the production server, check it end to end as a wall sees it, stop it; return its health answer."""
    kiosk = kiosk_token(env)
    with production_server(env, tmp) as (url, health):
        # A thread of its own: the e2e tests' session-wide Playwright keeps an event loop running in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as worker:
            transport, snap, statuses = worker.submit(
                asyncio.run, wall_sees(url, wall_cookie(url, kiosk), source_id)
            ).result()
        health["refused"] = refused_order_from(url, "203.0.113.7")
    assert transport == "websocket"
    assert snap["seq"] == 0 and isinstance(snap["entities"], list)
    assert statuses == ["accepted"]
    return health


def test_the_production_command_serves_health_a_websocket_snapshot_and_a_posted_record_as_a_delta(tmp_path):
    health = serves_a_wall(base_env(tmp_path), tmp_path, "PROD-1")
    assert health["status"] == "ok" and health["store"] == "sqlite" and health["bus"] == "memory"
    # Its start-up's objects are out of the collector's full collections (web/heap.py): a pause of the push's tail.
    frozen = re.search(r"(\d+) objects of start-up frozen", (tmp_path / "serve.log").read_text(errors="replace"))
    assert frozen and int(frozen[1]) > 100_000


def test_the_production_command_in_scaled_mode_serves_from_postgresql_through_redis_behind_a_proxy(
    tmp_path, pg_schema, prefix
):
    from store.log import EventLog, make_engine

    engine = make_engine(PG_URL, schema=pg_schema)  # creates the schema; the app finds it by its search_path
    env = {
        **base_env(tmp_path),
        "DATABASE_URL": f"{PG_URL}?options=-csearch_path%3D{pg_schema}",
        "REDIS_URL": REDIS_URL,
        "ONEMAP_REDIS_PREFIX": prefix,
        "ONEMAP_PROXIES": "1",
    }
    health = serves_a_wall(env, tmp_path, "PROD-2")
    assert health["store"] == "postgresql" and health["bus"] != "memory"
    # Behind one proxy (ONEMAP_PROXIES=1) the audit trail names the client nginx forwarded, not nginx.
    assert health["refused"] == 403
    assert [r["remote"] for r in EventLog(engine).audit_trail() if r["action"] == "issue_order"] == ["203.0.113.7"]
    engine.dispose()

"""The scaled deployment on loopback, for tests: web and consumer processes on one PostgreSQL schema and Redis prefix.

The one place that knows how a web process is started (`start_web`), so a production server
command can replace `python app.py` here alone. Every wait has a deadline and polls a condition.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import redis
import requests
import socketio
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from tests.support import PG_URL, REDIS_URL, wait_until
from web import push

ROOT = Path(__file__).resolve().parents[2]
START_S = 90.0  # a web process imports Dash and geopandas and folds the log before it answers
SYSTEM_TOKEN, COMMANDER_TOKEN = "scaled-system-token", "scaled-commander-token"


def schema_url(schema: str) -> str:
    """Return PG_URL with the schema first on the search path: every process's tables live there."""
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"


def free_port() -> int:
    """Return a loopback port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


wait_for = wait_until  # the name the scaled tests import


@dataclass
class Deployment:
    """What every process of one deployment shares: the database schema, the Redis prefix, the secrets."""

    schema: str
    prefix: str
    data_dir: Path
    claim_idle_ms: int = 300
    secret_key: str = field(default_factory=lambda: uuid.uuid4().hex)  # as behind nginx: one key, any process

    @property
    def db_url(self) -> str:
        return schema_url(self.schema)

    def env(self) -> dict[str, str]:
        """Return the environment of a process of this deployment."""
        return {
            **os.environ,
            "DATABASE_URL": self.db_url,
            "REDIS_URL": REDIS_URL,
            "ONEMAP_REDIS_PREFIX": self.prefix,
            # Small batches: web processes consume too, and the consumers must get their share.
            "ONEMAP_REDIS_CLAIM_IDLE_MS": str(self.claim_idle_ms),
            "ONEMAP_REDIS_BATCH": "50",
            "ONEMAP_SECRET_KEY": self.secret_key,
            "ONEMAP_DATA_DIR": str(self.data_dir),
            "ONEMAP_SIMULATOR": "off",
            "ONEMAP_LANG": "en",
            "PYTHONUNBUFFERED": "1",
            "ONEMAP_API_TOKENS": f"{SYSTEM_TOKEN}=system,{COMMANDER_TOKEN}=commander",
        }

    def engine(self) -> Engine:
        """Return an engine on the deployment's schema (the caller disposes it)."""
        return create_engine(self.db_url)


@contextmanager
def deployment(data_dir: Path) -> Iterator[Deployment]:
    """A deployment with a schema and a Redis prefix of its own, both dropped after; a missing server fails."""
    from tests.integration.buses import require_redis

    require_redis()
    dep = Deployment(f"t_{uuid.uuid4().hex[:12]}", f"test-{uuid.uuid4().hex[:12]}", data_dir)
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{dep.schema}"'))
    try:
        yield dep
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{dep.schema}" CASCADE'))
        engine.dispose()
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{dep.prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


class Proc:
    """A child process whose output goes to a file (a pipe nobody reads would stall it)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name, self.log_path = name, log_dir / f"{name}.log"
        self._out = self.log_path.open("ab")
        self.popen = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        """Return the tail of what the process printed, for a failure's message."""
        return self.log_path.read_text(errors="replace")[-3000:]

    def pause(self) -> None:
        """SIGSTOP: frozen where it is, holding what it holds."""
        self.popen.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT after pause."""
        self.popen.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL: nothing gets to clean up."""
        if self.alive():
            self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(15)
        self._out.close()

    def stop(self) -> None:
        """SIGINT, then SIGKILL if it has not stopped within seconds."""
        if self.alive():
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                pass
        self.kill()


class Web(Proc):
    """A web process and its base URL."""

    def __init__(self, name: str, port: int, env: dict[str, str], log_dir: Path) -> None:
        self.port, self.url = port, f"http://127.0.0.1:{port}"
        super().__init__(name, [sys.executable, "app.py", "--no-simulator", "--port", str(port)], env, log_dir)

    def healthy(self) -> dict | None:
        """Return /healthz, or None while it does not answer."""
        assert self.alive(), f"{self.name} exited:\n{self.output()}"
        try:
            r = requests.get(f"{self.url}/healthz", timeout=2)
        except requests.RequestException:
            return None
        return r.json() if r.status_code == 200 else None

    def seq(self) -> int:
        """Return the seq this process has folded (its /healthz)."""
        return int((self.healthy() or {"seq": -1})["seq"])

    def api(self, method: str, path: str, token: str = COMMANDER_TOKEN, body: Any = None) -> requests.Response:
        """Call the API with a bearer token."""
        return requests.request(
            method, f"{self.url}/api/v1{path}", json=body, timeout=30, headers={"Authorization": f"Bearer {token}"}
        )


def start_web(name: str, port: int, env: dict[str, str], log_dir: Path) -> Web:
    """Start `python app.py --no-simulator --port P` and return once it answers /healthz."""
    web = Web(name, port, env, log_dir)
    try:
        wait_until(web.healthy, START_S, f"{name} to answer /healthz", tick_s=0.2)
    except BaseException:
        web.kill()
        raise
    return web


def start_consumer(name: str, env: dict[str, str], log_dir: Path, batch: int = 50) -> Proc:
    """Start `python -m streams.consume`, reclaiming stale entries quickly (claim idle from the environment)."""
    args = [
        sys.executable,
        "-m",
        "streams.consume",
        "--name",
        name,
        "--batch",
        str(batch),
        "--claim-every-s",
        "0.5",
        "--quiet",
    ]
    return Proc(name, args, env, log_dir)


def wall_cookie(deployment: Deployment, web: Web) -> str:
    """Return the session cookie a wall holds after opening its kiosk URL (valid on every web process)."""
    from domain.model import Role
    from store.accounts import Accounts

    engine = deployment.engine()
    token = Accounts(engine, time.time).create_token(f"wall-{uuid.uuid4().hex[:6]}", "kiosk", Role.WALL)
    engine.dispose()
    browser = requests.Session()
    assert browser.get(f"{web.url}/wall?kiosk={token}", timeout=30).status_code == 200
    return "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def team_phone(deployment: Deployment, web: Web, team_id: str, township: str) -> requests.Session:
    """Return a session signed in at a web process as a new member of a team, as its phone is (valid on every one)."""
    from domain.model import Role
    from store.accounts import Accounts

    name, password = f"crew-{uuid.uuid4().hex[:6]}", "team-password-1"
    engine = deployment.engine()
    Accounts(engine, time.time).create_user(name, password, Role.TEAM, township, team=team_id)
    engine.dispose()
    phone = requests.Session()
    page = phone.get(f"{web.url}/login", timeout=30).text
    csrf = page.split("name='csrf' value='", 1)[1].split("'", 1)[0]
    signed = phone.post(
        f"{web.url}/login", data={"username": name, "password": password, "csrf": csrf}, allow_redirects=False
    )
    assert signed.status_code == 302 and signed.headers["Location"] == "/team", signed.text[:300]
    return phone


def record(n: int, tag: str, lon: float, lat: float) -> dict:
    """A valid 110 record at a point, received a minute ago (the processes run on the real clock)."""
    return {
        "source": "110",
        "alarm_no": f"{tag}-{n}",
        "case_type": "FJ01",
        "lon": lon,
        "lat": lat,
        "alarm_at": time.time() - 60,
    }


def stable(entity: dict) -> dict:
    """An entity without what turns with the clock alone (SLA status, lateness), to compare two views."""
    out = {k: v for k, v in entity.items() if k not in ("status", "dispatch")}
    if out.get("order"):
        out["order"] = {k: v for k, v in out["order"].items() if k not in ("breached", "lateness")}
    return out


def in_arrival_order(client: socketio.Client) -> None:
    """Handle a client's messages one after the other as they arrive, as a browser does.

    python-engineio's threaded client runs each message's handler in a thread of its own, so two deltas (or a
    deflated delta's placeholder and its bytes) could be handled out of order: a gap seen where there is none.
    """
    trigger = client.eio._trigger_event

    def ordered(event: str, *args: Any, **kwargs: Any) -> Any:
        if event == "message":
            kwargs["run_async"] = False
        return trigger(event, *args, **kwargs)

    client.eio._trigger_event = ordered


class Screen:
    """A wall on Socket.IO: merges snapshot and deltas as assets/live.js does, and keeps what it applied."""

    def __init__(self, name: str, cookie: str) -> None:
        self.name, self.cookie = name, cookie
        self.lock = threading.Lock()
        self.entities: dict[str, dict] = {}
        self.seq, self.ready, self.resync_pending = -1, False, False
        self.snapshots, self.deltas = 0, 0  # how many of each were applied
        self.began = -1  # the seq of the first snapshot
        self.heard: list[tuple[int, int]] = []  # (from_seq, seq) of every delta that carried a change of seq
        self.client: socketio.Client | None = None

    def connect(self, web: Web) -> None:
        """Connect to a web process (as nginx would send it), holding our seq as `since` once we have one."""
        client = socketio.Client(reconnection=False)
        in_arrival_order(client)
        client.on("snapshot", self._snapshot)
        client.on("delta", self._delta)
        query = {"scope": "all", **({"since": str(self.seq)} if self.ready else {})}
        with self.lock:
            self.resync_pending = False  # as live.js on a lost connection: what we missed comes on connecting
        self.client = client  # before connecting: a delta may ask for a resync at once
        client.connect(
            f"{web.url}?{urlencode(query)}", headers={"Cookie": self.cookie}, transports=["polling"], wait_timeout=30
        )

    def close(self) -> None:
        if self.client is not None:
            self.client.disconnect()
            self.client = None

    def incidents(self) -> dict[str, dict]:
        with self.lock:
            return {e["id"]: stable(e) for e in self.entities.values() if e["kind"] == "incident"}

    def _snapshot(self, wire: bytes) -> None:
        msg = push.decoded(wire)
        with self.lock:
            self.entities = {f"{e['kind']}:{e['id']}": e for e in msg["entities"]}
            self.began = msg["seq"] if self.began < 0 else self.began
            self.seq, self.ready, self.resync_pending = msg["seq"], True, False
            self.snapshots += 1

    def _delta(self, data: dict | bytes) -> None:
        msg = push.decoded(data)
        with self.lock:
            if msg["seq"] != msg["from_seq"]:
                self.heard.append((msg["from_seq"], msg["seq"]))
            if not self.ready or self.resync_pending:
                return
            if msg["from_seq"] > self.seq:  # we missed changes: one resync per gap
                self.resync_pending = True
                self.client.emit("resync")
                return
            if msg["seq"] >= self.seq and (msg["upsert"] or msg["remove"]):  # an older delta would roll back
                for e in msg["upsert"]:
                    self.entities[f"{e['kind']}:{e['id']}"] = e
                for r in msg["remove"]:
                    self.entities.pop(f"{r['kind']}:{r['id']}", None)
                self.deltas += 1
            self.seq = max(self.seq, msg["seq"])

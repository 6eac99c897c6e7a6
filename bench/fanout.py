"""Benchmark: Socket.IO fan-out, record → screen latency of OneMap against a bare broadcaster with 200 ms batches.

    python bench/fanout.py                       # 50x10 and 500x100: OneMap (gevent) and the baseline, 5 rounds
    python bench/fanout.py --runs 50x10 --seconds 10 --rounds 3
    python bench/fanout.py --storm 10000 --clients 500   # walls reconnecting at once, N open incidents
    python bench/fanout.py --runs 200x100 --seconds 20 --server dev,gevent,gthread   # the servers compared
    python bench/fanout.py --teams 300 --rounds 5   # 500 screens x 100 records/s, without and with 300 teams' fixes

Every run starts its server in a subprocess (OneMap: the production command `serve.py --worker gevent` on a fresh
SQLite file, or with --server dev `app.py --no-simulator`, gthread `serve.py --worker gthread`; the baseline:
Flask-SocketIO on Werkzeug's threading server, buffering records and emitting every 200 ms), then connects N
Socket.IO clients (websocket transport, spread over --procs asyncio processes that parse JSON in native code, as a
browser does, their collector held off while they measure), posts records at the rate for the duration (each at its
time, from a pool of threads, however long the answers take), and prints deliveries, disconnects, p50/p99 latency
(post → client), server CPU in cores (its processes, gunicorn's master and worker together), its threads at the end
of the feed, the feed's length ("feed s": over --seconds when the machine held the poster back), the other
processes' CPU meanwhile ("others": the machine's noise; both per second of the run as it took) and the ratio of
OneMap's p99 to the same round's baseline p99. The configurations run in turn (OneMap, baseline, OneMap, baseline,
...) for --rounds rounds, each on a fresh server, so a spell of load elsewhere on the machine falls on both; then
per configuration the median and range (min-max) of p50, p99, server cores and of the rounds' p99 ratios, and in how
many rounds OneMap's p99 was under the baseline's, and apart over the rounds where no run saw others over 0.5
cores (those are marked noisy: on a 2-core machine they measure the machine). The machine's load average is
printed at the start and the end.
Needs aiohttp (requirements-dev.txt).

--teams N (alone: 300) runs one configuration (--runs, default 500x100; --server, default gevent: serve.py, the
production command) in two arms, interleaved A B A B for --rounds, each on a fresh server: A the screens and records
alone, B the same while N teams' phones send a fix every 15 s each, walking 50-200 m between fixes (bench/teams.py:
signed-in members POSTing /team/position from a process of their own; --on-order gives each team an order first,
in both arms, so the log keeps a track). It prints each round's p50/p99, server CPU, fixes sent and kept, the p99
ratio B/A, and the log's growth from positions (TeamPositioned rows in the events table) scaled to a day.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import http.cookiejar
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from types import SimpleNamespace

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.teams import EVERY_S, Phones, demo_teams, order_teams, positions_logged  # noqa: E402
from web.push import decoded  # noqa: E402

API_TOKEN = "bench-api-token-0123456789"
COMMANDER_TOKEN = "bench-commander-token-0123456789"  # --on-order: a commander orders the teams
BATCH_S = 0.2  # the baseline's batch, OneMap's former fixed push interval
NOISY_CORES = 0.5  # others' CPU over this in a round (of 2 cores): it measured the machine, marked and counted apart
POSTERS = 8  # threads posting the records, each at its time however long the answers take
CLIENT_PROCS = 4  # client processes: one could not decode 500 clients' deltas in time (measured: see clients_run)
CATEGORIES = ("noise", "garbage", "illegal_parking", "streetlight")
DEFAULT_RUNS = "50x10,500x100"  # clients x records/s: a quiet district's walls, and 500 screens under a stream


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVERS = ("dev", "gevent", "gthread", "eventlet")  # python app.py, serve.py --worker ..., gunicorn -k eventlet


def server_cmd(server: str, port: int) -> list[str]:
    """Return the command of OneMap on this server (eventlet, deprecated: gunicorn's own, if it is installed)."""
    if server == "eventlet":
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "-k",
            "eventlet",
            "-w",
            "1",
            "--worker-connections",
            "10000",
            "-b",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "wsgi:application()",
        ]
    script, flags = ("app.py", []) if server == "dev" else ("serve.py", ["--worker", server])
    return [sys.executable, str(ROOT / script), *flags, "--no-simulator", "--port", str(port)]


def tree(pid: int) -> list[int]:
    """Return a process and its descendants (gunicorn: the master and its worker)."""
    kids = []
    for task in Path(f"/proc/{pid}/task").iterdir() if Path(f"/proc/{pid}").exists() else ():
        try:
            kids += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended meanwhile (the threading server's, per socket)
            pass
    return [pid] + [d for k in kids for d in tree(k)]


def cpu_s(pid: int) -> float:
    """Return the user + system CPU seconds of a process and its descendants."""
    total = 0
    for p in tree(pid):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def others_s() -> float:
    """Return the machine's busy CPU seconds less this bench's (its processes and the server): others' work."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK") - cpu_s(os.getpid())


def threads(pid: int) -> int:
    """Return the OS threads of a process and its descendants."""
    return sum(len(list(Path(f"/proc/{p}/task").iterdir())) for p in tree(pid))


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server not up after {timeout}s: {url}")


class Server:
    """A server under test in a subprocess: OneMap or the bare broadcaster."""

    def __init__(self, kind: str, server: str = "dev") -> None:
        self.kind, self.port = kind, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tmp = tempfile.TemporaryDirectory(prefix="onemap-fanout-")
        env = dict(
            os.environ,
            ONEMAP_DATA_DIR=self.tmp.name,
            ONEMAP_SIMULATOR="off",
            ONEMAP_PORT=str(self.port),
            ONEMAP_API_TOKENS=f"{API_TOKEN}=system,{COMMANDER_TOKEN}=commander",
            ONEMAP_AUTOPILOT="off",
        )
        self.cookie, self.env = "", env
        if kind == "onemap":
            kiosk = self._kiosk_token(env)
            cmd = server_cmd(server, self.port)
        else:
            kiosk = ""
            cmd = [sys.executable, __file__, "--bare-server", str(self.port)]
        log = open(Path(self.tmp.name) / "server.log", "w")  # FANOUT_LOG=1 prints its tail at the end
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
        wait_up(f"{self.url}/healthz", self.proc)
        if kiosk:  # the wall's session cookie: what a kiosk browser holds after opening its URL
            jar = http.cookiejar.CookieJar()
            urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(
                f"{self.url}/wall?kiosk={kiosk}", timeout=30
            ).read()
            self.cookie = "; ".join(f"{c.name}={c.value}" for c in jar)

    @staticmethod
    def _kiosk_token(env: dict[str, str]) -> str:
        import config
        from domain.model import Role
        from store.accounts import Accounts
        from store.log import make_engine

        settings = config.from_env([], env)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return Accounts(make_engine(settings.db_url), time.time).create_token("bench-wall", "kiosk", Role.WALL)

    def post(self, records: list[dict]) -> None:
        body = json.dumps({"records": records}).encode()
        req = urllib.request.Request(
            f"{self.url}/api/v1/records",
            body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {API_TOKEN}"},
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            resp.read()

    def stop(self) -> None:
        if os.environ.get("FANOUT_LOG"):
            print((Path(self.tmp.name) / "server.log").read_text()[-3000:])
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.tmp.cleanup()


def _points() -> list[tuple[float, float]]:
    """Points near the demo district's township centres."""
    from application.bootstrap import boundaries_of, district_of
    from config import Settings

    district = district_of(Settings(), boundaries_of(Settings()))
    rng = random.Random(3)
    return [
        (t.lon + rng.uniform(-0.005, 0.005), t.lat + rng.uniform(-0.005, 0.005))
        for t in district.townships.values()
        for _ in range(50)
    ]


POINTS: list[tuple[float, float]] = []


def records(tag: str, n: int, rng: random.Random) -> list[dict]:
    """n distinct 12345 records inside the demo district."""
    from streams import feeds

    if not POINTS:
        POINTS.extend(_points())
    when = time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(time.time() + 8 * 3600 - 5))
    return [
        feeds.native(
            "12345",
            f"{tag}-{i}",
            rng.choice(CATEGORIES),
            *rng.choice(POINTS),
            when,
            "人民路12号附近：噪声扰民",
            "人民路12号",
            rng,
        )
        for i in range(n)
    ]


class Walls:
    """n Socket.IO wall clients (websocket) that note each record's first sight per client: its latency from the post."""

    def __init__(self, n: int, prefix: str = "") -> None:
        self.n, self.prefix = n, prefix  # prefix: note every record id with it (a share in its own process)
        self.sent: dict[str, float] = {}  # record id -> when it was posted
        self.sights: list[tuple[str, float, float]] = []  # (record id, seen at, the delta's server_time)
        self.latencies: list[float] = []
        self.seen: list[set[str]] = [set() for _ in range(n)]
        self.disconnects = self.snapshots = self.team_upserts = 0  # team_upserts: team entities in the deltas
        self.ready = asyncio.Event()  # every client has its snapshot
        self.socks: list = []

    def _on_delta(self, i: int):
        def handler(data: dict | bytes) -> None:
            now = time.time()
            msg = decoded(data)
            for e in msg.get("upsert", ()):
                self.team_upserts += e.get("kind") == "team"
                sid = e.get("source_id")
                if sid is None or sid in self.seen[i]:
                    continue
                if self.prefix and sid.startswith(self.prefix):
                    self.seen[i].add(sid)
                    self.sights.append((sid, now, msg["server_time"]))
                elif sid in self.sent:
                    self.seen[i].add(sid)
                    self.latencies.append(now - self.sent[sid])

        return handler

    def _on_snapshot(self, _msg: object) -> None:
        self.snapshots += 1
        if self.snapshots >= self.n:
            self.ready.set()

    def _on_disconnect(self, *_args: object) -> None:
        self.disconnects += 1

    def delivered(self) -> int:
        """Return how many (client, record) first sights were seen."""
        return sum(len(s) for s in self.seen)

    async def connect(self, server: Server | SimpleNamespace) -> list[Exception]:  # a worker has only its address
        """Connect every client at once and wait for their snapshots (OneMap); return the connection errors."""
        import socketio

        headers = {"Cookie": server.cookie} if server.cookie else {}
        for i in range(self.n):
            c = socketio.AsyncClient(reconnection=False)
            c.on("delta", self._on_delta(i))
            c.on("snapshot", self._on_snapshot)
            c.on("disconnect", self._on_disconnect)
            self.socks.append(c)
        results = await asyncio.gather(
            *[
                c.connect(f"{server.url}?scope=all", headers=dict(headers), transports=["websocket"], wait_timeout=60)
                for c in self.socks
            ],
            return_exceptions=True,
        )
        errors = [r for r in results if isinstance(r, Exception)]
        if server.kind == "onemap" and not errors:
            await asyncio.wait_for(self.ready.wait(), 120)
        return errors

    async def close(self) -> None:
        """Disconnect every client."""
        await asyncio.gather(*[c.disconnect() for c in self.socks], return_exceptions=True)


async def _share(url: str, cookie: str, kind: str, n: int, prefix: str, conn: Connection) -> None:
    """Run a share of the clients: connect, report ready, note first sights until told to stop, send them back."""
    walls = Walls(n, prefix)
    errors = await walls.connect(SimpleNamespace(url=url, cookie=cookie, kind=kind))
    # A client process's own full collections took 0.2-1.2 s every 10-20 s on a loaded machine, stalling its share
    # of the screens in both arms: its collector is held off while it measures, as a browser's runs beside its page.
    gc.collect()
    gc.freeze()
    gc.disable()
    conn.send([repr(e) for e in errors])
    cpu0 = time.process_time()
    await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # the parent's stop
    gc.enable()
    conn.send((walls.sights, walls.disconnects, time.process_time() - cpu0, walls.team_upserts))
    await walls.close()


class NativeJSON:
    """The clients' JSON, native code as a browser's JSON.parse is (python-socketio's calls Python for every integer)."""

    loads = staticmethod(orjson.loads)

    @staticmethod
    def dumps(obj: object, **_options: object) -> str:
        return orjson.dumps(obj).decode()


def share_main(url: str, cookie: str, kind: str, n: int, prefix: str, conn: Connection) -> None:
    """A client process's entry point."""
    import socketio

    socketio.packet.Packet.json = NativeJSON  # this process's clients only; the same for both servers
    asyncio.run(_share(url, cookie, kind, n, prefix, conn))


def clients_run(server: Server, n: int, rate: float, seconds: float, procs: int, phones: Phones | None = None) -> dict:
    """Connect n clients in procs processes, post rate records/s for seconds, and collect each first sight.

    With phones, they walk while the records are posted (bench/teams.py), and their counts are returned ("phones").

    The clients run in their own processes, several of them: one asyncio process decoding every delta of 500
    clients is itself the bottleneck (its CPU near one core) and would measure the bench, not the server.
    """
    ctx = multiprocessing.get_context("spawn")
    prefix = f"F{n}x{rate}-"
    pipes, workers = [], []
    for k in range(procs):
        mine, theirs = ctx.Pipe()
        share = n // procs + (k < n % procs)
        workers.append(
            ctx.Process(
                target=share_main, args=(server.url, server.cookie, server.kind, share, prefix, theirs), daemon=True
            )
        )
        workers[-1].start()
        pipes.append(mine)
    errors = [e for pipe in pipes for e in pipe.recv()]
    if errors:
        print(f"  {len(errors)} of {n} clients failed to connect: {errors[0]}", flush=True)
    sent: dict[str, float] = {}
    recs = records(prefix[:-1], int(rate * seconds), random.Random(11))
    cpu0, t0, others0 = cpu_s(server.proc.pid), time.monotonic(), others_s()
    if phones:
        phones.go()
    # Each record is posted at its time from a pool: one posting after another's answer fell behind the rate as soon
    # as answers took over 1/rate (OneMap at 500x100: mean 8 ms, p99 63 ms; a round's 15 s feed took 18-45 s).
    with ThreadPoolExecutor(POSTERS) as pool:
        posted = []
        for k, r in enumerate(recs):
            delay = t0 + k / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent[r["order_no"]] = time.time()
            posted.append(pool.submit(server.post, [r]))
        for answer in posted:
            answer.result()  # a refused or failed post ends the run
    peak_threads, fed_s = threads(server.proc.pid), time.monotonic() - t0
    time.sleep(2.0)  # the last deliveries
    cpu, others, elapsed = cpu_s(server.proc.pid) - cpu0, others_s() - others0, time.monotonic() - t0
    for pipe in pipes:
        pipe.send("stop")
    sights, dropped, client_cpu, team_upserts = [], 0, 0.0, 0
    for pipe in pipes:
        got, disconnects, used, teams_seen = pipe.recv()
        sights += got
        dropped, client_cpu, team_upserts = dropped + disconnects, client_cpu + used, team_upserts + teams_seen
    for w in workers:
        w.join(30)
    latencies = [at - sent[sid] for sid, at, _ in sights]
    to_build = [built - sent[sid] for sid, _, built in sights]  # post -> delta built (ingest, the wait for a flush)
    to_client = [at - built for _, at, built in sights]  # built -> client (the emit and the client's turn)

    def q(xs: list[float], p: float) -> float:
        xs.sort()
        return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000 if xs else float("nan")

    return {
        "expected": len(recs) * n,
        "delivered": len(latencies),
        "disconnects": dropped,
        "p50_ms": q(latencies, 0.50),
        "p99_ms": q(latencies, 0.99),
        "cpu_pct": 100 * cpu / elapsed,  # over the time taken: a feed that fell behind took longer than seconds
        "threads": peak_threads,
        "client_cpu_pct": 100 * client_cpu / elapsed,
        "split": (q(to_build, 0.5), q(to_build, 0.99), q(to_client, 0.5), q(to_client, 0.99)),
        "team_upserts": team_upserts / max(1, n),  # per screen
        "others_cores": others / elapsed,  # other processes' CPU meanwhile: over NOISY_CORES spoils a run
        "fed_s": fed_s,  # the feed's length: over seconds, the poster fell behind its rate (a loaded machine)
        "phones": phones.result() if phones else {},
    }


def measure(kind: str, n: int, rate: float, seconds: float, server_kind: str = "dev", procs: int = 1) -> dict:
    server = Server(kind, server_kind)
    try:
        return clients_run(server, n, rate, seconds, procs)
    finally:
        server.stop()


async def storm_run(server: Server, n: int) -> dict:
    """Connect n clients at once; return when the last one had its snapshot."""
    import socketio

    got: list[float] = []
    sizes: list[int] = []
    headers = {"Cookie": server.cookie}
    socks = [socketio.AsyncClient(reconnection=False) for _ in range(n)]
    done = asyncio.Event()
    for c in socks:

        def handler(msg: object) -> None:
            got.append(time.monotonic())
            if len(got) >= n:
                done.set()

        c.on("snapshot", handler)
    cpu0, t0 = cpu_s(server.proc.pid), time.monotonic()
    results = await asyncio.gather(
        *[
            c.connect(f"{server.url}?scope=all", headers=dict(headers), transports=["websocket"], wait_timeout=120)
            for c in socks
        ],
        return_exceptions=True,
    )
    errors = sum(isinstance(r, Exception) for r in results)
    try:
        await asyncio.wait_for(done.wait(), 600)
    except TimeoutError:
        pass
    elapsed = [g - t0 for g in sorted(got)]
    cpu = cpu_s(server.proc.pid) - cpu0
    await asyncio.gather(*[c.disconnect() for c in socks], return_exceptions=True)
    return {
        "clients": n,
        "snapshots": len(got),
        "connect_errors": errors,
        "sizes": sizes,
        "p50_s": elapsed[len(elapsed) // 2] if elapsed else float("nan"),
        "last_s": elapsed[-1] if elapsed else float("nan"),
        "cpu_s": cpu,
    }


def storm(open_incidents: int, n: int, server_kind: str) -> None:
    server = Server("onemap", server_kind)
    try:
        rng = random.Random(5)
        for k in range(0, open_incidents, 1000):
            server.post(records(f"S{k}", min(1000, open_incidents - k), rng))
        print(f"storm ({server_kind}): {open_incidents} open incidents, {n} clients connecting at once")
        r = asyncio.run(storm_run(server, n))
        print(
            f"  snapshots {r['snapshots']}/{n}, connect errors {r['connect_errors']}, "
            f"p50 {r['p50_s']:.2f} s, last {r['last_s']:.2f} s, server CPU {r['cpu_s']:.1f} s"
        )
    finally:
        server.stop()


def teams_round(
    arm: str, n_teams: int, clients: int, rate: float, seconds: float, server_kind: str, procs: int, on_order: bool
) -> dict:
    """Run one arm on a fresh server: A the screens and records alone, B with the teams' phones walking too."""
    server = Server("onemap", server_kind)
    try:
        if on_order:  # in both arms: the same incidents and busy teams on the screens
            recs = records("ORD", len(demo_teams(n_teams)), random.Random(7))
            server.post(recs)
            order_teams(server.url, COMMANDER_TOKEN, recs, demo_teams(n_teams))
        phones = Phones(server.url, server.env, n_teams, seconds) if arm == "B" else None
        before = positions_logged(server.env)
        r = clients_run(server, clients, rate, seconds, procs, phones)
        r["logged"] = [b - a for a, b in zip(before, positions_logged(server.env))]
        return r
    finally:
        server.stop()


def teams_bench(
    n_teams: int, run: str, seconds: float, rounds: int, server_kind: str, procs: int, on_order: bool
) -> None:
    """Interleave A (screens and records) and B (the same and n_teams' phones) for rounds; print each and the medians."""
    from statistics import median

    clients, rate = int(run.split("x")[0]), float(run.split("x")[1])
    used = len(demo_teams(n_teams))
    print(
        f"{clients} screens x {rate:g} records/s, {seconds:g} s a round, server {server_kind}; B: {n_teams} teams "
        f"({n_teams / EVERY_S:g} fixes/s) sent by the demo district's {used} teams, one every "
        f"{EVERY_S * used / n_teams:.1f} s each, {'each on an order' if on_order else 'free'}"
    )
    print(
        f"{'round':>5} {'arm':>3} | {'delivered':>17} {'disc':>4} {'p50 ms':>6} {'p99 ms':>6} {'cores':>5} | "
        f"{'fixes':>5} {'kept':>5} {'bad':>3} {'fix p99 ms':>10} {'team upserts/screen':>19} | others | p99 B/A"
    )
    arms: dict[str, list[dict]] = {"A": [], "B": []}
    for k in range(1, rounds + 1):
        for arm in "AB":
            r = teams_round(arm, n_teams, clients, rate, seconds, server_kind, procs, on_order)
            arms[arm].append(r)
            ph = r["phones"] or {"sent": 0, "kept": 0, "refused": 0, "failed": 0, "fix_p99_ms": float("nan")}
            ratio = f"{r['p99_ms'] / arms['A'][-1]['p99_ms']:.2f}" if arm == "B" else ""
            print(
                f"{k:>5} {arm:>3} | {r['delivered']:>8}/{r['expected']:<8} {r['disconnects']:>4} {r['p50_ms']:>6.0f} "
                f"{r['p99_ms']:>6.0f} {r['cpu_pct'] / 100:>5.2f} | {ph['sent']:>5} {ph['kept']:>5} "
                f"{ph['refused'] + ph['failed']:>3} {ph['fix_p99_ms']:>10.0f} {r['team_upserts']:>19.0f} | {r['others_cores']:>6.2f} | "
                f"{ratio}",
                flush=True,
            )

    def spread(arm: str, key: str, scale: float = 1.0, fmt: str = ".0f") -> str:
        xs = [r[key] / scale for r in arms[arm]]
        return f"{median(xs):{fmt}} ({min(xs):{fmt}}-{max(xs):{fmt}})"

    ratios = [b["p99_ms"] / a["p99_ms"] for a, b in zip(arms["A"], arms["B"])]
    for arm in "AB":
        print(
            f"arm {arm}: p99 ms median {spread(arm, 'p99_ms')}, p50 ms {spread(arm, 'p50_ms')}, "
            f"server cores {spread(arm, 'cpu_pct', 100, '.2f')}"
        )
    print(f"p99 B/A per round {' '.join(f'{x:.2f}' for x in ratios)}; median {median(ratios):.2f}")
    sent = sum(r["phones"]["sent"] for r in arms["B"])
    rows, payload, row_text = (sum(r["logged"][i] for r in arms["B"]) for i in range(3))
    if sent and rows:
        per_team = rows / sent * 86400 / EVERY_S  # kept of a team's 5,760 fixes a day
        print(
            f"log from positions (arms B): {rows} TeamPositioned rows of {sent} fixes ({rows / sent:.0%}), "
            f"{payload / rows:.0f} B payload, {row_text / rows:.0f} B with ids and stream a row; a day: "
            f"{per_team:,.0f} events a team ({per_team * payload / rows / 1e6:.2f} MB payload), {n_teams} teams "
            f"{per_team * n_teams:,.0f} events, {per_team * n_teams * payload / rows / 1e6:,.0f} MB payload, "
            f"{per_team * n_teams * row_text / rows / 1e6:,.0f} MB with ids and stream (indexes not counted)"
        )


def _row(k: int, name: str, r: dict, ratio: str = "") -> str:
    """Return one round's line of a configuration."""
    return (
        f"{k:>5} {name:<15} | {r['delivered']:>7}/{r['expected']:<7} {r['disconnects']:>4} {r['p50_ms']:>6.0f} "
        f"{r['p99_ms']:>6.0f} {r['cpu_pct'] / 100:>5.2f} {r['threads']:>7} | {r['fed_s']:>6.1f} {r['others_cores']:>6.2f} | "
        f"{ratio}{' (noisy)' if r['others_cores'] > NOISY_CORES else ''}"
    )


def _spread(xs: list[float], fmt: str = ".0f") -> str:
    """Return the median of some figures and their range: "median (min-max)"."""
    from statistics import median

    return f"{median(xs):{fmt}} ({min(xs):{fmt}}-{max(xs):{fmt}})"


def rounds_bench(runs: list[str], servers: list[str], seconds: float, rounds: int, procs: int) -> None:
    """Per run: OneMap (each server) and the baseline interleaved for rounds, each on a fresh server; print each
    round, then per configuration the median and range of p50, p99, server cores and of OneMap p99 / baseline p99."""
    print(f"machine load at start (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {seconds:g} s a run")
    for run in runs:
        n, rate = int(run.split("x")[0]), float(run.split("x")[1])
        names = [f"onemap {s}" for s in servers] + ["baseline"]
        got: dict[str, list[dict]] = {name: [] for name in names}
        print(f"\n{n} screens x {rate:g} records/s, {rounds} rounds: {' '.join(names)} in turn, each on a fresh server")
        print(
            f"{'round':>5} {'configuration':<15} | {'delivered':>15} {'disc':>4} {'p50 ms':>6} {'p99 ms':>6} "
            f"{'cores':>5} {'threads':>7} | {'feed s':>6} others | p99 / baseline p99"
        )
        for k in range(1, rounds + 1):
            for name, server in zip(names, [*servers, "dev"]):
                kind = "bare" if name == "baseline" else "onemap"
                got[name].append(measure(kind, n, rate, seconds, server, procs))
            base = got["baseline"][-1]
            for name in names:
                r = got[name][-1]
                ratio = f"{r['p99_ms'] / base['p99_ms']:.2f}" if name != "baseline" and base["p99_ms"] else ""
                print(_row(k, name, r, ratio), flush=True)
                if os.environ.get("FANOUT_SPLIT"):  # where the latency goes, and the clients' own CPU
                    print(
                        "          post->built p50 %.0f p99 %.0f | built->client p50 %.0f p99 %.0f ms | "
                        "client CPU %.0f%%" % (*r["split"], r["client_cpu_pct"]),
                        flush=True,
                    )
        print(f"{n}x{rate:g}, median (min-max) of {rounds} rounds:")
        for name in names:
            rs = got[name]
            line = (
                f"  {name:<15} p50 ms {_spread([r['p50_ms'] for r in rs])}, p99 ms {_spread([r['p99_ms'] for r in rs])}"
                f", server cores {_spread([r['cpu_pct'] / 100 for r in rs], '.2f')}"
            )
            if name != "baseline":
                ratios = [r["p99_ms"] / b["p99_ms"] for r, b in zip(rs, got["baseline"])]
                below = sum(x < 1 for x in ratios)
                line += f"; p99 / baseline p99 {_spread(ratios, '.2f')}, below the baseline in {below} of {rounds}"
                calm = [x for i, x in enumerate(ratios) if all(got[m][i]["others_cores"] <= NOISY_CORES for m in names)]
                if len(calm) < rounds:
                    line += f" (rounds without noise: {len(calm)}"
                    line += f", ratio {_spread(calm, '.2f')}, below in {sum(x < 1 for x in calm)})" if calm else ")"
            print(line, flush=True)
    print(f"machine load at end (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def bare_server(port: int) -> None:
    """The baseline: Flask-SocketIO on the same server, records buffered and emitted to everyone every 200 ms."""
    from flask import Flask, jsonify, request
    from flask_socketio import SocketIO

    app = Flask(__name__)
    sio = SocketIO(app, async_mode="threading")
    pending: list[dict] = []
    lock = threading.Lock()

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        return jsonify(status="ok")

    @app.post("/api/v1/records")
    def post():  # type: ignore[no-untyped-def]
        body = request.get_json()
        with lock:
            pending.extend(
                {"kind": "incident", "id": r["order_no"], "source_id": r["order_no"], **r} for r in body["records"]
            )
        return jsonify(accepted=len(body["records"]))

    def flush() -> None:
        seq = 0
        while True:
            sio.sleep(BATCH_S)
            with lock:
                batch, pending[:] = list(pending), []
            seq += 1
            sio.emit(
                "delta", {"from_seq": seq - 1, "seq": seq, "server_time": time.time(), "upsert": batch, "remove": []}
            )

    sio.start_background_task(flush)
    sio.run(app, host="127.0.0.1", port=port, allow_unsafe_werkzeug=True, log_output=False)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--runs",
        default=None,
        help=f"clients x records/s, comma separated (default {DEFAULT_RUNS}; with --teams one run, 500x100)",
    )
    p.add_argument("--seconds", type=float, default=15.0, help="feed duration of each run (default %(default)s)")
    p.add_argument("--storm", type=int, default=0, help="open incidents for the reconnect storm (0: no storm)")
    p.add_argument("--clients", type=int, default=500, help="clients of the storm (default %(default)s)")
    p.add_argument(
        "--procs",
        type=int,
        default=CLIENT_PROCS,
        help="processes the clients are spread over, the baseline's too (default %(default)s)",
    )
    p.add_argument(
        "--server",
        default=None,
        help="OneMap's servers to measure, comma separated: dev (python app.py), "
        "gevent, gthread (python serve.py --worker ...), eventlet (gunicorn -k eventlet, if installed) "
        "(default gevent: the production command; with --teams one server)",
    )
    p.add_argument(
        "--teams",
        type=int,
        nargs="?",
        const=300,
        default=0,
        help="teams sending a fix every 15 s: A/B rounds without and with them (alone: %(const)s; default off)",
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="rounds, each configuration on a fresh server in turn: OneMap then the baseline, or --teams' A then B "
        "(default %(default)s)",
    )
    p.add_argument("--on-order", action="store_true", help="--teams: each team on an order (its fixes a track)")
    p.add_argument("--bare-server", type=int, default=0, help=argparse.SUPPRESS)
    a = p.parse_args()
    servers = (a.server or "gevent").split(",")
    if unknown := [s for s in servers if s not in SERVERS]:
        p.error(f"--server: unknown {unknown}; choose from {sorted(SERVERS)}")
    if a.bare_server:
        bare_server(a.bare_server)
        return
    if a.teams:
        if len(servers) > 1 or (a.runs and "," in a.runs):
            p.error("--teams: one --server and one --runs")
        teams_bench(a.teams, a.runs or "500x100", a.seconds, a.rounds, servers[0], a.procs, a.on_order)
        return
    if a.storm:
        for server in servers:
            storm(a.storm, a.clients, server)
        return
    rounds_bench((a.runs or DEFAULT_RUNS).split(","), servers, a.seconds, a.rounds, a.procs)


if __name__ == "__main__":
    main()

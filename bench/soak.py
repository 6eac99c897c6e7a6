"""Soak: a server fed for minutes with screens connected; its memory must level off (growth ≤ 10%).

    python bench/soak.py                              # 10 minutes, 100 clients, 100 records/s, dev server
    python bench/soak.py --server gevent              # the production server (serve.py: gunicorn, gevent)
    python bench/soak.py --minutes 2 --clients 20     # a short look

One OneMap server in a subprocess (bench/fanout.py's Server: `app.py --no-simulator`, or with --server
gevent|gthread `serve.py --worker ...`, on a fresh SQLite file), N Socket.IO wall clients, and a feed of R
records/s posted in batches of a tenth of a second: gauge readings (the stations' state is bounded) and one in
--incident-share (default 100) a new incident. A new incident stays in today's state by design (the day's
figures count it; it is archived 8 days after it closes), so it is growth that is no leak: one in 100 is 60 a
minute, 40 times a district's 2,000 a day; `--incident-share 10` is a storm at 400 times, whose growth is
mostly those incidents. The server's RSS (the process that serves: gunicorn's worker, not its master) is
sampled every 10 s; the baseline is its RSS after the first minute (start-up, caches and the first snapshot
done), and the figure is the last sample's ratio to it, with the growth per new incident shown beside (an
upper bound of what each costs: all the growth divided among them).
Deliveries, disconnects and p50/p99 record → screen latency are printed per minute.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fanout import POINTS, SERVERS, Server, Walls, _points, cpu_s, records, tree  # noqa: E402

WARM_S = 60.0  # the baseline sample: after start-up and the first minute of traffic
SAMPLE_S = 10.0


def rss_mb(pid: int) -> float:
    """Return a process's resident set size in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def serving(pid: int, server: str) -> list[int]:
    """Return the processes that serve: the dev server itself, or gunicorn's workers (the master's descendants).

    Gunicorn's master only supervises (preload_app is off: it never loads the app), so its RSS is a flat
    ~tens of MB; summed in, it would dilute the ratio, and its pages shared with the forked worker would be
    counted twice. Found afresh at each sample, so a worker gunicorn replaced shows as a new pid (reported).
    """
    return [pid] if server == "dev" else tree(pid)[1:]


def served_rss_mb(pids: list[int]) -> float:
    """Return the summed RSS in MB of these processes (NaN when there are none: the worker is gone)."""
    return sum(rss_mb(p) for p in pids) if pids else float("nan")


def readings(n: int, stations: list[str], rng: random.Random, tag: str) -> list[dict]:
    """n gauge readings near normal levels, spread over the district's stations."""
    return [
        {
            "source": "hydrology",
            "source_id": f"{tag}-{i}",
            "station_id": rng.choice(stations),
            "level": round(rng.uniform(1.0, 2.0), 2),
            "rainfall": round(rng.uniform(0, 5), 1),
        }
        for i in range(n)
    ]


async def soak(server: Server, kind: str, clients: int, rate: float, seconds: float, incident_share: int) -> int:
    """Run the soak; print a line per minute and the verdict; return 0 when the memory growth is within 10%."""
    from application.bootstrap import boundaries_of, district_of
    from config import Settings

    district = district_of(Settings(), boundaries_of(Settings()))
    stations = sorted(district.stations)
    walls = Walls(clients)
    errors = await walls.connect(server)
    if errors:
        raise SystemExit(f"{len(errors)} of {clients} clients failed to connect: {errors[0]!r}")
    sent, latencies = walls.sent, walls.latencies
    if not POINTS:
        POINTS.extend(_points())
    stop = threading.Event()
    posted = [0]

    def feed() -> None:
        rng, t0, k, owed = random.Random(17), time.monotonic(), 0, 0.0
        per_tick = max(1, round(rate / 10))
        while not stop.is_set() and time.monotonic() - t0 < seconds:
            owed += per_tick / incident_share  # incidents due by now, readings for the rest
            incidents = records(f"K{k}", int(owed), rng)
            owed -= len(incidents)
            for r in incidents:
                sent[r["order_no"]] = time.time()
            batch = readings(per_tick - len(incidents), stations, rng, f"R{k}") + incidents
            server.post(batch)
            posted[0] += len(batch)
            k += 1
            delay = t0 + k / 10 - time.monotonic()
            if delay > 0:
                time.sleep(delay)

    feeder = threading.Thread(target=feed, daemon=True)
    t0, cpu0, samples = time.monotonic(), cpu_s(server.proc.pid), []
    workers = serving(server.proc.pid, kind)
    if not workers:
        raise SystemExit(f"no serving process under pid {server.proc.pid} ({kind})")
    print(f"soak ({kind}): measuring pid {', '.join(map(str, workers))}", flush=True)
    feeder.start()
    next_sample, next_line, base = t0 + SAMPLE_S, t0 + 60, None
    while feeder.is_alive():
        await asyncio.sleep(0.5)
        now = time.monotonic()
        if now >= next_sample:
            next_sample += SAMPLE_S
            pids = serving(server.proc.pid, kind)
            if pids != workers:  # a replaced worker starts small: its growth would be hidden
                print(f"  worker changed: pid {workers} -> {pids}", flush=True)
                workers = pids
            samples.append((now - t0, served_rss_mb(pids)))
            if base is None and now - t0 >= WARM_S:
                base = samples[-1][1]
        if now >= next_line:
            next_line += 60
            lat = sorted(latencies)
            q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")
            print(
                f"  {int((now - t0) // 60):>2} min: RSS {samples[-1][1]:.0f} MB, {posted[0]} records, "
                f"{len(sent)} incidents, delivered {walls.delivered()}/{len(sent) * clients}, "
                f"disconnects {walls.disconnects}, p50 {q(0.5):.0f} ms, p99 {q(0.99):.0f} ms",
                flush=True,
            )
            latencies.clear()
    await asyncio.sleep(2.0)  # the last deliveries
    cpu = cpu_s(server.proc.pid) - cpu0
    end, dropped = served_rss_mb(serving(server.proc.pid, kind)), walls.disconnects  # before our own disconnects below
    await walls.close()
    base = base if base is not None else samples[0][1]
    delivered, expected = walls.delivered(), len(sent) * clients
    growth = end / base - 1
    print(
        f"soak ({kind}): {clients} clients, {rate:.0f} records/s for {seconds / 60:.0f} min ({len(sent)} incidents): "
        f"RSS {base:.0f} MB after {WARM_S:.0f} s -> {end:.0f} MB at the end, growth {growth:+.1%} "
        f"(ratio {end / base:.3f} to the baseline; target <= 1.10; at most "
        f"{(end - base) * 1024 / max(1, len(sent)):.1f} KB per new incident); delivered {delivered}/{expected}, "
        f"disconnects {dropped}, server CPU {100 * cpu / (time.monotonic() - t0):.0f}%"
    )
    return 0 if growth <= 0.10 and delivered == expected and not dropped else 1


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--clients", type=int, default=100)
    p.add_argument("--rate", type=float, default=100.0, help="records per second (default %(default)s)")
    p.add_argument(
        "--server",
        default="dev",
        choices=SERVERS,
        help="dev (python app.py), gevent|gthread (python serve.py --worker ...) or eventlet "
        "(gunicorn -k eventlet, if installed) (default %(default)s)",
    )
    p.add_argument(
        "--incident-share",
        type=int,
        default=100,
        help="one record in this many is a new incident, the rest readings (default %(default)s)",
    )
    args = p.parse_args()
    server = Server("onemap", args.server)
    try:
        return asyncio.run(soak(server, args.server, args.clients, args.rate, args.minutes * 60, args.incident_share))
    finally:
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main())

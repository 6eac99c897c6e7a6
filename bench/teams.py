"""The team phones of `bench/fanout.py --teams`: members signed in at /team, each team walking and sending fixes.

The demo district has fewer teams than a bench may model (--teams 300): the phones then use every demo team and
send more often, so that the server takes the modelled rate (N teams x one fix per 15 s). Each phone's clock runs
as fast (every fix of a team is 15 s after its last, in the phone's time, a little in the past, as a fix queued
for a minute would be), so the thinning (domain/positions.py keeps) sees a team's real cadence and the log keeps
what N teams would produce. The phones run in a process of their own, apart from the screens' clients.

    python bench/fanout.py --teams 300 [--on-order]   # how they are run: this file is its helper, not a bench alone
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

EVERY_S = 15.0  # a phone on duty sends a fix every 15 s (docs/glossary.md "Where a team is")
STEP_M = (50.0, 200.0)  # how far a team walks between two fixes
ACCURACY_M = (10.0, 30.0)
OLDEST_S = 1700.0  # under SitePolicy.late_s (1800 s): a phone's time never older than this
PHONE_THREADS = 8
M_PER_DEG = 111_320.0


@dataclass
class Walker:
    """A team's phone: signed in, walking along a line from the team's base."""

    team_id: str
    session: Any  # requests.Session
    lon: float
    lat: float
    rng: random.Random
    heading: float = field(init=False)

    def __post_init__(self) -> None:
        self.heading = self.rng.uniform(0, 2 * math.pi)

    def step(self, at: float) -> dict[str, float]:
        """Move 50-200 m along the line and return the fix taken at the phone's time `at`."""
        d = self.rng.uniform(*STEP_M)
        self.lat += d * math.cos(self.heading) / M_PER_DEG
        self.lon += d * math.sin(self.heading) / (M_PER_DEG * math.cos(math.radians(self.lat)))
        return {"lon": self.lon, "lat": self.lat, "accuracy_m": self.rng.uniform(*ACCURACY_M), "at": at}


def sign_in(url: str, env: dict[str, str], team: dict[str, Any]) -> Any:
    """Return a requests session signed in at /login as a new member of the team (as tests/integration/scaled.py)."""
    import requests

    import config
    from domain.model import Role
    from store.accounts import Accounts
    from store.log import make_engine

    name, password = f"crew-{team['id']}-{uuid.uuid4().hex[:4]}", "team-password-1"
    engine = make_engine(config.from_env([], env).db_url)
    Accounts(engine, time.time).create_user(name, password, Role.TEAM, team["township"], team=team["id"])
    engine.dispose()
    phone = requests.Session()
    page = phone.get(f"{url}/login", timeout=30).text
    csrf = page.split("name='csrf' value='", 1)[1].split("'", 1)[0]
    signed = phone.post(f"{url}/login", data={"username": name, "password": password, "csrf": csrf}, timeout=30)
    if "/team" not in signed.url:
        raise SystemExit(f"team member of {team['id']} not signed in: {signed.status_code} {signed.text[:200]}")
    return phone


def demo_teams(n: int) -> list[dict[str, Any]]:
    """Return the demo district's teams, at most n."""
    from application.district import load_fixtures

    teams: list[dict[str, Any]] = load_fixtures()["teams"]
    return teams[:n]


class Counts:
    """The phones' answers: fixes sent, kept, refused, failed, and each POST's time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent = self.kept = self.refused = self.failed = 0
        self.ms: list[float] = []


def post_fix(url: str, walker: Walker, at: float, counts: Counts) -> None:
    """Send one fix of a walker and count the answer."""
    fix = walker.step(at)
    t = time.monotonic()
    try:
        body = walker.session.post(f"{url}/team/position", json=fix, headers={"Origin": url}, timeout=30).json()
    except Exception:  # noqa: BLE001  (a refused connection, a non-JSON answer: counted, never fatal)
        with counts.lock:
            counts.failed += 1
        return
    with counts.lock:
        counts.sent += 1
        counts.kept += body.get("kept") is True
        counts.refused += body.get("status") != "done"
        counts.ms.append((time.monotonic() - t) * 1000)


def phones_main(url: str, env: dict[str, str], n: int, seconds: float, conn: Connection) -> None:
    """The phones' process: sign in, send each team's first fix, report ready; on "go" send n/15 fixes/s for seconds."""
    teams = demo_teams(n)
    k = len(teams)
    rate = n / EVERY_S  # the modelled fixes per second
    lag = min(OLDEST_S, (n / k - 1) * seconds + EVERY_S)  # phone time runs n/k times as fast, ending near now
    with ThreadPoolExecutor(PHONE_THREADS) as pool:
        sessions = list(pool.map(lambda t: sign_in(url, env, t), teams))
        walkers = [
            Walker(t["id"], s, t["lon"], t["lat"], random.Random(j)) for j, (t, s) in enumerate(zip(teams, sessions))
        ]
        # A team's fix i is at the phone's time base + its offset + 15 i, whole seconds: exactly 15 s apart.
        base, offset = int(time.time() - lag - EVERY_S), [int(EVERY_S * j / k) for j in range(k)]
        warm = Counts()  # a first fix per team: the arm measures the thinning's steady state, not the first fixes
        list(pool.map(lambda j: post_fix(url, walkers[j], base + offset[j], warm), range(k)))
        conn.send((k, warm.failed + warm.refused))
        conn.recv()  # go
        counts, start, m = Counts(), time.monotonic(), 0
        while (due := m / rate) < seconds:
            delay = start + due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            j, i = m % k, m // k + 1
            at = min(float(int(time.time())), base + offset[j] + EVERY_S * i)  # never ahead of the server's time
            pool.submit(post_fix, url, walkers[j], at, counts)
            m += 1
    conn.recv()  # the result asked for: alive till then, so the bench counts this process's CPU as its own
    counts.ms.sort()
    p99 = counts.ms[min(len(counts.ms) - 1, int(0.99 * len(counts.ms)))] if counts.ms else float("nan")
    conn.send({"teams": k, "sent": counts.sent, "kept": counts.kept, "refused": counts.refused,
               "failed": counts.failed, "fix_p99_ms": p99})  # fmt: skip


class Phones:
    """N modelled teams' phones in a process of their own: signed in at start, walking from go() for seconds."""

    def __init__(self, url: str, env: dict[str, str], n: int, seconds: float) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, theirs = ctx.Pipe()
        self.proc = ctx.Process(target=phones_main, args=(url, env, n, seconds, theirs), daemon=True)
        self.proc.start()
        self.teams, bad = self.conn.recv()
        if bad:
            raise SystemExit(f"{bad} of the phones' first fixes were not taken")

    def go(self) -> None:
        self.conn.send("go")

    def result(self) -> dict[str, float]:
        """Wait for the phones to finish; return their counts."""
        self.conn.send("result")
        out: dict[str, float] = self.conn.recv()
        self.proc.join(30)
        return out


def positions_logged(env: dict[str, str]) -> tuple[int, int, int]:
    """Return the TeamPositioned rows in the server's log: count, payload bytes, row text bytes (ids, stream)."""
    from sqlalchemy import text

    import config
    from store.log import make_engine

    engine = make_engine(config.from_env([], env).db_url)
    with engine.connect() as c:
        row = c.execute(
            text(
                "SELECT count(*), coalesce(sum(length(payload)), 0), "
                "coalesce(sum(length(payload) + length(event_id) + length(type) + length(stream) + 16), 0) "
                "FROM events WHERE type = 'TeamPositioned'"
            )
        ).one()
    engine.dispose()
    return int(row[0]), int(row[1]), int(row[2])


def order_teams(url: str, token: str, records: list[dict[str, Any]], teams: list[dict[str, Any]]) -> None:
    """Order each team to one of the posted 12345 records (a commander's API token), so its fixes are a track."""
    import requests

    from domain.dispatch import incident_id_for

    for rec, team in zip(records, teams):
        incident = incident_id_for("12345", rec["order_no"])
        r = requests.post(
            f"{url}/api/v1/incidents/{incident}/order",
            json={"team_id": team["id"], "command_id": f"bench-order-{team['id']}"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        if r.json().get("status") != "done":
            raise SystemExit(f"order of {team['id']} on {incident} refused: {r.text[:200]}")


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    raise SystemExit("bench/teams.py is the phones of bench/fanout.py --teams: run that (see --help)")

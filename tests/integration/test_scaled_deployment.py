"""The scaled deployment (issue 14's "done when"): two web processes and two consumers on PostgreSQL and Redis.

Screens on both web processes see the same state as the API; a consumer killed mid-stream loses
nothing; a web process killed, its screens move to the other and resync from the seq they hold.
"""

from __future__ import annotations

import io
import uuid

import redis
from PIL import Image
from sqlalchemy import text

from streams.redis_bus import RedisBus, RedisConfig
from tests.conftest import REDIS_URL
from tests.integration.scaled import (
    SYSTEM_TOKEN,
    Deployment,
    Proc,
    Screen,
    Web,
    deployment,
    free_port,
    record,
    stable,
    start_consumer,
    start_web,
    team_phone,
    wait_for,
    wall_cookie,
)

SEAT = (121.191635, 31.094007)  # T02's seat: every record lands in a township
GROUP = "onemap"
CONVERGE_S = 90.0


class Log:
    """The deployment's log and Redis group, read directly: what was stored, and what is still pending."""

    def __init__(self, deployment: Deployment) -> None:
        self.engine = deployment.engine()
        self.redis = redis.Redis.from_url(REDIS_URL)
        self.stream = RedisBus(RedisConfig(REDIS_URL, deployment.prefix)).stream_key("110")

    def last_seq(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT coalesce(max(seq), 0) FROM events")).scalar_one()

    def reported(self) -> list[str]:
        """The source ids of every incident report in the log, one per stored event."""
        with self.engine.connect() as conn:
            return (
                conn.execute(
                    text("SELECT CAST(payload AS json)->>'source_id' FROM events WHERE type = 'IncidentReported'")
                )
                .scalars()
                .all()
            )

    def dead_letters(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM dead_letters")).scalar_one()

    def pending(self, consumer: str | None = None) -> int:
        """Entries read and not yet acked: of the group, or of one consumer."""
        if consumer is None:
            return self.redis.xpending(self.stream, GROUP)["pending"]
        return len(self.redis.xpending_range(self.stream, GROUP, "-", "+", 1000, consumername=consumer))

    def close(self) -> None:
        self.engine.dispose()
        self.redis.close()


def _converged(log: Log, webs: list[Web], screens: list[Screen], expected: set[str]) -> bool:
    """Every record stored once and acked; every web process and screen at the log's last seq, all seeing the same."""
    if set(log.reported()) != expected or log.pending():
        return False
    last = log.last_seq()
    if any(web.seq() != last for web in webs) or any(s.seq != last for s in screens):
        return False
    seen = [s.incidents() for s in screens]
    for web in webs:
        body = web.api("GET", "/incidents").json()
        if body["seq"] != last:
            return False
        seen.append({e["id"]: stable(e) for e in body["incidents"]})
    return all(v == seen[0] for v in seen) and len(seen[0]) == len(expected)


def _converge(log: Log, webs: list[Web], screens: list[Screen], expected: set[str], procs: list[Proc]) -> None:
    def done() -> bool:
        for p in procs:
            assert p.alive() or p.popen.returncode == -9, f"{p.name} exited:\n{p.output()}"
        return _converged(log, webs, screens, expected)

    wait_for(done, CONVERGE_S, "every record stored once, and the same state on every process and screen", 0.2)
    assert sorted(log.reported()) == sorted(expected)  # each exactly once
    assert log.dead_letters() == 0


def _heard_once_each(screens: list[Screen], after: int, upto: int) -> bool:
    """Tell whether every screen heard each change from `after` to `upto` exactly once, in order.

    A web process sends its own screens the deltas it builds from the log (not through the message
    queue, which would deliver each once per process): its screens hear one chain, each delta starting
    where the one before ended; two processes may coalesce the same changes differently.
    """
    chains = {}
    for s in screens:
        with s.lock:
            chain = [d for d in s.heard if d[1] > after and d[0] < upto]
        if not chain or chain[0][0] > after or chain[-1][1] < upto:
            return False
        if any(d[0] != prev[1] for prev, d in zip(chain, chain[1:])):  # a gap, a repeat or a process's second copy
            return False
        chains.setdefault(s.name.rsplit("-", 1)[0], []).append(chain)
    return all(c == same[0] for same in chains.values() for c in same)


def _publish(feed: RedisBus, tag: str, n: int) -> set[str]:
    feed.publish([record(i, tag, *SEAT) for i in range(n)])
    return {f"{tag}-{i}" for i in range(n)}


def _kill_mid_batch(log: Log, consumer: Proc) -> int:
    """SIGKILL a consumer while it holds entries read and not acked; return how many it left pending."""

    def frozen_holding() -> bool:
        if log.pending(consumer.name) == 0:
            return False
        consumer.pause()  # it cannot ack now: if it still holds entries, the kill lands mid-batch
        if log.pending(consumer.name) > 0:
            return True
        consumer.resume()  # it acked between the two looks: watch again
        return False

    wait_for(frozen_holding, 60, f"{consumer.name} to hold a batch", 0.005)
    consumer.kill()
    return log.pending(consumer.name)


def _photo_across(deployment: Deployment, a: Web, b: Web, incident_id: str) -> None:
    """A team's photo uploaded to one web process is shown by the other (both read the one database)."""
    phone = team_phone(deployment, a, "T02-A", "T02")
    jpeg = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 140, 60)).save(jpeg, "JPEG")
    up = phone.post(
        f"{a.url}/team/evidence",
        data={"incident_id": incident_id, "step": "on_site"},
        files={"photo": ("site.jpg", jpeg.getvalue(), "image/jpeg")},
        headers={"Origin": a.url},
        timeout=30,
    )
    assert up.status_code == 200, up.text[:300]
    shown = phone.get(f"{b.url}/evidence/{up.json()['id']}", timeout=30)
    assert shown.status_code == 200 and shown.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(shown.content)).size == (800, 600)


def _consuming(log: Log, names: tuple[str, ...]) -> bool:
    """Tell whether every named consumer has joined the group (it reads once it has started)."""
    try:
        joined = {c["name"] for c in log.redis.xinfo_consumers(log.stream, GROUP)}
    except redis.ResponseError:  # no group yet
        return False
    return {n.encode() for n in names} <= joined or set(names) <= joined


def test_two_web_processes_and_two_consumers_agree_and_survive_a_killed_consumer_and_a_killed_web_process(tmp_path):
    with deployment(tmp_path) as dep:
        _scenario(dep)


def _scenario(deployment: Deployment) -> None:
    procs: list[Proc] = []
    screens: list[Screen] = []
    log = Log(deployment)
    feed = RedisBus(RedisConfig(REDIS_URL, deployment.prefix))
    try:
        env, logs = deployment.env(), deployment.data_dir
        a = start_web("web-a", free_port(), env, logs)  # first alone: it creates the tables
        procs.append(a)
        b = start_web("web-b", free_port(), env, logs)
        procs.append(b)
        c1, c2 = start_consumer("c1", env, logs), start_consumer("c2", env, logs)
        procs += [c1, c2]
        wait_for(lambda: _consuming(log, ("c1", "c2")), 90, "both consumers to read the streams", 0.2)
        cookie = wall_cookie(deployment, a)
        screens = [Screen(f"{web.name}-{i}", cookie) for web in (a, b) for i in range(2)]
        for screen, web in zip(screens, (a, a, b, b)):
            screen.connect(web)
        wait_for(lambda: all(s.ready for s in screens), 60, "every screen's snapshot")
        joined = log.last_seq()  # a delta from here on was built after every screen joined: all hear it

        # Records from the bus and the API, and commands, at both web processes.
        expected = _publish(feed, "bus", 300)
        api = [record(i, "api", *SEAT) for i in range(20)]
        answer = b.api("POST", "/records", SYSTEM_TOKEN, {"records": api}).json()["results"]
        assert {r["status"] for r in answer} == {"accepted"}
        expected |= {r["alarm_no"] for r in api}
        first = answer[0]["incident_id"]
        assert a.api(
            "POST", f"/incidents/{first}/order", body={"team_id": "T02-A", "command_id": f"o-{uuid.uuid4().hex}"}
        ).ok
        assert b.api("POST", f"/orders/{first}/sign", body={"command_id": f"s-{uuid.uuid4().hex}"}).ok
        _photo_across(deployment, a, b, first)
        _converge(log, [a, b], screens, expected, procs)
        converged = log.last_seq()
        wait_for(lambda: _heard_once_each(screens, joined, converged), 30, "every screen to hear each change once")
        assert all(s.deltas > 0 for s in screens)  # they followed by deltas, not only snapshots
        assert screens[0].incidents()[first]["order"]["done"].keys() == {"sign"}

        # A consumer killed mid-stream: the other takes what it held once it is idle long enough.
        expected |= _publish(feed, "more", 3000)
        left_pending = _kill_mid_batch(log, c1)
        _converge(log, [a, b], screens, expected, procs)
        assert left_pending > 0  # the kill did land mid-batch: read, not acked, then taken by another

        # A web process killed: its screens go to the other, as nginx would send them, holding their seq.
        b.kill()
        moved = screens[2:]
        wait_for(lambda: not any(s.client.connected for s in moved), 30, "the killed process's screens to drop")
        held = [s.seq for s in moved]
        expected |= _publish(feed, "after", 200)  # changes they missed while away
        assert a.api("POST", f"/orders/{first}/respond", body={"command_id": f"r-{uuid.uuid4().hex}"}).ok
        wait_for(lambda: log.last_seq() > max(held) and a.seq() == log.last_seq(), 30, "the survivor to move on")
        for s in moved:
            s.close()
            s.connect(a)
        _converge(log, [a], screens, expected, procs)
        assert screens[2].incidents()[first]["order"]["done"].keys() == {"sign", "respond"}
    finally:
        for s in screens:
            try:
                s.close()
            except Exception:  # a screen of the killed process: nothing to close
                pass
        for p in procs:
            p.stop()
        feed.close()
        log.close()

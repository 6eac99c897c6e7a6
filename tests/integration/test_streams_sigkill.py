"""A real consumer process killed with SIGKILL mid-batch and restarted: every record lands exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import redis
from sqlalchemy import create_engine, text

from tests.integration.buses import incident, redis_bus
from tests.support import REDIS_URL, wait_until

ROOT = Path(__file__).resolve().parents[2]
N = 20_000
GROUP = "onemap"


def _consumer(prefix: str, db: str, name: str) -> subprocess.Popen:
    args = [
        sys.executable,
        "-m",
        "streams.consume",
        "--redis-url",
        REDIS_URL,
        "--prefix",
        prefix,
        "--db",
        db,
        "--name",
        name,
        "--batch",
        "200",
        "--claim-idle-ms",
        "300",
        "--claim-every-s",
        "1",
        "--quiet",
    ]
    env = {**os.environ, "ONEMAP_DATA_DIR": str(Path(db.split("///", 1)[1]).parent)}
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


_ENGINES: dict[str, object] = {}


def _count(db: str) -> int:
    engine = _ENGINES.setdefault(db, create_engine(db))  # one engine: polling must be quick next to the consumer
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM events WHERE type = 'IncidentReported'")).scalar_one()
    except Exception:  # the consumer has not created the tables yet
        return 0


def _kill_mid_batch(proc: subprocess.Popen, db: str, above: int) -> None:
    """SIGKILL once the process has stored more than `above` records; nothing gets to clean up."""
    wait_until(lambda: _count(db) > above or proc.poll() is not None, 60, f"more than {above} records")
    assert proc.poll() is None, proc.stdout.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)


def test_a_consumer_killed_mid_batch_and_restarted_loses_nothing_and_duplicates_nothing(prefix, district, tmp_path):
    db = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    feed = redis_bus(prefix)
    feed.publish([incident(i, district) for i in range(N)])
    client = redis.Redis.from_url(REDIS_URL)
    stream = feed.stream_key("110")

    pending_after_kill = 0
    for above in (1_000, 3_000, 5_000):  # a kill between an ack and the next read would prove nothing: again
        _kill_mid_batch(_consumer(prefix, db, "c1"), db, above)
        pending_after_kill = client.xpending(stream, GROUP)["pending"]
        if pending_after_kill:
            break

    again = _consumer(prefix, db, "c1")  # same name: it rereads its own unacked entries first
    _kill_mid_batch(again, db, 8_000)

    last = _consumer(prefix, db, "c2")  # a new name: it claims c1's stale entries with XAUTOCLAIM
    wait_until(lambda: _count(db) >= N and client.xpending(stream, GROUP)["pending"] == 0, 90, "all records")
    last.send_signal(signal.SIGINT)  # Ctrl-C: finishes the batch in hand and exits cleanly
    out, _ = last.communicate(timeout=15)
    assert last.returncode == 0, out
    assert "stopped:" in out

    engine = _ENGINES.pop(db)
    with engine.connect() as conn:
        ids = (
            conn.execute(
                text("SELECT json_extract(payload, '$.source_id') FROM events WHERE type = 'IncidentReported'")
            )
            .scalars()
            .all()
        )
        dead = conn.execute(text("SELECT count(*) FROM dead_letters")).scalar_one()
    engine.dispose()
    assert sorted(ids) == sorted(f"JJ-{i}" for i in range(N))  # every record, each exactly once
    assert dead == 0
    assert pending_after_kill > 0  # the kill did land mid-batch: read, not acked
    groups = {g["name"]: g for g in client.xinfo_groups(stream)}
    assert groups[GROUP.encode()]["lag"] == 0

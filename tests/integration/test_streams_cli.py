"""The stream processes: the simulator feeds Redis and both stop cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import redis

from tests.support import REDIS_URL, wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_simulate_feeds_every_source_stream_and_stops_cleanly_on_ctrl_c(prefix, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams.simulate", "--redis-url", REDIS_URL, "--prefix", prefix, "--rate", "12000"],
        cwd=ROOT,
        env={**os.environ, "ONEMAP_DATA_DIR": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    client = redis.Redis.from_url(REDIS_URL)
    published = wait_until(
        lambda: (
            proc.poll() is not None
            or (client.xlen(f"{prefix}:src:hydrology") > 0 and client.xlen(f"{prefix}:src:12345") > 0)
        ),
        30,
        "the simulator to publish",
    )
    assert published and proc.poll() is None, "the simulator exited before publishing"
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=15)
    assert proc.returncode == 0, out
    assert "stopped: published" in out


def test_consume_refuses_to_start_without_redis(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    proc = subprocess.run(
        [sys.executable, "-m", "streams.consume", "--db", f"sqlite:///{tmp_path / 'x.sqlite3'}"],
        cwd=ROOT,
        env={**env, "ONEMAP_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0 and "needs REDIS_URL" in proc.stderr

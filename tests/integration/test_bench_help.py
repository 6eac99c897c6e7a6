"""Every benchmark answers --help with its usage and runs nothing: no server, no Redis, no figures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A benchmark is a file of bench/ run as a program; bench/wallpage.py is a module bench/wall.py imports.
BENCHES = sorted(p.name for p in (ROOT / "bench").glob("*.py") if 'if __name__ == "__main__":' in p.read_text("utf-8"))
HELP_S = 60.0  # else TimeoutExpired: imports only (Dash, geopandas) on a busy machine; a benchmark takes minutes
NO_REDIS = "redis://127.0.0.1:9/15"  # the discard port: a bench that reached for Redis would fail, not write


def test_every_file_in_bench_is_asked():
    assert {"fanout.py", "geo.py", "ingest.py", "replay.py", "soak.py", "teams.py", "wall.py"} <= set(BENCHES)


@pytest.mark.parametrize("bench", BENCHES)
def test_a_benchmark_asked_for_help_prints_its_usage_first_and_exits_0_having_run_nothing(bench, tmp_path):
    env = {**os.environ, "REDIS_URL": NO_REDIS, "ONEMAP_DATA_DIR": str(tmp_path / "data"), "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, f"bench/{bench}", "--help"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=HELP_S
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # Usage is the first thing printed and argparse exits right after it: nothing was measured before or since.
    assert done.stdout.startswith("usage:") and f"{bench}" in done.stdout.splitlines()[0]
    assert not any(tmp_path.iterdir()), "nothing written: no data dir, no server's temporary files"

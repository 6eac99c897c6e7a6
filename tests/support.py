"""What every tier shares besides fixtures: the fixed instant, the services' URLs, a hand-moved clock, one wait, node."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

PG_URL = os.environ.get("ONEMAP_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("ONEMAP_TEST_REDIS", "redis://127.0.0.1:6379/0")
T0 = 1_795_000_000.0  # a fixed instant: 2026-11-18 in China; tests never read the real clock
ASSETS = Path(__file__).resolve().parents[1] / "assets"
NODE_TIMEOUT_S = 60

T = TypeVar("T")


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


def wait_until(until: Callable[[], T], timeout_s: float, what: str, tick_s: float = 0.02) -> T:
    """Poll until the condition holds and return its value; fail naming what was awaited after timeout_s.

    Only for another process or thread (a server, a consumer); a test of this process's code moves its clock.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        value = until()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {timeout_s:g} s waiting for {what}"
        time.sleep(tick_s)


def node_require(name: str, module: str) -> str:
    """Return the JS that loads assets/<module> as the constant `name`."""
    return f"const {name} = require({json.dumps(str(ASSETS / module))});"


def run_node(prelude: str, script: str, needed_for: str, stdin: str | None = None) -> Any:
    """Run prelude + script in node (stdin given); return what it prints as JSON. No node fails, never skips."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is needed to run {needed_for} outside the browser")
    done = subprocess.run(
        [node, "-e", prelude + script], input=stdin, capture_output=True, text=True, timeout=NODE_TIMEOUT_S, check=True
    )
    return json.loads(done.stdout)

"""Run the browser's own code (assets/*.js) in node, for tests of it outside the browser."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ASSETS = Path(__file__).resolve().parents[1] / "assets"


def require(name: str, module: str) -> str:
    """Return the JS that loads assets/<module> as the constant `name`."""
    return f"const {name} = require({json.dumps(str(ASSETS / module))});"


def run(prelude: str, script: str, needed_for: str) -> Any:
    """Run prelude + script in node; return what it prints as JSON. No node fails the test, never skips it."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is needed to run {needed_for} outside the browser")
    done = subprocess.run([node, "-e", prelude + script], capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)

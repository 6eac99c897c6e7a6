"""Node tier: the browser's own code (assets/*.js) run in node, no browser; its tests are marked `node`."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this folder's tests `node`, so `-m node` runs the tier alone and `-m "not node"` leaves it out."""
    for item in items:
        if HERE in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.node)

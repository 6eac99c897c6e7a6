"""Early warnings in real Chromium: a burst of reports raises a warning that reaches the wall with the live update, and
it stops standing out as unacknowledged there when a commander acknowledges it on the console."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import api
from tests.e2e.warning_app import running_warning_app, waterlogging

pytestmark = pytest.mark.e2e

WAIT_MS = 20_000  # the tick judges every second and the push follows at once: far under this
ROW = ".om-warn-row[data-warning='{}']"


@pytest.fixture(scope="module")
def warning_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run an app with no simulator on ten days of T03's usual reports: one waterlogging a day."""
    with running_warning_app(tmp_path_factory.mktemp("onemap-warning"), time.time()) as url:
        yield url


def test_a_burst_raises_a_warning_on_the_wall_that_a_commanders_acknowledgement_calms(warning_app, open_page):
    wall, wall_errors = open_page(f"{warning_app}/wall")
    wall.wait_for_selector("#wall-warnings .om-warn-none", timeout=WAIT_MS)  # live, nothing raised yet
    results = api(warning_app, "/records", "sys-warn", {"records": waterlogging("E2E-WARN", 5)})["results"]
    assert {r["status"] for r in results} == {"accepted"}
    row = wall.wait_for_selector("#wall-warnings .om-warn-unacked[data-period='day']", timeout=WAIT_MS)
    warning = row.get_attribute("data-warning")
    assert "城北街道" in row.inner_text() and "道路积水" in row.inner_text()
    console, console_errors = open_page(f"{warning_app}/command")
    console.click(f"#cmd-warnings {ROW.format(warning)} button.om-warn-ack", timeout=WAIT_MS)
    console.wait_for_selector(f"#cmd-warnings {ROW.format(warning)}[data-acked='1']", timeout=WAIT_MS)
    assert console.wait_for_selector("#cmd-result .om-msg-ok", timeout=WAIT_MS).inner_text().startswith("已确认预警")
    # Its day is not over: it stays on the wall, acknowledged, no longer in the alarm colour.
    wall.wait_for_selector(f"#wall-warnings {ROW.format(warning)}.om-warn-acked", timeout=WAIT_MS)
    assert wall.query_selector(f"#wall-warnings {ROW.format(warning)}.om-warn-unacked") is None
    assert not wall_errors and not console_errors

"""Recurring problems in real Chromium: the Nth report puts a problem on the console's list and on the maps' rings."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest

from domain.dispatch import incident_id_for
from domain.recurgrid import M_PER_DEGREE

from .conftest import api
from .recurring_app import CALLER, TOKEN, running_recurring_app

pytestmark = pytest.mark.e2e

WAIT_MS = 30_000
GARBAGE = "P-" + incident_id_for("12345", "seed-4-0")  # recurring_app.PROBLEMS' fifth: two reports, not yet recurring
T08 = (121.235197, 31.069754)  # the centre of T08, where those two reports are
PHONE = "139 8765 4321"


@pytest.fixture(scope="module")
def recurring_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_recurring_app(tmp_path_factory.mktemp("onemap-recurring")) as url:
        yield url


def _third_garbage_report(url: str) -> str:
    """Post a third report of garbage 30 m from the two there, with a caller's phone; return its incident id."""
    lon = T08[0] + 30 / (M_PER_DEGREE * math.cos(math.radians(T08[1])))
    record = {"source": "12345", "source_id": "e2e-third", "category": "garbage", "lon": lon, "lat": T08[1],
              "address": "青溪镇老街菜场", "caller": PHONE}  # fmt: skip
    (result,) = api(url, "/records", TOKEN, record)["results"]
    assert result["status"] == "accepted", result
    return str(result["incident_id"])


def _ring(page: Any, map_id: str, problem: str) -> str:
    return f"#{map_id} .om-recur-ring[data-recurring='{problem}']"


def test_a_recurring_problem_appears_on_the_console_list_and_the_maps_when_its_third_report_arrives(
    recurring_url: str, open_page: Any
) -> None:
    console, errors = open_page(f"{recurring_url}/command")
    wall, wall_errors = open_page(f"{recurring_url}/wall")
    row = f".om-recur-row[data-recurring='{GARBAGE}']"
    console.wait_for_selector(".om-recur-row", timeout=WAIT_MS)  # the constructed weeks' problems are listed
    wall.wait_for_selector(".om-recur-ring", timeout=WAIT_MS)
    assert console.locator(row).count() == 0 and wall.locator(_ring(wall, "wall-map", GARBAGE)).count() == 0
    third = _third_garbage_report(recurring_url)
    console.wait_for_selector(row, timeout=WAIT_MS)
    console.wait_for_selector(_ring(console, "cmd-map", GARBAGE), timeout=WAIT_MS)
    wall.wait_for_selector(_ring(wall, "wall-map", GARBAGE), timeout=WAIT_MS)
    assert console.locator(f"{row} .om-recur-count").inner_text().startswith("3")
    console.click(row)
    links = console.locator("#recur-dialog .om-recur-report a.om-recur-link")
    links.nth(2).wait_for(timeout=WAIT_MS)
    assert links.count() == 3 and links.nth(2).get_attribute("href") == f"/replay?incident={third}"
    for page in (console, wall):
        assert not any(p in page.content() for p in (PHONE, "13987654321", CALLER, "13800138000"))
    assert not errors and not wall_errors


def test_a_township_room_sees_only_its_own_townships_rings(recurring_url: str, open_page: Any) -> None:
    room, errors = open_page(f"{recurring_url}/township/T03", township="T03")
    room.wait_for_selector("#room-map .om-recur-ring", timeout=WAIT_MS)
    townships = room.evaluate("window.onemap.live.all('recurring').map(p => p.township)")
    assert set(townships) == {"T03"} and not errors

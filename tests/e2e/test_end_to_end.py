"""The one-map command center end to end, in real Chromium: wall -> order -> township sign-for -> wall."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

WAIT_MS = 30_000
COUNTDOWN = re.compile(r"^\+?(\d+:)?\d\d:\d\d$")
MAPS_DRAWN = "() => { const ms = window.onemap.map.maps(); return ms.length > 0 && ms.every(m => m._loaded); }"
# After a resize: the wall's maps have taken their container's new size and refitted the district above `zoom`.
MAPS_REFITTED = """zoom => { const ms = window.onemap.map.maps();
  return ms.length > 0 && ms.every(m => { const c = m.getContainer(), s = m.getSize();
    return s.x === c.clientWidth && s.y === c.clientHeight && m.getZoom() > zoom; }); }"""


def _wait_live(page: Any) -> None:
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)


def test_wall_shows_live_incidents_at_1080p_and_4k(
    open_page: Callable[..., Any], app_url: str, artifacts: Path
) -> None:
    page, errors = open_page(f"{app_url}/wall")
    _wait_live(page)
    # One by one, or clustered once the shared session app has more than mapfeed.CLUSTER_AT open incidents.
    page.wait_for_function("() => document.querySelectorAll('path.om-inc, .om-cluster').length > 0", timeout=WAIT_MS)
    page.wait_for_function("() => document.querySelectorAll('.om-kpi').length === 9", timeout=WAIT_MS)
    page.wait_for_function(MAPS_DRAWN, timeout=WAIT_MS)
    page.screenshot(path=str(artifacts / "wall-1920x1080.png"))
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1"), "the wall must not scroll"
    zoom = page.evaluate("Math.min(...window.onemap.map.maps().map(m => m.getZoom()))")
    page.set_viewport_size({"width": 3840, "height": 2160})
    page.wait_for_function(MAPS_REFITTED, arg=zoom, timeout=WAIT_MS)  # twice the size: the wall refits a zoom closer
    page.screenshot(path=str(artifacts / "wall-3840x2160.png"))
    # 4K is not tiny: the root font grows with the screen height.
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 30
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
    assert not errors, errors
    page.close()


def _issue_first_order(open_page: Callable[..., Any], app_url: str, artifacts: Path) -> tuple[str, str]:
    """Select the first queued incident, issue the top suggestion; return (incident id, team's township)."""
    page, errors = open_page(f"{app_url}/command")
    _wait_live(page)
    page.locator(".om-queue-row").first.click()
    page.wait_for_selector(".om-detail[data-incident] .om-btn-primary", timeout=WAIT_MS)
    incident_id = page.get_attribute(".om-detail", "data-incident")
    # By selector, never by element handle: the detail panel may be redrawn between the wait and the click.
    page.click(f".om-detail[data-incident='{incident_id}'] .om-btn-primary")
    message = page.wait_for_selector(".om-msg-ok[data-township]", timeout=WAIT_MS)
    township = message.get_attribute("data-township")
    page.wait_for_selector(".om-ordered", timeout=WAIT_MS)  # the detail panel now shows who has it
    page.screenshot(path=str(artifacts / "command.png"))
    assert not errors, errors
    page.close()
    assert incident_id and township
    return incident_id, township


def _sign_for(open_page: Callable[..., Any], app_url: str, artifacts: Path, incident_id: str, township: str) -> None:
    page, errors = open_page(f"{app_url}/township/{township}", township=township)
    _wait_live(page)
    row = f".om-town-row[data-incident='{incident_id}']"
    page.wait_for_selector(f"{row}[data-step='sign']", timeout=WAIT_MS)
    page.click(f"{row} button")
    page.wait_for_selector(".om-msg-ok", timeout=WAIT_MS)
    page.wait_for_selector(f"{row}[data-step='respond']", timeout=WAIT_MS)  # the push came back
    page.screenshot(path=str(artifacts / "township.png"))
    assert not errors, errors
    page.close()


def test_order_issued_signed_and_seen_on_the_wall(open_page: Callable[..., Any], app_url: str, artifacts: Path) -> None:
    incident_id, township = _issue_first_order(open_page, app_url, artifacts)
    _sign_for(open_page, app_url, artifacts, incident_id, township)
    page, errors = open_page(f"{app_url}/wall")
    _wait_live(page)
    row = f".om-order-row[data-incident='{incident_id}'][data-step='respond']"
    page.wait_for_selector(row, timeout=WAIT_MS)
    cd = f"{row} .om-cd"
    page.wait_for_function(
        "cd => /\\d\\d:\\d\\d/.test((document.querySelector(cd) || {}).textContent)", arg=cd, timeout=WAIT_MS
    )
    first = page.text_content(cd) or ""
    # The countdown ticks in the browser: its text changes. Waited for, not slept on: a page busy drawing thousands of
    # incidents on a loaded machine may hold its once-a-second tick back for longer than any fixed pause.
    page.wait_for_function(
        "([cd, first]) => { const t = (document.querySelector(cd) || {}).textContent;"
        " return /\\d\\d:\\d\\d/.test(t) && t !== first; }",
        arg=[cd, first],
        timeout=WAIT_MS,
    )
    second = page.text_content(cd) or ""
    assert COUNTDOWN.match(first) and COUNTDOWN.match(second), (first, second)
    assert not errors, errors
    page.close()


def test_unknown_township_gets_a_clear_page(open_page: Callable[..., Any], app_url: str) -> None:
    page, errors = open_page(f"{app_url}/township/NOPE")
    page.wait_for_selector(".om-message-page h1", timeout=WAIT_MS)
    assert "NOPE" in (page.text_content(".om-message-page h1") or "")
    assert not errors, errors
    page.close()

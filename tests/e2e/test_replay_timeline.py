"""An incident's own timeline played on the map, in real Chromium, on the scripted day: incident D, transferred from
T09 to T10, whose room signed 40 s late. The map shows its site, both teams' tracks and its eleven numbered steps,
the late ones red; clicking a step, in the list or on the map, moves the replay to that step's moment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from config import Settings
from domain.model import Role
from tests.conftest import Clock
from tests.e2e.conftest import COMMANDER, PASSWORD
from tests.integration import scenario_day as day

pytestmark = pytest.mark.e2e
WAIT_MS = 30_000
PANE = ".leaflet-omTimeline-pane"
LATE_STEPS = [
    "6",
    "7",
]  # D's sign-for overdue at 215 and signed at 250, 40 s late (tests/integration/test_replay_timeline.py)


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory, district: Any) -> Iterator[dict[str, Any]]:
    """Play the scripted day and serve that app (its clock stays at 09:16:40), with a commander to sign in."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("replay-timeline"), simulator=False, api_tokens=day.TOKENS)
    played = day.play_day(settings, Clock(), district)
    played.onemap.services.accounts.create_user(COMMANDER, PASSWORD, Role.COMMANDER)
    yield {"url": day.serve(played.onemap), "d": played.ids["D"], "start": played.start}


def _open(open_page: Callable[..., Any], scripted: dict[str, Any], lang: str = "zh") -> tuple[Any, list[str]]:
    page, errors = open_page(f"{scripted['url']}/replay?incident={scripted['d']}&lang={lang}")
    page.wait_for_function(
        "() => document.querySelectorAll('.leaflet-omTimeline-pane .om-tl-step').length === 11", timeout=WAIT_MS
    )
    return page, errors


def _now(page: Any) -> float:
    return page.evaluate("() => window.onemap.live.now()")


def test_the_map_shows_the_site_both_teams_tracks_and_every_step_numbered_the_late_ones_red(
    scripted: dict[str, Any], open_page: Callable[..., Any], artifacts: Path
) -> None:
    page, errors = _open(open_page, scripted)
    numbers = page.eval_on_selector_all(f"{PANE} .om-tl-step", "els => els.map(e => e.textContent)")
    assert sorted(numbers, key=int) == [str(n) for n in range(1, 12)]
    late = page.eval_on_selector_all(f"{PANE} .om-tl-step.om-tl-late", "els => els.map(e => e.textContent)")
    assert sorted(late) == LATE_STEPS
    red = page.eval_on_selector(f"{PANE} .om-tl-step.om-tl-late", "e => getComputedStyle(e).backgroundColor")
    assert red == "rgb(239, 68, 68)"
    # Two tracks: T09-A's, grey (transferred before its team went; its base is where D happened), and T10-A's,
    # red for its late sign-for.
    strokes = page.eval_on_selector_all(f"{PANE} path.om-tl-track", "els => els.map(e => e.getAttribute('stroke'))")
    assert sorted(strokes) == ["#94a3b8", "#ef4444"]
    assert page.query_selector(f"{PANE} .om-tl-site") is not None
    # The list says the same: each step's district time, late ones marked with their lateness.
    rows = page.locator(".om-replay-step").all_inner_texts()
    assert len(rows) == 11 and "09:04:10" in rows[6] and "超时 +00:40" in rows[6]
    assert page.eval_on_selector_all(".om-replay-step.om-tl-late", "els => els.map(e => e.dataset.n)") == LATE_STEPS
    # Now (09:16:40) every step is done: the last one is the moment's, its words shown on the map.
    page.wait_for_selector(f"{PANE} .om-tl-step.om-tl-now >> text=11", timeout=WAIT_MS)
    assert page.query_selector(f"{PANE} .om-tl-step.om-tl-future") is None
    assert page.query_selector(".om-replay-tag") is not None  # marked REPLAY like the rest
    page.screenshot(path=str(artifacts / "replay-timeline-zh.png"))
    assert not errors, errors


def test_clicking_a_step_moves_the_replay_to_its_moment_and_the_map_follows(
    scripted: dict[str, Any], open_page: Callable[..., Any]
) -> None:
    page, errors = _open(open_page, scripted)
    start = scripted["start"]
    page.click(".om-replay-step[data-n='7']")  # signed for, late, at 09:04:10
    page.wait_for_function("at => window.onemap.live.now() === at", arg=start + 250, timeout=WAIT_MS)
    page.wait_for_selector(f"{PANE} .om-tl-step.om-tl-now >> text=7", timeout=WAIT_MS)
    future = page.eval_on_selector_all(f"{PANE} .om-tl-step.om-tl-future", "els => els.map(e => e.textContent)")
    assert sorted(future, key=int) == ["8", "9", "10", "11"]
    assert page.get_attribute(".om-replay-step[data-n='7']", "class").split().count("om-tl-now") == 1
    assert f"at={int(start) + 250}" in page.url  # the address names the moment: a link to it
    # A step on the map jumps too: 3, signed for by T09 at 09:01:30.
    page.click(f"{PANE} .om-tl-step:has-text('3')")
    page.wait_for_function("at => window.onemap.live.now() === at", arg=start + 90, timeout=WAIT_MS)
    assert page.get_attribute(".om-replay-step[data-n='3']", "class").split().count("om-tl-now") == 1
    assert _now(page) == start + 90 and page.text_content("#replay-time") == "09:01:30"
    assert not errors, errors


def test_the_timeline_in_english(scripted: dict[str, Any], open_page: Callable[..., Any], artifacts: Path) -> None:
    page, errors = _open(open_page, scripted, "en")
    rows = page.locator(".om-replay-step").all_inner_texts()
    assert "Received" in rows[0] and "late +00:40" in rows[6]
    page.screenshot(path=str(artifacts / "replay-timeline-en.png"))
    assert not errors, errors

"""The replay view in real Chromium: the wall as it stood at a moment, marked REPLAY and read-only, drawn by the live
renderers from the replayed entities; play moves it on; the link carries ?at=; a township room may not open it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import _seed_users, api, running_app

pytestmark = pytest.mark.e2e

WAIT_MS = 20_000
TOKENS = {"sys-rp": "system", "cmd-rp": "commander"}
T01_SPOT = {"lon": 121.145, "lat": 31.075}


def _report(url: str, source_id: str) -> str:
    rec = {
        "source": "12345",
        "source_id": source_id,
        "category": "noise",
        "summary": "噪声",
        "address": "人民路1号",
        **T01_SPOT,
    }
    return api(url, "/records", "sys-rp", rec)["results"][0]["incident_id"]


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Run an app with no simulator: A reported and ordered, the moment taken, then B reported."""
    tmp = tmp_path_factory.mktemp("onemap-replay")
    env = {
        **os.environ,
        "ONEMAP_DATA_DIR": str(tmp / "data"),
        "ONEMAP_SIMULATOR": "off",
        "ONEMAP_AUTOPILOT": "off",
        "PYTHONUNBUFFERED": "1",
        "ONEMAP_API_TOKENS": ",".join(f"{k}={v}" for k, v in TOKENS.items()),
    }
    _seed_users(env)
    with running_app(env, 1) as url:
        a = _report(url, "RP-A")
        api(url, f"/incidents/{a}/order", "cmd-rp", {"team_id": "T01-A", "command_id": f"{a}.order.0"})
        timeline = api(url, f"/incidents/{a}", "cmd-rp")["timeline"]
        moment = next(e["at"] for e in timeline if e["type"] == "OrderIssued")  # the instant A was ordered
        b = _report(url, "RP-B")
        yield {"url": url, "a": a, "b": b, "at": moment}


def test_a_replay_shows_the_wall_as_it_stood_marked_and_drawn_from_the_replayed_entities(
    day: dict[str, Any], open_page: Any, artifacts: Path
) -> None:
    url, a, b, at = day["url"], day["a"], day["b"], day["at"]
    page, errors = open_page(f"{url}/replay?at={at}")
    page.wait_for_selector(".om-badge-replay", timeout=WAIT_MS)
    assert page.text_content(".om-replay-tag") == "回放 · 只读"
    row = f".om-order-row[data-incident='{a}'][data-step='sign']"
    page.wait_for_selector(row, timeout=WAIT_MS)
    assert page.query_selector(f".om-order-row[data-incident='{b}']") is None
    # The figures are the replayed kpi entity's: one report received by then, the same as the API's replay.
    figures = page.evaluate("() => window.onemap.live.get('kpi', 'today').district")
    expected = next(e for e in api(url, f"/replay?at={at}", "cmd-rp")["entities"] if e["kind"] == "kpi")["district"]
    assert figures == expected and figures["received"] == 1
    # The countdown stands as it stood: the clock of the page is the moment's.
    assert page.evaluate("() => window.onemap.live.now()") == at
    assert f"at={at}" in page.url and f"at={at}" in (page.get_attribute("#replay-link", "href") or "")
    page.screenshot(path=str(artifacts / "replay-wall.png"))
    assert not errors, errors


def test_play_moves_the_moment_on_until_what_happened_later_appears(day: dict[str, Any], open_page: Any) -> None:
    url, b, at = day["url"], day["b"], day["at"]
    page, _errors = open_page(f"{url}/wall?at={at}")
    page.wait_for_selector(".om-badge-replay", timeout=WAIT_MS)
    page.click("#replay-play")
    page.wait_for_selector(
        f".om-order-row[data-incident='{b}'], [data-incident='{b}']", state="attached", timeout=WAIT_MS
    )
    page.wait_for_function("at => window.onemap.live.now() > at", arg=at, timeout=WAIT_MS)


def test_an_incident_s_steps_are_played_one_moment_each(day: dict[str, Any], open_page: Any, artifacts: Path) -> None:
    url, a, at = day["url"], day["a"], day["at"]
    page, _errors = open_page(f"{url}/replay?at={at}&incident={a}")
    page.wait_for_selector(".om-replay-step >> nth=1", timeout=WAIT_MS)
    steps = page.locator(".om-replay-step").all_inner_texts()
    assert "接报" in steps[0] and "派单" in steps[1] and "T01" not in steps[1] and "→" in steps[1]
    page.screenshot(path=str(artifacts / "replay-incident.png"))
    page.click(".om-replay-step >> nth=0")  # the moment it was reported: waiting, no order yet
    page.wait_for_selector(f".om-order-row[data-incident='{a}'][data-step='dispatch']", timeout=WAIT_MS)
    assert "incident=" in page.url and page.evaluate("() => window.onemap.live.now()") < at


def test_a_township_room_may_not_open_the_district_replay(day: dict[str, Any], open_page: Any) -> None:
    url, at = day["url"], day["at"]
    page, _errors = open_page(f"{url}/replay?at={at}", township="T01")
    page.wait_for_load_state()
    assert page.query_selector(".om-badge-replay") is None
    assert "/township/T01" in page.url or page.query_selector(".om-error, .om-refused") is not None

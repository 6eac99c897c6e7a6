"""The flood-and-security wall screen read from the browser against a scripted district: flood, security, halls."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app import create_app
from config import Settings
from domain.model import Role
from tests.conftest import Clock
from tests.e2e.test_wall_scenario import WAIT_MS
from tests.integration.scenario_day import api_caller, nine_am, serve

pytestmark = pytest.mark.e2e
TOKENS = {"sys": "system", "cmd": "commander", "t01": "township:T01"}
HEADERS_ZH = ["服务中心", "等候人数", "今日已办", "最长等候", "开放窗口"]
HEADERS_EN = ["Hall", "Waiting", "Served today", "Longest wait", "Windows open"]


@pytest.fixture(scope="module")
def situation(tmp_path_factory: pytest.TempPathFactory, district: Any) -> Iterator[dict[str, Any]]:
    """Serve a district at 10:00 on a Wednesday: one station rising above warning, a crowd, a posture order signed by T01."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("wall-situation"), simulator=False, api_tokens=TOKENS)
    clock = Clock()
    clock.now = nine_am(clock.now) + 3600  # 2026-11-18, a Wednesday: every hall is open
    onemap = create_app(settings, clock=clock)
    call = api_caller(onemap)

    station = next(iter(district.stations.values()))
    levels = [round(station.warning_level + d, 2) for d in (-0.10, 0.02, 0.12)]
    for n, level in enumerate(levels):
        clock.advance(60)
        call("sys", "records", {"source": "hydrology", "source_id": f"r{n}", "station_id": station.id, "level": level})
    spot = district.teams["T01-A"]
    crowd = call(
        "sys",
        "records",
        {
            "source": "security",
            "source_id": "AB-1",
            "event_no": "AB-1",
            "kind": "crowd_density",
            "density": 5.2,
            "lon": spot.lon,
            "lat": spot.lat,
            "venue": "云湖广场",
            "description": "人员密集 5.2人/㎡",
        },
    )["results"][0]
    assert crowd["status"] == "accepted", crowd
    order = call(
        "cmd",
        "broadcasts",
        {
            "kind": "security_posture",
            "level": "high",
            "townships": "all",
            "message": "重点时段安保",
            "command_id": str(uuid.uuid4()),
        },
    )
    posture_id = order["events"][0]["broadcast_id"]
    call("t01", f"broadcasts/{posture_id}/sign", {"command_id": str(uuid.uuid4())})
    kiosk = onemap.services.accounts.create_token("wall-situation", "kiosk", Role.WALL)
    yield {
        "url": f"{serve(onemap)}/wall/situation?kiosk={kiosk}",
        "clock": clock,
        "station": station,
        "level": levels[-1],
        "incident": crowd["incident_id"],
        "broadcast": posture_id,
    }


def _open(open_page: Callable[..., Any], url: str) -> tuple[Any, list[str]]:
    page, errors = open_page(url)
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    page.wait_for_function(
        "() => document.querySelectorAll('.om-sit-halls [data-hall]').length === 12", timeout=WAIT_MS
    )
    return page, errors


def test_the_flood_panel_lists_the_station_above_warning_with_its_level_trend_and_the_response_level(
    situation: dict[str, Any], open_page: Callable[..., Any]
) -> None:
    page, errors = _open(open_page, situation["url"])
    row = page.wait_for_selector(f".om-sit-above [data-station='{situation['station'].id}']", timeout=WAIT_MS)
    assert row.get_attribute("data-trend") == "rising"
    assert row.query_selector(".om-sit-st-level").text_content() == f"{situation['level']:.2f}"
    assert "上涨" in row.text_content() and situation["station"].name_zh in row.text_content()
    assert page.get_attribute("[data-response]", "data-response") == "IV"  # one station above warning, no alert
    assert page.text_content("[data-response]") == "Ⅳ级"
    assert not errors, errors


def test_the_security_panel_lists_the_crowd_event_and_the_posture_with_who_signed(
    situation: dict[str, Any], open_page: Callable[..., Any]
) -> None:
    page, errors = _open(open_page, situation["url"])
    event = page.wait_for_selector(f".om-sit-events [data-incident='{situation['incident']}']", timeout=WAIT_MS)
    assert "人员密集" in event.text_content() and "云湖广场" in event.text_content()
    assert page.get_attribute("[data-posture]", "data-posture") == "high"
    board = page.wait_for_selector(f".om-sit-board [data-broadcast='{situation['broadcast']}']", timeout=WAIT_MS)
    chips = {
        c.get_attribute("data-township"): c.get_attribute("class") for c in board.query_selector_all("[data-township]")
    }
    assert len(chips) == 11 and "om-chip-on_time" in chips["T01"] and "om-chip-on_time" not in chips["T02"]
    assert not errors, errors


def test_the_halls_panel_lists_all_twelve_halls_under_labelled_columns_and_turns_them_closed_at_five(
    situation: dict[str, Any], open_page: Callable[..., Any], artifacts: Path
) -> None:
    page, errors = _open(open_page, situation["url"])
    assert [h.text_content() for h in page.query_selector_all(".om-sit-halls [data-column]")] == HEADERS_ZH
    assert page.eval_on_selector_all(".om-sit-halls [data-hall]", "rows => rows.map(r => r.dataset.open)") == ["1"] * 12
    page.screenshot(path=str(artifacts / "wall-situation-open.png"))
    # 17:00 passes with no hall event at all: the screens turn each hall closed at its own closing time.
    situation["clock"].now = nine_am(situation["clock"].now) + 8 * 3600 + 30
    page.wait_for_function(
        "() => [...document.querySelectorAll('.om-sit-halls [data-hall]')]"
        ".every(r => r.dataset.open === '0' && r.querySelector('.om-hq-closed'))",
        timeout=WAIT_MS,
    )
    assert page.text_content(".om-sit-halls .om-hq-closed") == "已闭厅"
    page.screenshot(path=str(artifacts / "wall-situation-closed.png"))
    en, en_errors = _open(open_page, situation["url"] + "&lang=en")
    assert [h.text_content() for h in en.query_selector_all(".om-sit-halls [data-column]")] == HEADERS_EN
    assert en.text_content(".om-sit-halls .om-hq-closed") == "Closed"
    assert not errors + en_errors, errors + en_errors

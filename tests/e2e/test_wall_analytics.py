"""The analytics view of a hand-computed day, read from the browser: each Plotly chart's data equals the worked
series, and a new record moves its charts in place with no server callback."""
from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from app import create_app
from config import Settings
from domain.model import Role
from streams.feeds import native
from tests.conftest import Clock
from tests.integration import scenario_charts as charts
from tests.integration import scenario_day as day
from tests.integration.scenario_day import DISTRICT_TZ, api_caller, nine_am

pytestmark = pytest.mark.e2e
WAIT_MS = 30_000
CHARTS = ("hourly", "stages", "categories", "ranking", "gauges", "halls")
READ = """() => Object.fromEntries(%s.map(name => {
    const gd = document.querySelector('#an-' + name + ' .js-plotly-plot');
    return [name, gd && gd.data ? gd.data.map(t => ({meta: t.meta || null, x: t.x || null, y: t.y || null,
        z: t.z || null, customdata: t.customdata || null})) : null];
}))""" % list(CHARTS)


@pytest.fixture(scope="module")
def analytics(tmp_path_factory: pytest.TempPathFactory, district: Any) -> Iterator[tuple[Any, str, float]]:
    """Play the charts day through the API, serve it, and yield (app, kiosk URL of /wall/analytics, S)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("wall-analytics"), simulator=False, api_tokens=day.TOKENS)
    clock = Clock()
    start = nine_am(clock.now)
    clock.now = start - 2 * charts.DAY_S
    onemap = create_app(settings, clock=clock)
    call = api_caller(onemap)

    def tick(at: int) -> None:
        while clock.now < start + at:
            clock.now = min(clock.now + 5, start + at)
            onemap.services.commands.sla_tick()

    def place(t: str) -> tuple[float, float]:
        return district.teams[f"{t}-A"].lon, district.teams[f"{t}-A"].lat

    charts.play(call, lambda at: setattr(clock, "now", at), tick, place, start)
    kiosk = onemap.services.accounts.create_token("wall-analytics", "kiosk", Role.WALL)
    yield onemap, f"{day.serve(onemap)}/wall/analytics?kiosk={kiosk}", start


def _by(traces: list[dict[str, Any]], **meta: Any) -> dict[str, Any]:
    found = [t for t in traces if all((t["meta"] or {}).get(k) == v for k, v in meta.items())]
    assert len(found) == 1, (meta, [t["meta"] for t in traces])
    return found[0]


def _drawn(page: Any) -> dict[str, Any]:
    page.wait_for_function("() => %s.every(n => { const gd = document.querySelector('#an-' + n + ' .js-plotly-plot');"
                           " return gd && gd.data && gd.data.length > 0; })" % list(CHARTS), timeout=WAIT_MS)
    return page.evaluate(READ)


def test_every_chart_on_the_analytics_view_shows_the_hand_computed_day(
        analytics: tuple[Any, str, float], open_page: Callable[..., Any], artifacts: Path) -> None:
    _onemap, url, start = analytics
    page, errors = open_page(url)
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    shown = _drawn(page)
    hourly = shown["hourly"]
    for src in charts.SOURCES:
        assert _by(hourly, day="today", source=src)["y"] == charts.EXPECTED_TODAY[src], src
        assert _by(hourly, day="yesterday", source=src)["y"] == charts.EXPECTED_YESTERDAY[src], src
    d, stages = day.EXPECTED_DISTRICT, shown["stages"]
    tallies = [d["dispatch"]] + [d["stages"][s] for s in ("sign", "respond", "route", "on_site")]
    assert _by(stages, figure="on_time")["y"] == [x["on_time"] for x in tallies]
    assert _by(stages, figure="late")["y"] == [x["late"] for x in tallies]
    assert _by(stages, figure="on_time_rate")["customdata"] == [x["on_time_rate"] for x in tallies]
    cats = shown["categories"]
    assert _by(cats, figure="received")["customdata"] == [c["code"] for c in charts.EXPECTED_CATEGORIES]
    assert _by(cats, figure="received")["x"] == [c["received"] for c in charts.EXPECTED_CATEGORIES]
    assert _by(cats, figure="on_time_rate")["customdata"] == [c["on_time_rate"] for c in charts.EXPECTED_CATEGORIES]
    for name in ("on_time_rate", "completion_rate", "satisfaction_rate"):
        trace = _by(shown["ranking"], figure=name)
        assert trace["meta"]["townships"] == [tid for tid, _ in day.EXPECTED_RANKS]
        assert trace["customdata"] == [day.EXPECTED_TOWNSHIPS[tid][name] for tid, _ in day.EXPECTED_RANKS]
    line = _by(shown["gauges"], figure="level", station=charts.STATION)
    expected = charts.expected_gauge(start)
    assert line["customdata"] == expected["t"] and line["y"] == expected["level"]
    assert _by(shown["gauges"], figure="warning_level", station=charts.STATION)["y"] == [4.08, 4.08]
    assert _by(shown["gauges"], figure="guarantee_level", station=charts.STATION)["y"] == [4.76, 4.76]
    queues = _by(shown["halls"], figure="waiting")
    assert queues["z"][queues["meta"]["halls"].index(charts.HALL)] == charts.EXPECTED_HALL_SLOTS
    page.screenshot(path=str(artifacts / "wall-analytics-scenario.png"))
    assert not errors, errors


def test_a_new_record_moves_its_charts_in_place_without_a_server_callback(
        analytics: tuple[Any, str, float], open_page: Callable[..., Any]) -> None:
    onemap, url, _start = analytics
    page, errors = open_page(url)
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    _drawn(page)
    page.evaluate("() => { window.__graph = document.querySelector('#an-hourly .js-plotly-plot'); }")
    calls: list[str] = []
    page.on("request", lambda r: "_dash-update-component" in r.url and calls.append(r.url))
    lon, lat = onemap.services.district.teams["T05-A"].lon, onemap.services.district.teams["T05-A"].lat
    when = datetime.fromtimestamp(onemap.services.clock(), DISTRICT_TZ).isoformat(timespec="seconds")
    record = native("grid", "e2e-grid-1", "garbage", lon, lat, when, "垃圾", "青溪路1号", random.Random(1))
    r = onemap.server.test_client().post("/api/v1/records", headers={"Authorization": "Bearer sys"}, json=record)
    assert r.get_json()["results"][0]["status"] == "accepted", r.get_json()
    page.wait_for_function("""() => { const gd = document.querySelector('#an-hourly .js-plotly-plot');
        const t = gd.data.find(t => t.meta && t.meta.day === 'today' && t.meta.source === 'grid');
        return t && t.y[9] === 1; }""", timeout=WAIT_MS)
    assert page.evaluate("() => document.querySelector('#an-hourly .js-plotly-plot') === window.__graph")
    received = page.evaluate("""() => document.querySelector('#an-categories .js-plotly-plot').data
        .find(t => t.meta.figure === 'received').x.reduce((a, b) => a + b, 0)""")
    assert received == 12
    assert calls == []  # the charts are drawn in the browser: no server callback for a delta
    assert not errors, errors

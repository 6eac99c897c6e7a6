"""The analytics view of a hand-computed day, read from the browser: each Plotly chart's data equals the worked
series, and a new record moves its charts in place with no server callback. The categories' texts never overlap
(boxes measured at 1080p and 4K, zh and en), and the halls' chart says so before the day's first queue."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import i18n
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
SIZES = [(1920, 1080), (3840, 2160)]
# The categories chart's texts as boxes (client pixels): bars, their counts, the rates, the axes' tick labels.
BOXES = """() => {
    const gd = document.querySelector('#an-categories .js-plotly-plot');
    const box = el => { const r = el.getBoundingClientRect();
        return {text: el.textContent, l: r.left, t: r.top, r: r.right, b: r.bottom}; };
    const all = sel => Array.from(gd.querySelectorAll(sel)).map(box).filter(b => b.r - b.l > 0 && b.b - b.t > 0);
    return {div: box(gd), bars: all('.barlayer .point path'), counts: all('.barlayer .bartext'),
            rates: all('.scatterlayer .textpoint text'), ticks: all('.xtick text, .ytick text'),
            heads: all('.annotation-text')};
}"""
# A worst case for the categories chart: the longest names, three-digit counts, 100%, 0% and no rate at all.
WORST = {
    "rows": [
        {"code": c, "received": n, "on_time_rate": r}
        for c, n, r in [
            ("property_dispute", 328, 1.0),
            ("road_occupation", 327, 0.0),
            ("elderly_help", 120, None),
            ("manhole_cover", 99, 0.917),
            ("illegal_construction", 64, 1.0),
            ("wage_dispute", 20, 0.5),
            ("public_safety", 9, 1.0),
            ("streetlight", 3, 0.333),
            ("neighbour_dispute", 1, 1.0),
            ("road_obstruction", 1, 1.0),
        ]
    ]
}
DRAW_WORST = """async (entity) => {
    const gd = document.querySelector('#an-categories .js-plotly-plot');
    const fig = window.onemap.charts.build.categories(entity, parseFloat(getComputedStyle(document.documentElement).fontSize));
    await Plotly.react(gd, fig.data, fig.layout, {displayModeBar: false});
}"""
# From now on: the charts each delta carried (live.subscribe) and the charts redrawn since (charts.js drawn()).
CARRIED = """() => { window.__graph = document.querySelector('#an-hourly .js-plotly-plot');
    const carried = window.__carried = new Set(), d = window.onemap.charts.drawn();
    window.__counts = Object.fromEntries(Object.keys(d).map(n => [n, d[n].count]));
    window.onemap.live.subscribe(c => (c.upsert || []).forEach(e => e.kind === 'chart' && carried.add(e.id))); }"""
REDRAWN = """() => { const d = window.onemap.charts.drawn();
    return {carried: [...window.__carried].sort(),
            redrawn: Object.keys(d).filter(n => d[n].count > (window.__counts[n] || 0)).sort()}; }"""
# Whether each graph shows the figure its chart entity builds now (its traces' numbers and labels).
SHOWS_ITS_ENTITY = """() => { const px = parseFloat(getComputedStyle(document.documentElement).fontSize);
    const pick = ts => JSON.stringify(ts.map(t => [t.meta, t.x, t.y, t.z, t.customdata, t.text]));
    return Object.fromEntries(%s.map(n => [n, pick(document.querySelector('#an-' + n + ' .js-plotly-plot').data)
        === pick(window.onemap.charts.build[n](window.onemap.live.get('chart', n), px).data)])); }""" % list(CHARTS)
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
    page.wait_for_function(
        "() => %s.every(n => { const gd = document.querySelector('#an-' + n + ' .js-plotly-plot');"
        " return gd && gd.data && gd.data.length > 0; })" % list(CHARTS),
        timeout=WAIT_MS,
    )
    return page.evaluate(READ)


def test_every_chart_on_the_analytics_view_shows_the_hand_computed_day(
    analytics: tuple[Any, str, float], open_page: Callable[..., Any], artifacts: Path
) -> None:
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
    analytics: tuple[Any, str, float], open_page: Callable[..., Any]
) -> None:
    onemap, url, _start = analytics
    page, errors = open_page(url)
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    _drawn(page)
    page.evaluate(CARRIED)
    calls: list[str] = []
    page.on("request", lambda r: "_dash-update-component" in r.url and calls.append(r.url))
    lon, lat = onemap.services.district.teams["T05-A"].lon, onemap.services.district.teams["T05-A"].lat
    when = datetime.fromtimestamp(onemap.services.clock(), DISTRICT_TZ).isoformat(timespec="seconds")
    record = native("grid", "e2e-grid-1", "garbage", lon, lat, when, "垃圾", "青溪路1号", random.Random(1))
    r = onemap.server.test_client().post("/api/v1/records", headers={"Authorization": "Bearer sys"}, json=record)
    assert r.get_json()["results"][0]["status"] == "accepted", r.get_json()
    page.wait_for_function(
        """() => { const gd = document.querySelector('#an-hourly .js-plotly-plot');
        const t = gd.data.find(t => t.meta && t.meta.day === 'today' && t.meta.source === 'grid');
        return t && t.y[9] === 1; }""",
        timeout=WAIT_MS,
    )
    assert page.evaluate("() => document.querySelector('#an-hourly .js-plotly-plot') === window.__graph")
    received = page.evaluate("""() => document.querySelector('#an-categories .js-plotly-plot').data
        .find(t => t.meta.figure === 'received').x.reduce((a, b) => a + b, 0)""")
    assert received == 12
    page.wait_for_function("() => window.onemap.charts.due().length === 0", timeout=WAIT_MS)
    seen = page.evaluate(REDRAWN)
    # Only charts the deltas carried are redrawn (a record changes no gauge's series nor hall's queue), those whose
    # numbers it moved among them; one carried with the same numbers keeps its graph, which shows its entity all along.
    assert {"hourly", "categories"} <= set(seen["redrawn"]) <= set(seen["carried"]), seen
    assert not {"gauges", "halls"} & set(seen["carried"]), seen
    assert page.evaluate(SHOWS_ITS_ENTITY) == {name: True for name in CHARTS}
    assert calls == []  # the charts are drawn in the browser: no server callback for a delta
    assert not errors, errors


def test_the_charts_follow_the_screen_to_4k_when_the_window_grows_with_no_server_callback(
    analytics: tuple[Any, str, float], open_page: Callable[..., Any]
) -> None:
    _onemap, url, _start = analytics
    page, errors = open_page(url, width=1920, height=1080)
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    _drawn(page)
    page.evaluate(CARRIED)
    calls: list[str] = []
    page.on("request", lambda r: "_dash-update-component" in r.url and calls.append(r.url))
    font = "() => document.querySelector('#an-%s .js-plotly-plot').layout.font.size"
    small = {name: page.evaluate(font % name) for name in CHARTS}
    page.set_viewport_size({"width": 3840, "height": 2160})  # the wall's rem doubles (assets/onemap.css)
    page.wait_for_function(f"() => ({font % 'halls'})() === 2 * {small['halls']}", timeout=WAIT_MS)
    assert {name: page.evaluate(font % name) for name in CHARTS} == {n: 2 * size for n, size in small.items()}
    assert page.evaluate(REDRAWN)["redrawn"] == sorted(CHARTS)  # each once more, in its own graph
    assert page.evaluate("() => document.querySelector('#an-hourly .js-plotly-plot') === window.__graph")
    assert calls == []
    assert not errors, errors


def test_only_the_analytics_view_loads_plotly_and_that_its_cartesian_bundle_once(
    analytics: tuple[Any, str, float], open_page: Callable[..., Any]
) -> None:
    _onemap, url, _start = analytics
    fetched = """() => performance.getEntriesByType('resource').map(e => e.name.split('?')[0])
        .filter(u => u.includes('plotly')).map(u => u.slice(u.lastIndexOf('/') + 1))"""
    page, errors = open_page(url)
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    _drawn(page)
    assert page.evaluate(fetched) == ["plotly-cartesian.min.js"]  # preloaded, then run from that one fetch
    assert page.evaluate("() => document.querySelectorAll('script[src*=\"plotly\"]').length") == 1
    wall, wall_errors = open_page(url.replace("/wall/analytics", "/wall"))
    wall.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    assert wall.evaluate(fetched) == [] and wall.evaluate("() => window.Plotly === undefined")
    assert not errors and not wall_errors, (errors, wall_errors)


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Return whether two boxes share more than a pixel's sliver (a glyph's bearing may touch a neighbour)."""
    return min(a["r"], b["r"]) - max(a["l"], b["l"]) > 1 and min(a["b"], b["b"]) - max(a["t"], b["t"]) > 1


def _assert_categories_readable(boxes: dict[str, Any], rows: int) -> None:
    """Assert a rate text per row, on no bar, count or tick label, and every text whole inside the chart."""
    rates, counts, ticks = boxes["rates"], boxes["counts"], boxes["ticks"]
    for rate in rates:
        hit = [o for o in boxes["bars"] + counts + ticks + boxes["heads"] if _overlap(rate, o)]
        assert not hit, (rate, hit)
    for n, text in enumerate(counts + ticks):
        hit = [o for o in rates + (counts + ticks)[n + 1 :] if _overlap(text, o)]
        assert not hit, (text, hit)
    div = boxes["div"]
    for text in rates + counts + ticks + boxes["heads"]:
        assert div["l"] <= text["l"] and text["r"] <= div["r"] and div["t"] <= text["t"] and text["b"] <= div["b"], (
            text,
            div,
        )
    assert len(rates) == rows and len(counts) == rows, boxes


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_categories_on_time_rates_stand_in_their_own_column_clear_of_every_bar_and_count(
    analytics: tuple[Any, str, float], open_page: Callable[..., Any], artifacts: Path, size: tuple[int, int], lang: str
) -> None:
    _onemap, url, _start = analytics
    page, errors = open_page(f"{url}&lang={lang}", width=size[0], height=size[1])
    page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
    _drawn(page)
    boxes, rows = page.evaluate(BOXES), page.evaluate("() => window.onemap.live.get('chart', 'categories').rows")
    _assert_categories_readable(boxes, len(rows))  # the day's rows (and a later test's record, if it ran first)
    pct = ["—" if c["on_time_rate"] is None else f"{c['on_time_rate'] * 100:.1f}%" for c in rows]
    assert [r["text"] for r in boxes["rates"]] == pct  # the entity's rates, in its order
    assert [c["text"] for c in boxes["counts"]] == [str(c["received"]) for c in rows]
    page.evaluate(DRAW_WORST, WORST)
    _assert_categories_readable(page.evaluate(BOXES), len(WORST["rows"]))
    page.locator("#an-categories").screenshot(path=str(artifacts / f"wall-analytics-categories-{size[0]}-{lang}.png"))
    assert not errors, errors


@pytest.fixture(scope="module")
def before_the_queues(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """Serve a district at 06:00 with no ticket yet today; yield (app, kiosk URL of /wall/analytics)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("wall-analytics-dawn"), simulator=False, api_tokens=day.TOKENS)
    clock = Clock()
    clock.now = nine_am(clock.now) - 3 * 3600
    onemap = create_app(settings, clock=clock)
    kiosk = onemap.services.accounts.create_token("wall-analytics-dawn", "kiosk", Role.WALL)
    yield onemap, f"{day.serve(onemap)}/wall/analytics?kiosk={kiosk}"


HALLS_SHOWN = """() => { const gd = document.querySelector('#an-halls .js-plotly-plot');
    return {traces: gd.data.map(t => ({type: t.type, z: t.z || null, halls: (t.meta || {}).halls || null})),
            notes: Array.from(gd.querySelectorAll('.annotation-text')).map(a => a.textContent)}; }"""


def test_before_the_first_queue_the_halls_chart_says_none_is_recorded_then_draws_the_queue(
    before_the_queues: tuple[Any, str], open_page: Callable[..., Any], artifacts: Path
) -> None:
    onemap, url = before_the_queues
    for lang in ("zh", "en"):
        page, errors = open_page(f"{url}&lang={lang}")
        page.wait_for_selector(".om-badge-live", timeout=WAIT_MS)
        page.wait_for_function("() => (window.onemap.charts.drawn().halls || {}).count > 0", timeout=WAIT_MS)
        shown = page.evaluate(HALLS_SHOWN)
        assert shown == {"traces": [], "notes": [i18n.catalog(lang)["analytics.halls_none"]]}, (lang, shown)
        page.locator("#an-halls").screenshot(path=str(artifacts / f"wall-analytics-halls-none-{lang}.png"))
        assert not errors, errors
    api_caller(onemap)(
        "sys",
        "records",
        {"source": "hall", "source_id": "dawn-1", "hall_id": charts.HALL, "action": "issued", "ticket": "A001"},
    )
    page.wait_for_function("() => document.querySelector('#an-halls .js-plotly-plot').data.length > 0", timeout=WAIT_MS)
    shown = page.evaluate(HALLS_SHOWN)
    assert shown["notes"] == [] and [t["type"] for t in shown["traces"]] == ["heatmap"], shown
    row = shown["traces"][0]["z"][shown["traces"][0]["halls"].index(charts.HALL)]
    assert row == [None] * 36 + [1]  # 06:00 is the day's 37th 10-minute slot: the queue of one from then on
    assert not errors, errors

"""Benchmark: the wall and its analytics view in headless Chromium with 2,000 and 10,000 open incidents.

For each size: first paint of /wall (the incidents drawn on the map) and of /wall/analytics (all six charts drawn),
then one new record at a time: browser time from its delta's arrival to its dot on the map (the incidents pane
repainted) and to its chart update (Plotly's afterplot of the hourly chart, and of the last chart it changes),
with the server callbacks counted while deltas arrive (target: none). The baseline is a plain page with the
same points (drawn once on a canvas) and the same Plotly figures built once (Plotly.newPlot), and one
Plotly.react of the hourly figure with the same one-bar change. Target: a chart update within 100 ms at 10,000.

    python bench/wall.py [--sizes 2000 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python bench/wall.py` from anywhere

from app import create_app  # noqa: E402
from config import Settings  # noqa: E402
from domain.model import Role  # noqa: E402
from streams.feeds import native  # noqa: E402
from tests.integration.scenario_day import serve  # noqa: E402  (the same in-process server the e2e tests use)

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
VIEWPORT = {"width": 1920, "height": 1080}
WAIT_MS = 120_000
PLOTLY_JS = Path(__import__("plotly").__path__[0]) / "package_data" / "plotly.min.js"
CHARTS = ["hourly", "stages", "categories", "ranking", "gauges", "halls"]
# Before any page script: note when a delta carrying the awaited record arrives (our listener runs before live.js's).
HOOK = """(() => {
  let real;
  window.__bench = {want: null, deltaAt: null};
  Object.defineProperty(window, 'io', {configurable: true, get: () => real, set: (io) => {
    real = Object.assign(function () {
      const s = io.apply(this, arguments);
      s.on('delta', m => { const b = window.__bench, at = performance.now();
        // A large delta comes deflated (web/push.py delta_wire): its arrival is noted, its content read once inflated.
        const read = (m instanceof ArrayBuffer || ArrayBuffer.isView(m))
          ? new Response(new Blob([m]).stream().pipeThrough(new DecompressionStream('deflate'))).json()
          : Promise.resolve(m);
        read.then(d => { if (b.want && b.deltaAt === null
            && (d.upsert || []).some(e => e.kind === 'incident' && e.source_id === b.want)) { b.deltaAt = at; } }); });
      return s; }, io); }});
})()"""
DRAWN = (
    "() => %s.every(n => { const gd = document.querySelector('#an-' + n + ' .js-plotly-plot');"
    " return gd && gd.data && gd.data.length > 0; })" % CHARTS
)
WALL_DRAWN = (
    "() => document.querySelectorAll('.om-pane-omIncidents .om-cluster, .om-pane-omIncidents path.om-inc').length > 0"
    " && !!document.querySelector('.om-badge-live')"
)
# Each awaited round: the map pane's first repaint after the delta (the wall), and which charts were redrawn when
# (charts.js notes the moment each Plotly.react returned: the analytics view).
ARM = """(want) => { const b = window.__bench; b.want = want; b.deltaAt = null; b.mapAt = null;
  b.before = JSON.parse(JSON.stringify(window.onemap.charts ? window.onemap.charts.drawn() : {}));
  const pane = document.querySelector('.om-pane-omIncidents');
  if (pane && !b.wired) { b.wired = true;
    new MutationObserver(() => { if (b.deltaAt !== null && b.mapAt === null) b.mapAt = performance.now(); })
      .observe(pane, {childList: true, subtree: true, attributes: true}); } }"""
REDRAWN = """() => { const b = window.__bench, now = window.onemap.charts ? window.onemap.charts.drawn() : {}, out = {};
  Object.keys(now).forEach(n => { if (!b.before[n] || now[n].count > b.before[n].count) out[n] = now[n].at - b.deltaAt; });
  return {map: b.mapAt === null ? null : b.mapAt - b.deltaAt, charts: out}; }"""


def record(source_id: str, source: str, lon: float, lat: float, rng: random.Random) -> dict:
    """Return an incident record in its source's own schema, reported now."""
    when = datetime.now(timezone(timedelta(hours=8))).isoformat(timespec="seconds")
    category = rng.choice(("noise", "garbage", "illegal_parking", "streetlight", "road_obstruction"))
    return native(
        source,
        source_id,
        category,
        lon + rng.gauss(0, 0.01),
        lat + rng.gauss(0, 0.01),
        when,
        "基准事件",
        "人民路1号",
        rng,
    )


def build(size: int, data_dir: Path):
    """Return the app holding `size` open incidents, readings of every gauge and tickets of every hall."""
    onemap = create_app(Settings(data_dir=data_dir, simulator=False, api_tokens={"sys": "system"}))
    client, rng, d = onemap.server.test_client(), random.Random(5), onemap.services.district
    teams = list(d.teams.values())
    post = lambda recs: client.post("/api/v1/records", json={"records": recs}, headers={"Authorization": "Bearer sys"})  # noqa: E731
    for first in range(0, size, 1000):
        spots = [rng.choice(teams) for _ in range(first, min(size, first + 1000))]
        post(
            [
                record(f"bench-{first + k}", rng.choice(("12345", "110", "grid")), t.lon, t.lat, rng)
                for k, t in enumerate(spots)
            ]
        )
    post(
        [
            {"source": "hydrology", "source_id": f"hyd-{s}", "station_id": s, "level": d.stations[s].normal_level}
            for s in d.stations
        ]
        + [
            {"source": "hall", "source_id": f"hall-{h}", "hall_id": h, "action": "issued", "ticket": "A001"}
            for h in d.halls
        ]
    )
    taken = onemap.services.store.read(lambda state: len(state.open_incidents()))
    assert taken >= size * 0.99, "the incidents were not all taken"
    kiosk = onemap.services.accounts.create_token(f"bench-{size}", "kiosk", Role.WALL)
    return onemap, client, kiosk


def first_paint(browser, url: str, drawn: str) -> tuple[float, dict]:
    """Open a page fresh; return (ms from navigation to drawn, the page left open)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(HOOK)
    page = context.new_page()
    calls: list[float] = []

    def note(request: Any) -> None:  # the server callbacks the page asks for
        if "_dash-update-component" in request.url:
            calls.append(time.monotonic())

    page.on("request", note)
    page.goto(url)
    page.wait_for_function(drawn, timeout=WAIT_MS, polling=10)
    return page.evaluate("() => performance.now()"), {"page": page, "context": context, "calls": calls}


def rounds(opened: dict, client, size: int, count: int, teams: list) -> dict:
    """Post `count` records one at a time; return the browser's times after each delta, and server callbacks."""
    page = opened["page"]
    out: dict[str, Any] = {"map": [], "hourly": [], "all": []}  # ms lists, then "callbacks": a count
    time.sleep(2.5)  # past the start-up's own callbacks
    before = len(opened["calls"])
    rng = random.Random(size)
    for k in range(count):
        want = f"bench-new-{size}-{k}-{time.monotonic_ns()}"
        page.evaluate(ARM, want)
        t = rng.choice(teams)
        rec = record(want, "grid", t.lon, t.lat, rng)
        r = client.post("/api/v1/records", json=rec, headers={"Authorization": "Bearer sys"}).get_json()
        assert r["results"][0]["status"] == "accepted", r
        page.wait_for_function("() => window.__bench.deltaAt !== null", timeout=WAIT_MS, polling=10)
        time.sleep(1.5)  # every repaint the delta causes is done by then
        got = page.evaluate(REDRAWN)
        if got["map"] is not None:
            out["map"].append(got["map"])
        if "hourly" in got["charts"]:
            out["hourly"].append(got["charts"]["hourly"])
            out["all"].append(max(got["charts"].values()))
    out["callbacks"] = len(opened["calls"]) - before
    return out


def baseline(browser, figures: list, points: list, count: int) -> dict:
    """A plain page: the same points on a canvas and the same figures by Plotly.newPlot; then Plotly.react timings."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.route("http://bench.local/plotly.js", lambda r: r.fulfill(path=str(PLOTLY_JS), content_type="text/javascript"))
    cells = "".join(
        f"<div id='g{i}' style='width:460px;height:420px;display:inline-block'></div>" for i in range(len(figures))
    )
    html = f"""<!doctype html><html><body style='margin:0;background:#040b1a'><canvas id='map' width='940' height='800'></canvas>
{cells}<script src='http://bench.local/plotly.js'></script><script>
const FIGS = {json.dumps(figures)}, PTS = {json.dumps(points)};
function dots(pts) {{ const c = document.getElementById('map').getContext('2d'); c.clearRect(0, 0, 940, 800);
  const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]), x0 = Math.min(...xs), y0 = Math.min(...ys);
  const sx = 900 / (Math.max(...xs) - x0 || 1), sy = 760 / (Math.max(...ys) - y0 || 1);
  for (const p of pts) {{ c.beginPath(); c.arc(20 + (p[0] - x0) * sx, 780 - (p[1] - y0) * sy, 5, 0, 7); c.fillStyle = '#38bdf8'; c.fill(); }} }}
dots(PTS);
Promise.all(FIGS.map((f, i) => Plotly.newPlot('g' + i, f.data, f.layout, {{displayModeBar: false}})))
  .then(() => {{ window.__painted = performance.now(); }});
</script></body></html>"""
    page.route("http://bench.local/plain.html", lambda r: r.fulfill(body=html, content_type="text/html"))
    page.goto("http://bench.local/plain.html")
    page.wait_for_function("() => window.__painted !== undefined", timeout=WAIT_MS)
    painted = page.evaluate("() => window.__painted")
    react, redraw = [], []
    for k in range(count):
        react.append(
            page.evaluate(
                """(k) => new Promise(done => { const gd = document.getElementById('g0');
            const data = gd.data.map(t => Object.assign({}, t));
            const t = data.find(t => t.meta && t.meta.day === 'today' && t.meta.source === 'grid');
            t.y = t.y.slice(); t.y[t.y.length - 1] += 1; const t0 = performance.now();
            Plotly.react(gd, data, gd.layout).then(() => done(performance.now() - t0)); })""",
                k,
            )
        )
        redraw.append(
            page.evaluate("""() => { const t0 = performance.now(); dots(PTS.concat([[PTS[0][0] + 0.001, PTS[0][1]]]));
            return performance.now() - t0; }""")
        )
    context.close()
    return {"paint": painted, "react": react, "dots": redraw}


def med(xs: list) -> float:
    return statistics.median(xs) if xs else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for size in args.sizes:
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                onemap, client, kiosk = build(size, Path(tmp))
                url = serve(onemap)
                print(f"\n== {size:,} open incidents (built in {time.perf_counter() - t0:.1f} s)", flush=True)
                teams = list(onemap.services.district.teams.values())
                wall_ms, wall = first_paint(browser, f"{url}/wall?kiosk={kiosk}", WALL_DRAWN)
                wall_r = rounds(wall, client, size, args.rounds, teams)
                wall["context"].close()
                an_ms, an = first_paint(browser, f"{url}/wall/analytics?kiosk={kiosk}", DRAWN)
                an_r = rounds(an, client, size, args.rounds, teams)
                figures = an["page"].evaluate(
                    "() => %s.map(n => { const gd = document.querySelector('#an-' + n + ' .js-plotly-plot');"
                    " return {data: gd.data, layout: gd.layout}; })" % CHARTS
                )
                an["context"].close()
                points = onemap.services.store.read(lambda state: [[i.lon, i.lat] for i in state.open_incidents()])
                base = baseline(browser, figures, points, args.rounds)
                onemap.stop.set()
                print(
                    f"first paint   /wall {wall_ms:7.0f} ms   /wall/analytics {an_ms:7.0f} ms   "
                    f"baseline (same points + same 6 figures, plain page) {base['paint']:7.0f} ms   "
                    f"ratio {an_ms / base['paint']:.1f}x"
                )
                print(
                    f"delta -> dot on the map (wall)         median {med(wall_r['map']):6.1f} ms  max {max(wall_r['map'] or [0]):6.1f}"
                    f"   baseline canvas redraw {med(base['dots']):6.1f} ms"
                )
                print(
                    f"delta -> hourly chart updated          median {med(an_r['hourly']):6.1f} ms  max {max(an_r['hourly'] or [0]):6.1f}"
                    f"   baseline Plotly.react {med(base['react']):6.1f} ms   ratio {med(an_r['hourly']) / med(base['react']):.1f}x"
                )
                print(
                    f"delta -> every changed chart updated   median {med(an_r['all']):6.1f} ms  max {max(an_r['all'] or [0]):6.1f}"
                )
                print(
                    f"server callbacks during {args.rounds} deltas: wall {wall_r['callbacks']}, analytics {an_r['callbacks']}"
                    f"   (target 0; 100 ms target at 10,000: {'met' if med(an_r['hourly']) <= 100 else 'NOT met'})",
                    flush=True,
                )
        browser.close()


if __name__ == "__main__":
    main()

"""Benchmark: the wall (/wall) and its analytics view (/wall/analytics) in headless Chromium, against plain pages.

With 2,000 and 10,000 open incidents (every gauge read, every hall queueing), each configuration runs --rounds
interleaved rounds, the product's page and its same-run reference alternating (A B A B ...), a fresh page each:

  paint   first paint: /wall (incidents on the map, badge live) and /wall/analytics (all six charts' Plotly.react
          returned), against a plain page drawing the same points on a canvas and the same six figures (newPlot)
          with plotly's full plotly.min.js, and the same page with the product's smaller bundle.
  charts  a new record a time (--deltas a round, 1.5 s apart so each delta carries its charts): its delta's arrival
          -> the hourly chart redrawn, and -> the last chart it changes redrawn (assets/charts.js drawn()); server
          callbacks counted meanwhile (target 0). Reference: one Plotly.react of the hourly figure, one bar more.
  map     the same records on /wall: delta -> the incidents pane's first change (a MutationObserver on
          .om-pane-omIncidents). Reference: the plain page's canvas redrawing every dot and one more.
  teams   /wall open at the largest size: its main thread's CPU (CDP Performance.getMetrics, TaskDuration over
          elapsed, --seconds a round), A with no fixes against B with 300 teams' phones sending theirs (20 fixes/s,
          the demo district's 66 teams signed in at /team and POSTing /team/position from a process of their own:
          bench/teams.py Phones; each team on an order, so every fix is kept and reaches the wall), interleaved.

Each prints its rounds, then the median with its spread (min-max), p95 for the delta timings, and the ratio to the
reference. Targets at 10,000: charts and map median <= 100 ms (map p95 < 150 ms), first paint of the analytics
view within 1.1x the plain page, the teams' fixes < 0.10 of a core on the wall. The app runs in this process
(tests/integration/scenario_day.py serve), the reference page on a port of its own (bench/wallpage.py).

    python bench/wall.py [--sizes 2000 10000] [--rounds 5] [--deltas 10] [--only paint charts map teams]
    python bench/wall.py --quick        # 2,000 only, 2 rounds of 4 deltas, 6 s teams rounds: to iterate
"""

from __future__ import annotations

import argparse
import logging
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python bench/wall.py` from anywhere

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
VIEWPORT = {"width": 1920, "height": 1080}
WAIT_MS = 120_000
SETTLE_S = 2.0  # after a first paint: past the page's start-up callbacks before a round's deltas
GAP_S = 1.5  # between records: past push's FIGURES_EVERY_S (each delta carries its charts) and every repaint
TEAMS = 300  # modelled teams, a fix every 15 s each
CONFIGS = ("paint", "charts", "map", "teams")
ANALYTICS = "/wall/analytics"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the options: parsed before anything is imported or built, so --help costs nothing."""
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0], epilog="See the module docstring for what each figure is."
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000], help="open incidents (2000 10000)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds of each configuration (5)")
    parser.add_argument("--deltas", type=int, default=10, help="records posted a round, charts and map (10)")
    parser.add_argument("--seconds", type=float, default=20.0, help="a teams round's window (20)")
    parser.add_argument("--only", nargs="+", choices=CONFIGS, default=list(CONFIGS), help="configurations to run")
    parser.add_argument("--quick", action="store_true", help="2,000 only, 2 rounds of 4 deltas, 6 s teams rounds")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.rounds, args.deltas, args.seconds = [2000], 2, 4, 6.0
    return args


def record(source_id: str, source: str, lon: float, lat: float, rng: random.Random) -> dict:
    """Return an incident record in its source's own schema, reported now."""
    from streams.feeds import native

    when = datetime.now(timezone(timedelta(hours=8))).isoformat(timespec="seconds")
    category = rng.choice(("noise", "garbage", "illegal_parking", "streetlight", "road_obstruction"))
    lon, lat = lon + rng.gauss(0, 0.01), lat + rng.gauss(0, 0.01)
    return native(source, source_id, category, lon, lat, when, "基准事件", "人民路1号", rng)


def build(size: int, data_dir: Path) -> tuple[Any, Any, str]:
    """Return (app, test client, kiosk token): `size` open incidents, readings of every gauge, tickets of every hall."""
    from app import create_app
    from config import Settings
    from domain.model import Role

    onemap = create_app(Settings(data_dir=data_dir, simulator=False, api_tokens={"sys": "system", "cmd": "commander"}))
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


@dataclass
class Run:
    """One size's app, served, and what its rounds share: the browser, the reference page, the figures and dots."""

    size: int
    data_dir: Path
    browser: Any
    onemap: Any
    client: Any
    url: str  # the app's, with no path
    kiosk: str
    plain: Any  # bench/wallpage.py Plain
    plain_url: str = ""  # the reference page with plotly's full plotly.min.js
    bundle_url: str = ""  # the same with the product's bundle
    rng: random.Random = field(default_factory=lambda: random.Random(11))

    def page(self, url: str, drawn: str) -> tuple[Any, Any, list[str], float]:
        """Open url in a fresh context; return (context, page, server callbacks asked, ms from navigation to drawn)."""
        from bench import wallpage

        context = self.browser.new_context(viewport=VIEWPORT)
        context.add_init_script(wallpage.HOOK)
        page = context.new_page()
        calls: list[str] = []
        page.on("request", lambda r: calls.extend([r.url] if "_dash-update-component" in r.url else []))
        page.goto(url)
        at = page.wait_for_function(drawn, timeout=WAIT_MS, polling=10).json_value()
        return context, page, calls, float(at)

    def product(self, path: str) -> str:
        return f"{self.url}{path}?kiosk={self.kiosk}"

    def post(self, want: str) -> None:
        """Post one new incident record near a team's base."""
        team = self.rng.choice(list(self.onemap.services.district.teams.values()))
        body = record(want, "grid", team.lon, team.lat, self.rng)
        r = self.client.post("/api/v1/records", json=body, headers={"Authorization": "Bearer sys"}).get_json()
        assert r["results"][0]["status"] == "accepted", r

    def deltas(self, page: Any, calls: list[str], count: int) -> tuple[list[dict], int]:
        """Post `count` records one at a time; return the page's timings after each delta and the server callbacks."""
        from bench import wallpage

        time.sleep(SETTLE_S)
        before, out = len(calls), []
        for k in range(count):
            want = f"bench-new-{self.size}-{k}-{time.monotonic_ns()}"
            page.evaluate(wallpage.ARM, want)
            posted = time.monotonic()
            self.post(want)
            page.wait_for_function("() => window.__bench.deltaAt !== null", timeout=WAIT_MS, polling=10)
            time.sleep(max(0.0, posted + GAP_S - time.monotonic()))
            out.append(page.evaluate(wallpage.REDRAWN))
        return out, len(calls) - before

    def reference(self, script: str = "", count: int = 0, url: str = "") -> tuple[float, list[float]]:
        """Open the plain page fresh; return (its first paint, `count` timings of script run on it)."""
        from bench import wallpage

        context = self.browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.goto(url or self.plain_url)
        painted = float(page.wait_for_function(wallpage.PLAIN_DRAWN, timeout=WAIT_MS, polling=10).json_value())
        timings = [float(page.evaluate(script)) for _ in range(count)]
        context.close()
        return painted, timings


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else math.nan


def p95(xs: list[float]) -> float:
    """Return the nearest-rank 95th percentile."""
    return sorted(xs)[max(0, math.ceil(0.95 * len(xs)) - 1)] if xs else math.nan


def spread(xs: list[float], digits: int = 1) -> str:
    """Return "median (min-max)" of xs."""
    return f"{median(xs):.{digits}f} ({min(xs):.{digits}f}-{max(xs):.{digits}f})" if xs else "n/a"


def line(label: str, xs: list[float], unit: str = "ms", digits: int = 1) -> None:
    """Print a row: each round's value, then the median and spread."""
    each = " ".join(f"{x:7.{digits}f}" for x in xs)
    print(f"  {label:40s} {each}   median {spread(xs, digits)} {unit}", flush=True)


def ratios(label: str, xs: list[float], ref: list[float]) -> None:
    """Print the per-round ratios of xs to their reference, their median and spread."""
    line(label, [x / r for x, r in zip(xs, ref)], "x", 2)


def delays(label: str, xs: list[float]) -> None:
    """Print the median, spread and p95 of delta timings."""
    print(f"  {label:40s} median {spread(xs)}   p95 {p95(xs):.1f} ms", flush=True)


def paint(run: Run, rounds: int) -> None:
    """Rounds of (/wall, /wall/analytics, the plain page, the same with the product's plotly.js bundle), each opened
    fresh: ms from navigation to drawn."""
    from bench import wallpage

    wall: list[float] = []
    charts: list[float] = []
    plain: list[float] = []
    bundle: list[float] = []
    for _ in range(rounds):
        for path, drawn, into in (("/wall", wallpage.WALL_DRAWN, wall), (ANALYTICS, wallpage.CHARTS_DRAWN, charts)):
            context, _page, _calls, at = run.page(run.product(path), drawn)
            into.append(at)
            context.close()
        plain.append(run.reference()[0])
        bundle.append(run.reference(url=run.bundle_url)[0])
    print(f"first paint (ms from navigation), {rounds} rounds", flush=True)
    line("/wall", wall)
    line("/wall/analytics", charts)
    line("plain page (same dots and figures)", plain)
    line("plain page, the product's plotly bundle", bundle)
    ratios("ratio /wall : plain", wall, plain)
    ratios("ratio /wall/analytics : plain", charts, plain)
    ratios("ratio /wall/analytics : plain, same bundle", charts, bundle)


def charts_delta(run: Run, rounds: int, count: int) -> None:
    """Rounds of (the analytics view with `count` records, the plain page's `count` Plotly.react)."""
    from bench import wallpage

    hourly, every, react, callbacks = [], [], [], 0
    for r in range(rounds):
        context, page, calls, _at = run.page(run.product(ANALYTICS), wallpage.CHARTS_DRAWN)
        got, asked = run.deltas(page, calls, count)
        context.close()
        callbacks += asked
        mine = [g["charts"] for g in got if "hourly" in g["charts"]]
        hourly += [c["hourly"] for c in mine]
        every += [max(c.values()) for c in mine]
        react += run.reference(wallpage.REACT, count)[1]
        redrawn = sorted({n for g in got for n in g["charts"]})
        print(
            f"  round {r + 1}: hourly {median([c['hourly'] for c in mine]):6.1f} ms, every changed chart "
            f"{median([max(c.values()) for c in mine]):6.1f} ms ({len(mine)} of {count} deltas redrew the hourly "
            f"chart; redrawn: {', '.join(redrawn)}), plain Plotly.react {median(react[-count:]):6.1f} ms",
            flush=True,
        )
    print(f"delta -> charts redrawn, {len(hourly)} deltas over {rounds} rounds (ms: median (min-max), p95)")
    for label, xs in (("-> hourly chart", hourly), ("-> every chart it changed", every), ("plain Plotly.react", react)):
        delays(label, xs)
    print(
        f"  ratio hourly : Plotly.react {median(hourly) / median(react):.2f}x; server callbacks during the deltas "
        f"{callbacks} (target 0)",
        flush=True,
    )


def map_delta(run: Run, rounds: int, count: int) -> None:
    """Rounds of (/wall with `count` records, the plain page's `count` canvas redraws)."""
    from bench import wallpage

    shown, dots, missed, callbacks = [], [], 0, 0
    for r in range(rounds):
        context, page, calls, _at = run.page(run.product("/wall"), wallpage.WALL_DRAWN)
        got, asked = run.deltas(page, calls, count)
        context.close()
        callbacks += asked
        mine = [g["map"] for g in got if g["map"] is not None]
        missed += count - len(mine)
        shown += mine
        dots += run.reference(wallpage.DOTS, count)[1]
        print(
            f"  round {r + 1}: map {median(mine):6.1f} ms (max {max(mine or [math.nan]):.1f}), "
            f"canvas redraw {median(dots[-count:]):6.1f} ms",
            flush=True,
        )
    print(f"delta -> its dot on the wall's map, {len(shown)} deltas over {rounds} rounds (ms: median (min-max), p95)")
    delays("-> incidents pane changed", shown)
    delays("canvas redraw of every dot", dots)
    print(
        f"  deltas with no change seen {missed}; server callbacks during the deltas {callbacks} (target 0)", flush=True
    )


def main_thread_cores(page: Any, context: Any, seconds: float, during: Callable[[], None] | None = None) -> float:
    """Return the page's main-thread CPU over `seconds` (CDP TaskDuration / elapsed), `during` started first."""
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def busy() -> float:
        got = cdp.send("Performance.getMetrics")["metrics"]
        return float(next(m["value"] for m in got if m["name"] == "TaskDuration"))

    if during is not None:
        during()
    t0, b0 = time.monotonic(), busy()
    time.sleep(seconds)
    used = (busy() - b0) / (time.monotonic() - t0)
    cdp.detach()
    return used


def on_order(run: Run) -> None:
    """Order every team of the district to an incident of its own, so the store keeps each of its fixes (every 15 s
    or 30 m: a free team's are thinned to one a minute) and every fix reaches the wall: the worst case."""
    auth = {"Authorization": "Bearer sys"}
    for team in run.onemap.services.district.teams.values():
        rec = record(f"bench-order-{team.id}", "12345", team.lon, team.lat, run.rng)
        got = run.client.post("/api/v1/records", json=rec, headers=auth).get_json()["results"][0]
        order = {"team_id": team.id, "command_id": f"bench-order-{team.id}"}
        r = run.client.post(
            f"/api/v1/incidents/{got['incident_id']}/order", json=order, headers={"Authorization": "Bearer cmd"}
        )
        assert r.status_code == 200, r.get_json()


def teams(run: Run, rounds: int, seconds: float) -> None:
    """Interleaved rounds on one open /wall: A its main thread's CPU alone, B while 300 teams' phones send fixes."""
    from bench import wallpage
    from bench.teams import EVERY_S, Phones

    on_order(run)
    context, page, _calls, _at = run.page(run.product("/wall"), wallpage.WALL_DRAWN)
    time.sleep(SETTLE_S)
    env = {"ONEMAP_DATA_DIR": str(run.data_dir)}
    alone, fixes = [], []
    print(f"teams: /wall at {run.size:,}, {seconds:g} s a round; B: {TEAMS} teams' fixes, {TEAMS / EVERY_S:g}/s")
    for r in range(rounds):
        alone.append(main_thread_cores(page, context, seconds))
        phones = Phones(run.url, env, TEAMS, seconds)  # signed in before the window opens
        fixes.append(main_thread_cores(page, context, seconds, phones.go))
        sent = phones.result()
        time.sleep(SETTLE_S)  # the last fixes' deltas drawn before the next A opens
        print(
            f"  round {r + 1}: A {alone[-1]:.3f} cores, B {fixes[-1]:.3f} cores, B-A {fixes[-1] - alone[-1]:+.3f} "
            f"({sent['sent']:.0f} fixes sent, {sent['kept']:.0f} kept, {sent['failed'] + sent['refused']:.0f} failed)",
            flush=True,
        )
    context.close()
    line("A: no fixes", alone, "cores", 3)
    line("B: 300 teams' fixes", fixes, "cores", 3)
    line("B - A (target < 0.10)", [b - a for a, b in zip(alone, fixes)], "cores", 3)


def prepare(run: Run) -> None:
    """Open the analytics view once (not measured): take its figures and the incidents for the reference page."""
    from bench import wallpage

    context, page, _calls, _at = run.page(run.product(ANALYTICS), wallpage.CHARTS_DRAWN)
    figures = page.evaluate(
        "() => %s.map(n => { const gd = document.querySelector('#an-' + n + ' .js-plotly-plot');"
        " return {data: gd.data, layout: gd.layout}; })" % wallpage.CHARTS
    )
    context.close()
    points = run.onemap.services.store.read(lambda state: [[i.lon, i.lat] for i in state.open_incidents()])
    run.plain_url = run.plain.page(figures, points, "full")
    run.bundle_url = run.plain.page(figures, points, "product")


def main() -> None:
    args = parse()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the in-process server's request lines
    from playwright.sync_api import sync_playwright

    from bench.wallpage import Plain
    from config import ROOT
    from layouts.analytics import PLOTLY_JS
    from tests.integration.scenario_day import serve  # the same in-process server the e2e tests use

    plain = Plain(
        Path(__import__("plotly").__path__[0]) / "package_data" / "plotly.min.js", ROOT / "assets" / PLOTLY_JS
    )
    print(f"bench/wall.py: sizes {args.sizes}, {args.rounds} rounds, {args.deltas} deltas a round, {args.only}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for size in args.sizes:
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                onemap, client, kiosk = build(size, Path(tmp))
                run = Run(size, Path(tmp), browser, onemap, client, serve(onemap), kiosk, plain)
                prepare(run)
                print(f"\n== {size:,} open incidents (built in {time.perf_counter() - t0:.1f} s)", flush=True)
                if "paint" in args.only:
                    paint(run, args.rounds)
                if "charts" in args.only:
                    charts_delta(run, args.rounds, args.deltas)
                if "map" in args.only:
                    map_delta(run, args.rounds, args.deltas)
                if "teams" in args.only and size == max(args.sizes):
                    teams(run, args.rounds, args.seconds)
                onemap.stop.set()
        browser.close()
    plain.close()


if __name__ == "__main__":
    main()

"""The browser side of bench/wall.py: the hooks it puts in the product's pages and the plain reference page.

The reference is a page of the bench's own, served over localhost HTTP like the product (not through Playwright's
request interception, which delivered plotly.js's 4.8 MB far slower than a server does): the same incidents as dots
on one canvas and the same six figures drawn once with Plotly.newPlot, then timed redraws of each. It comes with
plotly's full plotly.min.js (the reference the figures were first set against) and with the product's own bundle.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHARTS = ["hourly", "stages", "categories", "ranking", "gauges", "halls"]
# Before any page script: note when a delta carrying the awaited record arrives (our listener runs before live.js's).
HOOK = """(() => {
  let real;
  window.__bench = {want: null, deltaAt: null, mapAt: null};
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
# The analytics view drawn: every chart's Plotly.react returned once (assets/charts.js drawn()); its time, the last.
CHARTS_DRAWN = """() => { const c = window.onemap && window.onemap.charts, d = c ? c.drawn() : {};
  return %s.every(n => d[n] && d[n].count > 0) ? Math.max(...%s.map(n => d[n].at)) : null; }""" % (CHARTS, CHARTS)
# The wall drawn: incidents in the map's pane and the live badge on; its time noted the first time it is seen.
WALL_DRAWN = """() => { const b = window.__bench;
  if (b.wallAt === undefined && document.querySelectorAll(
      '.om-pane-omIncidents .om-cluster, .om-pane-omIncidents path.om-inc').length > 0
      && document.querySelector('.om-badge-live')) { b.wallAt = performance.now(); }
  return b.wallAt === undefined ? null : b.wallAt; }"""
# Before each record: what to wait for; the map pane's first change after the delta arrived (observed once wired).
ARM = """(want) => { const b = window.__bench; b.want = want; b.deltaAt = null; b.mapAt = null;
  b.before = JSON.parse(JSON.stringify(window.onemap.charts ? window.onemap.charts.drawn() : {}));
  const pane = document.querySelector('.om-pane-omIncidents');
  if (pane && !b.wired) { b.wired = true;
    new MutationObserver(() => { if (b.deltaAt !== null && b.mapAt === null) b.mapAt = performance.now(); })
      .observe(pane, {childList: true, subtree: true, attributes: true}); } }"""
# After it: ms from the delta's arrival to the map's change and to each chart redrawn since ARM.
REDRAWN = """() => { const b = window.__bench, now = window.onemap.charts ? window.onemap.charts.drawn() : {}, out = {};
  Object.keys(now).forEach(n => { if (!b.before[n] || now[n].count > b.before[n].count) out[n] = now[n].at - b.deltaAt; });
  return {map: b.mapAt === null ? null : b.mapAt - b.deltaAt, charts: out}; }"""
# The reference's redraws: one Plotly.react of the hourly figure with one bar more; every dot again with one more.
REACT = """() => new Promise(done => { const gd = document.getElementById('g0');
  const data = gd.data.map(t => Object.assign({}, t));
  const t = data.find(t => t.meta && t.meta.day === 'today' && t.meta.source === 'grid');
  t.y = t.y.slice(); t.y[t.y.length - 1] += 1; const t0 = performance.now();
  Plotly.react(gd, data, gd.layout).then(() => done(performance.now() - t0)); })"""
DOTS = """() => { const t0 = performance.now(); dots(PTS.concat([[PTS[0][0] + 0.001, PTS[0][1]]]));
  return performance.now() - t0; }"""
PLAIN_DRAWN = "() => window.__painted === undefined ? null : window.__painted"


def plain_html(figures: list[dict[str, Any]], points: list[list[float]], plotly: str) -> str:
    """Return the reference page: the points on a canvas, the figures by Plotly.newPlot, the moment both are done."""
    cells = "".join(
        f"<div id='g{i}' style='width:460px;height:420px;display:inline-block'></div>" for i in range(len(figures))
    )
    return f"""<!doctype html><html><body style='margin:0;background:#040b1a'>
<canvas id='map' width='940' height='800'></canvas>{cells}<script src='{plotly}'></script><script>
const FIGS = {json.dumps(figures)}, PTS = {json.dumps(points)};
function dots(pts) {{ const c = document.getElementById('map').getContext('2d'); c.clearRect(0, 0, 940, 800);
  const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]), x0 = Math.min(...xs), y0 = Math.min(...ys);
  const sx = 900 / (Math.max(...xs) - x0 || 1), sy = 760 / (Math.max(...ys) - y0 || 1);
  for (const p of pts) {{ c.beginPath(); c.arc(20 + (p[0] - x0) * sx, 780 - (p[1] - y0) * sy, 5, 0, 7);
    c.fillStyle = '#38bdf8'; c.fill(); }} }}
dots(PTS);
Promise.all(FIGS.map((f, i) => Plotly.newPlot('g' + i, f.data, f.layout, {{displayModeBar: false}})))
  .then(() => {{ window.__painted = performance.now(); }});
</script></body></html>"""


class Plain:
    """The reference pages and plotly.js served on a port of their own, in a thread of this process: one page with
    plotly's full plotly.min.js, one with the bundle the product loads (layouts/analytics.py PLOTLY_JS)."""

    def __init__(self, full_js: Path, product_js: Path) -> None:
        self.pages: dict[str, bytes] = {"/full.js": full_js.read_bytes(), "/product.js": product_js.read_bytes()}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802  (http.server's name)
                body = pages.get(self.path.split("?")[0])
                self.send_response(200 if body is not None else 404)
                kind = "text/javascript" if self.path.endswith(".js") else "text/html; charset=utf-8"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, figures: list[dict[str, Any]], points: list[list[float]], bundle: str) -> str:
        """Serve the reference page of these figures and points with a bundle ("full" or "product"); return its URL."""
        self.pages[f"/{bundle}.html"] = plain_html(figures, points, f"/{bundle}.js").encode()
        return f"http://127.0.0.1:{self.server.server_address[1]}/{bundle}.html"

    def close(self) -> None:
        self.server.shutdown()

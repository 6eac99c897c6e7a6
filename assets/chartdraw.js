/* window.onemap.charts (render, drawn, due): when and where the analytics view's figures are drawn.
 *
 * A chart is drawn straight from the entities: live.js tells each change as it applies it (live.subscribe), and
 * the charts it carries are rebuilt (assets/charts.js build) and handed to Plotly.react on their divs
 * (layouts/analytics.py graph) at once, not at Dash's pace (a summary at most 4 times a second, then a callback).
 * Dash holds no figure, so none of its props can overwrite one. A figure is rebuilt only when its entity changed
 * (live.js replaces an entity object on upsert), the language or the screen's size (the wall's rem).
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var CONFIG = {displayModeBar: false, responsive: true, doubleClick: false};
  var TASK_MS = 100;  // charts drawn in one task until it ran this long (a delta's few at once); the rest after a paint
  var MOUNT_TRIES = 20, MOUNT_WAIT_MS = 50;  // Dash may call render() a moment before the view's divs are in the page
  var SOCKET_WAIT_MS = 400;  // plotly.js waits at most this long for the socket to reach the server (whenAsked)
  var due = {};  // chart -> true: to draw if its entity, the language or the screen's size changed since it was drawn
  var shown = {};  // chart -> {entity, key, node, figure: its JSON}: what its graph shows now
  var drawn = {};  // chart -> {count, at: performance.now() when its last Plotly.react returned}: for tests and bench/
  var timer = null, mounting = 0, loading = false, listening = false;

  function live() { return window.onemap.live; }
  function ui() { return window.onemap.ui; }
  function rootPx() { return parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 18; }

  /** Return the page's chart places in the page's order, [{name, node}]: none off the analytics view. */
  function places() {
    return Array.prototype.map.call(document.querySelectorAll(".om-chart-plot[data-chart]"), function (node) {
      return {name: node.getAttribute("data-chart"), node: node};
    });
  }

  /** Call then() once this page's socket reached the server (a request of its session answered, as Resource Timing
   * tells), or after SOCKET_WAIT_MS. The server answers the socket's connect with the snapshot, built meanwhile. */
  function whenAsked(then) {
    var asked = function (e) { return e.name.indexOf("/socket.io/") >= 0 && e.name.indexOf("sid=") >= 0; };
    if (live().state().ready || typeof PerformanceObserver === "undefined"
        || performance.getEntriesByType("resource").some(asked)) { then(); return; }
    var done = false, fallback = setTimeout(go, SOCKET_WAIT_MS);
    var seen = new PerformanceObserver(function (list) { if (list.getEntries().some(asked)) { go(); } });
    function go() { if (!done) { done = true; clearTimeout(fallback); seen.disconnect(); then(); } }
    seen.observe({type: "resource"});
  }

  /** Load plotly.js's cartesian bundle once (the view's data-plotly; its page's head preloads it, layouts/document.py),
   * then draw. Evaluating it holds the main thread for half a second: not before the socket reached the server, which
   * then builds the snapshot meanwhile, where a handshake caught behind it would only have asked for one after. */
  function loadPlotly() {
    var view = document.querySelector("[data-plotly]");
    if (loading || !view) { return; }
    loading = true;
    whenAsked(function () {
      var tag = document.createElement("script");
      tag.src = view.getAttribute("data-plotly");
      tag.onload = function () { loading = false; schedule(); };
      tag.onerror = function () { console.error("onemap: plotly.js did not load from " + tag.src); };
      document.head.appendChild(tag);
    });
  }

  /** Build a chart's figure and hand it to Plotly.react, unless its graph already shows that very figure: an entity
   * is sent again whenever the day's figures are recounted (its "now" moves), often with every number the same. */
  function draw(name, node, e, px, key) {
    var fig = window.onemap.charts.build[name](e, px), was = shown[name];
    fig.layout.uirevision = name;  // the view stays; only the data moves
    var same = JSON.stringify(fig);
    shown[name] = {entity: e, key: key, node: node, figure: same};
    if (was && was.node === node && was.figure === same) { return false; }
    window.Plotly.react(node, fig.data, fig.layout, CONFIG);
    drawn[name] = {count: (drawn[name] ? drawn[name].count : 0) + 1, at: performance.now()};
    return true;
  }

  /** Draw the due charts whose entity, language or size changed since they were drawn, in the page's order; after
   * TASK_MS the rest wait for the next task, so the browser paints in between. */
  function drawDue() {
    timer = null;
    var here = places();
    if (!here.length) {
      if (mounting > 0) { mounting -= 1; timer = setTimeout(drawDue, MOUNT_WAIT_MS); } else { due = {}; }
      return;
    }
    mounting = 0;
    if (!window.Plotly) { loadPlotly(); return; }
    var px = rootPx(), key = ui().lang() + "@" + px, started = performance.now(), count = 0;
    for (var i = 0; i < here.length; i += 1) {
      var name = here[i].name, node = here[i].node;
      if (!due[name]) { continue; }
      if (count > 0 && performance.now() - started >= TASK_MS) { schedule(); return; }
      delete due[name];
      var e = live().get("chart", name), was = shown[name];
      if (e && !(was && was.entity === e && was.key === key && was.node === node) && draw(name, node, e, px, key)) {
        count += 1;
      }
    }
    due = {};  // charts this page has no place for
  }

  function schedule() { if (timer === null && !loading) { timer = setTimeout(drawDue, 0); } }

  function queue(names) {
    (names || Object.keys(window.onemap.charts.build)).forEach(function (n) { due[n] = true; });
    schedule();
  }

  /** Hear each change of the entities: a snapshot may change every chart, a delta the charts it carries. */
  function onChange(change) {
    if (change.snapshot) { queue(null); return; }
    var charts = (change.upsert || []).filter(function (e) { return e.kind === "chart"; });
    if (charts.length) { queue(charts.map(function (e) { return e.id; })); }
  }

  function listen() {
    if (listening || !live() || !live().subscribe) { return; }
    listening = true;
    live().subscribe(onChange);
    window.addEventListener("resize", function () { queue(null); });  // the wall's rem follows the screen's size
  }

  /** Queue every chart: the view was mounted, or the language changed (Dash's callback on the catalog). */
  function render() {
    listen();
    mounting = MOUNT_TRIES;
    queue(null);
    return window.dash_clientside.no_update;
  }

  document.addEventListener("DOMContentLoaded", listen);  // live.js is loaded after this file
  window.onemap.charts = Object.assign(window.onemap.charts || {}, {
    render: render,
    drawn: function () { return drawn; },
    due: function () { return Object.keys(due); }
  });
})();

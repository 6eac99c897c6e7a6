/* window.onemap.wallFigures: the wall's figures, each the server's figure of that name from the kpi:today entity
 * (domain/kpi.py day_figures). Nothing here recounts incidents: a screen and the API must never disagree.
 * Every figure carries data-figure="<its path in the district figures>" so a test can read it back.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  // [path in the district figures, format, label key]; breached_open is in the status strip, shown once.
  var TILES = [
    ["received", "num", "kpi.received"], ["ordered", "num", "kpi.ordered"], ["on_time", "num", "kpi.on_time"],
    ["resolved", "num", "kpi.resolved"], ["on_time_rate", "pct", "kpi.on_time_rate"],
    ["completion_rate", "pct", "kpi.completion_rate"], ["satisfaction_rate", "pct", "kpi.satisfaction_rate"],
    ["dispatch.on_time_rate", "pct", "kpi.dispatch_rate"], ["on_site_verified_rate", "pct", "kpi.on_site_verified_rate"]
  ];
  var STRIP = [["waiting", "waiting"], ["waiting_late", "late"], ["in_progress", "progress"],
               ["breached_open", "late"], ["awaiting_callback", "callback"]];
  var CLOCKS = ["dispatch", "sign", "respond", "route", "on_site"];

  function ui() { return window.onemap.ui; }
  function live() { return window.onemap.live; }
  function kpi() { return live().get("kpi", "today"); }
  function district() { var k = kpi(); return k ? k.district : null; }

  /** Return the district figure at a dotted path ("stages.sign.late"), or null. */
  function figure(d, path) {
    return path.split(".").reduce(function (v, k) { return v === null || v === undefined ? null : v[k]; }, d);
  }

  function text(v, format) { return format === "pct" ? ui().pct(v) : ui().num(v); }

  /** Return the headline tiles. */
  function tiles() {
    var d = district() || {}, h = ui().h;
    return ui().unlessSame("wall.kpis", JSON.stringify(d), function () {
      return TILES.map(function (spec) {
        return h("Div", {className: "om-kpi" + (spec[1] === "pct" ? " om-kpi-rate" : ""), key: spec[0]}, [
          h("Div", {className: "om-kpi-value", "data-figure": spec[0]}, text(figure(d, spec[0]), spec[1])),
          h("Div", {className: "om-kpi-label"}, ui().t(spec[2]))]);
      });
    });
  }

  /** Return the per-clock panel: dispatch and each of the four timed stages, on-time rate with on time / late. */
  function stages() {
    var d = district() || {}, h = ui().h;
    return ui().unlessSame("wall.stages", JSON.stringify([d.dispatch, d.stages]), function () {
      return CLOCKS.map(function (c) {
        var path = c === "dispatch" ? "dispatch" : "stages." + c, late = figure(d, path + ".late") || 0;
        return h("Div", {className: "om-clock-cell", key: c}, [
          h("Div", {className: "om-clock-name"}, ui().t(c === "dispatch" ? "step.dispatch" : "step." + c)),
          h("B", {className: "om-clock-rate", "data-figure": path + ".on_time_rate"}, ui().pct(figure(d, path + ".on_time_rate"))),
          h("Div", {className: "om-clock-counts"}, [
            h("Span", {className: "om-clock-ok", "data-figure": path + ".on_time"}, ui().num(figure(d, path + ".on_time"))), " / ",
            h("Span", {className: "om-clock-late" + (late ? " om-clock-late-some" : ""), "data-figure": path + ".late"},
              ui().num(figure(d, path + ".late")))])]);
      }).concat([waits(d)]);
    });
  }

  /** Return the time to order, median and 90th percentile (mm:ss), under the dispatch clock. */
  function waits(d) {
    var h = ui().h, sla = window.onemap.sla;
    function mmss(path) { var v = figure(d, path); return v === null ? "—" : sla.clockText(v); }
    return h("Div", {className: "om-clock-waits", key: "waits"}, [
      ui().t("kpi.dispatch_waits") + " · " + ui().t("kpi.median") + " ",
      h("Span", {"data-figure": "dispatch.median_s"}, mmss("dispatch.median_s")),
      " · P90 ", h("Span", {"data-figure": "dispatch.p90_s"}, mmss("dispatch.p90_s"))]);
  }

  /** Return the live status strip: the server's now-figures, plus gauges on alert and people queueing in halls. */
  function strip() {
    var d = district() || {}, h = ui().h;
    var alerts = live().all("station").filter(function (s) { return s.state !== "normal"; }).length;
    var queue = live().all("hall").reduce(function (n, x) { return n + (x.waiting || 0); }, 0);
    return ui().unlessSame("wall.status", JSON.stringify([STRIP.map(function (s) { return d[s[0]]; }), alerts, queue]), function () {
      var items = STRIP.map(function (s) {
        var v = d[s[0]], hot = s[1] === "late" && v > 0;
        return h("Div", {className: "om-stat om-stat-" + s[1] + (hot ? " om-stat-alarm" : ""), key: s[0]}, [
          h("B", {"data-figure": s[0]}, ui().num(v)), h("Span", {}, ui().t("kpi." + s[0]))]);
      });
      items.push(h("Div", {className: "om-stat om-stat-gauge" + (alerts ? " om-stat-hot" : ""), key: "g"}, [
        h("B", {}, String(alerts)), h("Span", {}, ui().t("wall.stations"))]));
      items.push(h("Div", {className: "om-stat om-stat-hall", key: "h"}, [
        h("B", {}, String(queue)), h("Span", {}, ui().t("wall.halls"))]));
      return items;
    });
  }

  /** Return the township ranking rows (the server ranks; ties share a rank, no rank shows "—"). */
  function ranking() {
    var k = kpi(), rows = k ? k.townships : [], h = ui().h;
    return ui().unlessSame("wall.ranking", JSON.stringify(rows), function () {
      var head = h("Div", {className: "om-rank-row om-rank-head"}, [
        h("Span", {}, ui().t("col.rank")), h("Span", {}, ui().t("col.township")), h("Span", {}, ui().t("col.on_time_rate")),
        h("Span", {}, ui().t("col.completion_rate")), h("Span", {}, ui().t("col.received"))]);
      return [head].concat(rows.map(function (r) {
        var rate = r.on_time_rate === null ? 0 : r.on_time_rate, ranked = r.rank !== null && r.rank !== undefined;
        return h("Div", {className: "om-rank-row" + (ranked && r.rank <= 3 ? " om-rank-top" : "") + (ranked ? "" : " om-rank-none"),
                         key: r.id, "data-township": r.id, "data-rank": ranked ? String(r.rank) : ""}, [
          h("Span", {className: "om-rank-no", "data-figure": "rank." + r.id}, ranked ? String(r.rank) : "—"),
          h("Span", {className: "om-rank-name"}, ui().township(r.id)),
          h("Span", {className: "om-rank-rate"}, [
            h("I", {className: "om-bar", style: {width: Math.round(rate * 100) + "%"}}),
            h("B", {"data-figure": "rank." + r.id + ".on_time_rate"}, ui().pct(r.on_time_rate))]),
          h("Span", {"data-figure": "rank." + r.id + ".completion_rate"}, ui().pct(r.completion_rate)),
          h("Span", {"data-figure": "rank." + r.id + ".received"}, ui().num(r.received))]);
      }));
    });
  }

  window.onemap.wallFigures = {tiles: tiles, stages: stages, strip: strip, ranking: ranking, figure: figure};
})();

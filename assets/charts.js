/* window.onemap.charts.build: the analytics view's figures, each built from its server chart entity (kind "chart").
 *
 * Nothing here counts incidents: every bar, point and cell is a number of the entity (web/charts.py, the day's
 * figures of domain/kpi.py and the series of domain/series.py). assets/chartdraw.js says when and where each is
 * drawn. Each trace carries meta {figure, ...} so a test can read the numbers back from the graph.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", Arial, sans-serif';
  var TEXT = "#bcd2f5", GRID = "rgba(56, 120, 200, 0.18)", LINE = "#1c3b6e";
  var OK = "#22c55e", BAD = "#ef4444", GOLD = "#fbbf24", WARN = "#f59e0b", ACCENT = "#38bdf8";
  var CATEGORY_BARS_END = 0.76, CATEGORY_RATES_START = 0.8;  // the categories' columns, as parts of the plot's width
  var SOURCE_COLORS = {"110": "#60a5fa", "12345": "#38bdf8", grid: "#34d399", open311: "#a78bfa", other: "#64748b"};

  function ui() { return window.onemap.ui; }
  function t(key) { return ui().t(key); }
  function pct100(rate) { return rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10; }

  /** Return the district's local time of a unix time as Plotly reads a date ("YYYY-MM-DD HH:MM:SS"). */
  function plotDate(at) {
    var d = ui().districtTime(at);
    function p(n) { return (n < 10 ? "0" : "") + n; }
    return d.y + "-" + p(d.mo) + "-" + p(d.d) + " " + p(d.h) + ":" + p(d.mi) + ":" + p(d.s);
  }

  function hhmm(at) { var d = ui().districtTime(at); return (d.h < 10 ? "0" : "") + d.h + ":" + (d.mi < 10 ? "0" : "") + d.mi; }

  function axis(px, extra) {
    return Object.assign({gridcolor: GRID, linecolor: LINE, zerolinecolor: LINE, tickfont: {size: px * 0.62},
                          automargin: false, fixedrange: true}, extra || {});
  }

  /** Return the layout every chart shares: transparent on the wall's panels, fonts in the wall's rem. */
  function base(px, extra) {
    return Object.assign({
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", hovermode: false, showlegend: true,
      font: {family: FONT, color: TEXT, size: px * 0.66},
      margin: {l: px * 1.8, r: px * 0.6, t: px * 1.7, b: px * 1.3, pad: 0},
      legend: {orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: {size: px * 0.62}, bgcolor: "rgba(0,0,0,0)",
               traceorder: "normal"},
      xaxis: axis(px), yaxis: axis(px)
    }, extra || {});
  }

  /** Return margins that hold a category axis's labels on the left: axes never push margins (a second draw). */
  function labelMargin(labels, size, px) {
    var widest = labels.reduce(function (w, s) {
      var n = 0;
      for (var i = 0; i < s.length; i += 1) { n += s.charCodeAt(i) > 0x2e80 ? 1 : 0.6; }
      return Math.max(w, n * size);
    }, 0);
    return {l: widest + px * 0.6, r: px * 0.6, t: px * 1.7, b: px * 1.3, pad: 0};
  }

  /** Return a chart with no axes and one note in its middle (a catalog key): nothing to draw is said, not left blank. */
  function empty(px, key) {
    return {data: [], layout: base(px, {xaxis: {visible: false}, yaxis: {visible: false}, annotations: [
      {text: t(key || "analytics.none"), showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5,
       font: {size: px * 0.9, color: "#7f95bd"}}]})};
  }

  /** (1) Reports per hour: today's stacked by source beside yesterday's same hours (fainter). */
  function hourly(e, px) {
    var hours = [];
    for (var h = 0; h < 24; h += 1) { hours.push((h < 10 ? "0" : "") + h); }
    var data = [];
    ["yesterday", "today"].forEach(function (day) {
      e.sources.forEach(function (src) {
        var y = e[day][src];
        data.push({type: "bar", name: t("analytics.src." + src), x: hours.slice(0, y.length), y: y,
                   offsetgroup: day, legendgroup: src, showlegend: day === "today",
                   marker: {color: SOURCE_COLORS[src] || ACCENT, opacity: day === "today" ? 1 : 0.35,
                            line: {width: 0}},
                   meta: {figure: "received", day: day, source: src}});
      });
    });
    return {data: data, layout: base(px, {barmode: "stack", bargap: 0.18, bargroupgap: 0.05,
      xaxis: axis(px, {type: "category", categoryorder: "array", categoryarray: hours, title: {text: ""}}),
      yaxis: axis(px, {rangemode: "tozero"}),
      annotations: [{text: t("analytics.today") + " ▮ · " + t("analytics.yesterday") + " ▯", showarrow: false,
                     xref: "paper", yref: "paper", x: 1, y: 1.02, xanchor: "right", yanchor: "bottom",
                     font: {size: px * 0.62, color: "#7f95bd"}}]})};
  }

  /** (2) The SLA chain: on time and late per clock, the on-time rate above each bar. */
  function stages(e, px) {
    var names = e.stages.map(function (s) { return t("step." + s.stage); });
    var top = e.stages.map(function (s) { return s.on_time + s.late; });
    var codes = e.stages.map(function (s) { return s.stage; });
    return {data: [
      {type: "bar", name: t("analytics.on_time"), x: names, y: e.stages.map(function (s) { return s.on_time; }),
       customdata: codes, marker: {color: OK}, meta: {figure: "on_time"}},
      {type: "bar", name: t("analytics.late"), x: names, y: e.stages.map(function (s) { return s.late; }),
       customdata: codes, marker: {color: BAD}, meta: {figure: "late"}},
      {type: "scatter", mode: "text", name: t("analytics.on_time_rate"), x: names, y: top, showlegend: false,
       text: e.stages.map(function (s) { return ui().pct(s.on_time_rate); }), textposition: "top center",
       textfont: {size: px * 0.85, color: GOLD}, customdata: e.stages.map(function (s) { return s.on_time_rate; }),
       meta: {figure: "on_time_rate"}, cliponaxis: false}
    ], layout: base(px, {barmode: "stack", bargap: 0.35, xaxis: axis(px, {type: "category", tickfont: {size: px * 0.72}}),
                          yaxis: axis(px, {rangemode: "tozero", range: [0, Math.max.apply(null, top.concat([1])) * 1.25]})})};
  }

  /** (3) The day's busiest categories: received as bars, the count past each bar's end, and the on-time rate as
   * its own right-aligned column (a text per row on a second x axis), so no text ever sits on a bar or another. */
  function categories(e, px) {
    if (!e.rows.length) { return empty(px); }
    var names = e.rows.map(function (r) { return t("category." + r.code); });
    var codes = e.rows.map(function (r) { return r.code; });
    var most = Math.max.apply(null, e.rows.map(function (r) { return r.received; }).concat([1]));
    var head = {showarrow: false, xref: "paper", yref: "paper", y: 1, yanchor: "bottom", yshift: px * 0.2,
                font: {size: px * 0.62, color: "#7f95bd"}};
    return {data: [
      {type: "bar", orientation: "h", name: t("analytics.received"), y: names, x: e.rows.map(function (r) { return r.received; }),
       customdata: codes, marker: {color: ACCENT}, meta: {figure: "received"}, cliponaxis: false,
       text: e.rows.map(function (r) { return String(r.received); }), textposition: "outside",
       textfont: {size: px * 0.66, color: TEXT}},
      {type: "scatter", mode: "text", name: t("analytics.on_time_rate"), y: names, xaxis: "x2",
       x: e.rows.map(function () { return 1; }), customdata: e.rows.map(function (r) { return r.on_time_rate; }),
       text: e.rows.map(function (r) { return ui().pct(r.on_time_rate); }), textposition: "middle left",
       textfont: {size: px * 0.72, color: e.rows.map(function (r) { return r.on_time_rate === null ? "#7f95bd" : GOLD; })},
       meta: {figure: "on_time_rate", codes: codes}, cliponaxis: false}
    ], layout: base(px, {showlegend: false, bargap: 0.3,
      yaxis: axis(px, {type: "category", autorange: "reversed", tickfont: {size: px * 0.64}}),
      // The longest bar ends at 85% of its column: the widest count fits past the longest bar, short of the rates.
      xaxis: axis(px, {domain: [0, CATEGORY_BARS_END], range: [0, most / 0.85]}),
      xaxis2: axis(px, {domain: [CATEGORY_RATES_START, 1], range: [0, 1], anchor: "y", showgrid: false,
                        zeroline: false, showline: false, showticklabels: false}),
      margin: labelMargin(names, px * 0.64, px),
      annotations: [Object.assign({text: t("analytics.received"), x: 0, xanchor: "left"}, head),
                    Object.assign({text: t("analytics.on_time_rate"), x: 1, xanchor: "right"}, head)]})};
  }

  /** (4) The township ranking (kpi's order): on-time, completion and satisfaction rates. */
  function ranking(e, px) {
    var labels = e.rows.map(function (r) { return (r.rank === null ? "—" : r.rank) + " " + ui().township(r.id); });
    var ids = e.rows.map(function (r) { return r.id; });
    var specs = [["on_time_rate", ACCENT], ["completion_rate", OK], ["satisfaction_rate", GOLD]];
    return {data: specs.map(function (s) {
      return {type: "bar", orientation: "h", name: t("analytics." + s[0]), y: labels,
              x: e.rows.map(function (r) { return pct100(r[s[0]]); }), customdata: e.rows.map(function (r) { return r[s[0]]; }),
              marker: {color: s[1]}, meta: {figure: s[0], townships: ids}};
    }), layout: base(px, {barmode: "group", bargap: 0.25, bargroupgap: 0.05,
      yaxis: axis(px, {type: "category", autorange: "reversed", tickfont: {size: px * 0.64}}),
      xaxis: axis(px, {range: [0, 100], ticksuffix: "%"}),
      margin: Object.assign(labelMargin(labels, px * 0.64, px), {t: px * 2.5})})};  // room for a two-line legend
  }

  /** (5) Each gauge's last 24 hours, one small plot each, with its warning and guarantee levels. */
  function gauges(e, px) {
    var n = e.stations.length, cols = Math.min(4, n) || 1, rows = Math.ceil(n / cols) || 1;
    var data = [], layout = base(px, {showlegend: false, annotations: [],
      grid: {rows: rows, columns: cols, pattern: "independent", xgap: 0.12, ygap: 0.32},
      margin: {l: px * 1.3, r: px * 0.3, t: px * 1.3, b: px * 1.0, pad: 0}});
    var span = [plotDate(e.from), plotDate(e.now)];
    e.stations.forEach(function (s, i) {
      var k = i === 0 ? "" : String(i + 1), name = ui().entityName(s);
      var last = s.level.length ? s.level[s.level.length - 1] : null;
      var colour = last !== null && last >= s.guarantee_level ? BAD : last !== null && last >= s.warning_level ? WARN : ACCENT;
      data.push({type: "scatter", mode: "lines+markers", xaxis: "x" + k, yaxis: "y" + k, name: name,
                 line: {color: colour, width: 1.6}, marker: {color: colour, size: px * 0.2},
                 x: s.t.map(function (at) { return at === null ? null : plotDate(at); }), y: s.level,
                 customdata: s.t, meta: {figure: "level", station: s.id}, connectgaps: false});
      [["warning_level", WARN], ["guarantee_level", BAD]].forEach(function (w) {
        data.push({type: "scatter", mode: "lines", xaxis: "x" + k, yaxis: "y" + k, name: t("analytics." + w[0].split("_")[0]),
                   x: span, y: [s[w[0]], s[w[0]]], line: {color: w[1], width: 1, dash: "dash"},
                   meta: {figure: w[0], station: s.id}});
      });
      layout["xaxis" + k] = axis(px, {type: "date", range: span, tickformat: "%H", nticks: 5, tickfont: {size: px * 0.5}});
      layout["yaxis" + k] = axis(px, {tickfont: {size: px * 0.5}, nticks: 4});
      layout.annotations.push({text: name.replace(/水文站|Hydrological Station/, "") + (last === null ? "" : "  " + last.toFixed(2)),
        showarrow: false, xref: "x" + k + " domain", yref: "y" + k + " domain", x: 0, y: 1, xanchor: "left",
        yanchor: "bottom", font: {size: px * 0.56, color: colour === ACCENT ? TEXT : colour}});
    });
    return {data: data, layout: layout};
  }

  /** (6) The halls' queues through the day: a row per hall, a cell per 10 minutes (the queue at its end). */
  function halls(e, px) {
    var count = e.halls.length ? e.halls[0].waiting.length : 0;
    // Before the day's first queue (at night, early morning) every cell is blank or 0: say so, not an empty grid.
    var queued = e.halls.some(function (h) { return h.waiting.some(function (w) { return w > 0; }); });
    if (!count || !queued) { return empty(px, "analytics.halls_none"); }
    var x = [];
    for (var i = 0; i < count; i += 1) { x.push(hhmm(e.start + i * e.step)); }
    var names = e.halls.map(function (h) { return h.township ? ui().township(h.township) : t("analytics.district_hall"); });
    return {data: [{type: "heatmap", x: x, y: names, z: e.halls.map(function (h) { return h.waiting; }),
                    customdata: e.halls.map(function (h) { return h.id; }), zmin: 0, xgap: 1, ygap: 2,
                    colorscale: [[0, "#0b2a55"], [0.35, "#2563eb"], [0.7, "#e879f9"], [1, "#f43f5e"]],
                    colorbar: {thickness: px * 0.5, tickfont: {size: px * 0.55}, outlinewidth: 0, len: 0.9},
                    meta: {figure: "waiting", halls: e.halls.map(function (h) { return h.id; })}, name: t("analytics.waiting")}],
            layout: base(px, {showlegend: false, margin: Object.assign(labelMargin(names, px * 0.6, px), {t: px * 0.4, r: px * 2.2}),
              xaxis: axis(px, {type: "category", nticks: 8, showgrid: false}),
              yaxis: axis(px, {type: "category", autorange: "reversed", showgrid: false, tickfont: {size: px * 0.6}})})};
  }

  var BUILD = {hourly: hourly, stages: stages, categories: categories, ranking: ranking, gauges: gauges, halls: halls};
  window.onemap.charts = Object.assign(window.onemap.charts || {}, {build: BUILD});
})();

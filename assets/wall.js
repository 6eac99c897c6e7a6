/* window.onemap.wall: the wall's panels, rendered from window.onemap.live by clientside callbacks. */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var URGENT_ROWS = 10;  // what fits the right column at any resolution (rows are sized in rem)
  var HALL_ROWS = 4;
  var KPI_TILES = [
    ["received", "num"], ["ordered", "num"], ["on_time", "num"], ["resolved", "num"],
    ["completion_rate", "pct"], ["on_time_rate", "pct"], ["breached_open", "alert"]
  ];

  function ui() { return window.onemap.ui; }
  function live() { return window.onemap.live; }

  function kpiEntity() { return live().get("kpi", "today"); }

  /** Return the headline tiles of today's district figures. */
  function kpis() {
    var k = kpiEntity(), d = k ? k.district : {}, h = ui().h;
    return ui().unlessSame("wall.kpis", JSON.stringify(d), function () {
      return KPI_TILES.map(function (spec) {
        var key = spec[0], v = d[key], text = spec[1] === "pct" ? ui().pct(v) : ui().num(v);
        var cls = "om-kpi" + (spec[1] === "alert" && v > 0 ? " om-kpi-alert" : "") + (spec[1] === "pct" ? " om-kpi-rate" : "");
        return h("Div", {className: cls, key: key}, [
          h("Div", {className: "om-kpi-value"}, text), h("Div", {className: "om-kpi-label"}, ui().t("kpi." + key))]);
      });
    });
  }

  /** Return the open orders sorted by time left on their current step (overdue first, on site last). */
  function urgentOrders(now) {
    var sla = window.onemap.sla;
    var rows = live().all("incident").filter(function (i) { return i.order; });
    rows.sort(function (a, b) {
      var da = sla.currentDeadline(a), db = sla.currentDeadline(b);
      if (da === null || db === null) { return (da === null) - (db === null) || a.order.issued_at - b.order.issued_at; }
      return da - db || a.priority - b.priority;
    });
    return rows;
  }

  function urgentRow(inc, now) {
    var sla = window.onemap.sla, h = ui().h, o = inc.order, step = sla.currentStep(inc), st = sla.status(inc, now);
    var countdown = step === null ? h("Span", {className: "om-cd om-cd-none"}, ui().t("status.handling"))
      : h("Span", {className: "om-cd", "data-deadline": String(o.deadlines[step]), "data-issued": String(o.issued_at)});
    return h("Div", {className: "om-order-row om-st-border-" + st, key: inc.id, "data-incident": inc.id, "data-step": step || ""}, [
      h("Div", {className: "om-order-main"}, [
        h("Div", {className: "om-order-title"}, [
          h("Span", {className: "om-prio om-prio-" + inc.priority}, ui().t("priority." + inc.priority)),
          ui().t("category." + inc.category)]),
        h("Div", {className: "om-order-meta"}, ui().township(o.township) + " · " + ui().teamName(o))]),
      h("Div", {className: "om-order-side"}, [
        h("Div", {className: "om-order-stage"}, step ? ui().t("step." + step) : ui().t("stage." + inc.stage)),
        countdown])
    ]);
  }

  /** Return [rows, count text] of the most urgent open orders. */
  function urgent(now) {
    var rows = urgentOrders(now), shown = rows.slice(0, URGENT_ROWS);
    var sig = shown.map(function (i) { return i.id + i.stage + window.onemap.sla.status(i, now); }).join("|") + "#" + rows.length;
    var body = ui().unlessSame("wall.urgent", sig, function () {
      if (!shown.length) { return ui().h("Div", {className: "om-empty"}, ui().t("wall.no_orders")); }
      return shown.map(function (i) { return urgentRow(i, now); });
    });
    return [body, String(rows.length)];
  }

  /** Return the township ranking rows from today's figures. */
  function ranking() {
    var k = kpiEntity(), rows = k ? k.townships : [], h = ui().h;
    return ui().unlessSame("wall.ranking", JSON.stringify(rows), function () {
      var head = h("Div", {className: "om-rank-row om-rank-head"}, [
        h("Span", {}, ui().t("col.rank")), h("Span", {}, ui().t("col.township")), h("Span", {}, ui().t("col.on_time_rate")),
        h("Span", {}, ui().t("col.completion_rate")), h("Span", {}, ui().t("col.received"))]);
      return [head].concat(rows.map(function (r) {
        var rate = r.on_time_rate === null ? 0 : r.on_time_rate;
        return h("Div", {className: "om-rank-row" + (r.rank <= 3 && r.on_time_rate !== null ? " om-rank-top" : ""), key: r.id}, [
          h("Span", {className: "om-rank-no"}, String(r.rank)),
          h("Span", {className: "om-rank-name"}, ui().township(r.id)),
          h("Span", {className: "om-rank-rate"}, [
            h("I", {className: "om-bar", style: {width: Math.round(rate * 100) + "%"}}), h("B", {}, ui().pct(r.on_time_rate))]),
          h("Span", {}, ui().pct(r.completion_rate)),
          h("Span", {}, ui().num(r.received))]);
      }));
    });
  }

  /** Return the live counts by SLA status, plus gauges on alert and people queueing in halls. */
  function statusStrip(now) {
    var sla = window.onemap.sla, h = ui().h, counts = {waiting: 0, ok: 0, warning: 0, breached: 0, handling: 0};
    live().all("incident").forEach(function (i) { counts[sla.status(i, now)] += 1; });
    var alerts = live().all("station").filter(function (s) { return s.state !== "normal"; }).length;
    var queue = live().all("hall").reduce(function (n, x) { return n + (x.waiting || 0); }, 0);
    var sig = JSON.stringify([counts, alerts, queue]);
    return ui().unlessSame("wall.status", sig, function () {
      var items = Object.keys(counts).map(function (s) {
        return h("Div", {className: "om-stat om-stat-" + s, key: s}, [
          h("B", {}, String(counts[s])), h("Span", {}, ui().t("status." + s))]);
      });
      items.push(h("Div", {className: "om-stat om-stat-gauge" + (alerts ? " om-stat-hot" : ""), key: "g"}, [
        h("B", {}, String(alerts)), h("Span", {}, ui().t("wall.stations"))]));
      items.push(h("Div", {className: "om-stat om-stat-hall", key: "h"}, [
        h("B", {}, String(queue)), h("Span", {}, ui().t("wall.halls"))]));
      return items;
    });
  }

  /** Return the service halls with the longest queues: open windows, people waiting, oldest wait. */
  function halls() {
    var h = ui().h, list = live().all("hall").slice();
    list.sort(function (a, b) { return b.waiting - a.waiting || (a.id < b.id ? -1 : 1); });
    list = list.slice(0, HALL_ROWS);
    var sig = list.map(function (x) { return [x.id, x.waiting, x.open_windows, x.oldest_waiting_since]; });
    return ui().unlessSame("wall.halls", JSON.stringify(sig), function () {
      return list.map(function (x) {
        return h("Div", {className: "om-hall-row" + (x.waiting >= 10 ? " om-hall-row-busy" : ""), key: x.id}, [
          h("Span", {className: "om-hall-name"}, ui().entityName(x)),
          h("Span", {className: "om-hall-win"}, x.open_windows + "/" + x.windows),
          h("B", {className: "om-hall-wait"}, String(x.waiting)),
          x.oldest_waiting_since ? h("Span", {className: "om-since", "data-since": String(x.oldest_waiting_since)})
            : h("Span", {className: "om-since"}, "—")]);
      });
    });
  }

  /** Render everything on the wall: the one entry point of its clientside callback.
   *  baseLayer: the layer control's chosen township shading; hideout: the boundaries' current hideout. */
  function render(baseLayer, hideout) {
    var now = live().now(), u = urgent(now);
    return [kpis(), u[0], u[1], ranking(), statusStrip(now), halls()]
      .concat(window.onemap.mapfeed.render("wall", now, {baseLayer: baseLayer, hideout: hideout}));
  }

  window.onemap.wall = {render: render, kpis: kpis, urgent: urgent, ranking: ranking, urgentOrders: urgentOrders};
})();

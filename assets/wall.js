/* window.onemap.wall: the wall's panels, rendered from window.onemap.live by clientside callbacks.
 * Figures come from assets/wallfigures.js (the server's numbers); this file draws the urgent list and the halls.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var URGENT_ROWS = 8;  // what fits the right column under the per-stage panel at any resolution (rows are sized in rem)
  var HALL_ROWS = 4;
  var WARN_ROWS = 3, WARNINGS = "wall-warnings";  // layouts/ids.py WALL_WARNINGS: the early warnings (assets/warnings.js)
  var MAP = "wall-map";  // layouts/ids.py WALL_MAP

  function ui() { return window.onemap.ui; }
  function live() { return window.onemap.live; }
  function sla() { return window.onemap.sla; }

  /** Return the incidents waiting for an order and the open orders, by the deadline that matters now (none: last). */
  function urgentOrders(now) {
    var rows = live().all("incident").filter(function (i) { return i.stage !== "resolved" && sla().status(i, now) !== "closed"; });
    rows.sort(function (a, b) {
      var da = sla().currentDeadline(a), db = sla().currentDeadline(b);
      if (da === null || db === null) { return (da === null) - (db === null) || a.received_at - b.received_at; }
      return da - db || a.priority - b.priority || (a.id < b.id ? -1 : 1);
    });
    return rows;
  }

  function urgentSide(inc) {
    var h = ui().h, step = sla().currentStep(inc);
    var label = !inc.order ? ui().t("step.dispatch") : step ? ui().t("step." + step) : ui().t("stage." + inc.stage);
    return h("Div", {className: "om-order-side"}, [
      h("Div", {className: "om-order-stage"}, label),
      sla().runningClock(inc) ? window.onemap.late.countdown(inc) : h("Span", {className: "om-cd om-cd-none"}, ui().t("status.handling"))]);
  }

  function urgentRow(inc, now) {
    var h = ui().h, o = inc.order, st = sla().status(inc, now);
    var meta = o ? ui().township(o.township) + " · " + ui().teamName(o) : ui().township(inc.township) + " · " + ui().t("status.waiting");
    return h("Div", {className: "om-order-row om-st-border-" + st, key: inc.id, "data-incident": inc.id, "data-status": st,
                     "data-step": o ? (sla().currentStep(inc) || "") : "dispatch"}, [
      h("Div", {className: "om-order-main"}, [
        h("Div", {className: "om-order-title"}, [
          h("Span", {className: "om-prio om-prio-" + inc.priority}, ui().t("priority." + inc.priority)),
          ui().t("category." + inc.category)]),
        h("Div", {className: "om-order-meta"}, [window.onemap.late.tag(inc, now), ui().proofTag(o), meta])]),
      urgentSide(inc)
    ]);
  }

  /** Return [rows, count text] of the most urgent incidents and orders. */
  function urgent(now) {
    var rows = urgentOrders(now), shown = rows.slice(0, URGENT_ROWS);
    var sig = shown.map(function (i) { return i.id + i.stage + (i.order ? i.order.proof : "") + window.onemap.late.signature(i, now); }).join("|") + "#" + rows.length;
    var body = ui().unlessSame("wall.urgent", sig, function () {
      if (!shown.length) { return ui().h("Div", {className: "om-empty"}, ui().t("wall.no_orders")); }
      return shown.map(function (i) { return urgentRow(i, now); });
    });
    return [body, String(rows.length)];
  }

  /** Render everything on the wall, by output name (layouts/ids.py WALL_OUTPUTS and the map's layers).
   *  baseLayer: the layer control's chosen township shading; hideout: the boundaries' current hideout. */
  function render(baseLayer, hideout) {
    live().drawnOnlyInPlace(["team"]);  // the teams are only on the map, drawn in place: a fix re-renders no panel
    var now = live().now(), u = urgent(now), f = window.onemap.wallFigures;
    var panels = {kpis: f.tiles(), urgent: u[0], urgent_count: u[1], ranking: f.ranking(), status: f.strip(),
                  hall_queues: window.onemap.halls.render("wall.halls", now, HALL_ROWS)[0], stages: f.stages(),
                  warnings_count: window.onemap.warnings.draw(WARNINGS, {rows: WARN_ROWS})};
    return Object.assign(panels, window.onemap.mapfeed.render("wall", now, {map: MAP, baseLayer: baseLayer, hideout: hideout}));
  }

  window.onemap.wall = {render: render, urgent: urgent, urgentOrders: urgentOrders};
})();

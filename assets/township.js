/* window.onemap.township: a township room's orders (one next-step button each), figures and teams. */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var STEP_BTN = "step-btn";  // layouts/ids.py STEP_BTN

  function ui() { return window.onemap.ui; }

  /** Return this township's orders, most pressing deadline first. */
  function orders(townshipId) {
    var sla = window.onemap.sla;
    var rows = window.onemap.live.all("incident").filter(function (i) { return i.order && i.order.township === townshipId; });
    rows.sort(function (a, b) {
      var da = sla.currentDeadline(a), db = sla.currentDeadline(b);
      if (da === null || db === null) { return (da === null) - (db === null) || a.order.issued_at - b.order.issued_at; }
      return da - db;
    });
    return rows;
  }

  function nextStep(inc) { return inc.order.next_step || window.onemap.sla.currentStep(inc) || "resolve"; }

  function row(inc, now) {
    var h = ui().h, sla = window.onemap.sla, o = inc.order, step = sla.currentStep(inc), next = nextStep(inc);
    var st = sla.status(inc, now), late = (o.late || []).concat(o.breached || []).length > 0;
    var cd = step === null ? h("Span", {className: "om-cd om-cd-none"}, ui().t("status.handling"))
      : h("Span", {className: "om-cd", "data-deadline": String(o.deadlines[step]), "data-issued": String(o.issued_at)});
    return h("Div", {className: "om-town-row om-st-border-" + st, key: inc.id, "data-incident": inc.id, "data-step": next}, [
      h("Div", {className: "om-town-main"}, [
        h("Div", {className: "om-order-title"}, [
          h("Span", {className: "om-prio om-prio-" + inc.priority}, ui().t("priority." + inc.priority)),
          ui().t("category." + inc.category),
          late ? h("Span", {className: "om-late-tag"}, ui().t("town.late")) : null]),
        h("Div", {className: "om-order-meta"}, (inc.address || inc.summary || "") + " · " + ui().teamName(o))]),
      h("Div", {className: "om-town-stage"}, [h("Small", {}, ui().t("stage." + inc.stage)), cd]),
      h("Button", {id: {type: STEP_BTN, incident: inc.id, step: next}, n_clicks: 0,
                   className: "om-btn om-btn-step om-btn-" + next}, ui().t("step." + next))
    ]);
  }

  function figures(townshipId) {
    var k = window.onemap.live.get("kpi", "today"), h = ui().h;
    var r = k ? (k.townships || []).filter(function (x) { return x.id === townshipId; })[0] : null;
    if (!r) { return h("Div", {className: "om-empty"}, "—"); }
    var cells = [["kpi.rank", ui().num(r.rank)], ["kpi.received", ui().num(r.received)], ["kpi.open", ui().num(r.open)],
                 ["kpi.on_time_rate", ui().pct(r.on_time_rate)], ["kpi.completion_rate", ui().pct(r.completion_rate)],
                 ["kpi.breached_open", ui().num(r.breached_open)]];
    return cells.map(function (c) {
      return h("Div", {className: "om-mini-kpi", key: c[0]}, [h("B", {}, c[1]), h("Span", {}, ui().t(c[0]))]);
    });
  }

  function teams(townshipId) {
    var h = ui().h, list = window.onemap.live.all("team").filter(function (x) { return x.township === townshipId; });
    list.sort(function (a, b) { return a.id < b.id ? -1 : 1; });
    return list.map(function (x) {
      var busy = !!x.busy_with;
      return h("Div", {className: "om-team" + (busy ? " om-team-busy" : ""), key: x.id}, [
        h("Div", {className: "om-team-name"}, ui().entityName(x)),
        h("Div", {className: "om-team-meta"}, ui().t("team_kind." + x.team_kind) + " · " + x.members),
        h("Span", {className: "om-team-state"}, ui().t(busy ? "town.team_busy" : "town.team_free"))]);
    });
  }

  /** Return [order rows, count text, figures, teams] for one township room. */
  function render(townshipId) {
    var now = window.onemap.live.now(), rows = orders(townshipId), sla = window.onemap.sla;
    var sig = rows.map(function (i) { return i.id + i.stage + nextStep(i) + sla.status(i, now); }).join("|");
    var body = ui().unlessSame("town.orders", sig, function () {
      if (!rows.length) { return ui().h("Div", {className: "om-empty"}, ui().t("town.no_orders")); }
      return rows.map(function (i) { return row(i, now); });
    });
    var k = window.onemap.live.get("kpi", "today");
    var fig = ui().unlessSame("town.kpi", JSON.stringify(k ? k.townships : null), function () { return figures(townshipId); });
    var tsig = JSON.stringify(window.onemap.live.all("team").filter(function (x) { return x.township === townshipId; }));
    var tm = ui().unlessSame("town.teams", tsig, function () { return teams(townshipId); });
    return [body, String(rows.length), fig, tm];
  }

  window.onemap.township = {render: render, orders: orders};
})();

/* window.onemap.township: a township room's broadcasts, orders (one next-step button each), figures and teams.
 * A new order shows a banner and sounds once per order id; a new broadcast sounds once per broadcast id.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var STEP = "town-step", SIGN = "town-sign";  // layouts/ids.py TOWN_STEP, TOWN_SIGN: row buttons relay here
  var ORDERS = "town-orders", BROADCASTS = "town-broadcasts", TEAMS = "town-teams";  // layouts/ids.py: keyed lists
  var SIGNED_SHOWN = 2;                   // signed broadcasts kept on top after the pending ones

  function ui() { return window.onemap.ui; }
  function live() { return window.onemap.live; }

  /** Return this township's orders: the most pressing deadline first, resolved ones (awaiting call-back) last. */
  function orders(townshipId) {
    var sla = window.onemap.sla;
    var rows = live().all("incident").filter(function (i) { return i.order && i.order.township === townshipId; });
    rows.sort(function (a, b) {
      var da = sla.currentDeadline(a), db = sla.currentDeadline(b);
      var ra = a.stage === "resolved", rb = b.stage === "resolved";
      if (ra !== rb) { return ra - rb; }
      if (da === null || db === null) { return (da === null) - (db === null) || a.order.issued_at - b.order.issued_at; }
      return da - db;
    });
    return rows;
  }

  /** Return the order's next step, or null when it is resolved (the commander calls back next). */
  function nextStep(inc) { return inc.stage === "resolved" ? null : (inc.order.next_step || null); }

  function teamText(o) { return o.team_id ? ui().teamName(o) : ui().t("town.team_pending"); }

  function row(inc, now) {
    var h = ui().h, sla = window.onemap.sla, o = inc.order, step = sla.currentStep(inc), next = nextStep(inc);
    var st = sla.status(inc, now), fresh = inc.stage === "ordered";
    // A late stage keeps the row red while the next step's own countdown runs beside it.
    var cd = step === null ? h("Span", {className: "om-cd om-cd-none"}, ui().t(next ? "status.handling" : "town.awaiting_callback"))
      : window.onemap.late.countdown(inc);
    var action = next ? h("Button", {type: "button", "data-relay": STEP, "data-incident": inc.id, "data-step": next,
                                     className: "om-btn om-btn-step om-btn-" + next}, ui().t("step." + next))
      : h("Span", {className: "om-step-none"}, "✓");
    return h("Div", {className: "om-town-row om-st-border-" + st + (fresh ? " om-row-new" : ""), key: inc.id,
                     "data-incident": inc.id, "data-step": next || "done", "data-order": o.id, "data-status": st}, [
      h("Div", {className: "om-town-main"}, [
        h("Div", {className: "om-order-title"}, [
          h("Span", {className: "om-prio om-prio-" + inc.priority}, ui().t("priority." + inc.priority)),
          ui().t("category." + inc.category),
          inc.reopened ? h("Span", {className: "om-tag om-tag-reopened"}, ui().t("cmd.reopened")) : null,
          window.onemap.late.tag(inc, now),
          ui().proofTag(o)]),
        h("Div", {className: "om-order-meta"}, (inc.address || inc.summary || "") + " · " + teamText(o))]),
      h("Div", {className: "om-town-stage"}, [h("Small", {}, ui().t("stage." + inc.stage)), cd]),
      action
    ]);
  }

  /** Return the new-order banner (orders not yet signed for), sounding once per new order id. */
  function banner(rows) {
    var fresh = rows.filter(function (i) { return i.stage === "ordered"; });
    window.onemap.alerts.once("order", fresh.map(function (i) { return i.order.id; }));
    var sig = fresh.map(function (i) { return i.order.id; }).join("|");
    return ui().unlessSame("town.banner", sig, function () {
      if (!fresh.length) { return null; }
      var h = ui().h, first = fresh[0];
      return h("Div", {className: "om-banner", "data-orders": sig}, [
        h("Span", {className: "om-banner-bell"}, "!"),
        h("B", {}, ui().t("town.new_orders", {n: fresh.length})),
        h("Span", {className: "om-banner-what"}, ui().t("category." + first.category) + " · " + (first.address || first.summary || ""))
      ]);
    });
  }

  function broadcastCard(b, townshipId) {
    var h = ui().h, at = (b.signed || {})[townshipId], title = ui().t("broadcast." + b.type) + " · " + ui().t("level." + b.type + "." + b.level);
    var right = at === undefined ? [
      h("Span", {className: "om-cd", "data-deadline": String(b.deadline), "data-warn": String(b.warn_at)}),
      h("Button", {type: "button", "data-relay": SIGN, "data-broadcast": b.id, className: "om-btn om-btn-step"},
        ui().t("step.sign"))
    ] : [h("Span", {className: at > b.deadline ? "om-signed om-signed-late" : "om-signed"},
           ui().t(at > b.deadline ? "town.signed_late" : "town.signed_at", {time: ui().hhmmss(at)}))];
    return h("Div", {className: "om-bcast" + (at === undefined ? " om-bcast-pending" : ""), key: b.id, "data-broadcast": b.id}, [
      h("Div", {className: "om-bcast-main"}, [
        h("Div", {className: "om-bcast-title"}, [h("Span", {className: "om-bcast-kind om-bcast-" + b.type}, title),
                                               h("Small", {}, ui().hhmmss(b.issued_at))]),
        h("Div", {className: "om-bcast-msg"}, b.message || "")]),
      h("Div", {className: "om-bcast-side"}, right)]);
  }

  /** Draw the broadcasts sent to this room: pending first (sounding once each), then the latest signed. */
  function broadcasts(townshipId) {
    var list = live().all("broadcast").filter(function (b) { return (b.townships || []).indexOf(townshipId) >= 0; });
    var pending = list.filter(function (b) { return !(townshipId in (b.signed || {})); });
    var signed = list.filter(function (b) { return townshipId in (b.signed || {}); });
    pending.sort(function (a, b) { return a.issued_at - b.issued_at; });
    signed.sort(function (a, b) { return b.issued_at - a.issued_at; });
    window.onemap.alerts.once("broadcast", pending.map(function (b) { return b.id; }));
    var shown = pending.concat(signed.slice(0, SIGNED_SHOWN));
    window.onemap.keyed.render(BROADCASTS, shown.length ? [ui().h("Div", {className: "om-bcast-head", key: "head"},
      ui().t("town.broadcasts"))].concat(shown.map(function (b) { return broadcastCard(b, townshipId); })) : []);
  }

  function figures(townshipId) {
    var k = live().get("kpi", "today"), h = ui().h;
    var r = k ? (k.townships || []).filter(function (x) { return x.id === townshipId; })[0] : null;
    if (!r) { return h("Div", {className: "om-empty"}, "—"); }
    var cells = [["kpi.rank", ui().num(r.rank)], ["kpi.received", ui().num(r.received)], ["kpi.open", ui().num(r.open)],
                 ["kpi.on_time_rate", ui().pct(r.on_time_rate)], ["kpi.completion_rate", ui().pct(r.completion_rate)],
                 ["kpi.breached_open", ui().num(r.breached_open)]];
    return cells.map(function (c) {
      return h("Div", {className: "om-mini-kpi", key: c[0]}, [h("B", {}, c[1]), h("Span", {}, ui().t(c[0]))]);
    });
  }

  /** Draw this township's teams, free or busy. */
  function teams(townshipId, now) {
    var h = ui().h, list = live().all("team").filter(function (x) { return x.township === townshipId; });
    list.sort(function (a, b) { return a.id < b.id ? -1 : 1; });
    window.onemap.keyed.render(TEAMS, list.map(function (x) {
      var busy = !!x.busy_with, f = x.fix, fresh = !!f && now < x.stale_at;
      var where = !f ? ui().t("map.team_base") : ui().t(fresh ? "map.team_fix" : "map.team_stale",
        {time: ui().hhmmss(f.at).slice(0, 5), m: Math.round(f.accuracy_m)});
      return h("Div", {className: "om-team" + (busy ? " om-team-busy" : ""), key: x.id, "data-fix": f ? (fresh ? "live" : "stale") : "none"}, [
        h("Div", {className: "om-team-name"}, ui().entityName(x)),
        h("Div", {className: "om-team-meta"}, ui().t("team_kind." + x.team_kind) + " · " + x.members + " · " + where),
        h("Span", {className: "om-team-state"}, ui().t(busy ? "town.team_busy" : "town.team_free"))]);
    }));
  }

  /** Draw one room's orders, broadcasts and teams (assets/keyed.js); return the rest by name (ids.TOWN_OUTPUTS). */
  function render(townshipId) {
    live().drawnOnlyInPlace([]);  // the room's team list reads every team's change
    var now = live().now(), rows = orders(townshipId);
    window.onemap.keyed.render(ORDERS, rows.map(function (i) { return row(i, now); }),
                               ui().h("Div", {className: "om-empty"}, ui().t("town.no_orders")));
    broadcasts(townshipId);
    teams(townshipId, now);
    var k = live().get("kpi", "today");
    var fig = ui().unlessSame("town.kpi", JSON.stringify(k ? k.townships : null), function () { return figures(townshipId); });
    return {count: String(rows.length), kpi: fig, banner: banner(rows)};
  }

  window.onemap.township = {render: render, orders: orders};
})();

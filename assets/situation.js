/* window.onemap.situation: the flood-and-security wall screen (/wall/situation), drawn from window.onemap.live.
 * The response level and the posture are the situation entity's (domain/situation.py); stations, incidents,
 * broadcasts and halls are their entities. Nothing here recounts a figure the server defines.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var STATE_RANK = {guarantee: 0, warning: 1, normal: 2};
  var ARROW = {rising: "↑", falling: "↓", steady: "→"};

  function ui() { return window.onemap.ui; }
  function live() { return window.onemap.live; }
  function situation() { return live().get("situation", "district") || {}; }
  function latest(type) {
    var list = live().all("broadcast").filter(function (b) { return b.type === type; });
    list.sort(function (a, b) { return b.issued_at - a.issued_at || (a.id < b.id ? 1 : -1); });
    return list[0] || null;
  }

  /** Return the response level block: the level (or not activated), what gives it, the rule, the declared one. */
  function response() {
    var h = ui().h, f = situation().flood || {}, declared = latest("flood_response");
    var sig = JSON.stringify([f, declared && [declared.id, declared.level]]);
    return ui().unlessSame("sit.response", sig, function () {
      var level = f.level ? ui().t("level.flood_response." + f.level) : ui().t("sit.response.none");
      return [
        h("Div", {className: "om-sit-level om-sit-level-" + (f.level || "none"), "data-response": f.level || ""}, level),
        h("Div", {className: "om-sit-basis"}, [
          h("Div", {}, ui().t("sit.response.basis", {warning: ui().num(f.above_warning), guarantee: ui().num(f.above_guarantee),
                                                     alerts: (f.alerts || []).length})),
          declared ? h("Div", {className: "om-sit-declared"}, ui().t("sit.declared", {
            level: ui().t("level.flood_response." + declared.level), time: ui().hhmmss(declared.issued_at)})) : null,
          h("Small", {className: "om-sit-rule"}, ui().t("sit.response.rule"))])];
    });
  }

  function trendText(s) { return (ARROW[s.trend] || "") + " " + ui().t("trend." + s.trend); }

  function stationRow(s) {
    var h = ui().h;
    return h("Div", {className: "om-sit-st om-sit-st-" + s.state, key: s.id, "data-station": s.id, "data-trend": s.trend}, [
      h("Span", {className: "om-sit-st-name"}, [h("I", {className: "om-gauge-dot om-gauge-" + s.state}), ui().entityName(s)]),
      h("Span", {}, ui().township(s.township)),
      h("B", {className: "om-sit-st-level", "data-level": String(s.level)}, s.level.toFixed(2)),
      h("Span", {}, s.warning_level.toFixed(2)),
      h("Span", {}, s.guarantee_level.toFixed(2)),
      h("Span", {className: "om-sit-st-over"}, "+" + (s.level - s.warning_level).toFixed(2)),
      h("Span", {className: "om-sit-trend om-sit-trend-" + s.trend}, trendText(s)),
      h("Span", {className: "om-sit-st-at"}, s.at ? ui().hhmmss(s.at) : "—")]);
  }

  function stationHead() {
    var h = ui().h, cols = ["station", "township", "level", "warning", "guarantee", "over", "trend", "at"];
    return h("Div", {className: "om-sit-st om-sit-head", key: "head"}, cols.map(function (c) {
      return h("Span", {key: c}, ui().t("sit.col." + c));
    }));
  }

  function chip(s) {
    var h = ui().h;
    return h("Div", {className: "om-sit-chip", key: s.id, "data-station": s.id, title: ui().t("trend." + s.trend)}, [
      h("Span", {className: "om-sit-chip-name"}, ui().entityName(s)),
      h("B", {}, s.level.toFixed(2)),
      h("Span", {className: "om-sit-trend om-sit-trend-" + s.trend}, ARROW[s.trend] || "")]);
  }

  /** Return every station above its warning level (the highest first), then all the others compactly. */
  function stations() {
    var h = ui().h, list = live().all("station").slice();
    list.sort(function (a, b) {
      return STATE_RANK[a.state] - STATE_RANK[b.state] || (b.level - b.warning_level) - (a.level - a.warning_level) || (a.id < b.id ? -1 : 1);
    });
    var above = list.filter(function (s) { return s.state !== "normal"; });
    var others = list.filter(function (s) { return s.state === "normal"; });
    var sig = JSON.stringify(list.map(function (s) { return [s.id, s.level, s.state, s.trend, s.at]; }));
    return ui().unlessSame("sit.flood", sig, function () {
      return [
        h("Div", {className: "om-sit-sub"}, ui().t("sit.above") + " " + above.length),
        above.length ? h("Div", {className: "om-sit-above"}, [stationHead()].concat(above.map(stationRow)))
          : h("Div", {className: "om-empty om-sit-quiet"}, ui().t("sit.above_none")),
        h("Div", {className: "om-sit-sub"}, ui().t("sit.others") + " " + others.length),
        h("Div", {className: "om-sit-chips"}, others.map(chip))];
    });
  }

  /** Return the posture (level, since when) and the sign board of its broadcast (assets/board.js). */
  function posture(now) {
    var h = ui().h, p = situation().posture, b = p ? live().get("broadcast", p.broadcast_id) : null;
    var sig = JSON.stringify([p, b && b.signed, b && now > b.deadline]);
    return ui().unlessSame("sit.posture", sig, function () {
      var head = h("Div", {className: "om-sit-posture-head"}, [
        h("Div", {className: "om-sit-level om-sit-posture-" + (p ? p.level : "normal"), "data-posture": p ? p.level : "normal"},
          p ? ui().t("level.security_posture." + p.level) : ui().t("sit.posture.normal")),
        h("Div", {className: "om-sit-basis"}, p ? ui().t("sit.posture.since", {time: ui().hhmmss(p.issued_at)}) : ui().t("sit.posture_none"))]);
      return [head, b ? h("Div", {className: "om-sit-board"}, window.onemap.board.card(b, now)) : null];
    });
  }

  function eventRow(inc, now) {
    var h = ui().h, st = window.onemap.sla.status(inc, now);
    var place = ui().township(inc.township) + (inc.address ? " · " + inc.address : "");
    return h("Div", {className: "om-sit-ev om-st-border-" + st, key: inc.id, "data-incident": inc.id, "data-status": st}, [
      h("Div", {className: "om-sit-ev-main"}, [
        h("Div", {className: "om-sit-ev-title"}, [h("Span", {className: "om-prio om-prio-" + inc.priority}, ui().t("priority." + inc.priority)),
                                                   ui().t("category." + inc.category)]),
        h("Div", {className: "om-sit-ev-sum"}, inc.summary || "—")]),
      h("Span", {className: "om-sit-ev-place"}, place),
      h("Span", {className: "om-sit-ev-state"}, [h("I", {className: "om-dot om-st-" + st}), ui().t("stage." + inc.stage)]),
      h("Span", {className: "om-sit-ev-at"}, ui().hhmmss(inc.received_at))]);
  }

  /** Return [the open key-period security events, the most urgent first, their count]. */
  function events(now) {
    var h = ui().h, sla = window.onemap.sla;
    var list = live().all("incident").filter(function (i) { return i.source === "security"; });
    list.sort(function (a, b) { return a.priority - b.priority || b.received_at - a.received_at; });
    var sig = JSON.stringify(list.map(function (i) { return [i.id, i.stage, sla.status(i, now)]; }));
    var body = ui().unlessSame("sit.events", sig, function () {
      if (!list.length) { return h("Div", {className: "om-empty"}, ui().t("sit.events_none")); }
      var head = h("Div", {className: "om-sit-ev om-sit-head", key: "head"}, ["event", "place", "state", "received"].map(function (c) {
        return h("Span", {key: c}, ui().t("sit.col." + c));
      }));
      return [head].concat(list.map(function (i) { return eventRow(i, now); }));
    });
    return [body, String(list.length)];
  }

  /** Render the page: the one entry point of its clientside callback. */
  function render() {
    var now = live().now(), ev = events(now), halls = window.onemap.halls.render("sit.halls", now, null);
    return [response(), stations(), posture(now), ev[0], ev[1], halls[0], halls[1]];
  }

  window.onemap.situation = {render: render};
})();

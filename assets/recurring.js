/* window.onemap.recurring: the recurring problems (the server's `recurring` entities, domain/recurring.py), drawn as
 * keyed lists (assets/keyed.js) on the console and the analytics view, as rings on the maps (a GeoJSON layer through
 * assets/map.js), and a problem's reports in time order in a dialog, each opening its own timeline (/replay?incident=).
 * The server decides what is a recurring problem and counts it; this file only lays out its figures.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var DIALOG = "recur-dialog", BODY = "recur-dialog-body";  // made here on first use: no Dash component behind them
  var ANALYTICS = "an-recurring", ANALYTICS_COUNT = "an-recur-count";  // layouts/ids.py: drawn on each change
  var ANALYTICS_ROWS = 6;  // the compact panel's top problems by count
  var RING_PX = 26, RING_STEP_PX = 7, RING_MAX_PX = 64;  // a ring's size at 1080p: grows with the count
  var COMPACT = 0.6;  // on a panel's small map (the console's), rings are this much smaller
  // The map rings the most reported only: at a busy district's density chance alone makes hundreds of groups of
  // three in a month, and a map of hundreds of rings shows none; the lists keep them all, most reported first.
  var MAP_MOST = 50;
  var opened = null;  // the problem whose reports the dialog shows

  function ui() { return window.onemap.ui; }
  function live() { return window.onemap.live; }
  function h(type, props, children) { return ui().h(type, props, children); }

  /** Return the recurring problems (anchored in a township, when given): the most reported first, then the latest. */
  function problems(township) {
    var rows = live().all("recurring").filter(function (p) { return !township || p.township === township; });
    rows.sort(function (a, b) { return b.count - a.count || b.last_at - a.last_at || (a.id < b.id ? -1 : 1); });
    return rows;
  }

  function when(at) { return ui().dateTime(at).slice(5, 16); }  // MM-DD hh:mm in the district's time

  /** Return whether its fixes held, as a tag: came back n times, held, or nothing resolved yet. */
  function held(p) {
    var state = p.relapses ? "no" : p.held ? "yes" : "none";
    return h("Span", {className: "om-recur-held om-recur-held-" + state, "data-held": state},
             ui().t("recur.held." + state, {n: p.relapses}));
  }

  function basis(p) {
    return p.basis === "caller" ? h("Span", {className: "om-recur-basis"}, ui().t("recur.basis.caller")) : null;
  }

  /** Return one problem's row: how often, what and where, whether it is open, whether its fixes held. */
  function row(p) {
    var where = ui().township(p.township) + (p.address ? " · " + p.address : "");
    return h("Div", {className: "om-recur-row" + (p.open ? " om-recur-row-open" : ""), key: p.id, "data-recurring": p.id,
                     "data-count": String(p.count), role: "button", tabIndex: 0}, [
      h("Span", {className: "om-recur-count"}, ui().t("recur.times", {n: p.count})),
      h("Div", {className: "om-recur-main"}, [
        h("Div", {className: "om-recur-title"}, [basis(p), ui().t("category." + p.category)]),
        h("Div", {className: "om-recur-meta"}, where + " · " + ui().t("recur.last", {time: when(p.last_at)}))]),
      held(p)]);
  }

  /** Draw the problems into hostId (at most `rows`, all when 0; of one township, when given); return the count. */
  function draw(hostId, opts) {
    var o = opts || {}, all = problems(o.township), shown = o.rows ? all.slice(0, o.rows) : all;
    window.onemap.keyed.render(hostId, shown.map(row), h("Div", {className: "om-empty"}, ui().t("recur.none")));
    if (opened) { refresh(); }
    return all.length ? String(all.length) : "";
  }

  /** Return the most reported problems of a place (a caller's are listed, not placed) as points at their anchors. */
  function features(township) {
    var placed = problems(township).filter(function (p) { return p.basis === "place"; }).slice(0, MAP_MOST);
    return {type: "FeatureCollection", features: placed.map(function (p) {
      return window.onemap.map.point(p.lon, p.lat, {kind: "recurring", id: p.id, count: p.count, category: p.category,
        township: p.township, address: p.address, open: p.open, relapses: p.relapses, held: p.held});
    })};
  }

  /** Return a problem's ring on the map: sized by its count, its count on it; a click opens its reports. */
  function marker(p, latlng, ctx) {
    var small = ctx && ctx.map && ctx.map.getContainer().classList.contains("om-map-compact");  // a panel's map
    var k = window.onemap.map.scale() * (small ? COMPACT : 1), size = Math.min(RING_MAX_PX, RING_PX + RING_STEP_PX * (p.count - 1)) * k;
    var opts = {icon: window.L.divIcon({className: "om-recur-icon", iconSize: [size, size],
      html: "<i class='om-recur-ring" + (p.open ? " om-recur-ring-open" : "") + "' data-recurring='" + p.id + "'></i><b>" + p.count + "</b>"}),
      keyboard: false};
    if (ctx && ctx.pane) { opts.pane = ctx.pane; }
    var m = window.L.marker(latlng, opts);
    m.on("click", function () { open(p.id); });
    return m;
  }

  function tip(p, esc) {
    var state = p.relapses ? "no" : p.held ? "yes" : "none";
    return ui().t("category." + p.category) + " · " + ui().t("recur.times", {n: p.count}) + " · " + ui().township(p.township)
      + "<br>" + esc(p.address) + "<br>" + ui().t("recur.held." + state, {n: p.relapses});
  }

  /** Return a report's line of the timeline: when, from where, where it stands, whether it came back; its timeline. */
  function reportRow(r, n) {
    var tags = [h("Span", {className: "om-recur-st om-recur-st-" + r.status, key: "st"}, ui().t("recur.status." + r.status))];
    if (r.again) { tags.push(h("Span", {className: "om-recur-flag", key: "again"}, ui().t("recur.again"))); }
    if (r.reopened) { tags.push(h("Span", {className: "om-recur-flag", key: "re"}, ui().t("recur.reopened", {n: r.reopened}))); }
    var href = "/replay?incident=" + encodeURIComponent(r.id) + (ui().lang() === "en" ? "&lang=en" : "");
    return h("Li", {className: "om-recur-report" + (r.again || r.reopened ? " om-recur-report-back" : ""), key: r.id,
                    "data-incident": r.id}, [
      h("Span", {className: "om-recur-n"}, String(n)),
      h("Span", {className: "om-recur-at"}, when(r.at)),
      h("Span", {className: "om-recur-src"}, ui().t("source." + r.source)),
      h("Span", {className: "om-recur-tags"}, tags),
      h("Span", {className: "om-recur-orders"}, r.orders ? ui().t("recur.orders", {n: r.orders}) : ui().t("recur.no_order")),
      h("A", {className: "om-recur-link", href: href, target: "_blank", rel: "noopener"}, ui().t("recur.timeline"))]);
  }

  /** Return the dialog's body: the problem, its figures, its reports oldest first. */
  function body(p) {
    var close = h("Button", {type: "button", className: "om-btn om-btn-small", "data-recur-close": "1", key: "close"}, ui().t("recur.close"));
    if (!p) { return [h("Div", {className: "om-recur-d-head", key: "head"}, [h("Div", {className: "om-empty"}, ui().t("recur.gone")), close])]; }
    var first = p.count - p.reports.length + 1, figs = [
      h("Span", {className: "om-recur-fig", key: "n"}, ui().t("recur.times", {n: p.count})),
      h("Span", {className: "om-recur-fig", key: "span"}, ui().t("recur.span", {first: when(p.first_at), last: when(p.last_at)})),
      h("Span", {className: "om-recur-fig" + (p.open ? " om-recur-fig-open" : ""), key: "open"},
        p.open ? ui().t("recur.open", {n: p.open}) : ui().t("recur.settled")),
      h("Span", {className: "om-recur-fig", key: "res"}, ui().t("recur.resolved", {n: p.resolved})), held(p)];
    return [
      h("Div", {className: "om-recur-d-head", key: "head"}, [
        h("Div", {className: "om-recur-d-title"}, [basis(p), ui().t("category." + p.category) + " · " + ui().township(p.township)]), close]),
      h("Div", {className: "om-recur-d-where", key: "where"}, p.basis === "caller" ? ui().t("recur.caller_note") : p.address),
      h("Div", {className: "om-recur-d-figs", key: "figs"}, figs),
      h("Div", {className: "om-recur-d-sub", key: "sub"}, ui().t("recur.reports") +
        (first > 1 ? " · " + ui().t("recur.newest", {n: p.reports.length}) : "")),
      h("Ol", {className: "om-recur-reports", key: "reports"}, p.reports.map(function (r, i) { return reportRow(r, first + i); }))];
  }

  function dialog() {
    var el = document.getElementById(DIALOG);
    if (el) { return el; }
    el = document.createElement("div");
    el.id = DIALOG;
    el.className = "om-dialog-backdrop om-recur-backdrop";
    el.hidden = true;
    el.innerHTML = "<div class='om-dialog om-recur-dialog' role='dialog' aria-modal='true'><div id='" + BODY + "'></div></div>";
    document.body.appendChild(el);
    return el;
  }

  function refresh() { window.onemap.keyed.render(BODY, body(live().get("recurring", opened))); }

  /** Open a problem's reports in the dialog (they follow its changes while it is open). */
  function open(id) {
    opened = id;
    dialog().hidden = false;
    refresh();
  }

  function close() {
    opened = null;
    dialog().hidden = true;
  }

  /** Draw the analytics view's compact list (its page has no live panels callback: on each change and mount). */
  function analytics() {
    var count = document.getElementById(ANALYTICS_COUNT);
    if (document.getElementById(ANALYTICS)) {
      var n = draw(ANALYTICS, {rows: ANALYTICS_ROWS});
      if (count && count.textContent !== n) { count.textContent = n; }
    }
    return null;
  }

  if (window.onemap.live && window.onemap.live.subscribe) {
    window.onemap.live.subscribe(function (change) {
      var mine = change.snapshot || change.upsert.concat(change.remove).some(function (e) { return e.kind === "recurring"; });
      if (mine) { analytics(); if (opened) { refresh(); } }
    });
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t.closest) { return; }
    if (t.closest("[data-recur-close]") || t.id === DIALOG) { close(); return; }
    if (t.closest("a, button")) { return; }
    var el = t.closest(".om-recur-row[data-recurring]");
    if (el) { open(el.getAttribute("data-recurring")); }
  });
  // Captured before the console's own keys (assets/console.js): Enter on a row opens it and issues nothing.
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && opened) { close(); return; }
    var el = ev.target && ev.target.matches && ev.target.matches(".om-recur-row[data-recurring]") ? ev.target : null;
    if (el && (ev.key === "Enter" || ev.key === " ")) {
      ev.preventDefault();
      ev.stopPropagation();
      open(el.getAttribute("data-recurring"));
    }
  }, true);

  window.onemap.recurring = {problems: problems, row: row, draw: draw, features: features, marker: marker, tip: tip,
                             open: open, close: close, analytics: analytics};
})();

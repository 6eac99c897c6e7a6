/* window.onemap.warnings: the early warnings in force (the server's `warning` entities, domain/warnbook.py), drawn as
 * keyed lists (assets/keyed.js) on the wall, the analytics view and the console. The server decides what is in force
 * and what alarms; this file only lays out its figures: the count against the usual level, the ratio, since when.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var ACK = "cmd-warn-ack";             // layouts/ids.py CMD_WARN_ACK: an ack button relays its click here
  var ANALYTICS = "an-warnings";        // layouts/ids.py ANALYTICS_WARNINGS: drawn on every change (no Dash callback)

  function ui() { return window.onemap.ui; }
  function live() { return window.onemap.live; }

  /** Return the warnings in force: the unacknowledged first, then the newest. */
  function inForce() {
    var rows = live().all("warning");
    rows.sort(function (a, b) {
      return (a.acked_at !== null) - (b.acked_at !== null) || b.raised_at - a.raised_at || (a.id < b.id ? -1 : 1);
    });
    return rows;
  }

  function hhmm(at) { return ui().hhmmss(at).slice(0, 5); }

  /** Return the period judged: the hour's span, today, or the day's date. */
  function period(w) {
    if (w.period === "hour") { return ui().t("warn.period.hour", {from: hhmm(w.start), to: hhmm(w.end)}); }
    var now = live().now();
    if (w.start <= now && now < w.end) { return ui().t("warn.period.today"); }
    return ui().t("warn.period.day", {day: ui().dateTime(w.start).slice(5, 10)});
  }

  /** Return the row's second line: its parts wrap between them, never inside one. */
  function meta(w) {
    var parts = [period(w), ui().t("warn.count", {count: w.count, usual: w.usual.toFixed(1)}),
                 ui().t("warn.since", {time: hhmm(w.raised_at)})];
    if (w.acked_at !== null) { parts.push(ui().t("warn.acked_by", {who: w.acked_by, time: hhmm(w.acked_at)})); }
    return parts.map(function (text, i) {
      return ui().h("Span", {className: "om-warn-part", key: i}, (i ? "\u00a0· " : "") + text);
    });
  }

  /** Return the count against the usual level: "×3.2", or "usually none" when the usual level is 0. */
  function ratio(w) {
    var h = ui().h;
    if (w.ratio === null) { return h("Span", {className: "om-warn-ratio om-warn-new"}, ui().t("warn.new")); }
    return h("Span", {className: "om-warn-ratio"}, "×" + w.ratio.toFixed(1));
  }

  function state(w) {
    var acked = w.acked_at !== null;
    return ui().h("Span", {className: "om-warn-tag " + (acked ? "om-warn-tag-acked" : "om-warn-tag-new")},
                  ui().t(acked ? "warn.acked" : "warn.unacked"));
  }

  /** Return one warning's row; with ack, the acknowledge button of an unacknowledged one. */
  function row(w, ack) {
    var h = ui().h, acked = w.acked_at !== null;
    var what = ui().township(w.township) + " · " + ui().t("category." + w.category);
    var side = [ratio(w)];
    if (ack && !acked) {
      side.push(h("Button", {type: "button", "data-relay": ACK, "data-warning": w.id, key: "ack",
                             className: "om-btn om-btn-small om-btn-primary om-warn-ack"}, ui().t("warn.ack")));
    }
    // The head line holds the what and the ratio (and the button); the figures run under it, the row's whole width.
    return h("Div", {className: "om-warn-row " + (acked ? "om-warn-acked" : "om-warn-unacked"), key: w.id,
                     "data-warning": w.id, "data-acked": acked ? "1" : "", "data-period": w.period,
                     title: w.note || ""}, [
      h("Div", {className: "om-warn-head"}, [
        h("Div", {className: "om-warn-title"}, [state(w), what]),
        h("Div", {className: "om-warn-side"}, side)]),
      h("Div", {className: "om-warn-meta"}, meta(w))]);
  }

  /** Draw the warnings in force into hostId (at most `rows`, all when 0); return the panel's count: unacknowledged. */
  function draw(hostId, opts) {
    var o = opts || {}, all = inForce(), shown = o.rows ? all.slice(0, o.rows) : all;
    var empty = ui().h("Div", {className: "om-empty om-warn-none"}, ui().t("warn.none"));
    window.onemap.keyed.render(hostId, shown.map(function (w) { return row(w, o.ack); }), empty);
    var open = all.filter(function (w) { return w.acked_at === null; }).length;
    return open ? String(open) : "";
  }

  /** Draw the analytics view's list (its page has no live panels callback: called on each change and mount). */
  function analytics() {
    if (document.getElementById(ANALYTICS)) { draw(ANALYTICS, {}); }
    return null;
  }

  if (window.onemap.live && window.onemap.live.subscribe) {
    window.onemap.live.subscribe(function (change) {
      var mine = change.snapshot || change.upsert.concat(change.remove).some(function (e) { return e.kind === "warning"; });
      if (mine) { analytics(); }
    });
  }

  window.onemap.warnings = {inForce: inForce, row: row, draw: draw, analytics: analytics};
})();

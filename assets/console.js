/* window.onemap.console: the commander's lists (queue, call-backs, overdue alerts), selection
 * and keyboard shortcuts. Every list is drawn from window.onemap.live; the commands are server callbacks.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var SELECTED_STORE = "cmd-selected";        // layouts/ids.py CMD_SELECTED
  var QUEUE = "cmd-queue", CALLBACKS = "cmd-callbacks", ALERTS = "cmd-alerts";  // layouts/ids.py: the keyed lists
  var MAP = "cmd-map";  // layouts/ids.py CMD_MAP: its incidents are drawn in place (assets/pointlayer.js)
  var BCAST_DIALOG = "bcast-dialog";          // layouts/ids.py BCAST_DIALOG
  var BCAST_CMD = "bcast-cmd";                // layouts/ids.py BCAST_CMD
  var BCAST_RESULT = "bcast-result";          // layouts/ids.py BCAST_RESULT
  var FEEDBACK = "cmd-feedback", CLOSE = "cmd-close";  // layouts/ids.py CMD_FEEDBACK, CMD_CLOSE: row buttons relay here
  var RESULTS = ["satisfied", "unsatisfied", "unreached"];     // domain/model.py FEEDBACK
  var QUEUE_ROWS = 60;                        // rendered rows; the count shows the whole queue
  var WARNINGS = "cmd-warnings";              // layouts/ids.py CMD_WARNINGS: early warnings, each with its ack button
  var RECURRING = "cmd-recurring";            // layouts/ids.py CMD_RECURRING: recurring problems (assets/recurring.js)
  var RECURRING_ROWS = 50;                    // rendered rows, the most reported first; the count shows them all

  function ui() { return window.onemap.ui; }
  function live() { return window.onemap.live; }
  var current = null;  // the selected incident id, as last rendered

  /** Return the incidents awaiting an order (reopened ones too): urgent first, then the longest waiting. */
  function waiting() {
    var rows = live().all("incident").filter(function (i) { return i.stage === "new" && !i.order; });
    rows.sort(function (a, b) { return a.priority - b.priority || a.received_at - b.received_at || (a.id < b.id ? -1 : 1); });
    return rows;
  }

  function row(inc, selected, now) {
    var h = ui().h, st = window.onemap.sla.status(inc, now);
    return h("Div", {className: "om-queue-row om-selectable om-st-border-" + st + (inc.id === selected ? " om-selected" : ""),
                     key: inc.id, "data-incident": inc.id, "data-township": inc.township || "", "data-status": st,
                     role: "button", tabIndex: 0}, [
      h("Span", {className: "om-prio om-prio-" + inc.priority}, ui().t("priority." + inc.priority)),
      h("Div", {className: "om-queue-main"}, [
        h("Div", {className: "om-queue-title"}, [
          inc.reopened ? h("Span", {className: "om-tag om-tag-reopened"}, ui().t("cmd.reopened")) : null,
          ui().t("category." + inc.category) + " · " + ui().township(inc.township)]),
        h("Div", {className: "om-queue-meta"}, ui().t("source." + inc.source) + " · " + (inc.address || inc.summary || ""))]),
      window.onemap.late.countdown(inc)  // the dispatch clock: due at dispatch.due, started at dispatch.since
    ]);
  }

  /** Return resolved incidents awaiting the call-back, the longest waiting first. */
  function awaitingCallback() {
    var rows = live().all("incident").filter(function (i) { return i.stage === "resolved" && i.order; });
    rows.sort(function (a, b) { return (a.order.done.resolve || 0) - (b.order.done.resolve || 0) || (a.id < b.id ? -1 : 1); });
    return rows;
  }

  function callbackRow(inc, selected) {
    var h = ui().h, buttons;
    if (inc.feedback) {
      buttons = [h("Span", {className: "om-cb-done"}, ui().t("cmd.feedback_done", {result: ui().t("feedback." + inc.feedback)})),
                 h("Button", {type: "button", "data-relay": CLOSE, "data-incident": inc.id,
                              className: "om-btn om-btn-small om-btn-primary"}, ui().t("step.close"))];
    } else {
      buttons = RESULTS.map(function (r) {
        return h("Button", {type: "button", "data-relay": FEEDBACK, "data-incident": inc.id, "data-result": r, key: r,
                            className: "om-btn om-btn-small om-fb-" + r}, ui().t("feedback." + r));
      });
    }
    return h("Div", {className: "om-cb-row om-selectable" + (inc.id === selected ? " om-selected" : ""), key: inc.id,
                     "data-incident": inc.id, "data-feedback": inc.feedback || "", tabIndex: 0}, [
      h("Div", {className: "om-cb-main"}, [
        h("Div", {className: "om-queue-title"}, ui().t("category." + inc.category) + " · " + ui().township(inc.order.township)
          + " · " + ui().teamName(inc.order)),
        h("Div", {className: "om-queue-meta"}, inc.note || inc.summary || "")]),
      h("Div", {className: "om-cb-actions"}, buttons)]);
  }

  /** Return open orders with any late stage, the most pressing running clock first; each late stage sounds once. */
  function overdue(now) {
    var sla = window.onemap.sla;
    var rows = live().all("incident").filter(function (i) { return i.order && sla.status(i, now) === "breached"; });
    rows.sort(function (a, b) {
      var da = sla.currentDeadline(a), db = sla.currentDeadline(b);
      if (da === null || db === null) { return (da === null) - (db === null) || (a.id < b.id ? -1 : 1); }
      return da - db || (a.id < b.id ? -1 : 1);
    });
    window.onemap.alerts.once("breach", [].concat.apply([], rows.map(function (i) {
      return sla.lateSteps(i, now).map(function (s) { return i.order.id + ":" + s; });
    })));
    return rows;
  }

  function alertRow(inc, selected, now) {
    var h = ui().h, sla = window.onemap.sla, step = sla.currentStep(inc), o = inc.order, late = sla.lateSteps(inc, now);
    var escalated = late.some(function (s) { return (inc.escalated || []).indexOf(s) >= 0; });
    return h("Div", {className: "om-alert-row om-selectable om-st-border-breached" + (inc.id === selected ? " om-selected" : ""),
                     key: inc.id, "data-incident": inc.id, "data-step": step || "", "data-status": "breached",
                     "data-escalated": escalated ? "1" : "", role: "button", tabIndex: 0}, [
      h("Div", {className: "om-alert-main"}, [
        h("Div", {className: "om-queue-title"}, [window.onemap.late.tag(inc, now),
          " " + ui().t("category." + inc.category) + " · " + ui().township(o.township)]),
        h("Div", {className: "om-queue-meta"}, [o.team_id ? ui().teamName(o) : ui().t("cmd.room_picks"),
          step ? " · " + ui().t("step." + step) : "",
          escalated ? h("Span", {className: "om-escalated-tag"}, ui().t("cmd.escalated")) : null])]),
      window.onemap.late.countdown(inc) || h("Span", {className: "om-cd om-cd-none"}, ui().t("status.handling"))]);
  }

  /** Return what makes the selected incident's detail panel stale when it changes. */
  function detailSignature(selected) {
    if (!selected) { return ""; }
    var i = live().get("incident", selected);
    if (!i) { return selected + "#gone"; }
    var o = i.order || {};
    return [selected, i.stage, o.id, o.team_id, Object.keys(o.done || {}).join(","), (o.breached || []).join(","),
            i.feedback, (i.merged || []).length, (i.escalated || []).join(",")].join("#");
  }

  /** Draw a list into its element, keyed by incident id (assets/keyed.js): unchanged rows keep their nodes. */
  function list(hostId, rows, build, emptyKey) {
    window.onemap.keyed.render(hostId, rows.map(build), ui().h("Div", {className: "om-empty"}, ui().t(emptyKey)));
  }

  /** Draw the queue, call-backs and alerts; return the other outputs by name (layouts/ids.py CONSOLE_OUTPUTS). */
  function render(selected, hideout) {
    live().drawnOnlyInPlace(["team"]);  // no panel here reads a team: their fixes re-render nothing
    current = selected || null;
    var now = live().now(), rows = waiting(), cbs = awaitingCallback(), breached = overdue(now), h = hideout || {};
    list(QUEUE, rows.slice(0, QUEUE_ROWS), function (i) { return row(i, selected, now); }, "cmd.queue_empty");
    list(CALLBACKS, cbs, function (i) { return callbackRow(i, selected); }, "cmd.callbacks_empty");
    list(ALERTS, breached, function (i) { return alertRow(i, selected, now); }, "cmd.alerts_empty");
    window.onemap.points.show(MAP, "incident", "omIncidents", {crs: h.crs, lang: h.lang, selected: current}, now);
    var sig = ui().unlessSame("console.sig", detailSignature(selected), function () { return detailSignature(selected); });
    return {queue_count: String(rows.length), callbacks_count: String(cbs.length),
            alerts_count: String(breached.length), board: window.onemap.board.render(now), sig: sig,
            warnings_count: window.onemap.warnings.draw(WARNINGS, {ack: true}),
            recurring_count: window.onemap.recurring.draw(RECURRING, {rows: RECURRING_ROWS}), recurring_map: rings()};
  }

  /** Return the console map's recurring rings, or no_update when they are as last drawn. */
  function rings() {
    var f = window.onemap.recurring.features(null);
    return ui().unlessSame("console.rings", JSON.stringify(f), function () { return f; });
  }

  function select(id) {
    ui().setProps(SELECTED_STORE, {data: id || null});
    if (id) {
      var el = document.querySelector(".om-queue-row[data-incident='" + id + "']");
      if (el && el.scrollIntoView) { el.scrollIntoView({block: "nearest"}); }
    }
  }

  /** Move the selection up or down the queue. */
  function move(step) {
    var rows = waiting().slice(0, QUEUE_ROWS);
    if (!rows.length) { return; }
    var at = rows.map(function (i) { return i.id; }).indexOf(current);
    var next = at < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.max(0, Math.min(rows.length - 1, at + step));
    select(rows[next].id);
  }

  /** Click the detail panel's button for a shortcut (issue, room), if the selected incident shows one. */
  function press(shortcut) {
    var btn = document.querySelector(".om-detail[data-incident='" + current + "'] [data-shortcut='" + shortcut + "']");
    if (btn && !btn.disabled) { btn.click(); }
  }

  function openBroadcast() {
    ui().setProps(BCAST_CMD, {data: ui().commandId()});  // one id per opening: a double click on send acts once
    ui().setProps(BCAST_RESULT, {children: null});
    ui().showDialog(BCAST_DIALOG, true);
  }

  // One delegated listener: rows are re-rendered often, and selection must not depend on n_clicks.
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t.closest) { return; }
    if (t.closest("[data-open-broadcast]")) { openBroadcast(); return; }
    if (t.closest("button, input, a, textarea")) { return; }  // a row's own buttons act; they do not select
    var el = t.closest(".om-selectable[data-incident]");
    if (el) { select(el.getAttribute("data-incident")); }
  });

  var KEYS = {
    j: function () { move(1); }, ArrowDown: function () { move(1); },
    k: function () { move(-1); }, ArrowUp: function () { move(-1); },
    r: function () { press("room"); }, b: openBroadcast,
    Escape: function () { select(null); }
  };

  function onKey(ev) {
    if (!document.querySelector(".om-console") || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (ui().typing(ev) || ui().openDialog()) { return; }  // never while typing, nor behind a dialog
    // The row itself, not a button inside it: Enter on a row's button presses that button.
    var focusedRow = ev.target.matches && ev.target.matches(".om-selectable[data-incident]") ? ev.target : null;
    if (ev.key === "Enter" || ev.key === " ") {
      if (focusedRow && focusedRow.getAttribute("data-incident") !== current) {
        ev.preventDefault();
        select(focusedRow.getAttribute("data-incident"));  // Tab to a row, Enter selects it...
      } else if (ev.key === "Enter" && !(ev.target.closest && ev.target.closest("button, a"))) {
        ev.preventDefault();
        press("issue");  // ...and Enter again issues to the top suggestion
      }
      return;
    }
    var fn = KEYS[ev.key.length === 1 ? ev.key.toLowerCase() : ev.key];
    if (fn) { ev.preventDefault(); fn(); }
  }
  document.addEventListener("keydown", onKey);

  window.onemap.console = {render: render, waiting: waiting, select: select, move: move};
})();

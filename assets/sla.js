/* window.onemap.sla: SLA states (a mirror of domain/sla.py) and the browser's one-second ticker.
 *
 * The server sends deadlines and its own time, never countdowns: every second this file writes the
 * remaining time into elements carrying data-deadline, the elapsed time into data-since, the clock
 * into data-clock and the live/stale state into data-live-badge. Those elements are rendered empty
 * by Dash so React never fights the ticker.
 */
(function () {
  "use strict";
  var TIMED_STEPS = ["sign", "respond", "route", "on_site"];
  var WARNING_SHARE = 0.25;  // domain/sla.py WARNING_SHARE
  var WARNING_MIN_S = 15;    // domain/sla.py WARNING_MIN_S

  var ENDED_STAGES = ["closed", "cancelled", "merged", "transferred"];  // domain/model.py Incident.is_open

  /** Return the timed step an incident's order is working on, or null (none left, or resolved). */
  function currentStep(inc) {
    var order = inc && inc.order;
    if (!order || inc.stage === "resolved") { return null; }
    var done = order.done || {};
    for (var i = 0; i < TIMED_STEPS.length; i++) { if (!(TIMED_STEPS[i] in done)) { return TIMED_STEPS[i]; } }
    return null;
  }

  /** Return ok, warning (the last quarter of the window, at least 15 s) or breached for one clock. */
  function clock(started, deadline, now) {
    if (now > deadline) { return "breached"; }
    var margin = Math.max(WARNING_MIN_S, (deadline - started) * WARNING_SHARE);
    return deadline - now <= margin ? "warning" : "ok";
  }

  /** Return the timed steps that are late: the server's order.breached plus any undone step past due now. */
  function lateSteps(inc, now) {
    var o = inc && inc.order;
    if (!o) { return []; }
    var done = o.done || {}, late = (o.breached || []).slice();
    TIMED_STEPS.forEach(function (s) {
      var due = (o.deadlines || {})[s];
      if (late.indexOf(s) < 0 && !(s in done) && due !== undefined && now > due) { late.push(s); }
    });
    return TIMED_STEPS.filter(function (s) { return late.indexOf(s) >= 0; });
  }

  /** Return the SLA state as domain/sla.py status: waiting[_warning|_late], ok, warning, breached, handling,
   *  resolved or closed. Any late stage keeps an order breached until it is resolved. */
  function status(inc, now) {
    if (ENDED_STAGES.indexOf(inc.stage) >= 0) { return "closed"; }
    if (inc.stage === "resolved") { return "resolved"; }
    if (!inc.order) {
      var d = inc.dispatch;
      if (!d || d.due === undefined || d.due === null) { return "waiting"; }
      var c = clock(d.since, d.due, now);
      return c === "ok" ? "waiting" : "waiting_" + (c === "breached" ? "late" : c);
    }
    if (lateSteps(inc, now).length) { return "breached"; }
    var step = currentStep(inc);
    return step === null ? "handling" : clock(inc.order.issued_at, inc.order.deadlines[step], now);
  }

  /** Tell whether a status is one of an incident still waiting for its order. */
  function isWaiting(st) { return st.indexOf("waiting") === 0; }

  /** Return the deadline that matters now (unix s): the dispatch target while waiting, else the current step's. */
  function currentDeadline(inc) {
    if (!inc.order) { return inc.dispatch && inc.dispatch.due !== undefined ? inc.dispatch.due : null; }
    var step = currentStep(inc);
    return step === null ? null : inc.order.deadlines[step];
  }

  /** Return [deadline, start] of the clock running now (dispatch or current step), or null. */
  function runningClock(inc) {
    var due = currentDeadline(inc);
    if (due === null) { return null; }
    return [due, inc.order ? inc.order.issued_at : inc.dispatch.since];
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** Return seconds as mm:ss (h:mm:ss past an hour). */
  function clockText(seconds) {
    var s = Math.floor(Math.abs(seconds)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(s % 60);
  }

  /** Return a countdown's text: mm:ss remaining, or +mm:ss overdue. */
  function countdown(remaining) { return remaining < 0 ? "+" + clockText(remaining) : clockText(remaining); }

  var api = {TIMED_STEPS: TIMED_STEPS, currentStep: currentStep, currentDeadline: currentDeadline, runningClock: runningClock,
             status: status, isWaiting: isWaiting, lateSteps: lateSteps, countdown: countdown, clockText: clockText};
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  if (typeof window === "undefined") { return; }

  function tr(key, params) { return window.onemap.ui ? window.onemap.ui.t(key, params) : key; }
  function serverNow() { return window.onemap.live ? window.onemap.live.now() : Date.now() / 1000; }

  function setText(el, text) { if (el.textContent !== text) { el.textContent = text; } }

  function tickCountdown(el, now) {
    var deadline = parseFloat(el.getAttribute("data-deadline"));
    if (isNaN(deadline)) { setText(el, ""); return; }
    var remaining = deadline - now, issued = parseFloat(el.getAttribute("data-issued"));
    var margin = isNaN(issued) ? WARNING_MIN_S : Math.max(WARNING_MIN_S, (deadline - issued) * WARNING_SHARE);
    setText(el, countdown(remaining));
    el.classList.toggle("om-overdue", remaining < 0);
    el.classList.toggle("om-due-soon", remaining >= 0 && remaining <= margin);
  }

  function tickBadge(el) {
    var live = window.onemap.live, st = live ? live.state() : null;
    var connected = live && live.connected(), fresh = live && live.isLive();
    var lost = (st && st.lastMessageAt) || (live && live.refused());  // it worked once, or the server said no
    var kind = fresh ? "live" : (connected ? "stale" : (lost ? "offline" : "connecting"));
    if (live && live.isReplay && live.isReplay()) {  // a moment of the past: marked, never "live"
      setText(el, tr("replay.badge"));
      el.className = "om-badge om-badge-replay";
      return;
    }
    var text = tr("live." + kind);
    if (kind !== "live" && st && st.lastEventAt) {
      text += " · " + tr("live.age", {age: clockText(serverNow() - st.lastEventAt)});
    }
    setText(el, text);
    el.className = "om-badge om-badge-" + kind;
  }

  function tickClock(el) {
    var ui = window.onemap.ui;
    if (ui) { setText(el, ui.dateTime(serverNow())); }  // the district's time, not the browser's zone
  }

  /** Update every ticking element on the page. */
  function tick() {
    var now = serverNow();
    document.querySelectorAll("[data-deadline]").forEach(function (el) { tickCountdown(el, now); });
    document.querySelectorAll("[data-since]").forEach(function (el) {
      setText(el, clockText(now - parseFloat(el.getAttribute("data-since"))));
    });
    document.querySelectorAll("[data-clock]").forEach(tickClock);
    document.querySelectorAll("[data-live-badge]").forEach(tickBadge);
  }

  var pending = false;
  /** Tick on the next frame: freshly rendered countdowns should not sit empty for up to a second. */
  function tickSoon() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; tick(); });
  }

  function hasTicking(node) {
    return node.nodeType === 1 && (node.matches("[data-deadline],[data-since],[data-clock],[data-live-badge]") ||
      node.querySelector("[data-deadline],[data-since],[data-clock],[data-live-badge]") !== null);
  }

  function watch() {
    // Only element additions count: the ticker's own text writes add text nodes and must not loop.
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var added = records[i].addedNodes;
        for (var j = 0; j < added.length; j++) { if (hasTicking(added[j])) { tickSoon(); return; } }
        if (records[i].type === "attributes") { tickSoon(); return; }
      }
    }).observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ["data-deadline", "data-since"]});
    // Align to the second so every screen flips together.
    setTimeout(function () { tick(); setInterval(tick, 1000); }, 1000 - (Date.now() % 1000));
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { tick(); } });
    tick();
  }

  window.onemap = window.onemap || {};
  window.onemap.sla = Object.assign(api, {tick: tick, tickSoon: tickSoon});
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", watch); } else { watch(); }
})();

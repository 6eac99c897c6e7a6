/* window.onemap.sla: an incident's SLA state from the times the server sends, and the browser's one-second ticker.
 *
 * The rules live in domain/sla.py only. The server sends each running clock's times (incident.clock: since,
 * warn_at, due, late_at) and its own time, never countdowns: this file only compares those times to the
 * server-corrected clock. Every second it writes the remaining time into elements carrying data-deadline (turning
 * "due soon" from data-warn), the elapsed time into data-since, the clock into data-clock and the live/stale state
 * into data-live-badge. Those elements are rendered empty by Dash so React never fights the ticker.
 */
(function () {
  "use strict";

  /** Return the timed step an incident's order is working on (the server's running clock), or null. */
  function currentStep(inc) { return inc && inc.order && inc.clock ? inc.clock.name : null; }

  /** Return the stages that are late: the server's order.breached plus any undone stage whose deadline passed now. */
  function lateSteps(inc, now) {
    var o = inc && inc.order;
    if (!o) { return []; }
    var done = o.done || {}, breached = o.breached || [], deadlines = o.deadlines || {};
    return Object.keys(deadlines).filter(function (s) {  // in the order the server lists them: the chain's
      return breached.indexOf(s) >= 0 || (!(s in done) && now > deadlines[s]);
    });
  }

  /** Return the SLA state at now: the server's status, moved on by the running clock's times alone.
   *  A late order stays "breached" (the server said so); a clock past warn_at warns, one past late_at is late. */
  function status(inc, now) {
    var c = inc.clock;
    if (!c || inc.status === "breached") { return inc.status; }
    var late = now > c.late_at, warn = now >= c.warn_at;
    if (!inc.order) { return late ? "waiting_late" : (warn ? "waiting_warning" : "waiting"); }
    return late ? "breached" : (warn ? "warning" : "ok");
  }

  /** Tell whether a status is one of an incident still waiting for its order. */
  function isWaiting(st) { return st.indexOf("waiting") === 0; }

  /** Return the deadline that matters now (unix s): the running clock's, or null. */
  function currentDeadline(inc) { return inc.clock ? inc.clock.due : null; }

  /** Return the running clock {since, warn_at, due, ...} (dispatch or current step), or null. */
  function runningClock(inc) { return inc.clock || null; }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** Return seconds as mm:ss (h:mm:ss past an hour). */
  function clockText(seconds) {
    var s = Math.floor(Math.abs(seconds)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(s % 60);
  }

  /** Return a countdown's text: mm:ss remaining, or +mm:ss overdue. */
  function countdown(remaining) { return remaining < 0 ? "+" + clockText(remaining) : clockText(remaining); }

  var api = {currentStep: currentStep, currentDeadline: currentDeadline, runningClock: runningClock,
             status: status, isWaiting: isWaiting, lateSteps: lateSteps, countdown: countdown, clockText: clockText};
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  if (typeof window === "undefined") { return; }

  function tr(key, params) { return window.onemap.ui ? window.onemap.ui.t(key, params) : key; }
  function serverNow() { return window.onemap.live ? window.onemap.live.now() : Date.now() / 1000; }

  function setText(el, text) { if (el.textContent !== text) { el.textContent = text; } }

  function tickCountdown(el, now) {
    var deadline = parseFloat(el.getAttribute("data-deadline"));
    if (isNaN(deadline)) { setText(el, ""); return; }
    var remaining = deadline - now, warn = parseFloat(el.getAttribute("data-warn"));  // no data-warn: never due soon
    setText(el, countdown(remaining));
    el.classList.toggle("om-overdue", remaining < 0);
    el.classList.toggle("om-due-soon", remaining >= 0 && now >= warn);
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
    }).observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ["data-deadline", "data-warn", "data-since"]});
    // Align to the second so every screen flips together.
    setTimeout(function () { tick(); setInterval(tick, 1000); }, 1000 - (Date.now() % 1000));
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { tick(); } });
    tick();
  }

  window.onemap = window.onemap || {};
  window.onemap.sla = Object.assign(api, {tick: tick, tickSoon: tickSoon});
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", watch); } else { watch(); }
})();

/* window.onemap.late: what the screens show of a late order: which stages, by how much, and the countdown still running.
 *
 * A stage done late shows the server's order.lateness; a stage still undone past its deadline shows a live
 * overdue (data-deadline: the ticker in assets/sla.js writes "+mm:ss") so the wall, console and rooms agree.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};

  function ui() { return window.onemap.ui; }
  function sla() { return window.onemap.sla; }

  /** Return one late stage's part of the tag: its name, and by how much (fixed when done, live when not). */
  function part(inc, step) {
    var h = ui().h, o = inc.order, done = (o.done || {})[step] !== undefined;
    var seconds = Math.ceil((o.lateness || {})[step] || 0);  // late by 0.2 s reads "+00:01", never "+00:00"
    var by = done ? h("Span", {className: "om-late-by"}, "+" + sla().clockText(seconds))
      : h("Span", {className: "om-late-by", "data-deadline": String(o.deadlines[step])});
    var name = ui().t("late.step", {step: ui().t("step." + step)});
    return h("Span", {className: "om-late-part", key: step, "data-late-step": step}, [name, " ", by]);
  }

  /** Return the red tag naming an order's late stages and by how much, or null when none is late. */
  function tag(inc, now) {
    var steps = sla().lateSteps(inc, now);
    if (!steps.length) { return null; }
    var parts = steps.map(function (s) { return part(inc, s); });
    return ui().h("Span", {className: "om-late-tag", "data-late": steps.join(" ")}, parts);
  }

  /** Return the countdown of the clock running now (dispatch while waiting, else the current step), or null. */
  function countdown(inc, extraClass) {
    var c = sla().runningClock(inc);
    if (c === null) { return null; }
    return ui().h("Span", {className: "om-cd" + (extraClass ? " " + extraClass : ""), "data-deadline": String(c.due),
                           "data-warn": String(c.warn_at)});
  }

  /** Return what makes a row stale: its status and late stages (the ticker handles the seconds). */
  function signature(inc, now) { return sla().status(inc, now) + ":" + sla().lateSteps(inc, now).join(","); }

  window.onemap.late = {tag: tag, countdown: countdown, signature: signature};
})();

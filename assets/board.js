/* window.onemap.board: the console's board of broadcasts: per township signed on time, late, pending or
 * overdue, on the same one-minute sign clock (pending chips turn overdue on the second, between renders).
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var BOARD_SHOWN = 3;  // broadcasts on the board, newest first

  function ui() { return window.onemap.ui; }
  function live() { return window.onemap.live; }

  /** Return a township's state on a broadcast: on_time | late | pending | overdue (domain/broadcast.py board). */
  function signState(b, township, now) {
    var at = (b.signed || {})[township];
    if (at !== undefined) { return at > b.deadline ? "late" : "on_time"; }
    return now > b.deadline ? "overdue" : "pending";
  }

  function boardCard(b, now) {
    var h = ui().h, counts = {on_time: 0, late: 0, pending: 0, overdue: 0};
    var chips = (b.townships || []).map(function (t) {
      var s = signState(b, t, now);
      counts[s] += 1;
      return h("Span", {className: "om-chip om-chip-" + s, key: t, "data-township": t, "data-due": s === "pending" ? String(b.deadline) : "",
                        title: ui().t("bcast." + s)}, ui().township(t));
    });
    var done = counts.pending + counts.overdue === 0;
    var clock = done ? h("Span", {className: "om-all-signed"}, ui().t("bcast.all_signed"))
      : h("Span", {className: "om-cd om-cd-small", "data-deadline": String(b.deadline), "data-warn": String(b.warn_at)});
    var tally = ["on_time", "late", "pending", "overdue"].map(function (s) {
      return h("Span", {className: "om-tally om-tally-" + s, key: s}, ui().t("bcast." + s) + " " + counts[s]);
    });
    return h("Div", {className: "om-board-card", key: b.id, "data-broadcast": b.id}, [
      h("Div", {className: "om-board-head"}, [
        h("B", {className: "om-bcast-kind om-bcast-" + b.type}, ui().t("broadcast." + b.type) + " · " + ui().t("level." + b.type + "." + b.level)),
        h("Small", {}, ui().hhmmss(b.issued_at) + " · " + b.issued_by), clock]),
      b.message ? h("Div", {className: "om-bcast-msg"}, b.message) : null,
      h("Div", {className: "om-tallies"}, tally),
      h("Div", {className: "om-chips-row"}, chips)]);
  }

  /** Return the board of the latest broadcasts: per township signed on time, late, pending or overdue. */
  function render(now) {
    var list = live().all("broadcast").slice();
    list.sort(function (a, b) { return b.issued_at - a.issued_at || (a.id < b.id ? -1 : 1); });
    list = list.slice(0, BOARD_SHOWN);
    var sig = list.map(function (b) {
      return b.id + JSON.stringify(b.signed) + (now > b.deadline ? "!" : "");
    }).join("|");
    return ui().unlessSame("console.board", sig, function () {
      if (!list.length) { return ui().h("Div", {className: "om-empty"}, ui().t("bcast.empty")); }
      return list.map(function (b) { return boardCard(b, now); });
    });
  }

  // Pending chips on the board turn overdue on the second, between renders (the one-minute sign clock).
  setInterval(function () {
    var now = live() ? live().now() : Date.now() / 1000;
    document.querySelectorAll(".om-chip[data-due]").forEach(function (el) {
      var due = parseFloat(el.getAttribute("data-due"));
      if (!isNaN(due)) { el.classList.toggle("om-chip-overdue", now > due); }
    });
  }, 1000);

  window.onemap.board = {render: render, signState: signState, card: boardCard};
})();

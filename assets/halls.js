/* window.onemap.halls: the service halls panel (the situation screen and the main wall): waiting, served today,
 * longest wait and windows open under labelled columns, and 已闭厅 / Closed outside a hall's office hours.
 * Every figure is the hall entity's (web/views.py _hall); open/closed is the server's flag at its time, turned at
 * each of the hall's open_changes that has passed since (as countdowns turn at their deadlines).
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var BUSY_WAITING = 10;  // a queue this long is marked busy (the map's hall marker uses the same mark)
  var COLUMNS = ["hall", "waiting", "served", "longest", "windows"];

  function ui() { return window.onemap.ui; }
  function live() { return window.onemap.live; }

  /** Tell whether a hall is open at now: the entity's flag, flipped once per open/closed change passed since. */
  function isOpen(hall, now) {
    var flips = (hall.open_changes || []).filter(function (at) { return at <= now; }).length;
    return (hall.open !== false) !== (flips % 2 === 1);
  }

  /** Return the halls, open ones first, the longest queue first; at most limit of them (null: all). */
  function ordered(now, limit) {
    var list = live().all("hall").map(function (x) { return {hall: x, open: isOpen(x, now)}; });
    list.sort(function (a, b) {
      return (b.open - a.open) || (b.hall.waiting - a.hall.waiting) || (a.hall.id < b.hall.id ? -1 : 1);
    });
    return limit ? list.slice(0, limit) : list;
  }

  function header(short) {
    var h = ui().h;
    return h("Div", {className: "om-hq-row om-hq-head" + (short ? " om-hq-short" : ""), key: "head"}, COLUMNS.map(function (c) {
      return h("Span", {key: c, "data-column": c}, ui().t("halls.col." + c));
    }));
  }

  /** Return a hall's label: on a short panel a township hall goes by its township (the district centre by its name). */
  function label(x, short) { return short && x.township ? ui().township(x.township) : ui().entityName(x); }

  function row(item, short) {
    var h = ui().h, x = item.hall, busy = item.open && x.waiting >= BUSY_WAITING;
    var since = x.oldest_waiting_since ? h("Span", {className: "om-hq-longest om-since", "data-since": String(x.oldest_waiting_since)})
      : h("Span", {className: "om-hq-longest"}, "—");
    var windows = item.open ? h("Span", {className: "om-hq-windows"}, x.open_windows + "/" + x.windows)
      : h("Span", {className: "om-hq-windows"}, h("Span", {className: "om-hq-closed"}, ui().t("halls.closed")));
    return h("Div", {className: "om-hq-row" + (short ? " om-hq-short" : "") + (item.open ? "" : " om-hq-shut") + (busy ? " om-hq-busy" : ""), key: x.id,
                     "data-hall": x.id, "data-open": item.open ? "1" : "0"}, [
      h("Span", {className: "om-hq-hall", title: ui().entityName(x)}, label(x, short)),
      h("B", {className: "om-hq-waiting"}, item.open || x.waiting ? String(x.waiting) : "—"),
      h("Span", {className: "om-hq-served"}, String(x.served)),
      since, windows]);
  }

  /** Return [rows under their column headers, the count shown ("12" or "4 of 12")] for a slot of ui.unlessSame.
   *  limit: the rows that fit (the longest queues; a note says how many of all), or null for every hall. */
  function render(slot, now, limit) {
    var total = live().all("hall").length, list = ordered(now, limit);
    var sig = list.map(function (i) {
      var x = i.hall;
      return [x.id, i.open, x.waiting, x.served, x.open_windows, x.windows, x.oldest_waiting_since];
    });
    var short = list.length < total;
    var count = short ? ui().t("halls.shown", {shown: list.length, total: total}) : String(total);
    var body = ui().unlessSame(slot, JSON.stringify(sig) + count, function () {
      var rows = [header(short)].concat(list.map(function (i) { return row(i, short); }));
      return short ? rows.concat([ui().h("Div", {className: "om-hq-note", key: "note"}, ui().t("halls.longest_of", {shown: list.length, total: total}))]) : rows;
    });
    return [body, count];
  }

  window.onemap.halls = {render: render, isOpen: isOpen};
})();

/* window.onemap.console: the commander's queue (incidents awaiting an order) and row selection. */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var SELECTED_STORE = "cmd-selected";  // layouts/ids.py CMD_SELECTED
  var QUEUE_ROWS = 60;                  // rendered rows; the count shows the whole queue

  function ui() { return window.onemap.ui; }

  /** Return the incidents awaiting an order: urgent first (priority), then the longest waiting. */
  function waiting() {
    var rows = window.onemap.live.all("incident").filter(function (i) { return i.stage === "new" && !i.order; });
    rows.sort(function (a, b) { return a.priority - b.priority || a.received_at - b.received_at || (a.id < b.id ? -1 : 1); });
    return rows;
  }

  function row(inc, selected) {
    var h = ui().h;
    return h("Div", {className: "om-queue-row" + (inc.id === selected ? " om-selected" : ""), key: inc.id,
                     "data-incident": inc.id, role: "button", tabIndex: 0}, [
      h("Span", {className: "om-prio om-prio-" + inc.priority}, ui().t("priority." + inc.priority)),
      h("Div", {className: "om-queue-main"}, [
        h("Div", {className: "om-queue-title"}, ui().t("category." + inc.category) + " · " + ui().township(inc.township)),
        h("Div", {className: "om-queue-meta"}, ui().t("source." + inc.source) + " · " + (inc.address || inc.summary || ""))]),
      h("Span", {className: "om-since", "data-since": String(inc.received_at)})
    ]);
  }

  /** Return [queue rows, count text, map layer] for the console. */
  function render(selected) {
    var rows = waiting(), shown = rows.slice(0, QUEUE_ROWS), m = window.onemap.map;
    var sig = shown.map(function (i) { return i.id; }).join("|") + "#" + selected;
    var body = ui().unlessSame("console.queue", sig, function () {
      if (!shown.length) { return ui().h("Div", {className: "om-empty"}, ui().t("cmd.queue_empty")); }
      return shown.map(function (i) { return row(i, selected); });
    });
    var fc = m.incidentFeatures(window.onemap.live.now(), null, selected);
    var layer = ui().unlessSame("console.map", m.signature(fc), function () { return fc; });
    return [body, String(rows.length), layer];
  }

  function select(id) {
    if (id && window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(SELECTED_STORE, {data: id});
    }
  }

  // One delegated listener: rows are re-rendered often, and selection must not depend on n_clicks.
  function onActivate(ev) {
    if (ev.type === "keydown" && ev.key !== "Enter" && ev.key !== " ") { return; }
    var el = ev.target.closest && ev.target.closest(".om-queue-row[data-incident]");
    if (el) { select(el.getAttribute("data-incident")); }
  }
  document.addEventListener("click", onActivate);
  document.addEventListener("keydown", onActivate);

  window.onemap.console = {render: render, waiting: waiting, select: select};
})();

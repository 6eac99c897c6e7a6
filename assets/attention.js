/* window.onemap.attention: a new order a room cannot miss, even without sound.
 *
 * While an order waits to be signed for and nobody at the screen has acknowledged it, the document title flashes
 * (a browser tab or a taskbar shows it even when the room's window is hidden); any click or key acknowledges the
 * orders waiting then, and an order signed for stops counting. <body data-attention="on"> marks it for the styles
 * (assets/room.css: the title bar's sound button then asks for the click sound needs). Driven by
 * callbacks/roommap.py on every live summary; the orders are read from window.onemap.live.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var FLASH_MS = 1000;  // the title alternates once a second

  var waiting = [], acked = {}, timer = null, base = null, lit = false;

  function ui() { return window.onemap.ui; }

  /** Return the ids of a township's orders not yet signed for (the new-order banner's orders). */
  function unsigned(township) {
    return window.onemap.live.all("incident").filter(function (i) {
      return i.order && i.order.township === township && i.stage === "ordered";
    }).map(function (i) { return i.order.id; });
  }

  function unacknowledged() { return waiting.filter(function (id) { return !acked[id]; }); }

  function flip() {
    lit = !lit;
    document.title = lit ? ui().t("attention.title", {n: unacknowledged().length}) : base;
  }

  function start() {
    base = document.title;
    document.body.setAttribute("data-attention", "on");
    timer = setInterval(flip, FLASH_MS);
    flip();
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    lit = false;
    document.title = base;
    document.body.setAttribute("data-attention", "off");
  }

  function refresh() {
    var n = unacknowledged().length;
    if (n && !timer) { start(); } else if (!n && timer) { stop(); }
  }

  /** Follow a room's orders (scope: its township id); return no_update (the callback's output is a dummy). */
  function update(scope) {
    if (scope && window.onemap.live) {
      waiting = unsigned(scope);
      refresh();
    }
    return window.dash_clientside ? window.dash_clientside.no_update : null;
  }

  /** Take note that someone is at the screen: the orders waiting now stop flashing the title. */
  function acknowledge() {
    waiting.forEach(function (id) { acked[id] = true; });
    refresh();
  }

  document.addEventListener("pointerdown", acknowledge, true);
  document.addEventListener("keydown", acknowledge, true);

  window.onemap.attention = {update: update, acknowledge: acknowledge,
                             flashing: function () { return timer !== null; }};
})();

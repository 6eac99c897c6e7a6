/* window.onemap.boot: start a page: take its catalog, forget old renderings, subscribe to its live scope. */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  window.onemap.boot = function (i18n, scope) {
    window.onemap.ui.setCatalog(i18n);
    window.onemap.ui.reset();
    // A replay has no socket: its snapshots come from the replay callback (assets/replay.js).
    if (scope && scope !== "replay") { window.onemap.live.start(scope); } else { window.onemap.live.stop(); }
    return scope || "";
  };
})();

/* window.onemap.boot: start a page: take its catalog, forget old renderings, subscribe to its live scope. */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  // Pages that read a few kinds of entity only: their snapshot holds those (web/views.py view_kinds). The analytics
  // view draws its chart entities (assets/chartdraw.js): without 10,000 incidents its snapshot is built and read at once.
  // and its list of early warnings (assets/warnings.js), its top recurring problems (assets/recurring.js)
  var VIEW_KINDS = {"/wall/analytics": ["chart", "warning", "recurring"]};

  window.onemap.boot = function (i18n, scope) {
    window.onemap.ui.setCatalog(i18n);
    window.onemap.ui.reset();
    // A replay has no socket: its snapshots come from the replay callback (assets/replay.js).
    if (scope && scope !== "replay") {
      window.onemap.live.start(scope, VIEW_KINDS[window.location.pathname.replace(/\/+$/, "")]);
    } else {
      window.onemap.live.stop();
    }
    return scope || "";
  };
})();

/* window.onemap.boot: start a page: take its catalog, forget old renderings, subscribe to its live scope. */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  // Pages that read a few kinds of entity only: their snapshot holds those (web/views.py view_kinds). The analytics
  // view draws its chart entities (assets/chartdraw.js): without 10,000 incidents its snapshot is built and read at once.
  var VIEW_KINDS = {"/wall/analytics": ["chart"]};
  // Views whose scope is the same for everyone (layouts.page): their socket starts as soon as the scripts ran, while
  // Dash fetches its layout and runs the router, instead of after (about 0.2 s sooner on a cold page). The server
  // still resolves the scope the socket may have; the router's boot then finds it started and keeps it.
  var EARLY_SCOPE = {"/wall/analytics": "all"};

  function path() { return window.location.pathname.replace(/\/+$/, ""); }

  window.onemap.boot = function (i18n, scope) {
    window.onemap.ui.setCatalog(i18n);
    window.onemap.ui.reset();
    // A replay has no socket: its snapshots come from the replay callback (assets/replay.js).
    if (scope && scope !== "replay") {
      window.onemap.live.start(scope, VIEW_KINDS[path()]);
    } else {
      window.onemap.live.stop();
    }
    return scope || "";
  };

  document.addEventListener("DOMContentLoaded", function () {  // live.js and socket.io are loaded after this file
    var scope = EARLY_SCOPE[path()];
    if (scope) { window.onemap.live.start(scope, VIEW_KINDS[path()]); }
  });
})();

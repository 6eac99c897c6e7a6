/* window.onemap.replay: the replay bar. Pick a day, scrub or play at 1x-60x; each moment's snapshot
 * comes from the server (rebuilt from the event log) and is fed to window.onemap.live, so the map,
 * the lists, the countdowns and every figure are drawn by the same code as live. Read-only.
 */
(function () {
  "use strict";
  var DAY_S = 86400;

  /** Return the Unix time of a local day's second (the district's UTC offset, not the browser's). */
  function moment(day, second, offsetH) {
    var p = String(day || "").split("-").map(Number);
    if (p.length !== 3 || p.some(isNaN)) { return null; }
    return Date.UTC(p[0], p[1] - 1, p[2]) / 1000 - offsetH * 3600 + (second || 0);
  }

  /** Return the moment for the bar's day and slider, and keep ?at= in the address (a shareable link). */
  function at(day, second, cfg) {
    var t = moment(day, second, (cfg || {}).utc_offset_h || 0);
    if (t === null) { return window.dash_clientside.no_update; }
    // The slider moves in whole seconds; a shared link's own moment is kept to the instant it names.
    if (cfg && typeof cfg.at === "number" && Math.floor(cfg.at) === t) { t = cfg.at; }
    t = Math.min(t, (cfg || {}).now || t);  // the future is not replayed
    var url = new URL(window.location.href);
    url.searchParams.set("at", String(t));
    window.history.replaceState(null, "", url.toString());
    var link = document.getElementById("replay-link"), label = document.getElementById("replay-time");
    if (link) { link.setAttribute("href", url.toString()); }
    if (label) { label.textContent = clock(t + ((cfg || {}).utc_offset_h || 0) * 3600); }
    return t;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** Return HH:MM:SS of a local time given as Unix seconds shifted by the district's offset. */
  function clock(shifted) {
    var d = new Date(shifted * 1000);
    return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
  }

  /** Advance the slider by the speed at each second of play; stop at the day's end. */
  function step(nIntervals, second, speed) {
    // Dash calls this once as the page loads (no tick yet): the moment a link names must stay put.
    if (!nIntervals) { return typeof window === "undefined" ? second : window.dash_clientside.no_update; }
    var next = (second || 0) + (Number(speed) || 1);
    return next >= DAY_S - 1 ? DAY_S - 1 : next;
  }

  /** Toggle play: [interval disabled, button label]. */
  function toggle(clicks, i18n) {
    var playing = (clicks || 0) % 2 === 1, strings = (i18n || {}).strings || {};
    return [!playing, playing ? (strings["replay.pause"] || "Pause") : (strings["replay.play"] || "Play")];
  }

  /** Draw a replayed snapshot with the live renderers. */
  function show(snap) {
    if (snap && snap.entities && window.onemap.live) { window.onemap.live.showReplay(snap); }
    return snap ? snap.seq : window.dash_clientside.no_update;
  }

  var api = {moment: moment, step: step};
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  if (typeof window === "undefined") { return; }
  window.onemap = window.onemap || {};
  window.onemap.replay = Object.assign(api, {at: at, toggle: toggle, show: show});
})();

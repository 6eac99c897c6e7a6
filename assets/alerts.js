/* window.onemap.alerts: sounds made in the browser (WebAudio, no files) for new orders, breaches, broadcasts.
 *
 * The console and the rooms make their audio context as the page loads: a screen started with
 * --autoplay-policy=no-user-gesture-required (README: the kiosk start) runs it at once, so an unattended room
 * hears its first order. Elsewhere browsers hold it until a user gesture, so the first click or key unlocks it; the
 * title bar's sound button (data-sound) shows whether sound is on, off or blocked (waiting for that gesture).
 * Each alert sounds once per id (an order id, a breach, a broadcast), however often the page re-renders; each
 * audible one counts in <body data-sound-played>.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var MUTE_KEY = "onemap.sound.muted";
  var SOUND_PAGES = /^\/(command|township)(\/|$)/;  // the pages with a sound button (layouts/common.py operator_tools)
  // kind -> [frequency Hz, start s, length s]: a two-tone chime, an urgent triple beep, a rising call
  var TONES = {
    order: [[880, 0, 0.2], [660, 0.24, 0.32]],
    breach: [[1050, 0, 0.12], [1050, 0.18, 0.12], [1050, 0.36, 0.12], [780, 0.56, 0.3]],
    broadcast: [[660, 0, 0.16], [880, 0.2, 0.16], [1100, 0.4, 0.3]]
  };
  var ctx = null, heard = {}, played = [], audible = 0;
  var muted = false;
  try { muted = window.localStorage.getItem(MUTE_KEY) === "1"; } catch (e) { muted = false; }

  function t(key) { return window.onemap.ui ? window.onemap.ui.t(key) : key; }

  /** Create the audio context: running when the browser allows sound without a gesture, suspended (blocked) if not. */
  function create() {
    var AC = window.AudioContext || window.webkitAudioContext;
    if (!ctx && AC) {
      ctx = new AC();
      ctx.onstatechange = paint;
    }
  }

  /** Create or resume the audio context from a user gesture, as browsers require. */
  function unlock() {
    create();
    if (ctx && ctx.state === "suspended") { ctx.resume().then(paint, paint); }
    paint();
  }

  function ready() { return !!ctx && ctx.state === "running"; }

  function tone(freq, start, length) {
    var osc = ctx.createOscillator(), gain = ctx.createGain(), t0 = ctx.currentTime + start;
    osc.type = "sine";
    osc.frequency.setValueAtTime(freq, t0);
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.35, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + length);
    osc.connect(gain);
    gain.connect(ctx.destination);
    osc.start(t0);
    osc.stop(t0 + length + 0.05);
  }

  /** Sound a kind now (when unlocked and not muted); return whether it was audible. */
  function play(kind) {
    if (muted || !ready()) { return false; }
    (TONES[kind] || TONES.order).forEach(function (x) { tone(x[0], x[1], x[2]); });
    audible += 1;
    document.body.setAttribute("data-sound-played", String(audible));
    return true;
  }

  /** Sound a kind once for the ids never sounded before; return those new ids. */
  function once(kind, ids) {
    var fresh = (ids || []).filter(function (id) { return !heard[kind + ":" + id]; });
    if (!fresh.length) { return fresh; }
    fresh.forEach(function (id) { heard[kind + ":" + id] = true; });
    played.push({kind: kind, ids: fresh, at: Date.now(), audible: play(kind)});
    if (played.length > 200) { played.shift(); }
    return fresh;
  }

  function state() { return !ready() ? "locked" : (muted ? "off" : "on"); }

  /** Write the sound buttons' text and state (they are rendered empty by Dash). */
  function paint() {
    var s = state();
    document.querySelectorAll("[data-sound]").forEach(function (el) {
      var text = t("sound." + s);
      if (el.textContent !== text) { el.textContent = text; }
      if (el.getAttribute("data-state") !== s) { el.setAttribute("data-state", s); }
    });
  }

  function onClick(ev) {
    var el = ev.target.closest && ev.target.closest("[data-sound]");
    if (!el) { return; }
    if (ready()) {
      muted = !muted;
      try { window.localStorage.setItem(MUTE_KEY, muted ? "1" : "0"); } catch (e) { /* private mode */ }
    }
    paint();
    if (!muted) { setTimeout(function () { play("order"); }, 50); }  // let the operator hear what an order sounds like
  }

  // Made at load, before any gesture: made later, after one, it would start anyway and hide a blocked policy.
  if (SOUND_PAGES.test(window.location.pathname)) { create(); }
  document.addEventListener("pointerdown", unlock, true);
  document.addEventListener("keydown", unlock, true);
  document.addEventListener("click", onClick);
  setInterval(paint, 1000);

  window.onemap.alerts = {once: once, play: play, state: state, unlock: unlock,
                          played: function () { return played.slice(); },
                          contextState: function () { return ctx ? ctx.state : "none"; }};
})();

/* window.onemap.live: the Socket.IO client and the snapshot + delta merge.
 *
 * The heavy state (every live entity) stays here in a Map; Dash only gets a small summary
 * ({seq, version, offset_ms, last_event_at, connected}: version counts the changes the page's panels read) so
 * clientside callbacks know when to re-render, and read the entities from window.onemap.live; the maps' markers
 * hear every change at once (subscribe). The merge functions are pure (but for the entities the page owns, which a
 * delta updates in place) and exported for node, so a Python test runs the browser's own merge.
 */
(function () {
  "use strict";
  var LIVE_STORE = "om-live";      // layouts/ids.py LIVE
  var PUSH_MIN_INTERVAL_MS = 250;  // at most 4 summaries a second into Dash
  // Heartbeats come every 0.75 s (config.py heartbeat_s): 2 s of silence means stale, and the badge, redrawn every
  // second (sla.js), says so within 3 s of the last message.
  var STALE_AFTER_MS = 2000;

  function entityKey(e) { return e.kind + ":" + e.id; }

  /** Return the state before any snapshot: deltas are ignored until one arrives. */
  function emptyState() {
    return {ready: false, seq: -1, version: 0, entities: new Map(), offsetMs: 0,
            lastEventAt: null, lastMessageAt: 0, scope: null};
  }

  function clockFields(msg, receivedAtMs) {
    // The server sends its own time; the offset corrects this browser's clock for countdowns.
    var out = {lastMessageAt: receivedAtMs};
    if (typeof msg.server_time === "number") { out.offsetMs = msg.server_time * 1000 - receivedAtMs; }
    if (msg.last_event_at !== undefined) { out.lastEventAt = msg.last_event_at; }
    return out;
  }

  /** Return the state a snapshot defines: it replaces everything (start-up, reconnect and resync). */
  function applySnapshot(state, msg, receivedAtMs) {
    var entities = new Map();
    (msg.entities || []).forEach(function (e) { entities.set(entityKey(e), e); });
    return Object.assign({}, state, {ready: true, seq: msg.seq, entities: entities,
      version: state.version + 1, scope: msg.scope || state.scope}, clockFields(msg, receivedAtMs || 0));
  }

  /** Return {state, resync}: apply a delta, or ask for a resync when seqs show a gap. owned: the caller holds the only
   *  reference to state's entities (the page's live state), so they are updated in place rather than copied. */
  function applyDelta(state, msg, receivedAtMs, owned) {
    var now = receivedAtMs || 0;
    if (!state.ready) { return {state: state, resync: false}; }  // nothing to apply it to yet
    if (msg.from_seq > state.seq) { return {state: state, resync: true}; }  // we missed changes
    var next = Object.assign({}, state, clockFields(msg, now));
    var upsert = msg.upsert || [], remove = msg.remove || [];
    // A delta older than our seq (built before a snapshot we already hold) would only roll entities back.
    if (msg.seq < state.seq || (upsert.length === 0 && remove.length === 0)) {
      next.seq = Math.max(state.seq, msg.seq);
      return {state: next, resync: false};
    }
    // A copy of 10,000 entities costs about 2 ms, on every delta: 20 a second of teams' fixes alone.
    var entities = owned ? state.entities : new Map(state.entities);
    upsert.forEach(function (e) { entities.set(entityKey(e), e); });
    remove.forEach(function (r) { entities.delete(entityKey(r)); });
    next.entities = entities;
    next.seq = Math.max(state.seq, msg.seq);
    next.version = state.version + 1;
    return {state: next, resync: false};
  }

  /** Return the entities of one kind, as an array. */
  function ofKind(state, kind) {
    var out = [];
    state.entities.forEach(function (e) { if (e.kind === kind) { out.push(e); } });
    return out;
  }

  var api = {applySnapshot: applySnapshot, applyDelta: applyDelta, emptyState: emptyState,
             ofKind: ofKind, entityKey: entityKey, STALE_AFTER_MS: STALE_AFTER_MS};
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  if (typeof window === "undefined") { return; }

  // ---- browser side: one socket per page, scoped to "all" or a township id ----
  var current = {state: emptyState(), socket: null, connected: false, resyncPending: false,
                 lastPush: 0, pushTimer: null, pushed: null, replay: false,
                 chain: Promise.resolve(), inflating: 0, panels: 0};
  // Who draws straight from the entities (the maps' keyed layers): told of each change as it is applied, not at
  // Dash's pace (the summary above is capped at 4 a second). change: {snapshot: true} or {upsert: [...], remove: [...]}.
  var listeners = [];
  // Kinds this page's panels do not read, only its maps draw (in place): a delta of these alone re-renders no Dash
  // callback. The wall's 300 moving teams would otherwise re-run its panels 4 times a second for nothing.
  var inPlaceOnly = {};

  /** Say which kinds this page only draws in place (its renderers call it each render: a page keeps its own). */
  function drawnOnlyInPlace(kinds) {
    inPlaceOnly = {};
    kinds.forEach(function (k) { inPlaceOnly[k] = true; });
  }

  function readByPanels(change) {
    return change.snapshot || change.upsert.concat(change.remove).some(function (e) { return !inPlaceOnly[e.kind]; });
  }

  function notify(change) {
    if (readByPanels(change)) { current.panels += 1; }
    listeners.forEach(function (fn) {
      try { fn(change); } catch (err) { console.error("onemap: a live listener failed", err); }  // one never stops the rest
    });
  }

  /** Call fn(change) after every change of the entities; return a function that stops it. */
  function subscribe(fn) {
    listeners.push(fn);
    return function () { listeners = listeners.filter(function (f) { return f !== fn; }); };
  }

  function summary() {
    var s = current.state;
    return {seq: s.seq, version: current.panels, offset_ms: Math.round(s.offsetMs), last_event_at: s.lastEventAt,
            connected: current.connected, scope: s.scope};
  }

  function pushNow() {
    current.pushTimer = null;
    var data = summary();
    // Heartbeats change nothing worth re-rendering; only a new version or connection state is pushed, and only
    // a push counts against the interval (a heartbeat must not hold back the delta that follows it).
    if (current.pushed && current.pushed.version === data.version && current.pushed.connected === data.connected) { return; }
    current.lastPush = Date.now();
    current.pushed = data;
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(LIVE_STORE, {data: data});
    }
  }

  function schedulePush() {
    if (current.pushTimer) { return; }
    var wait = Math.max(0, PUSH_MIN_INTERVAL_MS - (Date.now() - current.lastPush));
    current.pushTimer = setTimeout(pushNow, wait);
  }

  /** Return a promise of a message: a snapshot, or a large delta, comes as deflated JSON bytes (web/push.py). */
  function inflate(msg) {
    if (!isBytes(msg)) { return Promise.resolve(msg); }
    var stream = new Blob([msg]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text().then(JSON.parse);
  }

  function isBytes(msg) { return msg instanceof ArrayBuffer || ArrayBuffer.isView(msg); }

  /** Handle a message in its turn: inflating is asynchronous, so while one inflates the later ones queue behind. */
  function inTurn(msg, apply, what) {
    var socket = current.socket;
    current.inflating += 1;
    current.chain = current.chain.then(function () { return inflate(msg); }).then(function (data) {
      if (socket === current.socket) { apply(data); }  // else a newer socket (another scope) took over
    }).catch(function (err) {
      console.error("onemap: " + what + " not readable", err);
    }).then(function () {
      if (socket === current.socket) { current.inflating -= 1; }
    });
  }

  function onSnapshot(msg) {
    inTurn(msg, function (snap) {
      current.state = applySnapshot(current.state, snap, Date.now());
      current.resyncPending = false;
      notify({snapshot: true});
      schedulePush();
    }, "snapshot");
  }

  function onDelta(msg) {
    // In order: a delta waits for the snapshot or the large delta inflating before it.
    if (isBytes(msg) || current.inflating > 0) { inTurn(msg, applyNow, "delta"); return; }
    applyNow(msg);
  }

  function applyNow(msg) {
    if (current.resyncPending) { current.state.lastMessageAt = Date.now(); return; }
    var before = current.state.version, r = applyDelta(current.state, msg, Date.now(), true);
    current.state = r.state;
    if (r.state.version !== before) { notify({upsert: msg.upsert || [], remove: msg.remove || []}); }
    if (r.resync) {
      current.resyncPending = true;  // one request per gap: later deltas would all show the same gap
      current.socket.emit("resync");
    }
    schedulePush();
  }

  function setConnected(up) {
    current.connected = up;
    if (!up) {
      // Keep showing what we had (marked stale); on reconnect the server sends what we missed since our seq
      // (web/push.py missed), or a snapshot when it no longer keeps all of it.
      current.resyncPending = false;
    }
    schedulePush();
  }

  /** Show a replayed moment: a snapshot from the log, no socket; the clock stands at the moment. */
  function showReplay(msg) {
    if (current.socket) { current.socket.disconnect(); current.socket = null; }
    current.replay = true;
    current.connected = false;
    current.state = applySnapshot(Object.assign(emptyState(), {version: current.state.version}), msg, Date.now());
    current.replayAt = msg.server_time;
    notify({snapshot: true});
    schedulePush();
  }

  /** Connect for a scope ("all" or a township id); a new scope replaces the old socket. kinds: the entity kinds the
   *  page reads, when it reads only a few (its snapshot then holds those alone; deltas carry every kind). */
  function start(scope, kinds) {
    current.replay = false;
    if (!scope || typeof window.io !== "function") { return; }
    var view = (kinds || []).join(",");
    if (current.socket && current.state.scope === scope && current.view === view) { return; }
    if (current.socket) { current.socket.disconnect(); }
    current.state = Object.assign(emptyState(), {scope: scope});
    current.view = view;
    notify({snapshot: true});
    current.pushed = null;
    current.inflating = 0;
    var socket = window.io({query: view ? {scope: scope, kinds: view} : {scope: scope}});
    current.socket = socket;
    socket.io.on("reconnect_attempt", function () {
      var q = socket.io.opts.query || (socket.io.opts.query = {});
      if (current.state.ready) { q.since = current.state.seq; } else { delete q.since; }
    });
    socket.on("connect", function () { current.refused = false; setConnected(true); });
    socket.on("disconnect", function () { setConnected(false); });
    socket.on("connect_error", function () { current.refused = true; setConnected(false); });
    socket.on("snapshot", onSnapshot);
    socket.on("delta", onDelta);
  }

  function stop() {
    if (current.socket) { current.socket.disconnect(); current.socket = null; }
    current.state = emptyState();
    current.connected = false;
    current.replay = false;
    notify({snapshot: true});
  }

  var root = (window.onemap = window.onemap || {});
  root.live = Object.assign(api, {
    start: start,
    stop: stop,
    subscribe: subscribe,
    drawnOnlyInPlace: drawnOnlyInPlace,
    summary: summary,
    showReplay: showReplay,
    isReplay: function () { return current.replay; },
    state: function () { return current.state; },
    connected: function () { return current.connected; },
    refused: function () { return !!current.refused; },
    offsetMs: function () { return current.state.offsetMs || 0; },
    now: function () {
      // A replay's countdowns stand as they stood at the moment; live ones follow the server's clock.
      return current.replay ? current.replayAt : (Date.now() + (current.state.offsetMs || 0)) / 1000;
    },
    isLive: function () {
      return !current.replay && current.connected && current.state.ready && Date.now() - current.state.lastMessageAt < STALE_AFTER_MS;
    },
    all: function (kind) { return ofKind(current.state, kind); },
    get: function (kind, id) { return current.state.entities.get(kind + ":" + id); }
  });
})();

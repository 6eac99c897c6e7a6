/* The service team's phone page (/team): its orders from /team/state, its steps, its position and its photos.
 *
 * The server decides everything that counts (web/teamview.py, domain/positions.py): which step the team may take,
 * the running clock's times, the distance and whether on site is verified. This file draws them, ticks the
 * countdown against the server-corrected clock (as assets/sla.js does), and keeps a step pressed offline in
 * localStorage with its command id and the time it was pressed, sending it once the network is back: the server
 * answers a repeat of a command id as a duplicate, so a step is never taken twice.
 */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("tm-config").textContent);
  var S = cfg.strings, QUEUE_KEY = "om.team.queue." + cfg.team, DUTY_KEY = "om.team.duty." + cfg.team;
  var SEEN_KEY = "om.team.seen." + cfg.team, POLL_MS = 5000;
  var STEPS = ["sign", "respond", "route", "on_site", "resolve"];  // domain/model.py STEPS, in the order taken
  var OUTCOMES = cfg.outcomes;  // domain/model.py OUTCOMES, from the page: how a resolve says it ended
  var offset = 0, state = null, lastFix = null, lastSent = null, watchId = null, gpsError = "";
  var cards = {}, photos = {}, flashing = null, baseTitle = document.title, online = navigator.onLine;

  function t(key, params) {
    var s = S[key] || key;
    Object.keys(params || {}).forEach(function (k) { s = s.split("{" + k + "}").join(params[k]); });
    return s;
  }
  function now() { return Date.now() / 1000 + offset; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  /** Return hh:mm:ss of a Unix time in the district's time (the phone's own zone may be another). */
  function hhmm(ts) {
    var d = new Date((ts + ((state && state.utc_offset_h) || 0) * 3600) * 1000);
    return ("0" + d.getUTCHours()).slice(-2) + ":" + ("0" + d.getUTCMinutes()).slice(-2) + ":" + ("0" + d.getUTCSeconds()).slice(-2);
  }
  function mmss(s) {
    s = Math.max(0, Math.round(s));
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }
  function cid() {
    var a = new Uint8Array(12);
    crypto.getRandomValues(a);
    return "tm-" + Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function queue() { try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; } }
  function saveQueue(q) { localStorage.setItem(QUEUE_KEY, JSON.stringify(q)); drawStatus(); }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)
    });
  }

  /* ---- state from the server ---- */
  function poll() {
    var sent = Date.now();
    return fetch("/team/state", {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status === 401) { location.href = "/login?next=/team"; return null; }
      return r.ok ? r.json() : null;
    }).then(function (data) {
      if (!data) { return; }
      setOnline(true);
      offset = data.now - (sent + Date.now()) / 2000;  // the server's time at the request's midpoint
      state = data;
      draw();
      flush();
    }).catch(function () { setOnline(false); });
  }

  function setOnline(on) { online = on; drawStatus(); }

  /* ---- steps, kept until the server answers ---- */
  function take(order, step, note, outcome) {
    var fix = lastFix && now() - lastFix.at < 60 ? lastFix : null;
    var q = queue();
    q.push({
      command_id: cid(), incident_id: order.incident_id, step: step, device_at: now(), fix: fix,
      note: note || "", outcome: outcome || "",
      photos: (photos[order.incident_id + ":" + step] || []).map(function (p) { return p.id; })
    });
    saveQueue(q);
    toast(online ? t("team.sent") : t("team.queued_one"));
    flush();
  }

  var flushing = false;
  function flush() {
    if (flushing) { return; }
    var q = queue();
    if (!q.length) { return; }
    flushing = true;
    var cmd = q[0];
    post("/team/orders/" + encodeURIComponent(cmd.incident_id) + "/" + cmd.step, cmd).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return {status: r.status, body: body}; });
    }).then(function (res) {
      if (res.status === 401) { flushing = false; location.href = "/login?next=/team"; return; }
      if (res.status >= 500) { throw new Error("server " + res.status); }  // kept: tried again on the next poll
      saveQueue(queue().filter(function (c) { return c.command_id !== cmd.command_id; }));  // answered: once
      if (res.body.error) { toast(res.body.error.message, true); }
      else { delete photos[cmd.incident_id + ":" + cmd.step]; }
      flushing = false;
      setOnline(true);
      if (queue().length) { flush(); } else { poll(); }
    }).catch(function () { flushing = false; setOnline(false); });
  }

  /* ---- position ---- */
  function onFix(pos) {
    var c = pos.coords;
    gpsError = "";
    lastFix = {lon: c.longitude, lat: c.latitude, accuracy_m: Math.round(c.accuracy * 10) / 10, at: now()};
    drawStatus();
    var p = state && state.policy;
    if (!p || lastFix.accuracy_m > p.accuracy_m) { return; }  // a poor fix proves nothing and is not sent
    if (lastSent && lastFix.at - lastSent.at < p.every_s && metres(lastSent, lastFix) < p.moved_m) { return; }
    lastSent = lastFix;
    post("/team/position", lastFix).then(function () { setOnline(true); }).catch(function () { setOnline(false); });
  }
  function onGpsError(err) { gpsError = err.code === 1 ? t("team.gps_denied") : t("team.gps_none"); drawStatus(); }
  function metres(a, b) {
    var r = Math.PI / 180, x = (b.lon - a.lon) * r * Math.cos((a.lat + b.lat) * r / 2), y = (b.lat - a.lat) * r;
    return Math.sqrt(x * x + y * y) * 6371008.8;
  }
  function locate() {
    if (navigator.geolocation) {
      navigator.geolocation.getCurrentPosition(onFix, onGpsError, {enableHighAccuracy: true, maximumAge: 5000, timeout: 20000});
    }
  }
  function setDuty(on) {
    localStorage.setItem(DUTY_KEY, on ? "1" : "");
    if (on && watchId === null && navigator.geolocation) {
      watchId = navigator.geolocation.watchPosition(onFix, onGpsError, {enableHighAccuracy: true, maximumAge: 5000});
    }
    if (!on && watchId !== null) { navigator.geolocation.clearWatch(watchId); watchId = null; }
    drawStatus();
  }
  function onDuty() { return !!localStorage.getItem(DUTY_KEY); }

  /* ---- photos ---- */
  function upload(order, step, files, list) {
    var key = order.incident_id + ":" + step;
    Array.prototype.forEach.call(files, function (file) {
      if (file.size > cfg.max_photo_bytes) {  // the server refuses it too (application/evidence.py), once sent whole
        toast(t("error.photo_too_large", {limit_mb: Math.round(cfg.max_photo_bytes / 1048576)}), true);
        return;
      }
      var form = new FormData();
      form.append("photo", file);
      form.append("incident_id", order.incident_id);
      form.append("step", step);
      var pending = el("span", "tm-thumb pending", t("team.uploading"));
      list.appendChild(pending);
      fetch("/team/evidence", {method: "POST", credentials: "same-origin", body: form}).then(function (r) {
        return r.json();
      }).then(function (body) {
        if (body.error) { pending.remove(); toast(body.error.message, true); return; }
        (photos[key] = photos[key] || []).push(body);
        var img = el("img", "tm-thumb");
        img.src = "/evidence/" + encodeURIComponent(body.id) + "?size=thumb";
        img.alt = t("team.photos");
        list.replaceChild(img, pending);
      }).catch(function () { pending.remove(); toast(t("team.offline"), true); });
    });
  }

  /* ---- drawing: one card per order, kept across polls (a note being typed keeps its text and focus) ---- */
  function draw() {
    var root = document.getElementById("tm-orders"), ids = {};
    var seen = JSON.parse(sessionStorage.getItem(SEEN_KEY) || "[]"), fresh = false;
    state.orders.forEach(function (o) {
      ids[o.incident_id] = true;
      if (seen.indexOf(o.incident_id) < 0) { seen.push(o.incident_id); fresh = true; }
      if (!cards[o.incident_id]) { cards[o.incident_id] = makeCard(o); root.appendChild(cards[o.incident_id].node); }
      fillCard(cards[o.incident_id], o);
    });
    Object.keys(cards).forEach(function (id) {
      if (!ids[id]) { cards[id].node.remove(); delete cards[id]; }
    });
    var empty = document.getElementById("tm-empty");
    if (!state.orders.length && !empty) { empty = el("p", "tm-empty", t("team.no_orders")); empty.id = "tm-empty"; root.appendChild(empty); }
    if (state.orders.length && empty) { empty.remove(); }
    sessionStorage.setItem(SEEN_KEY, JSON.stringify(seen.slice(-50)));
    if (fresh) { alarm(); }
    document.getElementById("tm-updated").textContent = t("team.updated", {time: hhmm(state.now)});
    tick();
  }

  function makeCard(o) {
    var c = {node: el("article", "tm-card")};
    c.node.dataset.incident = o.incident_id;
    var head = el("div", "tm-head");
    c.cat = el("span", "tm-cat");
    c.prio = el("span", "tm-prio");
    head.appendChild(c.cat); head.appendChild(c.prio);
    c.clockLabel = el("div", "tm-clock-label");
    c.clock = el("div", "tm-clock");
    c.summary = el("p", "tm-summary");
    c.address = el("p", "tm-address");
    c.distance = el("p", "tm-distance");
    c.nav = el("div", "tm-nav");
    ["amap", "baidu", "tencent"].forEach(function (app) {
      var a = el("a", "tm-navlink", t("team." + app));
      a.dataset.app = app; a.target = "_blank"; a.rel = "noopener";
      c.nav.appendChild(a);
    });
    c.done = el("p", "tm-done");
    c.proof = el("p", "tm-proof");
    c.wait = el("p", "tm-wait");
    c.photoBox = el("div", "tm-photos");
    c.photoLabel = el("label", "tm-photo-btn", t("team.add_photo"));
    c.file = el("input");
    c.file.type = "file"; c.file.accept = "image/jpeg,image/png,image/webp"; c.file.multiple = true;
    c.file.setAttribute("capture", "environment");
    c.photoLabel.appendChild(c.file);
    c.thumbs = el("div", "tm-thumbs");
    c.photoBox.appendChild(c.photoLabel); c.photoBox.appendChild(c.thumbs);
    c.note = el("textarea", "tm-note");
    c.note.placeholder = t("team.note"); c.note.rows = 2; c.note.maxLength = 500;
    c.outcome = el("select", "tm-outcome");  // how it ended (三源): settled on the spot unless the team says otherwise
    c.outcome.setAttribute("aria-label", t("team.outcome"));
    OUTCOMES.forEach(function (o) { var opt = el("option", "", t("outcome." + o)); opt.value = o; c.outcome.appendChild(opt); });
    c.button = el("button", "tm-big tm-step");
    c.button.type = "button";
    c.file.addEventListener("change", function () { upload(c.order, c.order.team_step, c.file.files, c.thumbs); c.file.value = ""; });
    c.button.addEventListener("click", function () {
      var o2 = c.order, step = o2.team_step;
      if (!step) { return; }
      if (step === "resolve" && !c.note.value.trim()) { toast(t("team.note_required"), true); c.note.focus(); return; }
      c.button.disabled = true;
      take(o2, step, c.note.value.trim(), step === "resolve" ? c.outcome.value : "");
      if (step === "resolve") { c.note.value = ""; c.outcome.value = OUTCOMES[0]; }
      c.thumbs.textContent = "";
    });
    [head, c.clockLabel, c.clock, c.summary, c.address, c.distance, c.nav, c.done, c.proof, c.wait, c.photoBox, c.outcome, c.note, c.button]
      .forEach(function (n) { c.node.appendChild(n); });
    return c;
  }

  function fillCard(c, o) {
    var lg = cfg.lang, pending = queue().some(function (q) { return q.incident_id === o.incident_id; });
    c.order = o;
    c.node.dataset.status = o.status;
    c.node.dataset.step = o.team_step || "";
    c.cat.textContent = lg === "en" ? o.category_en : o.category_zh;
    c.prio.textContent = t("priority." + o.priority);
    c.prio.className = "tm-prio p" + o.priority;
    c.summary.textContent = o.summary;
    c.address.textContent = o.address;
    var far = o.distance_m >= 1000 ? {km: (o.distance_m / 1000).toFixed(1)} : {m: o.distance_m};
    c.distance.textContent = t((o.distance_m >= 1000 ? "team.distance" : "team.distance_m") + (o.distance_from === "fix" ? "" : "_base"), far);
    Array.prototype.forEach.call(c.nav.children, function (a) { a.href = o.nav[a.dataset.app]; });
    var taken = Object.keys(o.done).sort(function (a, b) { return STEPS.indexOf(a) - STEPS.indexOf(b); });  // JSON sorts keys
    c.done.textContent = "";
    taken.forEach(function (s) {
      c.done.appendChild(el("span", "tm-done-step", t("team.step_done", {step: t("step." + s), time: hhmm(o.done[s]).slice(0, 5)})));
    });
    c.proof.hidden = !o.proof;
    c.proof.className = "tm-proof " + (o.proof || "");
    c.proof.textContent = o.proof ? t("proof." + o.proof) +
      (o.proof_m !== null && o.proof_m !== undefined ? " · " + t("proof.distance", {m: Math.round(o.proof_m)}) : "") : "";
    c.node.dataset.proof = o.proof || "";
    c.wait.textContent = o.team_step ? "" : t("team.wait_room", {step: t("step." + o.next_step)});
    c.wait.hidden = !!o.team_step;
    var step = o.team_step;
    c.photoBox.hidden = !step;
    c.note.hidden = c.outcome.hidden = step !== "resolve";
    c.button.hidden = !step;
    c.button.textContent = step ? t("team.do_" + step) : "";
    c.button.disabled = pending;
  }

  function tick() {
    if (!state) { return; }
    var n = now();
    Object.keys(cards).forEach(function (id) {
      var c = cards[id], k = c.order.clock;
      if (!k) { c.clock.textContent = ""; c.clockLabel.textContent = ""; return; }
      var left = k.due - n;
      c.clockLabel.textContent = t(left >= 0 ? "team.due_in" : "team.late_by", {step: t("step." + k.name)});
      c.clock.textContent = mmss(Math.abs(left));
      c.clock.className = "tm-clock " + (left < 0 ? "late" : n >= k.warn_at ? "warn" : "ok");
    });
  }

  function drawStatus() {
    var net = document.getElementById("tm-net"), qn = queue().length, q = document.getElementById("tm-queue");
    net.textContent = online ? t("team.online") : t("team.offline");
    net.className = "tm-pill " + (online ? "ok" : "bad");
    q.hidden = !qn; q.textContent = t("team.queued", {n: qn});
    var duty = document.getElementById("tm-duty"), on = onDuty();
    duty.textContent = on ? t("team.off_duty") : t("team.on_duty");
    duty.className = "tm-big tm-duty-btn " + (on ? "on" : "off");
    var gps = document.getElementById("tm-gps"), p = state && state.policy;
    gps.textContent = (on ? t("team.duty_on") : t("team.duty_off")) + " · " + (gpsError || (lastFix
      ? t(p && lastFix.accuracy_m > p.accuracy_m ? "team.gps_poor" : "team.gps", {m: Math.round(lastFix.accuracy_m)})
      : t("team.gps_none")));
  }

  /* ---- a new order: sound, vibration and a flashing title until the page is touched ---- */
  function alarm() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)(), o = ctx.createOscillator(), g = ctx.createGain();
      o.frequency.value = 880; o.connect(g); g.connect(ctx.destination); g.gain.value = 0.3;
      o.start(); o.stop(ctx.currentTime + 0.6);
    } catch (e) { /* no sound before a touch on some phones: the title still flashes */ }
    // Chromium blocks (and logs as an error) a vibration before the page was ever touched: the title still flashes.
    var touched = !navigator.userActivation || navigator.userActivation.hasBeenActive;
    if (navigator.vibrate && touched) { navigator.vibrate([400, 150, 400, 150, 400]); }
    if (flashing) { return; }
    var on = false;
    flashing = setInterval(function () { on = !on; document.title = on ? "【" + t("team.new_order") + "】" + baseTitle : baseTitle; }, 800);
    document.body.classList.add("tm-alarm");
  }
  function quiet() {
    if (flashing) { clearInterval(flashing); flashing = null; document.title = baseTitle; }
    document.body.classList.remove("tm-alarm");
  }

  var toastTimer = null;
  function toast(text, bad) {
    var n = document.getElementById("tm-toast");
    if (!n) { n = el("div", "tm-toast"); n.id = "tm-toast"; n.setAttribute("role", "status"); document.body.appendChild(n); }
    n.textContent = text; n.className = "tm-toast " + (bad ? "bad" : "ok"); n.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { n.hidden = true; }, 4000);
  }

  document.getElementById("tm-duty").addEventListener("click", function () { setDuty(!onDuty()); if (onDuty()) { locate(); } });
  ["touchstart", "click", "keydown"].forEach(function (ev) { document.addEventListener(ev, quiet, {passive: true}); });
  window.addEventListener("online", function () { setOnline(true); flush(); poll(); });
  window.addEventListener("offline", function () { setOnline(false); });
  setDuty(onDuty());
  drawStatus();
  poll();
  setInterval(poll, POLL_MS);
  setInterval(tick, 1000);
  setInterval(function () { if (onDuty()) { locate(); } }, 15000);
  window.onemapTeam = {flush: flush, poll: poll, queue: queue};
})();

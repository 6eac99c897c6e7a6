/* window.onemap.timeline: the replay's incident timeline on the map (/replay?incident=ID). The server sends
 * the features (callbacks/replay.py: the site, each order's track from its team's base, every step numbered at
 * its place with its district time and lateness); this draws them, marks the step the moment has reached, and
 * jumps the replay to a step's moment when the step is clicked, on the map or in the list. Read-only.
 */
(function () {
  "use strict";
  var PER_ROW = 6;  // steps at one place fan out in rows of this many, above the place

  function L_() { return window.L; }
  function hide(ctx) { return (ctx && ctx.hideout) || {}; }
  function scale() { return Math.max(1, Math.min(3, window.innerHeight / 1080)); }

  function esc(text) {
    return String(text === null || text === undefined ? "" : text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  /** Return the number of the last step done by the moment (0: none yet). */
  function reached(steps, at) {
    var n = 0;
    (steps || []).forEach(function (s) { if (s.at <= at) { n = Math.max(n, s.n); } });
    return n;
  }

  /** Return the pixel offset of a step among the `of` steps at its place: a row centred above the place. */
  function fan(slot, of, size) {
    var row = Math.floor(slot / PER_ROW), inRow = Math.min(PER_ROW, of - row * PER_ROW), col = slot % PER_ROW;
    return [(col - (inRow - 1) / 2) * (size + 3), -(row + 1) * (size + 3)];
  }

  function icon(cls, html, size, offset) {
    offset = offset || [0, 0];
    return L_().divIcon({className: cls, html: html, iconSize: [size, size],
                         iconAnchor: [size / 2 - offset[0], size / 2 - offset[1]], tooltipAnchor: [offset[0], offset[1] - size / 2]});
  }

  /** dash-leaflet pointToLayer: the site, a team's base, or a numbered step (red when late, faded when to come). */
  function pointToLayer(feature, latlng, ctx) {
    var p = feature.properties, h = hide(ctx), k = scale(), opts = {keyboard: false, pane: (ctx && ctx.pane) || "markerPane"};
    if (p.kind === "site") {
      opts.icon = icon("om-tl-site", "", 18 * k);
    } else if (p.kind === "base") {
      opts.icon = icon("om-tl-base", "", 12 * k);
    } else {
      var size = 22 * k, now = p.n === h.now;
      var cls = "om-tl-step " + (p.late ? "om-tl-late" : "om-tl-ok") + (p.at > h.at ? " om-tl-future" : "") + (now ? " om-tl-now" : "");
      opts.icon = icon(cls, "<span data-n='" + p.n + "'>" + p.n + "</span>", size, fan(p.slot, p.of, size));
      opts.zIndexOffset = now ? 1000 : 0;
    }
    return L_().marker(latlng, opts);
  }

  /** dash-leaflet style: a track is amber, red when a stage of its order was late, dashed until its team was on site. */
  function style(feature) {
    var p = feature.properties, k = scale();
    var color = p.late ? "#ef4444" : (p.ended && !p.reached ? "#94a3b8" : "#f59e0b");
    return {color: color, weight: 4 * k, opacity: 0.9, dashArray: p.reached ? null : (8 * k) + " " + (6 * k), className: "om-tl-track"};
  }

  /** dash-leaflet onEachFeature: the words of each thing; a step's are shown at once when it is the moment's. */
  function bind(feature, layer, ctx) {
    var p = feature.properties, h = hide(ctx), now = p.kind === "step" && p.n === h.now;
    layer.bindTooltip((p.n ? "<b>" + p.n + "</b> " : "") + esc(p.label),
      {className: "om-map-tip om-tl-tip" + (p.late ? " om-tl-tip-late" : ""), direction: "top", permanent: now});
    if (p.kind === "step") { layer.on("click", function () { jump(p.at, h); }); }
    if (p.kind === "site") {  // drawn last: when it is added, its layer holds every track and step
      layer.on("add", function () {
        var group = Object.keys(layer._eventParents || {}).map(function (id) { return layer._eventParents[id]; })[0];
        fit(layer._map, group && group.getBounds ? group.getBounds() : L_().latLngBounds([layer.getLatLng()]), p.incident);
      });
    }
  }

  /** Fit a map to the timeline once per incident, with room above for the fanned steps and the map's own head. */
  function fit(map, bounds, key) {
    if (!map || fitted === key || !bounds || !bounds.isValid()) { return; }
    fitted = key;
    var k = scale();
    map.invalidateSize({animate: false});  // the timeline strip above the map changed its size since it was made
    map.fitBounds(bounds, {paddingTopLeft: [60 * k, 150 * k], paddingBottomRight: [60 * k, 110 * k], maxZoom: 16, animate: false});
  }

  /** Return the layer's hideout at a moment (the step reached), and mark the list's steps done, now and to come. */
  function moment(at, data, hideout) {
    var h = Object.assign({}, hideout || {});
    if (typeof at === "number") { h.at = at; }
    var steps = ((data || {}).features || []).filter(function (f) { return f.properties.kind === "step"; })
      .map(function (f) { return f.properties; });
    h.now = reached(steps, h.at);
    document.querySelectorAll(".om-replay-step[data-n]").forEach(function (el) {
      var n = Number(el.getAttribute("data-n"));
      el.classList.toggle("om-tl-future", n > h.now);
      el.classList.toggle("om-tl-now", n === h.now);
      if (n === h.now && el.scrollIntoView) { el.scrollIntoView({block: "nearest", inline: "nearest"}); }
    });
    return h;
  }

  /** Move the replay to a moment: the bar's day and second, keeping the instant itself (replay.js at()). */
  function jump(at, h) {
    var set = window.dash_clientside && window.dash_clientside.set_props;
    if (!set || typeof at !== "number" || isNaN(at) || typeof (h || {}).offset !== "number") { return false; }
    var shifted = new Date((at + h.offset * 3600) * 1000);
    var day = shifted.toISOString().slice(0, 10);
    var second = shifted.getUTCHours() * 3600 + shifted.getUTCMinutes() * 60 + shifted.getUTCSeconds();
    set("replay-cfg", {data: {utc_offset_h: h.offset, now: h.limit, at: at}});
    var input = document.getElementById("replay-day");
    if (!input || input.value !== day) { set("replay-day", {value: day}); }
    set("replay-slider", {value: second});
    return true;
  }

  /** A click on a step of the list jumps there in place (the link itself stays shareable). */
  function onClick(e) {
    var el = e.target && e.target.closest && e.target.closest(".om-replay-step[data-moment]");
    if (!el || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
    if (jump(Number(el.getAttribute("data-moment")), last)) { e.preventDefault(); }
  }

  var last = {};  // the layer's hideout as last set (the list's clicks need the district's offset)
  var fitted = null;  // the incident the map was last fitted to

  var api = {reached: reached, fan: fan};
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  if (typeof window === "undefined") { return; }
  document.addEventListener("click", onClick);
  window.onemap = window.onemap || {};
  window.onemap.timeline = Object.assign(api, {
    pointToLayer: pointToLayer, style: style, bind: bind, jump: jump,
    moment: function (at, data, hideout) { last = moment(at, data, hideout); return last; }
  });
})();

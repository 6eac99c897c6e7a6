/* window.onemap.labels: township labels placed where they cover nothing else on the map.
 *
 * Each label starts at its township's pole of inaccessibility (geo/labels.py). After the map's layers change,
 * one pass (at most every PASS_MS) moves each label, smallest township first, to the free spot nearest its start
 * inside its township (beside it when it is too crowded): never on a marker icon (halls, gauges, teams), a gauge's
 * or an alert's label, a legend, or another township's label, and over as few incidents (dots or clusters) as it
 * can. A label with no free spot near is hidden until there is one. Positions are kept per map, so a redrawn layer does not make labels jump.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var PASS_MS = 200;
  var PAD_PX = 2;  // clear space around every box
  var HARD = ".leaflet-marker-icon:not(.om-cluster), .om-gauge-label, .om-alert-label, .leaflet-control";
  var OVERLAYS = ".om-legend, .om-shade-legend";  // the page's own boxes drawn over the map
  var SOFT = "path.om-inc, .om-cluster";  // incidents, one by one or clustered: covered as little as can be
  var pending = 0;
  var watched = [];

  function townLabels(map) {
    var out = [];
    map.eachLayer(function (layer) {
      var tip = layer.getTooltip && layer.getTooltip(), el = tip && tip.getElement && tip.getElement();
      if (layer.feature && el && / om-town-label/.test(" " + el.className)) { out.push({layer: layer, tip: tip, el: el}); }
    });
    return out;
  }

  function box(r, base) {
    return {l: r.left - base.left - PAD_PX, t: r.top - base.top - PAD_PX, r: r.right - base.left + PAD_PX, b: r.bottom - base.top + PAD_PX};
  }

  function hits(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }

  function boxes(nodes, base) {
    var out = [];
    Array.prototype.forEach.call(nodes, function (n) {
      var r = n.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && n.style.visibility !== "hidden" && n.style.opacity !== "0") { out.push(box(r, base)); }
    });
    return out;
  }

  /** Return a township's drawn rings in container points. */
  function rings(map, layer) {
    return (layer._rings || []).map(function (ring) { return ring.map(function (p) { return map.layerPointToContainerPoint(p); }); });
  }

  /** Tell whether a point lies inside rings (even-odd over every ring, so holes are outside). */
  function inside(rs, pt) {
    var in_ = false;
    rs.forEach(function (ring) {
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var a = ring[i], b = ring[j];
        if ((a.y > pt.y) !== (b.y > pt.y) && pt.x < (b.x - a.x) * (pt.y - a.y) / (b.y - a.y) + a.x) { in_ = !in_; }
      }
    });
    return in_;
  }

  /** Return candidate centres: the start, then rings around it, nearest first. */
  function candidates(start, w, h) {
    var out = [start], step = Math.max(4, h * 0.6), reach = Math.max(w, 5 * h) * 1.6;
    for (var k = 1; k * step <= reach; k++) {
      var n = 8 * k;
      for (var i = 0; i < n; i++) {
        var a = 2 * Math.PI * i / n - Math.PI / 2;
        out.push(window.L.point(start.x + k * step * Math.cos(a) * 1.4, start.y + k * step * Math.sin(a)));
      }
    }
    return out;
  }

  function labelBox(c, w, h) { return {l: c.x - w / 2, t: c.y - h / 2, r: c.x + w / 2, b: c.y + h / 2}; }

  /** Return the area of drawn rings in px² (shoelace). */
  function area(rs) {
    return Math.abs(rs.reduce(function (sum, ring) {
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) { sum += (ring[j].x + ring[i].x) * (ring[j].y - ring[i].y); }
      return sum;
    }, 0)) / 2;
  }

  /** The smallest township chooses first: it has the fewest spots, the large ones have room to give way. */
  function priority(a, b) { return a.area - b.area || (a.layer.feature.properties.id < b.layer.feature.properties.id ? -1 : 1); }

  /** Choose one label's spot: the cheapest free candidate (its current spot when nearly as good), or null. */
  function choose(map, lab, size, hard, soft, placed) {
    var w = lab.w, h = lab.h, start = map.latLngToContainerPoint(lab.layer._omAnchor || lab.tip.getLatLng());
    var now = map.latLngToContainerPoint(lab.tip.getLatLng()), best = null, kept = null, rs = lab.rings;
    var cost = function (c) {
      var b = labelBox(c, w, h);
      if (b.l < 0 || b.t < 0 || b.r > size.x || b.b > size.y) { return null; }
      if (hard.some(function (o) { return hits(b, o); }) || placed.some(function (o) { return hits(b, o); })) { return null; }
      return soft.filter(function (o) { return hits(b, o); }).length * 2 * h + start.distanceTo(c);
    };
    var near = null;  // a township too crowded inside: its label goes beside it, as near as it can
    candidates(start, w, h).forEach(function (c) {
      var v = start.distanceTo(c);
      if (best && v >= best.v) { return; }  // no cheaper than the best so far, whatever it covers
      v = cost(c);
      if (v === null) { return; }
      if ((!best || v < best.v) && (c === start || inside(rs, c))) { best = {c: c, v: v}; } else if (!near || v < near.v) { near = {c: c, v: v}; }
    });
    best = best || near;
    if (!lab.hidden) { kept = cost(now); }
    var at = kept !== null && best && kept <= best.v + h ? now : best && best.c;
    if (at) { placed.push(labelBox(at, w, h)); }
    return at ? {at: at, moved: at !== now} : null;
  }

  /** Place every township label of a map: read every box first, then write, so the page lays out once. */
  function place(map) {
    var c = map._container;
    if (!c || !document.body.contains(c)) { return; }
    var base = c.getBoundingClientRect(), size = map.getSize(), placed = [];
    var hard = boxes(c.querySelectorAll(HARD), base).concat(boxes((c.parentElement || c).querySelectorAll(OVERLAYS), base));
    var soft = boxes(c.querySelectorAll(SOFT), base);
    var labels = townLabels(map).map(function (lab) {
      var rs = rings(map, lab.layer);
      return Object.assign(lab, {w: lab.el.offsetWidth, h: lab.el.offsetHeight, hidden: lab.el.style.visibility === "hidden",
                                 rings: rs, area: area(rs)});
    }).sort(priority);
    var spots = labels.map(function (lab) { return choose(map, lab, size, hard, soft, placed); });
    map._omLabelAt = map._omLabelAt || {};
    labels.forEach(function (lab, i) {
      var spot = spots[i];
      lab.el.style.visibility = spot ? "" : "hidden";
      lab.el.classList.toggle("om-town-label-hidden", !spot);
      if (!spot) { return; }
      if (spot.moved) { lab.tip.setLatLng(map.containerPointToLatLng(spot.at)); }
      map._omLabelAt[lab.layer.feature.properties.id] = lab.tip.getLatLng();
    });
  }

  function run() {
    pending = 0;
    watched = watched.filter(function (m) { return m._container && document.body.contains(m._container); });
    watched.forEach(place);
  }

  function schedule() { if (!pending) { pending = setTimeout(run, PASS_MS); } }

  /** Re-place a map's labels whenever its layers, view or size change. */
  function watch(map) {
    if (map._omLabelsWatched) { schedule(); return; }
    map._omLabelsWatched = true;
    map._omLabelAt = map._omLabelAt || {};
    watched.push(map);
    // Incident dots come and go every second: they only weigh on a choice, so they alone do not start a pass.
    map.on("layeradd layerremove", function (e) { if (!(e.layer instanceof window.L.CircleMarker)) { schedule(); } });
    map.on("zoomend moveend resize", schedule);
    map.on("omdrawn", schedule);  // the incidents and teams drawn in place (assets/pointlayer.js) gained or lost a marker
    schedule();
  }

  /** Return where a township's label last stood on a map (a redrawn layer starts there), or null. */
  function lastSpot(map, id) { return (map && map._omLabelAt && map._omLabelAt[id]) || null; }

  /** Tell whether no pass is waiting to run (tests read the labels then). */
  function idle() { return !pending; }

  window.onemap.labels = {watch: watch, place: place, lastSpot: lastSpot, idle: idle, schedule: schedule};
})();

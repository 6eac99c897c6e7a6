/* window.onemap.map: how live entities are drawn on the Leaflet maps (via dash-leaflet's {variable: ...}). */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var STATUS_COLOR = {waiting: "#38bdf8", ok: "#22c55e", warning: "#f59e0b", breached: "#ef4444", handling: "#a78bfa"};
  var TOWN_FILLS = ["#0e2547", "#10294f", "#0c2142", "#112c55", "#0d2345"];

  /** Return the marker scale: the wall is designed at 1080 px high and grows with the screen. */
  function scale() { return Math.max(1, Math.min(3, window.innerHeight / 1080)); }

  function boundaryStyle(feature, ctx) {
    var tiles = ctx && ctx.hideout && ctx.hideout.tiles;
    var i = parseInt(String(feature.properties.id).replace(/\D/g, ""), 10) || 0;
    return {color: "#3b82f6", weight: 1.6 * scale(), opacity: 0.85, dashArray: null,
            fillColor: TOWN_FILLS[i % TOWN_FILLS.length], fillOpacity: tiles ? 0.12 : 0.85};
  }

  // The district's extent per map, so a wall whose window is resized (fullscreen, another screen) refits.
  var extents = [];

  function remember(map, bounds) {
    var entry = extents.filter(function (e) { return e.map === map; })[0];
    if (entry) { entry.bounds.extend(bounds); } else { extents.push({map: map, bounds: L.latLngBounds(bounds.getSouthWest(), bounds.getNorthEast())}); }
  }

  function refit() {
    if (window.onemap.ui) { window.onemap.ui.reset(); }  // markers are sized for the screen: redraw them at the next render
    extents = extents.filter(function (e) { return e.map._container && document.body.contains(e.map._container); });
    extents.forEach(function (e) {
      if (e.map.dragging && e.map.dragging.enabled()) { return; }  // a map people move keeps their view
      e.map.invalidateSize({animate: false});
      e.map.fitBounds(e.bounds, {padding: [12, 12], animate: false});
    });
  }

  var refitTimer = null;
  window.addEventListener("resize", function () { clearTimeout(refitTimer); refitTimer = setTimeout(refit, 150); });

  function boundaryLabel(feature, layer, ctx) {
    layer.on("add", function () { if (layer._map) { remember(layer._map, layer.getBounds()); } });
    var p = feature.properties, en = ctx && ctx.hideout && ctx.hideout.lang === "en";
    layer.bindTooltip(en ? (p.name_en || p.name_zh) : p.name_zh,
      {permanent: true, direction: "center", className: "om-town-label", interactive: false,
       offset: [0, -16 * scale()]});  // above the centroid, where the township's service hall usually sits
  }

  function divMarker(latlng, cls, html, size) {
    return L.marker(latlng, {icon: L.divIcon({className: cls, html: html || "", iconSize: [size, size]}), keyboard: false});
  }

  function pointToLayer(feature, latlng) {
    var p = feature.properties, k = scale();
    // Leaflet positions icons with a transform, so the diamond's rotation lives on an inner element.
    if (p.kind === "station") { return divMarker(latlng, "om-gauge-icon", "<i class='om-gauge om-gauge-" + p.state + "'></i>", 14 * k); }
    if (p.kind === "hall") {
      return divMarker(latlng, "om-hall" + (p.waiting >= 10 ? " om-hall-busy" : ""), "<span>" + p.waiting + "</span>", 17 * k);
    }
    var urgent = p.priority === 1, selected = !!p.selected;
    return L.circleMarker(latlng, {
      radius: (selected ? 12 : urgent ? 8.5 : 7) * k, weight: (selected ? 3 : 1.2) * k,
      color: selected ? "#ffffff" : "rgba(5,12,28,0.9)", fillColor: STATUS_COLOR[p.status] || "#94a3b8",
      fillOpacity: 0.95, className: "om-inc om-inc-" + p.status + (urgent ? " om-inc-urgent" : "")
    });
  }

  function pointTooltip(feature, layer) {
    var p = feature.properties, ui = window.onemap.ui, text;
    if (p.kind === "station") {
      text = p.name + " · " + p.level.toFixed(2) + " m";
    } else if (p.kind === "hall") {
      text = p.name + " · " + ui.t("wall.queue", {n: p.waiting});
    } else {
      text = ui.t("category." + p.category) + " · " + ui.t("status." + p.status) + "<br>" + (p.address || "");
    }
    layer.bindTooltip(text, {className: "om-map-tip", direction: "top"});
  }

  function point(lon, lat, props) {
    return {type: "Feature", geometry: {type: "Point", coordinates: [lon, lat]}, properties: props};
  }

  /** Return the open incidents as GeoJSON, each with its SLA status now; keep(incident) filters. */
  function incidentFeatures(now, keep, selected) {
    var sla = window.onemap.sla, feats = [];
    window.onemap.live.all("incident").forEach(function (inc) {
      if (keep && !keep(inc)) { return; }
      feats.push(point(inc.lon, inc.lat, {kind: "incident", id: inc.id, category: inc.category, address: inc.address,
        priority: inc.priority, status: sla.status(inc, now), selected: inc.id === selected}));
    });
    // Worse states last, so they are drawn on top.
    var rank = {handling: 0, waiting: 1, ok: 2, warning: 3, breached: 4};
    feats.sort(function (a, b) { return (rank[a.properties.status] - rank[b.properties.status]) || (b.properties.priority - a.properties.priority); });
    return {type: "FeatureCollection", features: feats};
  }

  /** Return the gauges and service halls as GeoJSON. */
  function facilityFeatures() {
    var live = window.onemap.live, ui = window.onemap.ui, feats = [];
    live.all("station").forEach(function (s) {
      feats.push(point(s.lon, s.lat, {kind: "station", id: s.id, name: ui.entityName(s), state: s.state, level: s.level}));
    });
    live.all("hall").forEach(function (hl) {
      feats.push(point(hl.lon, hl.lat, {kind: "hall", id: hl.id, name: ui.entityName(hl), waiting: hl.waiting}));
    });
    return {type: "FeatureCollection", features: feats};
  }

  /** Return a short signature of a FeatureCollection: unchanged maps are not redrawn. */
  function signature(fc) {
    return fc.features.map(function (f) {
      var p = f.properties;
      return p.id + (p.status || p.state || "") + (p.waiting === undefined ? "" : p.waiting) + (p.selected ? "*" : "");
    }).join("|");
  }

  window.onemap.map = {STATUS_COLOR: STATUS_COLOR, scale: scale, boundaryStyle: boundaryStyle, boundaryLabel: boundaryLabel,
    pointToLayer: pointToLayer, pointTooltip: pointTooltip, refit: refit, incidentFeatures: incidentFeatures,
    facilityFeatures: facilityFeatures, signature: signature};
})();

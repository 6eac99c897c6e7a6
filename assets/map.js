/* window.onemap.map: how live entities are drawn on the Leaflet maps (via dash-leaflet's {variable: ...}, and by
 * assets/pointlayer.js, which draws the incidents and teams in place with the same functions).
 *
 * dash-leaflet calls these with its context last (ctx.hideout, ctx.pane, ctx.map). Features stay in WGS-84;
 * when the tiles are GCJ-02 (hideout.crs) every point and ring is shifted by coordsToLatLng as it is drawn
 * (layouts/maps.py sets it on every layer then), so pointToLayer already receives shifted positions.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var STATUS_COLOR = {waiting: "#38bdf8", waiting_warning: "#f59e0b", waiting_late: "#ef4444", ok: "#22c55e",
                      warning: "#f59e0b", breached: "#ef4444", handling: "#a78bfa", resolved: "#94a3b8"};
  var STATUS_RANK = {resolved: 0, handling: 0, waiting: 1, ok: 2, waiting_warning: 3, warning: 3, waiting_late: 4, breached: 5};
  var WAITING_RING = "#7dd3fc";  // an incident still waiting for its order keeps the waiting colour as its ring
  var TOWN_FILLS = ["#0e2547", "#10294f", "#0c2142", "#112c55", "#0d2345"];
  var LABEL_PANE = "omLabels";  // township and gauge labels: above the incidents, placed clear of marker icons (labels.js)
  var ALERT_LABEL_PANE = "omAlertLabels";  // alert labels: above the markers (what is in force matters most)

  function L_() { return window.L; }
  function layers() { return window.onemap.layers; }
  function hide(ctx) { return (ctx && ctx.hideout) || {}; }

  /** Return text safe inside a tooltip's HTML: names, addresses and CAP headlines come from outside sources. */
  function esc(text) {
    return String(text === null || text === undefined ? "" : text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  /** Return the marker scale: the wall is designed at 1080 px high and grows with the screen. */
  function scale() { return Math.max(1, Math.min(3, window.innerHeight / 1080)); }

  /** dash-leaflet coordsToLatLng: a GeoJSON [lon, lat] to a LatLng in the tiles' system (points, rings and clusters). */
  function coordsToLatLng(coords, ctx) {
    var p = layers().toTiles(coords[0], coords[1], hide(ctx).crs);
    return L_().latLng(p[1], p[0]);
  }

  /** Return the name of a label pane of a map, created on first use; the tooltip pane when the map is unknown. */
  function labelPane(map, name) {
    name = name || LABEL_PANE;
    if (map && !map.getPane(name)) { map.createPane(name); }
    return map ? name : "tooltipPane";
  }

  /** Tell whether a township is dimmed: a township's map (hideout.focus) dims the others. */
  function dimmed(h, id) { return !!h.focus && h.focus !== id; }

  function boundaryStyle(feature, ctx) {
    var h = hide(ctx), id = feature.properties.id, fill = h.fills && h.fills[id];
    var i = parseInt(String(id).replace(/\D/g, ""), 10) || 0;
    if (dimmed(h, id)) {  // a veil over the townships around, their edges faint
      return {color: "#1c3358", weight: scale(), opacity: 0.6, dashArray: null, fillColor: "#030916", fillOpacity: h.tiles ? 0.6 : 0.9};
    }
    var own = !!h.focus;  // the township of a township's map: a bright edge
    return {color: own ? "#7cc4ff" : fill ? "#5b8fd9" : "#3b82f6", weight: (own ? 2.6 : 1.6) * scale(), opacity: own ? 1 : 0.85, dashArray: null,
            fillColor: fill || TOWN_FILLS[i % TOWN_FILLS.length], fillOpacity: h.tiles ? (fill ? 0.5 : 0.12) : 0.85};
  }

  // The district's extent per map, so a wall whose window is resized (fullscreen, another screen) refits.
  var extents = [];

  function remember(map, bounds) {
    var entry = extents.filter(function (e) { return e.map === map; })[0];
    if (entry) { entry.bounds.extend(bounds); } else { extents.push({map: map, bounds: L_().latLngBounds(bounds.getSouthWest(), bounds.getNorthEast())}); }
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

  /** Return the Leaflet maps drawn on this page (for tests and the browser console). */
  function maps() {
    return extents.filter(function (e) { return e.map._container && document.body.contains(e.map._container); })
      .map(function (e) { return e.map; });
  }

  var refitTimer = null;
  window.addEventListener("resize", function () { clearTimeout(refitTimer); refitTimer = setTimeout(refit, 150); });

  /** Return a township's name on the map: the short English name in English (the outline says what it is). */
  function townName(p, lang) { return lang === "en" ? (p.short_en || p.name_en || p.name_zh) : p.name_zh; }

  /** dash-leaflet onEachFeature of the boundaries: a permanent label, placed by onemap.labels clear of the markers. */
  function boundaryLabel(feature, layer, ctx) {
    var p = feature.properties, h = hide(ctx), name = esc(townName(p, h.lang)), value = h.labels && h.labels[p.id];
    var dim = dimmed(h, p.id);
    if (p.label) { layer._omAnchor = coordsToLatLng(p.label, ctx); }  // the township's pole of inaccessibility
    layer.bindTooltip(value === undefined ? name : name + " <b class='om-town-value'>" + value + "</b>",
      {permanent: true, direction: "center", interactive: false, pane: labelPane(ctx && ctx.map),
       className: "om-town-label" + (dim ? " om-town-label-dim" : "")});
    layer.on("add", function () {
      var map = layer._map;
      if (!map) { return; }
      // A map's extent is the district's, or its own township's on a township's map (refit on resize keeps it).
      if (!dim) { remember(map, layer.getBounds()); }
      layer.openTooltip(window.onemap.labels.lastSpot(map, p.id) || layer._omAnchor || layer.getCenter());
      window.onemap.labels.watch(map);
    });
  }

  function divMarker(latlng, cls, html, size, ctx) {
    var opts = {icon: L_().divIcon({className: cls, html: html || "", iconSize: [size, size]}), keyboard: false};
    if (ctx && ctx.pane) { opts.pane = ctx.pane; }
    return L_().marker(latlng, opts);
  }

  /** Return an incident dot's Leaflet options: its SLA colour, a ring while it waits, bigger when urgent or selected. */
  function incidentOptions(p, ctx) {
    var k = scale(), urgent = p.priority === 1, selected = !!p.selected, ring = p.status.indexOf("waiting_") === 0;
    return {
      radius: (selected ? 12 : urgent ? 8.5 : 7) * k, weight: (selected ? 3 : ring ? 2.6 : 1.2) * k, pane: (ctx && ctx.pane) || "overlayPane",
      color: selected ? "#ffffff" : ring ? WAITING_RING : "rgba(5,12,28,0.9)", fillColor: STATUS_COLOR[p.status] || "#94a3b8",
      fillOpacity: 0.95, className: "om-inc om-inc-" + p.status + (urgent ? " om-inc-urgent" : "")
    };
  }

  function incidentMarker(p, latlng, ctx) { return L_().circleMarker(latlng, incidentOptions(p, ctx)); }

  function stationMarker(p, latlng, ctx) {
    var lv = layers().stationLevel(p.level, p.warning_level, p.guarantee_level), k = scale();
    // Leaflet positions icons with a transform, so the diamond's rotation lives on an inner element.
    var m = divMarker(latlng, "om-gauge-icon", "<i class='om-gauge om-gauge-" + lv.state + "' style='background:" + lv.color + "'></i>", 14 * k, ctx);
    if (lv.state === "warning" || lv.state === "guarantee") {
      m.bindTooltip(p.level.toFixed(2) + " m", {permanent: true, direction: "right", className: "om-gauge-label om-gauge-label-" + lv.state,
                                                interactive: false, offset: [6 * k, 0], pane: labelPane(ctx && ctx.map)});
    }
    return m;
  }

  function hallMarker(p, latlng, ctx) {
    var L = layers(), size = L.hallSize(p.waiting) * scale();
    return divMarker(latlng, "om-hall om-hall-" + L.hallLoad(p.waiting, p.open_windows), "<span>" + p.waiting + "</span>", size, ctx);
  }

  function teamMarker(p, latlng, ctx) {
    var cls = "om-team-mark om-team-mark-" + (p.fix || "none") + (p.busy ? " om-team-mark-busy" : "");
    return divMarker(latlng, "om-team-icon", "<i class='" + cls + "' data-team='" + esc(p.id) + "'></i>", 12 * scale(), ctx);
  }

  function alertCircle(p, latlng, ctx) {
    var c = L_().circle(latlng, Object.assign({radius: p.radius_m, pane: (ctx && ctx.pane) || "overlayPane"}, alertStyle({properties: p})));
    alertLabel(p, c, ctx);
    return c;
  }

  /** dash-leaflet pointToLayer: one function for every kind of point. */
  function pointToLayer(feature, latlng, ctx) {
    var p = feature.properties;  // latlng is already in the tiles' system (coordsToLatLng)
    if (p.kind === "station") { return stationMarker(p, latlng, ctx); }
    if (p.kind === "hall") { return hallMarker(p, latlng, ctx); }
    if (p.kind === "team") { return teamMarker(p, latlng, ctx); }
    if (p.kind === "alert") { return alertCircle(p, latlng, ctx); }
    if (p.kind === "recurring") { return window.onemap.recurring.marker(p, latlng, ctx); }  // assets/recurring.js
    return incidentMarker(p, latlng, ctx);
  }

  /** Return a cluster of incidents ({ids, worst}: assets/clusters.js), coloured by its worst SLA state; breached ones pulse. */
  function clusterMarker(group, latlng, ctx) {
    var n = group.ids.length, size = (24 + 6 * Math.log10(n)) * scale();
    return divMarker(latlng, "om-cluster om-cluster-" + (group.worst || "handling"),
      "<span>" + window.onemap.clusters.abbreviate(n) + "</span>", size, ctx);
  }

  /** Give a drawn marker the look of a freshly built one (same kind), in place: its DOM node stays. */
  function restyle(layer, fresh) {
    if (layer instanceof L_().CircleMarker) {
      layer.setStyle(fresh.options);
      layer.setRadius(fresh.options.radius);
      layer.options.className = fresh.options.className;
      // Leaflet sets a path's class only when it creates it; the SLA state is in the class (tests and CSS read it).
      if (layer._path) { L_().DomUtil.setClass(layer._path, fresh.options.className + (layer.options.interactive ? " leaflet-interactive" : "")); }
    } else if (layer.setIcon) {
      layer.setIcon(fresh.options.icon);
    }
  }

  function alertStyle(feature) {
    var color = layers().severityColor(feature.properties.severity), k = scale();
    return {color: color, weight: 2 * k, opacity: 0.9, dashArray: (6 * k) + " " + (4 * k), fillColor: color, fillOpacity: 0.18,
            className: "om-alert om-alert-" + feature.properties.severity};
  }

  function clock(unixS) {
    return window.onemap.ui.hhmmss(unixS).slice(0, 5);  // hh:mm in the district's time
  }

  /** Label an alert area with its event, just inside its top edge (its centre is where the township's name is). */
  function alertLabel(p, layer, ctx) {
    var until = p.expires ? "<small>" + window.onemap.ui.t("map.alert_until", {time: clock(p.expires)}) + "</small>" : "";
    var ui = window.onemap.ui, event = ui.lang() === "en" ? (p.event_en || p.event) : p.event;
    layer.bindTooltip(esc(event || p.headline) + until, {permanent: true, direction: "bottom", interactive: false, offset: [0, 2],
      className: "om-alert-label om-alert-label-" + p.severity, pane: labelPane(ctx && ctx.map, ALERT_LABEL_PANE)});
    layer.on("add", function () {
      var b = layer.getBounds();
      layer.openTooltip(L_().latLng(b.getNorth(), b.getCenter().lng));
    });
  }

  function tipText(p) {
    var ui = window.onemap.ui, name = esc(p.name);
    if (p.kind === "station") {
      return name + " · " + p.level.toFixed(2) + " m<br>" + ui.t("map.thresholds", {warning: p.warning_level, guarantee: p.guarantee_level});
    }
    if (p.kind === "hall") { return name + " · " + ui.t("wall.queue", {n: p.waiting}) + " · " + p.open_windows + "/" + p.windows; }
    if (p.kind === "recurring") { return window.onemap.recurring.tip(p, esc); }
    if (p.kind === "team") {
      var where = p.fix === "none" ? ui.t("map.team_base")
        : ui.t(p.fix === "live" ? "map.team_fix" : "map.team_stale", {time: clock(p.fix_at), m: Math.round(p.accuracy_m)});
      return name + "<br>" + ui.t("team_kind." + p.team_kind) + " · " + ui.t(p.busy ? "town.team_busy" : "town.team_free") + "<br>" + where;
    }
    return ui.t("category." + p.category) + " · " + ui.t("status." + p.status) + "<br>" + esc(p.address);
  }

  /** dash-leaflet onEachFeature: a hover tooltip, unless the layer has a permanent label (alert polygons get theirs here). */
  function pointTooltip(feature, layer, ctx) {
    var p = feature.properties;
    if (p.kind === "alert" && feature.geometry.type !== "Point") { alertLabel(p, layer, ctx); }
    if (p.kind === "alert" || layer.getTooltip()) { return; }  // a permanent label (alerts, gauges on alert) is the tooltip
    layer.bindTooltip(tipText(p), {className: "om-map-tip", direction: "top"});
  }

  function point(lon, lat, props) {
    return {type: "Feature", geometry: {type: "Point", coordinates: [lon, lat]}, properties: props};
  }

  window.onemap.map = {STATUS_COLOR: STATUS_COLOR, STATUS_RANK: STATUS_RANK, scale: scale, boundaryStyle: boundaryStyle,
    boundaryLabel: boundaryLabel, pointToLayer: pointToLayer, pointTooltip: pointTooltip,
    alertStyle: alertStyle, coordsToLatLng: coordsToLatLng, refit: refit, maps: maps, point: point,
    clusterMarker: clusterMarker, restyle: restyle, tipText: tipText};
})();

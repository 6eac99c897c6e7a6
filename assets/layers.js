/* window.onemap.layers: what each map layer shows, built from window.onemap.live.
 *
 * The gauges, halls and alerts are each a dash-leaflet GeoJSON (redrawn whole when their data change, which is
 * seldom); the incidents and teams are drawn in place (assets/pointlayer.js). The pure parts
 * (coordinate shift, scales, thresholds, expiry) are exported for node, where tests run them.
 */
(function () {
  "use strict";

  // ---- WGS-84 -> GCJ-02, a port of geo/coords.py: AMap / Tencent tiles are drawn in GCJ-02 ----
  var KRASOVSKY_A = 6378245.0;
  var KRASOVSKY_EE = 0.00669342162296594323;
  var CHINA = [72.004, 0.8293, 137.8347, 55.8271];  // min lon, min lat, max lon, max lat

  function outOfChina(lon, lat) { return lon < CHINA[0] || lon > CHINA[2] || lat < CHINA[1] || lat > CHINA[3]; }

  /** Return [lon, lat] in GCJ-02 for a WGS-84 point (unchanged outside China). */
  function wgs84ToGcj02(lon, lat) {
    if (outOfChina(lon, lat)) { return [lon, lat]; }
    var x = lon - 105.0, y = lat - 35.0, xPi = x * Math.PI, yPi = y * Math.PI;
    var common = 20.0 * Math.sin(6.0 * xPi) + 20.0 * Math.sin(2.0 * xPi);
    var dLat = common + 20.0 * Math.sin(yPi) + 40.0 * Math.sin(yPi / 3.0);
    var dLon = common + 20.0 * Math.sin(xPi) + 40.0 * Math.sin(xPi / 3.0);
    dLat = dLat + 160.0 * Math.sin(yPi / 12.0) + 320.0 * Math.sin(yPi / 30.0);
    dLon = dLon + 150.0 * Math.sin(xPi / 12.0) + 300.0 * Math.sin(xPi / 30.0);
    var absX = Math.sqrt(Math.abs(x));
    dLat = dLat * 2.0 / 3.0 - 100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * absX;
    dLon = dLon * 2.0 / 3.0 + 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * absX;
    var radLat = lat / 180.0 * Math.PI, magic = 1.0 - KRASOVSKY_EE * Math.pow(Math.sin(radLat), 2);
    var sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrtMagic) * Math.PI);
    dLon = (dLon * 180.0) / (KRASOVSKY_A / sqrtMagic * Math.cos(radLat) * Math.PI);
    return [lon + dLon, lat + dLat];
  }

  /** Return [lon, lat] in the tiles' system: "gcj02" shifts, anything else is WGS-84 already. */
  function toTiles(lon, lat, crs) { return crs === "gcj02" ? wgs84ToGcj02(lon, lat) : [lon, lat]; }

  // ---- township shading (choropleth) ----
  var SHADE_CLASSES = 5;
  var OPEN_FILLS = ["#0b1d3a", "#1c2350", "#35255e", "#532663", "#722660"];  // navy to maroon: more open incidents
  // On-time rate against the district's promise (99%): fixed breaks, so a colour means the same every day.
  var RATE_CLASSES = [{min: 0.99, fill: "#12563a"}, {min: 0.98, fill: "#2c5a22"}, {min: 0.95, fill: "#5a5419"},
                      {min: 0.90, fill: "#6b3a12"}, {min: 0, fill: "#6e1a26"}];
  var NO_DATA_FILL = "#19243a";

  /** Return the class (0..4) of a count: 0 alone is class 0; 1..max fall in four equal steps (of at least 1). */
  function countClass(v, max) {
    if (!v || v <= 0) { return 0; }
    var step = Math.max(1, max / (SHADE_CLASSES - 1));
    return Math.min(SHADE_CLASSES - 1, Math.ceil(v / step - 1e-9));
  }

  /** Return the legend of counts up to max: [{fill, label}], one per non-empty class. */
  function countLegend(max) {
    var step = Math.max(1, max / (SHADE_CLASSES - 1)), out = [{fill: OPEN_FILLS[0], label: "0"}];
    for (var c = 1; c < SHADE_CLASSES; c++) {
      var lo = Math.floor((c - 1) * step + 1e-9) + 1, hi = c === SHADE_CLASSES - 1 ? Math.max(lo, max) : Math.floor(c * step + 1e-9);
      if (lo > max || lo > hi) { continue; }
      out.push({fill: OPEN_FILLS[c], label: lo === hi ? String(lo) : lo + "–" + hi});
    }
    return out;
  }

  /** Return {fills: {id: colour}, labels: {id: text}, legend: [{fill, label}]} for a measure's values. */
  function shade(measure, values, pct) {
    var out = {fills: {}, labels: {}, legend: []}, ids = Object.keys(values || {});
    pct = pct || function (r) { return (r * 100).toFixed(1) + "%"; };
    if (measure === "open") {
      var max = ids.reduce(function (m, id) { return Math.max(m, values[id] || 0); }, 0);
      ids.forEach(function (id) {
        var v = values[id] || 0;
        out.fills[id] = OPEN_FILLS[countClass(v, max)];
        out.labels[id] = String(v);
      });
      out.legend = countLegend(max);
    } else if (measure === "on_time") {
      ids.forEach(function (id) {
        var v = values[id];
        out.fills[id] = rateFill(v);
        out.labels[id] = v === null || v === undefined ? "—" : pct(v);
      });
      var whole = function (r) { return Math.round(r * 100); };
      RATE_CLASSES.forEach(function (c, i) {
        out.legend.push({fill: c.fill, label: i === 0 ? "≥" + whole(c.min) + "%" : i === RATE_CLASSES.length - 1
          ? "<" + whole(RATE_CLASSES[i - 1].min) + "%" : whole(c.min) + "–" + whole(RATE_CLASSES[i - 1].min) + "%"});
      });
      out.legend.push({fill: NO_DATA_FILL, label: null});
    }
    return out;
  }

  function rateFill(rate) {
    if (rate === null || rate === undefined) { return NO_DATA_FILL; }
    for (var i = 0; i < RATE_CLASSES.length; i++) { if (rate >= RATE_CLASSES[i].min) { return RATE_CLASSES[i].fill; } }
    return RATE_CLASSES[RATE_CLASSES.length - 1].fill;
  }

  // ---- hydrology stations: the level against the station's own thresholds ----
  var STATION_COLOR = {normal: "#22d3ee", near: "#a3e635", warning: "#f59e0b", guarantee: "#ef4444"};
  var NEAR_SHARE = 0.25;  // "near" = within a quarter of the warning-to-guarantee gap below the warning level

  /** Return {state, color}: guarantee / warning as the server rules them (>=), near just below warning. */
  function stationLevel(level, warning, guarantee) {
    var state = level >= guarantee ? "guarantee" : level >= warning ? "warning"
      : level >= warning - NEAR_SHARE * Math.max(0, guarantee - warning) ? "near" : "normal";
    return {state: state, color: STATION_COLOR[state]};
  }

  // ---- service halls: the symbol's area grows with the queue ----
  var HALL_MIN_PX = 14, HALL_MAX_PX = 42, HALL_PX_PER_ROOT = 4;
  var HALL_BUSY_QUEUE = 10, HALL_BUSY_PER_WINDOW = 3;

  /** Return the side of a hall's symbol in px at 1080p (area proportional to the people waiting, capped). */
  function hallSize(waiting) { return Math.min(HALL_MAX_PX, HALL_MIN_PX + HALL_PX_PER_ROOT * Math.sqrt(Math.max(0, waiting || 0))); }

  /** Return "idle" | "normal" | "busy" | "closed" (people waiting and no window open). */
  function hallLoad(waiting, openWindows) {
    if (!waiting) { return "idle"; }
    if (!openWindows) { return "closed"; }
    return waiting >= HALL_BUSY_QUEUE || waiting / openWindows >= HALL_BUSY_PER_WINDOW ? "busy" : "normal";
  }

  // ---- CAP alert areas ----
  var SEVERITY_COLOR = {Extreme: "#ef4444", Severe: "#f97316", Moderate: "#eab308", Minor: "#3b82f6", Unknown: "#94a3b8"};
  var SEVERITY_RANK = {Unknown: 0, Minor: 1, Moderate: 2, Severe: 3, Extreme: 4};

  function severityColor(severity) { return SEVERITY_COLOR[severity] || SEVERITY_COLOR.Unknown; }

  /** Tell whether an alert is still in force at now (unix s, the server-corrected clock). */
  function alertActive(alert, now) { return typeof alert.expires !== "number" || alert.expires > now; }

  function feature(type, coordinates, props) {
    return {type: "Feature", geometry: {type: type, coordinates: coordinates}, properties: props};
  }

  /** Return one feature per area of an alert: a polygon ([[lat, lon], ...]) or a circle (a point with radius_m). */
  function alertAreas(alert) {
    var props = {kind: "alert", id: alert.id, event: alert.event, event_en: alert.event_en, severity: alert.severity in SEVERITY_RANK ? alert.severity : "Unknown",
                 headline: alert.headline || "", expires: alert.expires};
    return (alert.areas || []).map(function (area, i) {
      var p = Object.assign({}, props, {id: alert.id + "#" + i, alert: alert.id});
      if (area.circle) { return feature("Point", [area.circle.lon, area.circle.lat], Object.assign(p, {radius_m: area.circle.radius_km * 1000})); }
      var ring = (area.polygon || []).map(function (ll) { return [ll[1], ll[0]]; });
      if (ring.length < 3) { return null; }
      var a = ring[0], z = ring[ring.length - 1];
      if (a[0] !== z[0] || a[1] !== z[1]) { ring.push(a); }
      return feature("Polygon", [ring], p);
    }).filter(Boolean);
  }

  /** Return the areas of the alerts in force at now, the most severe last (drawn on top). */
  function alertFeatures(alerts, now) {
    var live = alerts.filter(function (a) { return alertActive(a, now); });
    live.sort(function (a, b) { return (SEVERITY_RANK[a.severity] || 0) - (SEVERITY_RANK[b.severity] || 0) || (a.id < b.id ? -1 : 1); });
    return {type: "FeatureCollection", features: [].concat.apply([], live.map(alertAreas))};
  }

  var api = {wgs84ToGcj02: wgs84ToGcj02, toTiles: toTiles, outOfChina: outOfChina, countClass: countClass, countLegend: countLegend, shade: shade,
             rateFill: rateFill, stationLevel: stationLevel, hallSize: hallSize, hallLoad: hallLoad,
             severityColor: severityColor, alertActive: alertActive, alertFeatures: alertFeatures,
             STATION_COLOR: STATION_COLOR, SEVERITY_RANK: SEVERITY_RANK, NO_DATA_FILL: NO_DATA_FILL};
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  if (typeof window === "undefined") { return; }
  window.onemap = window.onemap || {};
  window.onemap.layers = Object.assign(window.onemap.layers || {}, api);
})();

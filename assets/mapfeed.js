/* window.onemap.mapfeed: the data of every map layer, from window.onemap.live; render() feeds one layered map.
 *
 * render() draws the incidents and teams in place (assets/pointlayer.js) and returns the other layers' data, the
 * outputs of callbacks/maps.py layer_outputs(), by name; each has its own signature, so a tick or delta sends
 * only the layers that changed.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var MEASURES = ["open", "on_time", "none"];
  var INCIDENTS_PANE = "omIncidents", TEAMS_PANE = "omTeams";  // layouts/maps.py OVERLAYS

  function live() { return window.onemap.live; }
  function ui() { return window.onemap.ui; }
  function point(lon, lat, props) { return window.onemap.map.point(lon, lat, props); }
  function collection(features) { return {type: "FeatureCollection", features: features}; }

  /** Return the entities of a kind in a township (every one when township is empty: the district's map). */
  function inTown(kind, township) {
    return live().all(kind).filter(function (x) { return !township || x.township === township; });
  }

  /** Tell whether a township room has an incident: in its area or ordered to it (as web/views.py visible). */
  function roomHas(inc, township) { return inc.township === township || !!(inc.order && inc.order.township === township); }

  /** Return the hydrology stations (of a township, when given) as GeoJSON. */
  function stations(township) {
    return collection(inTown("station", township).map(function (s) {
      return point(s.lon, s.lat, {kind: "station", id: s.id, name: ui().entityName(s), level: s.level,
        warning_level: s.warning_level, guarantee_level: s.guarantee_level, state: s.state});
    }));
  }

  /** Return the service halls (of a township, when given) as GeoJSON. */
  function halls(township) {
    return collection(inTown("hall", township).map(function (x) {
      return point(x.lon, x.lat, {kind: "hall", id: x.id, name: ui().entityName(x), waiting: x.waiting,
        open_windows: x.open_windows, windows: x.windows});
    }));
  }

  /** Return a team as a GeoJSON point, or null when it has no place: where its phone last was until the server's
   *  stale_at, then at its base, marked stale (domain/positions.py); one that shares no position at its base. */
  function teamPoint(x, now) {
    if (typeof x.lon !== "number" || typeof x.lat !== "number") { return null; }
    var f = x.fix, fresh = !!f && now < x.stale_at, at = fresh ? f : x;
    return point(at.lon, at.lat, {kind: "team", id: x.id, name: ui().entityName(x), team_kind: x.team_kind, busy: !!x.busy_with,
      fix: f ? (fresh ? "live" : "stale") : "none", fix_at: f ? f.at : null, accuracy_m: f ? f.accuracy_m : null});
  }

  /** Return the areas of the CAP alerts in force now (expired ones disappear at the next render). */
  function alerts(now) { return window.onemap.layers.alertFeatures(live().all("alert"), now); }

  /** Return {township id: value} of a measure: open incidents, or today's on-time rate. */
  function townValues(measure) {
    var values = {}, k = live().get("kpi", "today"), rows = (k && k.townships) || [];
    if (measure === "on_time") {
      rows.forEach(function (r) { values[r.id] = r.on_time_rate; });
      return values;
    }
    rows.forEach(function (r) { values[r.id] = 0; });
    live().all("incident").forEach(function (i) { if (i.township) { values[i.township] = (values[i.township] || 0) + 1; } });
    return values;
  }

  /** Return the measure a layer control's base layer names ("open" | "on_time" | "none"). */
  function measureOf(baseLayer, fallback) {
    var found = MEASURES.filter(function (m) { return ui().t("layer.shade." + m) === baseLayer; })[0];
    return found || fallback || "open";
  }

  function shadeLegend(measure, sh) {
    var h = ui().h;
    if (measure === "none") { return []; }
    return [h("Div", {className: "om-shade-title"}, ui().t("map.shade." + measure))].concat(sh.legend.map(function (c, i) {
      return h("Span", {className: "om-shade-item", key: String(i)}, [
        h("I", {className: "om-shade-key", style: {background: c.fill}}), c.label === null ? ui().t("map.no_data") : c.label]);
    }));
  }

  /** Return the boundaries' hideout and the shading legend for a measure. */
  function shading(key, measure, hideout) {
    var values = measure === "none" ? {} : townValues(measure), sh = window.onemap.layers.shade(measure, values, ui().pct);
    var next = Object.assign({}, hideout || {}, {measure: measure, fills: sh.fills, labels: measure === "none" ? {} : sh.labels});
    var sig = JSON.stringify([measure, sh.fills, sh.labels]);
    return [ui().unlessSame(key + ".shade", sig, function () { return next; }),
            ui().unlessSame(key + ".legend", sig, function () { return shadeLegend(measure, sh); })];
  }

  function same(key, slot, value, sig) {
    return ui().unlessSame(key + "." + slot, sig === undefined ? JSON.stringify(value) : sig, function () { return value; });
  }

  /** Draw a layered map's live layers; return [stations, halls, alerts, boundary hideout, legend, recurring] by name.
   *  Incidents and teams are drawn in place (assets/pointlayer.js), not handed to Dash: opts.map is the map's element id.
   *  opts.township: a township room's map, which shows that township's incidents, teams, gauges and halls only. */
  function render(key, now, opts) {
    opts = opts || {};
    var town = opts.township, hideout = opts.hideout || {}, points = window.onemap.points;
    var shown = {township: town, crs: hideout.crs, lang: hideout.lang};
    points.show(opts.map, "incident", INCIDENTS_PANE, shown, now);
    points.show(opts.map, "team", TEAMS_PANE, shown, now);
    var shade = shading(key, measureOf(opts.baseLayer, hideout.measure), hideout);
    return {stations: same(key, "stations", stations(town)), halls: same(key, "halls", halls(town)),
            alerts: same(key, "alerts", alerts(now)), shading: shade[0], legend: shade[1],
            recurring: same(key, "recurring", window.onemap.recurring.features(town))};
  }

  window.onemap.mapfeed = {stations: stations, halls: halls, teamPoint: teamPoint, roomHas: roomHas, alerts: alerts,
                           townValues: townValues, measureOf: measureOf, render: render};
})();

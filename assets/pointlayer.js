/* window.onemap.points: a map's incidents and teams, drawn in place through Leaflet's own API.
 *
 * dash-leaflet's GeoJSON replaces every feature when its data changes, so one new incident redrew all 10,000.
 * Here each map's incidents and teams are a keyed set of Leaflet markers. A delta (live.subscribe) adds, moves or
 * restyles only the markers it touches, in the next animation frame; the tick (mapfeed.render, every second)
 * restyles those whose SLA state or fix went out of date; a snapshot (start, resync, replay) redraws everything,
 * and so do a zoom and a resize (positions and sizes are in screen pixels). Past CLUSTER_AT incidents they are
 * clustered (assets/clusters.js), in arrival order, so a new one changes one marker. The set's empty dash-leaflet
 * GeoJSON stays in the layer control as its anchor: the markers are on the map exactly while it is.
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var CLUSTER_AT = 300;          // more incidents than this on one map: cluster them
  var CLUSTER_RADIUS_PX = 40;    // on screen at 1080p (supercluster's 80 on 512-px tiles, as before); grows with markers
  var ZOOM_IN_STEPS = 2;         // a cluster clicked on a map people move: zoom in this much around it
  var maps = [];                 // every Leaflet map of the page: a container does not lead to its map
  var sets = [];                 // the keyed sets drawn now

  if (window.L && window.L.Map) { window.L.Map.addInitHook(function () { maps.push(this); }); }

  function L_() { return window.L; }
  function live() { return window.onemap.live; }
  function m() { return window.onemap.map; }
  function onPage(map) { return !!map._container && document.body.contains(map._container); }

  /** Return the map drawn in the element of this id, or null. */
  function mapOf(id) {
    maps = maps.filter(onPage);
    return maps.filter(function (x) { return x._container.id === id; })[0] || null;
  }

  /** Return the layer of a pane that holds the set in the layer control (a dash-leaflet GeoJSON left empty). */
  function anchorOf(map, pane) {
    var found = null;
    map.eachLayer(function (l) { if (!found && l instanceof L_().GeoJSON && l.options.pane === pane) { found = l; } });
    return found;
  }

  /** Return what each kind draws: the feature of an entity (null: not on this map), the signature of its marker's look
   *  (a change rebuilds the icon or style) and of its hover tip's words (a change rewrites the tip only). */
  var KINDS = {
    incident: {
      feature: function (inc, now, o) {
        if (o.township && !window.onemap.mapfeed.roomHas(inc, o.township)) { return null; }
        if (typeof inc.lon !== "number" || typeof inc.lat !== "number") { return null; }  // no place: not on the map
        var status = window.onemap.sla.status(inc, now);
        return {id: inc.id, lon: inc.lon, lat: inc.lat, rank: m().STATUS_RANK[status], status: status,
                props: {kind: "incident", id: inc.id, category: inc.category, address: inc.address, priority: inc.priority, status: status,
                        selected: inc.id === o.selected}};
      },
      look: function (p) { return [p.status, p.priority, p.selected].join("|"); },
      tip: function (p) { return [p.category, p.address, p.status].join("|"); }
    },
    team: {
      feature: function (x, now, o) {
        if (o.township && x.township !== o.township) { return null; }
        var f = window.onemap.mapfeed.teamPoint(x, now);
        return f && {id: x.id, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], rank: 0, props: f.properties};
      },
      // A moving team's every fix changes its tip (time, accuracy), not its icon: 20 fixes a second rebuilt 20 icons.
      look: function (p) { return [p.busy, p.fix].join("|"); },
      tip: function (p) { return [p.name, p.team_kind, p.busy, p.fix, p.fix_at, p.accuracy_m].join("|"); }
    }
  };

  /** Make the keyed set of one kind on a map, drawn into pane while the pane's anchor layer is on the map. */
  function KeyedSet(map, kind, pane, anchor) {
    var self = this;
    Object.assign(this, {map: map, kind: kind, spec: KINDS[kind], pane: pane, anchor: anchor, group: L_().layerGroup(),
                         feats: new Map(), drawn: new Map(), dirty: new Set(), whole: true, frame: 0, opts: {}, ticks: 0});
    anchor.on("add", function () { map.addLayer(self.group); });
    anchor.on("remove", function () { map.removeLayer(self.group); });
    if (map.hasLayer(anchor)) { map.addLayer(this.group); }
    map.on("zoomend resize", function () { self.redraw(); });
    this.stop = live().subscribe(function (change) { self.onChange(change); });
  }

  KeyedSet.prototype.onChange = function (change) {
    if (!onPage(this.map)) { this.close(); return; }
    if (change.snapshot) {
      this.whole = true;
    } else {
      var kind = this.kind, dirty = this.dirty;
      change.upsert.concat(change.remove).forEach(function (e) { if (e.kind === kind) { dirty.add(e.id); } });
      if (!dirty.size) { return; }
    }
    this.schedule();
  };

  KeyedSet.prototype.schedule = function () {
    var self = this;
    if (!this.frame) { this.frame = window.requestAnimationFrame(function () { self.frame = 0; self.flush(live().now()); }); }
  };

  KeyedSet.prototype.close = function () {
    this.stop();
    if (this.frame) { window.cancelAnimationFrame(this.frame); }
    sets = sets.filter(function (s) { return s !== this; }, this);
  };

  /** Return an entity's feature on this map now, with its place in the tiles' system and on the Mercator square. */
  KeyedSet.prototype.featureOf = function (entity, now) {
    var f = entity && this.spec.feature(entity, now, this.opts);
    if (!f) { return null; }
    var was = this.feats.get(f.id), looks = {look: this.spec.look(f.props), tip: this.spec.tip(f.props)};
    if (was && was.lon === f.lon && was.lat === f.lat) { return Object.assign(f, {ll: was.ll, x: was.x, y: was.y}, looks); }
    var ll = m().coordsToLatLng([f.lon, f.lat], {hideout: {crs: this.opts.crs}}), c = window.onemap.clusters;  // shifted once
    return Object.assign(f, {ll: ll, x: c.mercX(ll.lng), y: c.mercY(ll.lat)}, looks);
  };

  /** Bring the set up to date: the entities a delta touched, or every one after a snapshot; then draw what changed. */
  KeyedSet.prototype.flush = function (now) {
    var self = this;
    if (this.whole) {
      this.whole = false;
      this.dirty.clear();
      this.feats = new Map();
      live().all(this.kind).forEach(function (e) { var f = self.featureOf(e, now); if (f) { self.feats.set(e.id, f); } });
      this.redraw();
      return;
    }
    if (!this.dirty.size) { return; }
    this.dirty.forEach(function (id) {
      var f = self.featureOf(live().get(self.kind, id), now);
      if (f) { self.feats.set(id, f); } else { self.feats.delete(id); }  // a new one joins at the end: arrival order
    });
    this.dirty.clear();
    this.draw(false);
  };

  /** Recompute every feature at now (SLA states and fixes go out of date with time) from every entity of the kind,
   *  so the set also heals from any change it was not told of; draw if anything changed. */
  KeyedSet.prototype.tick = function (now) {
    this.ticks += 1;  // a test waits for ticks to know what time alone would have changed is drawn
    if (this.whole) { this.flush(now); return; }
    var self = this, changed = false, seen = new Set();
    live().all(this.kind).forEach(function (e) {
      var f = self.feats.get(e.id), g = self.featureOf(e, now);
      if (!g) { if (f) { self.feats.delete(e.id); changed = true; } return; }
      seen.add(e.id);
      if (!f || g.look !== f.look || g.tip !== f.tip || g.x !== f.x || g.y !== f.y) { self.feats.set(e.id, g); changed = true; }
    });
    this.feats.forEach(function (f, id) { if (!seen.has(id)) { self.feats.delete(id); changed = true; } });
    if (changed) { this.draw(false); }
  };

  /** Remove every marker and draw them all again (a snapshot, a zoom, a resize: sizes follow the screen). */
  KeyedSet.prototype.redraw = function () {
    this.group.clearLayers();
    this.drawn.clear();
    this.draw(true);
  };

  /** Return what to draw: one item per feature, or per cluster past CLUSTER_AT incidents; each {key, ll, look, ...}. */
  KeyedSet.prototype.items = function () {
    var feats = Array.from(this.feats.values()), byId = this.feats, c = window.onemap.clusters;
    var one = function (f) { return {key: "p:" + f.id, ll: f.ll, look: f.look, tip: f.tip, rank: f.rank, feature: f}; };
    if (this.kind !== "incident" || feats.length <= CLUSTER_AT) { return feats.map(one); }
    var chosen = feats.filter(function (f) { return f.props.selected; });  // the console's selection: never hidden in a cluster
    var rest = chosen.length ? feats.filter(function (f) { return !f.props.selected; }) : feats;
    return c.group(rest, this.map.getZoom(), CLUSTER_RADIUS_PX * m().scale()).map(function (g) {
      if (g.ids.length === 1) { return one(byId.get(g.seed)); }
      return {key: g.key, ll: L_().latLng(c.latOf(g.y), (g.x - 0.5) * 360), look: g.ids.length + "|" + g.worst, rank: g.rank, group: g};
    }).concat(chosen.map(one));
  };

  /** Build the marker of an item (a dot, a team, a cluster), with its hover tip. */
  KeyedSet.prototype.build = function (item) {
    var ctx = {pane: this.pane, map: this.map, hideout: {crs: this.opts.crs, lang: this.opts.lang}}, map = this.map;
    if (item.group) {
      var marker = m().clusterMarker(item.group, item.ll, ctx);
      marker.on("click", function () {
        if (map.dragging && map.dragging.enabled()) { map.setView(marker.getLatLng(), map.getZoom() + ZOOM_IN_STEPS); }
      });
      return marker;
    }
    var feature = {type: "Feature", geometry: {type: "Point", coordinates: [item.feature.lon, item.feature.lat]}, properties: item.feature.props};
    var layer = m().pointToLayer(feature, item.ll, ctx);
    layer.feature = feature;  // as Leaflet's GeoJSON layers carry it: what the marker shows, for tests and the console
    m().pointTooltip(feature, layer, ctx);
    return layer;
  };

  /** Draw the items: new ones added, moved ones moved, changed ones restyled, gone ones removed; the rest untouched.
   *  all: nothing is drawn yet (draw the worst last, on top). */
  KeyedSet.prototype.draw = function (all) {
    var self = this, seen = new Set(), added = 0, items = this.items();
    if (all) { items.sort(function (a, b) { return a.rank - b.rank; }); }
    items.forEach(function (item) {
      seen.add(item.key);
      var d = self.drawn.get(item.key);
      if (!d) {
        var layer = self.build(item);
        self.group.addLayer(layer);
        self.drawn.set(item.key, {layer: layer, ll: item.ll, look: item.look, tip: item.tip, rank: item.rank});
        added += 1;
        return;
      }
      if (!d.ll.equals(item.ll, 0)) { d.layer.setLatLng(item.ll); d.ll = item.ll; }
      if (d.look !== item.look) {
        var fresh = self.build(item);
        m().restyle(d.layer, fresh);
        d.layer.feature = fresh.feature;
        var selected = item.feature && item.feature.props.selected;
        if ((item.rank > d.rank || selected) && d.layer.bringToFront) { d.layer.bringToFront(); }  // worse, or chosen: on top
        d.look = item.look;
        d.rank = item.rank;
      }
      if (item.feature && d.tip !== item.tip) {  // its words (a team's fix: time, accuracy), restyled or not
        d.layer.feature.properties = item.feature.props;
        if (d.layer.getTooltip()) { d.layer.setTooltipContent(m().tipText(item.feature.props)); }
      }
      d.tip = item.tip;
    });
    var removed = 0;
    this.drawn.forEach(function (d, key) {
      if (!seen.has(key)) { self.group.removeLayer(d.layer); self.drawn.delete(key); removed += 1; }
    });
    if (added || removed || all) { this.map.fire("omdrawn", {kind: this.kind}); }
    this.drawnAt = window.performance.now();
  };

  /** Show a kind's entities on the map of this element id, in pane; opts {township, crs, lang, selected}; called
   *  every tick and whenever the opts change. */
  function show(mapId, kind, pane, opts, now) {
    var map = mapOf(mapId);
    if (!map) { return null; }
    sets.filter(function (s) { return !onPage(s.map); }).forEach(function (s) { s.close(); });
    var set = sets.filter(function (s) { return s.map === map && s.kind === kind; })[0];
    if (!set) {
      var anchor = anchorOf(map, pane);
      if (!anchor) { return null; }  // its overlay is off at start: the next tick tries again
      set = new KeyedSet(map, kind, pane, anchor);
      sets.push(set);
    }
    var o = {township: opts.township || null, crs: opts.crs || "wgs84", lang: opts.lang || null, selected: opts.selected || null};
    if (o.township !== set.opts.township || o.crs !== set.opts.crs || o.lang !== set.opts.lang) { set.whole = true; }
    set.opts = o;  // a new selection restyles two dots at this tick, no more
    set.tick(now);
    return set;
  }

  /** Return the set of a kind on the map of this element id (tests and benchmarks read its markers). */
  function setOf(mapId, kind) {
    var map = mapOf(mapId);
    return sets.filter(function (s) { return s.map === map && s.kind === kind; })[0] || null;
  }

  window.onemap.points = {CLUSTER_AT: CLUSTER_AT, show: show, setOf: setOf};
})();

/* window.onemap.clusters: the incidents grouped for a crowded map, one level at the map's own zoom.
 *
 * Greedy radius clustering (supercluster's rule at one zoom): points are taken in the order given (the order
 * they first arrived), and each point not yet taken seeds a cluster of every untaken point within the radius
 * of it, in screen pixels. Taken in arrival order, a new point is either claimed by the first cluster whose seed
 * is near it or stands alone, so a new incident changes one marker and the map redraws only that one
 * (assets/pointlayer.js). A cluster is keyed by its seed, so it keeps its key while it grows. Pure: node runs it.
 */
(function () {
  "use strict";
  var TILE_PX = 256;

  /** Return the x of a longitude on the Web Mercator square, 0..1 (as Leaflet's EPSG:3857 at zoom 0 / 256). */
  function mercX(lon) { return lon / 360 + 0.5; }

  /** Return the y of a latitude on the Web Mercator square, 0..1 (north is 0). */
  function mercY(lat) {
    var s = Math.sin(lat * Math.PI / 180), y = 0.5 - 0.25 * Math.log((1 + s) / (1 - s)) / Math.PI;
    return y < 0 ? 0 : y > 1 ? 1 : y;
  }

  /** Return the latitude of a Web Mercator y (the inverse of mercY). */
  function latOf(y) { return (360 * Math.atan(Math.exp((1 - 2 * y) * Math.PI))) / Math.PI - 90; }

  /** Return a cluster's count as drawn: 1234 -> "1.2k", 12345 -> "12k" (supercluster's abbreviation). */
  function abbreviate(n) { return n >= 10000 ? Math.round(n / 1000) + "k" : n >= 1000 ? Math.round(n / 100) / 10 + "k" : String(n); }

  /** Group points [{id, x, y, rank, status}] (x, y from mercX/mercY) at zoom, radiusPx apart on screen.
   *  Return [{key, seed, ids, x, y, rank, worst}]: x, y the members' mean, rank the highest and worst its status
   *  (the first such member's); a lone point is its own group. */
  function group(points, zoom, radiusPx) {
    var scale = TILE_PX * Math.pow(2, zoom), cell = Math.max(1, radiusPx), r2 = radiusPx * radiusPx;
    var n = points.length, px = new Float64Array(n), py = new Float64Array(n), taken = new Uint8Array(n), grid = new Map();
    for (var i = 0; i < n; i += 1) {
      px[i] = points[i].x * scale;
      py[i] = points[i].y * scale;
      var k = Math.floor(px[i] / cell) + ":" + Math.floor(py[i] / cell), bucket = grid.get(k);
      if (bucket) { bucket.push(i); } else { grid.set(k, [i]); }
    }
    var out = [];
    for (var s = 0; s < n; s += 1) {
      if (taken[s]) { continue; }
      taken[s] = 1;
      var members = [s], cx = Math.floor(px[s] / cell), cy = Math.floor(py[s] / cell);
      for (var dx = -1; dx <= 1; dx += 1) {
        for (var dy = -1; dy <= 1; dy += 1) {
          var near = grid.get((cx + dx) + ":" + (cy + dy)) || [];
          for (var j = 0; j < near.length; j += 1) {
            var m = near[j], ex = px[m] - px[s], ey = py[m] - py[s];
            if (!taken[m] && ex * ex + ey * ey <= r2) { taken[m] = 1; members.push(m); }
          }
        }
      }
      out.push(summary(points, members));
    }
    return out;
  }

  function summary(points, members) {
    var seed = points[members[0]], x = 0, y = 0, rank = -Infinity, worst = null, ids = [];
    members.forEach(function (m) {
      var p = points[m];
      x += p.x;
      y += p.y;
      if ((p.rank || 0) > rank) { rank = p.rank || 0; worst = p.status; }
      ids.push(p.id);
    });
    return {key: (members.length > 1 ? "c:" : "p:") + seed.id, seed: seed.id, ids: ids, x: x / members.length, y: y / members.length,
            rank: rank, worst: worst};
  }

  var api = {mercX: mercX, mercY: mercY, latOf: latOf, abbreviate: abbreviate, group: group, TILE_PX: TILE_PX};
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  if (typeof window === "undefined") { return; }
  window.onemap = window.onemap || {};
  window.onemap.clusters = api;
})();

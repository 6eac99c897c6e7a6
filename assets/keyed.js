/* window.onemap.keyed: live lists drawn into their own element, one DOM node per entity id, kept across updates.
 *
 * Dash 4 remounts every child of a children prop a callback sets (each gets a fresh _newRender), even with
 * stable ids, so focus, hover and the node under a click were lost on every delta. These lists are built
 * with ui.h() as before and reconciled here by key: an unchanged row is not touched, a changed one is
 * patched in place, rows are moved, never rebuilt. An element without children in its description
 * (a countdown) keeps what assets/sla.js writes into it.
 * A row's button relays its click to a dcc.Store (data-relay) whose server callback acts (callbacks/guard.py).
 */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  var ATTR = {className: "class", tabIndex: "tabindex", htmlFor: "for"};
  var SKIP = {children: 1, key: 1, n_clicks: 1};
  var RETRY_FRAMES = 120;  // a host not mounted yet (the page is being laid out): try again for about 2 s

  function isNode(v) { return v !== null && v !== undefined && v !== false && v !== ""; }

  /** Return a description's attributes as {name: text}: what the element must carry. */
  function attrsOf(v) {
    var out = {}, p = v.props || {};
    Object.keys(p).forEach(function (k) {
      var val = p[k];
      if (SKIP[k] || val === null || val === undefined || val === false || typeof val === "object") { return; }
      out[ATTR[k] || k] = val === true ? "" : String(val);
    });
    return out;
  }

  /** Return a description's children as a list, or null when it leaves them to others (undefined). */
  function childrenOf(v) {
    var c = (v.props || {}).children;
    if (c === undefined) { return null; }
    return (Array.isArray(c) ? c : [c]).filter(isNode);
  }

  function tagOf(v) { return typeof v === "object" ? String(v.type).toLowerCase() : "#text"; }

  function keyOf(v, i) {
    var k = typeof v === "object" && v.props ? v.props.key : undefined;
    return k !== undefined && k !== null ? "k:" + k : "i:" + i + ":" + tagOf(v);
  }

  function create(v) {
    if (typeof v !== "object") { return document.createTextNode(String(v)); }
    var el = document.createElement(tagOf(v)), a = attrsOf(v);
    Object.keys(a).forEach(function (k) { el.setAttribute(k, a[k]); });
    el.__omVnode = v;
    (childrenOf(v) || []).forEach(function (c, i) {
      var child = create(c);
      child.__omKey = keyOf(c, i);  // as reconcile() would key it, so the first patch finds it
      el.appendChild(child);
    });
    return el;
  }

  /** Bring a node to a description: in place when the tag is the same, else a new node (the caller swaps it). */
  function patch(node, v) {
    if (typeof v !== "object") {
      if (node.nodeType !== 3) { return create(v); }
      if (node.data !== String(v)) { node.data = String(v); }
      return node;
    }
    if (node.nodeType !== 1 || node.tagName.toLowerCase() !== tagOf(v) || !node.__omVnode) { return create(v); }
    // Compared with what was last rendered, not with the DOM: classes the ticker toggles (om-overdue) stay.
    var before = attrsOf(node.__omVnode), after = attrsOf(v);
    Object.keys(before).forEach(function (k) { if (!(k in after)) { node.removeAttribute(k); } });
    Object.keys(after).forEach(function (k) { if (before[k] !== after[k]) { node.setAttribute(k, after[k]); } });
    var kids = childrenOf(v);
    if (kids !== null) { reconcile(node, kids, false); }
    node.__omVnode = v;
    return node;
  }

  /** Make parent's children the described ones, matched by key (else by position and tag), moving as few as it can. */
  function reconcile(parent, descs, rows) {
    var old = {};
    Array.prototype.slice.call(parent.childNodes).forEach(function (n) {
      if (n.__omKey === undefined || old[n.__omKey]) { parent.removeChild(n); } else { old[n.__omKey] = n; }
    });
    var nodes = descs.map(function (v, i) {
      var k = keyOf(v, i), n = old[k], json = rows ? JSON.stringify(v) : null, out;
      delete old[k];
      if (n && rows && n.__omJson === json) { return n; }  // an unchanged row: not touched at all
      out = n ? patch(n, v) : create(v);
      if (n && out !== n) { parent.replaceChild(out, n); }
      out.__omKey = k;
      if (rows) { out.__omJson = json; }
      return out;
    });
    Object.keys(old).forEach(function (k) { parent.removeChild(old[k]); });
    for (var i = nodes.length - 1, next = null; i >= 0; next = nodes[i], i--) {
      if (nodes[i].parentNode !== parent || nodes[i].nextSibling !== next) { parent.insertBefore(nodes[i], next); }
    }
  }

  var wanted = {};    // host id -> the rows last asked for
  var retrying = {};  // host id -> true while its element is awaited (a page still being laid out)

  function flush(hostId, frames) {
    var host = document.getElementById(hostId);
    if (!host) {
      retrying[hostId] = frames > 0;
      if (frames > 0) { window.requestAnimationFrame(function () { flush(hostId, frames - 1); }); }
      return;
    }
    retrying[hostId] = false;
    var focused = document.activeElement, inside = focused && focused !== host && host.contains(focused);
    reconcile(host, wanted[hostId], true);
    // A focused row that had to move lost the focus on the way: give it back.
    if (inside && focused.isConnected && document.activeElement !== focused) { focused.focus({preventScroll: true}); }
    if (window.onemap.sla) { window.onemap.sla.tickSoon(); }
  }

  /** Draw rows (ui.h descriptions, each with props.key = its entity id) into the element hostId; empty when none. */
  function render(hostId, rows, empty) {
    var list = rows.filter(isNode);
    if (!list.length && empty) { empty.props.key = "__empty"; list = [empty]; }
    wanted[hostId] = list;
    if (!retrying[hostId]) { flush(hostId, RETRY_FRAMES); }
  }

  var clicks = 0;  // every click is a new value of its store, so a second click acts again (the server dedupes)

  /** Relay a row button's click: its data-* fields (but data-relay) and a click number to the store data-relay names. */
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("button[data-relay]");
    if (!btn || btn.disabled || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    var data = Object.assign({}, btn.dataset, {n: ++clicks});
    delete data.relay;
    window.dash_clientside.set_props(btn.getAttribute("data-relay"), {data: data});
  });

  window.onemap.keyed = {render: render};
})();

/* window.onemap.ui: the browser's catalog (window.onemapI18n) and helpers to build Dash components. */
(function () {
  "use strict";
  window.onemap = window.onemap || {};
  window.onemapI18n = window.onemapI18n || {};

  var NS = {
    Div: "dash_html_components", Span: "dash_html_components", Button: "dash_html_components",
    B: "dash_html_components", Small: "dash_html_components", I: "dash_html_components"
  };

  /** Take the catalog of the page's language (from the I18N store); return its language. */
  function setCatalog(data) {
    if (data && data.strings) { window.onemapI18n = data.strings; window.onemapLang = data.lang; }
    if (data && typeof data.utc_offset_h === "number") { utcOffsetH = data.utc_offset_h; }
    return window.onemapLang || "zh";
  }

  // The district's time zone, sent by the server with the catalog (District.utc_offset_h, ONEMAP_TIMEZONE): every
  // clock on every screen shows it. Until the page's catalog arrives, UTC (nothing is drawn before it).
  var utcOffsetH = 0;

  /** Return the district's wall-clock fields of a unix time, whatever the browser's own time zone. */
  function districtTime(at) {
    var d = new Date((at + utcOffsetH * 3600) * 1000);
    return {y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(),
            mi: d.getUTCMinutes(), s: d.getUTCSeconds()};
  }

  /** Return a catalog string with {params} filled in; the key itself when unknown. */
  function t(key, params) {
    var text = window.onemapI18n[key];
    if (text === undefined) { return key; }
    if (params) {
      text = text.replace(/\{(\w+)\}/g, function (m, k) { return params[k] !== undefined ? params[k] : m; });
    }
    return text;
  }

  function lang() { return window.onemapLang || "zh"; }

  /** Return a Dash component as JSON: h("Div", {className: "x"}, [children]). */
  function h(type, props, children) {
    var p = Object.assign({}, props || {});
    if (children !== undefined) { p.children = children; }
    return {type: type, namespace: NS[type] || "dash_html_components", props: p};
  }

  /** Return a rate (0..1 or null) as a percentage text. */
  function pct(rate) { return rate === null || rate === undefined ? "—" : (rate * 100).toFixed(1) + "%"; }

  function num(n) { return n === null || n === undefined ? "—" : String(n); }

  function township(id) { return id ? t("township." + id) : "—"; }

  function teamName(order) { return order ? (lang() === "en" ? order.team_en : order.team_zh) : "—"; }

  function entityName(e) { return lang() === "en" ? e.name_en : e.name_zh; }

  /** Return the tag saying how an order's on-site step was proven (the server's order.proof), or null before it. */
  function proofTag(order) {
    if (!order || !order.proof) { return null; }
    return h("Span", {className: "om-proof om-proof-" + order.proof, "data-proof": order.proof}, t("proof." + order.proof));
  }

  var memo = {};
  /** Return value, or no_update when its signature equals the last one rendered for this slot. */
  function unlessSame(slot, signature, build) {
    signature = lang() + "@" + signature;  // the same data in another language is another rendering
    if (memo[slot] === signature) { return window.dash_clientside.no_update; }
    memo[slot] = signature;
    var out = build();
    if (window.onemap.sla) { window.onemap.sla.tickSoon(); }
    return out;
  }

  /** Forget remembered signatures (a new page mounted: its outputs start empty). */
  function reset() { memo = {}; }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** Return a unix time as hh:mm:ss in the district's time. */
  function hhmmss(at) {
    var d = districtTime(at);
    return pad(d.h) + ":" + pad(d.mi) + ":" + pad(d.s);
  }

  /** Return a unix time as YYYY-MM-DD hh:mm:ss in the district's time. */
  function dateTime(at) {
    var d = districtTime(at);
    return d.y + "-" + pad(d.mo) + "-" + pad(d.d) + " " + hhmmss(at);
  }

  /** Return a fresh command id (a UUID; crypto.randomUUID needs https, getRandomValues does not). */
  function commandId() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") { return c.randomUUID(); }
    var b = new Uint8Array(16);
    c.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x < 16 ? "0" : "") + x.toString(16); }).join("");
  }

  function setProps(id, props) {
    if (window.dash_clientside && window.dash_clientside.set_props) { window.dash_clientside.set_props(id, props); }
  }

  /** Show or hide a dialog (layouts/common.py dialog). */
  function showDialog(id, show) { setProps(id, {hidden: !show}); }

  /** Return the id of the open dialog, or null. */
  function openDialog() {
    var el = document.querySelector(".om-dialog-backdrop:not([hidden])");
    return el ? el.id : null;
  }

  /** Tell whether a key event belongs to typing (an input, a text area, a select, an editable element). */
  function typing(ev) {
    var el = ev.target;
    if (!el || !el.tagName) { return false; }
    return /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable;
  }

  /** Write times of day into server-rendered [data-at] elements, on this screen's clock like the title bar's. */
  function fillTimes(root) {
    (root || document).querySelectorAll("[data-at]").forEach(function (el) {
      var text = hhmmss(parseFloat(el.getAttribute("data-at")));
      if (el.textContent !== text) { el.textContent = text; }
    });
  }
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var added = records[i].addedNodes;
      for (var j = 0; j < added.length; j++) {
        var n = added[j];
        if (n.nodeType === 1 && (n.hasAttribute("data-at") || n.querySelector("[data-at]"))) { fillTimes(); return; }
      }
    }
  }).observe(document.documentElement, {childList: true, subtree: true});

  // Buttons marked data-close-dialog close their dialog; Esc closes whichever is open.
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest && ev.target.closest("[data-close-dialog]");
    if (el) { showDialog(el.getAttribute("data-close-dialog"), false); }
  });
  document.addEventListener("keydown", function (ev) {
    var open = openDialog();
    if (ev.key === "Escape" && open) { showDialog(open, false); }
  });

  window.onemap.ui = {setCatalog: setCatalog, t: t, lang: lang, h: h, pct: pct, num: num, township: township,
                      teamName: teamName, entityName: entityName, proofTag: proofTag, unlessSame: unlessSame, reset: reset,
                      hhmmss: hhmmss, dateTime: dateTime, districtTime: districtTime, commandId: commandId, setProps: setProps, showDialog: showDialog,
                      openDialog: openDialog, typing: typing};
})();

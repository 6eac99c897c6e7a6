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
    return window.onemapLang || "zh";
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

  window.onemap.ui = {setCatalog: setCatalog, t: t, lang: lang, h: h, pct: pct, num: num, township: township,
                      teamName: teamName, entityName: entityName, unlessSame: unlessSame, reset: reset};
})();

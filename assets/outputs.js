/* window.onemap.outputs: a clientside renderer returns {name: value}; Dash wants the values in its outputs' order.
 *
 * callbacks/live.py named() gives the names in that order (from layouts/ids.py); a renderer that leaves one out or
 * returns one Dash does not know fails loudly, never shifting every panel by one.
 */
(function () {
  "use strict";

  /** Return the renderer's values in the order of names; throw when the two disagree on a name. */
  function inOrder(names, values) {
    var missing = names.filter(function (n) { return !Object.prototype.hasOwnProperty.call(values, n); });
    var unknown = Object.keys(values).filter(function (n) { return names.indexOf(n) < 0; });
    if (missing.length || unknown.length) {
      throw new Error("clientside outputs disagree: missing [" + missing.join(", ") +
                      "], unknown [" + unknown.join(", ") + "]");
    }
    return names.map(function (n) { return values[n]; });
  }

  var api = {inOrder: inOrder};
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  if (typeof window !== "undefined") { window.onemap = window.onemap || {}; window.onemap.outputs = api; }
})();

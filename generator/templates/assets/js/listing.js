/* What the listing scripts share (catalog.js, pricing.js, compare.js), as window.modelcat:
 * figures as generator/formats.py writes them, so a row built in the browser reads exactly
 * like the server's (tests/test_browser.py compares the two); api/index.json, fetched once;
 * and the search and filters of the GET form of _model_list.html. */
(function () {
  "use strict";

  function trim(x, decimals) {
    var f = Math.pow(10, decimals);
    var text = (Math.floor(x * f + 0.5) / f).toFixed(decimals);
    return text.indexOf(".") >= 0 ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  }
  function commas(intPart) {
    return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }
  function price(v, free) {
    if (v === null || v === undefined) return "\u2014";
    if (v === 0) return free === undefined ? "$0" : free;
    var text, decimals;
    if (v < 1) {
      text = v.toFixed(6).replace(/0+$/, "");
      decimals = text.split(".")[1].length;
      return "$" + v.toFixed(Math.max(3, decimals));
    }
    text = v.toFixed(4).replace(/0+$/, "").replace(/\.$/, "");
    decimals = text.indexOf(".") >= 0 ? text.split(".")[1].length : 0;
    var parts = v.toFixed(Math.max(2, decimals)).split(".");
    return "$" + commas(parts[0]) + "." + parts[1];
  }
  function tokens(n) {
    if (n === null || n === undefined) return "\u2014";
    if (n >= 1000000) {
      if (n % 1000000 && n % 1048576 === 0) return Math.floor(n / 1048576) + "M";
      return trim(n / 1000000, 1) + "M";
    }
    if (n >= 1000) {
      if (n % 1000 && n % 1024 === 0) return Math.floor(n / 1024) + "K";
      var k = trim(n / 1000, n >= 10000 ? 0 : 1);
      return k === "1000" ? "1M" : k + "K";
    }
    return String(n);
  }
  function count(n) {
    if (n === null || n === undefined) return "\u2014";
    if (n < 1000) return String(n);
    var units = [["K", 1e3], ["M", 1e6], ["B", 1e9], ["T", 1e12]], text = "", unit = "";
    for (var i = 0; i < units.length; i++) {
      unit = units[i][0];
      text = trim(n / units[i][1], 1);
      if (Number(text) < 1000) break;
    }
    return text + unit;
  }
  function number(n) {
    var parts = String(n).split(".");
    return commas(parts[0]) + (parts.length > 1 ? "." + parts[1] : "");
  }
  var ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return ESC[c]; });
  }

  /* api/index.json, fetched once per page and shared: {fields, capabilities, providers,
     collections, models: [[...], ...]} -> a list of plain objects, in the index's order. */
  var loading = null;
  function loadIndex(url) {
    if (!loading) {
      loading = fetch(url).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      }).then(function (doc) {
        var at = {};
        doc.fields.forEach(function (f, i) { at[f] = i; });
        return doc.models.map(function (a, i) {
          var p = doc.providers[a[at.provider]], mask = a[at.caps], caps = [];
          doc.capabilities.forEach(function (c, b) { if (mask & (1 << b)) caps.push(c); });
          return {
            index: i, id: a[at.id], name: a[at.name], provider: p[0], providerName: p[1], family: a[at.family],
            input: a[at.input] ? a[at.input].split(" ") : [], output: a[at.output] ? a[at.output].split(" ") : [],
            caps: caps, priceIn: a[at.price_in], priceOut: a[at.price_out], cachedIn: a[at.cached_in],
            cacheWrite: a[at.cache_write], context: a[at.context], maxOutput: a[at.max_output],
            usage: a[at.usage], released: a[at.released], status: a[at.status], kind: a[at.kind] || "chat",
            tiers: a[at.tiers] || [], variants: a[at.variants] || {},
            collections: a[at.collections].map(function (c) { return doc.collections[c]; }),
            // for search and sort: missing prices last, no usage below any
            search: (a[at.name] + " " + a[at.id] + " " + p[1] + " " + a[at.family]).toLowerCase(),
            sortIn: a[at.price_in] === null ? Infinity : a[at.price_in],
            sortOut: a[at.price_out] === null ? Infinity : a[at.price_out],
            sortUsage: a[at.usage] === null ? -1 : a[at.usage]
          };
        });
      });
      loading.catch(function () { loading = null; });  // a failed fetch may be retried
    }
    return loading;
  }

  /* The filter form: its values by control name, the state they describe, and the test. */
  function values(form, name) {
    var out = [], els = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) out.push(el.value);
      } else if (el.value.trim() !== "") {
        out.push(el.value.trim());
      }
    }
    return out;
  }
  function num(text, missing) {
    if (text === undefined || text === "") return missing;
    var n = Number(text);
    return isNaN(n) ? missing : n;
  }
  function filters(form) {
    function value(name) { return values(form, name)[0] || ""; }
    var maxPrice = num(value("max_price"), Infinity);
    var s = {
      terms: value("q").toLowerCase().split(/\s+/).filter(Boolean),
      provider: value("provider"), input: values(form, "input"), output: values(form, "output"),
      caps: values(form, "cap"), maxPrice: maxPrice < 0 ? Infinity : maxPrice,
      minContext: num(value("min_context"), 0), status: value("status")
    };
    s.none = !s.terms.length && !s.provider && !s.input.length && !s.output.length && !s.caps.length &&
      s.maxPrice === Infinity && !s.minContext && !s.status;
    return s;
  }
  function hasAll(have, want) {
    for (var i = 0; i < want.length; i++) if (have.indexOf(want[i]) < 0) return false;
    return true;
  }
  function matches(r, s) {
    if (s.provider && r.provider !== s.provider) return false;
    if (r.sortIn > s.maxPrice || r.context < s.minContext) return false;
    if (s.status) {
      if (s.status === "current" ? r.status === "deprecated" : r.status !== s.status) return false;
    }
    if (!hasAll(r.input, s.input) || !hasAll(r.output, s.output) || !hasAll(r.caps, s.caps)) return false;
    for (var i = 0; i < s.terms.length; i++) if (r.search.indexOf(s.terms[i]) < 0) return false;
    return true;
  }

  window.modelcat = { price: price, tokens: tokens, count: count, number: number, esc: esc, loadIndex: loadIndex,
    values: values, filters: filters, matches: matches };
})();

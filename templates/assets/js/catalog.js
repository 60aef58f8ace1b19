/* Live search, filters and sort for the model tables (catalog, provider and collection pages).
 *
 * The page is complete without this script: a plain table of every model. Here the GET form
 * of _model_list.html drives the table: rows are filtered by toggling `hidden` (no layout reads,
 * so 10,000 rows stay fast), sorted by moving rows once per sort change, and the form's state
 * is mirrored in the URL (history.replaceState), so a filtered view can be linked and reloaded.
 * Each row's figures come from its data-* attributes, unformatted.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.model-filters");
  if (!form) return;
  var table = document.getElementById(form.getAttribute("data-target"));
  if (!table || !table.tBodies.length) return;
  var tbody = table.tBodies[0];
  var countEl = document.getElementById(table.id + "-count");
  var emptyEl = document.getElementById(table.id + "-empty");
  var panel = form.querySelector(".filter-panel");
  var panelCount = form.querySelector("[data-filter-count]");
  var search = form.elements.namedItem("q");
  var KEYS = ["q", "provider", "input", "output", "cap", "max_price", "min_context", "status", "sort"];
  var PANEL_KEYS = ["input", "output", "cap", "max_price", "min_context", "status"];
  var collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  var fmt = new Intl.NumberFormat("en-US");

  function num(text, missing) {
    if (text === undefined || text === "") return missing;
    var n = Number(text);
    return isNaN(n) ? missing : n;
  }
  function words(text) {
    return text ? text.split(" ") : [];
  }

  var rows = [];
  var trs = tbody.rows;
  for (var i = 0; i < trs.length; i++) {
    var d = trs[i].dataset;
    rows.push({
      tr: trs[i], index: i, visible: true,
      name: d.name || "", provider: d.provider || "",
      search: ((d.name || "") + " " + (d.id || "") + " " + (d.search || "")).toLowerCase(),
      input: words(d.in), output: words(d.out), caps: words(d.caps), status: d.status || "",
      priceIn: num(d.priceIn, Infinity), priceOut: num(d.priceOut, Infinity),
      context: num(d.context, 0), released: d.released || "", usage: num(d.usage, -1)
    });
  }
  var total = rows.length;
  var currentSort = "";
  var order = rows;  // rows in the current sort order
  // At most LIMIT matching rows are on the page at once (the first ones in sort order): layout
  // and style work then follow what is shown, not the catalog's size. "Show all" lifts it.
  var LIMIT = 300;
  var limit = LIMIT;
  var moreEl = document.getElementById(table.id + "-more");
  var moreButton = moreEl && moreEl.querySelector("button");

  function byIndex(a, b) { return a.index - b.index; }
  var SORTS = {
    "": byIndex,
    name: function (a, b) { return collator.compare(a.name, b.name) || a.index - b.index; },
    price: function (a, b) { return a.priceIn - b.priceIn || a.priceOut - b.priceOut || a.index - b.index; },
    "price-desc": function (a, b) { return b.priceIn - a.priceIn || b.priceOut - a.priceOut || a.index - b.index; },
    "output-price": function (a, b) { return a.priceOut - b.priceOut || a.priceIn - b.priceIn || a.index - b.index; },
    context: function (a, b) { return b.context - a.context || a.index - b.index; },
    newest: function (a, b) { return a.released < b.released ? 1 : a.released > b.released ? -1 : a.index - b.index; },
    usage: function (a, b) { return b.usage - a.usage || a.index - b.index; }
  };

  function values(name) {
    var out = [];
    var els = form.querySelectorAll('[name="' + name + '"]');
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
  function value(name) {
    return values(name)[0] || "";
  }

  function readState() {
    var maxPrice = num(value("max_price"), Infinity);
    return {
      terms: value("q").toLowerCase().split(/\s+/).filter(Boolean),
      provider: value("provider"), input: values("input"), output: values("output"), caps: values("cap"),
      maxPrice: maxPrice < 0 ? Infinity : maxPrice, minContext: num(value("min_context"), 0),
      status: value("status"), sort: SORTS.hasOwnProperty(value("sort")) ? value("sort") : ""
    };
  }

  function hasAll(have, want) {
    for (var i = 0; i < want.length; i++) if (have.indexOf(want[i]) < 0) return false;
    return true;
  }

  function matches(r, s) {
    if (s.provider && r.provider !== s.provider) return false;
    if (r.priceIn > s.maxPrice || r.context < s.minContext) return false;
    if (s.status) {
      if (s.status === "current" ? r.status === "deprecated" : r.status !== s.status) return false;
    }
    if (!hasAll(r.input, s.input) || !hasAll(r.output, s.output) || !hasAll(r.caps, s.caps)) return false;
    for (var i = 0; i < s.terms.length; i++) if (r.search.indexOf(s.terms[i]) < 0) return false;
    return true;
  }

  function plural(n) { return n === 1 ? " model" : " models"; }

  /* Many row changes are made on the detached <tbody>: one style and layout pass afterwards
     instead of an invalidation per row (with 10,000 rows that is seconds against milliseconds). */
  function offstage(change) {
    var parent = tbody.parentNode, next = tbody.nextSibling;
    parent.removeChild(tbody);
    change();
    parent.insertBefore(tbody, next);
  }

  function apply(updateUrl, first) {
    var s = readState();
    var resort = s.sort !== currentSort;
    if (resort) order = rows.slice().sort(SORTS[s.sort]);
    var shown = 0, flips = [];
    for (var i = 0; i < order.length; i++) {
      var r = order[i];
      var ok = matches(r, s);
      if (ok) shown++;
      var show = ok && shown <= limit;
      if (show !== r.visible) { flips.push(r); r.visible = show; }
    }
    var change = function () {
      for (var f = 0; f < flips.length; f++) flips[f].tr.hidden = !flips[f].visible;
      if (resort) for (var j = 0; j < order.length; j++) tbody.appendChild(order[j].tr);
      if (first) table.classList.add("is-live");  // from now on `hidden` alone decides
    };
    if (first || resort || flips.length > 200) offstage(change); else change();
    currentSort = s.sort;
    var capped = shown > limit;
    if (countEl) {
      countEl.textContent = capped
        ? "Showing the first " + fmt.format(limit) + " of " + fmt.format(shown) + " matching models (" +
          fmt.format(total) + " in all)"
        : shown === total ? fmt.format(total) + plural(total)
        : fmt.format(shown) + " of " + fmt.format(total) + plural(total);
    }
    if (moreEl) {
      moreEl.hidden = !capped;
      if (capped) moreButton.textContent = "Show all " + fmt.format(shown) + " models";
    }
    if (emptyEl) emptyEl.hidden = shown !== 0;
    var active = 0;
    for (var k = 0; k < PANEL_KEYS.length; k++) active += values(PANEL_KEYS[k]).length;
    if (panelCount) {
      panelCount.hidden = active === 0;
      panelCount.textContent = active ? "(" + active + " active)" : "";
    }
    if (updateUrl) writeUrl();
    return active;
  }

  function writeUrl() {
    var params = new URLSearchParams(location.search);
    KEYS.forEach(function (k) { params.delete(k); });
    KEYS.forEach(function (k) { values(k).forEach(function (v) { params.append(k, v); }); });
    var query = params.toString();
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, "", url);
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    KEYS.forEach(function (k) {
      var wanted = params.getAll(k);
      var els = form.querySelectorAll('[name="' + k + '"]');
      for (var i = 0; i < els.length; i++) {
        var el = els[i];
        if (el.type === "checkbox") {
          el.checked = wanted.indexOf(el.value) >= 0;
        } else if (wanted.length) {
          if (el.tagName === "SELECT") {
            for (var j = 0; j < el.options.length; j++) {
              if (el.options[j].value === wanted[0]) { el.value = wanted[0]; break; }
            }
          } else {
            el.value = wanted[0];
          }
        }
      }
    });
  }

  var timer = 0;
  function later() {
    limit = LIMIT;
    clearTimeout(timer);
    timer = setTimeout(function () { apply(true); }, rows.length > 2000 ? 180 : 90);
  }
  function now() {
    limit = LIMIT;
    clearTimeout(timer);
    apply(true);
  }

  form.addEventListener("input", function (e) {
    var t = e.target;
    if (t.type === "search" || t.type === "text" || t.type === "number") later(); else now();
  });
  form.addEventListener("change", function (e) {
    if (e.target.tagName === "SELECT") now();  // older engines fire no input event on <select>
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    now();
  });
  form.addEventListener("reset", function () {
    setTimeout(now, 0);  // the reset event fires before the controls are cleared
  });
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-reset-for]");
    if (b && b.getAttribute("data-reset-for") === table.id) {
      form.reset();
      if (search) search.focus();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || !search) return;
    var t = e.target;
    if (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)) return;
    e.preventDefault();
    search.focus();
  });

  if (moreButton) {
    moreButton.addEventListener("click", function () {
      limit = Infinity;
      apply(false);
    });
  }

  readUrl();
  var active = apply(false, true);
  if (panel && active) panel.open = true;
  form.setAttribute("data-ready", "");
})();

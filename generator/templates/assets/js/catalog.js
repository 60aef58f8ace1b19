/* Live search, filters and sort for the model tables (catalog, provider and collection pages).
 *
 * The page is complete without this script: one page of the listing (about 100 rows) and
 * plain links to the others. Here the GET form of _model_list.html drives the table: on the
 * first search, filter or sort the script fetches api/index.json (every model, compact; see
 * generator/render/data.py search_index) once, and renders the matching rows of the whole
 * listing itself, with the markup of the server's rows, 100 at a time ("Show more"). Back at
 * the default view the server's own rows return. The form's state is mirrored in the URL
 * (history.replaceState), so a filtered view can be linked and reloaded.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.model-filters");
  if (!form || !window.modelcat) return;
  var mc = window.modelcat;
  var table = document.getElementById(form.getAttribute("data-target"));
  if (!table || !table.tBodies.length) return;
  var tbody = table.tBodies[0];
  var countEl = document.getElementById(table.id + "-count");
  var emptyEl = document.getElementById(table.id + "-empty");
  var pager = document.querySelector("nav.listing-pager");
  var panel = form.querySelector(".filter-panel");
  var panelCount = form.querySelector("[data-filter-count]");
  var search = form.elements.namedItem("q");
  var KEYS = ["q", "provider", "input", "output", "cap", "max_price", "min_context", "status", "sort"];
  var PANEL_KEYS = ["input", "output", "cap", "max_price", "min_context", "status"];
  var collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  var root = form.getAttribute("data-root") || "";
  var scopeProvider = form.getAttribute("data-scope-provider");
  var scopeCollection = form.getAttribute("data-scope-collection");
  var showProvider = table.getAttribute("data-provider-col") === "1";
  var showUsage = table.getAttribute("data-usage-col") === "1";
  var serverRows = tbody.innerHTML, serverCount = countEl ? countEl.textContent : "";
  var CAP_SHORT = { streaming: "Streaming", tool_calling: "Tools", vision: "Vision", json_mode: "JSON",
    prompt_caching: "Caching", reasoning: "Reasoning", structured_output: "Structured" };
  var CAP_ORDER = ["streaming", "tool_calling", "vision", "json_mode", "prompt_caching", "reasoning", "structured_output"];
  var BADGES = { preview: '<span class="badge badge-warn state state-preview">Preview</span>',
    deprecated: '<span class="badge badge-danger state state-deprecated">Deprecated</span>' };

  /* One row, as _model_list.html's row() writes it. */
  function rowHtml(r) {
    var e = mc.esc, id = e(r.id), h = '<tr data-id="' + id + '"><th scope="row" class="col-model"><a href="' +
      e(root) + "models/" + id + '/index.html">' + e(r.name) + "</a>" +
      (r.status !== "active" ? " " + (BADGES[r.status] || BADGES.deprecated) : "") +
      ' <code class="row-id">' + id + "</code></th>";
    if (showProvider) {
      h += '<td class="col-provider"><a class="provider-link" href="' + e(root) + "providers/" + e(r.provider) +
        '/index.html">' + e(r.providerName) + "</a></td>";
    }
    h += '<td class="mods">' + e(r.input.join(", ")) + "<br>\u2192 " + e(r.output.join(", ")) + '</td><td class="caps-cell">';
    CAP_ORDER.forEach(function (k) {
      if (k !== "streaming" && r.caps.indexOf(k) >= 0) h += '<span class="cap-chip cap-chip-' + k + '">' + CAP_SHORT[k] + "</span> ";
    });
    if (r.caps.indexOf("streaming") < 0) h += '<span class="cap-chip cap-chip-none">No streaming</span>';
    h += '</td><td class="num">' + mc.price(r.priceIn) + '</td><td class="num">' + mc.price(r.priceOut) +
      '</td><td class="num">' + mc.tokens(r.context) + '</td><td class="num">' + mc.tokens(r.maxOutput) + "</td>";
    if (showUsage) h += '<td class="num">' + (r.usage === null ? "\u2014" : mc.count(r.usage)) + "</td>";
    return h + '<td class="date">' + e(r.released) + "</td></tr>";
  }

  var rows = null;  // the listing's models from api/index.json, once fetched
  var total = 0;
  var PAGE = 100;  // rows rendered at once; "Show more" adds as many
  var limit = PAGE;
  var sorted = {};  // sort key -> rows in that order, computed once each
  var moreEl = document.getElementById(table.id + "-more");
  var moreButton = moreEl && moreEl.querySelector("button");

  function prepare(all) {
    rows = all.filter(function (r) {
      return (!scopeProvider || r.provider === scopeProvider) &&
        (!scopeCollection || r.collections.indexOf(scopeCollection) >= 0);
    });
    total = rows.length;
  }

  function byIndex(a, b) { return a.index - b.index; }
  var SORTS = {
    "": byIndex,
    name: function (a, b) { return collator.compare(a.name, b.name) || a.index - b.index; },
    price: function (a, b) { return a.sortIn - b.sortIn || a.sortOut - b.sortOut || a.index - b.index; },
    "price-desc": function (a, b) { return b.sortIn - a.sortIn || b.sortOut - a.sortOut || a.index - b.index; },
    "output-price": function (a, b) { return a.sortOut - b.sortOut || a.sortIn - b.sortIn || a.index - b.index; },
    context: function (a, b) { return b.context - a.context || a.index - b.index; },
    newest: function (a, b) { return a.released < b.released ? 1 : a.released > b.released ? -1 : a.index - b.index; },
    usage: function (a, b) { return b.sortUsage - a.sortUsage || a.index - b.index; }
  };

  function values(name) { return mc.values(form, name); }
  function readState() {
    var s = mc.filters(form), sort = values("sort")[0] || "";
    s.sort = SORTS.hasOwnProperty(sort) ? sort : "";
    return s;
  }

  function plural(n) { return n === 1 ? " model" : " models"; }
  function isDefault(s) { return s.none && !s.sort; }

  var live = false;  // showing rows built from the index (else the server's page)
  function showServerRows() {
    if (!live) return;
    live = false;
    tbody.innerHTML = serverRows;
    if (countEl) countEl.textContent = serverCount;
    if (pager) pager.hidden = false;
    if (moreEl) moreEl.hidden = true;
    if (emptyEl) emptyEl.hidden = true;
  }

  function render(s) {
    var order = sorted[s.sort] || (sorted[s.sort] = rows.slice().sort(SORTS[s.sort]));
    var hits = [];
    for (var i = 0; i < order.length; i++) if (mc.matches(order[i], s)) hits.push(order[i]);
    var html = "";
    for (var j = 0; j < hits.length && j < limit; j++) html += rowHtml(hits[j]);
    tbody.innerHTML = html;
    live = true;
    if (pager) pager.hidden = true;
    var shown = hits.length, capped = shown > limit;
    if (countEl) {
      countEl.textContent = capped
        ? "Showing the first " + mc.number(limit) + " of " + mc.number(shown) + " matching models (" +
          mc.number(total) + " in all)"
        : shown === total ? mc.number(total) + plural(total)
        : mc.number(shown) + " of " + mc.number(total) + plural(total);
    }
    if (moreEl) {
      moreEl.hidden = !capped;
      if (capped) moreButton.textContent = "Show " + mc.number(Math.min(PAGE, shown - limit)) + " more";
    }
    if (emptyEl) emptyEl.hidden = shown !== 0;
  }

  var pending = 0;  // the latest apply(): an older one whose index arrives late does nothing
  function apply(updateUrl) {
    var s = readState(), ticket = ++pending;
    var active = 0;
    for (var k = 0; k < PANEL_KEYS.length; k++) active += values(PANEL_KEYS[k]).length;
    if (panelCount) {
      panelCount.hidden = active === 0;
      panelCount.textContent = active ? "(" + active + " active)" : "";
    }
    if (updateUrl) writeUrl();
    if (isDefault(s)) {
      showServerRows();
      return active;
    }
    if (rows) {
      render(s);
      return active;
    }
    if (countEl) countEl.textContent = "Loading every model\u2026";
    mc.loadIndex(form.getAttribute("data-index")).then(function (all) {
      if (!rows) prepare(all);
      if (ticket === pending) render(readState());
    }, function () {
      if (ticket === pending && countEl) {
        countEl.textContent = "Search needs the catalog index (api/index.json), which could not be loaded. " +
          "The page links below still list every model.";
      }
    });
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
  function later() {  // typing: one update shortly after the last key (the list follows within 100 ms)
    limit = PAGE;
    clearTimeout(timer);
    timer = setTimeout(function () { apply(true); }, 20);
  }
  function now() {
    limit = PAGE;
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
      limit += PAGE;
      apply(false);
    });
  }

  readUrl();
  var active = apply(false);
  if (panel && active) panel.open = true;
  form.setAttribute("data-ready", "");
})();

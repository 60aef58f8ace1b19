/* The pricing page: search and filters like the catalog, a table sortable by its column
 * headers, and a monthly cost calculator.
 *
 * Without this script the page is one page of the table (about 100 models, most used first)
 * with links to the others; the sort buttons and the cost column are hidden. With it, a
 * search, a filter or a header's sort covers every model: the script fetches api/index.json
 * once and renders the matching rows itself (the markup of pricing.html), 100 at a time.
 * Missing prices (no cached input, say) always sort last. The calculator multiplies each
 * shown row's input and output price (USD per 1M tokens) by the monthly token counts and adds
 * the platform fee of data-fee (percent). The prompt size (tokens per request) picks a price
 * tier: above a tier's `above` the whole request is billed at that tier's prices (how Google
 * and Anthropic bill long context), so the month's tokens are all billed at the tier's input
 * and output price. A service variant (batch, flex, priority) bills its own input and output
 * price where the model's price list names one; a model without that variant keeps its
 * standard price and its row says "standard". A variant's prices are flat: no record states
 * tiers for a variant, so tiers apply to standard prices only. Rows carry the prices as
 * data-price-in, data-price-out, data-tiers ([[above, input, output], ...]) and data-variants
 * ({batch: [input, output]}), the index as its tiers and variants fields (generator/render/data.py).
 * State lives in the URL: the filters' names, plus
 * ?in=1000000&out=1000000&prompt=300000&variant=batch&sort=cost&dir=asc (history.replaceState).
 */
(function () {
  "use strict";

  var mc = window.modelcat;
  var table = document.getElementById("pricing-table");
  if (!table || !table.tBodies.length || !mc) return;
  var tbody = table.tBodies[0];
  var form = document.getElementById("cost-calculator");
  var filters = document.querySelector("form.model-filters");
  var fee = form ? Number(form.getAttribute("data-fee")) || 0 : 0;
  var inputIn = form && form.elements.namedItem("in");
  var inputOut = form && form.elements.namedItem("out");
  var inputPrompt = form && form.elements.namedItem("prompt");
  var selectVariant = form && form.elements.namedItem("variant");
  var summary = document.getElementById("calc-summary");
  var buttons = table.querySelectorAll("thead button.sort");
  var countEl = document.getElementById("pricing-table-count");
  var moreEl = document.getElementById("pricing-table-more");
  var moreButton = moreEl && moreEl.querySelector("button");
  var emptyEl = document.getElementById("pricing-table-empty");
  var pager = document.querySelector("nav.listing-pager");
  var collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  var compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });
  var FILTER_KEYS = ["q", "provider", "input", "output", "cap", "max_price", "min_context", "status"];
  var root = filters ? filters.getAttribute("data-root") || "" : "";
  var serverRows = tbody.innerHTML, serverCount = countEl ? countEl.textContent : "";
  var BADGES = { preview: '<span class="badge badge-warn state state-preview">Preview</span>',
    deprecated: '<span class="badge badge-danger state state-deprecated">Deprecated</span>' };
  var PAGE = 100;
  var limit = PAGE;

  /** Return a cost as generator.formats.money writes it: "$0", "$0.0042", "$1,234.56". */
  function money(v) {
    if (v === 0) return "$0";
    if (v < 0.01) return "$" + fixed(v, 4);
    var parts = fixed(v, 2).split(".");
    return "$" + parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + parts[1];
  }
  /* v with d decimals as Python's format() writes it: toFixed rounds the exact binary value, as
     Python does (Intl would not), but an exact tie (13.125) goes up in toFixed and to the even
     digit in Python ("13.12"). toFixed(30) shows a tie exactly: a double close to one differs
     from it well within 30 digits. */
  function fixed(v, d) {
    var full = v.toFixed(30), cut = full.slice(0, full.indexOf(".") + 1 + d);
    if (/^50*$/.test(full.slice(cut.length)) && Number(cut.charAt(cut.length - 1)) % 2 === 0) return cut;
    return v.toFixed(d);
  }
  function tokens(input) {
    var n = input ? Number(input.value) : 0;
    return isFinite(n) && n > 0 ? n : 0;
  }
  function variant() {
    return selectVariant && selectVariant.value ? selectVariant.value : "standard";
  }
  /* The input and output price (USD per 1M tokens) a row is billed at, and a note saying why:
     {pin, pout, note}. note is "standard" (no such variant), "over 200K" (a tier) or "". */
  function rates(r) {
    var pin = r.priceIn, pout = r.priceOut, note = "", v = variant();
    if (v !== "standard") {
      var got = r.variants ? r.variants[v] : null;
      if (got) {
        if (got[0] !== null) pin = got[0];
        if (got[1] !== null) pout = got[1];
        return { pin: pin, pout: pout, note: "" };
      }
      note = "standard";
    }
    // tiers come smallest first, each with every price in force above it: the last one passed wins
    var prompt = tokens(inputPrompt), tiers = r.tiers || [], above = null;
    for (var i = 0; i < tiers.length; i++) {
      if (prompt > tiers[i][0]) {
        if (tiers[i][1] !== null) pin = tiers[i][1];
        if (tiers[i][2] !== null) pout = tiers[i][2];
        above = tiers[i][0];
      }
    }
    if (above !== null) note = (note ? note + ", " : "") + "over " + compact.format(above);
    return { pin: pin, pout: pout, note: note };
  }
  function cost(r) {
    var p = rates(r);
    return (tokens(inputIn) * p.pin + tokens(inputOut) * (p.pout || 0)) / 1e6 * (1 + fee / 100);
  }
  function parse(text, empty) {
    try { return text ? JSON.parse(text) : empty; } catch (e) { return empty; }
  }

  /* The rows on screen, each {tr, cell, name, priceIn, priceOut}: the server's, or built. */
  var shown = [];
  function serverShown() {
    var out = [];
    for (var i = 0; i < tbody.rows.length; i++) {
      var tr = tbody.rows[i], d = tr.dataset, a = tr.querySelector("a");
      out.push({ tr: tr, cell: tr.querySelector("[data-cost]"), name: a ? a.textContent : d.id,
        priceIn: Number(d.priceIn), priceOut: d.priceOut ? Number(d.priceOut) : null,
        tiers: parse(d.tiers, []), variants: parse(d.variants, {}) });
    }
    return out;
  }

  function rowHtml(r) {
    var e = mc.esc, id = e(r.id);
    function cell(v) { return '<td class="num' + (v === null ? " muted" : "") + '">' + mc.price(v) + "</td>"; }
    return '<tr data-id="' + id + '"><th scope="row" class="col-model"><a href="' + e(root) + "models/" + id +
      '/index.html">' + e(r.name) + "</a>" + (r.status !== "active" ? " " + (BADGES[r.status] || BADGES.deprecated) : "") +
      ' <code class="row-id">' + id + '</code></th><td><a class="provider-link" href="' + e(root) + "providers/" +
      e(r.provider) + '/index.html">' + e(r.providerName) + '</a></td><td class="num">' + mc.price(r.priceIn) +
      '</td><td class="num">' + mc.price(r.priceOut) + "</td>" + cell(r.cachedIn) + cell(r.cacheWrite) +
      '<td class="num">' + mc.tokens(r.context) + '</td><td class="num col-cost needs-js" data-cost></td></tr>';
  }

  var sortKey = "", sortDir = "asc";
  var GET = {
    name: function (r) { return r.name; }, provider: function (r) { return r.providerName; },
    "price-in": function (r) { return r.priceIn; }, "price-out": function (r) { return r.priceOut; },
    "cached-in": function (r) { return r.cachedIn; }, "cache-write": function (r) { return r.cacheWrite; },
    context: function (r) { return r.context; }, cost: function (r) { return r.cost; }
  };
  function compare(a, b) {
    var x = GET[sortKey](a), y = GET[sortKey](b);
    if (x === null || y === null) {
      if (x === y) return a.index - b.index;
      return x === null ? 1 : -1;  // missing values last, whichever the direction
    }
    var c = typeof x === "string" ? collator.compare(x, y) : x - y;
    if (sortDir === "desc") c = -c;
    return c || a.index - b.index;
  }

  var all = null, live = false, ticket = 0;
  function state() {
    return filters ? mc.filters(filters) : { none: true };
  }

  function fill() {
    for (var i = 0; i < shown.length; i++) {
      var r = shown[i], v = cost(r);
      if (r.cell) {
        var note = rates(r).note;
        r.cell.textContent = money(v);
        r.cell.setAttribute("data-value", String(v));
        if (note) {
          var span = document.createElement("span");
          span.className = "badge cost-note";
          span.title = note === "standard" ? "this model has no " + variant() + " prices: its standard price" : "the prompt is over a price tier";
          span.textContent = note;
          r.cell.appendChild(document.createTextNode(" "));
          r.cell.appendChild(span);
        }
      }
    }
    var hints = form ? form.querySelectorAll("[data-hint-for]") : [];
    for (var h = 0; h < hints.length; h++) {
      hints[h].textContent = compact.format(tokens(document.getElementById(hints[h].getAttribute("data-hint-for")))) + " tokens";
    }
    if (!summary) return;
    var text = "For " + compact.format(tokens(inputIn)) + " input and " + compact.format(tokens(inputOut)) +
      " output tokens a month" + (tokens(inputPrompt) ? ", prompts of " + compact.format(tokens(inputPrompt)) + " tokens" : "") +
      (variant() !== "standard" ? ", " + variant() + " prices where offered" : "") +
      (fee ? " (including the " + fee + "% platform fee)" : "");
    if (all) {  // the cheapest of every chat model (like with like: not a reranker), once the index is in
      var best = null, free = 0;
      all.forEach(function (r) {
        if (r.kind !== "chat") return;
        var v = cost(r);
        if (v === 0) free++; else if (best === null || v < best.v) best = { r: r, v: v };
      });
      if (best) text += ", the cheapest " + (free ? "paid chat model " : "chat model ") + "is " + best.r.name + " at " + money(best.v);
      if (free) text += (best ? "; " : ": ") + mc.number(free) + (free === 1 ? " chat model costs" : " chat models cost") + " nothing";
    }
    summary.textContent = text + ".";
  }

  function markSorted() {
    for (var j = 0; j < buttons.length; j++) {
      var th = buttons[j].closest("th");
      if (buttons[j].getAttribute("data-sort") === sortKey) th.setAttribute("aria-sort", sortDir === "asc" ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
  }

  function render(s) {
    all.forEach(function (r) { r.cost = cost(r); });
    var hits = all.filter(function (r) { return mc.matches(r, s); });
    if (sortKey) hits.sort(compare);
    tbody.innerHTML = hits.slice(0, limit).map(rowHtml).join("");
    shown = hits.slice(0, limit).map(function (r, i) {
      var tr = tbody.rows[i];
      return { tr: tr, cell: tr.querySelector("[data-cost]"), name: r.name, priceIn: r.priceIn, priceOut: r.priceOut,
        tiers: r.tiers, variants: r.variants };
    });
    live = true;
    table.classList.add("is-live");
    if (pager) pager.hidden = true;
    var n = hits.length, capped = n > limit;
    if (countEl) {
      countEl.textContent = (capped ? "Showing the first " + mc.number(limit) + " of " + mc.number(n) + " matching models (" +
        mc.number(all.length) + " in all)" : n === all.length ? mc.number(n) + (n === 1 ? " model" : " models")
        : mc.number(n) + " of " + mc.number(all.length) + " models") + " \u00b7 click a column header to sort";
    }
    if (moreEl) {
      moreEl.hidden = !capped;
      if (capped) moreButton.textContent = "Show " + mc.number(Math.min(PAGE, n - limit)) + " more";
    }
    if (emptyEl) emptyEl.hidden = n !== 0;
  }

  /* Redraw: the server's page at the default view, else every matching model from the index. */
  function apply() {
    var s = state(), mine = ++ticket;
    markSorted();
    if (s.none && !sortKey) {
      if (live) {
        live = false;
        tbody.innerHTML = serverRows;
        if (countEl) countEl.textContent = serverCount;
        if (pager) pager.hidden = false;
        if (moreEl) moreEl.hidden = true;
        if (emptyEl) emptyEl.hidden = true;
      }
      shown = serverShown();
      fill();
      return;
    }
    if (all) {
      render(s);
      fill();
      return;
    }
    if (countEl) countEl.textContent = "Loading every model\u2026";
    mc.loadIndex(filters ? filters.getAttribute("data-index") : "").then(function (index) {
      all = index;
      if (mine === ticket) { render(state()); fill(); }
    }, function () {
      if (mine === ticket && countEl) countEl.textContent = "Sorting and search need the catalog index (api/index.json), which could not be loaded.";
    });
  }

  function writeUrl() {
    var params = new URLSearchParams(location.search);
    ["in", "out", "prompt", "variant", "sort", "dir"].concat(FILTER_KEYS).forEach(function (k) { params.delete(k); });
    if (inputIn && inputIn.value !== inputIn.defaultValue) params.set("in", inputIn.value);
    if (inputOut && inputOut.value !== inputOut.defaultValue) params.set("out", inputOut.value);
    if (inputPrompt && inputPrompt.value !== inputPrompt.defaultValue) params.set("prompt", inputPrompt.value);
    if (variant() !== "standard") params.set("variant", variant());
    if (sortKey) { params.set("sort", sortKey); params.set("dir", sortDir); }
    if (filters) FILTER_KEYS.forEach(function (k) { mc.values(filters, k).forEach(function (v) { params.append(k, v); }); });
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    if (inputIn && params.get("in") !== null && isFinite(Number(params.get("in")))) inputIn.value = params.get("in");
    if (inputOut && params.get("out") !== null && isFinite(Number(params.get("out")))) inputOut.value = params.get("out");
    if (inputPrompt && params.get("prompt") !== null && isFinite(Number(params.get("prompt")))) inputPrompt.value = params.get("prompt");
    if (selectVariant && params.get("variant") !== null) {
      for (var o = 0; o < selectVariant.options.length; o++) {
        if (selectVariant.options[o].value === params.get("variant")) selectVariant.value = params.get("variant");
      }
    }
    var key = params.get("sort");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].getAttribute("data-sort") === key) {
        sortKey = key;
        sortDir = params.get("dir") === "desc" ? "desc" : "asc";
      }
    }
    if (!filters) return;
    FILTER_KEYS.forEach(function (k) {
      var wanted = params.getAll(k), els = filters.querySelectorAll('[name="' + k + '"]');
      for (var j = 0; j < els.length; j++) {
        if (els[j].type === "checkbox") els[j].checked = wanted.indexOf(els[j].value) >= 0;
        else if (wanted.length) els[j].value = wanted[0];
      }
    });
  }

  for (var b = 0; b < buttons.length; b++) {
    buttons[b].addEventListener("click", function () {
      var key = this.getAttribute("data-sort");
      if (key === sortKey) {
        sortDir = sortDir === "asc" ? "desc" : "asc";
      } else {
        sortKey = key;
        sortDir = this.getAttribute("data-first") || "asc";
      }
      limit = PAGE;
      apply();
      writeUrl();
    });
  }

  var timer = 0;
  function soon(delay) {
    clearTimeout(timer);
    timer = setTimeout(function () { apply(); writeUrl(); }, delay);
  }
  /* The summary names the cheapest of every model: once the calculator is used, the index is worth fetching. */
  function withIndex() {
    if (all || !filters) return;
    mc.loadIndex(filters.getAttribute("data-index")).then(function (index) { all = index; fill(); }, function () {});
  }
  if (form) {
    form.addEventListener("input", function () { withIndex(); soon(60); });
    form.addEventListener("change", function () { withIndex(); soon(0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); withIndex(); soon(0); });
    form.addEventListener("click", function (e) {
      var preset = e.target.closest && e.target.closest("button[data-in]");
      if (!preset) return;
      inputIn.value = preset.getAttribute("data-in");
      inputOut.value = preset.getAttribute("data-out");
      withIndex();
      soon(0);
    });
  }
  if (filters) {
    filters.addEventListener("input", function (e) {
      limit = PAGE;
      soon(e.target.type === "search" || e.target.type === "number" ? 40 : 0);
    });
    filters.addEventListener("change", function () { limit = PAGE; soon(0); });
    filters.addEventListener("submit", function (e) { e.preventDefault(); limit = PAGE; soon(0); });
    filters.addEventListener("reset", function () { limit = PAGE; sortKey = ""; setTimeout(function () { soon(0); }, 0); });
    document.addEventListener("click", function (e) {
      var r = e.target.closest && e.target.closest("[data-reset-for]");
      if (r && r.getAttribute("data-reset-for") === table.id) filters.reset();
    });
  }
  if (moreButton) {
    moreButton.addEventListener("click", function () {
      limit += PAGE;
      apply();
    });
  }

  readUrl();
  apply();
  if (filters) filters.setAttribute("data-ready", "");
  table.setAttribute("data-ready", "");
})();

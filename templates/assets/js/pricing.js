/* The pricing page: a table sortable by its column headers, and a monthly cost calculator.
 *
 * Without this script the table is complete (sorted by model id) and the cost column is hidden.
 * Sorting: each <th> holds a <button class="sort" data-sort=KEY>; the sorted column gets
 * aria-sort. Missing prices (no cached input, say) always sort last. The calculator multiplies
 * each row's data-price-in / data-price-out (USD per 1M tokens) by the monthly token counts
 * and adds the platform fee of data-fee (percent). State lives in the URL:
 * ?in=1000000&out=1000000&sort=cost&dir=asc (history.replaceState).
 */
(function () {
  "use strict";

  var table = document.getElementById("pricing-table");
  if (!table || !table.tBodies.length) return;
  var tbody = table.tBodies[0];
  var form = document.getElementById("cost-calculator");
  var fee = form ? Number(form.getAttribute("data-fee")) || 0 : 0;
  var inputIn = form && form.elements.namedItem("in");
  var inputOut = form && form.elements.namedItem("out");
  var summary = document.getElementById("calc-summary");
  var buttons = table.querySelectorAll("thead button.sort");
  var collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  var compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });

  function num(text) {
    if (text === undefined || text === "") return null;
    var n = Number(text);
    return isNaN(n) ? null : n;
  }

  /** Return a cost as generator.formats.money writes it: "$0", "$0.0042", "$1,234.56". */
  function money(v) {
    if (v === 0) return "$0";
    if (v < 0.01) return "$" + v.toFixed(4);
    // toFixed rounds the exact binary value, as Python's format() does (Intl would not)
    var parts = v.toFixed(2).split(".");
    return "$" + parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + parts[1];
  }

  var rows = [];
  for (var i = 0; i < tbody.rows.length; i++) {
    var tr = tbody.rows[i], d = tr.dataset;
    rows.push({
      tr: tr, index: i, cell: tr.querySelector("[data-cost]"),
      values: {
        name: d.name || "", provider: d.provider || "",
        "price-in": num(d.priceIn), "price-out": num(d.priceOut), "cached-in": num(d.cachedIn),
        "cache-write": num(d.cacheWrite), context: num(d.context), cost: null
      }
    });
  }

  var sortKey = "", sortDir = "asc";

  function compare(a, b) {
    var x = a.values[sortKey], y = b.values[sortKey];
    if (x === null || y === null) {
      if (x === y) return a.index - b.index;
      return x === null ? 1 : -1;  // missing values last, whichever the direction
    }
    var c = typeof x === "string" ? collator.compare(x, y) : x - y;
    if (sortDir === "desc") c = -c;
    return c || a.index - b.index;
  }

  // At most LIMIT rows are shown at once (the first in sort order); "Show all" lifts it.
  var LIMIT = 300;
  var limit = LIMIT;
  var order = rows;
  var countEl = document.getElementById("pricing-table-count");
  var moreEl = document.getElementById("pricing-table-more");
  var moreButton = moreEl && moreEl.querySelector("button");
  var fmt = new Intl.NumberFormat("en-US");

  /** Put rows in `order` and show the first `limit`, on the detached <tbody>: one style and
      layout pass instead of one per changed row. change() runs while it is detached. */
  function render(resort, change) {
    var parent = tbody.parentNode, next = tbody.nextSibling;
    parent.removeChild(tbody);
    try {
      if (change) change();
      if (resort) order = rows.slice().sort(sortKey ? compare : function (a, b) { return a.index - b.index; });
      for (var i = 0; i < order.length; i++) {
        var tr = order[i].tr, show = i < limit;
        if (tr.hidden === show) tr.hidden = !show;
        if (resort) tbody.appendChild(tr);
      }
      table.classList.add("is-live");
    } finally {
      parent.insertBefore(tbody, next);
    }
    var capped = rows.length > limit;
    if (moreEl) {
      moreEl.hidden = !capped;
      if (capped) moreButton.textContent = "Show all " + fmt.format(rows.length) + " models";
    }
    if (countEl) {
      countEl.textContent = (capped ? "Showing the first " + fmt.format(limit) + " of " : "") +
        fmt.format(rows.length) + (rows.length === 1 ? " model" : " models") + " · click a column header to sort";
    }
  }

  function sortRows() {
    render(true);
    for (var j = 0; j < buttons.length; j++) {
      var th = buttons[j].closest("th");
      if (buttons[j].getAttribute("data-sort") === sortKey) {
        th.setAttribute("aria-sort", sortDir === "asc" ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    }
  }

  function tokens(input) {
    var n = input ? Number(input.value) : 0;
    return isFinite(n) && n > 0 ? n : 0;
  }

  function calculate() {
    render(sortKey === "cost", fill);
  }

  function fill() {
    var tin = tokens(inputIn), tout = tokens(inputOut);
    var factor = 1 + fee / 100;
    var best = null, free = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], v = r.values;
      var cost = (tin * v["price-in"] + tout * v["price-out"]) / 1e6 * factor;
      v.cost = cost;
      if (r.cell) {
        r.cell.textContent = money(cost);
        r.cell.setAttribute("data-value", String(cost));
      }
      if (cost === 0) free++;
      else if (best === null || cost < best.values.cost) best = r;
    }
    var hints = form ? form.querySelectorAll("[data-hint-for]") : [];
    for (var h = 0; h < hints.length; h++) {
      var n = tokens(document.getElementById(hints[h].getAttribute("data-hint-for")));
      hints[h].textContent = compact.format(n) + " tokens";
    }
    if (summary) {
      var link = best && best.tr.querySelector("a");
      var text = "For " + compact.format(tin) + " input and " + compact.format(tout) + " output tokens a month" +
        (fee ? " (including the " + fee + "% platform fee)" : "");
      if (best) {
        text += ", the cheapest " + (free ? "paid model " : "") + "is " + (link ? link.textContent : best.values.name) +
          " at " + money(best.values.cost);
      }
      if (free) text += (best ? "; " : ": ") + fmt.format(free) + (free === 1 ? " model costs" : " models cost") + " nothing";
      summary.textContent = text + ".";
    }
  }

  function writeUrl() {
    var params = new URLSearchParams(location.search);
    ["in", "out", "sort", "dir"].forEach(function (k) { params.delete(k); });
    if (inputIn && inputIn.value !== inputIn.defaultValue) params.set("in", inputIn.value);
    if (inputOut && inputOut.value !== inputOut.defaultValue) params.set("out", inputOut.value);
    if (sortKey) { params.set("sort", sortKey); params.set("dir", sortDir); }
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    if (inputIn && params.get("in") !== null && isFinite(Number(params.get("in")))) inputIn.value = params.get("in");
    if (inputOut && params.get("out") !== null && isFinite(Number(params.get("out")))) inputOut.value = params.get("out");
    var key = params.get("sort");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].getAttribute("data-sort") === key) {
        sortKey = key;
        sortDir = params.get("dir") === "desc" ? "desc" : "asc";
      }
    }
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
      sortRows();
      writeUrl();
    });
  }

  if (form) {
    var timer = 0;
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { calculate(); writeUrl(); }, rows.length > 2000 ? 150 : 60);
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(timer);
      calculate();
      writeUrl();
    });
    form.addEventListener("click", function (e) {
      var preset = e.target.closest && e.target.closest("button[data-in]");
      if (!preset) return;
      inputIn.value = preset.getAttribute("data-in");
      inputOut.value = preset.getAttribute("data-out");
      clearTimeout(timer);
      calculate();
      writeUrl();
    });
  }

  if (moreButton) {
    moreButton.addEventListener("click", function () {
      limit = Infinity;
      render(false);
    });
  }

  readUrl();
  calculate();
  if (sortKey) sortRows();
  table.setAttribute("data-ready", "");
})();

/* The compare page: two to four models side by side, chosen in a GET form kept in the URL.
 *
 * The dataset is the page's own no-JS table of every model (#compare-all): its header cells
 * name each field (data-f, plus data-best="min|max" where a best value exists) and every body
 * cell holds the formatted figure with its raw value in data-v. This script transposes the
 * chosen rows into a side-by-side table, marks rows whose values differ and the best cell of
 * each comparable row. Accepted URLs: ?models=a/b&models=c/d and ?models=a/b,c/d.
 */
(function () {
  "use strict";

  var MAX = 4;
  var form = document.getElementById("compare-form");
  var all = document.getElementById("compare-all");
  var result = document.getElementById("compare-result");
  var status = document.getElementById("compare-status");
  var details = document.getElementById("all-models");
  var diffOnly = document.getElementById("compare-diff-only");
  if (!form || !all || !result || !all.tHead) return;
  var inputs = form.querySelectorAll('input[name="models"]');

  var fields = [];
  var heads = all.tHead.rows[0].cells;
  for (var i = 0; i < heads.length; i++) {
    var th = heads[i];
    fields.push({
      key: th.getAttribute("data-f"), label: th.innerHTML, best: th.getAttribute("data-best") || "",
      bestLabel: th.getAttribute("data-best-label") || "Best", num: th.classList.contains("num"),
      numeric: th.classList.contains("num") || th.getAttribute("data-f") === "usage"
    });
  }

  var byId = new Map(), byName = new Map();
  var trs = all.tBodies[0].rows;
  for (var r = 0; r < trs.length; r++) {
    var id = trs[r].getAttribute("data-id");
    byId.set(id, trs[r]);
    var nameCell = trs[r].cells[0].querySelector("a");
    if (nameCell) {
      var key = nameCell.textContent.trim().toLowerCase();
      if (!byName.has(key)) byName.set(key, id);
    }
  }

  var cellCache = new Map();
  function cells(id) {
    if (!cellCache.has(id)) {
      var map = {};  // body cells follow the header's fields (data-f), cell for cell
      var list = byId.get(id).cells;
      for (var i = 0; i < list.length && i < fields.length; i++) map[fields[i].key] = list[i];
      cellCache.set(id, map);
    }
    return cellCache.get(id);
  }

  /** Return a typed model id, or the id of a model typed by its exact name. */
  function resolve(text) {
    text = text.trim();
    if (!text || byId.has(text)) return text;
    return byName.get(text.toLowerCase()) || byId.has(text.toLowerCase()) && text.toLowerCase() || text;
  }

  function unique(list) {
    var out = [];
    list.forEach(function (v) { if (v && out.indexOf(v) < 0) out.push(v); });
    return out;
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search), ids = [];
    params.getAll("models").forEach(function (v) { v.split(",").forEach(function (x) { ids.push(resolve(x)); }); });
    return unique(ids);
  }

  function fromInputs() {
    var ids = [];
    for (var i = 0; i < inputs.length; i++) ids.push(resolve(inputs[i].value));
    return unique(ids);
  }

  function fill(ids) {
    for (var i = 0; i < inputs.length; i++) inputs[i].value = ids[i] || "";
  }

  function writeUrl(ids) {
    var params = new URLSearchParams(location.search);
    params.delete("models");
    params.delete("diff");
    var parts = [];
    params.forEach(function (v, k) { parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(v)); });
    ids.forEach(function (id) { parts.push("models=" + encodeURIComponent(id).replace(/%2F/gi, "/")); });
    if (diffOnly && diffOnly.checked) parts.push("diff=1");
    var url = location.pathname + (parts.length ? "?" + parts.join("&") : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, "", url);
  }

  function el(tag, attrs, html) {
    var e = document.createElement(tag);
    for (var k in attrs) if (attrs.hasOwnProperty(k)) e.setAttribute(k, attrs[k]);
    if (html !== undefined) e.innerHTML = html;
    return e;
  }

  function value(field, raw) {
    if (raw === "" || raw === null || raw === undefined) return null;
    return field.numeric ? Number(raw) : raw;
  }

  function render(ids) {
    var known = ids.filter(function (id) { return byId.has(id); });
    var unknown = ids.filter(function (id) { return !byId.has(id); });
    var extra = known.length > MAX;
    known = known.slice(0, MAX);
    result.textContent = "";
    var notes = [];
    if (unknown.length) notes.push("Not in the catalog: " + unknown.join(", ") + ".");
    if (extra) notes.push("Up to four models can be compared at once; showing the first four.");
    if (!known.length) {
      notes.push("Pick two to four models above to compare them.");
      status.textContent = notes.join(" ");
      if (details) details.open = true;
      return;
    }
    if (details) details.open = false;

    var table = el("table", { "class": "data listing compare-table", id: "compare-table" });
    if (diffOnly && diffOnly.checked) table.classList.add("diff-only");
    table.style.setProperty("--cols", String(known.length));
    table.appendChild(el("caption", {}, "Side-by-side comparison. Prices in USD per 1M tokens, limits in tokens. " +
      "Rows marked \u201cdiffers\u201d have different values; the best figure of a row is tagged."));
    var head = el("tr");
    head.appendChild(el("th", { scope: "col", "class": "compare-corner" }, '<span class="sr-only">Property</span>'));
    known.forEach(function (id) {
      var th = el("th", { scope: "col", "class": "compare-model", "data-id": id }, cells(id).name.innerHTML);
      var remove = el("button", { type: "button", "class": "btn btn-sm compare-remove", "data-remove": id,
        "aria-label": "Remove " + cells(id).name.textContent.replace(id, "").trim() + " from the comparison" }, "Remove");
      th.appendChild(remove);
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);

    var tbody = el("tbody"), differing = 0, shownRows = 0;
    fields.forEach(function (f) {
      if (f.key === "name") return;
      var raws = known.map(function (id) { return cells(id)[f.key].getAttribute("data-v"); });
      var differs = known.length > 1 && raws.some(function (v) { return v !== raws[0]; });
      var best = null;
      if (f.best && differs) {
        raws.forEach(function (raw) {
          var v = value(f, raw);
          if (v === null) return;
          if (best === null || (f.best === "min" ? v < best : v > best)) best = v;
        });
      }
      var tr = el("tr", { "data-f": f.key });
      if (differs) { tr.classList.add("differs"); differing++; }
      shownRows++;
      var th = el("th", { scope: "row" }, f.label);
      if (differs) th.appendChild(el("span", { "class": "diff-mark" }, "differs"));
      tr.appendChild(th);
      known.forEach(function (id, i) {
        var src = cells(id)[f.key];
        var td = el("td", { "class": src.className }, src.innerHTML);
        if (best !== null && value(f, raws[i]) === best) {
          td.classList.add("best");
          td.appendChild(el("span", { "class": "best-tag" }, f.bestLabel));
        }
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);

    var region = el("div", { "class": "table-wrap table-scroll compare-scroll", role: "region", tabindex: "0",
      "aria-label": "Comparison of " + known.length + (known.length === 1 ? " model" : " models") });
    region.appendChild(table);
    result.appendChild(region);

    var summary = known.length === 1 ? "Showing 1 model; pick at least one more to compare."
      : "Comparing " + known.length + " models: " + differing + " of " + shownRows + " rows differ.";
    status.textContent = [summary].concat(notes).join(" ");
  }

  function update(ids, keepInputs) {
    if (!keepInputs) fill(ids);
    writeUrl(ids.filter(function (id) { return byId.has(id); }).slice(0, MAX));
    render(ids);
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var ids = fromInputs();
    update(ids);
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      if (diffOnly) diffOnly.checked = false;
      update([]);
    }, 0);
  });
  form.addEventListener("change", function (e) {
    if (e.target === diffOnly) {
      var t = document.getElementById("compare-table");
      if (t) t.classList.toggle("diff-only", diffOnly.checked);
      writeUrl(fromInputs().filter(function (id) { return byId.has(id); }));
      return;
    }
    if (e.target.name === "models") {
      var v = resolve(e.target.value);
      if (!v || byId.has(v)) update(fromInputs(), true);
    }
  });
  form.addEventListener("input", function (e) {
    // a suggestion picked from the datalist arrives as one input event holding a whole id
    if (e.target.name === "models" && byId.has(e.target.value.trim())) update(fromInputs(), true);
  });
  result.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-remove]");
    if (!b) return;
    var gone = b.getAttribute("data-remove");
    var ids = fromInputs().filter(function (id) { return id !== gone; });
    update(ids);
    var next = result.querySelector(".compare-remove") || inputs[Math.min(ids.length, inputs.length - 1)];
    if (next) next.focus();
  });

  // The reference table shows its first 300 rows until asked for all (10,000 rows are heavy).
  var more = document.getElementById("compare-all-more");
  if (more) {
    more.querySelector("button").addEventListener("click", function () {
      all.classList.add("is-live");
      more.hidden = true;
    });
  }

  var params = new URLSearchParams(location.search);
  if (diffOnly) diffOnly.checked = params.get("diff") === "1";
  var initial = fromUrl();
  if (initial.length) {
    update(initial);  // also normalises ?models=a,b to ?models=a&models=b
  } else {
    render(initial);
  }
  form.setAttribute("data-ready", "");
})();

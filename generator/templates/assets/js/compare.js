/* The compare page: two to four models side by side, chosen in a GET form kept in the URL.
 *
 * The page embeds no model. The chosen ones come from their own JSON documents
 * (models/<provider>/<slug>.json), fetched when chosen; the pickers' suggestions and
 * choosing a model by its name read api/index.json, fetched when the reader starts typing.
 * Rows whose values differ are marked; a row's best figure is tagged only where at least two
 * of the chosen models have a value (one lone cache price is not "lowest").
 * Rows of the prices real price lists add (audio tokens, per-request, per-second and other
 * fees, price tiers, batch/flex/priority prices, hosts) and of the lifecycle show only when a
 * chosen model has such a figure; they read the record's fields and the document's derived
 * `prices` (tiers resolved, offers) and `lifecycle` (generator/render/data.py).
 * Accepted URLs: ?models=a/b&models=c/d and ?models=a/b,c/d.
 */
(function () {
  "use strict";

  var MAX = 4, SUGGESTIONS = 30;
  var mc = window.modelcat;
  var form = document.getElementById("compare-form");
  var result = document.getElementById("compare-result");
  var status = document.getElementById("compare-status");
  var diffOnly = document.getElementById("compare-diff-only");
  var datalist = document.getElementById("compare-models");
  if (!form || !result || !mc) return;
  var inputs = form.querySelectorAll('input[name="models"]');
  var root = form.getAttribute("data-root") || "";
  var e = mc.esc;

  var CAPS = [["streaming", "Streaming"], ["tool_calling", "Tool calling"], ["vision", "Vision"],
    ["json_mode", "JSON mode"], ["prompt_caching", "Prompt caching"], ["reasoning", "Reasoning"],
    ["structured_output", "Structured output"]];
  var BADGES = { active: '<span class="state state-active">Active</span>',
    preview: '<span class="badge badge-warn state state-preview">Preview</span>',
    deprecated: '<span class="badge badge-danger state state-deprecated">Deprecated</span>' };

  function priceField(key, label, get, optional) {
    return { key: key, label: label, best: "min", bestLabel: "Lowest", num: true, get: get, optional: optional,
      html: function (v) { return mc.price(v); } };
  }
  function recordPrice(key, label) {
    return priceField(key.replace(/_/g, "-"), label, function (d) { var v = d.pricing[key]; return v === undefined ? null : v; }, true);
  }
  var LIFECYCLE = { active: "Active", preview: "Preview", scheduled: "Deprecation scheduled", deprecated: "Deprecated",
    shut_down: "Shut down" };
  /* "input $0.625 · output $5.00": the token prices a price set names, or null */
  function priceSet(set) {
    if (!set) return null;
    var parts = [];
    [["input", "input"], ["output", "output"], ["cached_input", "cached input"]].forEach(function (k) {
      if (set[k[0]] !== null && set[k[0]] !== undefined) parts.push(k[1] + " " + mc.price(set[k[0]]));
    });
    return parts.length ? parts.join(" \u00b7 ") : null;
  }
  function variantField(key, label) {
    return { key: "variant-" + key, label: label, optional: true,
      get: function (d) { return priceSet(d.pricing.variants ? d.pricing.variants[key] : null); }, html: e };
  }
  var FIELDS = [
    { key: "provider", label: "Provider", get: function (d) { return d.provider.id; },
      html: function (v, d) {
        return '<a class="provider-link" href="' + e(root) + "providers/" + e(d.provider.id) + '/index.html">' +
          e(d.provider.name) + "</a>";
      } },
    priceField("price-in", "Input price", function (d) { return d.pricing.input; }),
    priceField("price-out", "Output price", function (d) { return d.pricing.output; }),
    priceField("cached-in", "Cached input", function (d) { return d.pricing.cached_input; }),
    priceField("cache-write", "Cache write", function (d) { return d.pricing.cache_write; }),
    { key: "context", label: "Context", best: "max", bestLabel: "Largest", num: true,
      get: function (d) { return d.limits.context; }, html: mc.number },
    { key: "max-output", label: "Max output", best: "max", bestLabel: "Largest", num: true,
      get: function (d) { return d.limits.max_output; }, html: mc.number },
    { key: "in", label: "Input modalities", get: function (d) { return d.modalities.input.join(", "); }, html: e },
    { key: "out", label: "Output modalities", get: function (d) { return d.modalities.output.join(", "); }, html: e }
  ].concat(CAPS.map(function (c) {
    return { key: "cap-" + c[0], label: c[1], cls: "cap-col",
      get: function (d) { return d.capabilities[c[0]] ? 1 : 0; },
      html: function (v) { return v ? '\u2713<span class="sr-only"> yes</span>' : '\u2014<span class="sr-only"> no</span>'; } };
  })).concat([
    { key: "released", label: "Released", best: "max", bestLabel: "Newest",
      get: function (d) { return d.released === null || d.released === undefined ? null : String(d.released); },
      html: function (v) { return v === null ? "\u2014" : e(v); } },
    { key: "status", label: "Status", get: function (d) { return d.status; },
      html: function (v) { return BADGES[v] || e(v); } },
    { key: "kind", label: "Kind", get: function (d) { return d.kind || "chat"; }, html: e },
    { key: "lifecycle", label: "Lifecycle", get: function (d) { return d.lifecycle || null; },
      html: function (v) { return e(LIFECYCLE[v] || v); } },
    { key: "deprecation", label: "Deprecation date", optional: true,
      get: function (d) { return d.deprecation ? String(d.deprecation.date) : null; }, html: e },
    { key: "shutdown", label: "Shutdown date", optional: true,
      get: function (d) { return d.deprecation && d.deprecation.shutdown ? String(d.deprecation.shutdown) : null; }, html: e },
    { key: "usage", label: 'Usage <span class="unit">tokens</span>', best: "max", bestLabel: "Most used", num: true,
      get: function (d) { return d.usage ? d.usage.tokens : null; }, html: mc.count },
    recordPrice("cache_write_1h", "Cache write (1 hour)"),
    recordPrice("reasoning", "Reasoning tokens"),
    recordPrice("input_audio", "Audio input"),
    recordPrice("output_audio", "Audio output"),
    recordPrice("per_request", 'Per request <span class="unit">USD</span>'),
    recordPrice("per_search", 'Per search <span class="unit">USD</span>'),
    recordPrice("per_image", 'Per image <span class="unit">USD</span>'),
    recordPrice("per_second_audio", 'Per second of audio <span class="unit">USD</span>'),
    recordPrice("per_second_video", 'Per second of video <span class="unit">USD</span>'),
    { key: "tiers", label: "Price tiers", optional: true,
      get: function (d) {
        var tiers = d.prices && d.prices.tiers ? d.prices.tiers : [];
        return tiers.length ? tiers.map(function (t) {
          return "over " + mc.tokens(t.above) + ": " + priceSet(t.prices);
        }).join("; ") : null;
      }, html: e },
    variantField("batch", "Batch prices"),
    variantField("flex", "Flex prices"),
    variantField("priority", "Priority prices"),
    { key: "offers", label: "Hosts (offers)", optional: true, num: true,
      get: function (d) { return d.prices && d.prices.offers && d.prices.offers.length ? d.prices.offers.length : null; },
      html: mc.number }
  ]);

  /* the chosen models' documents: id -> Promise of the document, of null when there is none,
     or of FAILED when it could not be fetched (a site opened from disk, say) */
  var FAILED = {};
  var docs = new Map();
  var ID = /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._:-]*$/i;
  function doc(id) {
    if (!docs.has(id)) {
      var p = !ID.test(id) || id.indexOf("..") >= 0 ? Promise.resolve(null)
        : fetch(root + "models/" + id + ".json").then(function (r) { return r.ok ? r.json() : null; })
          .catch(function () { docs.delete(id); return FAILED; });
      docs.set(id, p);
    }
    return docs.get(id);
  }

  /* api/index.json for suggestions and names, loaded on the first keystroke in a picker */
  var index = null, byName = new Map(), byId = new Map();
  function withIndex() {
    return mc.loadIndex(form.getAttribute("data-index")).then(function (all) {
      if (!index) {
        index = all;
        all.forEach(function (r) {
          byId.set(r.id, r);
          var key = r.name.toLowerCase();
          if (!byName.has(key)) byName.set(key, r.id);
        });
      }
      return index;
    });
  }

  /** Return a typed model id, or the id of a model typed by its exact name (once the index is in). */
  function resolve(text) {
    text = text.trim();
    if (!text || byId.has(text)) return text;
    return byName.get(text.toLowerCase()) || text;
  }

  function unique(list) {
    var out = [];
    list.forEach(function (v) { if (v && out.indexOf(v) < 0) out.push(v); });
    return out;
  }
  function fromUrl() {
    var params = new URLSearchParams(location.search), ids = [];
    params.getAll("models").forEach(function (v) { v.split(",").forEach(function (x) { ids.push(x.trim()); }); });
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
    var x = document.createElement(tag);
    for (var k in attrs) if (attrs.hasOwnProperty(k)) x.setAttribute(k, attrs[k]);
    if (html !== undefined) x.innerHTML = html;
    return x;
  }

  function render(chosen, unknown, extra, failed) {
    result.textContent = "";
    var notes = [];
    if (unknown.length) notes.push("Not in the catalog: " + unknown.join(", ") + ".");
    if (failed && failed.length) notes.push("Could not load " + failed.join(", ") + ": the comparison needs the site served over HTTP.");
    if (extra) notes.push("Up to four models can be compared at once; showing the first four.");
    if (!chosen.length) {
      notes.push("Pick two to four models above to compare them.");
      status.textContent = notes.join(" ");
      return;
    }
    var table = el("table", { "class": "data listing compare-table", id: "compare-table" });
    if (diffOnly && diffOnly.checked) table.classList.add("diff-only");
    table.style.setProperty("--cols", String(chosen.length));
    table.appendChild(el("caption", {}, "Side-by-side comparison. Prices in USD per 1M tokens, limits in tokens. " +
      "Rows marked \u201cdiffers\u201d have different values; the best figure of a row is tagged."));
    var head = el("tr");
    head.appendChild(el("th", { scope: "col", "class": "compare-corner" }, '<span class="sr-only">Property</span>'));
    chosen.forEach(function (c) {
      var th = el("th", { scope: "col", "class": "compare-model", "data-id": c.id },
        '<a href="' + e(root) + "models/" + e(c.id) + '/index.html">' + e(c.doc.name) + '</a><code class="row-id">' +
        e(c.id) + "</code>");
      th.appendChild(el("button", { type: "button", "class": "btn btn-sm compare-remove", "data-remove": c.id,
        "aria-label": "Remove " + c.doc.name + " from the comparison" }, "Remove"));
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);

    var tbody = el("tbody"), differing = 0, rows = 0;
    FIELDS.forEach(function (f) {
      var vals = chosen.map(function (c) {
        var v = f.get(c.doc);
        return v === undefined ? null : v;
      });
      // a kind of price none of them has is no row (most chat models bill no video seconds)
      if (f.optional && vals.every(function (v) { return v === null; })) return;
      rows++;
      var differs = chosen.length > 1 && vals.some(function (v) { return v !== vals[0]; });
      var present = vals.filter(function (v) { return v !== null; });
      var best = null;
      if (f.best && differs && present.length >= 2) {  // a lone value is not the best of anything
        present.forEach(function (v) {
          if (best === null || (f.best === "min" ? v < best : v > best)) best = v;
        });
      }
      var tr = el("tr", { "data-f": f.key });
      if (differs) { tr.classList.add("differs"); differing++; }
      var th = el("th", { scope: "row" }, f.label);
      if (differs) th.appendChild(el("span", { "class": "diff-mark" }, "differs"));
      tr.appendChild(th);
      chosen.forEach(function (c, i) {
        var v = vals[i];
        var td = el("td", { "class": (f.num ? "num" : "") + (f.cls ? " " + f.cls : "") + (f.cls && v !== null ? (v ? " yes" : " no") : "") },
          v === null && f.key !== "released" ? "\u2014" : f.html(v, c.doc));
        td.setAttribute("data-v", v === null ? "" : String(v));
        if (best !== null && v === best) {
          td.classList.add("best");
          td.appendChild(el("span", { "class": "best-tag" }, f.bestLabel));
        }
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);

    var region = el("div", { "class": "table-wrap table-scroll compare-scroll", role: "region", tabindex: "0",
      "aria-label": "Comparison of " + chosen.length + (chosen.length === 1 ? " model" : " models") });
    region.appendChild(table);
    result.appendChild(region);
    var summary = chosen.length === 1 ? "Showing 1 model; pick at least one more to compare."
      : "Comparing " + chosen.length + " models: " + differing + " of " + rows + " rows differ.";
    status.textContent = [summary].concat(notes).join(" ");
  }

  var ticket = 0;
  function update(ids, keepInputs) {
    var mine = ++ticket;
    if (!keepInputs) fill(ids);
    if (ids.length) status.textContent = "Loading\u2026";
    return Promise.all(ids.map(doc)).then(function (found) {
      if (mine !== ticket) return;
      var chosen = [], unknown = [], failed = [];
      ids.forEach(function (id, i) {
        if (found[i] === FAILED) failed.push(id);
        else if (found[i]) chosen.push({ id: id, doc: found[i] });
        else unknown.push(id);
      });
      var extra = chosen.length > MAX;
      chosen = chosen.slice(0, MAX);
      writeUrl(chosen.map(function (c) { return c.id; }).concat(failed));  // a failed fetch may succeed on reload
      render(chosen, unknown, extra, failed);
    });
  }

  function suggest(text) {
    withIndex().then(function (all) {
      var q = text.trim().toLowerCase(), html = "", n = 0;
      if (!q) return;
      for (var i = 0; i < all.length && n < SUGGESTIONS; i++) {
        var r = all[i];
        if (r.id.indexOf(q) >= 0 || r.name.toLowerCase().indexOf(q) >= 0) {
          html += '<option value="' + e(r.id) + '" label="' + e(r.name + " \u00b7 " + r.providerName) + '"></option>';
          n++;
        }
      }
      datalist.innerHTML = html;
    }, function () { /* no suggestions; typed ids still work */ });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    update(fromInputs());
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      if (diffOnly) diffOnly.checked = false;
      update([]);
    }, 0);
  });
  form.addEventListener("change", function (ev) {
    if (ev.target === diffOnly) {
      var t = document.getElementById("compare-table");
      if (t) t.classList.toggle("diff-only", diffOnly.checked);
      writeUrl(Array.prototype.map.call(result.querySelectorAll("th.compare-model"), function (th) { return th.dataset.id; }));
      return;
    }
    if (ev.target.name === "models") update(fromInputs(), true);
  });
  form.addEventListener("input", function (ev) {
    if (ev.target.name !== "models" || !datalist) return;
    var text = ev.target.value;
    suggest(text);
    // a suggestion picked from the list arrives as one input event holding a whole id
    withIndex().then(function () {
      if (byId.has(text.trim()) && ev.target.value === text) update(fromInputs(), true);
    }, function () {});
  });
  result.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("[data-remove]");
    if (!b) return;
    var gone = b.getAttribute("data-remove");
    var ids = fromInputs().filter(function (id) { return id !== gone; });
    update(ids).then(function () {
      var next = result.querySelector(".compare-remove") || inputs[Math.min(ids.length, inputs.length - 1)];
      if (next) next.focus();
    });
  });

  var params = new URLSearchParams(location.search);
  if (diffOnly) diffOnly.checked = params.get("diff") === "1";
  var initial = fromUrl();
  if (initial.length) update(initial); else render([], [], false);
  form.setAttribute("data-ready", "");
})();

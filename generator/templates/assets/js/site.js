/* modelcat: the phone menu, copy buttons, snippet tabs, "on this page" highlight. The pages work without it. */
(function () {
  "use strict";
  var d = document;
  function el(tag, cls, attrs) {
    var e = d.createElement(tag);
    if (cls) e.className = cls;
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }
  /* The main nav on a phone: a "Menu" disclosure (CSS shows it only there; without JS the list wraps). */
  var head = d.querySelector(".site-header"), menu = head && head.querySelector(".nav-toggle");
  if (menu) {  /* the button toggles itself (its onclick); here: Escape and leaving the menu close it */
    var open = function (yes) { menu.setAttribute("aria-expanded", String(yes)); };
    var isOpen = function () { return menu.getAttribute("aria-expanded") === "true"; };
    d.addEventListener("keydown", function (e) { if (e.key === "Escape" && isOpen()) { open(false); menu.focus(); } });
    d.addEventListener("click", function (e) { if (!head.contains(e.target)) open(false); });
    head.addEventListener("focusout", function (e) { if (e.relatedTarget && !head.contains(e.relatedTarget)) open(false); });
  }

  var live = el("div", "sr-only", { "aria-live": "polite" });
  d.body.appendChild(live);

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (ok, fail) {  // file:// and older browsers
      var t = el("textarea", "sr-only", { readonly: "" });
      t.value = text;
      d.body.appendChild(t);
      t.select();
      try { if (d.execCommand("copy")) ok(); else fail(); } catch (e) { fail(e); }
      t.remove();
    });
  }

  function copyButton(label, getText) {
    var b = el("button", "copy", { type: "button", "aria-label": label });
    b.textContent = "Copy";
    b.addEventListener("click", function () {
      copyText(getText()).then(function () {
        b.textContent = "Copied";
        b.classList.add("is-done");
        live.textContent = "Copied to clipboard";
        setTimeout(function () { b.textContent = "Copy"; b.classList.remove("is-done"); live.textContent = ""; }, 1600);
      }, function () { live.textContent = "Copy failed: select the text and copy it by hand"; });
    });
    return b;
  }

  d.querySelectorAll("main pre").forEach(function (pre) {
    var b = copyButton("Copy code", function () { return pre.textContent.replace(/\n$/, ""); });
    var head = pre.closest(".code") && pre.closest(".code").querySelector(".code-head");
    if (head) return head.appendChild(b);
    var box = pre.parentElement;
    if (!box.classList.contains("hl")) {
      box = el("div", "pre-wrap");
      pre.parentNode.insertBefore(box, pre);
      box.appendChild(pre);
    }
    b.classList.add("code-float");
    box.appendChild(b);
  });
  d.querySelectorAll("[data-copy]").forEach(function (e) {
    e.insertAdjacentElement("afterend", copyButton("Copy " + e.textContent, function () { return e.textContent; }));
  });

  /* Tabs (WAI-ARIA pattern, automatic activation); without JS the panels stack under their headings. */
  d.querySelectorAll("[data-tabs]").forEach(function (box, n) {
    var panels = [].filter.call(box.children, function (p) { return p.classList.contains("tab-panel"); });
    if (panels.length < 2) return;
    var name = box.getAttribute("data-tabs"), key = "modelcat-tab:" + name;
    var list = el("div", "tablist", { role: "tablist", "aria-label": name });
    var tabs = panels.map(function (p, i) {
      var title = p.querySelector(".tab-title");
      p.id = p.id || "tabs" + n + "-" + i;
      var t = el("button", "", { type: "button", role: "tab", id: p.id + "-tab", "aria-controls": p.id });
      t.textContent = title ? title.textContent : "Tab " + (i + 1);
      p.setAttribute("role", "tabpanel");
      p.setAttribute("aria-labelledby", t.id);
      t.addEventListener("click", function () { select(i); });
      list.appendChild(t);
      return t;
    });
    function select(i, focus) {
      tabs.forEach(function (t, j) {
        t.setAttribute("aria-selected", String(i === j));
        t.tabIndex = i === j ? 0 : -1;
        panels[j].hidden = i !== j;
      });
      if (focus) tabs[i].focus();
      try { localStorage.setItem(key, tabs[i].textContent); } catch (e) { /* off */ }
    }
    list.addEventListener("keydown", function (e) {
      var i = tabs.indexOf(d.activeElement), last = tabs.length - 1;
      var to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: last }[e.key];
      if (i < 0 || to === undefined) return;
      e.preventDefault();
      select(to > last ? 0 : to < 0 ? last : to, true);
    });
    var saved = null;
    try { saved = localStorage.getItem(key); } catch (e) { /* off */ }
    box.insertBefore(list, panels[0]);
    box.classList.add("is-ready");
    select(Math.max(0, tabs.findIndex(function (t) { return t.textContent === saved; })));
  });

  /* "On this page": mark the section being read. */
  var toc = d.querySelector(".toc");
  if (!toc || !window.IntersectionObserver) return;
  var links = {}, seen = {};
  toc.querySelectorAll('a[href^="#"]').forEach(function (a) { links[decodeURIComponent(a.hash.slice(1))] = a; });
  var ids = Object.keys(links);
  var io = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { seen[e.target.id] = e.isIntersecting; });
    var current = ids.filter(function (id) { return seen[id]; })[0];
    if (current) ids.forEach(function (id) {
      if (id === current) links[id].setAttribute("aria-current", "true"); else links[id].removeAttribute("aria-current");
    });
  }, { rootMargin: "-10% 0px -70% 0px" });
  ids.forEach(function (id) { var s = d.getElementById(id); if (s) io.observe(s); });
})();

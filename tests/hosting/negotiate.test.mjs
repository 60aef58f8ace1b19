// The functions `build --hosting` writes, run with node's own Request/Response/fetch.
// tests/test_hosting.py writes them into HOSTING_DIR (cloudflare/_worker.js,
// netlify/netlify/edge-functions/negotiate.js, vercel/middleware.js) for a site served at HOSTING_ROOT, then
// runs `node --test` on this file. The site is a few files in memory; each host's
// runtime is faked: env.ASSETS.fetch (Cloudflare), context.next() and fetch (Netlify),
// fetch and "nothing returned: the static file" (Vercel).
import assert from "node:assert/strict";
import { test } from "node:test";
import path from "node:path";
import { pathToFileURL } from "node:url";

const DIR = process.env.HOSTING_DIR;
const ROOT = process.env.HOSTING_ROOT;
const ORIGIN = "https://example.org";

const MD = "# Model X\n";
const site = {
  "models/meta/x/index.html": "<h1>Model X</h1>",
  "models/meta/x.md": MD,
  "models/meta/x.json": "{}",
  "providers/meta/page/2/index.html": "<h1>Meta, page 2</h1>",
  "providers/meta/page/2/index.md": "# Meta, page 2\n",
  "docs/no-twin/index.html": "<h1>No twin</h1>",
  "index.html": "<h1>Catalog</h1>",
  "llms.txt": "# Catalog\n",
  "api/models.json": "[]",
  "assets/site.0123456789.css": "body{}",
  "404.html": "<h1>Not found</h1>",
};

// The static host: the site served at ROOT; a folder URL gets its index.html.
async function serveStatic(request) {
  const { pathname } = new URL(request.url);
  let name = pathname.startsWith(ROOT) ? pathname.slice(ROOT.length) : null;
  if (name !== null && (name === "" || name.endsWith("/"))) name += "index.html";
  const body = name !== null && Object.hasOwn(site, name) ? site[name] : null;
  const type = name?.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream";
  if (body === null) return new Response(site["404.html"], { status: 404, headers: { "Content-Type": "text/html" } });
  return new Response(request.method === "HEAD" ? null : body, { headers: { "Content-Type": type } });
}

const hosts = {
  async cloudflare(request) {
    const mod = await import(pathToFileURL(path.join(DIR, "cloudflare", "_worker.js")));
    return mod.default.fetch(request, { ASSETS: { fetch: serveStatic } });
  },
  async netlify(request) {
    const mod = await import(pathToFileURL(path.join(DIR, "netlify", "netlify", "edge-functions", "negotiate.js")));
    globalThis.fetch = serveStatic;
    return mod.default(request, { next: () => serveStatic(request) });
  },
  async vercel(request) {
    const mod = await import(pathToFileURL(path.join(DIR, "vercel", "middleware.js")));
    globalThis.fetch = serveStatic;
    return (await mod.default(request)) ?? serveStatic(request); // nothing returned: the static file
  },
};

function get(urlPath, accept, method = "GET") {
  const headers = accept === undefined ? {} : { Accept: accept };
  return new Request(ORIGIN + urlPath, { method, headers });
}

function varies(res) {
  return (res.headers.get("Vary") || "").split(",").map((s) => s.trim().toLowerCase()).includes("accept");
}

for (const [host, serve] of Object.entries(hosts)) {
  const dynamicVary = host !== "vercel"; // on Vercel, vercel.json adds Vary to the static pages

  test(`${host}: Accept text/markdown gets the page's .md twin`, async () => {
    const res = await serve(get(`${ROOT}models/meta/x/`, "text/markdown"));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), MD);
    assert.equal(res.headers.get("Content-Type"), "text/markdown; charset=utf-8");
    assert.ok(varies(res), "Vary: Accept");
    assert.equal(res.headers.get("Content-Location"), `${ROOT}models/meta/x.md`);
  });

  test(`${host}: Accept text/html (or none) gets the HTML page`, async () => {
    for (const accept of ["text/html,application/xhtml+xml,*/*;q=0.8", undefined, "*/*"]) {
      const res = await serve(get(`${ROOT}models/meta/x/`, accept));
      assert.equal(await res.text(), "<h1>Model X</h1>", String(accept));
      if (dynamicVary) assert.ok(varies(res), "Vary: Accept on the HTML too");
    }
  });

  test(`${host}: a page without a twin is served as HTML`, async () => {
    const res = await serve(get(`${ROOT}docs/no-twin/`, "text/markdown"));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "<h1>No twin</h1>");
  });

  test(`${host}: the twin may be the folder's index.md`, async () => {
    const res = await serve(get(`${ROOT}providers/meta/page/2/`, "text/markdown"));
    assert.equal(await res.text(), "# Meta, page 2\n");
    assert.equal(res.headers.get("Content-Type"), "text/markdown; charset=utf-8");
  });

  test(`${host}: the home page's twin is llms.txt, or index.md when there is one`, async () => {
    let res = await serve(get(ROOT, "text/markdown"));
    assert.equal(await res.text(), "# Catalog\n");
    assert.equal(res.headers.get("Content-Type"), "text/plain; charset=utf-8");
    site["index.md"] = "# Catalog as Markdown\n";
    try {
      res = await serve(get(ROOT, "text/markdown"));
      assert.equal(await res.text(), "# Catalog as Markdown\n");
      assert.equal(res.headers.get("Content-Type"), "text/markdown; charset=utf-8");
    } finally {
      delete site["index.md"];
    }
  });

  test(`${host}: q-values decide between Markdown and HTML`, async () => {
    const cases = [
      ["text/markdown;q=0.9, text/html;q=0.8", MD],
      ["text/html;q=0.5, text/markdown", MD],
      ["text/markdown, text/html", MD],
      ["text/markdown, */*", MD],
      ["text/markdown, text/html;q=0.9, */*;q=0.8", MD],
      ["TEXT/MARKDOWN ; Q=1", MD],
      ["text/html, text/markdown;q=0.9", "<h1>Model X</h1>"],
      ["text/html, text/markdown", "<h1>Model X</h1>"],
      ["text/markdown;q=0, text/html", "<h1>Model X</h1>"],
      ["text/markdown;q=0", "<h1>Model X</h1>"],
      ["text/*", "<h1>Model X</h1>"],
      ["text/markdown;q=2", "<h1>Model X</h1>"],
      ["application/json", "<h1>Model X</h1>"],
    ];
    for (const [accept, body] of cases) {
      const res = await serve(get(`${ROOT}models/meta/x/`, accept));
      assert.equal(await res.text(), body, accept);
    }
  });

  test(`${host}: only GET and HEAD are negotiated`, async () => {
    const head = await serve(get(`${ROOT}models/meta/x/`, "text/markdown", "HEAD"));
    assert.equal(head.headers.get("Content-Type"), "text/markdown; charset=utf-8");
    const post = await serve(get(`${ROOT}models/meta/x/`, "text/markdown", "POST"));
    assert.equal(await post.text(), "<h1>Model X</h1>");
  });

  test(`${host}: other files are served as they are`, async () => {
    const res = await serve(get(`${ROOT}models/meta/x.json`, "text/markdown"));
    assert.equal(await res.text(), "{}");
    const missing = await serve(get(`${ROOT}models/meta/gone/`, "text/markdown"));
    assert.equal(missing.status, 404);
  });

  if (dynamicVary) {
    test(`${host}: the static header rules apply to what the function returns`, async () => {
      const md = await serve(get(`${ROOT}models/meta/x.md`));
      assert.equal(md.headers.get("Content-Type"), "text/markdown; charset=utf-8");
      const api = await serve(get(`${ROOT}api/models.json`));
      assert.equal(api.headers.get("Access-Control-Allow-Origin"), "*");
      const css = await serve(get(`${ROOT}assets/site.0123456789.css`));
      assert.equal(css.headers.get("Cache-Control"), "public, max-age=31536000, immutable");
      const page = await serve(get(`${ROOT}models/meta/x/`));
      assert.equal(page.headers.get("Cache-Control"), null);
    });
  }
}

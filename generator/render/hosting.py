"""`build --hosting HOST`: the files that make a static host serve the site as it should.

A static host cannot negotiate `Accept: text/markdown` on its own, nor does it know which
files are content-hashed. For each host this writes, into the site folder (the folder the
host deploys), what that host reads there:

- cloudflare: `_headers`, `_worker.js` (Pages "advanced mode": the Worker answers the
  requests, static files through `env.ASSETS.fetch`) and `_routes.json` (not for assets/);
- netlify: `_headers`, `netlify.toml` and `netlify/edge-functions/negotiate.js` (read when
  `netlify deploy` runs inside the site folder, which is then the base directory);
- vercel: `vercel.json` (headers) and `middleware.js` (Routing Middleware): vercel.json
  rewrites run only after the filesystem, which answers `/x/y/` with its index.html first,
  so they can never turn a page's URL into its twin;
- github: `.nojekyll` only: GitHub Pages has no headers, rewrites or functions.

Without --hosting none of them is written. The negotiation is one piece of JavaScript
(NEGOTIATE) shared by the three functions; tests/hosting/negotiate.test.mjs runs it with node,
tests/test_hosting.py holds the rest. Paths start with the path of the site's url
(`https://example.org/catalog/` -> `/catalog/`): the files assume the host serves the site
at that url (README "Hosting").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..write import Output

HOSTS = ("cloudflare", "netlify", "vercel", "github")
MARKDOWN = "text/markdown; charset=utf-8"
IMMUTABLE = "public, max-age=31536000, immutable"
NETLIFY_FUNCTION = "netlify/edge-functions/negotiate.js"


def site_root(url: str) -> str:
    """Return the URL path the site is served at, with both slashes ("/" or "/catalog/")."""
    path = urlsplit(url).path.strip("/")
    return f"/{path}/" if path else "/"


def header_rules(root: str, assets: list[str]) -> list[tuple[str, str, dict[str, str]]]:
    """Return (kind, site path, headers) for every static rule: kind "suffix" or "prefix".

    Only content-hashed files get the long cache: the assets folder when every asset in it
    is fingerprinted (generator.render.context.collect_assets makes them all so), else each
    asset by name.
    """
    rules = [("suffix", ".md", {"Content-Type": MARKDOWN, "Vary": "Accept"}),
             ("prefix", "api/", {"Access-Control-Allow-Origin": "*"})]
    if assets and all(a.startswith("assets/") for a in assets):
        rules.append(("prefix", "assets/", {"Cache-Control": IMMUTABLE}))
    else:
        rules += [("exact", a, {"Cache-Control": IMMUTABLE}) for a in assets]
    return [(kind, path if kind == "suffix" else root + path, headers) for kind, path, headers in rules]


def headers_file(root: str, rules) -> bytes:
    """Return `_headers` (Cloudflare Pages and Netlify share its format)."""
    lines = ["# Written by `modelcat build --hosting`: response headers of the static files.",
             f"# Paths are URL paths of the site, served at {root}."]
    for kind, path, headers in rules:
        pattern = {"suffix": f"{root}*{path}", "prefix": f"{path}*", "exact": path}[kind]
        lines.append(pattern)
        lines += [f"  {name}: {value}" for name, value in headers.items()]
    return ("\n".join(lines) + "\n").encode()


def vercel_json(root: str, rules) -> bytes:
    """Return vercel.json: the same headers, and Vary: Accept on all but the assets (the
    middleware may answer any page's URL with its twin)."""
    def source(kind: str, path: str) -> str:
        if kind == "suffix":
            return root + "(.*)" + path.replace(".", "\\.")
        return path + "(.*)" if kind == "prefix" else path

    headers = [{"source": source(kind, path), "headers": [{"key": k, "value": v} for k, v in h.items()]}
               for kind, path, h in rules]
    headers.append({"source": root + "((?!assets/).*)", "headers": [{"key": "Vary", "value": "Accept"}]})
    config = {"$schema": "https://openapi.vercel.sh/vercel.json", "headers": headers}
    return (json.dumps(config, indent=2) + "\n").encode()


def negotiate_js(root: str, rules) -> str:
    """Return the negotiation module's text for a site served at root."""
    table = [{"kind": kind, "path": path, "headers": h} for kind, path, h in rules]
    return (f"const ROOT = {json.dumps(root)};\nconst RULES = {json.dumps(table)};\n" + NEGOTIATE)


def files(url: str, host: str | None, assets: list[str]) -> list[Output]:
    """Return the files host reads in the site folder (none without a host)."""
    if not host:
        return []
    if host not in HOSTS:
        raise ValueError(f"unknown host {host!r}")
    if host == "github":
        # GitHub Pages runs Jekyll on a branch deploy unless this file is there: Jekyll would
        # drop files starting with "_" or "." and render .md files that start with front matter.
        return [Output(".nojekyll", b"")]
    root = site_root(url)
    rules = header_rules(root, assets)
    module = negotiate_js(root, rules)
    if host == "cloudflare":
        # the Worker runs for every request but the content-hashed assets: those are served
        # as static files, which get the _headers rules (Worker responses do not)
        routes = {"version": 1, "include": ["/*"], "exclude": [root + "assets/*"]}
        return [Output("_headers", headers_file(root, rules)), Output("_routes.json", (json.dumps(routes) + "\n").encode()),
                Output("_worker.js", (module + CLOUDFLARE).encode())]
    if host == "netlify":
        toml = NETLIFY_TOML.format(function=NETLIFY_FUNCTION.rpartition("/")[0])
        # assets/ is left to the static files, which get the _headers rules
        config = (f"\nexport const config = {{ path: {json.dumps(root + '*')}, "
                  f"excludedPath: {json.dumps(root + 'assets/*')} }};\n")
        return [Output("_headers", headers_file(root, rules)), Output("netlify.toml", toml.encode()),
                Output(NETLIFY_FUNCTION, (module + NETLIFY + config).encode())]
    matcher = f"\nexport const config = {{ matcher: {json.dumps(root + '((?!assets/).*)')} }};\n"
    return [Output("vercel.json", vercel_json(root, rules)), Output("middleware.js", (module + VERCEL + matcher).encode())]


def hosting_files(ctx, host: str | None) -> Iterator[Output]:
    """Yield the hosting files of the site of ctx for host (nothing without one)."""
    yield from files(ctx.site.url, host, sorted(ctx.assets.paths.values()))


NETLIFY_TOML = """\
# Written by `modelcat build --hosting netlify`. Netlify reads this file from the base
# directory, not the publish directory: deploy from inside the site folder,
#   cd site && netlify deploy --prod
# which makes this folder both (README "Hosting").
[build]
  publish = "."
  edge_functions = "{function}"
"""

# The negotiation, shared by the three hosts' functions. A request for a page's folder URL
# (/x/y/) whose Accept header prefers text/markdown to text/html gets the page's Markdown
# twin: /x/y.md, else /x/y/index.md; the home page /index.md, else /llms.txt. Anything else,
# or a twin that is not there, is served as usual. Every response of a negotiated URL says
# Vary: Accept, and the static header rules (RULES) are applied here too, since not every
# host applies its _headers file to what a function returns.
NEGOTIATE = r"""
// Return the quality and the position of the Accept entry that best matches type.
function acceptance(accept, type) {
  const [major] = type.split("/");
  let best = { q: 0, rank: -1, index: Infinity };
  accept.split(",").forEach((entry, index) => {
    const [range, ...params] = entry.trim().toLowerCase().split(";").map((s) => s.trim());
    const rank = range === type ? 2 : range === `${major}/*` ? 1 : range === "*/*" ? 0 : -1;
    if (rank < best.rank || rank < 0) return;
    let q = 1;
    for (const p of params) {
      const [key, value] = p.split("=").map((s) => s.trim());
      if (key === "q") q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
    }
    if (rank > best.rank) best = { q, rank, index };
  });
  return best;
}

// Return whether the Accept header prefers Markdown to HTML: a higher q; or the same q and
// Markdown named while HTML only matches a wildcard; or both named and Markdown first.
export function prefersMarkdown(accept) {
  if (!accept) return false;
  const md = acceptance(accept, "text/markdown");
  const html = acceptance(accept, "text/html");
  if (md.q <= 0 || md.q !== html.q) return md.q > html.q;
  if (md.rank < 2) return false;
  return html.rank < 2 || md.index < html.index;
}

// Return the paths that may hold the Markdown twin of the page at path, best first.
export function twinPaths(path) {
  if (!path.endsWith("/")) return [];
  if (path === ROOT || path === "/") return [path + "index.md", path + "llms.txt"];
  if (!path.startsWith(ROOT)) return [];
  return [path.slice(0, -1) + ".md", path + "index.md"];
}

function matches(rule, path) {
  if (rule.kind === "suffix") return path.startsWith(ROOT) && path.endsWith(rule.path);
  return rule.kind === "prefix" ? path.startsWith(rule.path) : path === rule.path;
}

// Return response with the header rules of path, and Vary: Accept when it was negotiated.
function finish(response, path, negotiated, type) {
  const out = new Response(response.body, response);
  for (const rule of RULES) {
    if (matches(rule, path)) for (const [k, v] of Object.entries(rule.headers)) out.headers.set(k, v);
  }
  if (type) out.headers.set("Content-Type", type);
  if (negotiated) {
    const vary = (out.headers.get("Vary") || "").split(",").map((s) => s.trim()).filter(Boolean);
    if (!vary.some((v) => v.toLowerCase() === "accept" || v === "*")) vary.push("Accept");
    out.headers.set("Vary", vary.join(", "));
  }
  return out;
}

// Answer request: fetchAsset(request) fetches a static file, next() serves the request as
// the host would without us (it may return undefined: "carry on", on Vercel).
export async function negotiate(request, fetchAsset, next) {
  const url = new URL(request.url);
  const path = url.pathname;
  const twins = request.method === "GET" || request.method === "HEAD" ? twinPaths(path) : [];
  if (twins.length && prefersMarkdown(request.headers.get("Accept"))) {
    for (const twin of twins) {
      const res = await fetchAsset(new Request(new URL(twin, url), { method: request.method, headers: request.headers }));
      if (res && (res.ok || res.status === 304)) {
        const type = twin.endsWith(".md") ? "text/markdown; charset=utf-8" : "text/plain; charset=utf-8";
        const out = finish(res, twin, true, type);
        out.headers.set("Content-Location", twin);
        return out;
      }
    }
  }
  const res = await next();
  return res === undefined ? undefined : finish(res, path, twins.length > 0);
}
"""

CLOUDFLARE = r"""
// Cloudflare Pages advanced mode: this Worker answers every request of the site.
export default {
  async fetch(request, env) {
    return negotiate(request, (req) => env.ASSETS.fetch(req), () => env.ASSETS.fetch(request));
  },
};
"""

NETLIFY = r"""
// Netlify Edge Function: context.next() is the static file the request would get.
export default async function (request, context) {
  return negotiate(request, (req) => fetch(req), () => context.next());
}
"""

VERCEL = r"""
// Vercel Routing Middleware: returning nothing lets the request go on to the static files,
// whose headers come from vercel.json.
export default async function middleware(request) {
  return negotiate(request, (req) => fetch(req), () => undefined);
}
"""

"""`build --hosting HOST` (CONTRACT.md section 4): each host's files in the site, none without.

The generated functions run under node in tests/hosting/negotiate.test.mjs (driven from
here); the static files (_headers, vercel.json, netlify.toml) are parsed and checked here.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from generator.render import hosting
from tests.conftest import SITE_YAML, make_project, run_cli, valid_files

NODE_TEST = Path(__file__).parent / "hosting" / "negotiate.test.mjs"
HOST_FILES = {
    "cloudflare": {"_headers", "_routes.json", "_worker.js"},
    "netlify": {"_headers", "netlify.toml", "netlify/edge-functions/negotiate.js"},
    "vercel": {"vercel.json", "middleware.js"},
    "github": {".nojekyll"},
}
EVERY_HOST_FILE = set().union(*HOST_FILES.values())


def site_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def build(tmp_path: Path, *args: str, url: str | None = None) -> Path:
    files = valid_files()
    if url is not None:
        files["site.yaml"] = SITE_YAML.replace("url: https://aigateway.sh/", f"url: {url}")
    project = tmp_path / "project"
    if not project.exists():
        make_project(tmp_path, files)
    result = run_cli("build", "--project", project, *args)
    assert result.exit_code == 0, result.output
    return project / "site"


def parse_headers(text: str) -> dict[str, dict[str, str]]:
    """Return path -> {header: value} of a _headers file (Netlify / Cloudflare Pages format)."""
    rules: dict[str, dict[str, str]] = {}
    current = None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            assert line not in rules, f"path {line} twice"
            current = rules[line] = {}
        else:
            name, _, value = line.strip().partition(": ")
            current[name] = value
    return rules


@pytest.mark.parametrize("host", [None, *hosting.HOSTS])
def test_each_host_adds_its_files_and_none_without(tmp_path, host):
    site = build(tmp_path, *(["--hosting", host] if host else []))
    found = site_files(site) & EVERY_HOST_FILE
    assert found == (HOST_FILES[host] if host else set())


def test_unknown_host_is_bad_usage(tmp_path):
    make_project(tmp_path, valid_files())
    result = run_cli("build", "--project", tmp_path / "project", "--hosting", "heroku")
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "project" / "site").exists()


def test_changing_the_host_rebuilds(tmp_path):
    """The up-to-date check counts --hosting among the options: the files come and go."""
    site = build(tmp_path)
    assert not site_files(site) & EVERY_HOST_FILE
    build(tmp_path, "--hosting", "netlify")
    assert site_files(site) & EVERY_HOST_FILE == HOST_FILES["netlify"]
    build(tmp_path)
    assert not site_files(site) & EVERY_HOST_FILE


def test_headers_file_rules(tmp_path):
    site = build(tmp_path, "--hosting", "cloudflare")
    rules = parse_headers((site / "_headers").read_text(encoding="utf-8"))
    assert rules == {
        "/*.md": {"Content-Type": "text/markdown; charset=utf-8", "Vary": "Accept"},
        "/api/*": {"Access-Control-Allow-Origin": "*"},
        "/assets/*": {"Cache-Control": "public, max-age=31536000, immutable"},
    }
    assert (site / "_headers").read_bytes() == (build(tmp_path / "b", "--hosting", "netlify") / "_headers").read_bytes()
    # the Worker is not run for the assets: the static files get the rules above
    routes = json.loads((site / "_routes.json").read_text(encoding="utf-8"))
    assert routes == {"version": 1, "include": ["/*"], "exclude": ["/assets/*"]}


def test_long_cache_only_for_content_hashed_files(tmp_path):
    """Every file under assets/ carries the digest of its bytes in its name, so /assets/* may
    be cached for a year; nothing else of the site is under assets/."""
    site = build(tmp_path, "--hosting", "netlify")
    assets = sorted(f for f in site_files(site) if f.startswith("assets/"))
    assert assets
    for name in assets:
        digest = hashlib.sha256((site / name).read_bytes()).hexdigest()[:10]
        assert f".{digest}." in name or name.endswith(f".{digest}"), name
    # an asset outside assets/ would be named one by one
    rules = hosting.header_rules("/", ["logo.0123456789.svg"])
    assert ("exact", "/logo.0123456789.svg", {"Cache-Control": hosting.IMMUTABLE}) in rules


def test_vercel_json(tmp_path):
    site = build(tmp_path, "--hosting", "vercel")
    config = json.loads((site / "vercel.json").read_text(encoding="utf-8"))
    headers = {h["source"]: {kv["key"]: kv["value"] for kv in h["headers"]} for h in config["headers"]}
    assert headers["/(.*)\\.md"] == {"Content-Type": "text/markdown; charset=utf-8", "Vary": "Accept"}
    assert headers["/api/(.*)"] == {"Access-Control-Allow-Origin": "*"}
    assert headers["/assets/(.*)"] == {"Cache-Control": "public, max-age=31536000, immutable"}
    vary = re.compile("^/((?!assets/).*)$")  # the Vary rule's source, as a regex
    assert headers["/((?!assets/).*)"] == {"Vary": "Accept"}
    assert vary.match("/") and vary.match("/models/meta/x/") and not vary.match("/assets/site.css")
    # rewrites in vercel.json run after the filesystem (index.html answers /x/y/ first):
    # the negotiation is middleware.js, not a rewrite that would never fire
    assert "rewrites" not in config
    middleware = (site / "middleware.js").read_text(encoding="utf-8")
    assert 'export const config = { matcher: "/((?!assets/).*)" };' in middleware


def test_netlify_toml(tmp_path):
    site = build(tmp_path, "--hosting", "netlify")
    config = tomllib.loads((site / "netlify.toml").read_text(encoding="utf-8"))
    assert config == {"build": {"publish": ".", "edge_functions": "netlify/edge-functions"}}
    function = (site / "netlify/edge-functions/negotiate.js").read_text(encoding="utf-8")
    assert 'export const config = { path: "/*", excludedPath: "/assets/*" };' in function


def test_a_site_under_a_sub_path_names_its_paths(tmp_path):
    url = "https://org.github.io/catalog/"
    site = build(tmp_path, "--hosting", "netlify", url=url)
    assert set(parse_headers((site / "_headers").read_text(encoding="utf-8"))) == {
        "/catalog/*.md", "/catalog/api/*", "/catalog/assets/*"}
    assert hosting.files(url, "cloudflare", [])[1].data == b'{"version": 1, "include": ["/*"], "exclude": ["/catalog/assets/*"]}\n'
    assert 'path: "/catalog/*", excludedPath: "/catalog/assets/*"' in (site / "netlify/edge-functions/negotiate.js").read_text(encoding="utf-8")
    vercel = hosting.files(url, "vercel", ["assets/a.0123456789.css"])
    config = json.loads(vercel[0].data)
    assert all(h["source"].startswith("/catalog/") for h in config["headers"])
    assert b'matcher: "/catalog/((?!assets/).*)"' in vercel[1].data
    assert hosting.site_root("https://example.org") == "/"
    assert hosting.site_root("https://example.org/a/b") == "/a/b/"


def test_hosting_files_are_neither_pages_nor_links(tmp_path):
    """--strict checks every link with the files in place; the sitemap lists pages only."""
    site = build(tmp_path, "--hosting", "cloudflare", "--strict")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for name in EVERY_HOST_FILE:
        assert name not in sitemap
    for name in ("llms.txt", "llms-full.txt"):
        assert "_worker" not in (site / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("url", ["https://example.org/", "https://example.org/catalog/"])
def test_functions_under_node(tmp_path, url):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    for host in ("cloudflare", "netlify", "vercel"):
        for o in hosting.files(url, host, ["assets/site.0123456789.css"]):
            target = tmp_path / host / o.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(o.data)
    (tmp_path / "package.json").write_text('{"type": "module"}\n')  # the .js files are ES modules
    env = {"HOSTING_DIR": str(tmp_path), "HOSTING_ROOT": hosting.site_root(url), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([node, "--test", "--test-reporter=tap", str(NODE_TEST)], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert re.search(r"^# pass (\d+)$", result.stdout, re.M).group(1) == "26"

"""Agents read every page: afdocs (the Agent-Friendly Documentation Spec's checker) finds
nothing to fail or warn on, and every Markdown output holds the rules it checks.

afdocs comes from the npm registry, pinned (.ci/run installs it into .tools/, as README says).
It runs against a loopback server of a generated catalog of 500 models over 12 providers:
large enough that llms.txt nests (one line per provider) and the listings are paged. Two
things of that catalog and run differ from a real one, both because these machines have no
network: its site.yaml has no `links` (external pages cannot resolve offline), and the
content-negotiation check is skipped (a static host serves a .md file by its name, not by an
Accept header; the issue leaves it out). Parity ignores `.needs-js` elements: the search form,
the cost calculator and the like, which work only with JavaScript and have no Markdown
equivalent.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.builds import TODAY_EPOCH
from tests.tools import REPO, missing

AFDOCS_VERSION = "0.22.2"  # the version .ci/run installs
MODELS, PROVIDERS = 500, 12


def afdocs() -> list[str]:
    """Return the command that runs afdocs (skip, or fail in CI, when it is not installed)."""
    script = REPO / ".tools/node_modules/afdocs/bin/afdocs.mjs"
    pkg = REPO / ".tools/node_modules/afdocs/package.json"
    node = shutil.which("node")
    if not (node and pkg.is_file() and script.is_file()):
        missing(f"afdocs is not installed (npm install --prefix .tools afdocs@{AFDOCS_VERSION})")
    version = json.loads(pkg.read_text(encoding="utf-8"))["version"]
    assert version == AFDOCS_VERSION, f"afdocs {version} installed, {AFDOCS_VERSION} pinned"
    return [node, str(script)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@functools.lru_cache(maxsize=1)
def agent_site() -> tuple[Path, str]:
    """Return (site folder, base URL) of the generated catalog, built for its loopback URL."""
    from benchmarks.generate import generate_catalog
    from generator.build import build

    project = Path(tempfile.mkdtemp(prefix="modelcat-agents-"))
    generate_catalog(project / "catalog", n=MODELS, seed=0, providers=PROVIDERS)
    site_yaml = project / "catalog" / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(re.sub(r"(?ms)^links:\n(?:  .*\n)*", "", text), encoding="utf-8")  # offline
    base = f"http://127.0.0.1:{free_port()}/"
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = TODAY_EPOCH
    try:
        build(project, project / "site", base_url=base, workers=1)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return project / "site", base


@pytest.fixture(scope="module")
def site():
    folder, base = agent_site()
    yield folder, base
    shutil.rmtree(folder.parent, ignore_errors=True)
    agent_site.cache_clear()


@pytest.fixture(scope="module")
def served(site):
    folder, base = site
    port = int(base.rsplit(":", 1)[1].strip("/"))
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def md_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.md"))


# --- afdocs ----------------------------------------------------------------------------------

def test_afdocs_finds_nothing_to_fail_or_warn(site, served):
    cmd = afdocs() + ["check", served, "--format", "json", "--quiet", "--skip-checks", "content-negotiation",
                      "--sampling", "deterministic", "--request-delay", "0", "--max-concurrency", "4",
                      "--parity-exclusions", ".needs-js"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=REPO)
    report = json.loads(run.stdout)
    results = {r["id"]: r for r in report["results"]}
    bad = {k: r["message"] for k, r in results.items() if r["status"] in ("fail", "warn", "error")}
    assert bad == {}
    skipped = {k for k, r in results.items() if r["status"] == "skip"}
    # content negotiation as said above; the other needs an auth-gated page, which the site has none of
    assert skipped <= {"content-negotiation", "auth-alternative-access"}
    assert len(results) >= 28


def test_the_catalog_is_large_enough_to_nest_and_page(site):
    folder, base = site
    llms = (folder / "llms.txt").read_text(encoding="utf-8")
    assert f"]({base}providers/" in llms and "/llms.txt)" in llms and "/models/" not in llms  # nested
    assert (folder / "pricing/page/2/index.html").is_file() and (folder / "pricing/page/2.md").is_file()


# --- every Markdown output -------------------------------------------------------------------

LINK = re.compile(r"\]\((<?[^)\s]+)\)")


def test_every_markdown_output_links_absolutely(site):
    """Every .md twin, every llms.txt, llms-full.txt and api.md: each link an absolute URL."""
    folder, base = site
    outputs = md_files(folder) + sorted(folder.rglob("*.txt"))
    assert len(outputs) > MODELS * 2
    for path in outputs:
        if path.name == "robots.txt":
            continue
        text = re.sub(r"(?ms)^(`{3,}).*?^\1", "", path.read_text(encoding="utf-8"))  # not inside code
        text = re.sub(r"`[^`\n]*`", "", text)
        links = LINK.findall(text)
        relative = [u for u in links if not re.match(r"^<?(https?|mailto):", u) and not u.startswith("#")]
        assert relative == [], f"{path.relative_to(folder)}: {relative[:3]}"


def test_every_markdown_page_opens_with_the_llms_txt_pointer(site):
    folder, base = site
    for path in md_files(folder):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("> ") and f"]({base}llms.txt)" in first, path.relative_to(folder)


def test_every_html_page_starts_with_the_pointer(site):
    """The pointer opens the page (after the skip link): visually hidden, never display:none, absolute."""
    folder, base = site
    pages = [p for p in folder.rglob("index.html")]
    assert len(pages) > MODELS
    for page in pages[:: max(1, len(pages) // 60)] + [folder / "index.html"]:
        html = page.read_text(encoding="utf-8")
        body = html[html.index("<body"):]
        soup = BeautifulSoup(body, "html.parser")
        pointer = soup.body.find("p")
        assert "sr-only" in pointer.get("class", []) and pointer.find_parent("header") is not None, page
        assert pointer.a["href"] == base + "llms.txt" and pointer.a["tabindex"] == "-1"
        assert "display" not in (pointer.get("style") or "")
        assert [t.name for t in soup.body.find_all(True)][:3] == ["a", "header", "p"]  # skip link, then it
        assert body.index(f'href="{base}llms.txt"') < len(body) * 0.02


def test_twins_at_both_url_forms(site):
    """A directory page's twin is at <page>.md (what rel=alternate names) and <page>/index.md."""
    folder, base = site
    html = [p for p in folder.rglob("index.html") if p.parent != folder]
    assert html
    for page in html:
        rel = page.parent.relative_to(folder).as_posix()
        twin, inner = folder / f"{rel}.md", page.parent / "index.md"
        assert twin.is_file() and inner.is_file(), rel
        assert twin.read_bytes() == inner.read_bytes(), rel
    assert (folder / "index.md").is_file()
    for page in html[:: max(1, len(html) // 40)] + [folder / "index.html"]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        alt = soup.find("link", rel="alternate", type="text/markdown")
        assert alt is not None, page
        target = (page.parent / alt["href"]).resolve()
        assert target.is_file() and target.suffix == ".md"


def test_listing_twins_page_like_their_html(site):
    folder, base = site
    pricing = (folder / "pricing.md").read_text(encoding="utf-8")
    rows = [ln for ln in pricing.splitlines() if ln.startswith("| [")]
    assert len(rows) == 100
    assert f"Next page: [2]({base}pricing/page/2.md)" in pricing
    last = sorted((folder / "pricing/page").glob("*.md"), key=lambda p: int(p.stem))[-1]
    total = 100 * (int(last.stem) - 1) + sum(1 for ln in last.read_text(encoding="utf-8").splitlines()
                                             if ln.startswith("| ["))
    assert total == MODELS


def test_pages_stay_small_for_agents(site):
    """Each Markdown page and the OpenAPI spec stay far below what an agent reads at once."""
    folder, _ = site
    assert max(p.stat().st_size for p in md_files(folder)) < 50_000
    spec = (folder / "openapi.yaml").read_text(encoding="utf-8")
    ids = [m["id"] for m in json.loads((folder / "api/models.json").read_text(encoding="utf-8"))["data"]]
    assert len(ids) == MODELS
    assert len(spec) < 50_000 and sum(f"{i}\n" in spec or f"{i}'" in spec for i in ids) <= 2  # examples only

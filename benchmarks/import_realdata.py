"""Import the whole real-data files (when ../shared/realdata/ is there), then check what came out.

    python -m benchmarks.import_realdata [--realdata DIR] [--dest DIR]

For models.dev (every provider block) and LiteLLM it imports into a new project with the real
CLI, and checks: every written record validates (`modelcat validate` exits 0), a full build
succeeds, and every price of every record (headline, tiers, variants, each offer) in the `.json`
twins equals the source's exactly (Decimal: per-token strings times one million), and each
model page shows its headline input price as the page formats it. Then the built site's
`api/openrouter.json` and `api/models-dev.json` are imported back and must give the same facts.
Prints one table row per step; exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITE_YAML = """\
name: AIgateway
url: https://models.example.com/
api:
  base_url: https://api.example.com/v1
  key_env: AIGATEWAY_API_KEY
"""
FILES = {"models.dev": "models-dev-api.json", "litellm": "litellm-model-prices.json"}


def cli(*args: str) -> tuple[int, str, float]:
    start = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr, time.perf_counter() - start


def new_project(dest: Path, name: str) -> Path:
    project = dest / name
    if project.exists():
        shutil.rmtree(project)
    (project / "catalog").mkdir(parents=True)
    (project / "catalog" / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    return project


def prices(node, prefix: str = "") -> dict[str, Decimal]:
    """Every price of a record's pricing (as planned: Decimals; as built: floats) by path."""
    out: dict[str, Decimal] = {}
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "above":
                continue
            out.update(prices(v, f"{prefix}.{k}" if prefix else k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.update(prices(v, f"{prefix}[{i}]"))
    elif node is not None and not isinstance(node, bool):
        out[prefix] = node if isinstance(node, Decimal) else Decimal(repr(node))
    return out


def check_prices(source: str, file: Path, project: Path) -> tuple[int, int, int]:
    """Return (prices compared, mismatches, pages checked) for the built site of project."""
    from generator import formats
    from generator.importers import parse_source
    from generator.importers.common import load_json, plan

    planned, _, _ = plan(parse_source(source, load_json(file), None), set())
    compared = bad = pages = 0
    site = project / "site" / "models"
    for p in planned:
        doc = json.loads((site / f"{p.id}.json").read_text(encoding="utf-8"))
        want = prices(p.record["pricing"])
        for i, o in enumerate(p.record.get("offers", [])):
            want.update({f"offers[{i}].{k}": v for k, v in prices(o["pricing"]).items()})
        got = prices({k: v for k, v in doc["pricing"].items()})
        offers = sorted(doc.get("offers") or [], key=lambda o: (o["host"], o.get("region") or ""))
        for i, o in enumerate(offers):
            got.update({f"offers[{i}].{k}": v for k, v in prices(o["pricing"]).items()})
        for path, value in want.items():
            compared += 1
            # the twin holds the double nearest the exact product (the record file holds its digits)
            if got.get(path) != Decimal(repr(float(value))):
                bad += 1
                if bad <= 10:
                    print(f"  mismatch {p.id}: {path} source {value} twin {got.get(path)}")
        html = (site / p.id / "index.html").read_text(encoding="utf-8")
        pages += 1
        shown = formats.price(float(p.record["pricing"]["input"]))
        if shown not in html:
            bad += 1
            print(f"  page {p.id}: headline input {shown} not shown")
    return compared, bad, pages


CAPS = ("streaming", "tool_calling", "vision", "json_mode", "prompt_caching", "reasoning", "structured_output")
# What each export shape can hold (README "Exports"): the round trip compares these.
SHAPES = {
    # vision is "image in the input" in both shapes; LiteLLM may list image input without vision
    "models.dev": {"caps": ("tool_calling", "reasoning", "structured_output"),
                   "prices": ("input", "output", "cached_input", "cache_write", "reasoning", "input_audio",
                              "output_audio", "tiers"),
                   "keys": ("name", "released", "modalities", "limits", "status", "open_weights", "knowledge_cutoff")},
    "openrouter": {"caps": ("tool_calling", "json_mode", "reasoning", "structured_output"),
                   "prices": ("input", "output", "cached_input", "cache_write", "reasoning", "per_request",
                              "per_search"),
                   "keys": ("name", "modalities", "limits", "knowledge_cutoff")},
}


def facts(project: Path, shape: str) -> dict:
    import yaml

    want = SHAPES[shape]
    out = {}
    for f in sorted((project / "catalog" / "models").glob("*/*.yaml")):
        rec = yaml.safe_load(f.read_text(encoding="utf-8"))
        caps = rec.get("capabilities") or {}
        pricing = {k: v for k, v in rec["pricing"].items() if k in want["prices"] and v not in (None, [])}
        if pricing.get("tiers"):  # a tier's prices: only the kinds the shape holds
            pricing["tiers"] = [{k: v for k, v in t.items() if k == "above" or k in want["prices"]}
                                for t in pricing["tiers"]]
        if shape == "openrouter":  # "0" fees are not charged apart: the importer leaves them out
            pricing = {k: v for k, v in pricing.items() if not (k in ("per_request", "per_search", "reasoning")
                                                                  and v == 0)}
        out[rec["id"]] = {**{k: rec.get(k) for k in want["keys"]}, "pricing": pricing,
                          "capabilities": {c: bool(caps.get(c)) for c in want["caps"]}}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--realdata", type=Path, default=REPO.parent / "shared" / "realdata")
    ap.add_argument("--dest", type=Path, default=None)
    args = ap.parse_args()
    if not (args.realdata / FILES["litellm"]).is_file():
        print(f"no real data in {args.realdata}: nothing to do")
        return 0
    sys.path.insert(0, str(REPO))
    dest = args.dest or Path(tempfile.mkdtemp(prefix="modelcat-import-bench-"))
    failed = False
    print("| step | result | seconds |\n|---|---|---|")
    for source, name in FILES.items():
        file = args.realdata / name
        project = new_project(dest, source.replace(".", "-"))
        code, out, secs = cli("import", source, str(file), "--project", str(project))
        print(f"| import {source} | {out.strip().splitlines()[-1] if code == 0 else 'FAILED ' + out[-300:]} | {secs:.1f} |")
        failed |= code != 0
        code, out, secs = cli("import", source, str(file), "--project", str(project), "--check")
        print(f"| import --check right after (must change nothing) | exit {code} | {secs:.1f} |")
        failed |= code != 0
        code, out, secs = cli("validate", "--project", str(project))
        print(f"| validate | {out.strip().splitlines()[-1]} | {secs:.1f} |")
        failed |= code != 0
        code, out, secs = cli("build", "--project", str(project), "--out", str(project / "site"))
        built = [ln for ln in out.splitlines() if ln.startswith("built ")]
        print(f"| build | {built[-1] if built else 'FAILED ' + out[-300:]} | {secs:.1f} |")
        failed |= code != 0
        if code == 0:
            start = time.perf_counter()
            compared, bad, pages = check_prices(source, file, project)
            print(f"| prices on twins and pages | {compared:,} prices, {pages:,} pages, {bad} mismatches "
                  f"| {time.perf_counter() - start:.1f} |")
            failed |= bad > 0
            for shape, export, extra in (("openrouter", "openrouter.json", ()),
                                         ("models.dev", "models-dev.json", ("--provider", "aigateway"))):
                back = new_project(dest, f"{source.replace('.', '-')}-back-{shape.replace('.', '-')}")
                code, out, secs = cli("import", shape, str(project / "site" / "api" / export),
                                      "--project", str(back), *extra)
                a, b = facts(project, shape), facts(back, shape)
                same = sum(a[k] == b.get(k) for k in a)
                print(f"| export {export} imported back | {same:,} of {len(a):,} records equal in what the "
                      f"shape holds | {secs:.1f} |")
                failed |= same != len(a)
                for k in [k for k in a if a[k] != b.get(k)][:5]:
                    print(f"  differs {k}: {a[k]} / {b.get(k)}")
    print(f"\nprojects in {dest}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

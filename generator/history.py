"""The catalog's history, read from the git repository it sits in (CONTRACT.md section 4).

One `git log` lists, per commit on the first-parent line, the model files it changed and
their blob ids; `git cat-file --batch` reads each blob once; each version is reduced to
its facts (prices, limits, modalities, capabilities, status, lifecycle), and a commit that
changed a model's facts becomes one entry of its history. Only commits count: uncommitted
edits are the current state, not history. Outside git, in a shallow clone, or without a
`git` program there is no history, and one note says why.

Nothing of the repository is run: only `git log` and `git cat-file`, which read objects and
start no hooks, pagers, diff drivers or fsmonitor (those are also switched off explicitly).
Blob facts are cached by blob id in .modelcat-cache/, so a new commit parses only the
files it touched. tests/test_history.py makes dated commits in a temporary repository.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# The facts of a model whose changes are its history, as dotted paths of its record.
FACT_KEYS = ("pricing", "limits", "modalities", "capabilities", "status", "deprecation", "lifecycle",
             "kind", "offers")
# What a missing fact means (the record's defaults), so that writing a default down is no change.
DEFAULTS = {"status": "active"}
DEFAULT_FALSE = "capabilities."  # a capability left out is false
MAX_BLOB_BYTES = 5 * 1024 * 1024  # as the loader: a record is a few KB
MAX_LEAF_ITEMS = 64  # a fact's list (modalities) is short; anything longer is not a fact we show
FORMAT = 1
GIT_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "diff.external=",
            "--no-pager", "--literal-pathspecs")


@dataclass(frozen=True)
class Entry:
    """One commit that changed a model's facts: {field path: (old, new)}; empty for its first."""

    date: str  # YYYY-MM-DD, the commit's (committer) date in UTC
    commit: str
    changes: dict[str, tuple[Any, Any]]

    def as_json(self) -> dict:
        return {"date": self.date, "commit": self.commit,
                "changes": {k: [old, new] for k, (old, new) in self.changes.items()}}


@dataclass(frozen=True)
class Removal:
    """When a model's file left the catalog, and what its last version said replaces it."""

    date: str
    commit: str
    name: str
    provider: str
    replacement: str | None
    facts: dict[str, Any]


@dataclass(frozen=True)
class ModelHistory:
    id: str
    entries: tuple[Entry, ...]
    removed: Removal | None = None  # set only for a model not in the catalog at HEAD


@dataclass(frozen=True)
class History:
    """Per model id, its history; `note` says why there is none (outside git, shallow...)."""

    head: str | None
    models: dict[str, ModelHistory] = field(default_factory=dict)
    note: str | None = None

    def of(self, model_id: str) -> tuple[Entry, ...]:
        h = self.models.get(model_id)
        return h.entries if h is not None else ()

    @property
    def removed(self) -> list[ModelHistory]:
        return [h for h in self.models.values() if h.removed is not None]


def facts_of(data: Any) -> dict[str, Any]:
    """Return the flat facts of one version of a record ({"pricing.input": 0.1, ...})."""
    out: dict[str, Any] = {}
    if not isinstance(data, dict):
        return out

    def leaf(value: Any) -> Any:
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()[:10]
        if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
            return value
        if isinstance(value, list) and len(value) <= MAX_LEAF_ITEMS:
            items = [leaf(v) for v in value]
            return items if all(not isinstance(v, (dict, list, _Skip)) for v in items) else _SKIP
        return _SKIP

    def walk(prefix: str, value: Any, depth: int) -> None:
        if isinstance(value, dict) and depth < 4:
            for k in sorted(value, key=str):
                if isinstance(k, str):
                    walk(f"{prefix}.{k}", value[k], depth + 1)
            return
        v = leaf(value)
        if v is not _SKIP:
            out[prefix] = v

    for key in FACT_KEYS:
        if key in data:
            walk(key, data[key], 1)
    for key, default in DEFAULTS.items():
        out.setdefault(key, default)
    for key in [k for k, v in out.items() if k.startswith(DEFAULT_FALSE) and v is False]:
        del out[key]  # false is the default: the same as not written
    return out


class _Skip:
    pass


_SKIP = _Skip()


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Return {path: (old, new)} for every fact that differs (a missing one is None)."""
    changes = {}
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if key.startswith(DEFAULT_FALSE):
            a, b = bool(a), bool(b)
        if a != b:
            changes[key] = (a, b)
    return changes


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in ("GIT_CONFIG_NOSYSTEM",)}
    env["GIT_TERMINAL_PROMPT"] = "0"
    proc = subprocess.run(["git", *GIT_SAFE, *args], cwd=repo, input=data, capture_output=True, env=env,
                          timeout=300)
    if proc.returncode != 0:
        raise _NoHistory(proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["git failed"])
    return proc.stdout


class _NoHistory(Exception):
    pass


def _repository(project: Path) -> tuple[Path, str, str] | str:
    """Return (repository root, catalog's path in it, HEAD) or the reason there is no history."""
    try:
        top = _git(project, "rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD").decode().split("\n")
    except FileNotFoundError:
        return "no git program: the catalog's history is not read"
    except (_NoHistory, subprocess.TimeoutExpired, OSError):
        return "not a git checkout (or no commit yet): no price history"
    root, shallow, head = Path(top[0]), top[1] == "true", top[2]
    if shallow:
        return ("a shallow git clone: no price history (fetch the whole history, e.g. "
                "actions/checkout with fetch-depth: 0)")
    try:
        rel = (project.resolve() / "catalog").relative_to(root.resolve()).as_posix()
    except ValueError:
        return "the catalog is outside its git repository's work tree: no price history"
    return root, rel, head


def read_history(project: Path, cache_dir: Path | None = None) -> History:
    """Return the history of project/catalog/models from the commits of its repository."""
    where = _repository(project)
    if isinstance(where, str):
        return History(head=None, note=where)
    root, rel, head = where
    cache = _Cache(cache_dir) if cache_dir is not None else None
    try:
        commits = _commits(root, rel)
        blobs = _blob_facts(root, {b for _, _, files in commits for _, b in files if b},
                            cache.blobs if cache is not None else {})
    except (_NoHistory, subprocess.TimeoutExpired, OSError) as exc:
        return History(head=None, note=f"cannot read the catalog's git history ({exc}): no price history")
    history = _derive(commits, blobs, f"{rel}/models/")
    history = History(head=head, models=history)
    if cache is not None:
        cache.save(history, blobs)
    return history


def _commits(root: Path, rel: str) -> list[tuple[str, str, list[tuple[str, str | None]]]]:
    """Return, oldest first, (sha, date, [(path, blob or None when deleted)]) per commit."""
    raw = _git(root, "log", "--first-parent", "-m", "--reverse", "--raw", "--no-renames", "--no-abbrev",
               "-z", "--format=%x01%H %ct", "--", f"{rel}/models/")
    commits = []
    for chunk in raw.split(b"\x01")[1:]:
        head, _, rest = chunk.partition(b"\0")
        sha, ts = head.decode().split()
        date = datetime.datetime.fromtimestamp(int(ts), datetime.timezone.utc).date().isoformat()
        files = []
        parts = rest.lstrip(b"\n").split(b"\0")
        i = 0
        while i + 1 < len(parts):
            meta, path = parts[i], parts[i + 1]
            i += 2
            if not meta.startswith(b":"):
                break
            fields = meta.decode().split()
            new_blob, status = fields[3], fields[4]
            name = path.decode("utf-8", "surrogateescape")
            if not name.endswith(".yaml"):
                continue
            files.append((name, None if status.startswith("D") or set(new_blob) == {"0"} else new_blob))
        commits.append((sha, date, files))
    return commits


def _blob_facts(root: Path, wanted: set[str], known: dict[str, dict]) -> dict[str, dict]:
    """Return facts per blob id, parsing only blobs not already known."""
    facts = {b: known[b] for b in wanted if b in known}
    todo = sorted(wanted - facts.keys())
    if not todo:
        return facts
    out = _git(root, "cat-file", "--batch", data="".join(f"{b}\n" for b in todo).encode())
    pos = 0
    for _ in todo:
        end = out.index(b"\n", pos)
        sha, kind, size = out[pos:end].decode().split()
        size = int(size)
        body = out[end + 1:end + 1 + size]
        pos = end + 2 + size
        facts[sha] = _parse(body) if kind == "blob" else {}
    return facts


def _parse(body: bytes) -> dict:
    """Return the facts and the few names a removed model's page needs, of one file version."""
    if len(body) > MAX_BLOB_BYTES:
        return {}
    try:
        data = yaml.load(body.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError, ValueError):
        return {}  # a version that did not parse has no facts we can tell
    if not isinstance(data, dict):
        return {}
    names = {k: data[k] for k in ("name",) if isinstance(data.get(k), str)}
    return {"facts": facts_of(data), **names}


def _derive(commits, blobs: dict[str, dict], prefix: str) -> dict[str, ModelHistory]:
    state: dict[str, dict] = {}  # model id -> last version's facts
    names: dict[str, str] = {}
    entries: dict[str, list[Entry]] = {}
    removed: dict[str, Removal] = {}
    for sha, date, files in commits:
        for path, blob in files:
            if not path.startswith(prefix):
                continue
            mid = path[len(prefix):-len(".yaml")]
            if mid.count("/") != 1:
                continue
            if blob is None:
                if mid in state:
                    last = state.pop(mid)
                    removed[mid] = Removal(date, sha, names.get(mid, mid), mid.split("/")[0],
                                           last.get("deprecation.replacement") or
                                           last.get("lifecycle.replacement"), last)
                continue
            version = blobs.get(blob) or {}
            facts = version.get("facts")
            if facts is None:
                continue  # unreadable version: the next readable one is compared with the last
            if "name" in version:
                names[mid] = version["name"]
            if mid not in state:
                removed.pop(mid, None)  # added back
                entries.setdefault(mid, []).append(Entry(date, sha, {}))
            else:
                changes = diff(state[mid], facts)
                if changes:
                    entries[mid].append(Entry(date, sha, changes))
            state[mid] = facts
    return {mid: ModelHistory(mid, tuple(entries.get(mid, ())), removed.get(mid))
            for mid in sorted(entries.keys() | removed.keys())}


class _Cache:
    """.modelcat-cache/history.json: the facts of each file version, by blob id."""

    def __init__(self, folder: Path):
        self.path = folder / "history.json"
        self.blobs: dict[str, dict] = {}
        try:
            with open(self.path, "rb") as fh:
                data = json.loads(fh.read(256 * 1024 * 1024))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("blobs"), dict):
            return
        self.blobs = {k: v for k, v in data["blobs"].items() if isinstance(v, dict)}

    def save(self, history: History, blobs: dict[str, dict]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"history.json.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"format": FORMAT, "blobs": blobs}, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass

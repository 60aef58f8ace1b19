"""The catalog's history, read from the git repository it sits in (CONTRACT.md section 4).

One `git log` lists, per commit on the first-parent line, the model files it changed and
their blob ids; `git cat-file --batch` reads each blob once; each version is reduced to
its facts (prices, limits, modalities, capabilities, status, lifecycle), and a commit that
changed a model's facts becomes one entry of its history. Only commits count: uncommitted
edits are the current state, not history. Outside git, in a shallow clone, or without a
`git` program there is no history, and one note says why.

Nothing of the repository is run: only `git log` and `git cat-file`, which read objects and
start no hooks, pagers, diff drivers or fsmonitor (those are also switched off explicitly).
Blob facts are cached by blob id in .modelcat-cache/history.json (sealed, generator.cache),
so a new commit parses only the files it touched, and the derived history by HEAD in
history-head.json, so a build of the same commit reads no git log and no blob at all. tests/test_history.py makes dated commits in a temporary repository.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import read_cache_file, write_cache_file

# The facts of a model whose changes are its history, as dotted paths of its record.
FACT_KEYS = ("pricing", "limits", "modalities", "capabilities", "status", "deprecation", "lifecycle",
             "kind", "offers")
# What a missing fact means (the record's defaults), so that writing a default down is no change.
DEFAULTS = {"status": "active"}
DEFAULT_FALSE = "capabilities."  # a capability left out is false
MAX_BLOB_BYTES = 5 * 1024 * 1024  # as the loader: a record is a few KB
MAX_LEAF_ITEMS = 64  # a fact's list (modalities) is short; anything longer is not a fact we show
FORMAT = 3  # 2: sealed (generator.cache), with the history at the last HEAD; 3: in its own file
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
    commits: tuple[str, ...] = ()  # the commits that changed model files, oldest first

    def of(self, model_id: str) -> tuple[Entry, ...]:
        h = self.models.get(model_id)
        return h.entries if h is not None else ()

    @property
    def removed(self) -> list[ModelHistory]:
        return [h for h in self.models.values() if h.removed is not None]


def facts_of(data: Any, raw: bool = False) -> dict[str, Any]:
    """Return the flat facts of one version of a record ({"pricing.input": 0.1, ...});
    raw: without the defaults of what is not written."""
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
    return out if raw else _defaults(out)


def _defaults(out: dict[str, Any]) -> dict[str, Any]:
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


def read_history(project: Path, cache: bool = False) -> History:
    """Return the history of project/catalog/models from the commits of its repository;
    cache: keep it in project/.modelcat-cache/ (by HEAD, and each file version's facts by blob id)."""
    where = _repository(project)
    if isinstance(where, str):
        return History(head=None, note=where)
    root, rel, head = where
    cache = _Cache(project) if cache else None
    if cache is not None and cache.head == [head, rel]:
        return cache.history  # the same commit: its history as the last build derived it
    try:
        commits = _commits(root, rel)
        known = cache.blobs if cache is not None else {}
        blobs = _blob_facts(root, {b for _, _, files in commits for _, b in files if b}, known)
    except (_NoHistory, subprocess.TimeoutExpired, OSError) as exc:
        return History(head=None, note=f"cannot read the catalog's git history ({exc}): no price history")
    history = _derive(commits, blobs, f"{rel}/models/")
    history = History(head=head, models=history, commits=tuple(sha for sha, _, files in commits if files))
    if cache is not None:
        cache.save(history, blobs if blobs.keys() != known.keys() else None, rel)
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


def head_stamp(project: Path) -> str:
    """Return what names the history a build would read (HEAD, shallow or not), cheaply: one
    `git rev-parse`; "-" outside git. A new commit changes it, so the build is not a no-op."""
    where = _repository(project)
    return where if isinstance(where, str) else f"{where[2]} {where[1]}"


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
    """Return the facts and the few names a removed model's page needs, of one file version.

    Only the record's fact blocks are parsed (_fact_blocks): the prose around them (summary,
    description, FAQ) is most of a record and none of its history. A file that is not plain
    block-style YAML at the top level is parsed whole."""
    if len(body) > MAX_BLOB_BYTES:
        return {}
    import yaml  # here: a no-op build only asks for HEAD (head_stamp)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    data: Any = None
    blocks = _fact_blocks(text)
    if blocks is not None and len({k for k, _ in blocks}) == len(blocks):  # a key twice: parsed whole
        try:
            facts: dict[str, Any] = {}
            name = None
            for key, block in blocks:  # each distinct block is read once per build
                hit = _BLOCKS.get(block)
                if hit is None:
                    value = _simple_mapping(block, yaml, loader)
                    if value is None:
                        value = yaml.load(block, Loader=loader)
                    if not isinstance(value, dict) or list(value) != [key]:
                        raise ValueError(key)
                    if len(_BLOCKS) > 100_000:
                        _BLOCKS.clear()
                    v = value[key]
                    hit = _BLOCKS[block] = (facts_of({key: v}, raw=True), v if key == "name" else None)
                facts.update(hit[0])
                if hit[1] is not None:
                    name = hit[1]
            return {"facts": _defaults(facts), **({"name": name} if isinstance(name, str) else {})}
        except (yaml.YAMLError, RecursionError, ValueError):
            pass  # an alias to a block left out, say: parse the whole file
    if not isinstance(data, dict):
        try:
            data = yaml.load(text, Loader=loader)
        except (yaml.YAMLError, RecursionError, ValueError):
            return {}  # a version that did not parse has no facts we can tell
    if not isinstance(data, dict):
        return {}
    names = {k: data[k] for k in ("name",) if isinstance(data.get(k), str)}
    return {"facts": facts_of(data), **names}


_KEY_LINE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_-]*)[ ]*:(?:[ ]+(.*))?")
_NOT_STR_KEYS = frozenset("yes no true false on off null y n".split())
_SCALARS: dict[str, Any] = {}  # a value's text -> its value
_BLOCKS: dict[str, tuple] = {}  # a fact block's text -> (its flat facts, the name if it is the name)


def _simple_mapping(text: str, yaml, loader) -> dict | None:
    """Return the mapping of text when every line is `key: value` or `key:` nested by
    indentation (what records' fact blocks are), None when any line is anything else.

    PyYAML builds a Python object per node, which costs more than the whole of this: here
    only each distinct value is given to YAML (`k: <value>`, so it resolves exactly as in
    the file: numbers, dates, quoted strings, flow lists), once per build."""
    root: dict = {}
    stack: list[tuple[int, dict]] = [(0, root)]
    pending: tuple[int, dict, str] | None = None
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":
            continue
        m = _KEY_LINE.fullmatch(line)
        if m is None or m.group(2).lower() in _NOT_STR_KEYS:
            return None
        indent, key, rest = len(m.group(1)), m.group(2), (m.group(3) or "").strip()
        if pending is not None:
            at, parent, name = pending
            pending = None
            if indent > at:
                parent[name] = {}
                stack.append((indent, parent[name]))
            else:
                parent[name] = None
        while stack[-1][0] > indent:
            stack.pop()
        if stack[-1][0] != indent:
            return None
        if not rest or rest[0] == "#":
            pending = (indent, stack[-1][1], key)
            continue
        if rest[0] in "|>&*!?%@`-":
            return None  # block scalars, anchors, tags...: YAML's own parser
        if rest not in _SCALARS:
            if len(_SCALARS) > 100_000:
                _SCALARS.clear()
            _SCALARS[rest] = yaml.load("k: " + rest, Loader=loader)["k"]
        stack[-1][1][key] = _SCALARS[rest]
    if pending is not None:
        pending[1][pending[2]] = None
    return root


_TOP_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*[ \t]*:(?:[ \t]|\r?\n|$)")
_KEPT = frozenset(FACT_KEYS) | {"name"}


_TOP_LINE = re.compile(r"(?m)^(?=\S)")


def _fact_blocks(text: str) -> list[tuple[str, str]] | None:
    """Return (key, text) of each top-level block of a block-style YAML mapping whose key is a
    fact or the name, or None when the text is anything else (a document marker, a quoted or
    complex key, no mapping at the top): then the caller parses it whole."""
    chunks = _TOP_LINE.split(text)  # each starts at a line that starts in column 0
    out: list[tuple[str, str]] = []
    keep = seen = False
    for chunk in chunks:
        first = chunk[:1]
        if first in ("#", "") or first.isspace() or (first == "-" and chunk[1:2] in (" ", "\t", "\n", "\r", "")):
            # a comment in column 0 and the lines after it, or a sequence in column 0:
            # the rest of the value of the key above
            if not seen:
                if first == "-" or any(ln.strip() and not ln.lstrip().startswith("#") for ln in chunk.splitlines()):
                    return None  # the top level is not a mapping
            elif keep:
                out[-1] = (out[-1][0], out[-1][1] + chunk)
            continue
        if not _TOP_KEY.match(chunk):
            return None
        seen = True
        key = chunk.split(":", 1)[0].rstrip()
        keep = key in _KEPT
        if keep:
            out.append((key, chunk))
    return out


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
    """.modelcat-cache/history-head.json: the history derived at the last HEAD (all a build of
    the same commit reads); history.json: the facts of each file version, by blob id, read
    only when there are new commits. Sealed with the user's key (generator.cache), so a
    planted or copied cache is not used; one that cannot be read is rebuilt quietly."""

    BLOBS, HEAD = "history.json", "history-head.json"

    def __init__(self, project: Path):
        self.project = project
        self.head: list | None = None
        self.history: History | None = None
        data = self._read(self.HEAD)
        try:
            self.history = _history_from_json(data["history"])
            self.head = data["head"]
        except (KeyError, TypeError, ValueError, AttributeError):
            self.history = self.head = None

    def _read(self, name: str) -> dict:
        try:
            raw = read_cache_file(self.project, name)
            data = json.loads(raw) if raw is not None else None
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and data.get("format") == FORMAT else {}

    @property
    def blobs(self) -> dict[str, dict]:
        blobs = self._read(self.BLOBS).get("blobs")
        return {k: v for k, v in blobs.items() if isinstance(v, dict)} if isinstance(blobs, dict) else {}

    def save(self, history: History, blobs: dict[str, dict] | None, rel: str) -> None:
        """Write the history at HEAD, and the blobs' facts unless None (unchanged)."""
        try:
            if blobs is not None:
                write_cache_file(self.project, self.BLOBS, json.dumps(
                    {"format": FORMAT, "blobs": blobs}, sort_keys=True, separators=(",", ":")).encode("utf-8"))
            write_cache_file(self.project, self.HEAD, json.dumps(
                {"format": FORMAT, "head": [history.head, rel], "history": _history_json(history)},
                sort_keys=True, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass  # warned once by generator.cache, or a read-only project: no cache


def _history_json(h: History) -> dict:
    return {"head": h.head, "commits": list(h.commits), "models": [
        [m.id, [[e.date, e.commit, [[k, old, new] for k, (old, new) in e.changes.items()]] for e in m.entries],
         None if m.removed is None else [m.removed.date, m.removed.commit, m.removed.name, m.removed.provider,
                                         m.removed.replacement, m.removed.facts]]
        for m in h.models.values()]}


def _history_from_json(data: dict) -> History:
    models = {}
    for mid, entries, removed in data["models"]:
        models[mid] = ModelHistory(
            str(mid), tuple(Entry(str(d), str(c), {str(k): (old, new) for k, old, new in ch})
                            for d, c, ch in entries),
            None if removed is None else Removal(*removed))
    return History(head=str(data["head"]), models=models, commits=tuple(map(str, data["commits"])))

"""catalog/ folder -> validated records, collecting every problem.

Files are found by walking the catalog with lstat, never by opening what a
name claims to be: a FIFO would hang a read, a symlink could lead outside the
project, and a file name becomes an output path later, so it must be an id.
tests/test_load.py covers each refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..problems import Problem
from .files import MAX_FILE_BYTES, MAX_FILES, CatalogFile, find_files, read_bounded  # noqa: F401
from . import fast, limits, schema
from .source import SourceMap, decode, parse_yaml
from .validate import validate
from ..timing import timings

@dataclass(frozen=True)
class DocRecord:
    id: str
    meta: schema.DocMeta
    body: str
    path: str


@dataclass
class Records:
    """Everything read from catalog/, valid records only, plus what went wrong."""

    site: schema.SiteRecord | None = None
    providers: dict[str, schema.ProviderRecord] = field(default_factory=dict)
    models: dict[str, schema.ModelRecord] = field(default_factory=dict)
    collections: list[schema.CollectionRecord] = field(default_factory=list)
    docs: list[DocRecord] = field(default_factory=list)
    sources: dict[str, SourceMap] = field(default_factory=dict)  # display path -> positions
    paths: dict[str, str] = field(default_factory=dict)  # "model:<id>" etc. -> display path
    # "model:<id>" etc. of files that exist but were refused: checks across
    # records skip what they imply ("no such provider"), it is reported already
    invalid: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


def read_file(f: CatalogFile, raw: bytes | None = None) -> tuple[Any, SourceMap, list[Problem], str | None]:
    """Return (data, source map, problems, markdown body) for one catalog file (raw: its bytes, if read)."""
    if raw is None:
        try:
            with open(f.path, "rb") as fh:
                raw = read_bounded(fh, MAX_FILE_BYTES)
        except OSError as exc:
            return None, SourceMap(f.display), [Problem(f.display, 1, 1, "", f"cannot read: {exc.strerror}")], None
    text, problems = decode(raw, f.display)
    if text is None:
        return None, SourceMap(f.display), problems, None
    if f.kind == "doc":
        return _read_doc(text, f.display)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, SourceMap(f.display), [Problem(f.display, 1, 1, "", "file is empty")], None
    data, sm, problems = parse_yaml(text, f.display)
    return data, sm, problems, None


def _read_doc(text: str, display: str) -> tuple[Any, SourceMap, list[Problem], str]:
    """Split a docs page into front matter (YAML between --- lines) and Markdown."""
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                front = "\n" * 1 + "\n".join(lines[1:i])  # keep line numbers of the file
                body = "\n".join(lines[i + 1:])
                data, sm, problems = parse_yaml(front, display)
                problems += _body_problems(body, display, i + 1)
                return ({} if data is None and not problems else data), sm, problems, body
        return None, SourceMap(display), [Problem(display, 1, 1, "", "front matter starts with --- but never ends")], ""
    return {}, SourceMap(display), _body_problems(text, display, 0), text


def _body_problems(body: str, display: str, offset: int) -> list[Problem]:
    """Return the problems of a docs page's Markdown (its first line is the file's line offset + 1)."""
    if len(body) > limits.DOC_MAX:
        return [Problem(display, offset + 1, 1, "", f"the page is {len(body):,} characters long; "
                        f"a docs page may hold at most {limits.DOC_MAX:,}")]
    depth, line = limits.nesting(body)
    if depth > limits.NESTING_MAX:
        return [Problem(display, offset + line, 1, "", f"lists and block quotes nest {depth} levels deep; "
                        f"at most {limits.NESTING_MAX} are allowed")]
    return []


CACHED_KINDS = {"model": schema.ModelRecord, "provider": schema.ProviderRecord}
PARALLEL_MIN = 400  # below this many files to parse, forking workers costs more than it saves


class LazySources(dict):
    """Source maps by display path; files that came from the build cache are parsed on demand.

    Positions are needed only to report a problem, and cross-record problems are rare:
    re-reading the one file then is far cheaper than keeping every map of every build.
    """

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, CatalogFile] = {}

    def __missing__(self, key):
        f = self.files.get(key)
        if f is None:
            raise KeyError(key)
        sm = self[key] = read_file(f)[1]
        return sm

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default


def load_records(project: Path, cache=None, workers: int = 1) -> Records:
    """Return the valid records of project/catalog and every problem found.

    With a RecordCache, models and providers whose bytes are unchanged come from
    the cache as JSON (no YAML parse); the others are first tried on the fast path
    (generator.records.fast: yaml_rs, no positions, valid records only), else read
    with positions; with workers > 1, many files to parse are parsed and validated
    in forked processes. The result is the same every way.
    """
    records = Records()
    records.sources = LazySources()
    with timings("read"):
        files, problems = find_files(project)
    records.problems.extend(problems)
    misses: list[tuple[CatalogFile, bytes | None, str | None]] = []
    hits: list[tuple[CatalogFile, str]] = []
    with timings("read"):
        for f in files:
            if cache is not None and f.kind in CACHED_KINDS:
                value, raw, digest = cache.get(f.display, f.path)
                if value is not None:
                    hits.append((f, value))
                    continue
                misses.append((f, raw, digest))
            else:
                misses.append((f, None, None))
    with timings("validate"):
        for f, value in hits:  # validated again: a cache is data from the project folder, never trusted
            records.sources.files[f.display] = f
            try:
                _keep(records, f, CACHED_KINDS[f.kind].model_validate_json(value))
            except ValueError as exc:  # pydantic's ValidationError: parse the file itself instead
                misses.append((f, *cache.reject(f.display, f.path, _first_error(exc))))
    parsed = _parse_all(misses, workers)
    for (f, raw, digest), result in zip(misses, parsed):
        # Positions are kept only while this file is validated: cross-record checks that
        # need them later re-read the file (LazySources); 10,000 maps would cost ~100 MB.
        records.sources.files[f.display] = f
        if result[0] == "record":  # read and validated by the fast path (generator.records.fast)
            _keep(records, f, result[1])
            if cache is not None and digest is not None:
                cache.put(f.display, f.path, digest, result[1].model_dump_json())
            continue
        if result[0] == "valid":  # validated in a worker, sent back as JSON
            with timings("validate"):
                rec = CACHED_KINDS[f.kind].model_validate_json(result[1])
            _keep(records, f, rec)
            if cache is not None and digest is not None:
                cache.put(f.display, f.path, digest, result[1])
            continue
        problems = result[1] if result[0] == "invalid" else result[3]
        if problems:
            records.problems.extend(problems)
            records.invalid.add(f"{f.kind}:{f.id}")
            continue
        _, data, sm, _, body = result
        with timings("validate"):
            rec = _add(records, f, data, sm, body)
        if cache is not None and rec is not None and f.kind in CACHED_KINDS and digest is not None:
            cache.put(f.display, f.path, digest, rec.model_dump_json())
    # the same order whatever came from where: models and providers by id
    records.models = dict(sorted(records.models.items()))
    records.providers = dict(sorted(records.providers.items()))
    return records


def read_valid(f: CatalogFile):
    """Return the record of one model or provider file, or None if the file has any problem
    (serve's update of one saved file, generator.live: the build reports the problems)."""
    result = _parse_one(f, None)
    if result[0] == "record":
        return result[1]
    _, data, sm, problems, body = result
    if problems:
        return None
    one = Records()
    rec = _add(one, f, data, sm, body)
    return rec if not one.problems else None


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        return f"{'.'.join(str(p) for p in first['loc']) or 'record'}: {first['msg']}"
    return str(exc).splitlines()[0]


def _keep(records: Records, f: CatalogFile, rec) -> None:
    if f.kind == "model":
        records.models[f.id] = rec
    else:
        records.providers[f.id] = rec
    records.paths[f"{f.kind}:{f.id}"] = f.display


def _parse_all(items: list, workers: int) -> list:
    if workers > 1 and len(items) >= PARALLEL_MIN:
        import multiprocessing

        try:
            mp = multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover - no fork on this platform
            mp = None
        if mp is not None:
            size = max(50, len(items) // (workers * 8))
            chunks = [[(f, raw) for f, raw, _ in items[i:i + size]] for i in range(0, len(items), size)]
            with timings("parse"), mp.Pool(workers) as pool:
                return [r for chunk in pool.map(_parse_chunk, chunks) for r in chunk]
    with timings("parse"):
        return [_parse_one(f, raw) for f, raw, _ in items]


def _fast_record(f: CatalogFile, raw: bytes | None) -> tuple[Any, bytes | None]:
    """Return (the valid record or None, raw) for a model or provider file read by the fast
    path; without a record the file is read the exact way (positions, every problem in words)."""
    if f.kind not in CACHED_KINDS or fast.yaml_rs is None:
        return None, raw
    if raw is None:
        try:
            with open(f.path, "rb") as fh:
                raw = read_bounded(fh, MAX_FILE_BYTES)
        except OSError:
            return None, None  # read_file reports it
    if len(raw) > MAX_FILE_BYTES:
        return None, raw
    return fast.read_record(CACHED_KINDS[f.kind], raw), raw


def _parse_one(f: CatalogFile, raw: bytes | None) -> tuple:
    rec, raw = _fast_record(f, raw)
    return ("record", rec) if rec is not None else ("parsed", *read_file(f, raw))


def _parse_chunk(chunk: list) -> list:
    """Parse, and for models and providers validate, in a worker: what goes back to the
    main process is a record's JSON or its problems, not its data and source map."""
    out = []
    for f, raw in chunk:
        rec, raw = _fast_record(f, raw)
        if rec is not None:
            out.append(("valid", rec.model_dump_json()))
            continue
        data, sm, problems, body = read_file(f, raw)
        if problems or f.kind not in CACHED_KINDS:
            out.append(("parsed", data, sm, problems, body))
            continue
        rec, problems = validate(CACHED_KINDS[f.kind], data, sm)
        out.append(("valid", rec.model_dump_json()) if rec is not None else ("invalid", problems))
    return out


def _add(records: Records, f: CatalogFile, data: Any, sm: SourceMap, body: str | None):
    """Validate one parsed file into records; return the model or provider record, if valid."""
    rec = None
    if f.kind == "site":
        rec, problems = validate(schema.SiteRecord, data, sm)
        records.site = rec
    elif f.kind in CACHED_KINDS:  # provider, model
        rec, problems = validate(CACHED_KINDS[f.kind], data, sm)
        if rec is None:
            records.invalid.add(f"{f.kind}:{f.id}")
        else:
            _keep(records, f, rec)
    elif f.kind == "collections":
        problems = []
        if not isinstance(data, list):
            problems.append(Problem(f.display, 1, 1, "", "expected a list of collections "
                                    "({id, title, description, where})"))
        else:
            for i, item in enumerate(data):
                sub = _SubMap(sm, (i,))
                rec, item_problems = validate(schema.CollectionRecord, item, sub, f"collection {i + 1}")
                problems.extend(item_problems)
                if rec is not None:
                    records.collections.append(rec)
                    records.paths[f"collection:{rec.id}"] = f"{f.display}#{i}"
    else:  # doc
        rec, problems = validate(schema.DocMeta, data, sm, "the front matter")
        if rec is not None:
            records.docs.append(DocRecord(f.id, rec, body or "", f.display))
            records.paths[f"doc:{f.id}"] = f.display
    records.problems.extend(problems)
    return rec if f.kind in CACHED_KINDS else None


class _SubMap(SourceMap):
    """A view of a SourceMap below a prefix, for items of a list file."""

    def __init__(self, base: SourceMap, prefix: tuple):
        self.path = base.path
        self.values = {k[len(prefix):]: v for k, v in base.values.items() if k[: len(prefix)] == prefix}
        self.keys = {k[len(prefix):]: v for k, v in base.keys.items() if k[: len(prefix)] == prefix}
        self.plain = {k[len(prefix):]: v for k, v in base.plain.items() if k[: len(prefix)] == prefix}
        self._fallback = base.values.get(prefix, (1, 1))

    def value_at(self, loc):
        pos = super().value_at(loc)
        return self._fallback if pos == (1, 1) and loc not in self.values else pos

    def key_at(self, loc):
        pos = super().key_at(loc)
        return self._fallback if pos == (1, 1) else pos

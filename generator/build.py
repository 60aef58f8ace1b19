"""`modelcat build`: the whole pipeline, top to bottom.

load -> validate -> check -> resolve (generator.catalog) -> render every
output (generator.render.*) -> write atomically (generator.write). No stage
reaches back. tests/test_build.py holds determinism and atomicity,
tests/test_incremental.py holds that every shortcut below gives the bytes of a
cold build.

Shortcuts, each measured in benchmarks/run.py:
- records come from the build cache when their file is unchanged (generator.cache);
- the three outputs of each model (page, .md, .json) render in forked worker
  processes, which write them into the new build folder themselves;
- a model whose views (generator.views: its entry and the site frame, which
  are all its page and twins read) have the digest they had in the last build,
  with the same templates and code, is not rendered: its files are hard-linked
  from the previous site; so is a page of a listing of models (and its twin)
  whose view (generator.views.ListingPageView: its rows, each what it shows of a
  model, and a few facts of the listing) is unchanged;
- nothing changed at all (same file stamps, code, templates and options) and
  every file of the site is still the one the last build wrote (its size, mtime
  and inode, one stat each): the site on disk is current and the build stops
  after one walk of the catalog.

The previous site is trusted only that far: a page edited or deleted by hand is
rendered again (tests/test_out_safety.py).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from typing import TYPE_CHECKING

from .cache import CACHE_DIR, RecordCache, racy, read_cache_file, write_cache_file
from .problems import Problem
from .prose import plural
from .theme import template_dirs
from .timing import timings

if TYPE_CHECKING:  # the renderer's imports cost more than a no-op build: loaded when needed
    from .render.context import RenderContext
    from .site import ModelEntry, Site
    from .views import ListingPageView
    from .write import Output, SiteWriter

PARALLEL_MIN_MODELS = 300  # fewer model pages than this render faster than forking workers
MEMO_FORMAT = 3  # 2: the record (size, mtime, inode) of every file written; 3: keys are view digests


@dataclass
class BuildReport:
    out: Path
    files: int
    pages: int
    bytes: int
    seconds: float
    warnings: list[Problem]
    models: int
    rendered: int = 0  # models rendered this time (the others were linked from the last build)
    listings_rendered: int = 0  # pages of listings of models rendered this time (the others: linked)
    up_to_date: bool = False
    note: str | None = None  # why the site has no history (generator.history): one `note:` line


@dataclass(frozen=True)
class BuildOptions:
    """How to build: what `modelcat build` takes besides the project and --out."""

    base_url: str | None = None
    strict: bool = False
    workers: int | None = None  # None: the CPUs available
    cache: bool = True  # the record cache and the last build's keys (--no-cache: neither)
    hosting: str | None = None


@dataclass
class Plan:
    """Which outputs this build renders: each model's and listing page's view key, and the last
    build's; an output whose key is unchanged is linked from the last site instead."""

    keys: dict[str, str]  # model id -> view key
    views: list[ListingPageView]  # every listing page
    page_keys: dict[str, str]  # listing page path -> view key
    old_keys: dict[str, str]
    old_page_keys: dict[str, str]


# --- what gets rendered ------------------------------------------------------------------------

def model_outputs(ctx: RenderContext, m: ModelEntry) -> list[Output]:
    """Return the files of one model: its page, its Markdown twin (at both URLs) and its JSON twin."""
    from .render import data, pages, twins

    tpl = ctx.text.get_template("model.md.j2")
    fenced = ctx.memo("fenced", lambda: twins.fenced_snippets(ctx))
    with timings("render: model pages"):
        page = pages.model_page(ctx, m)
    with timings("render: model twins"):
        md = twins.model_twin(ctx, m, tpl, fenced)
        js = data.model_json(ctx.frame, m)
    return [page, md, twins.index_twin(m.path, md), js]


def listing_outputs(ctx: RenderContext, view: ListingPageView) -> list[Output]:
    """Return the files of one listing page: the page and its Markdown twin (generator.views)."""
    from .render import pages, twins

    with timings("render: listings"):
        page = pages.listing_page(ctx, view)
    with timings("render: twins"):
        return [page, *twins.listing_twin(ctx, view)]


def listing_files(view: ListingPageView) -> tuple[str, ...]:
    """Return the paths of listing_outputs(view), known without rendering it."""
    from .render.twins import twin_of

    path = view.listing.path
    return (path + "index.html", twin_of(path)) + ((path + "index.md",) if path else ())


def site_producers():
    """Return the producers of every output that is neither one model's nor a page of a listing
    of models (listing_outputs): the providers and collections indexes, docs, machine files."""
    from .render import data, exports, feeds, llms, openapi, pages, twins

    return (
        ("listings", pages.providers_index), ("listings", pages.collections_index),
        ("listings", pages.compare_page),
        ("docs", pages.doc_pages), ("docs", pages.not_found_page),
        ("twins", twins.doc_twins), ("twins", twins.listing_twins),
        ("api json", data.api_files), ("llms.txt", llms.llms_files),
        ("openapi", openapi.openapi_files), ("sitemap+feed", feeds.feed_files),
        ("history", pages.changelog_pages), ("history", pages.removed_model_pages),
        ("exports", exports.export_files),
    )


# --- fingerprints --------------------------------------------------------------------------------

def _blake(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def theme_fingerprint(project: Path) -> str:
    """Return a digest of the generator's code and every template and asset it would use."""
    h = hashlib.blake2b(digest_size=16)
    code = Path(__file__).resolve().parent  # its .py files: the theme and example/ live there too
    roots = [code] + template_dirs(project)
    for root in roots:
        for p in sorted(root.rglob("*.py" if root == code else "*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(p.relative_to(root).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def catalog_stamps(project: Path) -> str | None:
    """Return a digest of every catalog file's name, size and mtime, or None if the tree has problems."""
    from .records.files import find_files  # not .load: a no-op build needs no pydantic

    files, problems = find_files(project)
    if problems:
        return None
    # a file just edited could change again within its timestamp's tick: no stamp then
    if any(racy(max(f.stamp[1], f.stamp[2])) for f in files):
        return None
    text = "\n".join(f"{f.display}\0{f.stamp}" for f in files)  # size, mtime, ctime, inode
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def view_keys(ctx: RenderContext, theme: str, record_digests: dict[str, str]) -> dict[str, str]:
    """Return, per model, the digest of the views its three outputs render from (generator.views).

    record_digests: model id -> a digest of its record, where one is known (its file's, from
    the record cache): it stands for the record's JSON, which is digested otherwise."""
    from .views import Digest

    site = ctx.site
    frame = frame_key(ctx, theme)
    digest = Digest(known_records(site, record_digests))
    return {m.id: digest.of(frame, m) for m in site.models}


def known_records(site: Site, record_digests: dict[str, str]) -> dict[int, str]:
    """Return the texts Digest may use for the site's record and each model record whose digest
    is known (view_keys)."""
    known = {id(site.record): "site"}  # in the frame's digest, not again in every view's
    for m in site.models:
        d = record_digests.get(m.id)
        if d is not None:
            known[id(m.record)] = "record:" + d
    return known


def frame_key(ctx: RenderContext, theme: str) -> str:
    """Return the digest of the site frame and the theme, a part of every view's key."""
    from .views import Digest

    return Digest().of(theme, ctx.frame)


def listing_keys(ctx: RenderContext, theme: str, views: list[ListingPageView],
                 record_digests: dict[str, str]) -> dict[str, str]:
    """Return, per listing page (its path), the digest of its view (as view_keys: a known
    record's digest stands for it). Each row is digested once, however many pages list it."""
    from .views import Digest

    digest = Digest(known_records(ctx.site, record_digests))
    frame = frame_key(ctx, theme)
    return {v.listing.path: digest.of(frame, v) for v in views}


def file_digests(cache: RecordCache | None) -> dict[str, str]:
    """Return model id -> the digest of its file's bytes, for every model file the cache holds."""
    if cache is None:
        return {}
    prefix, suffix = "catalog/models/", ".yaml"
    return {k[len(prefix):-len(suffix)]: e["digest"] for k, e in cache.entries.items()
            if k.startswith(prefix) and k.endswith(suffix)}


class Memo:
    """What the last successful build into one output folder was made from.

    Kept in .modelcat-cache/ (never in the site): the no-op stamp, per-model keys,
    per-listing-page keys ("listings": page path -> key),
    the record of each file the build put in the site ("written": path -> size,
    mtime, inode) and the warnings to repeat when nothing is rebuilt.
    """

    def __init__(self, project: Path, out: Path, read: bool = True):
        name = hashlib.blake2b(str(out).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        self.path = project / CACHE_DIR / f"build-{name}.json"
        self.project = project
        self.data: dict = {}
        if not read:
            return
        try:
            data = json.loads(read_cache_file(project, self.path.name) or b"{}")
        except (OSError, ValueError) as exc:  # a broken memo: a full build, nothing trusted
            why = exc.strerror if isinstance(exc, OSError) else "it is corrupt"
            click.echo(f"warning: ignoring the build cache {CACHE_DIR}/{self.path.name}: {why}; "
                       "rebuilding every page", err=True)
            return
        if (isinstance(data, dict) and data.get("format") == MEMO_FORMAT and isinstance(data.get("models"), dict)
                and isinstance(data.get("listings", {}), dict) and isinstance(data.get("written"), dict)):
            self.data = data

    def site_intact(self, out: Path) -> bool:
        """Return whether every file the last build wrote is still there, unchanged (a stat each)."""
        base = os.fsencode(out) + b"/"
        stat = os.stat
        try:
            for path, rec in self.data.get("written", {}).items():
                st = stat(base + path.encode("utf-8", "surrogateescape"))
                if [st.st_size, st.st_mtime_ns, st.st_ino] != rec:
                    return False
        except (OSError, TypeError, AttributeError):
            return False
        return True

    def up_to_date_report(self, out: Path, seconds: float) -> BuildReport:
        """Return the report of a build that found nothing to do: the last build's figures."""
        d = self.data
        return BuildReport(out, d.get("files", 0), d.get("pages", 0), d.get("bytes", 0), seconds,
                           [Problem(*w) for w in d.get("warnings", [])], d.get("model_count", 0), 0,
                           up_to_date=True, note=d.get("note"))

    def out_matches(self, out: Path) -> bool:
        """Return whether out is still the folder the last build swapped in."""
        return _same_folder(self.data.get("out"), out)

    @staticmethod
    def made(project: Path, out: Path) -> bool:
        """Return whether a memo of any format shows out as the folder a build swapped in:
        a site from before sites carried their marker is still replaced."""
        path = Memo(project, out, read=False).path
        try:
            data = json.loads(read_cache_file(project, path.name) or b"null")
        except (OSError, ValueError):  # not sealed with this user's key: an older version's memo?
            data = None
        if data is None:
            # An older modelcat wrote its memo unsealed. Trusting one is safe here: it vouches
            # only for the folder whose inode, device and nanosecond times it names, which
            # nobody without access to that folder can know.
            try:
                with open(path, "rb") as fh:
                    data = json.loads(fh.read(64 * 1024 * 1024))
            except (OSError, ValueError):
                return False
        return isinstance(data, dict) and _same_folder(data.get("out"), out)

    def save(self, out: Path, **data) -> None:
        try:
            st = os.stat(out)
            data.update(format=MEMO_FORMAT, out=[st.st_ino, st.st_dev, st.st_mtime_ns, st.st_ctime_ns])
            write_cache_file(self.project, self.path.name, json.dumps(data, sort_keys=True).encode("utf-8"))
        except OSError:
            pass  # a read-only project still builds, just never incrementally


def _same_folder(recorded, folder: Path) -> bool:
    try:
        st = os.stat(folder)
    except OSError:
        return False
    return recorded == [st.st_ino, st.st_dev, st.st_mtime_ns, st.st_ctime_ns]


# --- workers -------------------------------------------------------------------------------------

_WORK: tuple | None = None  # (ctx, folder to write into): set before forking, inherited by workers


def _worker_init() -> None:
    # Die with the build: a SIGKILLed build must not leave workers writing into its folder.
    import ctypes
    import signal

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _run_task(task: tuple) -> tuple[list[str], int, int, dict[str, float], list[list[int]]]:
    """Render one task and write its files: ("models", ids), ("listings", indexes of views)
    or ("site", producer index).

    Returns (paths written, bytes, HTML pages, phase times of this task, each file's record).
    """
    ctx, folder, views = _WORK
    outer, timings.totals = timings.totals, {}  # this task's phases only (it may run in the build's process)
    paths, size, pages, records = [], 0, 0, []
    if task[0] == "models":
        outputs = (o for mid in task[1] for o in model_outputs(ctx, ctx.site.models_by_id[mid]))
    elif task[0] == "listings":
        outputs = (o for i in task[1] for o in listing_outputs(ctx, views[i]))
    else:
        name, produce = site_producers()[task[1]]
        with timings(f"render: {name}"):
            outputs = list(produce(ctx))
    last = None  # (data, path, record) of the file just written
    for o in outputs:
        if last is not None and o.data is last[0]:  # a copy at a second URL (index_twin): a hard link
            record = link_file(folder, last[1], o.path, last[2])
        else:
            record = write_file(folder, o)
        last = (o.data, o.path, record)
        records.append(record)
        paths.append(o.path)
        size += len(o.data)
        pages += o.path.endswith(".html")
    spent, timings.totals = timings.totals, outer
    return paths, size, pages, spent, records


def link_file(folder: Path, source: str, path: str, record: list[int]) -> list[int]:
    """Give the file just written at source a second name, path; return its record (the same file's).

    Creating a file costs ~200 µs on these disks, a link ~15 µs: each twin's copy at
    `<page>/index.md` is the same bytes as `<page>.md`, 10,000 of them at 10,000 models."""
    from .write import check_path

    check_path(path)
    try:
        os.link(folder / source, folder / path)
    except FileNotFoundError:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        os.link(folder / source, folder / path)
    return record


def write_file(folder: Path, o: Output) -> list[int]:
    """Write one output into folder; return its record (size, mtime, inode)."""
    from .write import check_path, file_record

    check_path(o.path)
    target = folder / o.path
    try:
        try:
            fh = open(target, "wb")
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            fh = open(target, "wb")
        with fh:
            fh.write(o.data)
            fh.flush()  # the stat must see the file as it stays
            return file_record(os.fstat(fh.fileno()))
    except OSError as exc:
        if exc.filename is None:  # a failed write() (full disk, file-size limit) names no file
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover
        return max(1, os.cpu_count() or 1)


# --- the build -----------------------------------------------------------------------------------

def build(project: Path, out: Path | None = None, base_url: str | None = None, strict: bool = False,
          progress: "Progress | None" = None, workers: int | None = None, cache: bool = True,
          hosting: str | None = None) -> BuildReport:
    """Build the site of project into out (default project/site); raise CatalogError on bad input,
    OutRefused (exit 2) for an out it must not replace, WriteError when the site cannot be written."""
    import signal
    import threading

    # A build makes millions of objects and frees few: the cyclic GC would only rescan them.
    enabled = gc.isenabled()
    gc.disable()
    # Past a file-size limit (ulimit -f) the kernel sends SIGXFSZ, which kills the process
    # unless ignored; ignored, the write fails with EFBIG, reported as one line.
    xfsz = getattr(signal, "SIGXFSZ", None)
    previous = None
    if xfsz is not None and threading.current_thread() is threading.main_thread():
        previous = signal.signal(xfsz, signal.SIG_IGN)
    try:
        return _build(project, out, BuildOptions(base_url, strict, workers, cache, hosting), progress)
    finally:
        if previous is not None:
            signal.signal(xfsz, previous)
        if enabled:
            gc.enable()


def _build(project: Path, out: Path | None, options: BuildOptions, progress: "Progress | None") -> BuildReport:
    """The algorithm: stamp, stop if up to date; load; plan from the views' keys; write; remember."""
    from .write import clean_stale, resolve_out

    start = time.perf_counter()
    timings.reset()
    shown = out if out is not None else project / "site"  # as the user would write it
    given = shown.absolute()
    # refuses a folder it must not replace; follows a symlink
    out = resolve_out(project, given, shown, ours=lambda real: Memo.made(project, real))
    memo = Memo(project, out) if options.cache else None

    with timings("stamp"):
        theme = theme_fingerprint(project)
        stamp = build_stamp(project, theme, options)
    if memo is not None and stamp and memo.data.get("stamp") == stamp and memo.out_matches(out):
        with timings("site check"):
            intact = memo.site_intact(out)
        if intact:
            with timings("clean"):
                clean_stale(out)  # what a killed build left, even when nothing is to be built
            return memo.up_to_date_report(given, time.perf_counter() - start)

    site, warnings, digests = _load(project, options)
    from .render.context import RenderContext

    ctx = RenderContext.create(project, site, theme=theme)
    with timings("keys"):
        plan = _plan(ctx, theme, digests, memo if memo is not None and memo.out_matches(out) else None)
    try:
        writer, pages, todo, todo_views = _write_site(ctx, out, memo, plan, options, progress)
    except OSError as exc:
        where = exc.filename if exc.filename is not None else out
        from .write import WriteError

        raise WriteError(f"cannot write the site to {shown}: {exc.strerror or exc} ({where})") from None
    report = BuildReport(given, writer.count, pages, writer.bytes, time.perf_counter() - start, warnings,
                         len(site.models), len(todo), len(todo_views), note=site.history_note)
    if memo is not None:
        memo.save(out, stamp=stamp, models=plan.keys, listings=plan.page_keys,
                  warnings=[dataclasses.astuple(w) for w in warnings], files=report.files,
                  pages=report.pages, bytes=report.bytes, model_count=report.models, written=writer.records,
                  note=report.note)
    return report


def build_stamp(project: Path, theme: str, options: BuildOptions) -> str | None:
    """Return the digest a no-op build is recognised by: code, templates, options, the catalog's file
    stamps and the git HEAD; None when a stamp cannot be trusted (no cache, a file just written)."""
    from .history import head_stamp  # a new commit is a new history: not a no-op

    stamps = catalog_stamps(project) if options.cache else None
    if not stamps:
        return None
    given = json.dumps([options.base_url, options.strict, os.environ.get("SOURCE_DATE_EPOCH", ""),
                        options.hosting, head_stamp(project)])
    return _blake(theme, given, stamps)


def _load(project: Path, options: BuildOptions) -> tuple[Site, list[Problem], dict[str, str]]:
    """Return the resolved site, its warnings and each model file's digest (from the record cache)."""
    from .catalog import load_catalog

    cache = RecordCache(project) if options.cache else None
    try:
        site, warnings = load_catalog(project, base_url=options.base_url, strict=options.strict, cache=cache,
                                      workers=options.workers or default_workers(), history=True)
    finally:
        if cache is not None:
            with timings("cache save"):
                cache.save()
    return site, warnings, file_digests(cache)


def _plan(ctx: RenderContext, theme: str, digests: dict[str, str], memo: Memo | None) -> Plan:
    from .render.pages import listing_views

    views = listing_views(ctx)
    old = memo.data if memo is not None else {}
    return Plan(view_keys(ctx, theme, digests), views, listing_keys(ctx, theme, views, digests),
                old.get("models", {}), old.get("listings", {}))


def _write_site(ctx: RenderContext, out: Path, memo: Memo | None, plan: Plan, options: BuildOptions,
                progress: "Progress | None") -> tuple[SiteWriter, int, list[str], list[int]]:
    """Render and write every output into a new folder and swap it in as out; return the
    writer (its counts and records), the number of pages, the models rendered and the
    listing pages rendered (indexes in plan.views)."""
    from .render.hosting import hosting_files
    from .write import SiteWriter

    site, views = ctx.site, plan.views
    workers = options.workers or default_workers()
    with SiteWriter(out) as writer:
        with timings("link unchanged"):
            reuse = _link_unchanged(out, writer, [
                (m.id, (m.path + "index.html", m.md_path, m.path + "index.md", m.json_path))
                for m in site.models if plan.old_keys.get(m.id) == plan.keys[m.id]], memo)
            todo = [m.id for m in site.models if m.id not in reuse]
            kept = _link_unchanged(out, writer, [
                (i, listing_files(v)) for i, v in enumerate(views)
                if plan.old_page_keys.get(v.listing.path) == plan.page_keys[v.listing.path]], memo)
            todo_views = [i for i in range(len(views)) if i not in kept]
        pages = len(reuse) + len(kept)

        for o in ctx.assets.outputs:
            writer.write(o)
        for o in hosting_files(ctx, options.hosting):  # build --hosting: the host's headers and functions
            writer.write(o)

        # One list of tasks: the listings and machine files (one task each, the big ones
        # first), then models in chunks. Big catalogs run them in forked workers.
        size = max(20, len(todo) // (workers * 8))
        tasks = [("site", i) for i in range(len(site_producers()))]
        step = max(10, len(todo_views) // (workers * 4))
        tasks += [("listings", todo_views[i:i + step]) for i in range(0, len(todo_views), step)]
        tasks += [("models", todo[i:i + size]) for i in range(0, len(todo), size)]
        parallel = workers > 1 and len(site.models) >= PARALLEL_MIN_MODELS
        global _WORK
        _WORK = (ctx, writer.tmp, views)
        pool = None
        try:
            if parallel:
                import multiprocessing

                gc.freeze()  # keep the shared heap's pages shared: no collector writes into them
                pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init)
            results = pool.imap_unordered(_run_task, tasks) if pool else map(_run_task, tasks)
            with timings("render (wall)"):
                for paths, size, n, spent, records in results:
                    writer.adopt(paths, size, records)
                    pages += n
                    for phase, secs in spent.items():
                        timings.add(phase + (" (in a worker)" if pool else ""), secs)
                    if progress is not None:
                        progress.tick(pages)
            if pool is not None:
                pool.close()
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
                gc.unfreeze()
            _WORK = None
        verify = None
        if options.strict:
            from .linkcheck import verify_links
            verify = verify_links
        with timings("swap"):
            writer.commit(verify)
    return writer, pages, todo, todo_views


def _link_unchanged(old: Path, writer: SiteWriter, groups: list[tuple], memo: Memo | None) -> set:
    """Hard-link the files of unchanged outputs from the previous site; return the keys of those linked.

    groups: (key, the paths of its files) for each model or listing page whose view is
    unchanged. One whose files are not all there any more, or not the ones the last build wrote
    (size, mtime or inode differ: edited or replaced by hand), is rendered instead. The
    check stats the new link, so it sees the very file linked, not one swapped in after
    a check. One thread, bytes paths, the folders made once each (SiteWriter.reserve): a
    link costs 11-25 µs here, and the same links in 8 threads took 4x as long.
    """
    if memo is None:
        return set()
    written = memo.data.get("written", {})
    src, dst = os.fsencode(old) + b"/", os.fsencode(writer.tmp) + b"/"
    link, stat, reserve = os.link, os.stat, writer.reserve
    kept = set()
    for key, names in groups:
        records = [written.get(name) for name in names]
        for name in names:
            reserve(name)
        for name, rec in zip(names, records):
            rel = name.encode("utf-8", "surrogateescape")
            try:
                link(src + rel, dst + rel)
                st = stat(dst + rel)
            except OSError:
                break
            if [st.st_size, st.st_mtime_ns, st.st_ino] != rec:
                break
        else:
            kept.add(key)
            writer.count_linked(names, records)
            continue
        writer.forget(names)  # and the links made so far: it is rendered instead
    return kept


class Progress:
    """Pages rendered so far, on stderr: one line redrawn in a terminal; in a log (CI), a
    plain line every `every` seconds, so that a long build shows it is alive."""

    def __init__(self, every: float = 10.0, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = 0.1 if self.tty else every
        self._last = time.perf_counter()

    def tick(self, pages: int) -> None:
        now = time.perf_counter()
        if now - self._last < self.every:
            return
        self._last = now
        if self.tty:
            self.stream.write(f"\rrendering … {pages:,} pages")
        else:
            self.stream.write(f"rendering: {pages:,} pages so far\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()


def build_command(project: Path, out: Path | None, base_url: str | None, strict: bool,
                  workers: int | None = None, cache: bool = True, show_timings: bool = False,
                  show_problem=Problem.format, hosting: str | None = None) -> None:
    """Run a build for the CLI: warnings (each as show_problem prints it), then one closing line."""
    progress = Progress()
    try:
        report = build(project, out, base_url, strict, progress, workers, cache, hosting)
    finally:
        progress.done()
    for w in report.warnings:
        click.echo(show_problem(w), err=True)
    if report.note:
        click.echo(f"note: {report.note}", err=True)
    if show_timings:
        for line in timings.lines():
            click.echo(line, err=True)
    try:
        shown = report.out.relative_to(Path.cwd())
    except ValueError:
        shown = report.out
    if report.up_to_date:
        click.echo(f"up to date: {plural(report.models, 'model')}, nothing changed since the last build "
                   f"({report.seconds:.2f} s) -> {shown}/")
        return
    reused = report.models - report.rendered
    note = f", {reused:,} unchanged models linked from the last build" if reused else ""
    size = f"{report.bytes / 1e6:.1f} MB" + (" written" if reused else "")
    click.echo(f"built {report.pages:,} pages, {report.files:,} files ({size}) "
               f"for {plural(report.models, 'model')} in {report.seconds:.2f} s{note} -> {shown}/")

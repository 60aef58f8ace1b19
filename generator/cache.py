"""The build cache: validated records keyed by file content, in .modelcat-cache/.

Parsing YAML is the slowest step of loading (JSON loads ~10x faster here), so
each record that validated cleanly is kept as its JSON, keyed by the file's
path and a BLAKE2 digest of its bytes; a file stamp (size, mtime, ctime, inode)
only saves re-reading unchanged files. The cache file carries a digest of its
own contents and the code that wrote it: a corrupt cache is ignored with a
warning and rebuilt, never trusted. Deleting .modelcat-cache/ is always safe.
tests/test_incremental.py holds this.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import click

from generator import __version__
from generator.records.files import read_bounded

CACHE_DIR = ".modelcat-cache"
CACHE_FILE = "records.json"
FORMAT = 2  # 2: stamps hold ctime and inode


def code_fingerprint() -> str:
    """Return a digest of the loader's source: a changed loader invalidates every entry."""
    root = Path(__file__).parent / "records"
    h = hashlib.blake2b(digest_size=16)
    h.update(__version__.encode())
    for p in sorted(root.glob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


RACY_NS = 2_000_000_000  # coarse file systems keep times in 1-2 s steps


def racy(mtime_ns: int) -> bool:
    """Return whether a file changed too recently for its stamp to prove it unchanged later."""
    return mtime_ns > time.time_ns() - RACY_NS


def file_stamp(st: os.stat_result) -> list:
    """Return what proves a file unchanged without reading it.

    Size and mtime alone are not enough: tar, zip and copy2 restore old mtimes, so two
    different files can share both. ctime and inode cannot be set back (git's index uses
    them the same way): a file written or replaced since gets a new one.
    """
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def changed_ns(st: os.stat_result) -> int:
    """Return when the file last changed in any way (a restored mtime can be older)."""
    return max(st.st_mtime_ns, st.st_ctime_ns)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class RecordCache:
    """Entries: display path -> {"stat": file_stamp or None, "digest": str, "value": record JSON}."""

    def __init__(self, project: Path, max_bytes: int = 5 * 1024 * 1024):
        self.path = project / CACHE_DIR / CACHE_FILE
        self.max_bytes = max_bytes  # the loader refuses larger files; never read more
        self.entries: dict[str, dict] = {}
        self.seen: set[str] = set()
        self.dirty = False
        self.code = code_fingerprint()
        self._load()

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self._ignore(f"cannot read it ({exc.strerror})")
            return
        # Layout: one header line of JSON (format, code, digest of the rest), then the entries.
        head, _, rest = raw.partition(b"\n")
        try:
            header = json.loads(head)
            if isinstance(header.get("format"), int) and header.get("format") != FORMAT:
                return  # another layout of the cache: quietly start afresh
            ok = header.get("format") == FORMAT and header.get("digest") == digest(rest)
            if ok and header.get("code") != self.code:
                return  # written by another version of the loader: quietly start afresh
            body = json.loads(rest) if ok else None
            ok = ok and isinstance(body, dict) and all(
                isinstance(e, dict) and {"stat", "digest", "value"} <= e.keys() for e in body.values())
        except (ValueError, TypeError, AttributeError):
            ok = False
        if not ok:
            self._ignore("it is corrupt")
            return
        self.entries = body

    def _ignore(self, why: str) -> None:
        click.echo(f"warning: ignoring the build cache {CACHE_DIR}/{CACHE_FILE}: {why}; rebuilding it", err=True)
        self.dirty = True

    def get(self, display: str, path: Path) -> tuple[Any | None, bytes | None, str | None]:
        """Return (cached value, file bytes if read, their digest) for a catalog file."""
        self.seen.add(display)
        entry = self.entries.get(display)
        try:
            st = os.stat(path)
        except OSError:
            return None, None, None
        stamp = file_stamp(st)
        if entry is not None and entry.get("stat") == stamp:
            return entry["value"], None, entry["digest"]
        try:
            with open(path, "rb") as fh:
                data = read_bounded(fh, self.max_bytes)
        except OSError:
            return None, None, None
        d = digest(data)
        if entry is not None and entry.get("digest") == d:
            entry["stat"] = stamp if not racy(changed_ns(st)) else None
            self.dirty = True
            return entry["value"], data, d
        return None, data, d

    def put(self, display: str, path: Path, file_digest: str, value: Any) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        # A file changed within RACY_NS of now could change again within the same
        # timestamp tick, keeping size and mtime: trust only its digest (as git does).
        stamp = file_stamp(st) if not racy(changed_ns(st)) else None
        self.entries[display] = {"stat": stamp, "digest": file_digest, "value": value}
        self.seen.add(display)
        self.dirty = True

    def save(self) -> None:
        """Write the cache (entries of files seen this run only), atomically."""
        stale = set(self.entries) - self.seen
        for key in stale:
            del self.entries[key]
        if not (self.dirty or stale):
            return
        rest = json.dumps(self.entries, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8")
        head = json.dumps({"format": FORMAT, "code": self.code, "digest": digest(rest)}).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{CACHE_FILE}.{os.getpid()}.tmp")
            tmp.write_bytes(head + b"\n" + rest)
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError as exc:  # a read-only project still builds, just without a cache
            click.echo(f"warning: cannot write the build cache: {exc.strerror}", err=True)


"""The build cache: validated records keyed by file content, in .modelcat-cache/.

Parsing YAML is the slowest step of loading (JSON loads ~10x faster here), so
each record that validated cleanly is kept as its JSON, keyed by the file's
path and a BLAKE2 digest of its bytes; a file stamp (size, mtime, ctime, inode)
only saves re-reading unchanged files. Deleting .modelcat-cache/ is always safe.

The cache folder is data from the project, like the catalog: it is never run
and never trusted. Every file in it is sealed with a keyed BLAKE2 MAC whose key
is this user's, kept outside the project ($XDG_CACHE_HOME/modelcat/key, 0600):
a cache written elsewhere (committed, copied, planted) or corrupted is ignored
with a warning and rebuilt. Files are opened relative to the folder's own
descriptor, never through a symbolic link, regular files only, reads bounded;
a .modelcat-cache that is a link or not a folder is not used at all. Cached
records are validated again when loaded (generator.records.load), and one that
fails falls back to its YAML. tests/test_incremental.py and
tests/test_cache_safety.py hold this.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import secrets
import stat
import time
from pathlib import Path
from typing import Any

import click

from . import __version__
from .records.files import NotRegular, read_regular

CACHE_DIR = ".modelcat-cache"
CACHE_FILE = "records.json"
FORMAT = 3  # 2: stamps hold ctime and inode; 3: the file is sealed (write_cache_file)
MAX_CACHE_BYTES = 512 * 1024 * 1024  # records.json of 200,000 models (files.MAX_FILES) is ~300 MB
SEAL = b"modelcat-sealed-1 "
KEY_NAME = "key"


class CacheRefused(OSError):
    """A cache file (or folder) that is not used: strerror says why."""


def user_cache_dir() -> Path:
    """Return this user's modelcat folder outside any project: $XDG_CACHE_HOME/modelcat or ~/.cache/modelcat."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "modelcat"


_KEYS: dict[str, bytes] = {}
_WARNED: set[tuple[str, str]] = set()


def _warn_once(message: str, project: Path | None = None) -> None:
    """Print a warning about the cache once per process and project (a build reads several files)."""
    seen = (str(project.absolute()) if project is not None else "", message)
    if seen not in _WARNED:
        _WARNED.add(seen)
        click.echo(f"warning: {message}", err=True)


def user_key() -> bytes:
    """Return this user's secret key for sealing cache files, made on first use; raise OSError if none can be had."""
    folder = user_cache_dir()
    path = folder / KEY_NAME
    key = _KEYS.get(str(path))
    if key is not None:
        return key
    try:
        key = _read_key(path)
    except FileNotFoundError:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = folder / f"{KEY_NAME}.{secrets.token_hex(8)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_hex(32).encode())
            try:
                os.link(tmp, path)  # never replaces: two first builds at once agree on one key
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
        key = _read_key(path)
    _KEYS[str(path)] = key
    return key


def _read_key(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        data = fh.read(65)
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o077:
        raise CacheRefused(errno.EPERM, f"{path} is not a file only this user can read")
    if len(data) != 64:
        raise CacheRefused(errno.EINVAL, f"{path} is not a modelcat key; delete it to make a new one")
    return data


def _key_for(project: Path) -> bytes | None:
    """Return the user's key, or None (warned once) when there is none the project cannot supply."""
    try:
        folder = user_cache_dir()
        if os.path.commonpath([os.path.realpath(folder), os.path.realpath(project)]) == os.path.realpath(project):
            # $XDG_CACHE_HOME inside the project: the project would hold the key
            _warn_once(f"the per-user key for the build cache is inside the project ({folder}); "
                       "building without a cache", project)
            return None
        return user_key()
    except (OSError, RuntimeError) as exc:  # RuntimeError: Path.home() without a home
        why = f"{exc.strerror}: {exc.filename}" if isinstance(exc, OSError) and exc.filename else \
            getattr(exc, "strerror", None) or str(exc)
        _warn_once(f"no per-user key for the build cache ({why}); building without it")
        return None


def _cache_dir_fd(project: Path, create: bool) -> int | None:
    """Return a descriptor of project/.modelcat-cache (None if absent); raise CacheRefused for a link or non-folder."""
    pfd = os.open(project, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        try:
            return os.open(CACHE_DIR, flags, dir_fd=pfd)
        except FileNotFoundError:
            if not create:
                return None
            try:
                os.mkdir(CACHE_DIR, 0o700, dir_fd=pfd)
            except FileExistsError:
                pass
            return os.open(CACHE_DIR, flags, dir_fd=pfd)
        except OSError as exc:
            try:
                link = stat.S_ISLNK(os.lstat(CACHE_DIR, dir_fd=pfd).st_mode)
            except OSError:
                link = False
            if link or exc.errno in (errno.ELOOP, errno.ENOTDIR):
                what = "it is a symbolic link" if link else "it is not a folder"
                _warn_once(f"ignoring the build cache {CACHE_DIR}/: {what}; building without it", project)
                raise CacheRefused(exc.errno, what) from None
            raise
    finally:
        os.close(pfd)


def _mac(key: bytes, name: str, payload: bytes) -> bytes:
    h = hashlib.blake2b(key=key[:64], digest_size=32)
    h.update(name.encode("utf-8", "surrogatepass") + b"\0")
    h.update(payload)
    return h.hexdigest().encode()


def read_cache_file(project: Path, name: str, limit: int = MAX_CACHE_BYTES) -> bytes | None:
    """Return the payload of .modelcat-cache/<name>, None if there is none to use (absent, or no
    cache folder or key: warned once); raise CacheRefused when the file is there but not used:
    not a regular file, a link, too large, or not sealed with this user's key."""
    key = _key_for(project)
    if key is None:
        return None
    try:
        dfd = _cache_dir_fd(project, create=False)
    except CacheRefused:
        return None  # warned
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CacheRefused(exc.errno, f"cannot open {CACHE_DIR}/ ({exc.strerror})") from None
    if dfd is None:
        return None
    try:
        raw = read_regular(name, limit, dir_fd=dfd, follow=False)
    except FileNotFoundError:
        return None
    except NotRegular as exc:
        raise CacheRefused(exc.errno, exc.strerror) from None
    except OSError as exc:
        raise CacheRefused(exc.errno, f"cannot read it ({exc.strerror})") from None
    finally:
        os.close(dfd)
    head, nl, payload = raw.partition(b"\n")
    if not (nl and head.startswith(SEAL)):
        raise CacheRefused(errno.EINVAL, "it is corrupt or has no seal (written by an older modelcat?)")
    if not hmac.compare_digest(head[len(SEAL):], _mac(key, name, payload)):
        raise CacheRefused(errno.EINVAL, "it is corrupt or was not written here "
                                         "(its seal does not match this user's key)")
    return payload


def write_cache_file(project: Path, name: str, payload: bytes) -> None:
    """Write .modelcat-cache/<name> sealed with this user's key, atomically; raise OSError if it cannot be.

    The temporary file is made with O_EXCL|O_NOFOLLOW under a random name, so a link
    planted in the folder is never written through; os.replace swaps in the file itself.
    """
    key = _key_for(project)
    if key is None:
        raise CacheRefused(errno.EPERM, "no per-user key")
    if len(payload) > MAX_CACHE_BYTES:
        raise CacheRefused(errno.EFBIG, f"it would be larger than {MAX_CACHE_BYTES // (1024 * 1024)} MB")
    dfd = _cache_dir_fd(project, create=True)
    tmp = f"{name}.{secrets.token_hex(8)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0),
                     0o600, dir_fd=dfd)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(SEAL + _mac(key, name, payload) + b"\n")
                fh.write(payload)
            os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=dfd)
            except OSError:
                pass
            raise
    finally:
        os.close(dfd)


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
        self.project = project
        self.path = project / CACHE_DIR / CACHE_FILE
        self.max_bytes = max_bytes  # the loader refuses larger files; never read more
        self.entries: dict[str, dict] = {}
        self.seen: set[str] = set()
        self.dirty = False
        self.code = code_fingerprint()
        self._load()

    def _load(self) -> None:
        try:
            raw = read_cache_file(self.project, CACHE_FILE)
        except CacheRefused as exc:
            self._ignore(exc.strerror)
            return
        if raw is None:
            return
        # Layout (inside the seal): one header line of JSON (format, code), then the entries.
        head, _, rest = raw.partition(b"\n")
        try:
            header = json.loads(head)
            if header.get("format") != FORMAT or header.get("code") != self.code:
                return  # another layout, or another version of the loader: quietly start afresh
            body = json.loads(rest)
            ok = isinstance(body, dict) and all(
                isinstance(e, dict) and {"stat", "digest", "value"} <= e.keys() and isinstance(e["value"], str)
                for e in body.values())
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
            data = read_regular(path, self.max_bytes)
        except OSError:
            return None, None, None
        d = digest(data)
        if entry is not None and entry.get("digest") == d:
            entry["stat"] = stamp if not racy(changed_ns(st)) else None
            self.dirty = True
            return entry["value"], data, d
        return None, data, d

    def reject(self, display: str, path: Path, why: str) -> tuple[bytes | None, str | None]:
        """Drop a cached value that failed validation, with a warning; return (file bytes, digest) to parse instead."""
        click.echo(f"warning: ignoring the build cache's entry for {display}: {why}; reading the file", err=True)
        self.entries.pop(display, None)
        self.dirty = True
        try:
            data = read_regular(path, self.max_bytes)
        except OSError:
            return None, None
        return data, digest(data)

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
        """Write the cache (entries of files seen this run only), sealed and atomically."""
        stale = set(self.entries) - self.seen
        for key in stale:
            del self.entries[key]
        if not (self.dirty or stale):
            return
        rest = json.dumps(self.entries, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8")
        head = json.dumps({"format": FORMAT, "code": self.code}).encode("utf-8")
        try:
            write_cache_file(self.project, CACHE_FILE, head + b"\n" + rest)
            self.dirty = False
        except CacheRefused as exc:
            if exc.errno == errno.EFBIG:
                click.echo(f"warning: not keeping the build cache: {exc.strerror}", err=True)
            # else warned once already: a build without a cache
        except OSError as exc:  # a read-only project still builds, just without a cache
            click.echo(f"warning: cannot write the build cache: {exc.strerror}", err=True)

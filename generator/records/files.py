"""Finding the catalog's files: a walk with lstat, no YAML and no pydantic.

Kept apart from the loader so that a no-op `build` can stamp the catalog
without importing the validation stack. Files are never opened here; the
helpers that read one (read_bounded, read_regular) are.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem

MAX_FILE_BYTES = 5 * 1024 * 1024  # a record is a few KB; refuse anything absurd before parsing
MAX_FILES = 200_000


def read_bounded(fh, limit: int) -> bytes:
    """Return at most limit + 1 bytes of an open file.

    Asking read() for limit + 1 bytes up front makes CPython allocate that much and
    shrink it after: each kept result then holds its own memory mapping, and 100,000
    files exhaust the process's mappings (MemoryError). Asking for the size fstat
    reports (plus one, to see growth) allocates what the file holds.
    """
    size = os.fstat(fh.fileno()).st_size
    return fh.read(min(size, limit) + 1)


class NotRegular(OSError):
    """A path that is not a regular file, a symbolic link where none may be, or too large a file."""


def read_regular(path, limit: int, *, dir_fd: int | None = None, follow: bool = True) -> bytes:
    """Return the bytes of the regular file at path, refusing (NotRegular) anything else.

    O_NONBLOCK makes opening a FIFO return at once (fstat then refuses it), so that a
    pipe put where a file should be never hangs the build; a device is refused before
    a byte is read (/dev/zero would fill memory), and no more than limit bytes are ever
    read. With follow=False a symbolic link is refused too (O_NOFOLLOW).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise NotRegular(errno.ELOOP, "it is a symbolic link") from None
        raise
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(errno.EINVAL, "it is not a regular file (a pipe, socket or device?)")
        data = read_bounded(fh, limit) if st.st_size <= limit else b""
    if st.st_size > limit or len(data) > limit:
        raise NotRegular(errno.EFBIG, f"it is larger than {limit // (1024 * 1024)} MB")
    return data


_ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")  # schema.ID_RE: \Z, as $ matches before a final "\n"
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """Return text with control characters escaped (\\n, \\x07), so a problem stays one line."""
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass(frozen=True)
class CatalogFile:
    kind: str  # site, collections, provider, model, doc
    path: Path
    display: str  # path relative to the project, with forward slashes
    id: str = ""  # the id the path implies
    # (size, mtime_ns, ctime_ns, inode) as the walk saw it: a no-op build's stamp needs no second stat
    stamp: tuple | None = field(default=None, compare=False)


def find_files(project: Path) -> tuple[list[CatalogFile], list[Problem]]:
    """Return the catalog's files in a stable order, and problems with the tree itself."""
    root = project / "catalog"
    real_root = os.path.realpath(root)
    files: list[CatalogFile] = []
    problems: list[Problem] = []
    count = 0

    prefix = len(str(root))

    def display(p: Path) -> str:
        # every path here is root / ...: slicing its text is ~10x relative_to(), per file
        return printable("catalog" + str(p)[prefix:].replace(os.sep, "/"))

    def problem(p: Path, message: str, warning: bool = False) -> None:
        problems.append(Problem(display(p), 1, 1, "", message, warning))

    def usable(p: Path, want_dir: bool) -> bool:
        """Return whether p is a regular file (or folder) inside the catalog."""
        try:
            st = os.lstat(p)
        except OSError as exc:
            problem(p, f"cannot read: {exc.strerror}")
            return False
        if stat.S_ISLNK(st.st_mode):
            target = os.path.realpath(p)
            if os.path.commonpath([real_root, target]) != real_root:
                problem(p, "symbolic link leads outside the catalog; copy the file in instead")
                return False
            try:
                st = os.stat(p)
            except OSError:
                problem(p, "symbolic link points at nothing")
                return False
        if want_dir:
            if not stat.S_ISDIR(st.st_mode):
                problem(p, "expected a folder here")
                return False
            return True
        if stat.S_ISDIR(st.st_mode):
            problem(p, "expected a file, found a folder")
            return False
        if not stat.S_ISREG(st.st_mode):
            problem(p, "not a regular file (a pipe, socket or device?); refusing to read it")
            return False
        if st.st_size > MAX_FILE_BYTES:
            problem(p, f"file is {st.st_size / 1e6:.1f} MB; catalog files are limited to "
                       f"{MAX_FILE_BYTES // (1024 * 1024)} MB")
            return False
        seen[0] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        return True

    seen: list = [None]  # the stamp of the file usable() accepted last

    def entries(folder: Path) -> list[os.DirEntry]:
        nonlocal count
        try:
            with os.scandir(folder) as it:
                found = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError as exc:
            problem(folder, f"cannot list folder: {exc.strerror}")
            return []
        count += len(found)
        if count > MAX_FILES:
            raise _TooMany()
        return found

    def id_file(p: Path, suffix: str, kind: str, what: str) -> str | None:
        """Return the id a file name implies, or report why it cannot be one."""
        name = p.name
        if not name.endswith(suffix):
            hint = " (use the .yaml extension)" if name.endswith(".yml") else ""
            problem(p, f"ignored: not a {suffix} file{hint}", warning=True)
            return None
        stem = name[: -len(suffix)]
        if not _is_id(stem):
            problem(p, f"{what} {stem!r} is not a valid id: use lowercase letters, digits, "
                       '".", "_" or "-", starting with a letter or digit, at most 100 characters')
            return None
        return stem if usable(p, False) else None

    try:
        for name, kind in (("site.yaml", "site"), ("collections.yaml", "collections")):
            p = root / name
            if os.path.lexists(p):
                if usable(p, False):
                    files.append(CatalogFile(kind, p, display(p), stamp=seen[0]))
            elif kind == "site":
                problem(p, "required file is missing: the gateway's name, URL, API and errors")
        known = {"site.yaml", "collections.yaml", "providers", "models", "docs"}
        for entry in entries(root):
            if entry.name not in known:
                problem(root / entry.name, "ignored: not part of the catalog layout "
                        "(site.yaml, collections.yaml, providers/, models/, docs/)", warning=True)
        providers = root / "providers"
        if os.path.lexists(providers) and usable(providers, True):
            for entry in entries(providers):
                p = providers / entry.name
                pid = id_file(p, ".yaml", "provider", "provider id")
                if pid:
                    files.append(CatalogFile("provider", p, display(p), pid, seen[0]))
        models = root / "models"
        if os.path.lexists(models) and usable(models, True):
            for pentry in entries(models):
                folder = models / pentry.name
                if not _is_id(pentry.name):
                    problem(folder, f"provider folder {pentry.name!r} is not a valid id: use lowercase "
                                    'letters, digits, ".", "_" or "-"')
                    continue
                if not usable(folder, True):
                    continue
                for entry in entries(folder):
                    p = folder / entry.name
                    slug = id_file(p, ".yaml", "model", "model slug")
                    if slug:
                        files.append(CatalogFile("model", p, display(p), f"{pentry.name}/{slug}", seen[0]))
        docs = root / "docs"
        if os.path.lexists(docs) and usable(docs, True):
            for entry in entries(docs):
                p = docs / entry.name
                doc_id = id_file(p, ".md", "doc", "docs page id")
                if doc_id:
                    files.append(CatalogFile("doc", p, display(p), doc_id, seen[0]))
    except _TooMany:
        problems.append(Problem("catalog", 1, 1, "", f"more than {MAX_FILES:,} entries in the "
                                "catalog; refusing to read it"))
    return files, problems


class _TooMany(Exception):
    pass


def _is_id(text: str) -> bool:
    return len(text) <= 100 and text not in (".", "..") and _ID_RE.match(text) is not None

"""Write a build atomically: a temporary folder beside --out, then one swap.

The previous site stays byte for byte until the new one is complete: outputs
stream into `<out>.tmp-<pid>`, and only a fully written folder is exchanged
with `<out>` by renameat2(RENAME_EXCHANGE), a single step with no moment where
`<out>` is missing. A lock file beside `<out>` keeps two builds of one output
apart for as long as one runs (it is removed when the build ends); folders left
by killed builds are removed by the next one, even one that finds the site up
to date. tests/test_build.py kills builds with SIGKILL to hold this.

Every site carries a marker file, MARKER: a folder is replaced only when an
earlier build made it (or it is empty), and a project's own folders never are
(resolve_out). tests/test_out_safety.py holds this.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import re
import shutil
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import click

RENAME_EXCHANGE = 2
BACKGROUND_DELETE_FILES = 1000  # a file's unlink costs 40-900 µs on these disks, a fork a few ms
AT_FDCWD = -100


@dataclass(frozen=True)
class Output:
    """One file of the built site: a relative POSIX path and its bytes."""

    path: str
    data: bytes


MARKER = ".modelcat-site"  # in every site modelcat builds: only such a folder is ever replaced
MARKER_TEXT = b"modelcat site 1\n"
PROJECT_FOLDERS = ("catalog", "templates")


class WriteError(click.ClickException):
    """A fault of the environment while writing (or refusing to write) the site: one line."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


class BuildLocked(WriteError):
    exit_code = 1


class OutRefused(WriteError):
    """An --out the build must not replace: bad usage, exit 2."""

    exit_code = 2


def resolve_out(project: Path, out: Path, shown: Path | str | None = None,
                ours: Callable[[Path], bool] | None = None) -> Path:
    """Return the real folder to build into, or refuse an out that would destroy something.

    Refused: the project itself or a folder holding it, its catalog/ or templates/ (or a
    folder in or around them), a file, and an existing folder that no modelcat build made
    (ours(folder) may vouch for a site of a version that wrote no marker). A symlinked out
    is followed: the site is built where it points and the link stays.
    """
    real = Path(os.path.realpath(out))
    proj = Path(os.path.realpath(project))

    def refuse(why: str) -> OutRefused:
        return OutRefused(f"--out {out if shown is None else shown} {why}")

    if proj == real or proj.is_relative_to(real):
        raise refuse("holds the project itself, which the build would replace; "
                     "choose a folder of its own, such as site/")
    for name in PROJECT_FOLDERS:
        mine = Path(os.path.realpath(proj / name))
        if real == mine or real.is_relative_to(mine) or mine.is_relative_to(real):
            raise refuse(f"is or lies inside the project's {name}/ folder, which the build would "
                         "replace; choose a folder outside catalog/ and templates/, such as site/")
    try:
        st = os.stat(real)
    except OSError:  # missing: made by the build (or its fault reported there)
        return real
    if not stat.S_ISDIR(st.st_mode):
        raise refuse("is not a folder; remove it or choose another --out")
    if not is_site(real) and not (ours is not None and ours(real)):
        try:
            with os.scandir(real) as entries:
                empty = next(entries, None) is None
        except OSError:
            empty = False
        if not empty:
            raise refuse(f"already exists and was not made by modelcat build (it has no {MARKER} "
                         "file); remove it or choose another --out")
    return real


def is_site(folder: Path | str) -> bool:
    """Return whether folder holds the marker of a modelcat build."""
    try:
        return stat.S_ISREG(os.lstat(os.path.join(folder, MARKER)).st_mode)
    except OSError:
        return False


def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:  # pragma: no cover - not Linux
        return None


_LIBC = _libc()


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2; return False where unsupported."""
    fn = getattr(_LIBC, "renameat2", None) if _LIBC is not None else None
    if fn is None:
        return False
    res = fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if res == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def check_path(path: str) -> list[str]:
    """Return the parts of a relative output path; raise if it is absolute or climbs out."""
    parts = path.split("/")
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise RuntimeError(f"unsafe output path {path!r}")
    return parts


def file_record(st: os.stat_result) -> list[int]:
    """Return what shows a site file is still the one a build wrote: size, mtime, inode."""
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _stale_folders(out: Path) -> list[str]:
    """Return the temporary folders of dead builds beside out: `<out>.tmp-<pid>` (or
    `.tmp-old-<pid>`) holding the marker, or empty. Others of similar names are kept, and
    so is one a live process is deleting (_delete_in_background): no build waits on it."""
    pattern = re.compile(re.escape(out.name) + r"\.tmp-(?:old-)?[0-9]+")
    found = []
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return []
    for entry in entries:
        if pattern.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            if _ours(entry.path) and not _being_deleted(entry.path):
                found.append(entry.path)
    return found


def _ours(folder: str) -> bool:
    """Return whether folder is a site modelcat made, or empty (the last step of its removal)."""
    try:
        return is_site(folder) or not os.listdir(folder)
    except OSError:
        return False


def _lock_folder(folder: str) -> int:
    """Return an open descriptor of folder holding an flock on it, the mark of a deletion
    under way (gone when its process ends); BlockingIOError if another process holds it."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise
    return fd


def _being_deleted(folder: str) -> bool:
    try:
        os.close(_lock_folder(folder))
    except BlockingIOError:
        return True
    except OSError:  # gone, or no locks here: removal deals with it
        pass
    return False


def remove_site(folder: Path | str) -> None:
    """Delete a site folder modelcat made, its marker last: a deletion cut short (a kill, a
    crash) leaves a folder the next build still knows as its own and finishes removing."""
    folder = os.fspath(folder)
    try:
        entries = [e for e in os.scandir(folder) if e.name != MARKER]
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            try:
                os.unlink(entry.path)
            except OSError:
                pass
    shutil.rmtree(folder, ignore_errors=True)


def clean_stale(out: Path) -> None:
    """Remove what dead builds left beside out (folders, a lock file), if no build of out is
    running (the up-to-date path: a full build does it in SiteWriter). Never fails: it is
    housekeeping."""
    lock = _Lock(out)
    if not _stale_folders(out) and not os.path.lexists(lock.path):
        return
    try:
        if not lock.acquire():
            return
    except OSError:
        return
    try:
        for path in _stale_folders(out):
            remove_site(path)
    finally:
        lock.release()


class _Lock:
    """An flock on `.<out>.lock` beside out, whose file is removed on release, so that a
    build leaves nothing behind. A build that finds the file gone (or replaced) after
    locking it took a released lock and tries again on the current file."""

    def __init__(self, out: Path):
        self.path = out.parent / f".{out.name}.lock"
        self.fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock; return False if another build holds it."""
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            try:
                now, mine = os.stat(self.path), os.fstat(fd)
                current = (now.st_ino, now.st_dev) == (mine.st_ino, mine.st_dev)
            except FileNotFoundError:
                current = False
            if current:
                self.fd = fd
                return True
            os.close(fd)

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)  # while still held: no other build can be holding this file
        except OSError:
            pass
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None


def _delete_in_background(folder: Path) -> bool:
    """Remove folder in a detached grandchild process; False if it could not be started.

    The grandchild holds an flock on the folder while it works, so that builds meanwhile
    leave the folder to it (_stale_folders); should it die, the lock goes with it.
    """
    try:
        lock = _lock_folder(os.fspath(folder))
    except OSError:
        return False
    try:
        pid = os.fork()
    except OSError:
        os.close(lock)
        return False
    if pid == 0:  # child: start the grandchild and leave at once, so nothing waits on a zombie
        try:
            if os.fork() == 0:
                os.setsid()
                # let go of the build's stdout and stderr: whoever reads them (a CI log,
                # a pipe) must not wait for this deletion to end
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                # nor hold anything else of the parent: serve's listening socket and its
                # connections would stay open (the port "in use") until the deletion ends
                os.closerange(3, lock)  # all but the folder's lock
                os.closerange(lock + 1, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
                remove_site(folder)
        finally:
            os._exit(0)
    os.close(lock)  # the grandchild's copy keeps the lock
    os.waitpid(pid, 0)
    return True


class SiteWriter:
    """Context manager: lock, clean stale temp folders, collect outputs, swap on success."""

    def __init__(self, out: Path):
        self.out = out.absolute()
        self.tmp = self.out.parent / f"{self.out.name}.tmp-{os.getpid()}"
        self._lock = _Lock(self.out)
        self._seen: set[str] = set()
        self._dirs: set[str] = set()
        self.count = 0
        self.bytes = 0
        self.records: dict[str, list[int]] = {}  # path -> file_record of each file in the folder

    def __enter__(self) -> "SiteWriter":
        self.out.parent.mkdir(parents=True, exist_ok=True)
        if not self._lock.acquire():
            raise BuildLocked(f"another modelcat build is writing {self.out} right now; "
                              "wait for it to finish and try again")
        try:
            # We hold the lock, so every temp folder beside out is from a dead build
            # (but those a live process is deleting, which _stale_folders leaves to it).
            for path in _stale_folders(self.out):
                remove_site(path)
            if self.tmp.exists() and _ours(os.fspath(self.tmp)):
                # serve's previous build (this process, so this name) is still deleting the
                # site before: finish that here rather than fail on the folder
                remove_site(self.tmp)
            self.tmp.mkdir()
            with open(self.tmp / MARKER, "wb") as fh:  # first, so a killed build's folder has it too
                fh.write(MARKER_TEXT)
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def write(self, output: Output) -> None:
        path = output.path
        self.reserve(path)
        target = self.tmp / path
        try:
            with open(target, "wb") as fh:
                fh.write(output.data)
                fh.flush()  # the stat must see the file as it stays
                self.records[path] = file_record(os.fstat(fh.fileno()))
        except OSError as exc:
            if exc.filename is None:  # a failed write() names no file: say which
                raise OSError(exc.errno, exc.strerror, str(target)) from exc
            raise
        self.count += 1
        self.bytes += len(output.data)

    def _reserve(self, path: str) -> list[str]:
        """Record path as taken, refusing a second claim and any path that could escape."""
        if path in self._seen:
            raise RuntimeError(f"two outputs claim {path!r}")
        parts = check_path(path)
        self._seen.add(path)
        return parts

    def reserve(self, path: str) -> None:
        """Take path and make its folder: for write(), and for a file linked in instead."""
        parts = self._reserve(path)
        folder = "/".join(parts[:-1])
        if folder and folder not in self._dirs:
            (self.tmp / folder).mkdir(parents=True, exist_ok=True)
            self._dirs.add(folder)

    def count_linked(self, paths: tuple[str, ...], records: list[list[int]]) -> None:
        """Count files hard-linked into the folder, with their records (a link keeps size,
        mtime and inode); their bytes are not counted."""
        self.count += len(paths)
        self.records.update(zip(paths, records))

    def forget(self, paths: Iterable[str]) -> None:
        """Release claimed paths whose link failed (the model is rendered instead)."""
        for path in paths:
            if path in self._seen:
                self._seen.discard(path)
                try:
                    os.unlink(self.tmp / path)
                except OSError:
                    pass

    def adopt(self, paths: list[str], size: int, records: list[list[int]]) -> None:
        """Account for files a worker process wrote into the folder itself."""
        for path in paths:
            self._reserve(path)
        self.records.update(zip(paths, records))
        self.count += len(paths)
        self.bytes += size

    def commit(self, verify: Callable[[Path], None] | None = None) -> None:
        """Run verify on the finished folder, then swap it in as out."""
        if verify is not None:
            verify(self.tmp)
        if self.out.exists() or self.out.is_symlink():
            if not exchange(self.tmp, self.out):  # pragma: no cover - non-Linux fallback
                old = self.out.parent / f"{self.out.name}.tmp-old-{os.getpid()}"
                os.rename(self.out, old)
                os.rename(self.tmp, self.out)
                self.tmp = old
        else:
            os.rename(self.tmp, self.out)
            return
        # self.tmp now holds the previous site. A big one is deleted by a detached process,
        # so that the command (and serve's reload) need not wait for thousands of unlinks;
        # should that process die, the next build removes the folder as a stale one.
        if self.count >= BACKGROUND_DELETE_FILES and _delete_in_background(self.tmp):
            return
        remove_site(self.tmp)

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and self.tmp.exists():
            remove_site(self.tmp)
        self._lock.release()

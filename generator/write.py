"""Write a build atomically: a temporary folder beside --out, then one swap.

The previous site stays byte for byte until the new one is complete: outputs
stream into `<out>.tmp-<pid>`, and only a fully written folder is exchanged
with `<out>` by renameat2(RENAME_EXCHANGE), a single step with no moment where
`<out>` is missing. A lock file keeps two builds of one output apart; folders
left by killed builds are removed by the next one. tests/test_write.py kills
builds with SIGKILL to hold this.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import click

RENAME_EXCHANGE = 2
BACKGROUND_DELETE_FILES = 5000
AT_FDCWD = -100


@dataclass(frozen=True)
class Output:
    """One file of the built site: a relative POSIX path and its bytes."""

    path: str
    data: bytes


class BuildLocked(click.ClickException):
    exit_code = 1


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


def _delete_in_background(folder: Path) -> bool:
    """Remove folder in a detached grandchild process; False if it could not be started."""
    try:
        pid = os.fork()
    except OSError:
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
                shutil.rmtree(folder, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    return True


class SiteWriter:
    """Context manager: lock, clean stale temp folders, collect outputs, swap on success."""

    def __init__(self, out: Path):
        self.out = out.absolute()
        self.tmp = self.out.parent / f"{self.out.name}.tmp-{os.getpid()}"
        self.lock_path = self.out.parent / f".{self.out.name}.lock"
        self._lock_fd: int | None = None
        self._seen: set[str] = set()
        self._dirs: set[str] = set()
        self.count = 0
        self.bytes = 0

    def __enter__(self) -> "SiteWriter":
        self.out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BuildLocked(f"another modelcat build is writing {self.out} right now; "
                              "wait for it to finish and try again")
        self._lock_fd = fd
        self._clean_stale()
        self.tmp.mkdir()
        return self

    def _clean_stale(self) -> None:
        # We hold the lock, so every temp folder beside out is from a dead build.
        prefix = f"{self.out.name}.tmp-"
        for entry in os.scandir(self.out.parent):
            if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)

    def write(self, output: Output) -> None:
        path = output.path
        self.reserve(path)
        with open(self.tmp / path, "wb") as fh:
            fh.write(output.data)
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

    def count_linked(self, paths: tuple[str, ...]) -> None:
        """Count files hard-linked into the folder; their bytes are not counted (a stat each
        would cost as much as the link)."""
        self.count += len(paths)

    def forget(self, paths: Iterable[str]) -> None:
        """Release claimed paths whose link failed (the model is rendered instead)."""
        for path in paths:
            if path in self._seen:
                self._seen.discard(path)
                try:
                    os.unlink(self.tmp / path)
                except OSError:
                    pass

    def adopt(self, paths: list[str], size: int) -> None:
        """Account for files a worker process wrote into the folder itself."""
        for path in paths:
            self._reserve(path)
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
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

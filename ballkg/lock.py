"""One writer at a time on the project's sources.

`ballkg add` (which writes graph/) and `ballkg build` (which reads the sources and records their hashes
in the release manifest) hold an exclusive lock on `.ballkg.lock` in the project root. Concurrent adds
therefore run one after the other, each one validating against, and checking duplicates in, what the
previous ones wrote; and a build can never record hashes of sources that changed while it was reading
them. The lock is an OS file lock (flock), so a writer killed by any signal releases it at once.
Readers (query, sparql, stats, export, serve) take no lock: they see a complete release or none.
"""
from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import sources

LOCK_FILE = ".ballkg.lock"
DEFAULT_TIMEOUT_S = 120.0
_POLL_S = 0.05
_held = 0  # the lock is re-entrant within one process (build called from an API call that holds it)


class LockTimeout(RuntimeError):
    """Another ballkg process held the sources for longer than the timeout."""


def lock_path() -> Path:
    return sources.root() / LOCK_FILE


def timeout_s() -> float:
    raw = os.environ.get("BALLKG_LOCK_TIMEOUT")
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT_S
    except ValueError:
        return DEFAULT_TIMEOUT_S


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "another ballkg process"


@contextmanager
def sources_lock(action: str, timeout: float | None = None) -> Iterator[None]:
    """Hold the project's source lock while `action` ('ballkg add', 'ballkg build') runs."""
    global _held
    if _held:
        _held += 1
        try:
            yield
        finally:
            _held -= 1
        return
    timeout = timeout_s() if timeout is None else timeout
    path = lock_path()
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        said = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(fd)
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{path.name}: the sources are in use by {holder} and stayed so for {timeout:g} s; "
                        "nothing was changed; try again when it has finished "
                        "(BALLKG_LOCK_TIMEOUT sets how long to wait)") from None
                if not said:
                    print(f"ballkg: waiting for {holder} to finish ...", file=sys.stderr)
                    said = True
                time.sleep(_POLL_S)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{action} (process {os.getpid()})".encode(), 0)
        _held = 1
        try:
            yield
        finally:
            _held = 0
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

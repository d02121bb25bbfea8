"""The Oxigraph server behind `ballkg serve`, and a proxy to it that keeps a deadline.

Oxigraph streams results and checks its own timeout only now and then, so a runaway query can answer
HTTP 200 and then break off, or not answer at all for minutes. The front server therefore waits for the
whole answer at most `timeout_s` seconds and otherwise answers 503 itself; the Oxigraph process still
busy with the abandoned query is replaced by a fresh one (started on the same read-only store) and
stopped once its other requests have finished, so a runaway query cannot keep a core busy.
"""
from __future__ import annotations

import concurrent.futures
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from .. import store
from ..serve import oxigraph_command

# headers of the upstream answer worth passing on; hop-by-hop ones are not
PASSED_HEADERS = {"content-type", "content-disposition", "cache-control", "vary"}


class DeadlineExceeded(Exception):
    """The upstream server did not finish the answer in time."""


def free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Upstream:
    proc: subprocess.Popen
    base: str
    active: int = 0
    retired_at: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Backend:
    """A supervised read-only Oxigraph server on a private loopback port."""

    def __init__(self, release_dir: Path, timeout_s: float):
        self.release_dir = release_dir
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._retired: list[Upstream] = []
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=16, thread_name_prefix="upstream")
        self._session = requests.Session()
        self.current = self._start()

    def _start(self) -> Upstream:
        port = free_loopback_port()
        # Oxigraph's own limit is a backstop; the proxy's deadline is what the client sees
        cmd = [oxigraph_command(), "serve-read-only", "--location", str(self.release_dir / store.STORE_DIR),
               "--bind", f"127.0.0.1:{port}", "--timeout-s", str(max(1, int(self.timeout_s)))]
        # stopped by close(), which serve_forever runs on Ctrl-C, SIGTERM and normal exit
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        up = Upstream(proc, f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the Oxigraph server exited with code {proc.returncode} on start")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return up
            except OSError:
                time.sleep(0.05)
        up.stop()
        raise RuntimeError("the Oxigraph server did not start within 30 s")

    def forward(self, method: str, path: str, query_string: bytes, headers: dict[str, str], body: bytes,
                ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Send one request upstream and return its whole answer, or raise DeadlineExceeded."""
        with self._lock:
            up = self.current
        with up.lock:
            up.active += 1
        url = up.base + path + ("?" + query_string.decode("latin-1") if query_string else "")

        def call():
            r = self._session.request(method, url, headers=headers, data=body, timeout=(5, self.timeout_s + 30))
            return r.status_code, [(k, v) for k, v in r.headers.items() if k.lower() in PASSED_HEADERS], r.content

        future = self._pool.submit(call)
        try:
            return future.result(timeout=self.timeout_s)
        except concurrent.futures.TimeoutError:
            # answer now; the replacement starts beside it (other queries still run on the old server meanwhile)
            threading.Thread(target=self._replace, args=(up,), daemon=True).start()
            raise DeadlineExceeded() from None
        except requests.RequestException as exc:
            raise ConnectionError(f"the SPARQL server did not answer: {exc}") from None
        finally:
            with up.lock:
                up.active -= 1
            self._reap()

    def _replace(self, up: Upstream) -> None:
        """Put a fresh server in place of one that is stuck on an abandoned query."""
        with self._lock:
            if self.current is not up:
                return  # another request already replaced it
            try:
                self.current = self._start()
            except RuntimeError:
                return  # keep the old server; the next deadline tries again
            up.retired_at = time.monotonic()
            self._retired.append(up)
        self._reap()

    def _reap(self) -> None:
        """Stop retired servers once their other requests are done (or after one more timeout)."""
        now = time.monotonic()
        with self._lock:
            done = [u for u in self._retired
                    if u.active == 0 or now - (u.retired_at or now) > self.timeout_s]
            self._retired = [u for u in self._retired if u not in done]
        for u in done:
            u.stop()

    def close(self) -> None:
        with self._lock:
            ups = [self.current, *self._retired]
            self._retired = []
        for u in ups:
            u.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

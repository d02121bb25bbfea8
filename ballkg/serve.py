"""`ballkg serve` and `ballkg push`: pages and a SPARQL 1.1 endpoint on the release, and loading it into another store.

`ballkg serve` runs a small WSGI server (waitress) with the pages of `ballkg.web` in front of the Oxigraph
server shipped by the `oxigraph` package, which is started read-only on the release store on a private
loopback port; /query is passed through to it with a deadline, and writes are refused twice over.
`start_server` starts the bare Oxigraph server (used by the benchmark).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from . import store


def oxigraph_command() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        raise FileNotFoundError("the Oxigraph server is not installed: pip install oxigraph")
    return found


def server_command(release_dir: Path, host: str, port: int, timeout_s: int) -> list[str]:
    store.open_release_store(release_dir)  # refuses a missing or stale release with a clear message
    return [oxigraph_command(), "serve-read-only", "--location", str(release_dir / store.STORE_DIR),
            "--bind", f"{host}:{port}", "--timeout-s", str(timeout_s)]


def start_server(release_dir: Path, host: str = "127.0.0.1", port: int = 7878, timeout_s: int = 30,
                 **popen) -> subprocess.Popen:
    return subprocess.Popen(server_command(release_dir, host, port, timeout_s), **popen)


def endpoint_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/query"


class ServeError(RuntimeError):
    """The server cannot start (address in use, no permission, ...)."""


def serve_forever(release_dir: Path, host: str, port: int, timeout_s: int, threads: int = 8) -> int:
    """Pages and the SPARQL endpoint on host:port until Ctrl-C or SIGTERM; the Oxigraph child stops with us.

    The public socket is bound before anything is announced, so a busy port is a one-line error."""
    import signal

    from waitress.server import create_server

    from .web.app import App
    from .web.backend import Backend
    from .web.graph import KG

    kg = KG(store.open_release_store(release_dir))  # refuses a missing or stale release with a clear message
    holder: dict = {}
    try:
        server = create_server(lambda environ, start: holder["app"](environ, start), host=host, port=port,
                               threads=threads, ident="ballkg", channel_timeout=max(120, timeout_s * 2))
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; is another server using "
                         "that port? Choose another with --port") from None
    backend = None

    def stop(signum, frame):
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        backend = Backend(release_dir, timeout_s)
        holder["app"] = App(kg, backend, timeout_s)
        base = endpoint_url(host, port).removesuffix("/query")
        print(f"ballkg pages: {base}/  SPARQL endpoint: {base}/query  (read-only; queries time out after "
              f"{timeout_s}s; Ctrl-C stops)", flush=True)
        server.run()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if backend is not None:
            backend.close()  # first, so the Oxigraph server never outlives us
        server.close()
        print("server stopped", file=sys.stderr)
    return 0


def push(url: str, data_file: Path, graph: str | None = None, replace: bool = True, timeout: int = 300) -> int:
    """Send a release file to a SPARQL 1.1 Graph Store HTTP Protocol endpoint; returns the HTTP status."""
    import requests

    params = {"graph": graph} if graph else {"default": ""}
    media = "text/turtle" if data_file.suffix == ".ttl" else "application/n-triples"
    with data_file.open("rb") as body:
        response = (requests.put if replace else requests.post)(
            url, params=params, data=body, headers={"Content-Type": media}, timeout=timeout)
    if response.status_code >= 300:
        raise RuntimeError(f"{url} refused the data: HTTP {response.status_code} {response.text[:200]}")
    return response.status_code

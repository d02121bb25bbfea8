"""`ballkg serve` and `ballkg push`: the release behind a real SPARQL 1.1 server, and loading it into another store.

The server is the Oxigraph server shipped by the `oxigraph` package, started read-only on the release
store, so SPARQL Update and Graph Store writes are refused by the server itself.
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


def serve_forever(release_dir: Path, host: str, port: int, timeout_s: int) -> int:
    proc = start_server(release_dir, host, port, timeout_s)
    print(f"SPARQL endpoint: {endpoint_url(host, port)}  (read-only; queries time out after {timeout_s}s; "
          "Ctrl-C stops)", flush=True)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
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

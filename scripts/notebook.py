"""Run notebooks/ballkg-tour.ipynb top to bottom and commit-ready: its outputs are stored in the file.

    .venv/bin/python scripts/notebook.py            # rebuild the release if stale, serve it, execute, write back
    .venv/bin/python scripts/notebook.py --check    # execute and compare with the stored outputs; exit 1 if they differ

The tests import `execute` and `comparable` from here, so the committed outputs and the test use one recipe.
What is compared (`comparable`): per code cell, its source and, per output, the output type, the MIME types
shown, and the text of every text output (printed text, tables as text and HTML). Not compared: execution
counts, timing metadata, stderr (warnings vary with library versions), and the pixels of the PNG plots
(they depend on the installed matplotlib and fonts); a plot must still be there, with the same size text.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "ballkg-tour.ipynb"
REGENERATE = "run '.venv/bin/python scripts/notebook.py' and commit notebooks/ballkg-tour.ipynb"


def execute(release: Path, endpoint: str, path: Path = NOTEBOOK):
    """The notebook executed against `release` and `endpoint` (a SPARQL endpoint URL)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    old = {k: os.environ.get(k) for k in ("BALLKG_RELEASE", "BALLKG_ENDPOINT")}
    os.environ.update(BALLKG_RELEASE=str(release), BALLKG_ENDPOINT=endpoint)
    try:
        with tempfile.TemporaryDirectory() as cwd:
            NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=False,
                           resources={"metadata": {"path": cwd}}).execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


def comparable(nb) -> list[dict]:
    """The deterministic part of a notebook's outputs (see the module docstring)."""
    cells = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                if out.get("name") == "stdout":
                    outputs.append({"type": "stream", "text": out.get("text", "")})
                continue
            if out.get("output_type") == "error":
                outputs.append({"type": "error", "ename": out.get("ename"), "evalue": out.get("evalue")})
                continue
            data = out.get("data", {})
            outputs.append({"type": out.get("output_type"), "mime": sorted(data),
                            "text": {m: data[m] if isinstance(data[m], str) else "".join(data[m])
                                     for m in sorted(data) if m.startswith("text/")}})
        cells.append({"cell": i, "source": cell.source, "outputs": outputs})
    return cells


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the stored outputs instead of writing")
    args = parser.parse_args(argv)
    import nbformat
    import requests

    from ballkg.api import ensure_release

    release = ensure_release()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "ballkg.cli", "serve", "--port", str(port), "--release",
                               str(release)], stdout=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(300):
            try:
                requests.get(endpoint, params={"query": "ASK {}"}, timeout=2)
                break
            except requests.ConnectionError:
                if server.poll() is not None:
                    print("notebook: ballkg serve did not start", file=sys.stderr)
                    return 2
                time.sleep(0.1)
        nb = execute(release, endpoint)
    finally:
        server.terminate()
        server.wait(timeout=15)
    if args.check:
        stored = nbformat.read(NOTEBOOK, as_version=4)
        if comparable(stored) != comparable(nb):
            print(f"notebook: the stored outputs differ from a fresh run; {REGENERATE}", file=sys.stderr)
            return 1
        print("notebook: the stored outputs are what a fresh run produces")
        return 0
    tmp = NOTEBOOK.with_suffix(".ipynb.tmp")
    nbformat.write(nb, tmp)
    tmp.replace(NOTEBOOK)
    n_out = sum(len(c["outputs"]) for c in comparable(nb))
    print(f"wrote {NOTEBOOK.relative_to(ROOT)} with {n_out} outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())


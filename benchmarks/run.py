"""Scale benchmark: build, load, query, serve and add at growing numbers of synthetic studies.

    python benchmarks/run.py            # N = 100, 1000, 10000 studies
    python benchmarks/run.py --quick    # small N, used by the test suite
    python benchmarks/run.py --sizes 100,1000,10000,100000 --build-max 10000

Each measurement runs in a child process so that its peak memory (max RSS) is its own. Figures are
printed as tables; nothing here asserts a target, the README compares them with the targets.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

REPEATS = 5


# ------------------------------------------------------------------------------- child stages
def stage_generate(home: Path, n: int) -> dict:
    from benchmarks.generate import write_synthetic

    for name in ("ontology", "graph", "shapes", "queries", "mappings"):
        shutil.copytree(REPO / name, home / name, dirs_exist_ok=True)
    t = time.perf_counter()
    triples = write_synthetic(n, home / "graph" / "synthetic.ttl")
    return {"synthetic_triples": triples, "generate_s": time.perf_counter() - t}


def stage_build(home: Path) -> dict:
    os.environ["BALLKG_HOME"] = str(home)
    from ballkg.build import build

    summary = build(home / "release", docs=False)
    return {"triples": summary.triples + summary.inferred_triples, "reasoner": summary.reasoner,
            **{f"build_{k}_s": v for k, v in summary.stage_seconds.items()}}


def stage_load(home: Path) -> dict:
    import pyoxigraph as ox

    nt = home / "release" / "ballkg.nt"
    target = Path(tempfile.mkdtemp(dir=home))
    t = time.perf_counter()
    store = ox.Store(str(target / "store"))
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    return {"store_load_s": time.perf_counter() - t}


def _median_ms(fn) -> float:
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def stage_queries(home: Path) -> dict:
    os.environ["BALLKG_HOME"] = str(home)
    from ballkg.queries import catalogue, run_on_store
    from ballkg.store import open_release_store

    store = open_release_store(home / "release")
    out = {}
    for name, q in catalogue().items():
        text = q.bind({})
        run_on_store(store, text)  # warm the caches once, like an interactive session
        out[name] = _median_ms(lambda text=text: run_on_store(store, text))
    return {"embedded_ms": out}


def stage_endpoint(home: Path) -> dict:
    os.environ["BALLKG_HOME"] = str(home)
    import requests

    from ballkg.queries import catalogue, run_on_endpoint
    from ballkg.serve import endpoint_url, start_server

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = start_server(home / "release", port=port, timeout_s=120, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
    url = endpoint_url("127.0.0.1", port)
    try:
        for _ in range(300):
            try:
                requests.get(url, params={"query": "ASK {}"}, timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        out, failed = {}, {}
        for name, q in catalogue().items():
            text = q.bind({})
            try:
                run_on_endpoint(url, text)
                out[name] = _median_ms(lambda text=text: run_on_endpoint(url, text))
            except Exception as exc:  # a timeout is a figure too: report it instead of losing the run
                out[name], failed[name] = None, str(exc)[:200]
        return {"endpoint_ms": out, "endpoint_failures": failed}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def stage_add(home: Path) -> dict:
    """Time `ballkg add` of one study (incremental validation + atomic write) on the grown graph."""
    os.environ["BALLKG_HOME"] = str(home)
    import rdflib

    from ballkg import sources
    from ballkg.ingest import add
    from benchmarks.generate import study_bundles

    g = rdflib.Graph().parse(REPO / "graph" / "cd20-agents.ttl")
    one = rdflib.Graph()
    study = sources.BKD["study-graall-rituximab"]
    members = study_bundles(g)[study]
    for m in members:
        for p, o in g.predicate_objects(m):
            if p == sources.BK.registryId:
                continue
            new_o = rdflib.URIRef(str(o) + "-added") if o in members else o
            one.add((rdflib.URIRef(str(m) + "-added"), p, new_o))
    path = home / "one-study.ttl"
    one.serialize(path, format="turtle")
    t = time.perf_counter()
    outcome = add([path])
    return {"add_one_study_s": time.perf_counter() - t, "add_conforms": outcome.report.conforms}


STAGES = {"generate": stage_generate, "build": stage_build, "direct": lambda home: _direct_release(home),
          "load": stage_load, "queries": stage_queries, "endpoint": stage_endpoint, "add": stage_add}


def run_child(stage: str, home: Path, n: int) -> dict:
    """Run one stage in a child process; return its JSON figures plus its own peak memory."""
    proc = subprocess.Popen([sys.executable, str(Path(__file__)), "--child", stage, "--home", str(home), "--n", str(n)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"stage {stage} at N={n} failed:\n{err[-3000:]}")
    # ru_maxrss of all reaped children is a running maximum; the stage's own RSS is in its JSON
    data = json.loads(out.strip().splitlines()[-1])
    return data


def child_main(stage: str, home: Path, n: int) -> None:
    import resource

    figures = STAGES[stage](home, n) if stage == "generate" else STAGES[stage](home)
    figures[f"{stage}_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def cold_query_seconds() -> float:
    """Wall time of a cold `ballkg query` on the project's own release, interpreter start included."""
    exe = shutil.which("ballkg") or str(Path(sys.executable).with_name("ballkg"))
    subprocess.run([exe, "build", "--no-docs"], cwd=REPO, capture_output=True, check=True)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([exe, "query", "agents-whose-target-internalizes"], cwd=REPO, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# ----------------------------------------------------------------------------------- report
def exponent(xs, ys) -> str:
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x > 0 and y and y > 0]
    if len(pts) < 2:
        return "-"
    (x0, y0), (x1, y1) = pts[0], pts[-1]
    return f"{(y1 - y0) / (x1 - x0):.2f}" if x1 != x0 else "-"


def report(results: list[dict], cold_s: float | None) -> str:
    lines = []
    sizes = [r["n"] for r in results]
    triples = [r.get("triples") for r in results]
    header = ["figure"] + [f"N={n}" for n in sizes] + ["growth exp."]
    rows = []
    keys = ["triples", "build_parse_s", "build_validate_s", "build_reason_s", "build_write_s", "build_peak_mb",
            "direct_load_s", "direct_reason_s", "direct_peak_mb",
            "store_load_s", "load_peak_mb", "queries_peak_mb", "endpoint_peak_mb", "add_one_study_s", "add_peak_mb"]
    for k in keys:
        vals = [r.get(k) for r in results]
        fmt = [("-" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))) for v in vals]
        xs = [t or r.get("synthetic_triples") for t, r in zip(triples, results)]
        rows.append([k] + fmt + [exponent(xs, vals) if k != "triples" and None not in vals else "-"])
    qnames = sorted(results[0].get("embedded_ms", {}))
    for where in ("embedded_ms", "endpoint_ms"):
        for q in qnames:
            vals = [r.get(where, {}).get(q) for r in results]
            xs = [t or r.get("synthetic_triples") for t, r in zip(triples, results)]
            fmt = ["-" if v is None else f"{v:.1f}" for v in vals]
            rows.append([f"{where.split('_')[0]} ms: {q}"] + fmt + [exponent(xs, vals) if None not in vals else "-"])
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    lines.append(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    if cold_s is not None:
        lines.append(f"\ncold 'ballkg query agents-whose-target-internalizes' on the seed release: {cold_s:.2f} s wall")
    slowest = {}
    for r in results:
        stage_times = {k: v for k, v in r.items() if k.startswith("build_") and k.endswith("_s")}
        if stage_times:
            slowest[r["n"]] = max(stage_times, key=stage_times.get)
    lines.append("slowest build stage per size: " + ", ".join(f"N={n}: {s}" for n, s in slowest.items()))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the test suite")
    parser.add_argument("--sizes", default=None, help="comma-separated numbers of synthetic studies")
    parser.add_argument("--build-max", type=int, default=10_000,
                        help="largest N at which the full build runs (above it: store, queries and add only)")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child, args.home, args.n)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else ([5, 20] if args.quick else [100, 1000, 10000])
    results = []
    with tempfile.TemporaryDirectory(prefix="ballkg-bench-") as tmp:
        for n in sizes:
            home = Path(tmp) / f"n{n}"
            home.mkdir()
            figures = {"n": n}
            figures.update(run_child("generate", home, n))
            if n <= args.build_max:
                figures.update(run_child("build", home, n))
            else:
                # too large for the rdflib-based build here: load the synthetic triples straight into a store
                # (in a child too: Linux keeps a process's peak RSS across exec, so a big parent would
                # inflate every later child's figure)
                figures.update(run_child("direct", home, n))
            for stage in ("load", "queries", "endpoint", "add"):
                figures.update(run_child(stage, home, n))
                print(f"N={n}: {stage} done", file=sys.stderr, flush=True)
            results.append(figures)
            # each size's raw figures as soon as they exist, so a long run that is stopped still reports
            print(f"N={n}: done ({figures.get('triples') or figures.get('synthetic_triples')} triples) "
                  + json.dumps(figures), file=sys.stderr, flush=True)
            if args.json:
                args.json.write_text(json.dumps(results, indent=2))
            shutil.rmtree(home, ignore_errors=True)
    cold = None if args.quick else cold_query_seconds()
    print(report(results, cold))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def _direct_release(home: Path) -> dict:
    """A release folder made without the rdflib build: the sources straight into a pyoxigraph store,
    then realised by the scalable reasoner path (HermiT on the TBox, SPARQL rules in the store)."""
    os.environ["BALLKG_HOME"] = str(home)
    import pyoxigraph as ox

    from ballkg import sources, store
    from ballkg.reason import apply_definition_rules, definition_rules, run_hermit, tbox_of

    rel = home / "release"
    rel.mkdir()
    t = time.perf_counter()
    st = ox.Store(str(rel / store.STORE_DIR))
    for part in sources.ontology_files() + sources.graph_files():
        st.bulk_load(path=str(part), format=ox.RdfFormat.TURTLE)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    schema = sources.load_ontology() + sources.load_instances().__class__().parse(home / "graph" / "entities.ttl")
    tbox = run_hermit(tbox_of(schema))
    st.bulk_extend([ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), ox.NamedNode(str(o)))
                    for s, p, o in tbox.inferred])
    apply_definition_rules(st, definition_rules(schema))
    st.flush()
    reason_s = time.perf_counter() - t
    triples = len(st)
    del st
    import gc

    gc.collect()
    with (rel / "ballkg.nt").open("w", encoding="utf-8") as out:
        for quad in ox.Store.read_only(str(rel / store.STORE_DIR)):
            out.write(f"{quad.subject} {quad.predicate} {quad.object} .\n")
    store.write_manifest(rel, {"note": "benchmark release without the rdflib build"})
    return {"triples": triples, "direct_load_s": load_s, "direct_reason_s": reason_s}


if __name__ == "__main__":
    sys.exit(main())

"""Scale benchmark: build, load, query, serve and add at growing numbers of synthetic studies.

    python benchmarks/run.py            # N = 10, 1000, 8000 studies: about 10^4, 1.4*10^5 and 10^6 triples
    python benchmarks/run.py --quick    # small N, used by the test suite
    python benchmarks/run.py --sizes 10,1000,8000,80000   # up to about 10^7 triples
    python benchmarks/run.py --sizes 80000 --skip queries,endpoint,add   # build and load only

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

REPEATS = 3


# ------------------------------------------------------------------------------- child stages
def stage_generate(home: Path, n: int) -> dict:
    from benchmarks.generate import write_synthetic

    for name in ("ontology", "graph", "shapes", "queries", "mappings"):
        shutil.copytree(REPO / name, home / name, dirs_exist_ok=True)
    t = time.perf_counter()
    triples = write_synthetic(n, home / "graph" / "synthetic.ttl", with_evidence=not _derives(n))
    return {"synthetic_triples": triples, "generate_s": time.perf_counter() - t}


def _derives(n: int) -> bool:
    """Whether the build at this size derives evidence by the rule (see --derive-max)."""
    return n <= int(os.environ.get("BALLKG_BENCH_DERIVE_MAX", "1000000000"))


def stage_build(home: Path, n: int) -> dict:
    os.environ["BALLKG_HOME"] = str(home)
    from ballkg.build import build

    summary = build(home / "release", docs=False, derive=_derives(n),
                    progress=lambda line: print(line, file=sys.stderr, flush=True))
    return {"triples": summary.triples + summary.inferred_triples, "reasoner": summary.reasoner,
            **{f"build_{k}_s": v for k, v in summary.stage_seconds.items()},
            "build_total_s": sum(summary.stage_seconds.values()),
            "build_without_derive_s": sum(v for k, v in summary.stage_seconds.items() if k != "derive")}


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


PAGE = 100


def _query_figures(run, page, count_query) -> dict:
    """First page of PAGE rows (median ms of REPEATS after one warm-up), and the total row count (one
    run, ms) of every stored query."""
    from ballkg.queries import catalogue

    page_ms, count_ms, rows, failed = {}, {}, {}, {}
    for name, q in catalogue().items():
        text = q.bind({})
        first, counted = page(text, PAGE, None), count_query(text)
        try:
            run(first)  # warm the caches once, like an interactive session
            page_ms[name] = _median_ms(lambda first=first: run(first))
            t = time.perf_counter()
            rows[name] = int(run(counted).rows[0]["rows"])
            count_ms[name] = (time.perf_counter() - t) * 1000
        except Exception as exc:  # a timeout is a figure too: report it instead of losing the run
            page_ms[name], failed[name] = None, str(exc)[:200]
    return {"page_ms": page_ms, "count_ms": count_ms, "rows": rows, "failures": failed}


def stage_queries(home: Path) -> dict:
    os.environ["BALLKG_HOME"] = str(home)
    from ballkg.queries import count_query, page, run_on_store
    from ballkg.store import open_release_store

    store = open_release_store(home / "release")
    figures = _query_figures(lambda text: run_on_store(store, text), page, count_query)
    return {f"embedded_{k}": v for k, v in figures.items()}


def stage_endpoint(home: Path) -> dict:
    os.environ["BALLKG_HOME"] = str(home)
    import requests

    from ballkg.queries import count_query, page, run_on_endpoint
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
        figures = _query_figures(lambda text: run_on_endpoint(url, text), page, count_query)
        return {f"endpoint_{k}": v for k, v in figures.items()}
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


STAGES = {"generate": stage_generate, "build": stage_build,
          "load": stage_load, "queries": stage_queries, "endpoint": stage_endpoint, "add": stage_add}


def run_child(stage: str, home: Path, n: int) -> dict:
    """Run one stage in a child process; return its JSON figures plus its own peak memory."""
    proc = subprocess.Popen([sys.executable, str(Path(__file__)), "--child", stage, "--home", str(home), "--n", str(n)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # stdout holds one JSON line at the end; stderr is read as it comes, so a long build shows each stage when
    # it ends (the pipes cannot fill up: stdout stays small until the child exits)
    assert proc.stderr is not None and proc.stdout is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("ballkg build: "):  # the build's progress per stage, passed on as it was
            print(f"N={n}: {line.rstrip()}", file=sys.stderr, flush=True)
    out = proc.stdout.read()
    proc.wait()
    err = "".join(lines)
    if proc.returncode != 0:
        raise RuntimeError(f"stage {stage} at N={n} failed:\n{err[-3000:]}")
    # ru_maxrss of all reaped children is a running maximum; the stage's own RSS is in its JSON
    data = json.loads(out.strip().splitlines()[-1])
    return data


def child_main(stage: str, home: Path, n: int) -> None:
    import resource

    figures = STAGES[stage](home, n) if stage in ("generate", "build") else STAGES[stage](home)
    figures[f"{stage}_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def cold_query_seconds() -> float:
    """Wall time of a cold `ballkg query` on the project's own release, interpreter start included."""
    exe = shutil.which("ballkg") or str(Path(sys.executable).with_name("ballkg"))
    t = time.perf_counter()
    done = subprocess.run([exe, "build", "--no-docs"], cwd=REPO, capture_output=True, check=True, text=True)
    # the seed build with HermiT (the whole graph is under its limit), JVM start included
    print(f"seed graph: 'ballkg build --no-docs' {time.perf_counter() - t:.1f} s wall; "
          + done.stdout.strip().splitlines()[-1].split("; reasoner: ")[-1], file=sys.stderr, flush=True)
    for line in done.stderr.splitlines():
        print(f"seed graph: {line}", file=sys.stderr, flush=True)
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
    keys = ["triples", "build_parse_s", "build_derive_s", "build_validate_s", "build_reason_s", "build_write_s",
            "build_total_s", "build_without_derive_s", "build_peak_mb", "store_load_s", "load_peak_mb",
            "queries_peak_mb", "endpoint_peak_mb",
            "add_one_study_s", "add_peak_mb"]
    for k in keys:
        vals = [r.get(k) for r in results]
        fmt = [("-" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))) for v in vals]
        rows.append([k] + fmt + [exponent(triples, vals) if k != "triples" else "-"])
    qnames = sorted(results[0].get("embedded_page_ms", {}))
    for where, label in (("embedded_page_ms", f"embedded first {PAGE} rows ms"),
                         ("endpoint_page_ms", f"endpoint first {PAGE} rows ms"),
                         ("embedded_count_ms", "embedded row count ms"), ("embedded_rows", "rows")):
        for q in qnames:
            vals = [r.get(where, {}).get(q) for r in results]
            fmt = ["-" if v is None else (str(v) if isinstance(v, int) else f"{v:.1f}") for v in vals]
            rows.append([f"{label}: {q}"] + fmt + [exponent(triples, vals) if None not in vals else "-"])
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    lines.append(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    if cold_s is not None:
        lines.append(f"\ncold 'ballkg query agents-whose-target-internalizes' on the seed release: {cold_s:.2f} s wall")
    for r in results:
        pages = [v for v in r.get("embedded_page_ms", {}).values() if v is not None]
        remote = [v for v in r.get("endpoint_page_ms", {}).values() if v is not None]
        if pages:
            lines.append(f"N={r['n']}: first page of {PAGE} rows, median over the queries: embedded "
                         f"{statistics.median(pages):.1f} ms (max {max(pages):.1f}), endpoint "
                         f"{statistics.median(remote) if remote else float('nan'):.1f} ms; queries over 100 ms: "
                         f"{sum(v > 100 for v in pages)} embedded, {sum(v > 100 for v in remote)} endpoint")
    slowest = {}
    for r in results:
        stage_times = {k: v for k, v in r.items()
                       if k.startswith("build_") and k.endswith("_s")
                       and k not in ("build_total_s", "build_without_derive_s")}
        if stage_times:
            slowest[r["n"]] = max(stage_times, key=stage_times.get)
    lines.append("slowest build stage per size: " + ", ".join(f"N={n}: {s}" for n, s in slowest.items()))
    lines.append(f"load average at the end: {os.getloadavg()[0]:.2f} (1 min), {os.getloadavg()[2]:.2f} (15 min)")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the test suite")
    parser.add_argument("--sizes", default=None, help="comma-separated numbers of synthetic studies")
    parser.add_argument("--derive-max", type=int, default=None,
                        help="largest N whose build derives evidence by the rule; above it the synthetic graph "
                             "carries the evidence cloned from the curated findings and the build skips the rule")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    parser.add_argument("--skip", default="", help="comma-separated stages to leave out (queries, endpoint, add), "
                                                   "e.g. for a build-and-load run at 10^7 triples")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child, args.home, args.n)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else ([5, 20] if args.quick else [10, 1000, 8000])
    unknown = {x.strip() for x in args.skip.split(",") if x.strip()} - {"queries", "endpoint", "add"}
    if unknown:
        parser.error(f"--skip takes queries, endpoint and add, not {', '.join(sorted(unknown))}")
    if args.derive_max is not None:
        os.environ["BALLKG_BENCH_DERIVE_MAX"] = str(args.derive_max)  # read by the child processes
    results = []
    with tempfile.TemporaryDirectory(prefix="ballkg-bench-") as tmp:
        for n in sizes:
            home = Path(tmp) / f"n{n}"
            home.mkdir()
            figures = {"n": n}
            figures.update(run_child("generate", home, n))
            figures.update(run_child("build", home, n))
            skipped = {x.strip() for x in args.skip.split(",") if x.strip()}
            for stage in [st for st in ("load", "queries", "endpoint", "add") if st not in skipped]:
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


if __name__ == "__main__":
    sys.exit(main())

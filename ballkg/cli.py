"""The `ballkg` command line: a thin layer that parses arguments, calls the package and prints.

Exit codes: 0 success; 1 data does not conform (validate, build, add); 2 unusable input or usage
(malformed file, unknown query, bad parameter, stale or missing release, missing Java).
Imports are done inside each command so that a cold `ballkg query` stays fast.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_NONCONFORMING, EXIT_INPUT = 0, 1, 2


def _fail(message: str, code: int = EXIT_INPUT) -> int:
    print(f"ballkg: error: {message}", file=sys.stderr)
    return code


def _release(args) -> Path:
    from . import sources

    return Path(args.release).absolute() if getattr(args, "release", None) else sources.release_dir()


# ------------------------------------------------------------------------------------ commands
def cmd_build(args) -> int:
    from .build import BuildError, build
    from .lock import sources_lock
    from .reason import InconsistentOntology, ReasonerUnavailable
    from .sources import SourceError

    try:
        # the lock keeps `add` from changing the sources between reading them and recording their hashes
        with sources_lock("ballkg build"):
            summary = build(_release(args), reasoner=args.reasoner, engine=args.engine, docs=not args.no_docs,
                            progress=lambda line: print(line, file=sys.stderr, flush=True))
    except SourceError as exc:  # includes the store-native parser's SourceSyntaxError
        return _fail(str(exc))
    except BuildError as exc:
        print(exc.report.format_text(limit=50) if exc.report else "", file=sys.stderr)
        return _fail(str(exc), EXIT_NONCONFORMING)
    except ReasonerUnavailable as exc:
        return _fail(str(exc))
    except InconsistentOntology as exc:
        return _fail(str(exc), EXIT_NONCONFORMING)
    print(summary.format())
    return EXIT_OK


def cmd_validate(args) -> int:
    from . import sources
    from .ingest import DuplicateError, InputError, add, read_user_files
    from .validate import validate

    try:
        if not args.files:
            report = validate(sources.load_instances(), engine=args.engine)
        elif args.standalone:
            report = validate(read_user_files(args.files), engine=args.engine)
        else:  # a dry run of `ballkg add`: the file checked together with the graph it would join
            report = add(args.files, engine=args.engine, dry_run=True).report
    except InputError as exc:
        return _fail(str(exc))
    except DuplicateError as exc:
        return _fail(f"'ballkg add' would refuse this: {exc}", EXIT_NONCONFORMING)
    if args.format == "json":
        print(report.to_json())
    else:
        print(report.format_text(limit=args.limit))
    return EXIT_OK if report.conforms else EXIT_NONCONFORMING


def cmd_add(args) -> int:
    from .ingest import DuplicateError, InputError, add

    try:
        outcome = add(args.files, engine=args.engine)
    except InputError as exc:
        return _fail(str(exc))
    except DuplicateError as exc:
        return _fail(f"nothing was added: {exc}", EXIT_NONCONFORMING)
    if not outcome.report.conforms:
        print(outcome.report.format_text(limit=args.limit), file=sys.stderr)
        return _fail("nothing was added: the merged graph would not conform to the shapes", EXIT_NONCONFORMING)
    print(f"added {outcome.added} triple(s) to {outcome.target.name}; {outcome.report.summary()}. "
          "Run 'ballkg build' to refresh the release.")
    return EXIT_OK


def cmd_queries(args) -> int:
    from .queries import catalogue

    for name, q in catalogue().items():
        print(f"{name}\n    {q.summary}")
        for p in q.params:
            default = f" (default: {p.default})" if p.default is not None else " (required)"
            print(f"    --param {p.name}=<{p.type}>{default}  {p.description}")
        if args.verbose and q.columns:
            for col, meaning in q.columns.items():
                print(f"    column {col}: {meaning}")
    return EXIT_OK


def _parse_params(pairs: list[str]) -> dict[str, str]:
    from .queries import QueryError

    params = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise QueryError(f"--param takes KEY=VALUE, got {pair!r}")
        key, value = pair.split("=", 1)
        params[key.strip()] = value
    return params


def cmd_query(args) -> int:
    from .api import run_stored
    from .queries import QueryError, format_result
    from .store import StaleReleaseError

    try:
        result = run_stored(args.name, _parse_params(args.param), endpoint=args.endpoint,
                            release_dir=_release(args), rebuild=False, limit=args.limit, offset=args.offset,
                            count=args.count)
        print(format_result(result, args.format))
    except (QueryError, StaleReleaseError) as exc:
        return _fail(str(exc))
    return EXIT_OK


def _is_file(text: str) -> bool:
    try:
        return len(text) < 4096 and Path(text).is_file()
    except (OSError, ValueError):  # query text too long for a file name, or with a NUL byte
        return False


def cmd_sparql(args) -> int:
    from .api import open_store
    from .queries import QueryError, format_result, run_on_endpoint, run_on_store
    from .store import StaleReleaseError

    text = args.query
    if text.endswith(".rq") or _is_file(text):
        path = Path(text)
        if not path.is_file():
            return _fail(f"{text}: no such query file")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            line = exc.object[:exc.start].count(b"\n") + 1
            return _fail(f"{text}: line {line}: byte 0x{exc.object[exc.start]:02x} is not UTF-8; "
                         "save the query file as UTF-8")
    try:
        result = (run_on_endpoint(args.endpoint, text) if args.endpoint
                  else run_on_store(open_store(_release(args), rebuild=False), text))
        print(format_result(result, args.format))
    except (QueryError, StaleReleaseError) as exc:
        return _fail(str(exc))
    return EXIT_OK


EXPORT_FILES = {"ttl": "ballkg.ttl", "nt": "ballkg.nt", "jsonld": "ballkg.jsonld", "owl": "ballkg.owl"}


def cmd_export(args) -> int:
    from .ingest import atomic_write
    from .store import StaleReleaseError, open_release_store

    release = _release(args)
    try:
        st = open_release_store(release)
    except StaleReleaseError as exc:
        return _fail(str(exc))
    if args.format == "html":
        return _export_html(st, args)
    if args.format == "kgx":
        return _export_kgx(st, args)
    name = "ballkg-inferred.ttl" if args.inferred and args.format == "ttl" else EXPORT_FILES[args.format]
    if args.inferred and args.format != "ttl":
        return _fail("--inferred is available for --format ttl only")
    if args.output and Path(args.output).is_dir():
        return _fail(f"-o {args.output} is a directory; name the file to write, e.g. {Path(args.output) / name}")
    data = (release / name).read_bytes()
    if args.output:
        atomic_write(Path(args.output), data)
        print(f"wrote {args.output} ({len(data)} bytes)", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def _export_html(st, args) -> int:
    from .web.export import export_site
    from .web.graph import KG

    if not args.output:
        return _fail("--format html writes a folder of pages: give it with -o DIR")
    try:
        n = export_site(KG(st), Path(args.output))
    except OSError as exc:
        return _fail(f"cannot write the site to {args.output}: {exc}")
    print(f"wrote {n} pages to {args.output}/ (open {args.output}/index.html)", file=sys.stderr)
    return EXIT_OK


def _export_kgx(st, args) -> int:
    from .kgx import KgxError, export_kgx

    if not args.output:
        return _fail("--format kgx writes a folder of files: give it with -o DIR")
    try:
        export = export_kgx(st, Path(args.output))
    except KgxError as exc:
        return _fail(str(exc))
    print(f"wrote {', '.join(p.name for p in export.files)} to {args.output}: {export.summary()}", file=sys.stderr)
    return EXIT_OK


def cmd_stats(args) -> int:
    from .api import open_store
    from .stats import format_stats, stats
    from .store import StaleReleaseError

    try:
        st = open_store(_release(args), rebuild=False)
    except StaleReleaseError as exc:
        return _fail(str(exc))
    print(format_stats(stats(st)))
    return EXIT_OK


def cmd_serve(args) -> int:
    from .serve import ServeError, serve_forever
    from .store import StaleReleaseError

    try:
        return serve_forever(_release(args), args.host, args.port, args.timeout)
    except (StaleReleaseError, FileNotFoundError, ServeError) as exc:
        return _fail(str(exc))


def cmd_push(args) -> int:
    from .serve import push
    from .store import StaleReleaseError, open_release_store

    release = _release(args)
    try:
        open_release_store(release)
        status = push(args.url, release / ("ballkg-inferred.ttl" if args.inferred else "ballkg.ttl"),
                      graph=args.graph, replace=not args.append)
    except StaleReleaseError as exc:
        return _fail(str(exc))
    except Exception as exc:  # network errors of every kind end the same way for the user
        return _fail(f"push to {args.url} failed: {exc}")
    target = f"graph <{args.graph}>" if args.graph else "the default graph"
    print(f"pushed the release into {target} of {args.url} (HTTP {status})")
    return EXIT_OK


# ------------------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:  # pragma: no mutate block
    parser = argparse.ArgumentParser(
        prog="ballkg", description="A curated knowledge graph of immunotherapy for adult B-lineage ALL.")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    def release_opt(p):
        p.add_argument("--release", metavar="DIR", help="release folder (default: release/ or $BALLKG_RELEASE)")

    p = add("build", cmd_build, "validate the sources, run the reasoner and write the release artifacts")
    release_opt(p)
    p.add_argument("--reasoner", choices=["auto", "hermit", "sparql", "none"], default="auto",
                   help="HermiT on everything, HermiT on the TBox + SPARQL realisation, or chosen by size")
    p.add_argument("--engine", choices=["turbo", "pyshacl"], default="turbo", help="SHACL engine")
    p.add_argument("--no-docs", action="store_true", help="skip the HTML ontology documentation")

    p = add("validate", cmd_validate, "validate the curated graph, or your own RDF files, against the shapes")
    p.add_argument("files", nargs="*", help="Turtle files to validate (default: the project's graph/)")
    p.add_argument("--standalone", action="store_true",
                   help="validate the files alone, not together with the graph they would join")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--engine", choices=["turbo", "pyshacl"], default="turbo", help="SHACL engine")
    p.add_argument("--limit", type=int, default=None, help="show at most this many results")

    p = add("add", cmd_add, "merge your RDF files into the graph, only if the result conforms")
    p.add_argument("files", nargs="+")
    p.add_argument("--engine", choices=["turbo", "pyshacl"], default="turbo", help="SHACL engine")
    p.add_argument("--limit", type=int, default=50, help="show at most this many results")

    p = add("queries", cmd_queries, "list the stored queries with their questions and parameters")
    p.add_argument("-v", "--verbose", action="store_true", help="also list the result columns")

    p = add("query", cmd_query, "run a stored query on the release (or on --endpoint)")
    p.add_argument("name", help="stored query name (see 'ballkg queries')")
    p.add_argument("--param", action="append", metavar="KEY=VALUE", help="bind a parameter; repeatable")
    p.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    p.add_argument("--endpoint", metavar="URL", help="SPARQL endpoint to query instead of the embedded store")
    p.add_argument("--limit", metavar="N", help="return at most N rows (one page, in the query's order)")
    p.add_argument("--offset", metavar="N", help="skip the first N rows")
    p.add_argument("--count", action="store_true", help="print only the number of rows the query answers")
    release_opt(p)

    p = add("sparql", cmd_sparql, "run an ad-hoc SPARQL SELECT/ASK (text or .rq file)")
    p.add_argument("query", help="SPARQL text or a path to a .rq file")
    p.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    p.add_argument("--endpoint", metavar="URL")
    release_opt(p)

    p = add("export", cmd_export, "write the release in one serialization")
    p.add_argument("--format", choices=sorted([*EXPORT_FILES, "html", "kgx"]), default="ttl",
                   help="an RDF serialization; html: the browsable pages as a static site; kgx: Biolink Model "
                        "nodes/edges (TSV and JSON Lines); html and kgx need -o DIR")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="file (folder for html and kgx) to write (default: standard output)")
    p.add_argument("--inferred", action="store_true", help="include the reasoner's inferences (ttl only)")
    release_opt(p)

    p = add("stats", cmd_stats, "count individuals per class, outcomes, sources and discrepancies")
    release_opt(p)

    p = add("serve", cmd_serve,
            "serve pages for every entity and a read-only SPARQL 1.1 endpoint (/query) on the release")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    p.add_argument("--port", type=int, default=7878)
    p.add_argument("--timeout", type=int, default=30, help="seconds after which a query is cancelled")
    release_opt(p)

    p = add("push", cmd_push, "load the release into another triple store (SPARQL 1.1 Graph Store Protocol)")
    p.add_argument("url", help="the store's Graph Store endpoint, e.g. http://host:7878/store")
    p.add_argument("--graph", metavar="IRI", help="named graph to write (default: the default graph)")
    p.add_argument("--append", action="store_true", help="add to the graph instead of replacing it")
    p.add_argument("--inferred", action="store_true", help="push the release with inferred types")
    release_opt(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into head & co.: stop quietly, as Unix tools do
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return _fail("interrupted; files are written atomically, so nothing was half-written", 130)
    except Exception as exc:
        return _unexpected(exc, args.debug)


def _unexpected(exc: Exception, debug: bool) -> int:
    """Known failures get one line naming what and where; anything else one line too, traceback on --debug."""
    from .docs import DocsUnavailable
    from .lock import LockTimeout
    from .queries import QueryError
    from .sources import SourceError
    from .store import StaleReleaseError

    if debug:
        import traceback

        traceback.print_exc()
    lines = str(exc).strip().splitlines()
    if isinstance(exc, (SourceError, LockTimeout, QueryError, StaleReleaseError, DocsUnavailable)):
        return _fail(lines[0] if lines else type(exc).__name__)
    detail = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    hint = "" if debug else " (run 'ballkg --debug ...' for the traceback)"
    return _fail(f"unexpected failure: {detail}{hint}")


if __name__ == "__main__":
    sys.exit(main())

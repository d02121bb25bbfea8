"""The Python API for notebooks: load the graph, run stored or ad-hoc queries, locally or on an endpoint."""
from __future__ import annotations

import sys
from pathlib import Path

from . import sources, store
from .queries import QueryError, Result, get_query, run_on_endpoint, run_on_store


class Rows(list):
    """Rows of a query result (dicts: column -> python value); `.dataframe()` gives a pandas DataFrame."""

    def __init__(self, result: Result):
        super().__init__(result.rows)
        self.result = result
        self.columns = result.columns

    def dataframe(self):
        return self.result.dataframe()


def ensure_release(release_dir: Path | None = None, rebuild: bool = True) -> Path:
    """Make sure a fresh release exists; rebuild (saying so) when sources changed since the last build."""
    release_dir = Path(release_dir or sources.release_dir())
    stale = store.stale_files(release_dir)
    if stale is not None:
        if not rebuild:
            store.open_release_store(release_dir)  # raises StaleReleaseError with the reason
        what = "no release yet" if not stale else f"sources changed since the last build ({', '.join(stale[:3])})"
        print(f"ballkg: {what}; rebuilding {release_dir} ...", file=sys.stderr)
        from .build import build
        from .lock import sources_lock

        with sources_lock("ballkg build (Python API)"):
            build(release_dir)
    return release_dir


def open_store(release_dir: Path | None = None, rebuild: bool = True):
    return store.open_release_store(ensure_release(release_dir, rebuild))


def load(inferred: bool = True, release_dir: Path | None = None, rebuild: bool = True):
    """The released graph as an rdflib Graph: ontology + instances, with the reasoner's inferences
    unless inferred=False."""
    import rdflib

    release_dir = ensure_release(release_dir, rebuild)
    g = rdflib.Graph()
    g.parse(release_dir / ("ballkg-inferred.ttl" if inferred else "ballkg.ttl"), format="turtle")
    return g


def check_iri_params(query, values: dict, label_lookup) -> None:
    """An IRI parameter must name something in the graph; a typo should not silently return nothing."""
    from .queries import to_term

    for p in query.params:
        if p.type == "iri" and values.get(p.name) is not None:
            term = to_term(p, values[p.name])[1:-1]
            if not label_lookup(term):
                raise QueryError(f"parameter '{p.name}': nothing called <{term}> is in the graph; check the spelling "
                                 "(names are local names such as 'blinatumomab' or 'study-eliana', or full IRIs)")


RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _store_has_label(st):
    import pyoxigraph as ox

    label = ox.NamedNode(RDFS_LABEL)

    def lookup(iri: str) -> bool:
        return any(True for _ in st.quads_for_pattern(ox.NamedNode(iri), label, None))
    return lookup


def _endpoint_has_label(endpoint: str):
    import pyoxigraph as ox

    def lookup(iri: str) -> bool:
        result = run_on_endpoint(endpoint, f"ASK {{ {ox.NamedNode(iri)} <{RDFS_LABEL}> ?label }}")
        return bool(result.rows and result.rows[0]["result"])
    return lookup


def run_stored(name: str, params: dict | None = None, *, endpoint: str | None = None,
               release_dir: Path | None = None, rebuild: bool = True, limit: int | None = None,
               offset: int | None = None, count: bool = False) -> Result:
    """Run a stored query; `limit`/`offset` return one page of its rows, `count` only their number
    (one row with the column `rows`)."""
    from .queries import count_query, page

    query = get_query(name)
    params = {k: v for k, v in (params or {}).items() if v is not None}
    text = query.bind(params)
    text = count_query(text) if count else page(text, limit, offset) if (limit, offset) != (None, None) else text
    if endpoint:
        check_iri_params(query, params, _endpoint_has_label(endpoint))
        return run_on_endpoint(endpoint, text)
    st = open_store(release_dir, rebuild)
    check_iri_params(query, params, _store_has_label(st))
    return run_on_store(st, text)


def query(name: str, *, release_dir: Path | None = None, limit: int | None = None, offset: int | None = None,
          **params) -> Rows:
    """Run a stored query on the embedded release store; returns rows (with .dataframe()).
    limit/offset return one page of the rows (in the query's order)."""
    return Rows(run_stored(name, params, release_dir=release_dir, limit=limit, offset=offset))


def count(name: str, *, endpoint: str | None = None, release_dir: Path | None = None, **params) -> int:
    """The number of rows a stored query answers, counted by the store without returning them."""
    result = run_stored(name, params, endpoint=endpoint, release_dir=release_dir, count=True)
    return int(result.rows[0]["rows"])


def sparql(query_or_name: str, endpoint: str | None = None, *, release_dir: Path | None = None, **params):
    """Run a stored query (by name) or a SPARQL text, embedded or on `endpoint`; returns a pandas DataFrame."""
    text = query_or_name.strip()
    if " " not in text and "{" not in text:
        return run_stored(text, params, endpoint=endpoint, release_dir=release_dir).dataframe()
    if params:
        raise QueryError("parameters can only be bound in stored queries; put literal values in ad-hoc SPARQL")
    if endpoint:
        return run_on_endpoint(endpoint, text).dataframe()
    return run_on_store(open_store(release_dir), text).dataframe()

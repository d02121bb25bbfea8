"""Stored SPARQL queries: their catalogue, safe parameter binding, and execution.

Each `queries/NAME.rq` starts with grlc-style `#+ ` comment lines holding YAML metadata:
summary (the competency question), description, tags, params (name, type, default, description)
and columns (name -> meaning). Parameters are bound by a `VALUES` block of RDF terms built and
escaped by pyoxigraph, inserted at the start of the outermost WHERE group, so a value can only ever
be one RDF term: the query text the user supplies never reaches the query as syntax. The same
bound text runs on the embedded store and on any SPARQL 1.1 endpoint, so both give the same answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import sources
from .sources import BKD_IRI

PARAM_TYPES = ("iri", "string", "decimal", "integer", "boolean", "service")
FEDERATED_DIR = "federated"  # queries/federated/: stored queries that join another SPARQL endpoint by SERVICE
XSD = "http://www.w3.org/2001/XMLSchema#"
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LOCAL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_WHERE_RE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


class QueryError(ValueError):
    """Unknown query, bad parameter, or a query file that cannot be used."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    description: str = ""
    required: bool = False


@dataclass
class StoredQuery:
    name: str
    path: Path
    summary: str
    description: str
    tags: list[str]
    params: list[Param]
    columns: dict[str, str]
    text: str = field(repr=False)

    def bind(self, values: dict[str, Any] | None = None) -> str:
        """The query text with every parameter bound by a VALUES block of typed RDF terms."""
        values = dict(values or {})
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            known = ", ".join(p.name for p in self.params) or "none"
            raise QueryError(f"query '{self.name}' has no parameter {', '.join(unknown)} (its parameters: {known})")
        blocks, text = [], self.text
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None:
                raise QueryError(f"query '{self.name}' needs a value for parameter '{p.name}' ({p.type}): "
                                 f"pass --param {p.name}=VALUE")
            if p.type == "service":
                text = bind_service(self, p, raw, text)
            else:
                blocks.append(f"VALUES ?{p.name} {{ {to_term(p, raw)} }}")
        if not blocks:
            return text
        match = _WHERE_RE.search(text)
        if match is None:
            raise QueryError(f"query file {self.path.name} has parameters but no WHERE group to bind them in")
        return text[:match.end()] + "\n  " + "\n  ".join(blocks) + "\n" + text[match.end():]


def bind_service(query: StoredQuery, param: Param, raw: Any, text: str) -> str:
    """Write the endpoint IRI of a `service` parameter into its `SERVICE ?name` clauses (its only use).

    A SERVICE endpoint cannot come from a VALUES block on most stores, so the variable in the stored text
    is the placeholder and the bound text names the endpoint as one IRI, checked and escaped by pyoxigraph.
    """
    url = str(raw).strip()
    if not re.match(r"^https?://", url):
        raise QueryError(f"parameter '{param.name}' expects the URL of a SPARQL endpoint (http or https); "
                         f"got {url[:80]!r}")
    try:
        iri = str(ox.NamedNode(url))
    except ValueError as exc:
        raise QueryError(f"parameter '{param.name}': {url[:80]!r} is not a valid IRI: {exc}") from None
    pattern = re.compile(r"\bSERVICE(\s+SILENT)?\s+\?" + re.escape(param.name) + r"\b", re.IGNORECASE)
    if not pattern.search(text):
        raise QueryError(f"query file {query.path.name} declares service parameter '{param.name}' but has no "
                         f"'SERVICE ?{param.name}' clause")
    return pattern.sub(lambda m: "SERVICE" + (m.group(1) or "") + " " + iri, text)


_PROLOGUE_RE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", re.IGNORECASE)


def _count_of(value: Any, what: str) -> int:
    if isinstance(value, bool) or not re.fullmatch(r"\d+", str(value).strip()):
        raise QueryError(f"--{what} takes a whole number of rows (0 or more); got {str(value)[:40]!r}")
    return int(str(value).strip())


def page(text: str, limit: Any = None, offset: Any = None) -> str:
    """One page of a query's answer: LIMIT/OFFSET appended after the query's own ORDER BY, so pages
    of an ordered query follow each other without gaps or repeats."""
    text = strip_comment_lines(text)
    if limit is not None:
        text += f"\nLIMIT {_count_of(limit, 'limit')}"
    if offset is not None and _count_of(offset, "offset"):
        text += f"\nOFFSET {_count_of(offset, 'offset')}"
    return text


def count_query(text: str) -> str:
    """A query answering the number of rows of `text` (a SELECT) in one row, without returning them."""
    text = strip_comment_lines(text)
    match = _PROLOGUE_RE.match(text)
    prologue = match.group(0) if match else ""
    return f"{prologue}\nSELECT (COUNT(*) AS ?rows) WHERE {{\n{text[len(prologue):]}\n}}"


def to_term(param: Param, raw: Any) -> str:
    """Check a parameter value against its declared type and render it as one RDF term."""
    text = str(raw).strip() if not isinstance(raw, bool) else ("true" if raw else "false")
    try:
        if param.type == "iri":
            if text.startswith("<") and text.endswith(">"):
                text = text[1:-1]
            if _LOCAL_RE.match(text):
                return str(ox.NamedNode(BKD_IRI + text))
            if not re.match(r"^https?://", text):
                raise ValueError("not a local name of the graph nor an http(s) IRI")
            return str(ox.NamedNode(text))
        if param.type == "string":
            return str(ox.Literal(str(raw)))
        if param.type == "decimal":
            value = Decimal(text)
            if not value.is_finite():
                raise ValueError("not a finite number")
            return str(ox.Literal(format(value, "f"), datatype=ox.NamedNode(XSD + "decimal")))
        if param.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", text):
                raise ValueError("not a whole number")
            return str(ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer")))
        if param.type == "service":
            raise ValueError("a service parameter names an endpoint in a SERVICE clause, not a value")
        if param.type == "boolean":
            if text.lower() not in ("true", "false"):
                raise ValueError("not true or false")
            return str(ox.Literal(text.lower(), datatype=ox.NamedNode(XSD + "boolean")))
    except (ValueError, InvalidOperation) as exc:
        raise QueryError(f"parameter '{param.name}' expects {param.type}; got {str(raw)[:80]!r}: {exc}") from None
    raise QueryError(f"parameter '{param.name}' has unknown type {param.type!r}")


def _parse_header(path: Path) -> tuple[dict, str]:
    import yaml

    text = path.read_text(encoding="utf-8")
    header = [line[3:] for line in text.splitlines() if line.startswith("#+ ") or line == "#+"]
    try:
        meta = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path.name}: the '#+' metadata header is not valid YAML: {exc}") from None
    if not isinstance(meta, dict) or not meta.get("summary"):
        raise QueryError(f"{path.name}: the '#+' header must give at least 'summary: <the question>'")
    return meta, text


def load_query(path: Path) -> StoredQuery:
    meta, text = _parse_header(path)
    params = []
    for p in meta.get("params") or []:
        ptype = p.get("type", "string")
        if ptype not in PARAM_TYPES:
            raise QueryError(f"{path.name}: parameter {p.get('name')} has type {ptype!r}; use one of {PARAM_TYPES}")
        params.append(Param(p["name"], ptype, p.get("default"), p.get("description", ""), p.get("default") is None))
    return StoredQuery(path.stem, path, str(meta["summary"]).strip(), str(meta.get("description", "")).strip(),
                       list(meta.get("tags") or []), params, dict(meta.get("columns") or {}), text)


def catalogue(queries_dir: Path | None = None) -> dict[str, StoredQuery]:
    queries_dir = queries_dir or sources.queries_dir()
    return {p.stem: load_query(p) for p in sorted(queries_dir.glob("*.rq"))}


def federated_catalogue(queries_dir: Path | None = None) -> dict[str, StoredQuery]:
    """Stored queries that also need another SPARQL endpoint (queries/federated/)."""
    return catalogue((queries_dir or sources.queries_dir()) / FEDERATED_DIR)


def get_query(name: str, queries_dir: Path | None = None) -> StoredQuery:
    queries_dir = queries_dir or sources.queries_dir()
    if not _NAME_RE.match(name or ""):
        raise QueryError(f"'{name}' is not a stored query name (names are lower case words joined by hyphens); "
                         "'ballkg queries' lists them")
    path = queries_dir / f"{name}.rq"
    if not path.is_file() and (queries_dir / FEDERATED_DIR / f"{name}.rq").is_file():
        path = queries_dir / FEDERATED_DIR / f"{name}.rq"
    if not path.is_file():
        import difflib

        names = sorted(p.stem for p in queries_dir.glob("*.rq"))
        close = difflib.get_close_matches(name, names, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise QueryError(f"no stored query named '{name}'.{hint} 'ballkg queries' lists all {len(names)}.")
    return load_query(path)


# ------------------------------------------------------------------------------------ results
@dataclass
class Result:
    """Rows of a SELECT (dicts of python values; IRIs as str) plus labels for IRIs."""

    columns: list[str]
    rows: list[dict[str, Any]]
    labels: dict[str, str] = field(default_factory=dict)

    def display(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str) and value in self.labels:
            return self.labels[value]
        return str(value)

    def dataframe(self):
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


def python_value(term) -> Any:
    """A pyoxigraph term as a python value: IRIs as str, typed literals as int/Decimal/float/bool/str."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return literal_value(term.value, term.datatype.value if term.datatype else None)


def literal_value(lexical: str, datatype: str | None) -> Any:
    dt = (datatype or "").replace(XSD, "")
    try:
        if dt in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
            return int(lexical)
        if dt == "decimal":
            return Decimal(lexical)
        if dt in ("double", "float"):
            return float(lexical)
        if dt == "boolean":
            return lexical in ("true", "1")
    except (ValueError, InvalidOperation):
        pass
    return lexical


_UPDATE_RE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
READ_ONLY = ("the graph is read-only here: SPARQL updates (INSERT, DELETE, LOAD, DROP, ...) are not run; "
             "'ballkg add FILE.ttl' adds data to the graph (then 'ballkg build')")


def refuse_updates(text: str) -> None:
    """A SPARQL update gets a message saying where writes go, not a parser error about CONSTRUCT."""
    if _UPDATE_RE.match(strip_comment_lines(text)):
        raise QueryError(READ_ONLY)


def run_on_store(store: ox.Store, text: str) -> Result:
    refuse_updates(text)
    try:
        solutions = store.query(text)
        if isinstance(solutions, ox.QueryBoolean):
            return Result(["result"], [{"result": bool(solutions)}])
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("only SELECT and ASK queries are supported here; use 'ballkg export' for graphs")
        columns = [v.value for v in solutions.variables]
        # solutions are computed while iterating, so evaluation errors (a failing SERVICE call) surface here
        rows = [{c: python_value(sol[c]) for c in columns} for sol in solutions]
    except SyntaxError as exc:
        raise QueryError(f"the query is not valid SPARQL: {exc}") from None
    except OSError as exc:
        raise QueryError(f"the query failed while it ran on the embedded store: {exc}") from None
    return Result(columns, rows, _labels_for(store, rows))


def _labels_for(store: ox.Store, rows: list[dict]) -> dict[str, str]:
    iris = {v for row in rows for v in row.values() if isinstance(v, str) and v.startswith(("http://", "https://"))}
    labels = {}
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for iri in iris:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            continue
        for quad in store.quads_for_pattern(node, label, None):
            if isinstance(quad.object, ox.Literal):
                labels[iri] = quad.object.value
                break
    return labels


def strip_comment_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def run_on_endpoint(endpoint: str, text: str, timeout: int = 60) -> Result:
    """Run a query on any SPARQL 1.1 endpoint through SPARQLWrapper."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    refuse_updates(text)
    if not re.match(r"^https?://[^/\s]+", endpoint or ""):
        raise QueryError(f"--endpoint {endpoint!r} is not an http(s) URL; give the SPARQL endpoint's address, "
                         "e.g. http://127.0.0.1:7878/query")
    wrapper = SPARQLWrapper(endpoint)
    # SPARQLWrapper guesses the query form from keywords and is misled by words in comment lines
    wrapper.setQuery(strip_comment_lines(text))
    wrapper.setReturnFormat(JSON)
    wrapper.setMethod(POST)
    wrapper.setTimeout(timeout)
    data = _ask_endpoint(wrapper, endpoint)
    if "boolean" in data:
        return Result(["result"], [{"result": bool(data["boolean"])}])
    columns = data["head"]["vars"]
    rows = []
    for binding in data["results"]["bindings"]:
        row: dict[str, Any] = {}
        for c in columns:
            cell = binding.get(c)
            if cell is None:
                row[c] = None
            elif cell["type"] == "uri":
                row[c] = cell["value"]
            elif cell["type"] == "bnode":
                row[c] = "_:" + cell["value"]
            else:
                row[c] = literal_value(cell["value"], cell.get("datatype"))
        rows.append(row)
    return Result(columns, rows, _endpoint_labels(wrapper, rows))


LABEL_BATCH = 500


def _ask_endpoint(wrapper, endpoint: str) -> dict:
    """The endpoint's SPARQL JSON results, or a QueryError saying what the endpoint did instead."""
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    try:
        data = wrapper.queryAndConvert()
    except (SPARQLWrapperException, OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QueryError(f"the endpoint {endpoint} did not answer the query: {first}") from None
    if not isinstance(data, dict) or not ("boolean" in data or "results" in data and "head" in data):
        raise QueryError(f"the endpoint {endpoint} did not answer with SPARQL JSON results (it sent "
                         f"{type(data).__name__ if not isinstance(data, (str, bytes)) else 'a non-SPARQL page'}); "
                         "check that the URL is the SPARQL endpoint itself (often ending in /query or /sparql)")
    return data


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _endpoint_labels(wrapper, rows: list[dict]) -> dict[str, str]:
    iris = sorted({v for row in rows for v in row.values() if isinstance(v, str) and v.startswith(("http://", "https://"))})
    labels: dict[str, str] = {}
    # in batches: Virtuoso 7 refuses a VALUES block of some thousand IRIs ("too many arguments", SP030)
    iris = [i for i in iris if _is_iri(i)]  # a joined list such as "http://a; http://b" is text, not an IRI
    for start in range(0, len(iris), LABEL_BATCH):
        values = " ".join(str(ox.NamedNode(i)) for i in iris[start:start + LABEL_BATCH])
        wrapper.setQuery("SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { %s } "
                         "?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } GROUP BY ?s" % values)
        data = _ask_endpoint(wrapper, wrapper.endpoint)
        labels.update({b["s"]["value"]: b["label"]["value"] for b in data["results"]["bindings"]})
    return labels


# ----------------------------------------------------------------------------------- formats
def format_result(result: Result, fmt: str = "table") -> str:
    import csv
    import io
    import json

    if fmt == "json":
        def cell(v):
            if isinstance(v, str) and v in result.labels:
                return {"iri": v, "label": result.labels[v]}
            if isinstance(v, Decimal):
                return float(v) if v != v.to_integral_value() else int(v)
            return v
        return json.dumps([{c: cell(row[c]) for c in result.columns} for row in result.rows], indent=2,
                          ensure_ascii=False)
    rows = [[result.display(row[c]) for c in result.columns] for row in result.rows]
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(rows)
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}; use table, csv, tsv or json")
    widths = [min(60, max([len(c)] + [len(r[i]) for r in rows])) for i, c in enumerate(result.columns)]

    def line(cells):
        return " | ".join((c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(cells, widths))

    out = [line(result.columns), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)

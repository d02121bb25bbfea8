"""External identifier mappings, kept as SSSOM tables in mappings/.

- `ballkg.sssom.tsv`: graph nodes (agents, targets, diseases, adverse events, ...) -> external identifiers.
- `ballkg-terms.sssom.tsv`: classes, properties and controlled terms of ontology/*.ttl -> standard vocabularies
  (RO, STATO, UO, IAO, PROV-O, OBI, NCIt, GO, the Biolink Model).

The tables are the single place where external IDs enter the project: each row carries its evidence. At build
time every row becomes one skos:*Match triple in the release; the skos:*Match properties are declared
owl:AnnotationProperty in the ontology, so on classes and properties they are annotations that Protégé shows.
CURIEs of external vocabularies are expanded with the frozen prefix map `prefixes.tsv` (copied from Bioregistry
and tested against it), so a build needs neither the network nor the bioregistry package.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rdflib

from . import sources

ENTITY_TABLE = "ballkg.sssom.tsv"
TERM_TABLE = "ballkg-terms.sssom.tsv"
PREFIX_FILE = "prefixes.tsv"

ALLOWED_PREDICATES = {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch"}


def sssom_file() -> Path:
    return sources.mappings_dir() / ENTITY_TABLE


def term_sssom_file() -> Path:
    return sources.mappings_dir() / TERM_TABLE


def sssom_files() -> list[Path]:
    """Both tables, entity table first; a missing table is skipped."""
    return [p for p in (sssom_file(), term_sssom_file()) if p.is_file()]


class MappingError(ValueError):
    pass


@dataclass(frozen=True)
class Mapping:
    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    justification: str
    comment: str
    confidence: str = ""


@dataclass(frozen=True)
class Prefix:
    prefix: str          # CURIE prefix as written in the tables
    uri_prefix: str      # what the CURIE expands to
    pattern: str         # Bioregistry's regular expression for the local identifier ("" where it has none)
    bioregistry: str     # the prefix's Bioregistry key


def read_sssom(path: Path | None = None) -> tuple[dict, list[Mapping]]:
    import yaml

    path = path or sssom_file()
    if not path.is_file():
        return {}, []
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[1:] for line in text.splitlines() if line.startswith("#"))
    meta = yaml.safe_load(header) or {}
    body = "\n".join(line for line in text.splitlines() if line and not line.startswith("#"))
    rows = []
    for n, rec in enumerate(csv.DictReader(io.StringIO(body), delimiter="\t"), start=2):
        try:
            rows.append(Mapping(rec["subject_id"], rec.get("subject_label") or "", rec["predicate_id"],
                                rec["object_id"], rec.get("object_label") or "",
                                rec.get("mapping_justification") or "", rec.get("comment") or "",
                                rec.get("confidence") or ""))
        except KeyError as exc:
            raise MappingError(f"{path.name}: row {n} lacks column {exc}") from None
    return meta, rows


def read_prefixes(path: Path | None = None) -> dict[str, Prefix]:
    path = path or sources.mappings_dir() / PREFIX_FILE
    out = {}
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    for n, rec in enumerate(csv.DictReader(lines, delimiter="\t"), start=2):
        try:
            out[rec["prefix"]] = Prefix(rec["prefix"], rec["uri_prefix"], rec["pattern"], rec["bioregistry"])
        except KeyError as exc:
            raise MappingError(f"{path.name}: line {n} lacks column {exc}") from None
    return out


def _frozen() -> dict[str, Prefix]:
    return _read_prefixes_cached(sources.mappings_dir() / PREFIX_FILE)


@lru_cache(maxsize=4)
def _read_prefixes_cached(path: Path) -> dict[str, Prefix]:
    return read_prefixes(path)


def external_prefix_map() -> dict[str, str]:
    """CURIE prefix -> URI prefix for external vocabularies, frozen from Bioregistry in mappings/prefixes.tsv."""
    return {p.prefix: p.uri_prefix for p in _frozen().values()}


def converter(meta: dict):
    """Our own prefixes from the table's curie_map; external ones always from the frozen Bioregistry map."""
    import curies

    prefix_map = dict(meta.get("curie_map") or {})
    prefix_map.update(external_prefix_map())
    return curies.Converter.from_prefix_map(prefix_map)


def check_identifier(curie: str) -> str | None:
    """Why an external CURIE is malformed for its prefix (Bioregistry pattern), or None if it is well formed."""
    prefix, _, local = curie.partition(":")
    known = _frozen().get(prefix)
    if known is None:
        return f"prefix {prefix!r} is not in mappings/{PREFIX_FILE}"
    if known.pattern and not re.fullmatch(known.pattern.strip("^$"), local):
        return f"{local!r} does not match the {prefix} pattern {known.pattern}"
    return None


def mapping_graph(path: Path | None = None) -> rdflib.Graph:
    """One skos:*Match triple per row of the given table, or of both tables when no path is given."""
    g = rdflib.Graph()
    for table in ([path] if path else sssom_files()):
        _add_table(g, table)
    return g


def _add_table(g: rdflib.Graph, path: Path) -> None:
    meta, rows = read_sssom(path)
    if not rows:
        return
    conv = converter(meta)
    external = external_prefix_map()
    for m in rows:
        if m.predicate_id not in ALLOWED_PREDICATES:
            raise MappingError(f"{path.name}: {m.subject_id} uses predicate {m.predicate_id}; use one of "
                               + ", ".join(sorted(ALLOWED_PREDICATES)))
        if m.object_id.partition(":")[0] in external and (why := check_identifier(m.object_id)):
            raise MappingError(f"{path.name}: {m.subject_id} -> {m.object_id}: {why}; correct the identifier")
        iris = [conv.expand(x) for x in (m.subject_id, m.predicate_id, m.object_id)]
        if None in iris:
            raise MappingError(f"{path.name}: cannot expand a CURIE in row {m.subject_id} -> {m.object_id}; "
                               f"add its prefix to mappings/{PREFIX_FILE} (external) or the curie_map (ours)")
        s, p, o = (rdflib.URIRef(str(i)) for i in iris)
        g.add((s, p, o))

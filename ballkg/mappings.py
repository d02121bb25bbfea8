"""External identifier mappings, kept as an SSSOM table (mappings/ballkg.sssom.tsv).

The table is the single place where external IDs enter the project: each row carries its evidence.
At build time every row becomes one triple (subject, predicate, object IRI) in the release, with CURIEs
expanded through the table's own curie_map checked against Bioregistry's canonical URI prefixes.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import rdflib

from . import sources


def sssom_file() -> Path:
    return sources.mappings_dir() / "ballkg.sssom.tsv"

ALLOWED_PREDICATES = {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch"}


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
            rows.append(Mapping(rec["subject_id"], rec.get("subject_label", ""), rec["predicate_id"], rec["object_id"],
                                rec.get("object_label", ""), rec.get("mapping_justification", ""),
                                rec.get("comment", "")))
        except KeyError as exc:
            raise MappingError(f"{path.name}: row {n} lacks column {exc}") from None
    return meta, rows


EXTERNAL_PREFIXES = ("NCIT", "HGNC", "UNIPROT", "CHEBI", "MONDO", "GO", "OAE", "clinicaltrials")


def external_prefix_map() -> dict[str, str]:
    """CURIE prefix -> URI prefix for external vocabularies, as Bioregistry defines them."""
    import bioregistry

    return {p: str(bioregistry.get_uri_prefix(p.lower())) for p in EXTERNAL_PREFIXES}


def converter(meta: dict):
    """Our own prefixes from the table's curie_map; external ones always from Bioregistry."""
    import curies

    prefix_map = dict(meta.get("curie_map") or {})
    prefix_map.update(external_prefix_map())
    return curies.Converter.from_prefix_map(prefix_map)


def mapping_graph(path: Path | None = None) -> rdflib.Graph:
    path = path or sssom_file()
    meta, rows = read_sssom(path)
    g = rdflib.Graph()
    if not rows:
        return g
    conv = converter(meta)
    for m in rows:
        if m.predicate_id not in ALLOWED_PREDICATES:
            raise MappingError(f"{path.name}: {m.subject_id} uses predicate {m.predicate_id}; use one of "
                               + ", ".join(sorted(ALLOWED_PREDICATES)))
        iris = [conv.expand(x) for x in (m.subject_id, m.predicate_id, m.object_id)]
        if None in iris:
            raise MappingError(f"{path.name}: cannot expand a CURIE in row {m.subject_id} -> {m.object_id}; "
                               "add its prefix to the curie_map")
        s, p, o = (rdflib.URIRef(str(i)) for i in iris)
        g.add((s, p, o))
    return g

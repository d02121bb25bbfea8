"""Cut the external test graph: the Bioregistry records of the identifier resources that ballkg's mappings use.

Bioregistry (https://bioregistry.io, CC0 1.0) is an open registry of biomedical identifier resources; its
Python package ships the whole registry and its own RDF export. This script reads the CURIE prefixes of the
object identifiers in mappings/ballkg.sssom.tsv, takes the Bioregistry RDF of exactly those resources from the
installed `bioregistry` package, and writes it as Turtle:

    .venv/bin/python scripts/cut-bioregistry-slice.py [OUT.ttl]

(default: tests/fixtures/external/bioregistry/bioregistry-slice.ttl). Nothing is downloaded.
"""
from __future__ import annotations

import sys
from pathlib import Path

import bioregistry
import bioregistry.version
import rdflib
from bioregistry.export import rdf_export

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ballkg.mappings import read_sssom  # noqa: E402  (after the path set-up above)

DEFAULT_OUT = ROOT / "tests" / "fixtures" / "external" / "bioregistry" / "bioregistry-slice.ttl"


def main(out: Path = DEFAULT_OUT) -> int:
    _, rows = read_sssom(ROOT / "mappings" / "ballkg.sssom.tsv")
    prefixes = sorted({bioregistry.normalize_prefix(m.object_id.split(":", 1)[0]) for m in rows} - {None})
    manager = rdf_export.default_manager
    graph = rdflib.Graph()
    for prefix in prefixes:
        graph.parse(data=rdf_export.resource_to_rdf_str(manager.registry[prefix], manager=manager, fmt="turtle"),
                    format="turtle")
    out.parent.mkdir(parents=True, exist_ok=True)
    header = (f"# Bioregistry {bioregistry.version.get_version()} (CC0 1.0): the records of {', '.join(prefixes)}\n"
              "# cut by scripts/cut-bioregistry-slice.py from the RDF export of the installed bioregistry package\n")
    out.write_text(header + graph.serialize(format="turtle"), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {len(graph)} triples, "
          f"resources {', '.join(prefixes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT))

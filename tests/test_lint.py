"""The code stays lint-clean and type-clean: ruff and mypy (configured in pyproject.toml) report nothing."""
import subprocess
import sys

from ballkg import sources


def run_tool(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *argv], cwd=sources.PACKAGE_ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    done = run_tool("ruff", "check", "--no-cache", "--output-format", "concise")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing():
    done = run_tool("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def _package_sources() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((sources.PACKAGE_ROOT / "ballkg").glob("*.py"))}


def test_the_namespace_iris_are_defined_once():
    for iri in (sources.BK_IRI, sources.BKD_IRI):
        assert {name: text.count(iri) for name, text in _package_sources().items() if iri in text} == {"sources.py": 1}


def test_rdflib_and_pyoxigraph_terms_are_converted_in_one_place():
    import pyoxigraph as ox
    import rdflib

    from ballkg.store import from_ox_term, to_ox_term

    terms = [rdflib.URIRef(sources.BKD_IRI + "cd19"), rdflib.BNode("b1"), rdflib.Literal("plain"),
             rdflib.Literal("CD19", lang="en"), rdflib.Literal("3.5", datatype=rdflib.XSD.decimal),
             rdflib.Literal(7)]
    assert [from_ox_term(to_ox_term(t)) for t in terms] == terms
    assert from_ox_term(ox.Literal("x")) == rdflib.Literal("x")  # xsd:string as rdflib reads it from Turtle
    # a module converting literals between the two libraries builds both kinds
    converters = [name for name, text in _package_sources().items()
                  if "rdflib.Literal(" in text and "ox.Literal(" in text]
    assert converters == ["store.py"]


def test_there_is_one_duplicate_finder():
    from ballkg import ingest

    assert not hasattr(ingest, "find_duplicates_in_store")
    assert sum(text.count("def find_duplicates") for text in _package_sources().values()) == 1

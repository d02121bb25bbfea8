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
    package = sources.PACKAGE_ROOT / "ballkg"
    return {str(p.relative_to(package)): p.read_text(encoding="utf-8") for p in sorted(package.rglob("*.py"))}


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


# module imported by ballkg -> the distribution that provides it
DISTRIBUTION = {"rdflib": "rdflib", "owlready2": "owlready2", "pyshacl": "pyshacl", "pyshacl_turbo": "pyshacl-turbo",
                "pyoxigraph": "pyoxigraph", "SPARQLWrapper": "SPARQLWrapper", "requests": "requests", "yaml": "PyYAML",
                "curies": "curies", "bioregistry": "bioregistry", "pandas": "pandas", "pylode": "pylode",
                "jinja2": "Jinja2", "markupsafe": "MarkupSafe", "werkzeug": "Werkzeug", "waitress": "waitress",
                "kgx": "kgx", "bmt": "bmt", "linkml_runtime": "bmt"}  # linkml-runtime comes with bmt


def _declared() -> tuple[dict[str, str], dict[str, list[str]]]:
    import re
    import tomllib

    project = tomllib.loads((sources.PACKAGE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(reqs):
        return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0]: r for r in reqs}
    return names(project["dependencies"]), {k: list(names(v)) for k, v in project["optional-dependencies"].items()}


def test_every_library_the_package_imports_is_declared():
    import ast
    import sys

    core, extras = _declared()
    imported = set()
    for text in _package_sources().values():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "ballkg"}
    assert third_party <= set(DISTRIBUTION), third_party - set(DISTRIBUTION)
    declared = set(core) | {name for names in extras.values() for name in names}
    assert not {DISTRIBUTION[m] for m in third_party} - declared
    assert "pylode" not in core and "pylode" in extras["docs"]  # the HTML docs are optional
    assert "pandas" in core  # ballkg.sparql() returns a DataFrame


def test_dependency_floors_are_true():
    from importlib.metadata import requires

    from packaging.requirements import Requirement
    from packaging.version import Version

    core, _ = _declared()

    def floor(spec: str) -> Version:
        return min(Version(s.version) for s in Requirement(spec).specifier if s.operator in (">=", "=="))

    # what the installed libraries ask of rdflib must be met by the declared floor (core: pySHACL and turbo;
    # the docs extra: pyLODE)
    for dist, where in (("pyshacl", core["rdflib"]), ("pyshacl-turbo", core["rdflib"])):
        needed = [Requirement(r) for r in requires(dist) or [] if Requirement(r).name == "rdflib"]
        assert needed and all(floor(where) >= floor(f"rdflib{n.specifier}") for n in needed), dist
    import tomllib

    docs = tomllib.loads((sources.PACKAGE_ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["docs"]
    pylode_needs = [Requirement(r) for r in requires("pylode") or [] if Requirement(r).name == "rdflib"]
    docs_rdflib = next(d for d in docs if d.startswith("rdflib"))
    assert pylode_needs and all(floor(docs_rdflib) >= floor(f"rdflib{n.specifier}") for n in pylode_needs)

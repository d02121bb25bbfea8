import pytest

from ballkg.sources import load_sources


@pytest.fixture(scope="session")
def kg():
    """The curated sources (ontology + graph) as an rdflib graph, for SPARQL checks of curated facts."""
    return load_sources()

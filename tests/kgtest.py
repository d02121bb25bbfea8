"""SPARQL helpers shared by the curation tests: every curated fact is checked by asking the graph."""
from decimal import Decimal

PREFIXES = """
PREFIX :     <https://w3id.org/ballkg/ontology#>
PREFIX bkd:  <https://w3id.org/ballkg/data/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def rows(kg, query: str) -> list:
    return list(kg.query(PREFIXES + query))


def one(kg, query: str):
    result = rows(kg, query)
    assert len(result) == 1, f"expected one row, got {len(result)}: {result}"
    return result[0]


def ask(kg, pattern: str) -> bool:
    return bool(kg.query(PREFIXES + "ASK { " + pattern + " }").askAnswer)


def dec(literal) -> Decimal:
    return Decimal(str(literal))

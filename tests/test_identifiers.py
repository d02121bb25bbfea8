"""External identifiers: both SSSOM tables are valid SSSOM, the frozen prefix map agrees with Bioregistry, every
mapped identifier is well formed and Bioregistry-standard in the export, no identifier is claimed as an exact match
by two nodes, term mappings reach the OWL release as annotations, and the identifier query and the coverage table
give their exact answers."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
import rdflib
from rdflib.namespace import OWL, RDF

from ballkg import sources
from ballkg.api import run_stored
from ballkg.mappings import (
    ALLOWED_PREDICATES,
    MappingError,
    mapping_graph,
    read_prefixes,
    read_sssom,
    sssom_files,
)

BK = rdflib.Namespace("https://w3id.org/ballkg/ontology#")
BKD = "https://w3id.org/ballkg/data/"
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
OURS = ("bk", "bkd")


def all_rows():
    return [(path.name, m) for path in sssom_files() for m in read_sssom(path)[1]]


# ------------------------------------------------------------------ SSSOM validity
@pytest.mark.parametrize("name", ["ballkg.sssom.tsv", "ballkg-terms.sssom.tsv"])
def test_the_table_is_valid_sssom(name):
    from sssom.constants import SchemaValidationType as V
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    msdf = parse_sssom_table(sources.mappings_dir() / name)
    validate(msdf, [V.JsonSchema, V.PrefixMapCompleteness, V.StrictCurieFormat], fail_on_error=True)
    assert len(msdf.df) == len(read_sssom(sources.mappings_dir() / name)[1]) > 70


def test_the_sssom_parser_rejects_a_table_with_an_undeclared_prefix(tmp_path):
    """The validity test above can fail: a row whose prefix is not in the curie_map is reported."""
    from jsonschema import ValidationError
    from sssom.constants import SchemaValidationType as V
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    text = (sources.mappings_dir() / "ballkg.sssom.tsv").read_text(encoding="utf-8")
    bad = tmp_path / "bad.sssom.tsv"
    bad.write_text(text.replace("\tdrugbank:DB00073\t", "\tNOTAPREFIX:DB00073\t"), encoding="utf-8")
    with pytest.raises(ValidationError, match="1 validation errors"):
        validate(parse_sssom_table(bad), [V.PrefixMapCompleteness], fail_on_error=True)


# ------------------------------------------------------------------ the frozen prefix map
def test_the_frozen_prefix_map_equals_what_bioregistry_says():
    import bioregistry

    frozen = read_prefixes()
    assert {"NCIT", "HGNC", "UNIPROT", "CHEBI", "MONDO", "GO", "clinicaltrials", "drugbank", "UNII", "HP",
            "RO", "STATO", "UO", "IAO", "ECO", "OBI", "prov", "biolink", "ror", "MESH"} <= set(frozen)
    for p in frozen.values():
        resource = bioregistry.get_resource(p.bioregistry)
        assert resource is not None, p
        assert p.pattern == (resource.get_pattern() or ""), p
        if p.bioregistry == "biolink":
            # Biolink's own namespace: one of the URI prefixes Bioregistry lists, and it parses back to biolink
            assert p.uri_prefix in resource.get_uri_prefixes(), p
            assert bioregistry.parse_iri(p.uri_prefix + "Drug") == ("biolink", "Drug")
        else:
            assert p.uri_prefix == bioregistry.get_uri_prefix(p.bioregistry), p


def test_the_curie_maps_of_the_tables_agree_with_the_frozen_map():
    frozen = {p.prefix: p.uri_prefix for p in read_prefixes().values()}
    for path in sssom_files():
        meta, rows = read_sssom(path)
        curie_map = meta["curie_map"]
        used = {m.object_id.partition(":")[0] for m in rows}
        assert used <= set(frozen), (path.name, used - set(frozen))
        for prefix in used:
            assert curie_map[prefix] == frozen[prefix], (path.name, prefix)


def test_the_build_expands_identifiers_without_importing_bioregistry():
    code = ("import sys; sys.modules['bioregistry'] = None\n"
            "from ballkg.mappings import mapping_graph\n"
            "import ballkg.build\n"
            "print(len(mapping_graph()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) == len(all_rows())


# ------------------------------------------------------------------ well-formed, Bioregistry-standard identifiers
def test_every_mapped_object_matches_its_prefixs_bioregistry_pattern():
    import bioregistry

    frozen = read_prefixes()
    for table, m in all_rows():
        prefix, _, local = m.object_id.partition(":")
        pattern = bioregistry.get_pattern(frozen[prefix].bioregistry)
        if pattern:
            assert re.fullmatch(pattern, local), (table, m.subject_id, m.object_id, pattern)


def test_a_malformed_identifier_is_refused_naming_the_table_and_row(project_copy):
    table = project_copy / "mappings" / "ballkg.sssom.tsv"
    table.write_text(table.read_text(encoding="utf-8").replace("UNIPROT:P11836", "UNIPROT:P1183"), encoding="utf-8")
    with pytest.raises(MappingError, match=r"ballkg.sssom.tsv: bkd:cd20 -> UNIPROT:P1183: .* does not match"):
        mapping_graph()


def test_the_exported_turtle_uses_bioregistry_standard_iris_for_every_mapped_identifier(release):
    import bioregistry

    frozen = read_prefixes()
    g = rdflib.Graph().parse(release / "ballkg.ttl", format="turtle")
    matches = {p for p in ALLOWED_PREDICATES}
    objects = {(s, o) for s, p, o in g if p.n3(g.namespace_manager) in matches and not str(o).startswith(
        "https://w3id.org/ballkg/")}
    assert len(objects) == len(all_rows())
    for _s, o in objects:
        parsed = bioregistry.parse_iri(str(o))
        assert parsed is not None and parsed[0] is not None, o
        prefix = next(p for p in frozen.values() if str(o).startswith(p.uri_prefix))
        assert parsed[0] == prefix.bioregistry, o
        if prefix.bioregistry != "biolink":
            assert bioregistry.get_iri(*parsed) == str(o), o


# ------------------------------------------------------------------ one exact match per identifier
def duplicate_exact_claims(rows: list[tuple[str, str, str]]) -> dict[str, set[str]]:
    """Identifiers claimed as skos:exactMatch by more than one node: (subject, predicate, object) rows in."""
    claims: dict[str, set[str]] = {}
    for subject, predicate, obj in rows:
        if predicate == "skos:exactMatch":
            claims.setdefault(obj, set()).add(subject)
    return {o: s for o, s in claims.items() if len(s) > 1}


def test_no_two_different_nodes_claim_the_same_exact_match():
    assert duplicate_exact_claims([(m.subject_id, m.predicate_id, m.object_id) for _t, m in all_rows()]) == {}


def test_the_exact_match_check_can_fail():
    rows = [("bkd:a", "skos:exactMatch", "X:1"), ("bkd:b", "skos:exactMatch", "X:1"), ("bkd:c", "skos:closeMatch", "X:1")]
    assert duplicate_exact_claims(rows) == {"X:1": {"bkd:a", "bkd:b"}}


# ------------------------------------------------------------------ term mappings in the OWL release
def test_term_mappings_are_annotations_on_the_terms_of_the_owl_release(release):
    assert (release / "ballkg-terms.sssom.tsv").read_bytes() == (sources.mappings_dir() / "ballkg-terms.sssom.tsv").read_bytes()
    owl = rdflib.Graph().parse(release / "ballkg.owl", format="xml")
    assert (SKOS.exactMatch, RDF.type, OWL.AnnotationProperty) in owl
    obo = "http://purl.obolibrary.org/obo/"
    assert (BK.Disease, SKOS.exactMatch, rdflib.URIRef(obo + "MONDO_0000001")) in owl
    assert (BK.Disease, SKOS.exactMatch, rdflib.URIRef("https://w3id.org/biolink/vocab/Disease")) in owl
    assert (BK.partOf, SKOS.broadMatch, rdflib.URIRef(obo + "BFO_0000050")) in owl
    assert (rdflib.URIRef(BKD + "days"), SKOS.exactMatch, rdflib.URIRef(obo + "UO_0000033")) in owl
    _meta, terms = read_sssom(sources.mappings_dir() / "ballkg-terms.sssom.tsv")
    mapped = {(m.subject_id, m.predicate_id) for m in terms}
    in_owl = {(f"bk:{s[len(str(BK)):]}" if str(s).startswith(str(BK)) else f"bkd:{s[len(BKD):]}",
               f"skos:{p[len(str(SKOS)):]}") for s, p, _o in owl if str(p).startswith(str(SKOS)) and str(p)[len(str(SKOS)):]
              in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
    assert mapped <= in_owl
    # the ontology-only OWL (the file to open in Protégé) carries them as well
    onto = rdflib.Graph().parse(release / "ballkg-ontology.owl", format="xml")
    assert (BK.Disease, SKOS.exactMatch, rdflib.URIRef(obo + "MONDO_0000001")) in onto
    assert len(set(onto.triples((None, SKOS.exactMatch, None)))) >= sum(m.predicate_id == "skos:exactMatch" for m in terms)


# ------------------------------------------------------------------ the stored query
# Expected identifiers per agent, written from mappings/ballkg.sssom.tsv rows (authority, identifier, relation).
# Groups of agents (antibiotics, corticosteroids, a BTK inhibitor, steroid eye drops) are not agents: not listed.
E, C, B = "exactMatch", "closeMatch", "broadMatch"
EXPECTED_IDENTIFIERS = {
    "alemtuzumab": {
        ("ChEBI", "CHEBI_749551", E),
        ("DrugBank", "DB00087", E),
        ("MeSH", "D000074323", E),
        ("NCIt", "NCIT_C1681", E),
        ("UNII", "3A189DH42V", E)},
    "blinatumomab": {
        ("ChEBI", "CHEBI_750072", E),
        ("DrugBank", "DB09052", E),
        ("MeSH", "C510808", E),
        ("NCIt", "NCIT_C62528", E),
        ("UNII", "4FR53SIF3A", E)},
    "clofarabine": {
        ("ChEBI", "CHEBI_681569", E),
        ("DrugBank", "DB00631", E),
        ("MeSH", "D000077866", E),
        ("NCIt", "NCIT_C26638", E),
        ("UNII", "762RDY0Y2H", E)},
    "ctl019": {
        ("ChEBI", "CHEBI_755258", E),
        ("DrugBank", "DB13881", E),
        ("MeSH", "C000626284", E),
        ("UNII", "Q6C9WHR03O", E)},
    "cyclophosphamide": {
        ("ChEBI", "CHEBI_4027", E),
        ("DrugBank", "DB00531", E),
        ("MeSH", "D003520", E),
        ("UNII", "6UXW23996M", E)},
    "cytarabine": {
        ("ChEBI", "CHEBI_28680", E),
        ("DrugBank", "DB00987", E),
        ("MeSH", "D003561", E),
        ("UNII", "04079A1RDZ", E)},
    "dexamethasone": {
        ("ChEBI", "CHEBI_41879", E),
        ("DrugBank", "DB01234", E),
        ("MeSH", "D003907", E),
        ("NCIt", "NCIT_C422", E),
        ("UNII", "7S5I7G3JQL", E)},
    "disulfide-stabilized-bite": {
        ("MeSH", "D018033", B),
        ("NCIt", "NCIT_C1454", B)},
    "doxorubicin": {
        ("ChEBI", "CHEBI_28748", E),
        ("DrugBank", "DB00997", E),
        ("MeSH", "D004317", E),
        ("UNII", "80168379AG", E)},
    "epratuzumab": {
        ("ChEBI", "CHEBI_753378", E),
        ("DrugBank", "DB04958", E),
        ("MeSH", "C448700", E),
        ("NCIt", "NCIT_C1887", E),
        ("UNII", "3062P60MH9", E)},
    "etoposide": {
        ("ChEBI", "CHEBI_4911", E),
        ("DrugBank", "DB00773", E),
        ("MeSH", "D005047", E),
        ("UNII", "6PLQ3CP4P3", E)},
    "fludarabine": {
        ("DrugBank", "DB01073", E),
        ("MeSH", "C024352", E),
        ("NCIt", "NCIT_C1094", E),
        ("UNII", "P2K93U8740", E)},
    "g-csf": {
        ("DrugBank", "DB00099", C),
        ("MeSH", "D016179", E)},
    "ifosfamide": {
        ("ChEBI", "CHEBI_5864", E),
        ("DrugBank", "DB01181", E),
        ("MeSH", "D007069", E),
        ("UNII", "UM20QQM95Y", E)},
    "immunoglobulin-infusion": {
        ("MeSH", "D016756", E)},
    "inotuzumab-ozogamicin": {
        ("ChEBI", "CHEBI_753564", E),
        ("DrugBank", "DB05889", E),
        ("MeSH", "D000080045", E),
        ("NCIt", "NCIT_C71542", E),
        ("UNII", "P93RUU11P7", E)},
    "jcar017": {
        ("DrugBank", "DB16582", E),
        ("UNII", "7K2YOJ14X0", E)},
    "liposomal-vincristine": {
        ("DrugBank", "DB00541", B)},
    "methotrexate": {
        ("ChEBI", "CHEBI_44185", E),
        ("DrugBank", "DB00563", E),
        ("MeSH", "D008727", E),
        ("UNII", "YL5FZ2Y5U1", E)},
    "mitoxantrone": {
        ("ChEBI", "CHEBI_50729", E),
        ("DrugBank", "DB01204", E),
        ("MeSH", "D008942", E),
        ("UNII", "BZ114NVM5P", E)},
    "obinutuzumab": {
        ("ChEBI", "CHEBI_750126", E),
        ("DrugBank", "DB08935", E),
        ("MeSH", "C543332", E),
        ("UNII", "O43472U9X8", E)},
    "ofatumumab": {
        ("ChEBI", "CHEBI_749610", E),
        ("DrugBank", "DB06650", E),
        ("MeSH", "C527517", E),
        ("NCIt", "NCIT_C66952", E),
        ("UNII", "M95KG522R0", E)},
    "rituximab": {
        ("ChEBI", "CHEBI_64357", E),
        ("DrugBank", "DB00073", E),
        ("MeSH", "D000069283", E),
        ("NCIt", "NCIT_C1702", E),
        ("UNII", "4F4X42SYQ6", E)},
    "sar3419": {
        ("ChEBI", "CHEBI_754139", E),
        ("DrugBank", "DB06342", E),
        ("MeSH", "C569646", E),
        ("UNII", "MRS84YT9L2", E)},
    "tocilizumab": {
        ("DrugBank", "DB06273", E),
        ("MeSH", "C502936", E),
        ("UNII", "I031V2H011", E)},
    "vincristine": {
        ("ChEBI", "CHEBI_28445", E),
        ("DrugBank", "DB00541", E),
        ("MeSH", "D014750", E),
        ("UNII", "5J49Q6B70F", E)},
    "zuma-cd19-car-t": {
        ("ChEBI", "CHEBI_758090", E),
        ("DrugBank", "DB15699", E),
        ("MeSH", "C000705347", E),
        ("NCIt", "NCIT_C170439", E),
        ("UNII", "4MD2J2T8SJ", E)},
}
# Specific agents without a verified identifier (see the README): unnamed or unregistered CAR T products and
# agents whose identifiers could not be verified here.
WITHOUT_IDENTIFIER = {
    "baylor-donor-virus-specific-car-t", "brudno-donor-car-t", "cai-haploidentical-car-t",
    "ctl119", "dai-donor-car-t", "fhcrc-cd19-car-t", "jcar014", "jcar015",
    "m1928z-car-t", "m19bbz-car-t", "m19delta-car-t", "nci-cd19-car-t", "sgn-cd19a",
}


def test_identifiers_of_each_agent(release):
    result = run_stored("identifiers-of-each-agent", {}, release_dir=release, rebuild=False)
    got: dict[str, set] = {}
    for row in result.rows:
        agent = row["agent"][len(BKD):]
        got.setdefault(agent, set())
        if row["identifier"] is not None:
            ident = re.split(r"[/=]", row["identifier"])[-1]
            got[agent].add((row["authority"], ident, row["relation"].rsplit("#", 1)[1]))
    assert {a: s for a, s in got.items() if s} == EXPECTED_IDENTIFIERS
    assert {a for a, s in got.items() if not s} == WITHOUT_IDENTIFIER
    # groups of agents (class-level statements) are not listed
    assert not {"naked-monoclonal-antibodies", "cd19-car-t-cells", "bispecific-t-cell-engagers",
                "cd22-car-t-cells", "pd-1-inhibitor"} & set(got)


# ------------------------------------------------------------------ the coverage table
def test_coverage_counts_agree_with_the_tables_and_the_graph(release, release_store):
    """`ballkg stats` counts (SPARQL on the store) equal an independent count with rdflib over the released
    inferred graph (asserted and inferred types) and the rows of the two tables."""
    from ballkg.stats import COVERAGE, coverage

    full = rdflib.Graph().parse(release / "ballkg-inferred.ttl", format="turtle")
    subjects_any = {m.subject_id for _t, m in all_rows() if not m.object_id.startswith(OURS)}
    subjects_exact = {m.subject_id for _t, m in all_rows() if m.predicate_id in ("skos:exactMatch", "skos:closeMatch")}
    got = {name: (n, mapped, exact) for name, n, mapped, exact in coverage(release_store)}
    for name, cls in COVERAGE:
        nodes = set()
        for s in full.subjects(RDF.type, BK[cls]):
            if (s, BK.representsAgentClass, rdflib.Literal(True)) in full or (s, RDF.type, BK.AgentGroup) in full:
                continue
            if cls == "Study" and full.value(s, BK.registryId) is None:
                continue
            nodes.add(f"bkd:{str(s)[len(BKD):]}")
        assert got[name] == (len(nodes), len(nodes & subjects_any), len(nodes & subjects_exact)), name
    # fixed points, written from the tables: 3 payloads (MMAF has no verified identifier); 11 targets: the 9 human
    # targets and the IL-6 receptor (tocilizumab's target in its product information) mapped, mouse CD19 (target of
    # the mouse-model CAR T cells) without a verified identifier
    assert got["ADC payloads"] == (3, 2, 2)
    assert got["antigens and other targets"] == (11, 10, 10)
    assert got["CAR T-cell products"][1] == 3   # CTL019, JCAR017 (liso-cel) and the ZUMA product (KTE-X19)


def test_stats_prints_the_coverage_table(release, capsys):
    from ballkg.cli import main

    assert main(["stats", "--release", str(release)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"external identifiers\s+nodes\s+mapped\s+share", out)
    assert re.search(r"ADC payloads\s+3\s+2\s+67 %\s+2", out)


def test_release_folder_carries_both_tables(release):
    for name in ("ballkg.sssom.tsv", "ballkg-terms.sssom.tsv"):
        assert (release / name).is_file()

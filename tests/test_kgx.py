"""The KGX (Biolink Model) export: files, identifiers from the SSSOM table, honest predicates with provenance,
conformance to the Biolink Model shipped in `biolink-model`, and a read-back by the `kgx` library, all offline."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ballkg import mappings
from ballkg.cli import main
from ballkg.kgx import (
    CATEGORIES,
    PREDICATES,
    biolink_curie,
    biolink_prefix_map,
    build_kgx,
    offline_toolkit,
    validate_kgx,
)

BKD = "https://w3id.org/ballkg/data/"
BK = "https://w3id.org/ballkg/ontology#"


@pytest.fixture(scope="module")
def exported(release, tmp_path_factory):
    out = tmp_path_factory.mktemp("kgx") / "kgx"
    return out


@pytest.fixture(scope="module")
def cli_run(release, exported):
    """`ballkg export --format kgx -o DIR` once; returns its stderr report."""
    proc = subprocess.run([sys.executable, "-m", "ballkg.cli", "export", "--format", "kgx", "-o", str(exported),
                           "--release", str(release)], check=False, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


@pytest.fixture(scope="module")
def export(release_store):
    return build_kgx(release_store)


@pytest.fixture(scope="module")
def toolkit():
    return offline_toolkit()()


def read_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def by_id(rows):
    return {r["id"]: r for r in rows}


def edge_set(export, predicate):
    return {(e["subject"], e["object"]) for e in export.edges if e["predicate"] == predicate}


def node_id(export, local):
    """The exported id of our node bkd:<local> (its own CURIE or the standard CURIE that replaced it)."""
    for n in export.nodes:
        if n["id"] == f"bkd:{local}" or f"bkd:{local}" in n["equivalent_identifiers"]:
            return n["id"]
    raise KeyError(local)


# ---------------------------------------------------------------------------------------- files
def test_the_command_writes_tsv_and_json_lines_with_the_same_content(cli_run, exported, export):
    assert sorted(p.name for p in exported.iterdir()) == ["edges.jsonl", "edges.tsv", "nodes.jsonl", "nodes.tsv"]
    nodes, edges = read_tsv(exported / "nodes.tsv"), read_tsv(exported / "edges.tsv")
    jnodes = [json.loads(line) for line in (exported / "nodes.jsonl").read_text().splitlines()]
    jedges = [json.loads(line) for line in (exported / "edges.jsonl").read_text().splitlines()]
    assert [n["id"] for n in nodes] == [n["id"] for n in jnodes] == [n["id"] for n in export.nodes]
    assert [e["id"] for e in edges] == [e["id"] for e in jedges] == [e["id"] for e in export.edges]
    blin = by_id(jnodes)[node_id(export, "blinatumomab")]
    assert blin["category"] == ["biolink:Drug"] and blin["name"] == "blinatumomab"
    assert by_id(nodes)[blin["id"]]["category"] == "biolink:Drug"


def test_the_command_reports_what_it_left_out(cli_run, export):
    total = sum(export.left_out.values())
    assert f"{len(export.nodes)} nodes, {len(export.edges)} edges" in cli_run
    assert f"{total} triples between exported nodes left out for want of an honest Biolink predicate" in cli_run
    assert f"bk:conductedBy {export.left_out['conductedBy']}" in cli_run


def test_kgx_needs_an_output_folder(release, capsys):
    assert main(["export", "--format", "kgx", "--release", str(release)]) == 2
    assert "-o DIR" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------- nodes
def test_every_individual_of_a_mapped_class_is_one_node_with_its_category(export, release_store):
    expected: dict[str, str] = {}
    for cls, category in CATEGORIES:
        for sol in release_store.query(f"SELECT ?n WHERE {{ ?n a <{BK}{cls}> FILTER(STRSTARTS(STR(?n), '{BKD}')) }}"):
            expected.setdefault(sol["n"].value, category)
    got = {}
    for n in export.nodes:
        ours = n["id"] if n["id"].startswith("bkd:") else next(c for c in n["equivalent_identifiers"]
                                                                  if c.startswith("bkd:"))
        got[BKD + ours[4:]] = n["category"][0]
    assert got == expected
    assert len({n["id"] for n in export.nodes}) == len(export.nodes)


def test_node_ids_and_equivalents_come_from_the_sssom_table(export):
    """Read at run time: every exactMatch of an exported node is its id or one of its equivalent identifiers,
    every closeMatch one of its xrefs, in the Biolink spelling of the prefix."""
    _, rows = mappings.read_sssom()
    norm = {}
    import bioregistry

    for p in biolink_prefix_map():
        norm.setdefault(bioregistry.normalize_prefix(p), p)
    checked = 0
    nodes = {(n["id"] if n["id"].startswith("bkd:") else next(c for c in n["equivalent_identifiers"]
                                                               if c.startswith("bkd:"))): n for n in export.nodes}
    for m in rows:
        node = nodes.get(m.subject_id)
        if node is None:
            continue
        curie = biolink_curie(m.object_id, {k: v for k, v in norm.items() if k})
        if m.predicate_id == "skos:exactMatch":
            assert curie == node["id"] or curie in node["equivalent_identifiers"], (m.subject_id, curie)
            checked += 1
        elif m.predicate_id == "skos:closeMatch":
            assert curie in node["xref"], (m.subject_id, curie)
            checked += 1
    assert checked > 0


def test_publications_have_a_type_and_the_review_is_a_review_article(export):
    nodes = by_id(export.nodes)
    assert nodes["bkd:review"]["category"] == ["biolink:Publication"]
    assert nodes["bkd:review"]["publication_type"] == ["fabio:ReviewArticle"]
    refs = [n for n in export.nodes if n["id"].startswith("bkd:ref-")]
    assert len(refs) == 81  # the review's reference list has 81 entries
    assert all(n["publication_type"] == ["dctypes:Text"] and n["category"] == ["biolink:Publication"] for n in refs)


def test_the_preferred_prefix_of_the_category_wins(export):
    # CD20 is mapped exactly to UniProt and NCIt; Biolink prefers UniProtKB for proteins, and its gene is an xref
    cd20 = by_id(export.nodes)[node_id(export, "cd20")]
    _, rows = mappings.read_sssom()
    exact = {m.object_id.split(":")[0] for m in rows if m.subject_id == "bkd:cd20" and m.predicate_id == "skos:exactMatch"}
    if "UNIPROT" in exact:
        assert cd20["id"].startswith("UniProtKB:")
    assert any(x.startswith("HGNC:") for x in cd20["xref"])
    # ALL is mapped exactly to MONDO and NCIt; Biolink prefers MONDO for diseases
    all_ = by_id(export.nodes)[node_id(export, "all")]
    assert all_["id"] == "MONDO:0004967" and "NCIT:C3167" in all_["equivalent_identifiers"]
    assert "bkd:all" in all_["equivalent_identifiers"]


# ---------------------------------------------------------------------------------------- edges
def test_targets_are_direct_physical_interactions(export):
    # blinatumomab binds CD3 on T cells and CD19 on B cells (section on blinatumomab)
    targets = {o for s, o in edge_set(export, "biolink:directly_physically_interacts_with")
               if s == node_id(export, "blinatumomab")}
    assert targets == {node_id(export, "cd19"), node_id(export, "cd3")}


def test_adverse_events_carry_counts_studies_and_cited_references(export):
    edges = {(e["subject"], e["object"]): e for e in export.edges if e["predicate"] == "biolink:has_adverse_event"}
    # GVHD in 2 of the 3 patients given donor-derived CAR T cells [63]
    gvhd = edges[(node_id(export, "dai-donor-car-t"), node_id(export, "graft-versus-host-disease"))]
    assert (gvhd["has_count"], gvhd["has_total"]) == (2, 3)
    assert gvhd["publications"] == ["bkd:ref-63", "bkd:review"]
    assert gvhd["has_supporting_studies"] == [node_id(export, "study-dai-donor-car-t")]
    assert (gvhd["knowledge_level"], gvhd["agent_type"]) == ("knowledge_assertion", "manual_agent")
    # ROCKET: two patients died from cerebral edema in November 2016 [69]
    rocket = edges[(node_id(export, "jcar015"), node_id(export, "cerebral-edema"))]
    assert rocket["has_count"] == 2 and "has_total" not in rocket and "bkd:ref-69" in rocket["publications"]
    # ofatumumab: only 9% of patients have grade 3 or 4 infections
    assert edges[(node_id(export, "ofatumumab"), node_id(export, "infection"))]["has_percentage"] == 9.0
    # inotuzumab's liver toxicity has three reports with different figures: they cannot share one edge
    liver = edges[(node_id(export, "inotuzumab-ozogamicin"), node_id(export, "liver-toxicity"))]
    assert not {"has_count", "has_total", "has_percentage"} & set(liver)
    assert export.figures_left_out >= 3


def test_trial_edges_are_entailed_from_trials_and_their_populations(export, release_store):
    expected = {(s["a"].value, s["d"].value) for s in release_store.query(
        f"SELECT DISTINCT ?a ?d WHERE {{ ?t a <{BK}ClinicalTrial> ; <{BK}evaluatesIntervention> ?a ; "
        f"<{BK}hasPopulation>/(<{BK}hasCondition>|<{BK}hasAlternativeCondition>) ?d . ?d a <{BK}Disease> }}")}
    assert edge_set(export, "biolink:in_clinical_trials_for") == {
        (node_id(export, a[len(BKD):]), node_id(export, d[len(BKD):])) for a, d in expected}
    for e in export.edges:
        if e["predicate"] == "biolink:in_clinical_trials_for":
            assert (e["knowledge_level"], e["agent_type"]) == ("logical_entailment", "automated_agent")
            assert e["has_supporting_studies"] and e["publications"][-1] == "bkd:review"


def test_triples_without_an_honest_predicate_are_counted_not_exported(export, release_store):
    exported = {BKD + (n["id"] if n["id"].startswith("bkd:") else next(
        c for c in n["equivalent_identifiers"] if c.startswith("bkd:")))[4:] for n in export.nodes}
    left = {}
    for sol in release_store.query(f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), '{BK}')) }}"):
        s, p, o = sol["s"].value, sol["p"].value[len(BK):], sol["o"].value
        if s in exported and o in exported and p not in PREDICATES:
            left[p] = left.get(p, 0) + 1
    assert dict(export.left_out) == left
    assert {"conductedBy", "developedBy"} <= set(left)  # no Biolink predicate says "conducted by" an organization


def test_every_edge_has_the_knowledge_source(export):
    assert all(e["primary_knowledge_source"] == "infores:ballkg" for e in export.edges)
    assert all(e["publications"] and e["publications"][-1] == "bkd:review" for e in export.edges)


# ----------------------------------------------------------------------------- Biolink conformance
def test_the_export_conforms_to_the_packaged_biolink_model(export, toolkit):
    assert toolkit.get_model_version() == "4.4.3"
    assert validate_kgx(export, toolkit) == []


def test_the_validator_reports_bad_categories_predicates_and_missing_slots(export, toolkit):
    import copy

    bad = copy.deepcopy(export)
    bad.nodes[0]["category"] = ["biolink:ImmunotherapyThing"]
    bad.nodes[1]["category"] = ["biolink:InformationContentEntity"]  # abstract
    bad.edges[0]["predicate"] = "biolink:cures"
    bad.edges[1]["knowledge_level"] = None
    bad.edges[2]["agent_type"] = "clever_agent"
    bad.edges[3]["category"] = ["biolink:Drug"]
    review = next(n for n in bad.nodes if n["id"] == "bkd:review")
    review["publication_type"] = None  # Biolink requires the type of a publication
    problems = validate_kgx(bad, toolkit)
    assert any("node bkd:review: required slot publication type of biolink:Publication is empty" in p for p in problems)
    assert any("biolink:ImmunotherapyThing is not a concrete Biolink class" in p for p in problems)
    assert any("biolink:InformationContentEntity is not a concrete Biolink class" in p for p in problems)
    assert any("biolink:cures is not a Biolink predicate" in p for p in problems)
    assert any("required slot knowledge level" in p for p in problems)
    assert any("'clever_agent' is not in AgentTypeEnum" in p for p in problems)
    assert any("biolink:Drug is not a Biolink association" in p for p in problems)
    assert any("knowledge_level None is not in KnowledgeLevelEnum" in p for p in problems)
    assert len(problems) == 8


READ_BACK = r"""
import json, socket, sys
LOCAL = ("127.0.0.1", "::1", "localhost")
attempts = []
def refuse(host):
    attempts.append(str(host))
    raise OSError(f"network access attempted: {host}")
real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo
def connect(self, address):
    if isinstance(address, tuple) and address[0] not in LOCAL:
        refuse(address[0])
    return real_connect(self, address)
def getaddrinfo(host, *args, **kwargs):
    if host not in LOCAL:
        refuse(host)
    return real_getaddrinfo(host, *args, **kwargs)
socket.socket.connect, socket.getaddrinfo = connect, getaddrinfo
from ballkg.kgx import use_local_biolink_for_kgx
use_local_biolink_for_kgx()
from kgx.transformer import Transformer
out = {}
for fmt, names in (("tsv", ["nodes.tsv", "edges.tsv"]), ("jsonl", ["nodes.jsonl", "edges.jsonl"])):
    t = Transformer()
    t.transform({"filename": [f"{sys.argv[1]}/{n}" for n in names], "format": fmt})
    out[fmt] = [t.store.graph.number_of_nodes(), t.store.graph.number_of_edges()]
print("COUNTS " + json.dumps(out))
print("ATTEMPTS " + json.dumps(attempts))
"""


def test_kgx_reads_the_export_back_with_the_same_counts_without_the_network(cli_run, exported, export):
    """The `kgx` library, pointed at the packaged Biolink Model, in a process where any non-loopback
    connection raises: same node and edge counts from the TSV and the JSON Lines files."""
    proc = subprocess.run([sys.executable, "-c", READ_BACK, str(exported)], check=False, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "network access attempted" not in proc.stdout + proc.stderr
    assert "ATTEMPTS []" in proc.stdout.splitlines()
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("COUNTS "))
    counts = json.loads(line[len("COUNTS "):])
    assert counts == {"tsv": [len(export.nodes), len(export.edges)], "jsonl": [len(export.nodes), len(export.edges)]}

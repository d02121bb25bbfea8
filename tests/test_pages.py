"""The pages of `ballkg serve` read with plain HTTP clients: content negotiation, what the pages say,
404s, HTML validity and accessibility basics, and the static site of `ballkg export --format html`."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
import rdflib
import requests

BKD = rdflib.Namespace("https://w3id.org/ballkg/data/")
BK = rdflib.Namespace("https://w3id.org/ballkg/ontology#")
RDFS = rdflib.RDFS

INO = "/data/inotuzumab-ozogamicin"
PAGES = ["/", INO, "/data/study-ino-phase3", "/data/om-ino-phase3-cr-ino", "/data/cd22",
         "/data/disc-ino-phase3-mrd-denominator", "/ontology", "/search?q=inotuzumab", "/queries/",
         "/queries/studies-of-an-agent?agent=blinatumomab&run=1", "/data/no-such-thing", "/sparql",
         "/sparql?query=SELECT+%3Ft+WHERE+%7B+%3Fs+%3Fp+%3Ft+%7D+LIMIT+3"]


def get(site, path, accept="text/html", **kw):
    return requests.get(site + path, headers={"Accept": accept}, timeout=30, **kw)


# ----------------------------------------------------------------------------- content negotiation
@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld")])
def test_an_entity_iri_gives_its_description_in_each_rdf_format(site, accept, fmt):
    r = get(site, INO, accept)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(accept)
    assert "Accept" in r.headers["Vary"]
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    ino = BKD["inotuzumab-ozogamicin"]
    # its concise bounded description ...
    assert (ino, BK.hasPayload, BKD.calicheamicin) in g
    assert (ino, BK.hasTarget, BKD.cd22) in g
    assert set(g.objects(ino, rdflib.SKOS.altLabel)) == {rdflib.Literal("INO", lang="en"), rdflib.Literal("InO", lang="en")}
    # ... plus the labels of what it links to, and nothing else about those
    assert (BKD.calicheamicin, RDFS.label, rdflib.Literal("calicheamicin", lang="en")) in g
    assert (BKD.cd22, RDFS.label, rdflib.Literal("CD22", lang="en")) in g
    assert set(g.predicates(BKD.cd22)) == {RDFS.label}
    axioms = set(g.subjects(rdflib.OWL.annotatedSource, ino))
    assert set(g.subjects()) - {ino} - axioms == set(g.subjects(RDFS.label)) - {ino}
    # like reifications in a CBD, the per-statement provenance of its own statements comes along
    payload = [a for a in axioms if (a, rdflib.OWL.annotatedProperty, BK.hasPayload) in g]
    assert len(payload) == 1 and (payload[0], rdflib.OWL.annotatedTarget, BKD.calicheamicin) in g
    assert set(g.objects(payload[0], BK.statementStatedIn)) == {BKD["sec-inotuzumab-ozogamicin"]}


def test_the_description_follows_blank_nodes(site):
    r = get(site, "/ontology", "text/turtle")
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    # a defined class: its equivalentClass is a blank node whose intersection list must come along
    eq = list(g.objects(BK.AgentWithInternalizingTarget, rdflib.OWL.equivalentClass))
    assert len(eq) == 1 and isinstance(eq[0], rdflib.BNode)
    assert list(g.objects(eq[0], rdflib.OWL.intersectionOf))
    assert (BK.AntibodyDrugConjugate, rdflib.RDF.type, rdflib.OWL.Class) in g
    assert (rdflib.URIRef("https://w3id.org/ballkg/ontology"), rdflib.RDF.type, rdflib.OWL.Ontology) in g


def test_html_is_the_default_and_format_parameter_overrides(site):
    assert get(site, INO, "*/*").headers["Content-Type"].startswith("text/html")
    assert get(site, INO, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8").headers["Content-Type"].startswith("text/html")
    r = get(site, INO + "?format=ttl")
    assert r.headers["Content-Type"].startswith("text/turtle")


@pytest.mark.parametrize("accept", ["text/html", "text/turtle", "application/ld+json"])
def test_unknown_iris_are_a_404_not_a_traceback(site, accept):
    for path in ("/data/no-such-thing", "/data/..%2F..%2Fetc%2Fpasswd", "/nowhere", "/data/"):
        r = get(site, path, accept)
        assert r.status_code == 404, path
        assert "Traceback" not in r.text
    r = get(site, "/data/no-such-thing")
    assert "Nothing in the graph is called /data/no-such-thing" in r.text
    assert get(site, "/queries/no-such-query").status_code == 404


def test_writes_are_refused_on_every_route(site):
    assert requests.post(site + "/update", data={"update": "CLEAR ALL"}, timeout=10).status_code == 403
    assert requests.put(site + "/store?default", data="", timeout=10).status_code == 405
    assert requests.delete(site + "/store?default", timeout=10).status_code == 405
    assert requests.post(site + INO, data="x", timeout=10).status_code == 405
    ask = requests.get(site + "/query", params={"query": "ASK { <https://w3id.org/ballkg/data/cd22> ?p ?o }"},
                       headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert ask.json()["boolean"] is True


# ------------------------------------------------------------------------------ what the pages say
class Page(HTMLParser):
    """Links, ids, text, form fields, labels and images of one HTML page."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.inputs: list[dict] = []
        self.label_for: set[str] = set()
        self.imgs: list[dict] = []
        self.svgs: list[dict] = []
        self.rows: list[dict] = []
        self.lang = None
        self.title = ""
        self._in_title = False
        self._svg = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title" and self._svg is None:
            self._in_title = True
        elif tag == "title" and self._svg is not None:
            self._svg["title"] = True
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.inputs.append(a)
        elif tag == "label" and "for" in a:
            self.label_for.add(a["for"])
        elif tag == "img":
            self.imgs.append(a)
        elif tag == "svg":
            self._svg = dict(a, title=False)
            self.svgs.append(self._svg)
        elif tag == "tr":
            self.rows.append(a)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "svg":
            self._svg = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def test_the_agent_page_shows_target_payload_mechanism_studies_toxicities_identifiers_and_provenance(site):
    page = Page(get(site, INO).text)
    text = page.plain
    assert page.title == "inotuzumab ozogamicin · ballkg"
    for expected in ("Modality antibody-drug conjugate", "has target CD22", "has payload calicheamicin",
                     "calicheamicin (stated in Inotuzumab ozogamicin subsection )",
                     "has mechanism of action delivery of a payload after internalization",
                     "Also called: INO , InO"):
        assert expected in text, expected
    # the phase III CR rates of both arms, with the comparison and its p-value
    assert re.search(r"inotuzumab phase III: inotuzumab arm \(experimental arm\) inotuzumab phase III, inotuzumab arm: "
                     r"CR rate complete remission 80\.7% N = 109 inotuzumab phase III, standard-therapy arm: CR rate p < 0\.001",
                     text)
    assert "inotuzumab phase III, standard-therapy arm: CR rate complete remission 29.4% N = 109" in text
    assert "/data/study-ino-phase3" in page.links
    assert "single-dose inotuzumab phase II: severe liver function test abnormalities" in text  # a toxicity
    assert "/data/sec-inotuzumab-ozogamicin" in page.links and "/data/review" in page.links  # provenance
    assert len(page.svgs) == 1 and page.svgs[0]["role"] == "img" and page.svgs[0]["title"]


def test_identifiers_link_to_the_authority(site):
    page = Page(get(site, "/data/cd22").text)
    assert "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/1643" in page.links
    assert "HGNC:1643 close match" in page.plain and "UNIPROT:P20273 exact match" in page.plain
    assert "http://purl.uniprot.org/uniprot/P20273" in page.links


def test_the_study_page_has_arms_doses_population_every_outcome_and_highlighted_discrepancies(site, release_store):
    page = Page(get(site, "/data/study-ino-phase3").text)
    text = page.plain
    assert "inotuzumab 0.8-0.5 mg/m2 weekly, three doses per cycle, 6 cycles of 21-28 days" in text
    assert "enrolled count 326" in text and "evaluable count 218" in text
    n_outcomes = len(list(release_store.query(
        "SELECT ?o WHERE { ?o <https://w3id.org/ballkg/ontology#inStudy> <https://w3id.org/ballkg/data/study-ino-phase3> ;"
        " a <https://w3id.org/ballkg/ontology#OutcomeMeasurement> }")))
    assert n_outcomes == 8
    outcome_links = {link for link in page.links if link.startswith("/data/om-ino-phase3-")}
    assert len(outcome_links) == n_outcomes
    assert [r for r in page.rows if r.get("class") == "discrepant"] and \
        len([r for r in page.rows if r.get("class") == "discrepant"]) == 2  # the two MRD rates
    assert "/data/disc-ino-phase3-mrd-denominator" in page.links
    assert "p < 0.001" in text and "p = 0.04" in text
    assert "/data/table-1-row-9" in page.links and "/data/ref-41" in page.links


def test_the_outcome_page_shows_the_evidence_chain(site):
    text = Page(get(site, "/data/om-ino-phase3-mrd-negativity-ino").text).plain
    assert re.search(r"proportion of patients of MRD negativity ?: 78\.4% ?; p < 0\.001", text)
    cr = Page(get(site, "/data/om-ino-phase3-cr-ino").text).plain
    assert re.search(r"proportion of patients of complete remission ?: 80\.7% \(N = 109\); p < 0\.001", cr)
    assert "Measured in study global open-label randomized phase III trial" in text
    assert "arm inotuzumab phase III: inotuzumab arm" in text
    assert "Stated in Table 1, row 9: inotuzumab ozogamicin vs standard chemotherapy, phase III [41] , part of Table 1" in text
    assert "Citing reference 41 of the review" in text
    cr_evidence = Page(get(site, "/data/om-ino-phase3-cr-ino").text).plain
    assert "has evidence level A: validated association" in cr_evidence
    assert "rule 8: randomized phase III trial with a concurrent control" in cr_evidence
    assert "Discrepancy: inotuzumab phase III: MRD rates 78.4% and 28.1% cannot be shares of the 109-patient arms" in text


def test_search_finds_labels_and_synonyms_with_the_agent_first(site):
    page = Page(get(site, "/search?q=inotuzumab").text)
    hits = [link for link in page.links if link.startswith("/data/")]
    assert hits[0] == INO
    page = Page(get(site, "/search?q=INO").text)
    assert INO in [link for link in page.links if link.startswith("/data/")][:3]  # found by its synonym


def test_a_stored_query_runs_from_its_form_with_a_parameter(site):
    page = Page(get(site, "/queries/toxicities-of-an-agent?agent=inotuzumab-ozogamicin&run=1").text)
    assert "single-dose inotuzumab phase II: severe liver function test abnormalities" in page.plain
    bad = get(site, "/queries/toxicities-of-an-agent?agent=inotuzumab-ozogamicn&run=1")
    assert bad.status_code == 200 and "nothing called" in bad.text and "Traceback" not in bad.text


def test_the_home_page_has_counts_modality_tree_search_and_every_stored_query(site, release_store):
    from ballkg.queries import catalogue
    from ballkg.stats import stats

    page = Page(get(site, "/").text)
    counts = stats(release_store)
    for name in ("agents", "studies", "outcome measurements", "discrepancies", "triples"):
        assert f"{name} {counts[name]}" in page.plain
    assert page.inputs[1]["name"] == "q" and page.inputs[1]["id"] in page.label_for
    assert {f"/queries/{n}" for n in catalogue()} <= set(page.links)
    assert "antibody-drug conjugate : inotuzumab ozogamicin" in page.plain
    assert len(page.svgs) == 1 and "costimulatory" in page.plain


def test_the_sparql_form_shows_an_answer_as_a_table_with_links(site):
    query = ("PREFIX bk: <https://w3id.org/ballkg/ontology#> SELECT ?t WHERE { "
             "<https://w3id.org/ballkg/data/inotuzumab-ozogamicin> bk:hasTarget ?t }")
    page = Page(get(site, "/sparql", params={"query": query}).text)
    assert "/data/cd22" in page.links and "1 row" in page.plain
    bad = Page(get(site, "/sparql", params={"query": "SELEKT nothing"}).text)
    assert "1 row" not in bad.plain and "Traceback" not in bad.plain and "error" in bad.plain.lower()
    # a person following the endpoint's address gets the form; programs get the protocol
    r = requests.get(site + "/query", headers={"Accept": "text/html"}, allow_redirects=False, timeout=10)
    assert r.status_code == 303 and r.headers["Location"].endswith("/sparql")
    r = requests.get(site + "/query", headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert 400 <= r.status_code < 500  # no query given: a client error from the SPARQL server


# ------------------------------------------------------------------------ validity and accessibility
@pytest.mark.parametrize("path", PAGES)
def test_pages_are_valid_html_with_accessibility_basics(site, path):
    r = get(site, path)
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(r.text)  # raises on any HTML5 parse error
    page = Page(r.text)
    assert page.lang == "en"
    assert page.title.strip() and page.title.endswith("· ballkg")
    for field in page.inputs:
        assert field.get("id") in page.label_for or field.get("aria-label"), field
    assert all(img.get("alt") for img in page.imgs)
    assert all(s.get("role") == "img" and s["title"] for s in page.svgs)
    assert len(page.ids) == len([1 for _ in re.finditer(r'\sid="', r.text)])  # ids are unique


# ---------------------------------------------------------------------------------- static site
def test_the_static_site_links_resolve(release, tmp_path, release_store):
    from ballkg.cli import main

    out = tmp_path / "site"
    assert main(["export", "--format", "html", "-o", str(out), "--release", str(release)]) == 0
    files = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    n_data = len(list(release_store.query(
        'SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/ballkg/data/")) }')))
    assert len([f for f in files if f.startswith("data/")]) == n_data
    ids: dict[str, set[str]] = {}
    broken = []
    checked = 0
    for rel in sorted(files):
        page = Page((out / rel).read_text(encoding="utf-8"))
        ids[rel] = page.ids
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target = (out / rel).parent / unquote(parts.path) if parts.path else out / rel
            target_rel = target.resolve().relative_to(out.resolve()).as_posix() if target.resolve().is_relative_to(out.resolve()) else None
            checked += 1
            if target_rel not in files:
                broken.append((rel, href))
            elif parts.fragment:
                frag_ids = ids.get(target_rel) or Page((out / target_rel).read_text(encoding="utf-8")).ids
                ids[target_rel] = frag_ids
                if parts.fragment not in frag_ids:
                    broken.append((rel, href))
    assert broken == []
    assert checked > 20000
    index = json.loads(re.search(r'<script id="search-index" type="application/json">(.*?)</script>',
                                 (out / "search.html").read_text(encoding="utf-8"), re.DOTALL).group(1))
    static_query = Page((out / "queries" / "studies-of-an-agent.html").read_text(encoding="utf-8"))
    assert "../data/study-ino-phase3.html" in static_query.links  # the answer for the default parameters
    params = [f for f in static_query.inputs if f.get("id", "").startswith("param-")]
    assert params and all("disabled" in f for f in params)  # no server to ask
    assert {entry[2].split("#")[0] for entry in index} <= files  # search results point at pages that exist
    assert "data/inotuzumab-ozogamicin.html" in {entry[2] for entry in index}


def test_export_html_needs_an_output_folder(release, capsys):
    from ballkg.cli import main

    assert main(["export", "--format", "html", "--release", str(release)]) == 2
    assert "give it with -o DIR" in capsys.readouterr().err


def test_a_page_that_fails_is_a_500_page_without_traceback(release):
    """Any exception while making a page becomes an error page; the traceback goes to the server log only."""
    from werkzeug.test import Client

    from ballkg.store import open_release_store
    from ballkg.web.app import App
    from ballkg.web.graph import KG

    app = App(KG(open_release_store(release)), None, 5)
    app.site.entity = lambda local: 1 / 0  # type: ignore[method-assign]
    r = Client(app).get(INO)
    assert r.status_code == 500
    assert "ZeroDivisionError" in r.text and "Traceback" not in r.text and "<html lang=\"en\">" in r.text


def test_static_site_path_mapping():
    from ballkg.web.site import Links

    assert Links(True, "data/x").to("data/cd22") == "../data/cd22.html"
    assert Links(True, "data/x").to("ontology#Study") == "../ontology.html#Study"
    assert Links(True, "").to("queries/") == "queries/index.html"
    assert Links(False, "data/x").to("ontology#Study") == "/ontology#Study"
    assert Links.logical("https://w3id.org/ballkg/data/cd22") == "data/cd22"
    assert Links.logical("https://w3id.org/ballkg/ontology") == "ontology"
    assert Links.logical("http://purl.obolibrary.org/obo/NCIT_C1") is None


def test_the_ontology_page_has_an_anchor_per_term_with_its_identifiers(site, release_store):
    page = Page(get(site, "/ontology").text)
    n_classes = len(list(release_store.query(
        "SELECT DISTINCT ?c WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> "
        'FILTER(STRSTARTS(STR(?c), "https://w3id.org/ballkg/ontology#")) }')))
    assert {"AdverseEvent", "AntibodyDrugConjugate", "hasTarget", "pValue"} <= page.ids
    assert len([i for i in page.ids if i[:1].isupper()]) == n_classes
    assert "http://purl.obolibrary.org/obo/NCIT_C41331" in page.links
    assert "NCIT:C41331 (exact match)" in page.plain

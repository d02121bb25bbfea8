"""The pages of the graph: home, one page per entity, the ontology, search and the stored queries.

The same renderer serves `ballkg serve` (links are server paths: /data/NAME, /ontology#Term) and writes
the static site of `ballkg export --format html` (relative links to NAME.html files).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..queries import QueryError, Result, catalogue, python_value
from ..sources import BK_IRI, BKD_IRI
from . import svg
from .graph import KG, LABEL, ONTOLOGY_IRI, OWL, RDF_TYPE, RDFS, SKOS, Value

TEMPLATES = Path(__file__).resolve().parent / "templates"
BK = BK_IRI

# Properties shown in an agent's key facts, in this order; the rest go to "All statements".
AGENT_FACTS = ["hasTarget", "hasMechanism", "hasPayload", "hasAntibodyOrigin", "hasIgGSubclass", "hasAntiCD20Type",
               "expressesCAR", "hasCostimulatoryDomain", "hasActivationDomain", "hasScFvOrigin", "hasCellSource",
               "hasGeneTransferMethod", "hasComponent", "hasTherapeuticRole", "hasRoute", "developedBy",
               "representsAgentClass", "carGeneration"]
STUDY_FACTS = ["evaluatesIntervention", "hasPhase", "hasStatus", "statusReason", "hasDesignFeature", "studyAcronym",
               "registryId", "conductedBy", "studyModel", "reportYear", "reportMonth", "reportedAtMeeting",
               "firstAuthorSurname", "enrollmentStartYear", "enrollmentEndYear", "medianFollowUpMonths",
               "followUpMonths"]
POPULATION_FACTS = ["enrolledCount", "evaluableCount", "hasDiseaseSetting", "hasCondition", "hasAlternativeCondition", "allowsCondition", "hasAgeGroup",
                    "requiresAntigenPositivity", "medianAgeYears", "observedAgeMinYears", "observedAgeMaxYears",
                    "eligibleAgeMinYears", "eligibleAgeMaxYears", "minimumPriorTherapies", "hasSubpopulation"]
EVIDENCE_FACTS = ["hasEvidenceLevel", "evidenceLevelAssignedBy", "hasEvidenceType", "hasEvidenceDirection",
                  "hasClinicalSignificance", "hasEvidenceCode"]
PROVENANCE = ["statedIn", "citesReference", "hasSource", "hasAssertionKind", "hasEvidenceStatus", "supportedBy"]
IDENTIFIER_PROPS = {SKOS + "exactMatch": "exact match", SKOS + "closeMatch": "close match",
                    SKOS + "broadMatch": "broader", SKOS + "narrowMatch": "narrower", SKOS + "relatedMatch": "related"}
RESPONSE_UNITS = {"percent"}


def fmt_number(v: Any) -> str:
    if isinstance(v, Decimal):
        text = format(v.normalize(), "f")
        return text
    if isinstance(v, float):
        return f"{v:g}"
    return "" if v is None else str(v)


class Links:
    """Where a logical page ('', 'data/x', 'ontology#T', 'search', 'queries/', 'queries/x') lives."""

    def __init__(self, static: bool, here: str = ""):
        self.static = static
        self.depth = here.count("/") if static else 0

    def to(self, logical: str) -> str:
        if not self.static:
            return "/" + logical
        path, _, frag = logical.partition("#")
        if path in ("", "queries/"):
            path += "index.html"
        else:
            path += ".html"
        return "../" * self.depth + path + (f"#{frag}" if frag else "")

    @staticmethod
    def logical(iri: str) -> str | None:
        if iri.startswith(BKD_IRI) and "/" not in iri[len(BKD_IRI):] and iri[len(BKD_IRI):]:
            return "data/" + iri[len(BKD_IRI):]
        if iri.startswith(BK_IRI) and iri[len(BK_IRI):]:
            return "ontology#" + iri[len(BK_IRI):]
        if iri in (ONTOLOGY_IRI, BK_IRI):
            return "ontology"
        return None

    def iri(self, iri: str) -> str:
        logical = self.logical(iri)
        return self.to(logical) if logical is not None else iri


@dataclass
class OutcomeRow:
    outcome: str
    cells: dict[str, Any]
    comparators: list[str] = field(default_factory=list)
    discrepancies: list[str] = field(default_factory=list)


class Site:
    def __init__(self, kg: KG, static: bool = False, runner: Callable[[str], Result] | None = None):
        """`runner` answers the stored-query forms (the server passes the endpoint, with its deadline)."""
        import jinja2

        self.kg = kg
        self.static = static
        self.runner = runner or kg.select
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                      trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        self.env.filters["num"] = fmt_number
        self.env.filters["nonempty_columns"] = lambda r: [c for c in r.columns
                                                          if any(row[c] not in (None, "") for row in r.rows)]

    # ---------------------------------------------------------------------------- rendering
    def render(self, template: str, here: str, **ctx) -> str:
        links = Links(self.static, here)

        def link(x: Any, text: str | None = None) -> Markup:
            """An IRI (str or Value) as a link with its label; a literal as text."""
            if x is None or x == "":
                return Markup("")
            if isinstance(x, Value) and not x.is_iri:
                return escape(x.text)
            iri = x.iri if isinstance(x, Value) else str(x)
            if not iri.startswith(("http://", "https://")):
                return escape(fmt_number(x))
            label = text or (x.label if isinstance(x, Value) else self.kg.label(iri))
            href = links.iri(iri)
            external = Links.logical(iri) is None
            rel = ' rel="external"' if external else ""
            return Markup(f'<a href="{escape(href)}"{rel}>{escape(label)}</a>')

        def cell(v: Any) -> Markup:
            """A result cell: an IRI (or a list of IRIs, as GROUP_CONCAT gives them) as links, else text."""
            if isinstance(v, str) and v.startswith(("http://", "https://")):
                parts = [p for p in re.split(r"[\s;,|]+", v) if p]
                if all(p.startswith(("http://", "https://")) for p in parts):
                    return Markup("; ").join(link(p) for p in parts)
            return escape(fmt_number(v))

        return self.env.get_template(template).render(
            link=link, cell=cell, to=links.to, static=self.static, prop_label=self.prop_label, **ctx)

    def prop_label(self, iri: str) -> str:
        return self.kg.label(iri)

    def values(self, out: dict[str, list[Value]], names: list[str]) -> list[tuple[str, list[Value]]]:
        return [(BK + n, out[BK + n]) for n in names if BK + n in out]

    # ---------------------------------------------------------------------------- the pages
    def entity(self, local: str) -> str | None:
        """The page of bkd:<local>, or None when the graph has nothing by that name."""
        iri = BKD_IRI + local
        if not re.fullmatch(r"[A-Za-z0-9._~-]+", local) or not self.kg.has_subject(iri):
            return None
        types = self.kg.types(iri)
        out = self.kg.outgoing(iri)
        ctx: dict[str, Any] = {
            "iri": iri, "label": self.kg.label(iri), "out": out, "incoming": self.kg.incoming(iri),
            "classes": [t for t in types if t.startswith(BK)], "kind": "entity",
            "synonyms": out.get(SKOS + "altLabel", []),
            "notes": out.get(RDFS + "comment", []) + out.get(SKOS + "definition", []),
            "provenance": self.values(out, PROVENANCE), "identifiers": self.identifiers(out),
            "shown": {LABEL, SKOS + "altLabel", RDFS + "comment", SKOS + "definition"}}
        ctx["stated"] = self.kg.statement_locations(iri)
        if {BK + "TherapeuticAgent", BK + "TreatmentRegimen", BK + "AgentGroup"} & set(types):
            ctx.update(self.agent_context(iri, local, types, out))
        elif BK + "Study" in types:
            ctx.update(self.study_context(iri, local, out))
        elif BK + "OutcomeMeasurement" in types:
            ctx.update(self.outcome_context(iri, out))
        elif BK + "Discrepancy" in types:
            ctx["kind"] = "discrepancy"
        return self.render("entity.html", "data/" + local, **ctx)

    def identifiers(self, out: dict[str, list[Value]]) -> list[tuple[str, str, str]]:
        """(relation, CURIE, IRI) of every mapped external identifier."""
        rows = []
        for prop, relation in IDENTIFIER_PROPS.items():
            for v in out.get(prop, []):
                rows.append((relation, self.curie(v.iri), v.iri))
        return rows

    @cached_property
    def curie_map(self) -> list[tuple[str, str]]:
        """Prefixes of the external identifiers, from the SSSOM tables' curie_map shipped in the release."""
        import yaml

        from .. import sources

        found: dict[str, str] = {}
        tables = sorted(sources.release_dir().glob("*.sssom.tsv")) + sorted(sources.mappings_dir().glob("*.sssom.tsv"))
        for path in tables:
            header = [line[2:] for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
            try:
                meta = yaml.safe_load("\n".join(header)) or {}
            except yaml.YAMLError:
                continue
            for k, v in (meta.get("curie_map") or {}).items():
                found.setdefault(str(k), str(v))
        return sorted(((v, k) for k, v in found.items()), key=lambda kv: -len(kv[0]))

    def curie(self, iri: str) -> str:
        for base, prefix in self.curie_map:
            if iri.startswith(base):
                return f"{prefix}:{iri[len(base):]}"
        return iri

    def agent_context(self, iri: str, local: str, types: list[str], out) -> dict:
        kg = self.kg
        res = kg.page_query("agent-studies", iri)
        studies: dict[str, dict] = {}
        outcomes: dict[str, OutcomeRow] = {}
        for r in res.rows:
            s = studies.setdefault(r["study"], {"row": r, "outcomes": []})
            if r["outcome"]:
                if r["outcome"] not in outcomes:
                    outcomes[r["outcome"]] = OutcomeRow(r["outcome"], r)
                    s["outcomes"].append(outcomes[r["outcome"]])
                if r["comparator"] and r["comparator"] not in outcomes[r["outcome"]].comparators:
                    outcomes[r["outcome"]].comparators.append(r["comparator"])
        bars = []
        for s in sorted(studies.values(), key=lambda s: (-(s["row"]["enrolled"] or 0), kg.label(s["row"]["study"]))):
            for o in s["outcomes"]:
                c = o.cells
                if c["value"] is not None and c["unit"] and kg.label(c["unit"]) in RESPONSE_UNITS \
                        and self.is_response(c["endpoint"]) and c["timepointMonths"] is None:
                    who = kg.label(c["arm"]) if c["arm"] else kg.label(s["row"]["study"])
                    note = f"({c['numerator']}/{c['denominator']})" if c["numerator"] is not None else ""
                    bars.append(svg.Bar(who, float(c["value"]), kg.label(c["endpoint"]),
                                        Links(self.static, "data/x").iri(o.outcome), note))
        chart = svg.bar_chart(bars, f"Response rates reported for {kg.label(iri)}, by study arm and endpoint",
                              max_value=100) if bars else ""
        try:
            tox = kg.stored_query("toxicities-of-an-agent", agent=local)
        except QueryError:
            tox = None
        ordered = sorted(studies.values(), key=lambda s: (-(s["row"]["enrolled"] or 0), kg.label(s["row"]["study"])))
        return {"kind": "agent", "facts": self.values(out, AGENT_FACTS), "studies": ordered,
                    "modality": self.modality(types), "defined": self.defined_classes(types), "chart": Markup(chart),
                    "toxicities": tox, "shown_props": AGENT_FACTS}

    def is_response(self, endpoint: str | None) -> bool:
        if not endpoint:
            return False
        types = self.kg.types(endpoint)
        return BK + "ResponseEndpoint" in types or BK + "ResidualDiseaseEndpoint" in types

    @cached_property
    def _defined(self) -> set[str]:
        res = self.kg.select(f"SELECT DISTINCT ?c WHERE {{ ?c <{OWL}equivalentClass> ?d }}")
        return {r["c"] for r in res.rows}

    @cached_property
    def _superclasses(self) -> dict[str, set[str]]:
        res = self.kg.select(f"SELECT ?c ?s WHERE {{ ?c <{RDFS}subClassOf>+ ?s FILTER(isIRI(?s)) }}")
        sup: dict[str, set[str]] = {}
        for r in res.rows:
            sup.setdefault(r["c"], set()).add(r["s"])
        return sup

    def is_modality(self, c: str) -> bool:
        """A kind of agent (antibody, conjugate, CAR T product...), not a cross-cutting defined class such as
        'CD22-directed agent': either not defined, or defined below a class that is not."""
        if not c.startswith(BK) or BK + "TherapeuticAgent" not in self._superclasses.get(c, set()) | {c}:
            return False
        generic = {BK + "TherapeuticAgent", BK + "Intervention"}
        return c not in self._defined or any(s not in self._defined and s not in generic
                                             for s in self._superclasses.get(c, set()))

    def direct_super(self, c: str, s: str) -> bool:
        """s is a direct superclass of c: no other superclass of c lies between them (the release holds the
        reasoner's transitive subclass axioms too)."""
        sup = self._superclasses
        return not any(s in sup.get(m, set()) for m in sup.get(c, set()) if m not in (c, s))

    def modality(self, types: list[str]) -> list[str]:
        """The most specific modality classes of an agent."""
        named = [t for t in types if self.is_modality(t)]
        return [t for t in named if not any(t in self._superclasses.get(o, set()) for o in named if o != t)]

    def defined_classes(self, types: list[str]) -> list[str]:
        return [t for t in types if t in self._defined]

    def study_context(self, iri: str, local: str, out) -> dict:
        kg = self.kg
        res = kg.page_query("study-outcomes", iri)
        rows: dict[str, OutcomeRow] = {}
        for r in res.rows:
            row = rows.setdefault(r["outcome"], OutcomeRow(r["outcome"], r,
                                                           discrepancies=(r["discrepancies"] or "").split()))
            if r["comparator"] and r["comparator"] not in row.comparators:
                row.comparators.append(r["comparator"])
        outcome_rows = list(rows.values())
        comparator_values = {r["comparator"]: r["comparatorValue"] for r in res.rows if r["comparator"]}
        try:
            arms = kg.stored_query("arms-and-doses-of-a-study", study=local)
        except QueryError:
            arms = None
        populations = [(p, self.values(kg.outgoing(p.iri), POPULATION_FACTS))
                       for p in out.get(BK + "hasPopulation", [])]
        discrepancies = sorted({d for r in outcome_rows for d in r.discrepancies}
                               | {v.iri for v in out.get(BK + "hasDiscrepancy", [])}
                               | {v.iri for p, _ in populations for v in kg.objects(p.iri, BK + "hasDiscrepancy")})
        bars = []
        for orow in outcome_rows:
            c = orow.cells
            if c["value"] is not None and c["unit"] and kg.label(c["unit"]) in RESPONSE_UNITS and not c["subgroup"] \
                    and self.is_response(c["endpoint"]) and c["timepointMonths"] is None:
                who = (kg.label(c["arm"]) if c["arm"]
                       else kg.label(c["population"]) if c["population"] else "all patients")
                note = f"({c['numerator']}/{c['denominator']})" if c["numerator"] is not None else ""
                bars.append(svg.Bar(f"{kg.label(c['endpoint'])}: {who}", float(c["value"]), who,
                                    Links(self.static, "data/x").iri(orow.outcome), note))
        chart = svg.bar_chart(bars, f"Response rates of the arms of {kg.label(iri)}", max_value=100) if bars else ""
        adverse = [v for v in kg.incoming(iri).get(BK + "inStudy", []) if BK + "AdverseEventReport" in kg.types(v.iri)]
        return {"kind": "study", "facts": self.values(out, STUDY_FACTS), "outcome_rows": outcome_rows, "arms": arms,
                "populations": populations,
                "discrepancies": [(d, kg.objects(d, RDFS + "comment")) for d in discrepancies],
                "chart": Markup(chart), "adverse": adverse, "comparator_values": comparator_values,
                "shown_props": STUDY_FACTS}

    def outcome_context(self, iri: str, out) -> dict:
        """The evidence chain: what was measured, in whom, where the review says so, what it cites, and doubts."""
        kg = self.kg
        one = kg.first

        def chain(loc: Value) -> list[Value]:  # a location and the locations it is part of
            seen: set[str] = set()
            steps: list[Value] = [loc]
            node: Value | None = loc
            while node is not None and node.iri not in seen:
                seen.add(node.iri)
                node = one(node.iri, BK + "partOf")
                if node is not None:
                    steps.append(node)
            return steps

        study = one(iri, BK + "inStudy")
        steps = {
            "study": study,
            "study_refs": kg.objects(study.iri, BK + "citesReference") if study else [],
            "arm": one(iri, BK + "forArm"), "population": one(iri, BK + "forPopulation"),
            "subgroup": one(iri, BK + "inSubgroup"),
            "locations": [chain(v) for v in out.get(BK + "statedIn", [])],
            "references": [(r, kg.objects(r.iri, BK + "referenceNumber")) for r in out.get(BK + "citesReference", [])],
            "sources": out.get(BK + "hasSource", []),
            # a comparison node names this measurement and the reference group's measurement
            "comparators": [(ref, kg.first(ref.iri, BK + "value"))
                            for cmp in kg.incoming(iri).get(BK + "comparesMeasurement", [])
                            for ref in [one(cmp.iri, BK + "hasReferenceMeasurement")] if ref is not None],
            "discrepancies": [(d, kg.objects(d.iri, RDFS + "comment")) for d in out.get(BK + "hasDiscrepancy", [])],
            "assertion": out.get(BK + "hasAssertionKind", []),
            # the evidence assessment derived by rule (present when the evidence model is in the release)
            "evidence": self.values(out, EVIDENCE_FACTS),
        }

        def lit(name: str, node: str = iri):
            v = kg.first(node, BK + name)
            return None if v is None else (v.iri if v.is_iri else python_value(v.term))

        cells = {k: lit(k) for k in ("value", "valueMin", "valueMax", "timepointMonths", "numerator", "denominator")}
        # the p-value is stated on the comparison node that compares this measurement
        comparisons = [c.iri for c in kg.incoming(iri).get(BK + "comparesMeasurement", [])]
        cmp = next((c for c in comparisons if lit("pValue", c) is not None), None)
        cells.update(pValue=lit("pValue", cmp) if cmp else None, pValueRelation=lit("pValueRelation", cmp) if cmp else None)
        cells.update(unit=lit("hasUnit"), endpoint=lit("measures"), statistic=lit("hasStatistic"))
        return {"kind": "outcome", "chain": steps, "cells": cells}

    # ------------------------------------------------------------------------------ ontology
    def ontology(self) -> str:
        kg = self.kg
        res = kg.select(f"""SELECT ?t ?kind WHERE {{
            VALUES ?kind {{ <{OWL}Class> <{OWL}ObjectProperty> <{OWL}DatatypeProperty> <{OWL}AnnotationProperty> }}
            ?t a ?kind FILTER(STRSTARTS(STR(?t), "{BK}")) }} ORDER BY ?kind ?t""")
        kinds = {OWL + "Class": "Classes", OWL + "ObjectProperty": "Object properties",
                 OWL + "DatatypeProperty": "Data properties", OWL + "AnnotationProperty": "Annotation properties"}
        sections: dict[str, list] = {v: [] for v in kinds.values()}
        members = {r["c"]: r["n"] for r in kg.select(
            "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c FILTER(isIRI(?x)) } GROUP BY ?c").rows}
        for r in res.rows:
            t = r["t"]
            out = kg.outgoing(t)
            sections[kinds[r["kind"]]].append({
                "iri": t, "anchor": t[len(BK):], "label": kg.label(t),
                "notes": out.get(SKOS + "definition", []) + out.get(RDFS + "comment", []),
                "supers": [v for v in out.get(RDFS + "subClassOf", []) + out.get(RDFS + "subPropertyOf", [])
                           if v.is_iri and self.direct_super(t, v.iri)],
                "domain": out.get(RDFS + "domain", []), "range": out.get(RDFS + "range", []),
                "defined": t in self._defined, "members": members.get(t, 0), "identifiers": self.identifiers(out),
                "instances": [v for v in kg.incoming(t, limit=60).get(RDF_TYPE, [])
                           if v.iri.startswith(BKD_IRI)]})
        return self.render("ontology.html", "ontology", sections=sections, label="The ballkg ontology")

    # ---------------------------------------------------------------------------------- home
    def home(self) -> str:
        from ..stats import stats

        kg = self.kg
        counts = stats(kg.store)
        tree = self.modality_tree()
        res = kg.stored_query("car-t-trial-remission-rates-with-costimulatory-domain-and-gene-transfer")
        bars = [svg.Bar(kg.label(r["study"]),
                        float(r["value"]), kg.label(r["costimulatoryDomain"]), Links(self.static).iri(r["study"]),
                        f"({r['numerator']}/{r['denominator']})" if r["numerator"] is not None else "")
                for r in res.rows if r["value"] is not None]
        chart = svg.bar_chart(bars, "Remission rates of the CD19 CAR T-cell trials, by costimulatory domain",
                              max_value=100)
        studies = kg.select(f"SELECT DISTINCT ?s WHERE {{ ?s a <{BK}Study> }}").rows
        return self.render("home.html", "", counts=counts, tree=tree, chart=Markup(chart), label="ballkg",
                           queries=catalogue(),
                           studies=sorted((r["s"] for r in studies), key=lambda s: kg.label(s).lower()))

    def modality_tree(self) -> list[dict]:
        """Named, non-defined subclasses of TherapeuticAgent as a tree, each with the agents curated in it."""
        kg = self.kg
        sub = kg.select(f"SELECT ?c ?s WHERE {{ ?c <{RDFS}subClassOf> ?s FILTER(isIRI(?c) && isIRI(?s)) }}").rows
        children: dict[str, list[str]] = {}
        for r in sub:
            c, s = r["c"], r["s"]
            if self.direct_super(c, s) and self.is_modality(c) and c != s:
                children.setdefault(s, []).append(c)
        agents = kg.select(f"SELECT DISTINCT ?a WHERE {{ ?a a <{BK}TherapeuticAgent> }}").rows
        placed: dict[str, list[str]] = {}
        for r in agents:
            for c in self.modality(kg.types(r["a"])):
                placed.setdefault(c, []).append(r["a"])

        def node(c: str) -> dict:
            return {"iri": c, "members": sorted(placed.get(c, []), key=lambda a: kg.label(a).lower()),
                        "children": [node(x) for x in sorted(children.get(c, []), key=lambda x: kg.label(x).lower())]}
        return [node(BK + "TherapeuticAgent")]

    # -------------------------------------------------------------------------------- search
    @cached_property
    def search_index(self) -> list[dict]:
        """Labels and synonyms of every entity of the graph and every ontology term."""
        res = self.kg.select(f"""SELECT ?s ?text ?kind WHERE {{
            {{ ?s <{LABEL}> ?text BIND("label" AS ?kind) }}
            UNION {{ ?s <{SKOS}altLabel> ?text BIND("synonym" AS ?kind) }}
            FILTER(isIRI(?s) && (STRSTARTS(STR(?s), "{BKD_IRI}") || STRSTARTS(STR(?s), "{BK}"))) }}""")
        rank = {BK + "TherapeuticAgent": 0, BK + "Study": 1, BK + "MolecularTarget": 2, BK + "Payload": 2}
        entries = []
        for r in res.rows:
            types = self.kg.types(r["s"])
            entries.append({"iri": r["s"], "text": str(r["text"]), "kind": r["kind"], "label": self.kg.label(r["s"]),
                                "rank": min([rank.get(t, 5) for t in types] or [5]),
                                "type": self.kg.label(self.modality(types)[0]) if self.modality(types) else ""})
        return entries

    def search(self, q: str) -> list[dict]:
        q = " ".join(q.lower().split())[:200]
        if not q:
            return []
        hits: dict[str, tuple] = {}
        for e in self.search_index:
            text = e["text"].lower()
            if q not in text:
                continue
            score = (0 if text == q else 1 if text.startswith(q) else 2 if re.search(r"\b" + re.escape(q), text) else 3,
                     e["rank"], len(e["label"]), e["label"].lower())
            if e["iri"] not in hits or score < hits[e["iri"]][0]:
                hits[e["iri"]] = (score, e)
        ranked = sorted(hits.values(), key=lambda h: h[0])[:100]
        return [dict(e, matched=e["text"] if e["kind"] == "synonym" else "") for _, e in ranked]

    def search_page(self, q: str) -> str:
        index = None
        if self.static:  # the static site has no server: the page filters an embedded index in the browser
            links = Links(True, "search")
            index = Markup(json.dumps([[e["text"], e["label"], links.iri(e["iri"]), e["type"], e["rank"]]
                                       for e in self.search_index], ensure_ascii=False).replace("</", "<\\/"))
        return self.render("search.html", "search", q=q, hits=self.search(q) if q else [], index=index,
                           label=f"Search: {q}" if q else "Search")

    # ------------------------------------------------------------------------------- queries
    def queries_index(self) -> str:
        return self.render("queries.html", "queries/", queries=catalogue(), label="Stored queries")

    def query_page(self, name: str, values: dict[str, str] | None) -> str | None:
        """A stored query's page; with `values` (the form was sent) also its answer, else the default answer
        in the static site."""
        cat = catalogue()
        if name not in cat:
            return None
        q = cat[name]
        result: Result | None = None
        error = None
        run = values is not None or (self.static and all(p.default is not None for p in q.params))
        if run:
            from ..api import _store_has_label, check_iri_params

            given = {k: v for k, v in (values or {}).items() if k in {p.name for p in q.params} and v != ""}
            try:
                check_iri_params(q, given, _store_has_label(self.kg.store))
                result = self.runner(q.bind(given))
            except QueryError as exc:
                error = str(exc)
        return self.render("query.html", "queries/" + name, q=q, values=values or {}, result=result, error=error,
                           label=q.summary, ran=run)

    def sparql_page(self, text: str, result: Result | None, error: str | None) -> str:
        example = (f"PREFIX bk: <{BK_IRI}>\nSELECT ?agent ?target WHERE {{\n"
                   "  ?agent a bk:AntibodyDrugConjugate ; bk:hasTarget ?target .\n}")
        return self.render("sparql.html", "sparql", text=text or example, result=result, error=error,
                           label="SPARQL query")

    # -------------------------------------------------------------------------------- errors
    def not_found(self, path: str) -> str:
        return self.render("error.html", "404", label="Not found", status=404,
                           message=f"Nothing in the graph is called {path}.")

    def error_page(self, status: int, message: str) -> str:
        return self.render("error.html", "error", label=f"Error {status}", status=status, message=message)


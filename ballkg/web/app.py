"""The WSGI application of `ballkg serve`: pages with content negotiation, and the SPARQL endpoint.

/                      home page            /data/NAME      an entity (HTML, Turtle, N-Triples or JSON-LD)
/search?q=             search               /ontology       the ontology (HTML, or the ontology's triples)
/queries/, /queries/N  stored queries       /query          SPARQL 1.1 query endpoint (proxied to Oxigraph)
/store (GET)           Graph Store reads    /update, writes refused (403 / 405)
"""
from __future__ import annotations

import logging
import sys
import traceback

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from .backend import Backend, DeadlineExceeded
from .graph import KG, MEDIA_FORMATS, serialize
from .site import Site

log = logging.getLogger("ballkg.serve")
HTML = "text/html"
FORMAT_PARAM = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
                "html": HTML}
OFFERED = [HTML, *MEDIA_FORMATS]

URLS = Map([
    Rule("/", endpoint="home"),
    Rule("/search", endpoint="search"),
    Rule("/data/<path:local>", endpoint="entity"),
    Rule("/ontology", endpoint="ontology"),
    Rule("/queries/", endpoint="queries"),
    Rule("/queries", endpoint="queries"),
    Rule("/queries/<name>", endpoint="query_page"),
    Rule("/query", endpoint="sparql"),
    Rule("/sparql", endpoint="sparql_form"),
    Rule("/store", endpoint="store"),
    Rule("/update", endpoint="update"),
], strict_slashes=False)


class App:
    def __init__(self, kg: KG, backend: Backend | None, timeout_s: float):
        self.kg = kg
        self.site = Site(kg, runner=self.run_query)
        self.backend = backend
        self.timeout_s = timeout_s
        self._cached: dict[str, str] = {}  # pages that do not depend on the request; the store is read-only

    def cached(self, key: str, make) -> str:
        if key not in self._cached:
            self._cached[key] = make()
        return self._cached[key]

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except HTTPException as exc:
            response = self.page(self.site.error_page(exc.code or 500, exc.description or exc.name), exc.code or 500)
        except Exception as exc:  # noqa: BLE001 - a page must never show a traceback; the server log gets it
            traceback.print_exc(file=sys.stderr)
            response = self.page(self.site.error_page(500, f"The page could not be made: {type(exc).__name__}."), 500)
        return response(environ, start_response)

    @staticmethod
    def page(html: str, status: int = 200) -> Response:
        return Response(html, status=status, content_type="text/html; charset=utf-8")

    def dispatch(self, request: Request) -> Response:
        adapter = URLS.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
        except HTTPException as exc:
            if exc.code == 404:
                return self.page(self.site.not_found(request.path), 404)
            raise
        browser = request.accept_mimetypes.best_match(["text/html", "application/sparql-results+json"]) == "text/html"
        if endpoint == "sparql" and request.method == "GET" and "query" not in request.args and browser:
            return redirect("/sparql", 303)  # a person who follows the endpoint's address gets the query form
        if endpoint in ("sparql", "store"):
            return self.proxy(request, endpoint)
        if endpoint == "update":
            return Response("This endpoint is read-only: SPARQL Update is refused.\n", status=403,
                            content_type="text/plain; charset=utf-8")
        if request.method not in ("GET", "HEAD"):
            return Response("Only GET and HEAD are allowed here.\n", status=405, headers={"Allow": "GET, HEAD"},
                            content_type="text/plain; charset=utf-8")
        if endpoint == "home":
            return self.page(self.cached("home", self.site.home))
        if endpoint == "search":
            return self.page(self.site.search_page(request.args.get("q", "")))
        if endpoint == "sparql_form":
            return self.sparql_form(request.args.get("query", ""))
        if endpoint == "queries":
            return self.page(self.site.queries_index())
        if endpoint == "query_page":
            values = dict(request.args) if "run" in request.args else None
            html = self.site.query_page(args["name"], values)
            return self.page(html) if html is not None else self.page(self.site.not_found(request.path), 404)
        if endpoint == "entity":
            return self.entity(request, args["local"])
        if endpoint == "ontology":
            return self.ontology(request)
        return self.page(self.site.not_found(request.path), 404)

    @staticmethod
    def negotiate(request: Request) -> str:
        wanted = request.args.get("format")
        if wanted in FORMAT_PARAM:
            return FORMAT_PARAM[wanted]
        return request.accept_mimetypes.best_match(OFFERED, default=HTML) or HTML

    def rdf(self, iris: list[str], media: str) -> Response:
        body = serialize(self.kg.description(iris), media)
        charset = "; charset=utf-8" if media != "application/ld+json" else ""
        return Response(body, content_type=media + charset, headers={"Vary": "Accept"})

    def entity(self, request: Request, local: str) -> Response:
        media = self.negotiate(request)
        iri = self.site_iri(local)
        if media != HTML:
            if not self.kg.has_subject(iri):
                return Response(f"Nothing in the graph is called <{iri}>.\n", status=404,
                                content_type="text/plain; charset=utf-8", headers={"Vary": "Accept"})
            return self.rdf([iri], media)
        html = self.site.entity(local)
        if html is None:
            return self.page(self.site.not_found(request.path), 404)
        response = self.page(html)
        response.headers["Vary"] = "Accept"
        return response

    @staticmethod
    def site_iri(local: str) -> str:
        from ..sources import BKD_IRI

        return BKD_IRI + local

    def ontology(self, request: Request) -> Response:
        media = self.negotiate(request)
        if media != HTML:
            from .graph import ONTOLOGY_IRI

            return self.rdf([ONTOLOGY_IRI, *self.kg.ontology_terms], media)
        response = self.page(self.cached("ontology", self.site.ontology))
        response.headers["Vary"] = "Accept"
        return response

    # ------------------------------------------------------------------------------- SPARQL
    def run_query(self, text: str):
        """Run SPARQL through the endpoint, under its deadline; a Result, or QueryError with a one-line reason."""
        import json
        from urllib.parse import urlencode

        from ..queries import QueryError, Result, literal_value

        if self.backend is None:
            return self.kg.select(text)
        try:
            status, _, body = self.backend.forward(
                "POST", "/query", b"", {"Accept": "application/sparql-results+json",
                                        "Content-Type": "application/x-www-form-urlencoded"},
                urlencode({"query": text}).encode("utf-8"))
        except DeadlineExceeded:
            raise QueryError(f"The query did not finish within the time limit of {self.timeout_s:g} s and was "
                             "cancelled.") from None
        except ConnectionError as exc:
            raise QueryError(str(exc)) from None
        if status != 200:
            raise QueryError(body.decode("utf-8", "replace").strip()[:500] or f"HTTP {status}")
        data = json.loads(body)
        if "boolean" in data:
            return Result(["result"], [{"result": bool(data["boolean"])}])
        cols = data["head"]["vars"]
        rows = [{c: (None if c not in b else b[c]["value"] if b[c]["type"] == "uri"
                     else literal_value(b[c]["value"], b[c].get("datatype"))) for c in cols}
                for b in data["results"]["bindings"]]
        return Result(cols, rows)

    def sparql_form(self, text: str) -> Response:
        """A query form whose answer is shown as a table; the query goes through the endpoint and its deadline."""
        from ..queries import QueryError

        result, error = None, None
        if text.strip():
            try:
                result = self.run_query(text)
            except QueryError as exc:
                error = str(exc)
        return self.page(self.site.sparql_page(text, result, error))

    def proxy(self, request: Request, endpoint: str) -> Response:
        if endpoint == "store" and request.method not in ("GET", "HEAD"):
            return Response("This endpoint is read-only: Graph Store writes are refused.\n", status=405,
                            headers={"Allow": "GET, HEAD"}, content_type="text/plain; charset=utf-8")
        if request.method not in ("GET", "HEAD", "POST"):
            return Response("Use GET or POST for SPARQL queries.\n", status=405, headers={"Allow": "GET, HEAD, POST"},
                            content_type="text/plain; charset=utf-8")
        if self.backend is None:
            return Response("No SPARQL server is running.\n", status=503, content_type="text/plain; charset=utf-8")
        headers = {k: v for k, v in request.headers.items() if k in ("Accept", "Content-Type")}
        try:
            status, upstream_headers, body = self.backend.forward(
                request.method, request.path, request.query_string, headers, request.get_data())
        except DeadlineExceeded:
            return Response(f"The query did not finish within the time limit of {self.timeout_s:g} s and was "
                            "cancelled. Narrow it (LIMIT, more specific patterns) or ask the server's operator to "
                            "start 'ballkg serve' with a larger --timeout.\n", status=503,
                            headers={"Retry-After": "0"}, content_type="text/plain; charset=utf-8")
        except ConnectionError as exc:
            return Response(f"{exc}\n", status=502, content_type="text/plain; charset=utf-8")
        return Response(body, status=status, headers=upstream_headers)

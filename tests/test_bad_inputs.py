"""Bad input ends in exit 2 (1 for non-conforming data) and one line naming what and where, never a traceback."""
import http.server
import json
import shutil
import threading

import pytest

from ballkg.cli import main

from conftest import free_port
from test_ingest import NEW_STUDY, PREFIXES


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if line]
    assert len(lines) == 1, err
    assert lines[0].startswith("ballkg: error: ") and "Traceback" not in err
    return lines[0]


def test_a_query_file_that_is_not_utf8(release, capsys, tmp_path):
    rq = tmp_path / "latin1.rq"
    rq.write_bytes("# a comment\nSELECT ?x WHERE { ?x ?p \"café\" }".encode("latin-1"))
    code, _, err = run(capsys, "sparql", str(rq), "--release", str(release))
    assert code == 2
    assert one_error_line(err) == f"ballkg: error: {rq}: line 2: byte 0xe9 is not UTF-8; save the query file as UTF-8"


def test_service_on_the_embedded_store_that_cannot_be_reached(release, capsys):
    dead = f"http://127.0.0.1:{free_port()}/sparql"
    code, _, err = run(capsys, "sparql", f"SELECT * WHERE {{ SERVICE <{dead}> {{ ?s ?p ?o }} }}",
                       "--release", str(release))
    assert code == 2
    assert one_error_line(err).startswith("ballkg: error: the query failed while it ran on the embedded store: ")


@pytest.mark.parametrize("argv", [["query", "agents-whose-target-internalizes"], ["sparql", "ASK { ?s ?p ?o }"]])
def test_an_endpoint_that_is_not_a_url(capsys, argv):
    code, _, err = run(capsys, *argv, "--endpoint", "notaurl")
    assert code == 2
    assert one_error_line(err).startswith("ballkg: error: --endpoint 'notaurl' is not an http(s) URL")


@pytest.fixture
def html_server():
    class Page(http.server.BaseHTTPRequestHandler):
        def _page(self):
            body = b"<html><body><h1>Welcome to our web site</h1></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _page

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", free_port()), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("argv", [["query", "agents-whose-target-internalizes"], ["sparql", "ASK { ?s ?p ?o }"],
                                  ["query", "studies-of-an-agent", "--param", "agent=blinatumomab"]])
def test_an_endpoint_that_answers_with_a_web_page(html_server, capsys, argv):
    code, _, err = run(capsys, *argv, "--endpoint", html_server)
    assert code == 2
    assert one_error_line(err).startswith(f"ballkg: error: the endpoint {html_server} did not answer with "
                                          "SPARQL JSON results")


def test_export_to_a_directory(release, capsys, tmp_path):
    code, _, err = run(capsys, "export", "-o", str(tmp_path), "--release", str(release))
    assert code == 2
    assert one_error_line(err) == (f"ballkg: error: -o {tmp_path} is a directory; name the file to write, "
                                   f"e.g. {tmp_path / 'ballkg.ttl'}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content", ["{ not json", "[]", '{"triples": 3}'])
@pytest.mark.parametrize("argv", [["query", "agents-whose-target-internalizes"], ["stats"], ["export"],
                                  ["sparql", "ASK { ?s ?p ?o }"]])
def test_a_damaged_release_manifest(release, capsys, tmp_path, content, argv):
    damaged = tmp_path / "release"
    shutil.copytree(release, damaged)
    (damaged / "manifest.json").write_text(content)
    code, out, err = run(capsys, *argv, "--release", str(damaged))
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert line.startswith(f"ballkg: error: {damaged / 'manifest.json'}: the release manifest ")
    assert line.endswith("run 'ballkg build' to write a new release")


def break_graph_file(project):
    path = project / "graph" / "cd19-agents.ttl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(20, "bkd:oops a :ClinicalTrial ; rdfs:label \"unterminated .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 21


def test_a_syntax_error_in_a_graph_file_is_named_by_validate(project_copy, capsys):
    line = break_graph_file(project_copy)
    code, _, err = run(capsys, "validate")
    assert code == 2
    assert one_error_line(err).startswith(f"ballkg: error: graph/cd19-agents.ttl: line {line}, column ")


def test_a_syntax_error_in_a_graph_file_is_named_by_build(project_copy, capsys):
    line = break_graph_file(project_copy)
    code, _, err = run(capsys, "build", "--reasoner", "none", "--no-docs")
    assert code == 2
    assert one_error_line(err).startswith(f"ballkg: error: graph/cd19-agents.ttl: line {line}, column ")
    assert not (project_copy / "release").exists()


def test_a_syntax_error_in_a_shapes_file_is_named(project_copy, capsys):
    path = sorted((project_copy / "shapes").glob("*.ttl"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n<broken\n", encoding="utf-8")
    code, _, err = run(capsys, "validate")
    assert code == 2
    assert one_error_line(err).startswith(f"ballkg: error: shapes/{path.name}: line ")


def test_an_unexpected_exception_is_one_line_and_the_traceback_only_under_debug(capsys, monkeypatch):
    import ballkg.cli as cli

    def boom(args):
        raise RuntimeError("disk on fire\nsecond line of detail")

    monkeypatch.setattr(cli, "cmd_queries", boom)
    code, _, err = run(capsys, "queries")
    assert code == 2
    assert one_error_line(err) == ("ballkg: error: unexpected failure: RuntimeError: disk on fire "
                                   "(run 'ballkg --debug ...' for the traceback)")
    code, _, err = run(capsys, "--debug", "queries")
    assert code == 2
    assert "Traceback (most recent call last)" in err and 'raise RuntimeError("disk on fire' in err
    assert err.strip().splitlines()[-1] == "ballkg: error: unexpected failure: RuntimeError: disk on fire"


@pytest.mark.parametrize("update", [
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }",
    "PREFIX bkd: <https://w3id.org/ballkg/data/>\n# remove it\nDELETE { bkd:cd19 ?p ?o } WHERE { bkd:cd19 ?p ?o }",
    "DROP ALL", "drop graph <https://example.org/g>", "LOAD <https://example.org/data.ttl>", "CLEAR DEFAULT",
    "WITH <https://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
@pytest.mark.parametrize("where", ["embedded", "endpoint"])
def test_sparql_update_says_the_graph_is_read_only_and_which_command_writes(release, capsys, update, where):
    target = ["--release", str(release)] if where == "embedded" else ["--endpoint", "http://127.0.0.1:9/sparql"]
    code, _, err = run(capsys, "sparql", update, *target)
    assert code == 2
    assert one_error_line(err) == ("ballkg: error: the graph is read-only here: SPARQL updates (INSERT, DELETE, "
                                   "LOAD, DROP, ...) are not run; 'ballkg add FILE.ttl' adds data to the graph "
                                   "(then 'ballkg build')")


def test_validate_checks_a_file_against_the_graph_it_will_join(project_copy, capsys, tmp_path):
    graph = {p: p.read_bytes() for p in (project_copy / "graph").rglob("*")}
    new = tmp_path / "new.ttl"
    new.write_text(NEW_STUDY, encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(new))
    assert code == 0 and out.strip().splitlines()[-1].startswith("conforms: 0 violation(s)")
    # a dry run of add: the graph is left byte for byte as it was
    assert {p: p.read_bytes() for p in (project_copy / "graph").rglob("*")} == graph
    # alone, the file links to nodes (agent, phase, section, review) it does not describe
    code, out, _ = run(capsys, "validate", str(new), "--standalone", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["violations"] == 6


def test_validate_reports_what_add_would_refuse(project_copy, capsys, tmp_path):
    dup = tmp_path / "dup.ttl"
    dup.write_text(PREFIXES + 'bkd:my-eliana a :ClinicalTrial ; rdfs:label "ELIANA again"@en ; '
                   ':registryId "NCT02435849" .\n', encoding="utf-8")
    code, _, err = run(capsys, "validate", str(dup))
    assert code == 1
    assert one_error_line(err).startswith("ballkg: error: 'ballkg add' would refuse this: registry id NCT02435849 "
                                          "is already the study <https://w3id.org/ballkg/data/study-eliana>")


@pytest.mark.slow
def test_a_misspelt_iri_parameter_is_an_error_through_the_endpoint_too(release, endpoint, capsys):
    argv = ["query", "studies-of-an-agent", "--param", "agent=blinatumomabb"]
    embedded = run(capsys, *argv, "--release", str(release))
    remote = run(capsys, *argv, "--endpoint", endpoint)
    assert embedded[0] == remote[0] == 2
    assert one_error_line(embedded[2]) == one_error_line(remote[2]) == (
        "ballkg: error: parameter 'agent': nothing called <https://w3id.org/ballkg/data/blinatumomabb> is in the "
        "graph; check the spelling (names are local names such as 'blinatumomab' or 'study-eliana', or full IRIs)")
    right = ["query", "studies-of-an-agent", "--param", "agent=blinatumomab", "--format", "csv"]
    code, out, _ = run(capsys, *right, "--endpoint", endpoint)
    assert code == 0 and "BLAST phase II trial of blinatumomab" in out
    assert out == run(capsys, *right, "--release", str(release))[1]


def test_the_no_java_message_names_the_real_flag(monkeypatch, capsys, project_copy):
    import ballkg.reason as reason
    from ballkg.cli import build_parser

    monkeypatch.setattr(reason.shutil, "which", lambda name: None)
    with pytest.raises(reason.ReasonerUnavailable) as info:
        reason.run_hermit(reason.rdflib.Graph())
    assert "--reasoner none" in str(info.value) and "--no-reason " not in str(info.value)
    assert build_parser().parse_args(["build", "--reasoner", "none"]).reasoner == "none"


def test_query_text_too_long_for_a_file_name_is_taken_as_a_query(release, capsys):
    text = "ASK { ?s ?p ?o " + "FILTER(true) " * 40 + "}"
    code, out, _ = run(capsys, "sparql", text, "--release", str(release))
    assert code == 0 and "True" in out

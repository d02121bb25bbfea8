"""`ballkg serve`: a real SPARQL 1.1 endpoint with the same answers as the embedded engine; read-only, bounded, pushable;
clear errors on a busy port; stops its Oxigraph server on SIGINT and SIGTERM."""
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from ballkg.api import run_stored
from ballkg.queries import catalogue, run_on_endpoint
from ballkg.serve import oxigraph_command, push

from conftest import free_port, start_ballkg_serve, stop, wait_until_up


@pytest.fixture
def writable_store():
    """A second, independent read-write Oxigraph server (in memory) to push into."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_command(), "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/query", proc)
    yield base
    stop(proc)


def normalised(result):
    return sorted(tuple(str(row[c]) for c in result.columns) for row in result.rows), result.columns


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_stored_query_gives_the_same_answer_through_sparqlwrapper(release, endpoint, name):
    embedded = run_stored(name, release_dir=release, rebuild=False)
    remote = run_stored(name, endpoint=endpoint)
    assert normalised(remote) == normalised(embedded)
    assert remote.labels == embedded.labels


def test_the_endpoint_refuses_sparql_update(endpoint):
    update_url = endpoint.replace("/query", "/update")
    r = requests.post(update_url, data={"update": "INSERT DATA { <http://ex.org/a> <http://ex.org/b> <http://ex.org/c> }"},
                      timeout=10)
    assert r.status_code >= 400
    ask = run_on_endpoint(endpoint, "ASK { <http://ex.org/a> ?p ?o }")
    assert ask.rows == [{"result": False}]


def test_the_endpoint_refuses_graph_store_writes(endpoint):
    store_url = endpoint.replace("/query", "/store")
    r = requests.post(store_url, params={"default": ""}, data="<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> .",
                      headers={"Content-Type": "application/n-triples"}, timeout=10)
    assert r.status_code >= 400


def oxigraph_children(pid: int) -> list[int]:
    """Process ids of the Oxigraph servers that a `ballkg serve` process started."""
    kids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids += [int(k) for k in (task / "children").read_text().split()]
    return [k for k in kids if "oxigraph" in Path(f"/proc/{k}/cmdline").read_bytes().decode(errors="replace")]


def pid_alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_runaway_query_gets_a_clear_error_within_the_timeout_and_the_server_recovers(release):
    port = free_port()
    proc = start_ballkg_serve(release, port, timeout_s=2, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_up(url, proc)
        first_child = oxigraph_children(proc.pid)
        assert len(first_child) == 1
        for accept in ("application/sparql-results+json", "text/csv"):
            start = time.monotonic()
            r = requests.get(url, params={"query": RUNAWAY}, headers={"Accept": accept}, timeout=60)
            elapsed = time.monotonic() - start
            assert r.status_code == 503
            assert "did not finish within the time limit of 2 s" in r.text
            assert 2 <= elapsed < 2 + 1.5  # the timeout plus a small margin, never Oxigraph's 2x or minutes
        # the Oxigraph process stuck on the abandoned query is replaced and stopped; the endpoint answers again
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (pid_alive(first_child[0]) or len(oxigraph_children(proc.pid)) != 1):
            time.sleep(0.2)
        assert not pid_alive(first_child[0])
        assert len(oxigraph_children(proc.pid)) == 1
        ask = run_on_endpoint(url, "ASK { <https://w3id.org/ballkg/data/cd22> ?p ?o }")
        assert ask.rows == [{"result": True}]
    finally:
        stop(proc)


def test_serve_on_a_busy_port_is_a_one_line_error_with_exit_2(release):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = start_ballkg_serve(release, port, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert out == ""
    assert err.strip().splitlines() == [err.strip()]
    assert err.startswith(f"ballkg: error: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in err and "panicked" not in err


def test_sigterm_stops_serve_and_its_oxigraph_server(release):
    port = free_port()
    proc = start_ballkg_serve(release, port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/query", proc)
        children = oxigraph_children(proc.pid)
        assert len(children) == 1
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and pid_alive(children[0]):
            time.sleep(0.1)
        assert not pid_alive(children[0])
    finally:
        if proc.poll() is None:
            proc.kill()


def test_push_loads_the_release_into_another_store_and_the_triples_read_back(release, writable_store):
    import rdflib

    status = push(writable_store + "/store", release / "ballkg.ttl", graph="https://w3id.org/ballkg/release")
    assert status < 300
    count = run_on_endpoint(writable_store + "/query",
                            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/ballkg/release> { ?s ?p ?o } }")
    assert count.rows[0]["n"] == len(rdflib.Graph().parse(release / "ballkg.ttl"))
    back = run_on_endpoint(writable_store + "/query",
                           "SELECT ?l WHERE { GRAPH ?g { <https://w3id.org/ballkg/data/cd22> "
                           "<http://www.w3.org/2000/01/rdf-schema#label> ?l } }")
    assert back.rows == [{"l": "CD22"}]


def test_push_through_the_cli_into_the_default_graph(release, writable_store, capsys):
    from ballkg.cli import main

    assert main(["push", writable_store + "/store", "--release", str(release)]) == 0
    assert "pushed the release into the default graph" in capsys.readouterr().out
    ask = run_on_endpoint(writable_store + "/query", "ASK { <https://w3id.org/ballkg/data/blinatumomab> ?p ?o }")
    assert ask.rows == [{"result": True}]


def test_push_to_a_dead_url_fails_clearly(release, capsys):
    from ballkg.cli import main

    assert main(["push", f"http://127.0.0.1:{free_port()}/store", "--release", str(release)]) == 2
    assert "push to http://127.0.0.1" in capsys.readouterr().err


def test_cli_query_with_endpoint_prints_the_same_table_as_embedded(release, endpoint, capsys):
    from ballkg.cli import main

    main(["query", "agents-whose-target-internalizes", "--release", str(release), "--format", "csv"])
    embedded = capsys.readouterr().out
    main(["query", "agents-whose-target-internalizes", "--endpoint", endpoint, "--format", "csv"])
    assert capsys.readouterr().out == embedded


def test_ballkg_serve_prints_the_url_binds_loopback_and_stops_on_ctrl_c(release):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ballkg.cli", "serve", "--port", str(port), "--release", str(release)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/query" in line and f"http://127.0.0.1:{port}/ " in line
        wait_until_up(f"http://127.0.0.1:{port}/query", proc)
        children = oxigraph_children(proc.pid)
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"ballkg serve did not stop on SIGINT; its stderr: {proc.communicate()[1][-2000:]}")
        assert code == 0
        assert not any(pid_alive(c) for c in children)
    finally:
        if proc.poll() is None:
            proc.kill()

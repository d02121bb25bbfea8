"""Parity on an existing big store: the release pushed into Virtuoso Open Source 7 answers every stored query
exactly as the embedded store does (same rows, same order, same labels), through `ballkg query --endpoint`.

Virtuoso runs from a copy of the packaged virtuoso.ini in a temporary folder, on free loopback ports, and is
stopped after the module. scripts/setup.sh installs the Debian package `virtuoso-opensource` for the tests.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from ballkg.cli import main
from ballkg.queries import catalogue, run_on_endpoint

from conftest import free_port, stop

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
GRAPH = "https://w3id.org/ballkg/release"
QUERIES = sorted(catalogue())


def virtuoso_ini(packaged: str, folder: Path, sql_port: int, http_port: int) -> str:
    """The packaged configuration with its database in `folder` and both servers on loopback ports."""
    text = packaged.replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    text = re.sub(r"(?m)^(ServerPort\s*=\s*)1111\b", rf"\g<1>127.0.0.1:{sql_port}", text)
    text = re.sub(r"(?m)^(ServerPort\s*=\s*)8890\b", rf"\g<1>127.0.0.1:{http_port}", text)
    assert f"127.0.0.1:{sql_port}" in text and f"127.0.0.1:{http_port}" in text, "unexpected virtuoso.ini layout"
    return text


def wait_for_http(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {proc.returncode}")
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A fresh Virtuoso whose anonymous SPARQL user may write through the Graph Store protocol."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not (server and isql and PACKAGED_INI.is_file()):
        pytest.fail("Virtuoso Open Source 7 is not installed: run BALLKG_SETUP=test bash scripts/setup.sh "
                    "(Debian package virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(PACKAGED_INI.read_text(), folder, sql_port, http_port))
    log = (folder / "console.log").open("w")
    proc = subprocess.Popen([server, "-f", "-c", str(ini)], cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_for_http(base + "/sparql", proc)
        # The Graph Store endpoint runs as the SQL user "SPARQL", which may only read until granted updates.
        grant = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                               check=False, capture_output=True, text=True, timeout=60)
        assert grant.returncode == 0, grant.stdout + grant.stderr
        yield base
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="module")
def loaded(virtuoso, release):
    """The release (with the reasoner's inferences, like the embedded store) pushed with `ballkg push`."""
    assert main(["push", virtuoso + "/sparql-graph-crud", "--graph", GRAPH, "--inferred",
                 "--release", str(release)]) == 0
    return virtuoso + "/sparql"


def test_push_loads_every_triple_of_the_release(loaded, release_store):
    count = run_on_endpoint(loaded, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    assert count.rows[0]["n"] == len(release_store)


@pytest.mark.parametrize("name", QUERIES)
def test_every_stored_query_gives_the_same_answer_on_virtuoso(loaded, release, name, capsys):
    assert main(["query", name, "--release", str(release), "--format", "json"]) == 0
    embedded = capsys.readouterr().out
    assert main(["query", name, "--endpoint", loaded, "--format", "json"]) == 0
    assert capsys.readouterr().out == embedded



def test_labels_of_a_large_answer_are_fetched_in_batches(loaded, tmp_path):
    """Virtuoso refuses one VALUES block of ten thousand IRIs (SP030); the client asks in batches."""
    from ballkg.serve import push

    many = tmp_path / "many.nt"
    many.write_text("".join(f'<https://example.org/thing/{i}> <http://www.w3.org/2000/01/rdf-schema#label> "thing {i}" .\n'
                            for i in range(10_000)))
    push(loaded.replace("/sparql", "/sparql-graph-crud"), many, graph="https://example.org/many")
    result = run_on_endpoint(loaded, "SELECT ?s WHERE { GRAPH <https://example.org/many> { ?s ?p ?l } }")
    assert len(result.rows) == 10_000
    assert result.labels == {r["s"]: "thing " + r["s"].rsplit("/", 1)[1] for r in result.rows}


def test_a_joined_list_of_iris_is_text_not_an_iri_to_label(loaded):
    result = run_on_endpoint(loaded, "SELECT (GROUP_CONCAT(STR(?s); separator='; ') AS ?all) WHERE { VALUES ?s { "
                                     "<https://w3id.org/ballkg/data/cd19> <https://w3id.org/ballkg/data/cd22> } }")
    assert result.labels == {} and result.rows[0]["all"].count("https://") == 2

"""The command line: every command, its exit codes, and clear errors for bad arguments and input."""
import json
import subprocess
import sys

import pytest

from ballkg.cli import build_parser, main

COMMANDS = ["build", "validate", "add", "queries", "query", "sparql", "export", "stats", "serve", "push"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "usage: ballkg " + command in capsys.readouterr().out


def test_the_console_script_is_installed_and_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "ballkg.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for command in COMMANDS:
        assert command in out.stdout


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["frobnicate"])
    assert exit_.value.code == 2


def test_query_prints_the_internalizing_target_answer(release, capsys):
    code, out, _ = run(capsys, "query", "agents-whose-target-internalizes", "--release", str(release), "--format", "csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "agent,antigen,modality"
    assert "inotuzumab ozogamicin,CD22,antibody-drug conjugate" in lines
    assert "blinatumomab,CD19,bispecific T-cell engager" in lines


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_formats(release, capsys, fmt):
    code, out, _ = run(capsys, "query", "agents-whose-target-internalizes", "--release", str(release), "--format", fmt)
    assert code == 0
    if fmt == "json":
        rows = json.loads(out)
        ino = [r for r in rows if r["agent"]["label"] == "inotuzumab ozogamicin"]
        assert ino and ino[0]["antigen"]["label"] == "CD22"
    elif fmt == "table":
        assert "inotuzumab ozogamicin" in out and "row" in out.splitlines()[-1]
    else:
        sep = "," if fmt == "csv" else "\t"
        assert out.splitlines()[0] == sep.join(["agent", "antigen", "modality"])


def test_unknown_query_name_suggests_close_names(release, capsys):
    code, _, err = run(capsys, "query", "agents-whose-target-internalize", "--release", str(release))
    assert code == 2
    assert "no stored query named 'agents-whose-target-internalize'" in err
    assert "agents-whose-target-internalizes" in err


def test_query_name_with_path_characters_is_refused(release, capsys):
    code, _, err = run(capsys, "query", "../graph/source", "--release", str(release))
    assert code == 2 and "not a stored query name" in err


def test_bad_param_syntax_and_unknown_param_are_usage_errors(release, capsys):
    code, _, err = run(capsys, "query", "agents-whose-target-internalizes", "--param", "nonsense", "--release", str(release))
    assert code == 2 and "KEY=VALUE" in err
    code, _, err = run(capsys, "query", "agents-whose-target-internalizes", "--param", "x=1", "--release", str(release))
    assert code == 2 and "has no parameter x" in err


def test_sparql_runs_ad_hoc_queries_and_rejects_bad_syntax(release, capsys, tmp_path):
    code, out, _ = run(capsys, "sparql", "SELECT ?l WHERE { <https://w3id.org/ballkg/data/cd22> "
                       "<http://www.w3.org/2000/01/rdf-schema#label> ?l }", "--release", str(release), "--format", "csv")
    assert code == 0 and out.strip().splitlines() == ["l", "CD22"]
    rq = tmp_path / "ask.rq"
    rq.write_text("ASK { <https://w3id.org/ballkg/data/cd19> ?p ?o }")
    code, out, _ = run(capsys, "sparql", str(rq), "--release", str(release), "--format", "csv")
    assert code == 0 and out.strip().splitlines() == ["result", "True"]
    code, _, err = run(capsys, "sparql", "SELECT WHERE {", "--release", str(release))
    assert code == 2 and "not valid SPARQL" in err


def test_export_writes_each_format_atomically(release, capsys, tmp_path):
    import rdflib

    formats = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "owl": "xml"}
    sizes = set()
    for fmt, parser in formats.items():
        target = tmp_path / f"out.{fmt}"
        code, _, _ = run(capsys, "export", "--format", fmt, "-o", str(target), "--release", str(release))
        assert code == 0
        sizes.add(len(rdflib.Graph().parse(target, format=parser)))
    assert len(sizes) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_stats_reports_the_counts(release, capsys):
    code, out, _ = run(capsys, "stats", "--release", str(release))
    assert code == 0
    for word in ("agents", "studies", "arms", "outcome measurements", "adverse event reports", "discrepancies",
                 "sources"):
        assert word in out


def test_commands_refuse_a_missing_release_with_advice(tmp_path, capsys):
    for argv in (["query", "agents-whose-target-internalizes"], ["stats"], ["export"], ["serve"]):
        code, _, err = run(capsys, *argv, "--release", str(tmp_path / "nowhere"))
        assert code == 2 and "run 'ballkg build'" in err, argv


def test_validate_project_graph_conforms(capsys):
    code, out, _ = run(capsys, "validate")
    assert code == 0 and out.strip().splitlines()[-1].startswith("conforms")


def test_build_reports_a_summary(project_copy, tmp_path, capsys):
    code, out, _ = run(capsys, "build", "--release", str(tmp_path / "rel"), "--no-docs", "--reasoner", "none")
    assert code == 0
    assert out.startswith("built ") and "triples" in out and "stored queries" in out

"""The scale benchmark runs end to end in quick mode and reports every figure."""
import subprocess
import sys
from pathlib import Path

from ballkg.queries import catalogue

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_reports_every_figure(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(tmp_path / "b.json")],
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    table = out.stdout
    for figure in ("triples", "build_parse_s", "build_validate_s", "build_reason_s", "build_write_s", "build_total_s",
                   "build_peak_mb", "store_load_s", "add_one_study_s", "growth exp."):
        assert figure in table, figure
    for name in catalogue():
        for label in ("embedded first 100 rows ms", "endpoint first 100 rows ms", "embedded row count ms", "rows"):
            assert f"{label}: {name} " in table, (label, name)
    import json

    results = json.loads((tmp_path / "b.json").read_text())
    assert [r["n"] for r in results] == [5, 20]
    assert all(r["add_conforms"] for r in results)
    assert results[1]["triples"] > results[0]["triples"]
    # the row count is the length of the whole answer, and a page holds at most 100 rows of it
    assert all(r["embedded_rows"] == r["endpoint_rows"] for r in results)
    assert results[1]["embedded_rows"]["patient-populations-of-each-study"] > results[0]["embedded_rows"][
        "patient-populations-of-each-study"]


def test_a_stage_to_skip_must_be_one_the_benchmark_has():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "5", "--skip", "queries,build"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines()[-1].endswith("--skip takes queries, endpoint and add, not build")

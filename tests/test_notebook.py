"""The researcher's notebook runs top to bottom against `ballkg serve`, shows the expected answers, and the outputs
committed with it (tables and plots visible without running it) are what this fresh run produces."""
import importlib.util
import json
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("notebook_script", ROOT / "scripts" / "notebook.py")
notebook_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(notebook_script)


def test_the_notebook_executes_its_key_outputs_hold_and_the_committed_outputs_are_current(release, endpoint):
    nb = notebook_script.execute(release, endpoint)
    texts = [o.get("text", "") for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    line = next(l for t in texts for l in t.splitlines() if l.startswith("SUMMARY "))
    summary = json.loads(line[len("SUMMARY "):])
    assert summary["endpoint_matches_embedded"] is True
    assert summary["endpoint_triples"] == summary["triples"]
    assert summary["car_t_trials"] == 8
    assert summary["modalities_plotted"] == ["CAR T-cell product", "antibody-drug conjugate", "bispecific T-cell engager",
                                             "naked monoclonal antibody"]
    assert summary["toxicity_modalities"] == ["CAR T-cell product", "antibody-drug conjugate", "bispecific T-cell engager",
                                              "naked monoclonal antibody"]
    assert "https://w3id.org/ballkg/data/inotuzumab-ozogamicin" in summary["internalizing_agents"]
    images = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert len(images) >= 2

    committed = nbformat.read(notebook_script.NOTEBOOK, as_version=4)
    stored, fresh = notebook_script.comparable(committed), notebook_script.comparable(nb)
    assert all(cell["outputs"] for cell in stored), f"the notebook is committed without outputs: {notebook_script.REGENERATE}"
    for old, new in zip(stored, fresh):
        assert old == new, f"cell {new['cell']}: the committed outputs differ from a fresh run: {notebook_script.REGENERATE}"
    assert len(stored) == len(fresh), f"the committed notebook has other cells: {notebook_script.REGENERATE}"


def test_comparison_ignores_what_varies_and_sees_what_matters():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="a warning\n"),
                    nbformat.v4.new_output("display_data", data={"image/png": "AAAA", "text/plain": "<Figure>"})]
    cell.execution_count = 3
    nb.cells.append(cell)
    same = nbformat.from_dict(json.loads(json.dumps(nb)))
    same.cells[0].execution_count = 9
    same.cells[0].outputs[1]["text"] = "another warning\n"
    same.cells[0].outputs[2]["data"]["image/png"] = "BBBB"
    assert notebook_script.comparable(same) == notebook_script.comparable(nb)
    changed = nbformat.from_dict(json.loads(json.dumps(nb)))
    changed.cells[0].outputs[0]["text"] = "2\n"
    assert notebook_script.comparable(changed) != notebook_script.comparable(nb)
    no_plot = nbformat.from_dict(json.loads(json.dumps(nb)))
    del no_plot.cells[0].outputs[2]["data"]["image/png"]
    assert notebook_script.comparable(no_plot) != notebook_script.comparable(nb)

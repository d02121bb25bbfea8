"""The researcher's notebook runs top to bottom against a real endpoint and shows the expected answers."""
import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "ballkg-tour.ipynb"


def test_the_notebook_executes_and_its_key_outputs_hold(release, endpoint, monkeypatch, tmp_path):
    monkeypatch.setenv("BALLKG_RELEASE", str(release))
    monkeypatch.setenv("BALLKG_ENDPOINT", endpoint)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
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

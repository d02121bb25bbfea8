"""`ballkg export --format html -o DIR`: the pages of `ballkg serve` as a static site with relative links."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..queries import catalogue
from ..sources import BKD_IRI
from .graph import KG
from .site import Site


def export_site(kg: KG, out_dir: Path) -> int:
    """Write every page under out_dir (replacing it as a whole, atomically); returns the number of pages."""
    site = Site(kg, static=True)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir} exists and is not a folder")
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent if out_dir.parent.exists() else None))
    pages = {"index.html": site.home(), "ontology.html": site.ontology(), "search.html": site.search_page(""),
             "queries/index.html": site.queries_index()}
    for name in catalogue():
        pages[f"queries/{name}.html"] = site.query_page(name, None) or ""
    for iri in kg.data_entities:
        local = iri[len(BKD_IRI):]
        if "/" in local or not local:
            continue
        html = site.entity(local)
        if html is not None:
            pages[f"data/{local}.html"] = html
    try:
        for rel, html in pages.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        os.chmod(tmp, 0o755)
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
            tmp.rename(out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return len(pages)

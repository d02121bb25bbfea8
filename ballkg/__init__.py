"""ballkg: a curated knowledge graph of immunotherapy for adult B-lineage ALL.

Notebook API: `ballkg.load()`, `ballkg.query(name, **params)`, `ballkg.sparql(query_or_name, endpoint=None, **params)`,
`ballkg.count(name, **params)`.
They are imported on first use so that the command line starts fast.
"""
__version__ = "0.1.0"
__all__ = ["load", "query", "count", "sparql"]


def __getattr__(name):
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'ballkg' has no attribute {name!r}")

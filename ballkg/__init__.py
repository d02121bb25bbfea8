"""ballkg: a curated knowledge graph of immunotherapy for adult B-lineage ALL."""

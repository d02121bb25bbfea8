"""Mutation test of the numbers in the SHACL shapes.

Every numeric literal of shapes/*.ttl outside labels and messages (sh:minInclusive bounds, sh:maxCount,
constants in SPARQL constraints such as the rounding tolerance) is changed in turn (n -> n + 1, and a
decimal d -> d + 2.5). A mutant is killed when the suite's checks of the shapes notice it: a bound no longer
agrees with its message (test_guards.py, checked first because it is instant), a shape fixture of
tests/fixtures/shapes/ no longer gives exactly its expected results (test_shapes.py), the curated graph no
longer conforms (the build), or the rounding tolerance of percentages moves (test_guards.py). Prints each
survivor and the score.

    .venv/bin/python scripts/mutate_shapes.py [--counts] [--limit N]   # at most N mutants, evenly spread
"""
from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"(?<![\w.#:/\-\"'])(\d+\.\d+|\d+)(?![\w\-])")
SKIP_LINE = re.compile(r"sh:message|rdfs:label|rdfs:comment|sh:description|skos:|dcterms:|^\s*#")


COUNTS = re.compile(r"sh:(min|max|qualifiedMin|qualifiedMax)Count\s*$")


def candidates(counts: bool = False) -> list[tuple[Path, int, int, str]]:
    """(file, line index, column, literal) of every number a shape uses as a value (and, with counts, as a
    cardinality: sh:minCount and sh:maxCount, most of them 1)."""
    out = []
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if SKIP_LINE.search(line) or "http" in line and "sh:pattern" not in line and "FILTER" not in line:
                continue
            if "sh:pattern" in line:  # digits in a regular expression are quantifiers, not values
                continue
            for m in NUMBER.finditer(line):
                if counts or not COUNTS.search(line[:m.start()]):
                    out.append((path, i, m.start(), m.group(1)))
    return out


def mutate(value: str) -> str:
    return str(Decimal(value) + Decimal("2.5")) if "." in value else str(int(value) + 1)


def rounding_rule_holds(test_guards) -> bool:
    import tempfile

    import pytest

    for mark in test_guards.test_the_percentage_rule_allows_rounding_and_nothing_more.pytestmark:
        for value, conforms in mark.args[1]:
            try:
                test_guards.test_the_percentage_rule_allows_rounding_and_nothing_more(
                    Path(tempfile.mkdtemp()), value, conforms)
            except (AssertionError, pytest.fail.Exception):
                return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="run at most this many mutants (evenly spread)")
    parser.add_argument("--counts", action="store_true", help="also mutate sh:minCount/sh:maxCount values")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    import rdflib
    import test_guards
    import test_shapes as ts

    import ballkg.validate
    from ballkg import sources
    from ballkg.validate import validate

    curated = sources.load_instances()
    ontology = ts.ontology_graph()
    fixtures = [ts.load_fixture(p) for p in ts.FIXTURES]
    found = candidates(args.counts)
    step = max(1, len(found) // args.limit) if args.limit else 1
    chosen = found[::step][: args.limit or None]
    killed, survivors = 0, []
    for n, (path, line_no, col, value) in enumerate(chosen, 1):
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[line_no] = lines[line_no][:col] + mutate(value) + lines[line_no][col + len(value):]
        shapes = rdflib.Graph()
        try:
            for other in sorted((ROOT / "shapes").glob("*.ttl")):
                text = "\n".join(lines) if other == path else other.read_text(encoding="utf-8")
                shapes.parse(data=text, format="turtle")
        except Exception:  # the mutant is not even Turtle: any build would stop on it
            killed += 1
            continue
        ballkg.validate.load_shapes = lambda shapes=shapes: shapes
        try:
            test_guards.test_every_numeric_bound_of_a_shape_is_the_one_its_message_tells_the_curator()
            message_ok = True
        except AssertionError:
            message_ok = False
        ts.shapes_graph = lambda shapes=shapes: shapes
        ts.batch_results.cache_clear()
        fixture_ok = curated_ok = message_ok
        if message_ok:
            try:
                results = ts.batch_results("turbo")
                fixture_ok = all(results[f.name] == set(f.expected) for f in fixtures)
                curated_ok = validate(curated, shapes=shapes, ontology=ontology).conforms
            except Exception:  # the mutated shapes break the validator: a test fails
                fixture_ok = curated_ok = False
        if fixture_ok and curated_ok and ("FILTER" in lines[line_no] or "BIND" in lines[line_no]):
            curated_ok = rounding_rule_holds(test_guards)
        where = f"{path.relative_to(ROOT)}:{line_no + 1}: {value} -> {mutate(value)}: {lines[line_no].strip()[:90]}"
        if fixture_ok and curated_ok:
            survivors.append(where)
            print(f"[{n}/{len(chosen)}] SURVIVED {where}", flush=True)
        else:
            killed += 1
            print(f"[{n}/{len(chosen)}] killed   {where}", flush=True)
    total = len(chosen)
    print(f"\nshapes mutation score: {killed}/{total} killed ({100 * killed / max(total, 1):.0f}%); "
          f"{len(found)} numeric literals, {total} mutated")
    for s in survivors:
        print("  survivor:", s)
    return 0


if __name__ == "__main__":
    sys.exit(main())

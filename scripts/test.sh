#!/usr/bin/env bash
# Set up and run the whole test suite. pytest's "no tests collected" (exit 5) counts as a failure.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BALLKG_SETUP=test bash scripts/setup.sh || exit $?
.venv/bin/python -m pytest "$@"
code=$?
if [ "$code" -eq 5 ]; then
  echo "test.sh: pytest collected no tests; that is a failure here" >&2
  exit 1
fi
exit "$code"

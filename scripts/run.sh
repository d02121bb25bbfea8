#!/usr/bin/env bash
# The main job on a fresh machine: set up, build the release, and answer a stored query.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
.venv/bin/ballkg build
.venv/bin/ballkg query agents-whose-target-internalizes

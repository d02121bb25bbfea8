#!/usr/bin/env bash
# Shared set-up for scripts/run.sh and scripts/test.sh: system packages (Java for HermiT, Debian's OWL API
# for the Protege-compatibility test) and a virtual environment with the project installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
if [ "${BALLKG_SETUP:-}" = "test" ] && ! ls /usr/share/java/owlapi-distribution*.jar >/dev/null 2>&1; then
  need_apt+=(libowlapi-java)
fi
# the browser tests drive Debian's headless Chromium through Playwright (no browser download)
if [ "${BALLKG_SETUP:-}" = "test" ] && ! command -v chromium >/dev/null 2>&1; then
  need_apt+=(chromium)
fi
# Virtuoso Open Source 7 for the store-parity tests (tests/test_virtuoso.py)
if [ "${BALLKG_SETUP:-}" = "test" ] && ! command -v virtuoso-t >/dev/null 2>&1; then
  need_apt+=(virtuoso-opensource)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = none ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: please install ${need_apt[*]} (Debian package names) and run again" >&2
    exit 2
  fi
  echo "setup: installing ${need_apt[*]} with apt-get" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
extras="[docs]"  # `ballkg build` writes the HTML documentation by default
[ "${BALLKG_SETUP:-}" = "test" ] && extras="[test]"
.venv/bin/python -m pip install -q -e ".${extras}"

"""The code stays lint-clean and type-clean: ruff and mypy (configured in pyproject.toml) report nothing."""
import subprocess
import sys

from ballkg import sources


def run_tool(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *argv], cwd=sources.PACKAGE_ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    done = run_tool("ruff", "check", "--no-cache", "--output-format", "concise")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing():
    done = run_tool("mypy")
    assert done.returncode == 0, done.stdout + done.stderr

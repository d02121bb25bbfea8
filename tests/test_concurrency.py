"""Several writers at once lose nothing: concurrent `ballkg add`, a writer killed mid-write, a build
racing an add, and readers during a release swap."""
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib

from test_ingest import NEW_STUDY

BK = rdflib.Namespace("https://w3id.org/ballkg/ontology#")
BKD = rdflib.Namespace("https://w3id.org/ballkg/data/")
N = 8


def study(k: int, registry: str | None = None, iri: str | None = None) -> str:
    """NEW_STUDY under its own IRIs (study-user-trial-K ...) and registry id."""
    name = iri or f"user-trial-{k}"
    return (NEW_STUDY.replace("study-user-trial", f"study-{name}").replace("arm-user-trial", f"arm-{name}")
            .replace("om-user-trial-cr", f"om-{name}-cr").replace("NCT09999999", registry or f"NCT0990{k:04d}")
            .replace("a user's blinatumomab trial", f"user trial {name}")
            .replace("blinatumomab arm of the user's trial", f"arm of user trial {name}")
            .replace("user's trial: complete remission", f"user trial {name}: complete remission"))


def digest(project: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((project / "graph").iterdir())}


def start_add(path: Path, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ballkg.cli", "add", str(path), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(procs) -> list[tuple[int, str, str]]:
    return [(p.wait(timeout=900), *p.communicate()) for p in procs]


def studies_in(project: Path) -> dict[str, str]:
    """registry id -> study IRI of every study in graph/additions.ttl."""
    g = rdflib.Graph().parse(project / "graph" / "additions.ttl")
    return {str(o): str(s) for s, o in g.subject_objects(BK.registryId)}


@pytest.fixture
def patient_lock(monkeypatch):
    # eight validations run one after the other on a shared machine: give the queue time
    monkeypatch.setenv("BALLKG_LOCK_TIMEOUT", "900")


@pytest.mark.slow
def test_concurrent_adds_of_distinct_studies_all_land(project_copy, tmp_path, patient_lock):
    files = []
    for k in range(N):
        files.append(tmp_path / f"study-{k}.ttl")
        files[-1].write_text(study(k), encoding="utf-8")
    results = finish([start_add(f) for f in files])
    for code, out, err in results:
        assert code == 0, err
        assert out.startswith("added 27 triple(s) to additions.ttl; conforms"), out
        assert "Traceback" not in err
    assert studies_in(project_copy) == {f"NCT0990{k:04d}": str(BKD[f"study-user-trial-{k}"]) for k in range(N)}


@pytest.mark.slow
def test_concurrent_adds_of_the_same_study_leave_exactly_one(project_copy, tmp_path, patient_lock):
    # the same trial (one registry id): half the curators use the same file, half name the study differently
    files = []
    for k in range(N):
        files.append(tmp_path / f"same-{k}.ttl")
        files[-1].write_text(study(k, registry="NCT09990000", iri="user-trial" if k % 2 else f"user-trial-{k}"),
                             encoding="utf-8")
    results = finish([start_add(f) for f in files])
    winners = [i for i, (code, _, _) in enumerate(results) if code == 0]
    assert len(winners) == 1, results
    kept = studies_in(project_copy)
    assert list(kept) == ["NCT09990000"]
    winner_iri = kept["NCT09990000"]
    assert results[winners[0]][1].startswith("added 27 triple(s)")
    for i, (code, out, err) in enumerate(results):
        if i in winners:
            continue
        assert code == 1 and out == "" and "Traceback" not in err
        last = err.strip().splitlines()[-1]
        assert last.startswith("ballkg: error: nothing was added: ")
        mine = str(BKD["study-user-trial" if i % 2 else f"study-user-trial-{i}"])
        if mine == winner_iri:
            assert f"<{mine}> is already in the graph" in last
        else:
            assert f"registry id NCT09990000 is already the study <{winner_iri}>" in last
    g = rdflib.Graph().parse(project_copy / "graph" / "additions.ttl")
    assert len(set(g.subjects(rdflib.RDF.type, BK.ClinicalTrial))) == 1


KILLABLE = """
import os, pathlib, sys, time
signal_file = pathlib.Path(sys.argv[1])
stage = sys.argv[2]
real_fsync, real_replace = os.fsync, os.replace
def pause():
    signal_file.write_text("now")
    time.sleep(600)
def fsync(fd):
    real_fsync(fd)
    if stage == "written":
        pause()
def replace(a, b):
    real_replace(a, b)
    if stage == "replaced":
        pause()
os.fsync, os.replace = fsync, replace
from ballkg.cli import main
sys.exit(main(["add", sys.argv[3]]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["written", "replaced"])
def test_a_writer_killed_mid_write_leaves_the_sources_before_or_after(project_copy, tmp_path, stage):
    first = tmp_path / "first.ttl"
    first.write_text(study(1), encoding="utf-8")
    assert subprocess.run([sys.executable, "-m", "ballkg.cli", "add", str(first)], capture_output=True).returncode == 0
    before = digest(project_copy)
    new = tmp_path / "new.ttl"
    new.write_text(study(2), encoding="utf-8")
    flag = tmp_path / "flag"
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE, str(flag), stage, str(new)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 600
    while not flag.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    assert flag.exists(), "the writer never reached the point where it is killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    after = {k: v for k, v in digest(project_copy).items() if not k.startswith(".")}
    if stage == "written":  # the new file was complete on disk but not yet renamed into place: before
        assert after == before
        assert set(studies_in(project_copy)) == {"NCT09900001"}
    else:                   # renamed into place: after, with both studies whole
        assert set(after) == set(before) and after["additions.ttl"] != before["additions.ttl"]
        assert set(studies_in(project_copy)) == {"NCT09900001", "NCT09900002"}
    # the killed writer's lock is gone and its temporary file is cleaned up by the next add
    third = tmp_path / "third.ttl"
    third.write_text(study(3), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "ballkg.cli", "add", str(third)], capture_output=True, text=True,
                          env={**os.environ, "BALLKG_LOCK_TIMEOUT": "5"})
    assert done.returncode == 0, done.stderr
    assert not [p for p in (project_copy / "graph").iterdir() if p.name.startswith(".")]
    assert "NCT09900003" in studies_in(project_copy)


def test_an_add_waits_for_the_lock_and_gives_up_with_a_clear_message(project_copy, tmp_path, capsys, monkeypatch):
    from ballkg.cli import main
    from ballkg.lock import lock_path

    new = tmp_path / "new.ttl"
    new.write_text(study(1), encoding="utf-8")
    before = digest(project_copy)
    # another process (here a child holding an flock) is building
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
        "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, b'ballkg build (process 4242)'); "
        "print('locked', flush=True); time.sleep(600)"), str(lock_path())], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setenv("BALLKG_LOCK_TIMEOUT", "0.5")
        assert main(["add", str(new)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err[0] == "ballkg: waiting for ballkg build (process 4242) to finish ..."
        assert err[-1].startswith("ballkg: error: .ballkg.lock: the sources are in use by ballkg build (process 4242)")
        assert "nothing was changed" in err[-1] and len(err) == 2
        assert digest(project_copy) == before
    finally:
        holder.kill()
        holder.wait()
    assert main(["add", str(new)]) == 0


def _fake_release(path: Path, tag: str) -> Path:
    (path / "store").mkdir(parents=True)
    (path / "manifest.json").write_text(tag)
    return path


def test_readers_see_the_old_or_the_new_release_at_every_step_of_the_swap(tmp_path, monkeypatch):
    from ballkg import build as build_module

    release = tmp_path / "release"
    seen = []

    def check(*_):
        manifest = release / "manifest.json"
        seen.append(manifest.read_text() if manifest.is_file() and (release / "store").is_dir() else None)

    real_rename, real_replace = Path.rename, os.replace

    def rename(self, target):
        out = real_rename(self, target)
        check()
        return out

    def replace(a, b):
        real_replace(a, b)
        check()

    build_module._swap_in(_fake_release(tmp_path / ".release-a", "one"), release)  # the first release
    monkeypatch.setattr(Path, "rename", rename)
    monkeypatch.setattr(os, "replace", replace)
    for tag in ("two", "three", "four"):
        build_module._swap_in(_fake_release(tmp_path / f".release-{tag}", tag), release)
    assert None not in seen and seen[-1] == "four"
    assert "one" in seen or "two" in seen
    # the current and the previous version are kept (a reader may still be on the previous one)
    kept = sorted(p.read_text() for p in tmp_path.glob(".release.v*/manifest.json"))
    assert kept == ["four", "three"]


def test_a_release_folder_of_the_older_layout_is_replaced_atomically_too(tmp_path):
    from ballkg.build import _swap_in

    release = _fake_release(tmp_path / "release", "old")
    _swap_in(_fake_release(tmp_path / ".release-new", "new"), release)
    assert release.is_symlink() and (release / "manifest.json").read_text() == "new"


@pytest.mark.slow
def test_a_build_racing_an_add_is_either_complete_or_stale_never_mixed(project_copy, tmp_path, patient_lock):
    from ballkg import sources, store
    from ballkg.lock import lock_path

    release = project_copy / "release"
    build = subprocess.Popen([sys.executable, "-m", "ballkg.cli", "build", "--reasoner", "none", "--no-docs"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while time.time() < deadline and "ballkg build" not in (lock_path().read_text() if lock_path().exists() else ""):
        time.sleep(0.02)
    new = tmp_path / "new.ttl"
    new.write_text(study(5), encoding="utf-8")
    add = start_add(new)
    (build_code, _, build_err), (add_code, add_out, add_err) = finish([build, add])
    assert build_code == 0, build_err
    assert add_code == 0 and add_out.startswith("added 27 triple(s)"), add_err
    assert "waiting for ballkg build" in add_err
    # the build read the sources before the add: its release is stale, and says which file changed
    assert store.stale_files(release) == [f"graph/{'additions.ttl'}"]
    with pytest.raises(store.StaleReleaseError, match="graph/additions.ttl changed since the last build"):
        store.open_release_store(release)
    assert sources.root() == project_copy


@pytest.mark.slow
def test_rebuilding_replaces_the_link_and_keeps_two_versions(project_copy, capsys):
    from ballkg.cli import main

    for _ in range(3):
        assert main(["build", "--reasoner", "none", "--no-docs"]) == 0
    capsys.readouterr()
    release = project_copy / "release"
    assert release.is_symlink() and not Path(os.readlink(release)).is_absolute()
    versions = sorted(p.name for p in project_copy.iterdir() if p.name.startswith(".release"))
    assert len(versions) == 2 and all(v.startswith(".release.v") and v[10:].isdigit() for v in versions), versions
    assert os.readlink(release) == versions[-1]
    assert main(["query", "agents-whose-target-internalizes", "--release", str(release)]) == 0

"""Faults with real processes on 127.0.0.1: driver killed repeatedly, a Ray worker killed
mid-job, a segfaulting and a memory-exhausting job, the tracking server dying mid-sweep.

Every wait is on a condition with a bounded timeout; nothing depends on a sleep being long enough.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
from collections import Counter

import pytest

from .conftest import ROOT, MlflowServer, cmdline, descendants, wait_for

pytestmark = pytest.mark.orchestration


def _finished(runs) -> list[str]:
    return [r.data.tags["cfg_hash"] for r in runs if r.info.status == "FINISHED"]


def _wait(predicate, what: str, log, driver, timeout: float = 180):
    """``wait_for``, failing with the driver's exit status and output tail if it times out."""
    try:
        wait_for(predicate, timeout, what)
    except AssertionError as exc:
        raise AssertionError(f"{exc}; driver exit status {driver.poll()}; its output ends:\n"
                             f"{log.read_text(errors='replace')[-4000:]}") from None


def test_driver_killed_repeatedly_at_random_points(store):
    """kill -9 the driver's process group at random points (before any job finished, after a
    random number finished) three times; the final resume leaves exactly one FINISHED run per
    job, none duplicated or lost, every orphan KILLED, nothing RUNNING."""
    seed = int(os.environ.get("SIMLAB_FAULT_SEED", random.randrange(10**6)))
    rng = random.Random(seed)
    n_jobs = 12
    args = ["experiment=probe", f"seed=range(0,{n_jobs})", "sleep_s=0.5", "runner.num_cpus=2"]
    orphans: set[str] = set()
    for round_ in range(3):
        done = len(set(_finished(store.jobs("probe", quiet=True))))
        extra = rng.randint(0, 3)
        target = min(done + extra, n_jobs - 2)
        log = store.path / f"driver-{round_}.log"          # shown if a wait times out
        with open(log, "wb") as out:
            driver = subprocess.Popen(store.cmd(*args), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                      start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        mine = f":{driver.pid}"
        try:
            if target <= done:     # kill while the first job of this driver is running
                _wait(lambda: any(r.info.status == "RUNNING" and r.data.tags.get("simlab.driver", "").endswith(mine)
                                  for r in store.jobs("probe", quiet=True)),
                      f"a RUNNING job (round {round_}, SIMLAB_FAULT_SEED={seed})", log, driver)
            else:
                _wait(lambda: len(set(_finished(store.jobs("probe", quiet=True)))) >= target,
                      f"{target} FINISHED jobs (round {round_}, SIMLAB_FAULT_SEED={seed})", log, driver)
        finally:
            os.killpg(driver.pid, signal.SIGKILL)
            driver.wait(30)
        runs = store.jobs("probe")
        fin = _finished(runs)
        assert len(fin) == len(set(fin)), f"duplicate FINISHED runs (SIMLAB_FAULT_SEED={seed})"
        orphans |= {r.info.run_id for r in runs if r.info.status == "RUNNING"}

    proc = store.run(*args)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = store.jobs("probe")
    fin = _finished(runs)
    assert len(fin) == n_jobs and len(set(fin)) == n_jobs, f"SIMLAB_FAULT_SEED={seed}"
    status = {r.info.run_id: r.info.status for r in runs}
    assert "RUNNING" not in status.values()
    assert all(status[r] == "KILLED" for r in orphans), f"SIMLAB_FAULT_SEED={seed}"


def test_worker_killed_mid_job_is_retried(store, tmp_path):
    """kill -9 the Ray worker process while it executes a job: Ray retries the task and the
    sweep completes with every job FINISHED once."""
    args = ["experiment=probe", "seed=range(0,4)", "sleep_s=2.0", "runner.num_cpus=2",
            "runner.max_retries=2", f"runner.temp_dir={tmp_path / 'ray'}"]
    driver = subprocess.Popen(store.cmd(*args), cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        victim = wait_for(lambda: next((p for p in descendants(driver.pid)
                                        if cmdline(p).startswith("ray::execute")), None),
                          180, "a Ray worker executing a job")
        os.kill(victim, signal.SIGKILL)
        _, err = driver.communicate(timeout=300)
    finally:
        if driver.poll() is None:
            os.killpg(driver.pid, signal.SIGKILL)
    assert driver.returncode == 0, err[-3000:]
    runs = store.jobs("probe")
    assert Counter(r.info.status for r in runs) == {"FINISHED": 4}
    assert len(set(_finished(runs))) == 4


def test_segfault_and_memory_exhaustion_are_failed_with_a_reason(store):
    """A job that segfaults (worker dies: retried, then FAILED) and one that exhausts its memory
    (MemoryError under an address-space cap) are FAILED with a reason; the others finish."""
    proc = store.run("experiment=probe", "seed=range(0,4)", "segfault_on_seed=1", "oom_on_seed=2",
                     "runner.max_retries=1", "runner.num_cpus=2")
    assert proc.returncode == 1, proc.stderr[-3000:]
    by_seed = {int(r.data.params["seed"]): r for r in store.jobs("probe")}
    assert {s: r.info.status for s, r in by_seed.items()} == {0: "FINISHED", 1: "FAILED", 2: "FAILED", 3: "FINISHED"}
    assert "died" in by_seed[1].data.tags["simlab.error"] or "Worker" in by_seed[1].data.tags["simlab.error"]
    assert "MemoryError" in by_seed[2].data.tags["simlab.error"]


def test_tracking_server_down_mid_sweep_nothing_lost_after_sync(store, tmp_path):
    """Stop the MLflow server while a sweep runs: results that cannot be logged go to the
    spool (exit status 4, never FINISHED before stored); restart the server and `simlab sync`:
    exactly one FINISHED run per job, each with its metrics and arrays."""
    from mlflow.tracking import MlflowClient

    server = MlflowServer(tmp_path / "server").start()
    spool = tmp_path / "spool"
    n_jobs = 6
    over = [f"tracking.uri={server.uri}", f"tracking.spool_dir={spool}", "tracking.http_retries=1",
            "tracking.http_backoff=0", "tracking.http_timeout=10"]
    args = ["experiment=probe", f"seed=range(0,{n_jobs})", "sleep_s=1.5", "runner.num_cpus=2", *over]
    cmd = [c for c in store.cmd(*args) if not c.startswith(("tracking.uri=", "tracking.artifact_root="))]
    cmd += [f"tracking.uri={server.uri}"]
    client = MlflowClient(server.uri)

    def jobs():
        try:
            exp = client.get_experiment_by_name("probe")
            return [] if exp is None else client.search_runs([exp.experiment_id], "tags.`simlab.kind` = 'job'")
        except Exception:
            return []

    driver = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, start_new_session=True)
    try:
        wait_for(lambda: any(r.info.status == "FINISHED" for r in jobs()), 240, "a FINISHED job on the server")
        server.stop()
        _, err = driver.communicate(timeout=300)
    finally:
        if driver.poll() is None:
            os.killpg(driver.pid, signal.SIGKILL)
    assert driver.returncode == 4, err[-3000:]
    assert "kept in" in err and "simlab sync" in err
    n_spooled = len([p for p in spool.iterdir() if p.is_dir()])
    assert n_spooled >= 1

    server.start()
    before = jobs()
    assert len(_finished(before)) == n_jobs - n_spooled      # nothing spooled was reported FINISHED
    sync = subprocess.run(store.cmd("experiment=probe", sub="sync")[:-2] + over, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert sync.returncode == 0, sync.stderr[-3000:] + sync.stdout
    assert not [p for p in spool.iterdir() if p.is_dir()]
    runs = jobs()
    fin = _finished(runs)
    assert len(fin) == n_jobs and len(set(fin)) == n_jobs
    for r in runs:
        if r.info.status == "FINISHED":
            assert "mean" in r.data.metrics
            names = [a.path for a in client.list_artifacts(r.info.run_id, r.data.tags["cfg_hash"])]
            assert any(n.endswith("arrays.npz") for n in names)
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and f"{n_jobs} of {n_jobs} job(s) already FINISHED" in again.stderr
    server.stop()


def test_concurrent_first_use_of_a_new_sqlite_store(tmp_path):
    """Four processes open one not-yet-existing sqlite store at once (two drivers, the UI, a
    poller). MLflow migrates a new file in place, so without ``create_sqlite_store`` they ran
    the migrations concurrently and most failed ('table _alembic_tmp_... already exists'; this
    took down the first driver of the driver-kill test). All must succeed, leave one store at
    MLflow's head revision and no temporary files, in each of three rounds."""
    import sqlite3
    import sys

    from alembic.script import ScriptDirectory
    from mlflow.store.db.utils import _get_alembic_config

    snippet = "import sys; from runners.tracking import client_for; client_for(sys.argv[1]).search_experiments()"
    for round_ in range(3):
        folder = tmp_path / f"r{round_}"
        folder.mkdir()
        uri = f"sqlite:///{folder / 'mlflow.db'}"
        procs = [subprocess.Popen([sys.executable, "-c", snippet, uri], cwd=ROOT, stderr=subprocess.PIPE,
                                  text=True) for _ in range(4)]
        errors = [p.communicate(timeout=300)[1] for p in procs]
        assert all(p.returncode == 0 for p in procs), [e[-1500:] for e in errors if e]
        assert sorted(f.name for f in folder.iterdir()) == ["mlflow.db"]
        with sqlite3.connect(folder / "mlflow.db") as db:
            version = db.execute("select version_num from alembic_version").fetchall()
        head = ScriptDirectory.from_config(_get_alembic_config(uri)).get_current_head()
        assert version == [(head,)]

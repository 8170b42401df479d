"""End-to-end sweeps: smoke over every preset, failure, resume after kill -9, bad configs."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from runners.config import CONF, experiments
from .conftest import Store, assert_reproducible, run_many

pytestmark = pytest.mark.orchestration


def _smoke(name: str) -> list[str]:
    return yaml.safe_load((CONF / "experiment" / f"{name}.yaml").read_text())["meta"].get("smoke", [])


@pytest.fixture(scope="module")
def smoke_runs(tmp_path_factory):
    """Every preset's tiny sweep on one real local Ray (started by runners.ray_backend as a
    sweep does; starting Ray per sweep is covered by the other tests), each into its own store."""
    stores = {name: Store(tmp_path_factory.mktemp(name)) for name in experiments()}
    ray_tmp = tmp_path_factory.mktemp("ray")
    results = run_many([(n, [f"experiment={n}", *_smoke(n), *s.overrides]) for n, s in stores.items()],
                       ray={"address": None, "num_cpus": 2, "temp_dir": str(ray_tmp)})
    return stores, results


@pytest.mark.parametrize("name", experiments())
def test_smoke_every_preset(smoke_runs, name, tmp_path):
    """Each preset runs at its tiny `meta.smoke` size on local Ray; every job FINISHED; its logged
    numbers equal an in-process re-execution of its logged config; the report builds."""
    from analysis.report import make_report
    from runners.config import compose

    stores, results = smoke_runs
    store, got = stores[name], results[name]
    assert got["rc"] == 0, got["stderr"][-3000:]
    runs = store.jobs(name)
    assert runs and all(r.info.status == "FINISHED" for r in runs)
    assert assert_reproducible(store.client(), runs, tmp_path) == len(runs)
    out = make_report(compose([f"experiment={name}", *store.overrides]), out_root=tmp_path / "reports")
    text = (out / "report.md").read_text()
    assert "## Claims" in text and "## Final values" in text
    assert "could not evaluate" not in text, text


def test_failing_job_is_recorded_and_sweep_goes_on(store):
    proc = store.run("experiment=probe", "fail_on_seed=1", "seed=0,1,2")
    assert proc.returncode == 1, proc.stderr
    runs = store.jobs("probe")
    status = Counter(r.info.status for r in runs)
    assert status == {"FINISHED": 2, "FAILED": 1}
    failed = next(r for r in runs if r.info.status == "FAILED")
    c = store.client()
    tb_path = c.download_artifacts(failed.info.run_id, f"{failed.data.tags['cfg_hash']}/traceback.txt", str(store.path))
    text = open(tb_path).read()
    assert "Traceback" in text and "failing on purpose (seed=1)" in text
    assert "failing on purpose" in failed.data.tags["simlab.error"]


def test_crashed_worker_is_retried_then_failed(store):
    """A job that kills its worker process (os._exit) is retried by Ray, then recorded FAILED."""
    proc = store.run("experiment=probe", "crash_on_seed=0", "seed=0,1", "runner.max_retries=1")
    assert proc.returncode == 1, proc.stderr
    status = Counter(r.info.status for r in store.jobs("probe"))
    assert status == {"FINISHED": 1, "FAILED": 1}


def test_force_reruns_finished_jobs(store):
    assert store.run("experiment=probe", "seed=0").returncode == 0
    proc = store.run("experiment=probe", "seed=0", "+force=true")
    assert proc.returncode == 0, proc.stderr
    runs = store.jobs("probe")
    assert [r.info.status for r in runs] == ["FINISHED", "FINISHED"]
    assert sum("simlab.superseded_by" in r.data.tags for r in runs) == 1


BAD = [
    (["env.n_arm=5"], "n_arm"),                                  # typo key (Hydra struct check)
    (["+env.n_arm=5"], "env.n_arm"),                            # typo key forced in: signature check
    (["horizon=abc"], "horizon = 'abc': wrong type"),           # wrong type
    (["env.n_arms=1"], "env.n_arms = 1: out of range; allowed: int in [2, inf)"),
    (["env.instance=gapp"], "env.instance = 'gapp': not an allowed value; allowed: str one of"),
    (["policy=ucb2"], "ucb2"),                                   # unknown group choice
    (["n_reps=0"], "n_reps = 0: out of range"),
    (["env.gap=nan"], "env.gap"),
    (["experiment=nope"], "experiment='nope' does not exist; allowed:"),
]


@pytest.mark.parametrize("overrides,expected", BAD, ids=[" ".join(b[0]) for b in BAD])
def test_bad_config_rejected_before_anything_runs(store, overrides, expected):
    proc = store.run("experiment=bandits_demo", *overrides, "seed=0,1", timeout=120)
    assert proc.returncode != 0
    assert expected in proc.stderr, proc.stderr[-2000:]
    assert not (store.path / "mlflow.db").exists()       # nothing logged, not even a store


def test_report_before_any_run_is_a_clear_error_and_creates_nothing(store):
    """`simlab report` on a store that does not exist yet (a typo in tracking.uri, or no sweep
    run) says so in one line, exits 2 and does not create an empty store."""
    proc = store.run("experiment=probe", sub="report")
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "no tracking store at" in proc.stderr and "Traceback" not in proc.stderr
    assert not (store.path / "mlflow.db").exists()

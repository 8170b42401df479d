"""Cluster mode through the documented recipe: `scripts/cluster.sh up` (a real Ray head and a
real `mlflow server`, both on 127.0.0.1), `simlab run runner=cluster ... tracking.uri=http://...`,
then `scripts/cluster.sh down`. Every preset's tiny sweep, run through the cluster path, gives
numbers bit-identical to an in-process execution of each logged config (the smoke test checks
the same for local Ray), so local and cluster runs agree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from runners.config import CONF, experiments
from .conftest import ROOT, assert_reproducible, cmdline, descendants, free_port, listening_addresses, run_many, wait_for

pytestmark = pytest.mark.orchestration


class Cluster:
    def __init__(self, state: Path) -> None:
        self.state = state
        self.ray_port, self.mlflow_port = free_port(), free_port()
        self.env = {**os.environ, "SIMLAB_CLUSTER_DIR": str(state), "RAY_PORT": str(self.ray_port),
                    "MLFLOW_PORT": str(self.mlflow_port), "NUM_CPUS": "2",
                    "BIN": str(Path(sys.executable).parent)}
        self.address = f"127.0.0.1:{self.ray_port}"
        self.uri = f"http://127.0.0.1:{self.mlflow_port}"

    def script(self, action: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", str(ROOT / "scripts" / "cluster.sh"), action], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=400)

    def pids(self) -> set[int]:
        out: set[int] = set()
        for name in ("ray.pid", "mlflow.pid"):
            f = self.state / name
            if f.exists():
                out |= descendants(int(f.read_text()))
        return out


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("cluster"))
    up = c.script("up")
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        yield c
    finally:
        pids = c.pids()
        down = c.script("down")
        assert down.returncode == 0, down.stderr
        def alive():
            out = []
            for p in pids:
                try:
                    if "zombie" not in Path(f"/proc/{p}/status").read_text().lower():
                        out.append(p)
                except OSError:
                    pass
            return out

        try:
            wait_for(lambda: not alive(), 60, "the cluster's processes to exit")
        except AssertionError:
            raise AssertionError([cmdline(p) for p in alive()])


def test_recipe_servers_listen_on_loopback_only(cluster):
    addrs = listening_addresses(cluster.pids())
    assert addrs, "no listening sockets found for the cluster's processes"
    assert addrs <= {"127.0.0.1", "::1"}, addrs


@pytest.fixture(scope="module")
def cluster_runs(cluster):
    """Every preset's tiny sweep through the cluster path, one after another."""
    runs = []
    for name in experiments():
        smoke = yaml.safe_load((CONF / "experiment" / f"{name}.yaml").read_text())["meta"].get("smoke", [])
        runs.append((name, [f"experiment={name}", *smoke, "runner=cluster", f"runner.address={cluster.address}",
                            f"tracking.uri={cluster.uri}", f"tracking.spool_dir={cluster.state / 'spool'}"]))
    return run_many(runs, ray={"address": cluster.address})


@pytest.mark.parametrize("name", experiments())
def test_every_preset_on_the_cluster_is_bit_identical(cluster, cluster_runs, name, tmp_path):
    from mlflow.tracking import MlflowClient

    got = cluster_runs[name]
    assert got["rc"] == 0, got["stderr"][-3000:]
    client = MlflowClient(cluster.uri)
    exp = client.get_experiment_by_name(name)
    runs = client.search_runs([exp.experiment_id], "tags.`simlab.kind` = 'job'", max_results=5000)
    assert runs and all(r.info.status == "FINISHED" for r in runs)
    assert all(r.data.tags["simlab.driver"] for r in runs)
    assert assert_reproducible(client, runs, tmp_path) == len(runs)

"""Driver-side scale: what one sweep costs per job before and after the work itself.

Measured in one run, each against its own baseline:
1. compose + resolve + validate rate (jobs/s) of a probe sweep, vs a bare OmegaConf merge of the
   same values (the floor for any Hydra-based composition);
2. MLflow logging cost per run (create run, params, metrics, series, .npz artifact, terminate)
   on the sqlite store, vs the job's own compute time for a tiny job;
3. driver memory per 10k jobs: resident-set growth while holding N validated Job objects,
   scaled to 10k;
4. end-to-end throughput of `simlab run` on N trivial jobs (jobs/s).
Usage: python benchmarks/bench_scale.py [--jobs N] [--quick]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def compose_rate(n: int) -> tuple[float, float, float]:
    from omegaconf import OmegaConf

    from runners.config import compose
    from runners.launcher import build_jobs

    base = compose(["experiment=probe"])
    from hydra.core.global_hydra import GlobalHydra
    from hydra import initialize_config_dir
    from hydra import compose as hcompose
    from runners.config import CONF, family_searchpath

    overrides = [[f"seed={i}"] for i in range(n)]
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        sp = family_searchpath(["experiment=probe"])
        from runners.compose_cache import FastComposer

        def full(ov):
            return hcompose("config", overrides=["experiment=probe", *ov, sp], return_hydra_config=True)

        m0 = rss_mb()
        t0 = time.perf_counter()
        jobs = build_jobs(FastComposer(full), overrides)
        t_full = time.perf_counter() - t0
        mem = rss_mb() - m0
        k = max(n // 10, 20)
        t0 = time.perf_counter()
        build_jobs(full, overrides[:k])
        t_slow = (time.perf_counter() - t0) / k
    print(f"full Hydra composition per job (no cache): {1 / t_slow:,.0f} jobs/s")
    plain = OmegaConf.to_container(base, resolve=False)
    plain.pop("hydra", None)
    t0 = time.perf_counter()
    for i in range(n):
        OmegaConf.to_container(OmegaConf.merge(plain, {"seed": i}), resolve=True)
    t_floor = time.perf_counter() - t0
    assert len(jobs) == n
    return n / t_full, n / t_floor, mem * 10_000 / n


def logging_cost(n: int) -> tuple[float, float]:
    from runners.jobs import execute
    from runners.tracking import MlflowTracker

    with tempfile.TemporaryDirectory() as tmp:
        tr = MlflowTracker(f"sqlite:///{tmp}/m.db", "bench", f"{tmp}/art")
        tr.start_sweep("bench", [], {})
        params = {"seed": 0, "size": 1000, "work": 0, "sleep_s": 0.0}
        cfg = {"meta": {"entry": "experiments.probe.run"}, **params}
        t_job = t_log = 0.0
        for i in range(n):
            t0 = time.perf_counter()
            out = execute("experiments.probe.run", {**params, "seed": i}, f"h{i}")
            t1 = time.perf_counter()
            rid = tr.start_job(f"h{i}", {**cfg, "seed": i}, f"seed={i}", {})
            tr.finish_job(rid, out, {**cfg, "seed": i})
            t2 = time.perf_counter()
            t_job += t1 - t0
            t_log += t2 - t1
        return t_log / n, t_job / n


def end_to_end(n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "runners.cli", "run", "experiment=probe", f"seed=range(0,{n})",
               f"tracking.uri=sqlite:///{tmp}/m.db", f"tracking.artifact_root={tmp}/art"]
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2000)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    n = 200 if a.quick else a.jobs
    rate, floor, mem10k = compose_rate(n)
    print(f"compose+validate (fast composer): {rate:,.0f} jobs/s vs bare OmegaConf merge {floor:,.0f} jobs/s "
          f"(ratio {floor / rate:.1f}x slower); driver memory ~{mem10k:,.0f} MB per 10k jobs held")
    per_log, per_job = logging_cost(50 if a.quick else 200)
    print(f"MLflow logging per run (sqlite): {per_log * 1000:.1f} ms vs the tiny job itself "
          f"{per_job * 1000:.2f} ms (ratio {per_log / per_job:.0f}x)")
    e2e = end_to_end(100 if a.quick else 500)
    print(f"end to end `simlab run`, trivial jobs: {e2e:.1f} jobs/s")


if __name__ == "__main__":
    main()

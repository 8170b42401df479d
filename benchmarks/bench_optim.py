"""Optimizer step throughput against a plain in-place numpy Adam measured in the same run.

Every YAML in conf/optim/optimizer/ is instantiated (discovered, like the conformance test)
and timed on the same parameters: ~1e6 float64 entries in a few blocks (a 768x1024 matrix, a
512x448 matrix and two vectors), a fixed gradient (distributed optimizers get n_workers copies
with small per-worker perturbations; their time includes simulating all workers). One timed
step is ``update`` + ``apply_updates``. The baseline is Adam written here with in-place numpy
ops (what a hand-tuned numpy loop would do). Reported: steps/s and the time ratio
ours / baseline, the baseline timed in alternation with each optimizer (target <= 1.5 for the Adam family: adam, adamw, amsgrad, adabound, amsbound,
adam_mini; the compressed / quantised ones do more work per step and are reported as is).

    python benchmarks/bench_optim.py            # default: 1e6 params, ~1 minute
    python benchmarks/bench_optim.py --quick    # tiny smoke run
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import hydra.utils  # noqa: E402
import omegaconf  # noqa: E402

from algorithms.optim.base import apply_updates  # noqa: E402

ADAM_FAMILY = {"adam", "adamw", "amsgrad", "adabound", "amsbound", "adam_mini"}


def make_params(scale: float, rng: np.random.Generator) -> dict:
    shapes = {"w1": (768, 1024), "w2": (512, 448), "b1": (1024,), "b2": (448,)}
    if scale != 1.0:
        shapes = {k: tuple(max(1, int(round(n * scale))) for n in s) for k, s in shapes.items()}
    return {k: rng.normal(size=s) for k, s in shapes.items()}


class NumpyAdam:
    """Baseline: Adam with in-place numpy ops on preallocated buffers (no allocation per step)."""

    def __init__(self, params, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps, self.t = lr, b1, b2, eps, 0
        self.m = {k: np.zeros_like(p) for k, p in params.items()}
        self.v = {k: np.zeros_like(p) for k, p in params.items()}
        self.tmp = {k: np.empty_like(p) for k, p in params.items()}

    def step(self, params, grads):
        self.t += 1
        bc1, bc2 = 1 - self.b1 ** self.t, 1 - self.b2 ** self.t
        for k, p in params.items():
            g, m, v, tmp = grads[k], self.m[k], self.v[k], self.tmp[k]
            m *= self.b1
            np.multiply(g, 1 - self.b1, out=tmp)
            m += tmp
            v *= self.b2
            np.multiply(g, g, out=tmp)
            tmp *= 1 - self.b2
            v += tmp
            np.divide(v, bc2, out=tmp)
            np.sqrt(tmp, out=tmp)
            tmp += self.eps
            np.divide(m, tmp, out=tmp)
            tmp *= -self.lr / bc1
            p += tmp


def time_pair(fn_a, fn_b, steps: int, min_time: float) -> tuple[float, float]:
    """Seconds per step of two loops, timed in alternating ``steps``-step rounds until
    ``min_time`` elapsed (so load drift on a shared machine hits both); best round of each."""
    best = [float("inf"), float("inf")]
    spent = 0.0
    while spent < min_time or best[1] == float("inf"):
        for i, fn in enumerate((fn_a, fn_b)):
            t = time.perf_counter()
            fn(steps)
            dt = time.perf_counter() - t
            spent += dt
            best[i] = min(best[i], dt / steps)
    return best[0], best[1]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="tiny smoke run")
    ap.add_argument("--steps", type=int, default=10, help="steps per timed round")
    ap.add_argument("--min-time", type=float, default=1.5, help="seconds of timing per optimizer")
    ap.add_argument("--only", default="", help="comma-separated YAML names")
    args = ap.parse_args(argv)
    scale, steps, min_time = (0.05, 2, 0.0) if args.quick else (1.0, args.steps, args.min_time)

    rng = np.random.default_rng(0)
    params0 = make_params(scale, rng)
    grads = {k: rng.normal(size=p.shape) for k, p in params0.items()}
    d = sum(p.size for p in params0.values())
    print(f"bench_optim: {d} float64 parameters in {len(params0)} blocks; step = update + apply_updates")

    base = NumpyAdam({k: v.copy() for k, v in params0.items()})
    p_base = {k: v.copy() for k, v in params0.items()}

    def run_base(n):
        for _ in range(n):
            base.step(p_base, grads)

    run_base(1)

    only = {s for s in args.only.split(",") if s}
    rows = []
    for path in sorted((ROOT / "conf" / "optim" / "optimizer").glob("*.yaml")):
        if only and path.stem not in only:
            continue
        cfg = omegaconf.OmegaConf.load(path)
        sig = inspect.signature(hydra.utils.get_class(cfg._target_).__init__).parameters
        extra = {}
        if "smoothness" in sig:
            extra["smoothness"] = [1.0 + i for i in range(cfg.n_workers)]
        opt = hydra.utils.instantiate(cfg, **extra)
        g = grads
        if "n_workers" in sig:
            n = cfg.n_workers
            noise = np.linspace(0.9, 1.1, n)
            g = {k: v[None] * noise.reshape((n,) + (1,) * v.ndim) for k, v in grads.items()}
        box = {"p": {k: v.copy() for k, v in params0.items()}}
        box["s"] = opt.init(box["p"], rng=np.random.default_rng(1))

        def run(n, opt=opt, g=g, box=box):
            p, s = box["p"], box["s"]
            for _ in range(n):
                u, s = opt.update(g, s, p)
                p = apply_updates(p, u)
            box["p"], box["s"] = p, s

        run(1)                                   # numba load / compile outside timing
        t_base, t = time_pair(run_base, run, steps, min_time)
        ratio = t / t_base
        tag = ("ok" if ratio <= 1.5 else "SLOW") if path.stem in ADAM_FAMILY else ""
        rows.append((path.stem, ratio))
        print(f"  {path.stem:17s} {1 / t:8.1f} steps/s (numpy Adam {1 / t_base:6.1f})  time ratio"
              f" {ratio:5.2f}x {tag:4s}  state {opt.state_bytes(box['s']) / d:5.2f} B/param")
    fam = [r for n, r in rows if n in ADAM_FAMILY]
    if fam:
        print(f"Adam family: worst time ratio {max(fam):.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()

"""Cost-aware caching with model multiplexing: one cache rule + multiplexer, ``n_reps`` traces.

Zhu, Sheng, Zheng, Barrett, Jordan & Jiao, "On Optimal Caching and Model Multiplexing for
Large Model Inference" (arXiv 2306.02003; NeurIPS 2023 as "Towards Optimal Caching and Model
Selection for Large Model Inference"), synthetic experiments (§5; setup of the released code
github.com/Ying1123/llm-caching-multiplexing @2dc7e69, ``inferband/exp_suite.py``,
``trace.py``, ``server.py``, ``run_exp.py``): m = 20 queries with power-law popularity
(alpha 0.5 / 0.8), per-query model costs 1 or 1 + R (R = "cost ratio", 1.5 and 100 there),
N(0, 1) noise per request clipped at 0.1, cache k = 8 answers, T = 10,000 requests, mean total
cost over N = 100 runs reported in units of 1000. A protocol of its own (a miss pays a
model's cost; no Belady), hence a separate entry from ``experiments.paging``.

Each replication draws a trace from ``rng_for(seed, "trace")``'s child stream r and the
multiplexer's coins from ``"policy"``'s, so for one seed every (cache, multiplexer) pair
serves the same queries with the same realized costs (common random numbers) and cost
ratios between pairs are paired per replication.

Metrics: ``cost`` (mean total cost), ``cost_k`` (in units of 1000, as the paper's tables),
``cost_se``, ``hit_ratio``, ``large_fraction`` (share of misses answered by model 1).
Arrays: ``checkpoints``, ``cost`` (reps x checkpoints, cumulative), ``total_cost``.
"""

from __future__ import annotations

import time
from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative
from algorithms.paging.cost_aware.simulate import simulate_cost
from experiments.result import Result, log_spaced_steps, mean_and_se
from experiments.seeding import stable_int


def run(
    *,
    trace: object,
    cache: object,
    multiplexer: object,
    k: Annotated[int, Interval(0, 10**7)],
    n_reps: Annotated[int, Interval(1, 10**5)],
    seed: Annotated[int, NonNegative],
    n_points: Annotated[int, Interval(2, 1000)] = 100,
) -> Result:
    """Total cost of ``cache`` + ``multiplexer`` with ``k`` cached answers, per replication."""
    started = time.perf_counter()
    tr_ss = np.random.SeedSequence([int(seed), stable_int("trace")]).spawn(n_reps)
    po_ss = np.random.SeedSequence([int(seed), stable_int("policy")]).spawn(n_reps)
    steps = None
    curves, hit_ratio, large = [], [], []
    for r in range(n_reps):
        tr = trace.generate(np.random.default_rng(tr_ss[r]))
        if steps is None:
            steps = log_spaced_steps(len(tr), n_points)
        out = simulate_cost(tr, k, cache, multiplexer, np.random.default_rng(po_ss[r]))
        curves.append(np.cumsum(out.costs)[steps - 1])
        hit_ratio.append(out.hits.mean())
        answered = out.model >= 0
        large.append(float((out.model == 1).sum() / max(answered.sum(), 1)))
    cost = np.asarray(curves)
    mean, se = mean_and_se(cost[:, -1])
    return Result(
        scalars={"cost": mean, "cost_se": se, "cost_k": mean / 1000.0,
                 "hit_ratio": float(np.mean(hit_ratio)), "large_fraction": float(np.mean(large))},
        series={"cost_curve": (steps, cost.mean(axis=0))},
        arrays={"checkpoints": steps, "cost": cost, "total_cost": cost[:, -1].copy()},
        info={"seconds": time.perf_counter() - started, "requests": int(steps[-1])},
    )

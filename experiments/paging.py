"""Paging experiment: one policy on a trace (with predictions), ``n_reps`` replications.

Reads top to bottom: for each replication draw the trace, compute Belady's misses on it,
draw the predictions, run the policy, and record cumulative misses at checkpoints. The trace,
the predictions and the policy draw from separate streams (the seed sequences of
``rng_for(seed, "trace")``, ``"predictor"``, ``"policy"``), each split into one child stream per replication (so rep r
sees the same draws whatever n_reps is): for one seed every policy faces the same traces and
the same noisy predictions (common random numbers), and ratios to Belady are paired.

Cache size ``k``: a number in (0, 1) is a fraction of the trace's distinct pages
(k = max(1, round(k * n_objects)), so one value fits traces of any size); a number >= 1 must
be an integer and is the cache size itself. Predictions: the policy's ``requires`` kinds; if
the configured predictor is of another kind, its ``with_kind`` sibling with the same noise is
used (e.g. Trust&Doubt's action predictions are follow-the-prediction's evictions on the same
noisy next arrivals as BlindOracle's; ``algorithms/paging/predictors``).

Metrics: ``misses``, ``miss_ratio`` (misses / requests), ``ratio_to_belady`` (per-rep misses
/ Belady misses on the same trace, averaged; ``ratio_pooled`` = sum ALG / sum OPT over reps,
the papers' metric), ``belady_misses``, ``k``; for policies that query their predictor
(outcomes with ``query_times``): ``queries_used`` and ``query_fraction`` (queries / requests).
With a ``baseline`` policy: ``ratio_to_baseline`` (per-rep misses / baseline misses, same
trace and predictions). Series (mean over reps): ``misses_curve`` and ``ratio_curve`` at
log-spaced checkpoints.
Arrays (per rep): ``checkpoints``, ``misses``, ``belady``, ``ratio`` (reps x checkpoints,
cumulative), ``k``, ``requests``, ``queries``, ``query_fraction``.
"""

from __future__ import annotations

import time
from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative, Positive
from algorithms.paging.classic.belady import Belady
from algorithms.paging.core import Trace
from experiments.result import Result, log_spaced_steps, mean_and_se
from experiments.seeding import stable_int


def resolve_k(k: float, n_objects: int) -> int:
    """Cache size from ``k``: a fraction in (0, 1) of ``n_objects``, or an integer >= 1."""
    if not k > 0:
        raise ValueError(f"k: {k!r}; allowed: a fraction in (0, 1) or an integer >= 1")
    if k < 1:
        return max(1, int(round(k * n_objects)))
    if k != int(k):
        raise ValueError(f"k: {k!r}; allowed: a fraction in (0, 1) or an integer >= 1")
    return int(k)


def predictions_for(requires, predictor, trace: Trace, k: int,
                    rng_seed: np.random.SeedSequence) -> dict[str, np.ndarray]:
    """One array per required kind, each drawn from a fresh generator on ``rng_seed`` (so
    sibling kinds share the same noise draws)."""
    out: dict[str, np.ndarray] = {}
    for kind in requires:
        if predictor is None:
            raise ValueError(f"predictor: the policy needs predictions of kind {kind!r}; "
                             "allowed: a conf/paging/predictor choice")
        source = predictor if predictor.kind == kind else None
        if source is None and hasattr(predictor, "with_kind"):
            source = predictor.with_kind(kind)
        if source is None:
            raise ValueError(f"predictor: {type(predictor).__name__} (kind {predictor.kind!r}) "
                             f"cannot provide kind {kind!r} needed by the policy")
        out[kind] = source.predict(trace, k, np.random.default_rng(rng_seed))
    return out


def _streams(seed: int, part: str, n_reps: int) -> list[np.random.SeedSequence]:
    """Per-replication children of ``rng_for(seed, part)``'s seed sequence."""
    return np.random.SeedSequence([int(seed), stable_int(part)]).spawn(n_reps)


def run(
    *,
    trace: object,
    policy: object,
    k: Annotated[float, Positive],
    n_reps: Annotated[int, Interval(1, 10**4)],
    seed: Annotated[int, NonNegative],
    predictor: object | None = None,
    baseline: object | None = None,
    n_points: Annotated[int, Interval(2, 1000)] = 100,
) -> Result:
    """Simulate ``policy`` on ``n_reps`` draws of ``trace`` (see the module docstring).

    baseline: optional second policy run on the same traces and predictions (own stream
    ``"baseline"``), for paired ratios when the sweep cannot hold both (e.g. a swept
    parameter only one of them has): logs ``ratio_to_baseline`` (per-rep misses ratio).
    """
    started = time.perf_counter()
    tr_ss, pr_ss, po_ss, ba_ss = (_streams(seed, part, n_reps)
                                  for part in ("trace", "predictor", "policy", "baseline"))
    steps = None
    misses, opt, ks, queries, base = [], [], [], [], []
    queried = False
    sizes = []
    for r in range(n_reps):
        tr = trace.generate(np.random.default_rng(tr_ss[r]))
        if len(tr) == 0:
            raise ValueError("trace: empty trace; allowed: at least one request")
        if steps is None:
            steps = log_spaced_steps(len(tr), n_points)
        elif steps[-1] != len(tr):
            raise ValueError("trace: replications must have the same length")
        kk = resolve_k(k, tr.n_objects)
        best = Belady().run(tr, kk, {}, None)
        preds = predictions_for(policy.requires, predictor, tr, kk, pr_ss[r])
        out = policy.run(tr, kk, preds, np.random.default_rng(po_ss[r]))
        if baseline is not None:
            bpreds = predictions_for(baseline.requires, predictor, tr, kk, pr_ss[r])
            base.append(baseline.run(tr, kk, bpreds, np.random.default_rng(ba_ss[r])).misses)
        misses.append(np.cumsum(~out.hits)[steps - 1])
        opt.append(np.cumsum(~best.hits)[steps - 1])
        ks.append(kk)
        queries.append(out.queries)
        queried |= "query_times" in out.extra
        sizes.append(tr.n_objects)
    misses_a = np.asarray(misses, dtype=np.int64)
    opt_a = np.asarray(opt, dtype=np.int64)
    ratio = misses_a / np.maximum(opt_a, 1)
    n = int(steps[-1])
    q = np.asarray(queries, dtype=np.int64)
    m_mean, m_se = mean_and_se(misses_a[:, -1])
    r_mean, r_se = mean_and_se(ratio[:, -1])
    scalars = {
        "misses": m_mean, "misses_se": m_se, "miss_ratio": m_mean / n,
        "ratio_to_belady": r_mean, "ratio_to_belady_se": r_se,
        "ratio_pooled": misses_a[:, -1].sum() / max(opt_a[:, -1].sum(), 1),
        "belady_misses": float(opt_a[:, -1].mean()), "k": float(np.mean(ks)),
    }
    arrays = {"checkpoints": steps, "misses": misses_a, "belady": opt_a, "ratio": ratio,
              "k": np.asarray(ks, dtype=np.int64), "requests": np.full(n_reps, n, dtype=np.int64),
              "queries": q,
              "query_fraction": q / n if queried else np.full(n_reps, np.nan)}
    if baseline is not None:
        rb = misses_a[:, -1] / np.maximum(np.asarray(base, dtype=float), 1)
        arrays["ratio_to_baseline"] = rb
        scalars["ratio_to_baseline"], scalars["ratio_to_baseline_se"] = mean_and_se(rb)
    if queried:
        scalars["queries_used"] = float(q.mean())
        scalars["query_fraction"] = float(q.mean() / n)
    return Result(
        scalars=scalars,
        series={"misses_curve": (steps, misses_a.mean(axis=0)),
                "ratio_curve": (steps, ratio.mean(axis=0))},
        arrays=arrays,
        info={"seconds": time.perf_counter() - started, "requests": n,
              "n_objects": int(np.mean(sizes))},
    )

"""Submodular experiments: a static maximiser on one objective, or a dynamic one on an update stream.

Two entries, each reading top to bottom: seed the parts, build, run, summarise.

- ``run_static``: one static algorithm (``conf/submodular/algorithm``) selects k elements of one
  objective (``conf/submodular/objective``); logged against plain greedy on the same data (value
  ratio, oracle-call ratio) and against brute-force OPT when the ground set is tiny.
- ``run_dynamic``: one dynamic algorithm (``conf/submodular/dynamic``) serves one update stream
  (``conf/submodular/stream``); at evenly spaced checkpoints it logs f(S_t), f(greedy_t) (plain
  greedy from scratch on the current elements), their ratio, the algorithm's oracle calls so
  far and what one recompute of greedy / lazy greedy costs at that point (see
  ``algorithms.submodular.dynamic.run_stream``).

Parts draw from separate streams (PAPERS.md §3, ARCHITECTURE "Seeding"): objective data from
``rng_for(seed, "objective")``, the update stream from ``"stream"``, the algorithm's coins from
``"algorithm"``; replication r uses child r of each (``Generator.spawn``), so with one seed every
algorithm faces the same objectives and the same oblivious streams (common random numbers), and
replication r does not depend on ``n_reps``. The ground-set size is the objective's own ``n``
(sweep ``objective.n``); a dynamic algorithm's k is its own ``k`` (sweep ``dynamic.k``).

Every metric is a deterministic function of the config (oracle calls are counts, not timings).
Wall times are machine-dependent and go to ``Result.info`` only, never to scalars or arrays.
"""

from __future__ import annotations

import itertools
import math
import time
from typing import Annotated, Any

import numpy as np

from algorithms.constraints import Interval, NonNegative, OneOf
from algorithms.submodular.dynamic.run_stream import run_stream
from algorithms.submodular.static.greedy import Greedy
from experiments.result import Result
from experiments.seeding import rng_for

MAX_BRUTE_FORCE_SUBSETS = 200_000


def rep_rngs(seed: int, part: str, n_reps: int) -> list[np.random.Generator]:
    """Independent generators for replications 0..n_reps-1 of one part (children of its stream)."""
    return rng_for(seed, part).spawn(n_reps)


def counted(objective: Any, fn, *args):
    """Run ``fn(*args)`` and return (its result, the oracle calls it made)."""
    before = objective.calls
    out = fn(*args)
    return out, objective.calls - before


def brute_force_opt(objective: Any, k: int) -> float:
    """max f(S) over |S| = min(k, n) (monotone f), from scratch with the uncounted hook."""
    n = objective.n
    return max(objective._value(np.asarray(s, dtype=np.int64))
               for s in itertools.combinations(range(n), min(k, n)))


def ratio(value: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """value / reference, defined as 1 where both are 0 (an empty ground set: any solution is optimal)."""
    value, reference = np.asarray(value, float), np.asarray(reference, float)
    out = np.ones_like(value)
    pos = reference > 0
    out[pos] = value[pos] / reference[pos]
    out[~pos & (value > 0)] = np.inf
    return out


# --- static --------------------------------------------------------------------------------
def run_static(
    *,
    objective: object,
    algorithm: object,
    k: Annotated[int, Interval(1, 10**6)],
    seed: Annotated[int, NonNegative],
    n_reps: Annotated[int, Interval(1, 10**4)] = 1,
    brute_force_max_n: Annotated[int, Interval(0, 30)] = 16,
) -> Result:
    """Select k elements with ``algorithm``; compare with greedy (and brute force if tiny).

    Per replication: a fresh objective instance (its data from the objective stream), the
    algorithm's selection, f(S) recomputed from scratch, the oracle calls of the selection
    alone, greedy's value and calls on the same instance, and -- if objective.n <=
    ``brute_force_max_n`` and C(n, k) <= 200 000 -- OPT by enumeration (uncounted).
    Arrays (rows = replications): ``step`` (1..k) and ``value_curve`` (f after each added
    element, from the recorded gains), and (reps x 1) ``value``, ``calls``, ``greedy_value``,
    ``greedy_calls``, ``ratio`` (value / greedy value), ``call_ratio`` (calls / greedy calls),
    ``calls_per_n``, plus ``opt_value`` and ``ratio_opt`` when OPT was computed.
    """
    obj_rngs, algo_rngs = rep_rngs(seed, "objective", n_reps), rep_rngs(seed, "algorithm", n_reps)
    rows: dict[str, list] = {key: [] for key in ("value", "calls", "greedy_value", "greedy_calls",
                                                 "opt_value", "n", "size")}
    curves = []
    timing = {"select_s": [], "greedy_s": []}
    for r in range(n_reps):
        obj = objective.build(obj_rngs[r])
        kk = min(k, obj.n)
        t0 = time.perf_counter()
        sel, calls = counted(obj, algorithm.select, obj, k, algo_rngs[r])
        timing["select_s"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ref, ref_calls = counted(obj, Greedy().select, obj, k, None)
        timing["greedy_s"].append(time.perf_counter() - t0)
        if len(sel.elements) > kk or len(set(sel.elements)) != len(sel.elements) \
                or any(not 0 <= e < obj.n for e in sel.elements):
            raise AssertionError(f"infeasible selection {sel.elements} (k={k}, n={obj.n})")
        rows["value"].append(obj._value(np.asarray(sel.elements, dtype=np.int64)))
        rows["greedy_value"].append(obj._value(np.asarray(ref.elements, dtype=np.int64)))
        rows["calls"].append(calls)
        rows["greedy_calls"].append(ref_calls)
        rows["n"].append(obj.n)
        rows["size"].append(len(sel.elements))
        tiny = obj.n <= brute_force_max_n and math.comb(obj.n, kk) <= MAX_BRUTE_FORCE_SUBSETS
        rows["opt_value"].append(brute_force_opt(obj, k) if tiny else np.nan)
        curve = np.cumsum(np.asarray(sel.gains, dtype=float)) if sel.gains else np.zeros(0)
        curves.append(np.concatenate([curve, np.full(k - len(curve), curve[-1] if len(curve) else 0.0)]))
    col = {key: np.asarray(v, dtype=float)[:, None] for key, v in rows.items()}
    arrays = {
        "step": np.arange(1, k + 1),
        "value_curve": np.vstack(curves),
        "value": col["value"], "calls": col["calls"],
        "greedy_value": col["greedy_value"], "greedy_calls": col["greedy_calls"],
        "ratio": ratio(col["value"], col["greedy_value"]),
        "call_ratio": col["calls"] / np.maximum(col["greedy_calls"], 1.0),
        "calls_per_n": col["calls"] / col["n"],
    }
    if np.isfinite(col["opt_value"]).all():
        arrays["opt_value"] = col["opt_value"]
        arrays["ratio_opt"] = ratio(col["value"], col["opt_value"])
    scalars = {
        "value": arrays["value"].mean(), "calls": arrays["calls"].mean(),
        "greedy_value": arrays["greedy_value"].mean(), "greedy_calls": arrays["greedy_calls"].mean(),
        "ratio": arrays["ratio"].mean(), "ratio_min": arrays["ratio"].min(),
        "call_ratio": arrays["call_ratio"].mean(), "calls_per_n": arrays["calls_per_n"].mean(),
        "size": float(np.mean(rows["size"])),
    }
    if "ratio_opt" in arrays:
        scalars["ratio_opt_min"] = arrays["ratio_opt"].min()
    mean_curve = arrays["value_curve"].mean(axis=0)
    return Result(scalars=scalars, series={"value_curve": (arrays["step"], mean_curve)}, arrays=arrays,
                  info={"n": int(rows["n"][0]), "wall_seconds": timing})


# --- dynamic -------------------------------------------------------------------------------
def run_dynamic(
    *,
    objective: object,
    dynamic: object,
    stream: object,
    seed: Annotated[int, NonNegative],
    n_reps: Annotated[int, Interval(1, 10**4)] = 1,
    n_checkpoints: Annotated[int, Interval(2, 10**4)] = 20,
    spacing: Annotated[str, OneOf("linear", "log")] = "linear",
    check_every_update: bool = True,
) -> Result:
    """Feed one update stream to ``dynamic`` and record it at ``n_checkpoints`` checkpoints.

    Per replication (rows) and checkpoint (columns), arrays: ``t`` (updates applied; shared
    grid), ``value`` = f(S_t), ``greedy_value`` = f(greedy_t), ``ratio`` = their ratio (1 when
    both are 0), ``min_ratio`` (running minimum: its last column is the minimum over all
    checkpoints), ``calls`` (the algorithm's cumulative oracle calls), ``calls_per_update``
    (calls / t: amortised cost so far), ``recompute_calls`` / ``lazy_recompute_calls`` (the
    calls of one greedy / lazy-greedy run from scratch on the current elements = what the
    recompute baselines pay for that update), ``recompute_calls_per_update`` /
    ``lazy_recompute_calls_per_update`` (their running mean over checkpoints: the sampled
    estimate of those baselines' amortised cost), ``speedup`` (recompute estimate / the
    algorithm's amortised calls), ``n_present``, ``size``.
    check_every_update: verify feasibility (S_t within the present elements, |S_t| <= k)
    after every update, not only at checkpoints.
    """
    obj_rngs = rep_rngs(seed, "objective", n_reps)
    stream_rngs = rep_rngs(seed, "stream", n_reps)
    algo_rngs = rep_rngs(seed, "algorithm", n_reps)
    recs, walls, builds = [], [], []
    for r in range(n_reps):
        t0 = time.perf_counter()
        obj = objective.build(obj_rngs[r])
        builds.append(time.perf_counter() - t0)
        recs.append(run_stream(dynamic, obj, stream, stream_rngs[r], algo_rngs[r],
                               n_checkpoints=n_checkpoints, spacing=spacing, reference=True,
                               check=check_every_update))
        walls.append(recs[-1]["wall"].tolist())
    t = recs[0]["t"]
    if any(not np.array_equal(rec["t"], t) for rec in recs):
        raise AssertionError("replications produced different checkpoint grids")

    def stack(key: str, dtype=float) -> np.ndarray:
        return np.vstack([rec[key] for rec in recs]).astype(dtype)

    value, greedy_value = stack("value"), stack("greedy_value")
    rat = ratio(value, greedy_value)
    calls = stack("calls", np.int64)
    cpu = calls / t[None, :]
    steps = np.arange(1, len(t) + 1)[None, :]
    rec_calls, lazy_calls = stack("greedy_calls", np.int64), stack("lazy_calls", np.int64)
    rec_cpu = np.cumsum(rec_calls, axis=1) / steps
    lazy_cpu = np.cumsum(lazy_calls, axis=1) / steps
    arrays = {
        "t": t, "value": value, "greedy_value": greedy_value, "ratio": rat,
        "min_ratio": np.minimum.accumulate(rat, axis=1), "calls": calls, "calls_per_update": cpu,
        "recompute_calls": rec_calls, "lazy_recompute_calls": lazy_calls,
        "recompute_calls_per_update": rec_cpu, "lazy_recompute_calls_per_update": lazy_cpu,
        "speedup": rec_cpu / np.maximum(cpu, 1e-12),
        "n_present": stack("n_present", np.int64), "size": stack("size", np.int64),
    }
    updates = int(recs[0]["updates"])
    scalars = {
        "min_ratio": float(rat.min()), "mean_ratio": float(rat.mean()),
        "final_ratio": float(rat[:, -1].mean()),
        "calls_per_update": float(cpu[:, -1].mean()),
        "recompute_calls_per_update": float(rec_cpu[:, -1].mean()),
        "lazy_recompute_calls_per_update": float(lazy_cpu[:, -1].mean()),
        "speedup": float(arrays["speedup"][:, -1].mean()),
        "updates": float(updates), "n": float(objective_n(objective, recs)), "k": float(dynamic.k),
    }
    return Result(
        scalars=scalars,
        series={"ratio": (t, rat.mean(axis=0)), "calls_per_update": (t, cpu.mean(axis=0))},
        arrays=arrays,
        info={"wall_seconds_at_checkpoints": walls,
              "wall_us_per_update": [w[-1] / updates * 1e6 for w in walls],
              "build_seconds": builds, "note": "wall times are diagnostics, not metrics"},
    )


def objective_n(objective: Any, recs: list[dict]) -> int:
    """The ground-set size the instance was configured with (its ``n``), else the most present."""
    n = getattr(objective, "n", None)
    return int(n) if n is not None else int(max(rec["n_present"].max(initial=0) for rec in recs))

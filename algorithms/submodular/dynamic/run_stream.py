"""Feed an update stream to a dynamic algorithm and record it at checkpoints.

Recorded at each checkpoint t (number of updates applied so far): f(S_t) of the algorithm's
solution, f(greedy_t) of plain greedy run from scratch on the current element set, the oracle
calls that greedy run made (``greedy_calls``) and those of lazy greedy on the same set
(``lazy_calls``), the algorithm's cumulative oracle calls and wall time, the number of present
elements and |S_t|.

``greedy_calls`` at t is exactly what ``RecomputeGreedy`` pays for update t (it runs the same
``baselines.greedy`` on the same set after every update), and ``lazy_calls`` what
``RecomputeLazyGreedy`` pays; averaged over evenly spaced checkpoints they estimate those
baselines' amortised cost without running them on every update (with a checkpoint at every
update the average IS their amortised cost).

The reference work uses the same objective but its calls are NOT charged to the algorithm:
the counter is saved before and restored after. Wall time covers only the algorithm's
``insert``/``delete``/``solution`` calls (machine-dependent: diagnostics only). With ``check``
every update verifies feasibility (solution subset of the present elements, size <= k) and
raises otherwise; without it feasibility is verified at the checkpoints only, and (for an
oblivious stream) ``solution()`` is only asked there.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from algorithms.submodular.dynamic.baselines import greedy, lazy_greedy
from algorithms.submodular.objective import Objective
from algorithms.submodular.streams import decode


def checkpoints(length: int, n_checkpoints: int, spacing: str = "linear") -> np.ndarray:
    """Distinct update counts in 1..length (always including length)."""
    if length <= 0:
        return np.zeros(0, dtype=np.int64)
    if spacing == "log":
        pts = np.geomspace(1, length, n_checkpoints)
    else:
        pts = np.linspace(length / n_checkpoints, length, n_checkpoints)
    return np.unique(np.clip(np.round(pts).astype(np.int64), 1, length))


def run_stream(algorithm: Any, objective: Objective, stream: Any,
               stream_rng: np.random.Generator, algo_rng: np.random.Generator,
               n_checkpoints: int = 50, spacing: str = "linear", reference: bool = True,
               check: bool = True) -> dict[str, np.ndarray]:
    """Run ``stream`` over ground set 0..objective.n-1 through ``algorithm``; see module doc.

    Returns arrays keyed ``t``, ``value``, ``greedy_value``, ``greedy_calls``, ``lazy_calls``
    (the last three nan / -1 if not ``reference``), ``calls``, ``wall``, ``n_present``,
    ``size``, plus scalars-as-0d-arrays ``updates`` and ``total_calls``.
    """
    n = objective.n
    k = int(algorithm.k)
    length = stream.length(n)
    cps = set(checkpoints(length, n_checkpoints, spacing).tolist())
    present = np.zeros(n, dtype=bool)
    rec: dict[str, list] = {key: [] for key in
                            ("t", "value", "greedy_value", "greedy_calls", "lazy_calls", "calls",
                             "wall", "n_present", "size")}
    every = check or bool(getattr(stream, "adaptive", False))
    objective.reset_calls()
    algorithm.reset(objective, algo_rng)
    wall = 0.0
    gen = stream.generator(n, stream_rng)
    sol: list[int] = []
    t = 0
    try:
        u = next(gen)
        while True:
            is_ins, e = decode(u)
            if present[e] == is_ins:
                raise ValueError(f"stream: invalid update {u} at step {t + 1}")
            present[e] = is_ins
            t0 = time.perf_counter()
            if is_ins:
                algorithm.insert(e)
            else:
                algorithm.delete(e)
            t += 1
            if every or t in cps:
                sol = algorithm.solution()
            wall += time.perf_counter() - t0
            if check or t in cps:
                if len(sol) > k or len(set(sol)) != len(sol) or not all(present[x] for x in sol):
                    raise AssertionError(f"infeasible solution after update {t}: {sol}")
            if t in cps:
                calls = objective.calls
                rec["t"].append(t)
                rec["calls"].append(calls)
                rec["wall"].append(wall)
                rec["n_present"].append(int(present.sum()))
                rec["size"].append(len(sol))
                rec["value"].append(objective.value(sol) if sol else 0.0)
                if reference:
                    elems = np.flatnonzero(present)
                    before = objective.calls
                    g = greedy(objective, elems, k)
                    rec["greedy_calls"].append(objective.calls - before)
                    before = objective.calls
                    lazy_greedy(objective, elems, k)
                    rec["lazy_calls"].append(objective.calls - before)
                    rec["greedy_value"].append(objective.value(g) if g else 0.0)
                else:
                    rec["greedy_value"].append(np.nan)
                    rec["greedy_calls"].append(-1)
                    rec["lazy_calls"].append(-1)
                objective.calls = calls
            u = gen.send(sol)
    except StopIteration:
        pass
    out = {key: np.asarray(v, dtype=np.int64 if key in ("t", "calls", "greedy_calls", "lazy_calls",
                                                      "n_present", "size")
                           else float) for key, v in rec.items()}
    out["updates"] = np.asarray(t)
    out["total_calls"] = np.asarray(objective.calls)
    return out

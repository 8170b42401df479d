"""The experiment entries ``run_static`` / ``run_dynamic`` run in-process: deterministic per seed
(bit-identical scalars and arrays; another seed changes them), feasible, and their logged
ratios equal an independent recomputation -- a replay written here from the documented seeding
contract, with f evaluated by the objectives' uncounted ``_value`` and greedy written out in
the test (value differences only)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from algorithms.submodular import streams as S
from algorithms.submodular.dynamic.banihashem import BanihashemDynamic
from algorithms.submodular.dynamic.baselines import RecomputeGreedy, RecomputeLazyGreedy
from algorithms.submodular.dynamic.lattanzi import LattanziDynamic
from algorithms.submodular.dynamic.run_stream import checkpoints, run_stream
from algorithms.submodular.objectives.coverage import CoverageInstance
from algorithms.submodular.objectives.facility_location import FacilityLocationInstance
from algorithms.submodular.static.lazy_greedy import LazyGreedy
from algorithms.submodular.static.sieve_streaming import SieveStreaming
from algorithms.submodular.static.stochastic_greedy import StochasticGreedy
from experiments.seeding import rng_for
from experiments.submodular import run_dynamic, run_static


def f(obj, s) -> float:
    return float(obj._value(np.asarray(sorted(s), dtype=np.int64))) if len(s) else 0.0


def textbook_greedy(obj, elems, k) -> list[int]:
    """Greedy by value differences (lowest id among ties); stops when no gain is positive."""
    sol: list[int] = []
    for _ in range(k):
        best, best_gain = None, 0.0
        for e in sorted(elems):
            if e in sol:
                continue
            g = f(obj, sol + [e]) - f(obj, sol)
            if g > best_gain:
                best, best_gain = e, g
        if best is None:
            break
        sol.append(best)
    return sol


def assert_same(a, b):
    assert a.scalars == b.scalars
    assert a.arrays.keys() == b.arrays.keys()
    for key in a.arrays:
        assert a.arrays[key].tobytes() == b.arrays[key].tobytes(), key


# --- static ----------------------------------------------------------------------------------
STATIC = [LazyGreedy(), StochasticGreedy(0.2), SieveStreaming(0.1, shuffle=True)]


@pytest.mark.parametrize("alg", STATIC, ids=lambda a: type(a).__name__)
def test_static_deterministic_per_seed(alg):
    kw = dict(objective=FacilityLocationInstance(n=60, dim=3, n_clusters=4), algorithm=alg, k=5, n_reps=2)
    a, b = run_static(seed=3, **kw), run_static(seed=3, **kw)
    assert_same(a, b)
    c = run_static(seed=4, **kw)
    assert c.scalars != a.scalars


def test_static_ratios_match_independent_recomputation():
    """Replication r rebuilt from child r of the seed's objective / algorithm streams: f(S),
    textbook greedy's value and brute-force OPT give the logged ratio and ratio_opt; the
    selection is feasible (|S| = k distinct ids)."""
    seed, k, n_reps = 7, 3, 3
    inst, alg = CoverageInstance(n=10, n_items=25, mean_set_size=4.0), StochasticGreedy(0.3)
    res = run_static(objective=inst, algorithm=alg, k=k, seed=seed, n_reps=n_reps)
    obj_rngs = rng_for(seed, "objective").spawn(n_reps)
    algo_rngs = rng_for(seed, "algorithm").spawn(n_reps)
    for r in range(n_reps):
        obj = inst.build(obj_rngs[r])
        sel = alg.select(obj, k, algo_rngs[r]).elements
        assert len(sel) == len(set(sel)) == k and all(0 <= e < obj.n for e in sel)
        value, ref = f(obj, sel), f(obj, textbook_greedy(obj, range(obj.n), k))
        opt = max(f(obj, c) for c in itertools.combinations(range(obj.n), k))
        assert res.arrays["value"][r, 0] == pytest.approx(value, rel=1e-12)
        assert res.arrays["ratio"][r, 0] == pytest.approx(value / ref, rel=1e-12)
        assert res.arrays["ratio_opt"][r, 0] == pytest.approx(value / opt, rel=1e-12)
        assert res.arrays["greedy_calls"][r, 0] == sum(obj.n - t for t in range(k))   # greedy's cost
    assert res.arrays["value_curve"].shape == (n_reps, k)
    assert np.allclose(res.arrays["value_curve"][:, -1], res.arrays["value"][:, 0])


def test_static_k_above_n_is_capped():
    res = run_static(objective=FacilityLocationInstance(n=4, dim=2, n_clusters=2), algorithm=LazyGreedy(),
                     k=9, seed=0)
    assert res.scalars["size"] == 4 and res.arrays["ratio_opt"][0, 0] == pytest.approx(1.0)


# --- dynamic ---------------------------------------------------------------------------------
DYN = [lambda: BanihashemDynamic(k=3, eps=0.2), lambda: BanihashemDynamic(k=3, eps=0.2, construct="filter"),
       lambda: LattanziDynamic(k=3, eps=0.2)]
STREAMS = [S.InsertThenDelete(), S.SlidingWindow(fraction=0.3), S.RandomMixed(0.6, 2.0),
           S.AdversarialDeletion(0.5)]
COV = CoverageInstance(n=30, n_items=40, mean_set_size=5.0)


@pytest.mark.parametrize("stream", STREAMS, ids=lambda s: type(s).__name__)
@pytest.mark.parametrize("make", DYN, ids=["banihashem", "banihashem_filter", "lattanzi"])
def test_dynamic_deterministic_per_seed(make, stream):
    kw = dict(objective=COV, stream=stream, n_reps=2, n_checkpoints=8)
    a, b = run_dynamic(dynamic=make(), seed=1, **kw), run_dynamic(dynamic=make(), seed=1, **kw)
    assert_same(a, b)
    c = run_dynamic(dynamic=make(), seed=2, **kw)
    assert c.scalars != a.scalars
    assert "wall_us_per_update" in a.info and "wall" not in a.arrays and not any("wall" in s for s in a.scalars)


@pytest.mark.parametrize("stream", STREAMS, ids=lambda s: type(s).__name__)
def test_dynamic_ratio_matches_independent_replay(stream):
    """Replay each replication from the seed's children (objective, stream, algorithm):
    feasible after every update; at the logged checkpoints f(S_t), textbook greedy's value
    and their ratio equal the logged arrays; min_ratio is their running minimum."""
    seed, n_reps, k = 5, 2, 3
    res = run_dynamic(objective=COV, dynamic=BanihashemDynamic(k=k, eps=0.2), stream=stream, seed=seed,
                      n_reps=n_reps, n_checkpoints=6)
    obj_rngs, stream_rngs, algo_rngs = (rng_for(seed, p).spawn(n_reps) for p in ("objective", "stream", "algorithm"))
    t_log = res.arrays["t"]
    for r in range(n_reps):
        obj = COV.build(obj_rngs[r])
        alg = BanihashemDynamic(k=k, eps=0.2)
        alg.reset(obj, algo_rngs[r])
        present, sol, values, refs = set(), [], [], []
        gen = stream.generator(obj.n, stream_rngs[r])
        t = 0
        try:
            u = next(gen)
            while True:
                ins, e = S.decode(u)
                (present.add if ins else present.remove)(e)
                alg.insert(e) if ins else alg.delete(e)
                sol = alg.solution()
                assert len(sol) <= k and set(sol) <= present
                t += 1
                if t in t_log:
                    values.append(f(obj, sol))
                    refs.append(f(obj, textbook_greedy(obj, present, k)))
                u = gen.send(sol)
        except StopIteration:
            pass
        values, refs = np.array(values), np.array(refs)
        ratio = np.where(refs > 0, values / np.where(refs > 0, refs, 1), 1.0)
        assert np.allclose(res.arrays["value"][r], values, rtol=1e-12, atol=1e-12)
        assert np.allclose(res.arrays["greedy_value"][r], refs, rtol=1e-12, atol=1e-12)
        assert np.allclose(res.arrays["ratio"][r], ratio, rtol=1e-12)
        assert np.array_equal(res.arrays["min_ratio"][r], np.minimum.accumulate(res.arrays["ratio"][r]))
    assert res.scalars["min_ratio"] == res.arrays["ratio"].min()


@pytest.mark.parametrize("stream", [S.RandomMixed(0.6, 2.0), S.SlidingWindow(fraction=0.2)],
                         ids=["random_mixed", "sliding_window"])
def test_recompute_estimate_is_exact_with_every_update_a_checkpoint(stream):
    """With a checkpoint at every update, the logged recompute cost per update equals the
    amortised calls of actually running RecomputeGreedy / RecomputeLazyGreedy on the stream."""
    seed, n = 2, 30
    length = stream.length(n)
    inst = CoverageInstance(n=n, n_items=40, mean_set_size=5.0)
    res = run_dynamic(objective=inst, dynamic=BanihashemDynamic(k=3), stream=stream, seed=seed,
                      n_checkpoints=length)
    assert len(res.arrays["t"]) == length
    for baseline, key in ((RecomputeGreedy(k=3), "recompute_calls_per_update"),
                          (RecomputeLazyGreedy(k=3), "lazy_recompute_calls_per_update")):
        obj = inst.build(rng_for(seed, "objective").spawn(1)[0])
        out = run_stream(baseline, obj, stream, rng_for(seed, "stream").spawn(1)[0],
                         np.random.default_rng(0), n_checkpoints=2, reference=False)
        assert res.arrays[key][0, -1] == pytest.approx(int(out["total_calls"]) / length, rel=1e-12)
    # the algorithm's own amortised calls are its counted calls / updates
    assert res.arrays["calls_per_update"][0, -1] == res.arrays["calls"][0, -1] / length


def test_checkpoint_grid_is_shared_and_bounded():
    res = run_dynamic(objective=COV, dynamic=LattanziDynamic(k=2), stream=S.InsertThenDelete(), seed=0,
                      n_checkpoints=7)
    assert np.array_equal(res.arrays["t"], checkpoints(2 * COV.n, 7))
    assert res.arrays["ratio"].shape == (1, len(res.arrays["t"]))
    assert res.arrays["n_present"][0, -1] == 0 and res.arrays["ratio"][0, -1] == 1.0   # empty at the end

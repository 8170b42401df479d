"""``experiments.paging.run`` in-process on small inputs: its metrics against direct policy
calls and a brute-force Belady, determinism per seed, common random numbers across policies,
the k convention and the prediction adapter."""

import numpy as np
import pytest

from tests.paging._partb_ref import belady as brute_belady
from algorithms.paging.augmented.blind_oracle import BlindOracle, blind_oracle_kernel
from algorithms.paging.augmented.trust_doubt import TrustDoubt
from algorithms.paging.classic.lru import LRU
from algorithms.paging.parsimonious import FollowerRobust
from algorithms.paging.predictors.bits import DiscardBits, PhaseBits
from algorithms.paging.predictors.next_arrival import NoisyNextArrival
from algorithms.paging.succinct.mark_predict import MarkAndPredict
from algorithms.paging.traces import Zipf
from experiments.paging import predictions_for, resolve_k, run
from experiments.seeding import stable_int

SPEC = Zipf(alpha=0.8, n_objects=40, length=300)


def _stream(seed, part, n_reps, r):
    """The documented stream of part ``part`` for replication r."""
    return np.random.SeedSequence([seed, stable_int(part)]).spawn(n_reps)[r]


def test_metrics_match_direct_calls_and_brute_force_belady():
    seed, n_reps, k = 3, 2, 6
    res = run(trace=SPEC, policy=BlindOracle(), predictor=NoisyNextArrival(2.0), k=k,
              n_reps=n_reps, seed=seed, n_points=15)
    steps = res.arrays["checkpoints"]
    assert steps[-1] == SPEC.length
    for r in range(n_reps):
        tr = SPEC.generate(np.random.default_rng(_stream(seed, "trace", n_reps, r)))
        pred = NoisyNextArrival(2.0).predict(tr, k, np.random.default_rng(
            _stream(seed, "predictor", n_reps, r)))
        out = BlindOracle().run(tr, k, {"next_arrival": pred}, np.random.default_rng(0))
        miss = np.cumsum(~out.hits)
        opt = brute_belady(list(tr.ids), k)[0]
        assert list(res.arrays["misses"][r]) == [miss[s - 1] for s in steps]
        assert res.arrays["belady"][r, -1] == opt
        assert res.arrays["ratio"][r, -1] == pytest.approx(out.misses / opt)
    finals = res.arrays["misses"][:, -1]
    assert res.scalars["misses"] == pytest.approx(finals.mean())
    assert res.scalars["miss_ratio"] == pytest.approx(finals.mean() / SPEC.length)
    assert res.scalars["ratio_to_belady"] == pytest.approx(res.arrays["ratio"][:, -1].mean())
    assert res.scalars["ratio_pooled"] == pytest.approx(finals.sum() / res.arrays["belady"][:, -1].sum())
    assert "queries_used" not in res.scalars
    assert set(res.series) == {"misses_curve", "ratio_curve"}
    assert len(res.series["ratio_curve"][0]) == len(steps) <= 15


def test_same_seed_same_result_other_seed_differs():
    kw = dict(trace=SPEC, policy=TrustDoubt(), predictor=NoisyNextArrival(5.0), k=0.2,
              n_reps=3, n_points=10)
    a, b, c = run(seed=1, **kw), run(seed=1, **kw), run(seed=2, **kw)
    for name in a.arrays:
        np.testing.assert_array_equal(a.arrays[name], b.arrays[name])
    assert a.scalars == b.scalars
    assert not np.array_equal(a.arrays["belady"], c.arrays["belady"])


def test_common_random_numbers_across_policies():
    """Same seed: every policy sees the same traces (identical Belady arrays) and, through the
    adapter, Trust&Doubt's action predictions are FtP's evictions on BlindOracle's noisy
    predictions; rep r does not depend on n_reps."""
    kw = dict(trace=SPEC, predictor=NoisyNextArrival(5.0), k=8, seed=4, n_points=10)
    lru = run(policy=LRU(), n_reps=3, **kw)
    td = run(policy=TrustDoubt(), n_reps=3, **kw)
    bo = run(policy=BlindOracle(), n_reps=2, **kw)
    np.testing.assert_array_equal(lru.arrays["belady"], td.arrays["belady"])
    np.testing.assert_array_equal(lru.arrays["belady"][:2], bo.arrays["belady"])
    tr = SPEC.generate(np.random.default_rng(_stream(4, "trace", 3, 0)))
    ss = _stream(4, "predictor", 3, 0)
    both = predictions_for(("next_arrival", "opt_action"), NoisyNextArrival(5.0), tr, 8, ss)
    _, ev = blind_oracle_kernel(tr.ids, both["next_arrival"], tr.n_objects, 8)
    np.testing.assert_array_equal(both["opt_action"], ev)


def test_bit_siblings_share_flip_probability():
    tr = SPEC.generate(np.random.default_rng(0))
    ss = np.random.SeedSequence(5)
    got = predictions_for(("phase_bit",), DiscardBits(0.3), tr, 5, ss)["phase_bit"]
    np.testing.assert_array_equal(got, PhaseBits(0.3).predict(tr, 5, np.random.default_rng(ss)))
    res = run(trace=SPEC, policy=MarkAndPredict(), predictor=DiscardBits(0.0), k=5, n_reps=1,
              seed=0, n_points=5)
    assert res.scalars["ratio_to_belady"] >= 1.0


def test_query_metrics_for_parsimonious_policy():
    res = run(trace=SPEC, policy=FollowerRobust(), predictor=NoisyNextArrival(0.0), k=6,
              n_reps=2, seed=0, n_points=5)
    assert res.scalars["ratio_to_belady"] == 1.0              # 1-consistent
    q = res.arrays["queries"]
    assert res.scalars["queries_used"] == pytest.approx(q.mean())
    assert res.scalars["query_fraction"] == pytest.approx(q.mean() / SPEC.length)
    assert 0 < res.scalars["query_fraction"] < 1


def test_baseline_ratio_is_paired_on_the_same_traces():
    """ratio_to_baseline = policy misses / baseline misses on the same trace: recomputed from
    a direct LRU run on the documented trace stream (LRU draws nothing)."""
    res = run(trace=SPEC, policy=TrustDoubt(), predictor=NoisyNextArrival(3.0), baseline=LRU(),
              k=5, n_reps=3, seed=2, n_points=5)
    for r in range(3):
        tr = SPEC.generate(np.random.default_rng(_stream(2, "trace", 3, r)))
        lru = LRU().run(tr, 5, {}, None).misses
        assert res.arrays["ratio_to_baseline"][r] == pytest.approx(res.arrays["misses"][r, -1] / lru)
    assert res.scalars["ratio_to_baseline"] == pytest.approx(res.arrays["ratio_to_baseline"].mean())


def test_k_fraction_or_integer():
    assert resolve_k(0.1, 1000) == 100
    assert resolve_k(0.0001, 1000) == 1
    assert resolve_k(7, 1000) == 7 and resolve_k(7.0, 10) == 7
    for bad in (0, -1, 2.5):
        with pytest.raises(ValueError, match="k:"):
            resolve_k(bad, 10)
    res = run(trace=SPEC, policy=LRU(), k=0.25, n_reps=2, seed=0, n_points=5)
    for r in range(2):        # a fraction of the distinct pages of that replication's trace
        tr = SPEC.generate(np.random.default_rng(_stream(0, "trace", 2, r)))
        assert res.arrays["k"][r] == round(0.25 * len(set(tr.ids.tolist())))


def test_missing_predictor_is_a_clear_error():
    with pytest.raises(ValueError, match="predictor"):
        run(trace=SPEC, policy=BlindOracle(), k=4, n_reps=1, seed=0)
    with pytest.raises(ValueError, match="cannot provide"):
        run(trace=SPEC, policy=MarkAndPredict(), predictor=NoisyNextArrival(1.0), k=4,
            n_reps=1, seed=0)

"""Static maximisers: lazy == greedy, approximation guarantees against brute force, second
implementations written here, oracle-call accounting."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from algorithms.submodular.objectives.coverage import WeightedCoverage
from algorithms.submodular.objectives.facility_location import FacilityLocation
from algorithms.submodular.static.greedy import Greedy
from algorithms.submodular.static.lazy_greedy import LazyGreedy
from algorithms.submodular.static.sieve_streaming import SieveStreaming
from algorithms.submodular.static.stochastic_greedy import StochasticGreedy
from algorithms.submodular.static.threshold_greedy import ThresholdGreedy
from tests.submodular.sm_cases import KINDS, brute_force_opt, instrument, make

SETTINGS = settings(max_examples=30, deadline=None)
seeds = st.integers(0, 2**31 - 1)
E = 1.0 - 1.0 / math.e


def run(alg, obj, k, seed=0):
    obj.reset_calls()
    sel = alg.select(obj, k, np.random.default_rng(seed))
    return sel, obj.calls


@SETTINGS
@given(kind=st.sampled_from(KINDS), n=st.integers(1, 40), seed=seeds, data_=st.data())
def test_lazy_greedy_equals_greedy_with_no_more_calls(kind, n, seed, data_):
    """Lazy greedy returns greedy's elements and gains exactly (ties: lowest index) and never
    uses more oracle calls."""
    k = data_.draw(st.integers(0, n + 2))
    obj = make(kind, n, seed)
    g, g_calls = run(Greedy(), obj, k)
    lz, l_calls = run(LazyGreedy(), obj, k)
    assert lz.elements == g.elements
    assert lz.gains == g.gains
    assert l_calls <= g_calls
    assert g_calls == sum(obj.n - t for t in range(min(k, n)))


def test_lazy_greedy_saves_calls_overall():
    """Summed over 30 instances of each kind, lazy greedy makes strictly fewer calls."""
    for kind in KINDS:
        lazy = greedy = 0
        for seed in range(30):
            obj = make(kind, 30, seed)
            greedy += run(Greedy(), obj, 8)[1]
            lazy += run(LazyGreedy(), obj, 8)[1]
        assert lazy < greedy, kind


def test_ties_break_to_lowest_index():
    """All-identical elements (every gain ties): both greedy variants take 0, 1, 2, ...; with
    duplicated sets, coverage picks the lowest-index copy."""
    sim = np.ones((7, 7))
    for alg in (Greedy(), LazyGreedy()):
        assert alg.select(FacilityLocation(sim), 4, None).elements == [0, 1, 2, 3]
    inc = np.array([[0, 1, 1], [1, 0, 0], [0, 1, 1], [1, 0, 0]])
    for alg in (Greedy(), LazyGreedy()):
        assert alg.select(WeightedCoverage.from_dense(inc), 3, None).elements == [0, 1, 2]


def naive_greedy_by_values(obj, k):
    """A second greedy: marginal gains as f(S+e) - f(S) from scratch, lowest index on ties."""
    s: list[int] = []
    for _ in range(min(k, obj.n)):
        base = obj._value(np.array(s, dtype=np.int64))
        best, best_e = -np.inf, None
        for e in range(obj.n):
            if e in s:
                continue
            g = obj._value(np.array(s + [e], dtype=np.int64)) - base
            if g > best:
                best, best_e = g, e
        s.append(best_e)
    return s


@SETTINGS
@given(n=st.integers(1, 25), seed=seeds, data_=st.data())
def test_greedy_matches_value_based_greedy_on_integer_coverage(n, seed, data_):
    """On integer-weighted coverage (exact arithmetic) greedy equals the from-scratch greedy."""
    k = data_.draw(st.integers(0, n))
    obj = make(data_.draw(st.sampled_from(["coverage", "coverage_unit"])), n, seed)
    assert Greedy().select(obj, k, None).elements == naive_greedy_by_values(obj, k)


@SETTINGS
@given(kind=st.sampled_from(KINDS), n=st.integers(1, 10), seed=seeds, data_=st.data())
def test_approximation_guarantees_against_brute_force(kind, n, seed, data_):
    """On n <= 10 against brute-force OPT: greedy and lazy >= (1 - 1/e) OPT, threshold greedy
    >= (1 - 1/e - eps) OPT, sieve-streaming (either order) >= (1/2 - eps) OPT; all feasible."""
    k = data_.draw(st.integers(1, n))
    eps = data_.draw(st.sampled_from([0.05, 0.2, 0.5]))
    obj = make(kind, n, seed)
    opt = brute_force_opt(obj, k)
    slack = 1e-9 * max(1.0, opt)
    cases = [(Greedy(), E), (LazyGreedy(), E), (ThresholdGreedy(eps), E - eps),
             (SieveStreaming(eps), 0.5 - eps), (SieveStreaming(eps, shuffle=True), 0.5 - eps)]
    for alg, ratio in cases:
        sel = alg.select(obj, k, np.random.default_rng(seed))
        assert len(sel.elements) <= k and len(set(sel.elements)) == len(sel.elements)
        val = obj._value(np.array(sel.elements, dtype=np.int64))
        assert val >= ratio * opt - slack, (type(alg).__name__, val, opt)
        assert sum(sel.gains) == pytest.approx(val, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("kind", ["facility_location", "coverage", "feature_sqrt", "log_det"])
def test_stochastic_greedy_in_expectation(kind):
    """Mean f(S) over m = 300 seeds >= (1 - 1/e - eps) OPT - t, where t = OPT sqrt(ln(1/d) /
    (2m)) is Hoeffding's deviation for values in [0, OPT] at d = 1e-6 (Mirzasoleiman et al.
    2015, Thm. 1).  Instances 10 choose 5, eps = 0.3 (samples of 3 of the remaining)."""
    m, eps, k = 300, 0.3, 5
    t_rel = math.sqrt(math.log(1e6) / (2 * m))
    for seed in range(3):
        obj = make(kind, 10, seed)
        opt = brute_force_opt(obj, k)
        alg = StochasticGreedy(eps)
        assert alg.sample_size(10, k) == 3
        vals = [obj._value(np.array(alg.select(obj, k, np.random.default_rng(r)).elements))
                for r in range(m)]
        assert max(vals) <= opt * (1 + 1e-9)
        assert np.mean(vals) >= (E - eps - t_rel) * opt


def test_stochastic_greedy_calls_and_randomness():
    """Exactly k * s calls while the sample is smaller than what remains; different seeds give
    different selections, the same seed the same one."""
    obj = make("facility_location", 200, 1)
    alg = StochasticGreedy(0.1)
    s = alg.sample_size(200, 10)
    assert s == math.ceil(20 * math.log(10))
    a, calls = run(alg, obj, 10, seed=1)
    assert calls == 10 * s
    assert run(alg, obj, 10, seed=1)[0] == a
    assert any(run(alg, obj, 10, seed=r)[0].elements != a.elements for r in range(2, 6))


def plain_threshold_greedy(obj, k, eps):
    """Badanidiyuru-Vondrák Alg. 1 written directly: every element re-evaluated each pass."""
    n = obj.n
    state = obj.empty()
    d = max(obj.gain(e, state) for e in range(n))
    s: list[int] = []
    w = d
    while w >= eps / n * d and len(s) < k and d > 0:
        for e in range(n):
            if e not in s and len(s) < k and obj.gain(e, state) >= w:
                s.append(e)
                state = obj.add(e, state)
        w *= 1 - eps
    return s


@SETTINGS
@given(kind=st.sampled_from(KINDS), n=st.integers(1, 30), seed=seeds, data_=st.data())
def test_threshold_greedy_equals_plain_version_with_fewer_calls(kind, n, seed, data_):
    """The skipping rule changes neither the output nor the order, only the call count."""
    k = data_.draw(st.integers(1, n))
    eps = data_.draw(st.sampled_from([0.1, 0.3]))
    obj = make(kind, n, seed)
    sel, calls = run(ThresholdGreedy(eps), obj, k)
    obj.reset_calls()
    assert sel.elements == plain_threshold_greedy(obj, k, eps)
    assert calls <= obj.calls


def test_sieve_streaming_is_single_pass():
    """Each element is evaluated only while it is the current stream element: the sequence
    of evaluated elements is nondecreasing in stream position (a wrapper records it)."""
    obj = make("facility_location", 40, 2)
    seen: list[int] = []
    instrument(obj, on_gains=lambda elems: seen.extend(int(e) for e in elems))
    order = np.random.default_rng(9).permutation(40)
    SieveStreaming(0.1, shuffle=True).select(obj, 5, np.random.default_rng(9))
    pos = {int(e): i for i, e in enumerate(order)}
    assert [pos[e] for e in seen] == sorted(pos[e] for e in seen)
    assert set(seen) == set(range(40))


def test_k_edge_cases():
    """k = 0 selects nothing without calls beyond setup; k > n is capped at n; bad k raises."""
    obj = make("coverage", 5, 0)
    for alg in (Greedy(), LazyGreedy(), StochasticGreedy(), ThresholdGreedy(),
                SieveStreaming()):
        assert alg.select(obj, 0, np.random.default_rng(0)).elements == []
        assert len(alg.select(obj, 9, np.random.default_rng(0)).elements) <= 5
        with pytest.raises(ValueError, match="k:"):
            alg.select(obj, -1, np.random.default_rng(0))
    assert len(Greedy().select(obj, 9, None).elements) == 5


def test_lazy_equals_greedy_when_batches_run_in_parallel():
    """At n = 1500 greedy's batched gains take the parallel kernel while lazy greedy's single
    gains take the serial one; both must agree bit for bit, so the selections coincide."""
    from algorithms.submodular.data import clustered_points
    from algorithms.submodular.objectives.kernels import dense_similarity

    x = clustered_points(np.random.default_rng(4), 1500, 5, 6)
    obj = FacilityLocation(dense_similarity(x, "rbf", None, "float32"))
    state = obj.add(7, obj.empty())
    batch = obj.gains(np.arange(1500), state)
    assert all(obj.gain(e, state) == batch[e] for e in range(0, 1500, 7))
    g, lz = Greedy().select(obj, 8, None), LazyGreedy().select(obj, 8, None)
    assert g == lz

"""Learning-augmented policies: consistency with perfect predictions against brute-force
Belady / the clean-page count of the k-phase partition, marking invariants, valid runs, and
the combiners against a second straightforward implementation."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from tests.paging import _marking_ref
from tests.paging._partb_ref import belady, clean_total, phases, replay_valid
from algorithms.paging.augmented.blind_oracle import BlindOracle
from algorithms.paging.augmented.combiners import (DetFtP, RobustFtP, combine,
                                                   combine_kernel)
from algorithms.paging.augmented.lmarker import LMarker
from algorithms.paging._ds import harmonic
from algorithms.paging.augmented._pred_marking import pred_marking_kernel
from algorithms.paging.augmented.lnonmarker import LNonMarker, LNonMarkerRaw, lnonmarker_kernel
from algorithms.paging.augmented.predictive_marker import PredictiveMarker
from algorithms.paging.classic.random_marker import RandomMarker
from algorithms.paging.core import Trace
from algorithms.paging.predictors.next_arrival import NoisyNextArrival, PerfectNextArrival

traces = st.lists(st.integers(0, 11), min_size=1, max_size=120)
ks = st.integers(1, 6)
POLICIES = [BlindOracle, PredictiveMarker, LMarker, LNonMarkerRaw, LNonMarker, RobustFtP, DetFtP]


def _perfect(tr, k):
    return {"next_arrival": PerfectNextArrival().predict(tr, k, np.random.default_rng(0))}


@settings(max_examples=80, deadline=None)
@given(traces, ks)
def test_blind_oracle_with_perfect_predictions_is_belady(raw, k):
    """Reference: brute-force Belady (future scan)."""
    tr = Trace.from_raw(np.array(raw))
    out = BlindOracle().run(tr, k, _perfect(tr, k), np.random.default_rng(0))
    assert out.misses == belady(list(tr.ids), k)[0]


@settings(max_examples=80, deadline=None)
@given(traces, ks, st.integers(0, 5))
def test_marking_policies_with_perfect_predictions_pay_the_clean_pages(raw, k, seed):
    """With perfect predictions a clean miss evicts a stale page the phase never requests, so
    there are no stale misses: misses == sum over k-phases of clean pages (independent count
    on the explicit partition) <= 2 OPT (brute-force Belady)."""
    tr = Trace.from_raw(np.array(raw))
    ids = list(tr.ids)
    ref = clean_total(ids, k)
    assert ref <= 2 * belady(ids, k)[0]
    for cls in (PredictiveMarker, LMarker, LNonMarkerRaw):
        out = cls().run(tr, k, _perfect(tr, k), np.random.default_rng(seed))
        assert out.misses == ref, cls.__name__


@settings(max_examples=40, deadline=None)
@given(traces, ks, st.sampled_from([0.0, 1.0, 10.0]), st.integers(0, 3))
def test_runs_are_valid_deterministic_and_marking_is_k_competitive(raw, k, sigma, seed):
    """Every policy's (hits, evicted) replays as a valid run (plain-Python replay); the same
    seed gives the same run; the marking policies miss at most k times per k-phase."""
    tr = Trace.from_raw(np.array(raw))
    pred = {"next_arrival": NoisyNextArrival(sigma).predict(tr, k, np.random.default_rng(9))}
    n_phases = len(phases(list(tr.ids), k))
    for cls in POLICIES:
        a = cls().run(tr, k, pred, np.random.default_rng(seed))
        b = cls().run(tr, k, pred, np.random.default_rng(seed))
        assert np.array_equal(a.hits, b.hits) and np.array_equal(a.evicted, b.evicted)
        assert replay_valid(list(tr.ids), k, a.hits, a.evicted), cls.__name__
        if cls in (PredictiveMarker, LMarker):
            assert a.misses <= k * n_phases


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 59), min_size=1, max_size=300), st.integers(1, 45),
       st.sampled_from(["noisy", "ties", "negative"]), st.integers(0, 5))
def test_marking_kernels_match_plain_python_simulators(raw, k, preds, seed):
    """Reference: ``_marking_ref`` (dicts, lists and a linear max, same specified choices).
    Predictions: noisy next arrivals, a few values with many ties (the highest slot wins; -0.0
    ties with 0.0) or negated next arrivals (the sort keys of negative floats). k up to 45
    covers the sort's insertion and merge paths; the radix path is the next test's."""
    tr = Trace.from_raw(np.array(raw))
    rng = np.random.default_rng(seed)
    if preds == "noisy":
        pred = NoisyNextArrival(2.0).predict(tr, k, rng)
    elif preds == "ties":
        pred = rng.choice([-0.0, 0.0, 1.0, 2.0], len(tr))
    else:
        pred = -PerfectNextArrival().predict(tr, k, rng) - rng.random(len(tr))
    u = rng.random(len(tr))
    ids = [int(x) for x in tr.ids]
    k = min(k, tr.n_objects)
    for cap in (0.0, harmonic(k), 1e9):                # LMarker, Predictive Marker, never random
        h, e = pred_marking_kernel(tr.ids, pred, tr.n_objects, k, u, cap)
        rh, re = _marking_ref.pred_marking(ids, list(pred), k, list(u), cap)
        assert (h.tolist(), e.tolist()) == (rh, re), cap
    h, e = lnonmarker_kernel(tr.ids, pred, tr.n_objects, k, u)
    assert (h.tolist(), e.tolist()) == _marking_ref.lnonmarker(ids, list(pred), k, list(u))


def test_marking_kernels_match_simulators_with_radix_sorted_phases():
    """Same reference, with k past the sort's merge-sort range (radix passes run)."""
    rng = np.random.default_rng(11)
    tr = Trace.from_raw(rng.zipf(1.1, 8000) % 1500)
    u = rng.random(len(tr))
    ids = [int(x) for x in tr.ids]
    for k in (150, 500):
        for pred in (NoisyNextArrival(1.0).predict(tr, k, rng),
                     rng.integers(0, 5, len(tr)).astype(np.float64)):
            h, e = pred_marking_kernel(tr.ids, pred, tr.n_objects, k, u, harmonic(k))
            assert (h.tolist(), e.tolist()) == _marking_ref.pred_marking(
                ids, list(pred), k, list(u), harmonic(k))
            h, e = lnonmarker_kernel(tr.ids, pred, tr.n_objects, k, u)
            assert (h.tolist(), e.tolist()) == _marking_ref.lnonmarker(ids, list(pred), k,
                                                                        list(u))


def _combine_reference(ids, k, a, b, randomized, param, u, first):
    """Straightforward sets-and-lists version of the lazy combiner (Antoniadis et al. 2020's
    Combine_det / Combine_rand with earliest-loaded lazy eviction)."""
    caches = [set(), set()]
    mine, load, cost = [], {}, [0, 0]
    cur, bound, prob = first, 1.0, [0.5, 0.5]
    beta = 1 - param / 2
    hits, evicted = [], []
    for t, p in enumerate(ids):
        for i, o in enumerate((a, b)):
            if not o.hits[t]:
                caches[i].add(p)
                cost[i] += 1
            if o.evicted[t] >= 0:
                caches[i].discard(int(o.evicted[t]))
        if not randomized:
            while cost[cur] > bound:
                cur, bound = 1 - cur, bound * (1 + param)
        else:
            w = [prob[i] * (beta if not (a, b)[i].hits[t] else 1.0) for i in range(2)]
            new = [x / sum(w) for x in w]
            if new[cur] < prob[cur] and u[t] < (prob[cur] - new[cur]) / prob[cur]:
                cur = 1 - cur
            prob = new
        if p in mine:
            hits.append(True)
            evicted.append(-1)
            continue
        hits.append(False)
        ev = -1
        if len(mine) == k:
            cand = [q for q in mine if q not in caches[cur]]
            ev = min(cand, key=lambda q: load[q])
            mine.remove(ev)
        evicted.append(ev)
        mine.append(p)
        load[p] = t
    return hits, evicted


@settings(max_examples=50, deadline=None)
@given(traces, ks, st.booleans(), st.integers(0, 5))
def test_combiner_matches_reference_implementation(raw, k, randomized, seed):
    """Reference: the plain-Python combiner above, fed the same component runs and draws."""
    tr = Trace.from_raw(np.array(raw))
    rng = np.random.default_rng(seed)
    pred = {"next_arrival": NoisyNextArrival(5.0).predict(tr, k, rng)}
    a = BlindOracle().run(tr, k, pred, rng)
    b = RandomMarker().run(tr, k, {}, rng)
    u = rng.random(len(tr))
    first = int(seed % 2) if randomized else 0
    param = 0.5 if randomized else 0.1
    hits, ev, _, _ = combine_kernel(tr.ids, tr.n_objects, k, a.hits, a.evicted, b.hits,
                                    b.evicted, randomized, param, u, first)
    rh, rev = _combine_reference(list(tr.ids), k, a, b, randomized, param, u, first)
    assert list(hits) == rh and list(ev) == rev


def test_deterministic_combiner_bound():
    """Derived bound for the deterministic scheme (bounds B_j = (1+gamma)^j, J switches):
    each followed window costs at most the followed algorithm's cost (<= B_j + 1) plus k to
    resynchronise, so cost <= sum_{j<=J} (B_j + 1 + k); and min(cost_A, cost_B) > B_{J-2}."""
    rng = np.random.default_rng(4)
    raw = np.concatenate([rng.integers(0, 40, 3000), np.tile(np.arange(12), 300)])
    tr = Trace.from_raw(raw)
    k, gamma = 10, 0.5
    good = _perfect(tr, k)["next_arrival"]
    for pred in (good, -good):                       # perfect, then adversarial predictions
        a = BlindOracle().run(tr, k, {"next_arrival": pred}, rng)
        b = RandomMarker().run(tr, k, {}, rng)
        out = combine(tr, k, a, b, randomized=False, param=gamma)
        J = out.extra["switches"]
        assert J >= 0
        # the while-loop may switch several times at one request: count bounds reached
        n_bounds = 0
        bound, cost, cur = 1.0, [0, 0], 0
        for t in range(len(tr)):
            cost[0] += not a.hits[t]
            cost[1] += not b.hits[t]
            while cost[cur] > bound:
                cur, bound, n_bounds = 1 - cur, bound * (1 + gamma), n_bounds + 1
        lhs = out.misses
        rhs = sum((1 + gamma) ** j + 1 + k for j in range(n_bounds + 1))
        assert lhs <= rhs
        if n_bounds >= 2:
            assert min(a.misses, b.misses) > (1 + gamma) ** (n_bounds - 2)


def test_robust_ftp_survives_adversarial_predictions():
    """Blum-Burch: E[cost] <= (1 + eps) min(cost_FtP, cost_Marker) + O(k / eps). With
    predictions reversed (FtP evicts the page needed soonest) FtP is terrible; the
    combination's mean over seeds stays within (1 + eps) * mean Marker + 4 k / eps."""
    rng = np.random.default_rng(3)
    tr = Trace.from_raw(np.tile(np.arange(11), 400))
    k, eps = 10, 0.5
    bad = {"next_arrival": -_perfect(tr, k)["next_arrival"]}
    ftp = BlindOracle().run(tr, k, bad, rng).misses
    comb, mk = [], []
    for s in range(10):
        comb.append(RobustFtP(eps).run(tr, k, bad, np.random.default_rng(s)).misses)
        mk.append(RandomMarker().run(tr, k, {}, np.random.default_rng(100 + s)).misses)
    assert ftp > 2 * np.mean(mk)
    assert np.mean(comb) <= (1 + eps) * np.mean(mk) + 4 * k / eps


@pytest.mark.parametrize("cls", [PredictiveMarker, LMarker, LNonMarker])
def test_noisy_predictions_degrade_gracefully(cls):
    """Sanity on a Zipf trace: perfect predictions beat sigma = 200 noise (mean over seeds)."""
    rng = np.random.default_rng(0)
    tr = Trace.from_raw(rng.zipf(1.3, 20_000))
    k = 20
    res = []
    for sigma in (0.0, 200.0):
        m = [cls().run(tr, k, {"next_arrival": NoisyNextArrival(sigma).predict(
            tr, k, np.random.default_rng(s))}, np.random.default_rng(s)).misses
             for s in range(3)]
        res.append(np.mean(m))
    assert res[0] < res[1]


def test_nan_predictions_are_refused_naming_the_request():
    """NaN has no place in 'largest prediction': refused before any kernel runs."""
    tr = Trace.from_raw(np.arange(8) % 3)
    pred = np.arange(8, dtype=np.float64)
    pred[5] = np.nan
    for cls in (BlindOracle, PredictiveMarker, LNonMarker):
        with pytest.raises(ValueError, match=r"NaN at request 5 \(1 in all\)"):
            cls().run(tr, 2, {"next_arrival": pred}, np.random.default_rng(0))

"""Paging with Succinct Predictions (Antoniadis et al., ICML 2023): consistency against
brute-force Belady, the smoothness bounds of the paper's theorems with error counts recounted
here, monotonicity in the flip probability, and Mark&Predict's clean-page cost."""

import numpy as np
from hypothesis import given, settings, strategies as st

from tests.paging._partb_ref import belady, clean_total, lru_misses, phases, replay_valid
from algorithms.paging.classic.random_marker import RandomMarker
from algorithms.paging.core import Trace
from algorithms.paging.predictors.bits import DiscardBits, PhaseBits
from algorithms.paging.succinct.discard import DiscardFollower, DiscardRobust
from algorithms.paging.succinct.mark_predict import MarkAndPredict

traces = st.lists(st.integers(0, 11), min_size=1, max_size=120)
ks = st.integers(1, 6)


def H(k):
    return sum(1.0 / i for i in range(1, k + 1))


@settings(max_examples=120, deadline=None)
@given(traces, ks, st.booleans(), st.integers(0, 3))
def test_perfect_discard_bits_give_belady_misses(raw, k, randomized, seed):
    """Claim (a): misses == brute-force Belady's (future scan), on every trace; the bits are
    the brute force's own (independent of the predictor code)."""
    tr = Trace.from_raw(np.array(raw))
    opt, bits = belady(list(tr.ids), k)
    out = DiscardFollower(randomized).run(tr, k, {"discard_bit": np.array(bits)},
                                          np.random.default_rng(seed))
    assert out.misses == opt
    assert out.extra["fallbacks"] == 0
    assert replay_valid(list(tr.ids), k, out.hits, out.evicted)


@settings(max_examples=60, deadline=None)
@given(traces, ks, st.sampled_from([0.05, 0.2, 0.5, 1.0]), st.integers(0, 5))
def test_discard_smoothness_bounds(raw, k, p, seed):
    """Paper's bounds, cost <= OPT + beta * eta_0 + eta_1 with eta_0 = wrong 0-bits (kept but
    OPT evicts), eta_1 = wrong 1-bits, counted against brute-force perfect bits:
    deterministic beta = k - 1 (every run); randomized beta = 2 H_k (in expectation: the mean
    over 30 seeds, with 20% slack for sampling)."""
    tr = Trace.from_raw(np.array(raw))
    opt, perfect = belady(list(tr.ids), k)
    perfect = np.array(perfect, dtype=np.int8)
    flips = np.random.default_rng(seed).random(len(tr)) < p
    bits = (perfect ^ flips).astype(np.int8)
    eta0 = int(np.sum((bits == 0) & (perfect == 1)))
    eta1 = int(np.sum((bits == 1) & (perfect == 0)))
    pred = {"discard_bit": bits}
    det = DiscardFollower(False).run(tr, k, pred, np.random.default_rng(0)).misses
    assert det <= opt + (k - 1) * eta0 + eta1
    rnd = np.mean([DiscardFollower(True).run(tr, k, pred, np.random.default_rng(s)).misses
                   for s in range(30)])
    assert rnd <= 1.2 * (opt + 2 * H(k) * eta0 + eta1) + 1e-9


def test_discard_misses_grow_with_p_and_beat_lru_and_marker_for_small_p():
    """Claims (b), (c) on a Zipf trace, means over 8 seeds: misses are non-decreasing in p up
    to 2% noise; for p = 0.02 the follower beats LRU (plain-Python reference) and randomized
    Marker."""
    rng = np.random.default_rng(11)
    tr = Trace.from_raw(rng.zipf(1.2, 20_000))
    k = 30
    means = []
    for p in (0.0, 0.02, 0.1, 0.3, 0.6):
        m = [DiscardFollower(True).run(tr, k, {"discard_bit": DiscardBits(p).predict(
            tr, k, np.random.default_rng(s))}, np.random.default_rng(s)).misses
             for s in range(8)]
        means.append(np.mean(m))
    for lo, hi in zip(means, means[1:]):
        assert hi >= 0.98 * lo
    marker = np.mean([RandomMarker().run(tr, k, {}, np.random.default_rng(s)).misses
                      for s in range(8)])
    lru = lru_misses(list(tr.ids), k)
    assert means[1] < lru and means[1] < marker


def test_discard_robust_stays_near_marker_with_all_bits_wrong():
    """With every bit flipped (p = 1) the follower evicts exactly the pages OPT keeps; the
    deterministic combination with Marker costs at most sum_{j<=J} ((1+g)^j + 1 + k) (the
    combiner bound of test_augmented) and, in these runs, well below the follower."""
    rng = np.random.default_rng(5)
    tr = Trace.from_raw(np.tile(rng.permutation(12), 300))
    k = 10
    bits = DiscardBits(1.0).predict(tr, k, rng)
    fol = DiscardFollower(False).run(tr, k, {"discard_bit": bits}, rng).misses
    rob = DiscardRobust(True, 0.5).run(tr, k, {"discard_bit": bits}, np.random.default_rng(1))
    mk = rob.extra["misses_b"]
    assert rob.misses < fol
    assert rob.misses <= 1.5 ** 3 / 0.5 * min(fol, mk) + (np.log(len(tr)) / np.log(1.5) + 2) * (k + 1)


@settings(max_examples=80, deadline=None)
@given(traces, ks, st.integers(0, 3))
def test_mark_and_predict_perfect_bits_pay_clean_pages(raw, k, seed):
    """With perfect phase bits (computed here from the explicit partition) Mark&Predict's
    misses == total clean pages <= 2 OPT (brute-force Belady)."""
    tr = Trace.from_raw(np.array(raw))
    ids = list(tr.ids)
    ph = phases(ids, k)
    bits = np.ones(len(ids), dtype=np.int8)
    for i, block in enumerate(ph):
        nxt = {ids[t] for t in ph[i + 1]} if i + 1 < len(ph) else set()
        for t in block:
            bits[t] = 0 if ids[t] in nxt else 1
    out = MarkAndPredict().run(tr, k, {"phase_bit": bits}, np.random.default_rng(seed))
    assert out.misses == clean_total(ids, k) <= 2 * belady(ids, k)[0]
    assert replay_valid(ids, k, out.hits, out.evicted)


@settings(max_examples=40, deadline=None)
@given(traces, ks, st.sampled_from([0.1, 0.5, 1.0]), st.integers(0, 3))
def test_mark_and_predict_noisy_bounds(raw, k, p, seed):
    """(2, H_k, 1)-competitiveness, checked with H_k on all wrong bits (valid whichever error
    type carries H_k): mean over 30 seeds <= 1.2 (2 OPT + H_k (eta_0 + eta_1)); and as a marking
    algorithm at most k misses per k-phase in every run."""
    tr = Trace.from_raw(np.array(raw))
    ids = list(tr.ids)
    perfect = PhaseBits(0.0).predict(tr, k, np.random.default_rng(0))
    bits = PhaseBits(p).predict(tr, k, np.random.default_rng(seed))
    eta = int(np.sum(bits != perfect))
    opt = belady(ids, k)[0]
    runs = [MarkAndPredict().run(tr, k, {"phase_bit": bits}, np.random.default_rng(s)).misses
            for s in range(30)]
    assert max(runs) <= k * len(phases(ids, k))
    assert np.mean(runs) <= 1.2 * (2 * opt + H(k) * eta) + 1e-9


def _discard_det_ref(ids, bits, k):
    """Plain-Python deterministic DiscardFollower: (hits, evicted, fallbacks). The victim is
    the least recently requested cached page whose latest bit is 1, else the least recently
    requested unmarked page (all cached pages unmarked at a phase start)."""
    last, bit, unmarked = {}, {}, set()
    hits, evicted, fallbacks = [], [], 0
    for t, p in enumerate(ids):
        hits.append(p in last)
        v = -1
        if p not in last and len(last) == k:
            ones = [q for q in last if bit[q]]
            if ones:
                v = min(ones, key=last.get)
            else:
                fallbacks += 1
                if not unmarked:
                    unmarked = set(last)
                v = min(unmarked, key=last.get)
            unmarked.discard(v)
            del last[v]
        evicted.append(v)
        unmarked.discard(p)
        last[p] = t
        bit[p] = bits[t]
    return hits, evicted, fallbacks


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 15), min_size=1, max_size=400), ks,
       st.sampled_from([0.0, 0.1, 0.5, 1.0]), st.integers(0, 3))
def test_deterministic_discard_matches_plain_reference(raw, k, p, seed):
    """The deterministic follower is fully determined by the rule (no ties: request times are
    distinct): its hits, evictions and fallback count equal the plain-Python rule's, on long
    traces (the kernel's bit-1 FIFO wraps and drops stale entries) with noisy bits."""
    tr = Trace.from_raw(np.array(raw))
    bits = DiscardBits(p).predict(tr, k, np.random.default_rng(seed))
    out = DiscardFollower(False).run(tr, k, {"discard_bit": bits}, np.random.default_rng(0))
    hits, evicted, fallbacks = _discard_det_ref(list(tr.ids), list(bits), k)
    assert list(out.hits) == hits
    assert list(out.evicted) == evicted
    assert out.extra["fallbacks"] == fallbacks

"""Robust combiners: run two paging algorithms in simulation and lazily follow one of them.

Both schemes are those of Antoniadis, Coester, Eliáš, Polak & Simon (ICML 2020, "Online
metric algorithms with untrusted predictions", §2 and Appendix code ``Combine_det`` /
``Combine_rand``), for m = 2 algorithms A and B whose costs are their miss counts so far:

* Deterministic (Fiat, Rabani & Ravid 1994 style "switch when cost exceeds the bound"): follow
  A; whenever the followed algorithm's cost exceeds ``bound`` (initially 1), switch to the
  other and multiply the bound by ``1 + gamma``. Cost O(min(cost_A, cost_B)) (constant
  depending on gamma; the combination theorem of Antoniadis et al. 2020, after Fiat et al. 1994).
* Randomized (Blum & Burch 2000, "On-line learning and the metrical task system problem"):
  weights w_i <- w_i * beta^(miss_i) with beta = 1 - epsilon/2, probabilities p = w / sum w;
  when the followed algorithm's probability drops from p to p', switch to the other with
  probability (p - p') / p. Expected cost (1 + epsilon) min(cost_A, cost_B) + O(k / epsilon).

Lazy following: the combined cache serves request r_t itself; on a miss with a full cache it
evicts the earliest-loaded of its pages that the followed algorithm does not hold after its own
step t (there is one: that algorithm holds r_t, the combined cache does not). So the combined
cache changes by at most one page per request, like the reference code's ``Lazy_update``.

Kernel: one packed int per page (in A's cache, in B's cache, slot in the combined cache), A's
and B's caches replayed from their (hits, evicted) arrays, and an indexed heap over the
combined cache's slots, keyed by load time, of the pages outside the followed cache (load times
are distinct, so the victim is unique); O(log k) a request, O(k log k) per switch; apart from
the packed states every array has k entries.
"""

from __future__ import annotations

from typing import Annotated, Mapping

import numpy as np

from algorithms.constraints import Interval, Positive
from algorithms.paging._loop import loop
from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging import _ds
from algorithms.paging.augmented._common import check_k, n_slots, outcome
from algorithms.paging.augmented.blind_oracle import BlindOracle
from algorithms.paging.classic import _heap
from algorithms.paging.classic.random_marker import RandomMarker
from algorithms.paging.core import PagingOutcome, Trace


def combine_kernel(ids, n_pages, k, hits_a, ev_a, hits_b, ev_b, randomized, param, u, first):
    """Returns (hits, evicted, followed[t], n_switches). ``param`` = gamma or epsilon."""
    n = len(ids)
    k = min(k, n_pages)                              # a larger cache never evicts
    # a page's state packed in one int: bit 0 = in A's cache, bit 1 = in B's cache, bits 2+ =
    # its slot in the combined cache + 1 (0 = not cached)
    st = np.zeros(n_pages, dtype=np.int32 if n_pages < 2**28 else np.int64)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    followed = np.zeros(n, dtype=np.int8)
    per_slot = (np.empty(k, dtype=np.int64),        # page in the slot
                np.zeros(k, dtype=np.int64),        # load time (heap key)
                np.empty(k, dtype=np.int64),        # heap of the slots whose page is outside
                np.full(k, -1, dtype=np.int64))     # the followed cache, by load time
    switches = _combine_loop(ids, st, k, hits_a, ev_a, hits_b, ev_b, randomized, param, u,
                             first, hits, evicted, followed, *per_slot)
    return hits, evicted, followed, switches


@loop
def _combine_loop(ids, st, k, hits_a, ev_a, hits_b, ev_b, randomized, param, u, first,
                  hits, evicted, followed, page_of, load, heap, hpos):
    n = len(ids)
    hsize = 0
    ncache = 0
    cost0 = 0
    cost1 = 0
    cur = first
    bound = 1.0
    beta = 1.0 - 0.5 * param
    prob0 = 0.5
    prob1 = 0.5
    switches = 0
    for t in range(n):
        if t + AHEAD < n:
            ta = t + AHEAD
            prefetch(st, ids[ta])
            prefetch(st, max(ev_a[ta], 0))
            prefetch(st, max(ev_b[ta], 0))
        p = ids[t]
        miss0 = not hits_a[t]
        miss1 = not hits_b[t]
        cost0 += miss0
        cost1 += miss1
        sp = st[p] | 3                               # both caches hold r_t after step t
        st[p] = sp
        e0 = ev_a[t]
        if e0 >= 0:
            st[e0] &= ~1
        e1 = ev_b[t]
        if e1 >= 0:
            st[e1] &= ~2
        prev = cur
        if not randomized:
            while (cost0 if cur == 0 else cost1) > bound:
                cur = 1 - cur
                bound *= 1.0 + param
        else:
            w0 = prob0 * (beta if miss0 else 1.0)
            w1 = prob1 * (beta if miss1 else 1.0)
            s = w0 + w1
            new0 = w0 / s
            new1 = w1 / s
            old = prob0 if cur == 0 else prob1
            new = new0 if cur == 0 else new1
            if new < old and u[t] < (old - new) / old:
                cur = 1 - cur
            prob0 = new0
            prob1 = new1
        sl = (sp >> 2) - 1
        if cur != prev:
            switches += 1
            for i in range(hsize):
                hpos[heap[i]] = -1
            hsize = 0
            bit = 1 << cur
            for j in range(ncache):
                if not st[page_of[j]] & bit:
                    hsize = _heap.push(heap, load, hpos, hsize, j, load[j])
        else:
            if sl >= 0 and hpos[sl] >= 0:            # r_t joined the followed cache
                hsize = _ds.heap_remove(heap, load, hpos, hsize, sl)
            e = e0 if cur == 0 else e1
            if e >= 0:
                se = (st[e] >> 2) - 1
                if se >= 0 and hpos[se] < 0:
                    hsize = _heap.push(heap, load, hpos, hsize, se, load[se])
        followed[t] = cur
        if sl >= 0:
            hits[t] = True
            continue
        if ncache == k:
            sl, hsize = _heap.pop_min(heap, load, hpos, hsize)
            v = page_of[sl]
            st[v] &= 3
            evicted[t] = v
        else:
            sl = ncache
            ncache += 1
        st[p] = (sp & 3) | ((sl + 1) << 2)
        page_of[sl] = p
        load[sl] = t
    return switches


def combine(trace: Trace, k: int, out_a: PagingOutcome, out_b: PagingOutcome, *,
            randomized: bool, param: float, rng: np.random.Generator | None = None,
            ) -> PagingOutcome:
    """Combine two outcomes on the same trace (``param``: gamma, or epsilon if randomized)."""
    k = check_k(k)
    n = len(trace)
    if randomized:
        if rng is None:
            raise ValueError("rng: the randomized combiner needs a Generator")
        first = int(rng.integers(2))
        u = rng.random(n)
    else:
        first, u = 0, np.zeros(1)
    hits, ev, followed, switches = combine_kernel(
        trace.ids, n_slots(trace), k,
        np.ascontiguousarray(out_a.hits, dtype=np.bool_), np.ascontiguousarray(out_a.evicted),
        np.ascontiguousarray(out_b.hits, dtype=np.bool_), np.ascontiguousarray(out_b.evicted),
        bool(randomized), float(param), u, first)
    return outcome(hits, ev, out_a.queries + out_b.queries, followed=followed,
                   switches=int(switches), misses_a=out_a.misses, misses_b=out_b.misses)


class CombineDeterministic:
    """Programmatic deterministic combiner of two policy objects (not a config choice)."""

    def __init__(self, first, second, gamma: float = 0.01) -> None:
        self.first, self.second, self.gamma = first, second, float(gamma)
        self.requires = tuple(dict.fromkeys(first.requires + second.requires))

    def run(self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray],
            rng: np.random.Generator) -> PagingOutcome:
        a = self.first.run(trace, k, predictions, rng)
        b = self.second.run(trace, k, predictions, rng)
        return combine(trace, k, a, b, randomized=False, param=self.gamma)


class CombineRandomized:
    """Programmatic Blum-Burch combiner of two policy objects (not a config choice)."""

    def __init__(self, first, second, epsilon: float = 0.5) -> None:
        self.first, self.second, self.epsilon = first, second, float(epsilon)
        self.requires = tuple(dict.fromkeys(first.requires + second.requires))

    def run(self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray],
            rng: np.random.Generator) -> PagingOutcome:
        a = self.first.run(trace, k, predictions, rng)
        b = self.second.run(trace, k, predictions, rng)
        return combine(trace, k, a, b, randomized=True, param=self.epsilon, rng=rng)


class RobustFtP:
    """BlindOracle and randomized Marker combined by Blum-Burch (Antoniadis et al. 2020's
    "RobustFtP"; epsilon = 0.5 there)."""

    requires: tuple[str, ...] = ("next_arrival",)

    def __init__(self, epsilon: Annotated[float, Interval(0, 1, lo_open=True)] = 0.5) -> None:
        self.epsilon = float(epsilon)
        if not 0 < self.epsilon <= 1:
            raise ValueError(f"epsilon: {epsilon!r}; allowed: in (0, 1]")
        self._inner = CombineRandomized(BlindOracle(), RandomMarker(), self.epsilon)

    def run(self, trace, k, predictions, rng) -> PagingOutcome:
        return self._inner.run(trace, k, predictions, rng)


class DetFtP:
    """BlindOracle and randomized Marker combined deterministically (bound x (1 + gamma))."""

    requires: tuple[str, ...] = ("next_arrival",)

    def __init__(self, gamma: Annotated[float, Positive] = 0.01) -> None:
        self.gamma = float(gamma)
        if self.gamma <= 0:
            raise ValueError(f"gamma: {gamma!r}; allowed: > 0")
        self._inner = CombineDeterministic(BlindOracle(), RandomMarker(), self.gamma)

    def run(self, trace, k, predictions, rng) -> PagingOutcome:
        return self._inner.run(trace, k, predictions, rng)

"""Discard-bit algorithms (Antoniadis et al., ICML 2023, §2 "Discard predictions").

Bit b_t = 1 says the page of request t is safe to evict (perfect: Belady does not keep it
until its next request; see ``predictors.bits``). Each cached page carries the bit of its latest
request. On a miss with a full cache:

1. if some cached page has bit 1, evict one (the least recently requested of them);
2. otherwise (a prediction error has been detected: OPT would keep all k pages) fall back to
   marking: pages are marked when requested; evict an unmarked page - the least recently
   requested one (``randomized=False``) or a uniformly random one (``randomized=True``); when
   no cached page is unmarked, start a new phase (unmark all).

Consistency (exact, the property checked in the tests): with perfect bits step 2 never runs
and the misses equal Belady's: every page with bit 0 is kept until its next request (at each
miss, which is also an OPT miss, OPT keeps at most k - 1 bit-0 pages, so a bit-1 page is
cached), hence the follower misses only where OPT misses.
Guarantees stated by the paper (as (alpha, beta, gamma)-competitiveness, cost <= alpha OPT +
beta eta_0 + gamma eta_1): deterministic (1, k - 1, 1), randomized (1, 2 H_k, 1), where
eta_0 counts wrong 0-bits (page predicted to be kept, OPT evicts it) and eta_1 wrong 1-bits;
the coefficient assignment follows from the paper's lower bounds (alpha + beta >= k with
all-0 bits, alpha + (k - 1) gamma >= k with all-1 bits) [the step-by-step rules of the paper's
algorithm were not available here: UNCONFIRMED; this is the follower + marking fallback the
spec notes describe, checked against those bounds]. Robustness to arbitrary bits is obtained
by the deterministic combination with Marker (``DiscardRobust``, ``augmented.combiners``).

Kernel: cached pages sit in k slots (a loaded page takes its victim's slot); per page only its
slot is kept, the rest is per slot (page, latest request time, positions in the sets) and stays
in the CPU cache. Bit-1 requests go to a FIFO of (slot, request time); an entry is live while
its slot's latest request time equals it (the page is still cached and not requested since), so
the head gives the least recently requested cached bit-1 page; stale entries are skipped at
the head or dropped when the ring buffer (at least 2k entries) fills, amortized O(1). The unmarked
pages form a swap-remove set of slots; the deterministic fallback walks the phase-start slots
sorted by latest request (``_sort``, radix, O(k) per fallback phase). The request loop
is compiled without reference counting (``_loop``) and prefetches the slot of the page
requested ``AHEAD`` requests later; amortized O(1) per request.
"""

from __future__ import annotations

from typing import Annotated, Mapping

import numpy as np

from algorithms.constraints import Positive
from algorithms.paging import _sort
from algorithms.paging._loop import loop
from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging import _ds
from algorithms.paging.augmented._common import check_k, n_slots, outcome, prediction
from algorithms.paging.augmented.combiners import CombineDeterministic
from algorithms.paging.classic.random_marker import RandomMarker
from algorithms.paging.core import PagingOutcome, Trace


def discard_kernel(ids: np.ndarray, bits: np.ndarray, n_pages: int, k: int, u: np.ndarray,
                   randomized: bool):
    """(hits, evicted, number of fallback evictions) of the rule above on page ids
    0..n_pages-1, cache size k, uniforms ``u`` (one per request, read by the randomized
    fallback)."""
    n = len(ids)
    hits = np.empty(n, dtype=np.bool_)                   # both written at every request
    evicted = np.empty(n, dtype=np.int64)
    idt = np.int32 if max(n, n_pages, k) < 2**31 else np.int64
    slot_of = np.full(n_pages, -1, dtype=idt)            # per page: slot (-1: not cached)
    per_slot = np.full((k, 4), -1, dtype=idt)            # PAGE, LAST, CPOS, UPOS
    cap = 2                                              # FIFO ring: >= 2k entries, or >= n
    while cap < min(2 * k, n):                           # (then it never fills)
        cap *= 2
    fallbacks = _discard_loop(
        ids, bits, k, u, randomized, hits, evicted, slot_of, per_slot[:, PAGE],
        per_slot[:, LAST], per_slot[:, CPOS], per_slot[:, UPOS],
        np.empty(k, dtype=idt), np.empty(k, dtype=idt), np.empty(k, dtype=idt),
        np.empty((cap, 2), dtype=idt), *_sort.buffers(k, idt))
    return hits, evicted, fallbacks


PAGE, LAST, CPOS, UPOS = 0, 1, 2, 3                      # columns of the per-slot rows


@loop
def _discard_loop(ids, bits, k, u, randomized, hits, evicted, slot_of, page_of, last, cpos,
                  upos, carr, uarr, order, queue, okey, tkey, tval, cnt):
    n = len(ids)
    mask = len(queue) - 1
    ncache = 0
    nun = 0                                          # unmarked slots (fallback phases)
    qhead = 0                                        # FIFO of (slot, time) of bit-1 requests
    qtail = 0
    optr = 0
    fallbacks = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(slot_of, ids[t + AHEAD])
        p = ids[t]
        s = slot_of[p]
        hits[t] = s >= 0
        evicted[t] = -1
        if s >= 0:
            if nun > 0:                              # mark
                nun = _ds.set_remove(uarr, upos, nun, s)
        else:
            if ncache == k:
                s = -1
                while qhead < qtail:                 # least recently requested live bit 1
                    e = qhead & mask
                    q = queue[e, 0]
                    qhead += 1
                    if last[q] == queue[e, 1]:
                        s = q
                        break
                if s < 0:
                    fallbacks += 1
                    if nun == 0:                     # new phase: unmark every cached page
                        for i in range(ncache):
                            nun = _ds.set_add(uarr, upos, nun, carr[i])
                        if not randomized:
                            for i in range(ncache):
                                order[i] = carr[i]
                                okey[i] = last[carr[i]]
                            _sort.sort_pairs(okey, order, ncache, tkey, tval, cnt)
                            optr = 0
                    if randomized:
                        s = _ds.set_pick(uarr, nun, u[t])
                    else:
                        while upos[order[optr]] < 0:
                            optr += 1
                        s = order[optr]
                        optr += 1
                nun = _ds.set_remove(uarr, upos, nun, s)
                ncache = _ds.set_remove(carr, cpos, ncache, s)
                v = page_of[s]
                slot_of[v] = -1
                evicted[t] = v
            else:
                s = ncache
            ncache = _ds.set_add(carr, cpos, ncache, s)
            slot_of[p] = s                           # the victim's slot left the unmarked
            page_of[s] = p                           # set: the loaded page is marked
        last[s] = t
        if bits[t] != 0:
            if qtail - qhead > mask:                 # ring full: drop the stale entries
                w = qhead
                for r in range(qhead, qtail):
                    e = r & mask
                    q = queue[e, 0]
                    if last[q] == queue[e, 1]:
                        f = w & mask
                        queue[f, 0] = q
                        queue[f, 1] = queue[e, 1]
                        w += 1
                qtail = w
            e = qtail & mask
            queue[e, 0] = s
            queue[e, 1] = t
            qtail += 1
    return fallbacks


class DiscardFollower:
    """Evict a page predicted safe to discard; else a marking fallback (det. or random)."""

    requires: tuple[str, ...] = ("discard_bit",)

    def __init__(self, randomized: bool = True) -> None:
        self.randomized = bool(randomized)

    def run(self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray],
            rng: np.random.Generator) -> PagingOutcome:
        k = check_k(k)
        bits = prediction(predictions, "discard_bit", trace, dtype=np.int8)
        u = rng.random(len(trace))
        hits, ev, fb = discard_kernel(trace.ids, bits, n_slots(trace), k, u, self.randomized)
        return outcome(hits, ev, fallbacks=int(fb))


class DiscardRobust:
    """DiscardFollower combined deterministically with randomized Marker (bound x (1+gamma)):
    O(1)-competitive against min(follower, Marker), hence O(log k)-robust."""

    requires: tuple[str, ...] = ("discard_bit",)

    def __init__(self, randomized: bool = True,
                 gamma: Annotated[float, Positive] = 0.01) -> None:
        self.randomized, self.gamma = bool(randomized), float(gamma)
        if self.gamma <= 0:
            raise ValueError(f"gamma: {gamma!r}; allowed: > 0")
        self._inner = CombineDeterministic(DiscardFollower(self.randomized), RandomMarker(),
                                           self.gamma)

    def run(self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray],
            rng: np.random.Generator) -> PagingOutcome:
        return self._inner.run(trace, k, predictions, rng)

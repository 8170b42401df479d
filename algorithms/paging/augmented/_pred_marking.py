"""The marking kernel shared by Predictive Marker (L&V 2018) and LMarker (Rohatgi 2020).

Marking phases (Fiat et al. 1991): a requested page is marked; a miss with a full cache and
no unmarked page starts a new phase: every cached page becomes unmarked and *stale* (the
cache at the phase start). A miss on a page that is not stale is *clean*.

* Clean miss: evict the unmarked page with the largest predicted next arrival and open a
  chain whose representative is the evicted page.
* Stale miss (the page was evicted earlier in this phase, so it represents a chain): extend
  that chain; if its length is <= ``cap`` evict the unmarked page with the largest prediction,
  else a uniformly random unmarked page; the evicted page becomes the representative.

``cap = H_k`` is Predictive Marker (Lykouris & Vassilvitskii, ICML 2018, Algorithm 1 with
the H_k chain threshold, as in Antoniadis et al. 2020's code ``PredMarker``); ``cap = 0`` makes
every stale miss random: LMarker (Rohatgi, SODA 2020, §3 "LMarker"). Cold-start loads (cache
not full) mark the loaded page, like the reference code.

Choices, fully specified so that a plain-Python simulator (``tests/paging/_marking_ref.py``)
makes the same ones: cached pages sit in slots 0..k-1 (filled in order; a loaded page takes its
victim's slot). "Largest prediction" compares the prediction made at each page's latest
request, ties going to the highest slot. The unmarked slots form a list, slots 0..k-1 in
order at a phase start, from which a removal moves the last entry into the hole; a random
unmarked page is entry floor(u_t * size).

Data: the unmarked slots and their order by prediction are ``_by_prediction``'s (a sort at
the phase start, then a pointer: O(k) a phase). Every per-slot array has k entries and stays
in the CPU cache; per page there is one packed row (slot, phase in which it was made stale,
chain of an evicted page). Phase and chain membership are stamped with the phase number, so a
request costs O(1) amortized.
"""

from __future__ import annotations

import numpy as np
from algorithms.paging._loop import loop
from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging import _sort
from algorithms.paging import _ds
from algorithms.paging.augmented import _by_prediction


def pred_marking_kernel(ids: np.ndarray, pred: np.ndarray, n_pages: int, k: int,
                        u: np.ndarray, cap: float):
    """(hits, evicted) of the marking rule above on page ids 0..n_pages-1, cache size k <=
    n_pages, float64 predictions ``pred``, uniforms ``u`` (one per request), chain cap ``cap``."""
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    # one row per page, so a request touches one cache line: slot (-1: not cached), phase in
    # which the page is stale, chain of an evicted page
    pg = np.full((n_pages, 4), -1, dtype=np.int32 if max(n, n_pages) < 2**31 else np.int64)
    pred = np.ascontiguousarray(pred, dtype=np.float64)
    _marking_loop(ids, pred.view(np.uint64), k, u, cap, hits, evicted, pg,
                  np.zeros(k + 1, dtype=np.int64),           # chain lengths
                  *_by_prediction.slot_arrays(k))
    return hits, evicted


SLOT, STALE, CHAIN = 0, 1, 2                      # columns of the per-page rows


@loop
def _marking_loop(ids, pred_bits, k, u, cap, hits, evicted, pg, chain_len, page_of, uarr, upos,
                  predkey, order, okey, tkey, tval, cnt):
    n = len(ids)
    ncache = 0
    nun = 0
    top = -1                                         # order[top]: next max-prediction candidate
    nchains = 0
    phase = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(pg, ids[t + AHEAD])
        p = ids[t]
        s = pg[p, SLOT]
        if s >= 0:
            hits[t] = True
            nun = _ds.set_remove(uarr, upos, nun, s)    # mark (a no-op if marked)
            predkey[s] = _sort.float_key(pred_bits[t])
            continue
        if ncache == k:
            if nun == 0:                            # new phase
                phase += 1
                nchains = 0
                nun, top = _by_prediction.start(pg, STALE, phase, page_of, k, uarr, upos, nun,
                                                order, predkey, okey, tkey, tval, cnt)
            if pg[p, STALE] != phase:               # clean miss: new chain
                c = nchains
                nchains += 1
                chain_len[c] = 1
                random = False
            else:                                   # stale miss: extend its chain
                c = pg[p, CHAIN]
                chain_len[c] += 1
                random = chain_len[c] > cap
            if random:
                s = _ds.set_pick(uarr, nun, u[t])
            else:
                s, top = _by_prediction.largest(order, upos, top)
            v = page_of[s]
            pg[v, CHAIN] = c
            nun = _ds.set_remove(uarr, upos, nun, s)
            pg[v, SLOT] = -1
            evicted[t] = v
        else:
            s = ncache
            ncache += 1
        pg[p, SLOT] = s
        page_of[s] = p
        predkey[s] = _sort.float_key(pred_bits[t])

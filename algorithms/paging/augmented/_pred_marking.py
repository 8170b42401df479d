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

Data: cached pages sit in k slots (a loaded page takes its victim's slot; ``slot_of`` maps a
page to its slot). A swap-remove set of cached slots, a swap-remove set of unmarked slots
(uniform pick) and an indexed heap of unmarked slots keyed by the negated prediction (max
pick; ties by the heap's arrangement) all have k entries, so they stay in the CPU cache; only
``slot_of``, the stale stamps and the chain of an evicted page are per page. Phase and chain
membership are stamped with the phase number, so a phase start costs O(k log k) and a request
O(log k).
"""

from __future__ import annotations

import numpy as np
from algorithms.paging._loop import loop
from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging.augmented import _ds
from algorithms.paging.classic import _heap


def pred_marking_kernel(ids: np.ndarray, pred: np.ndarray, n_pages: int, k: int,
                        u: np.ndarray, cap: float):
    """(hits, evicted) of the marking rule above on page ids 0..n_pages-1, cache size k <=
    n_pages, uniforms ``u`` (one per request) and chain cap ``cap``."""
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    # one row per page, so a request touches one cache line: slot (-1: not cached), phase in
    # which the page is stale, chain of an evicted page
    pg = np.full((n_pages, 4), -1, dtype=np.int32 if max(n, n_pages) < 2**31 else np.int64)
    per_slot = (np.empty(k, dtype=np.int32),             # page in the slot
                np.empty(k, dtype=np.int32), np.full(k, -1, dtype=np.int32),   # cached slots
                np.empty(k, dtype=np.int32), np.full(k, -1, dtype=np.int32),   # unmarked slots
                np.empty(k, dtype=np.int32), np.zeros(k, dtype=np.float64),    # heap of the
                np.full(k, -1, dtype=np.int32),                                # unmarked slots
                np.zeros(k, dtype=np.float64),           # prediction from the latest request
                np.zeros(k + 1, dtype=np.int64))         # chain lengths
    _marking_loop(ids, pred, k, u, cap, hits, evicted, pg, *per_slot)
    return hits, evicted


SLOT, STALE, CHAIN = 0, 1, 2                      # columns of the per-page rows


@loop
def _marking_loop(ids, pred, k, u, cap, hits, evicted, pg, page_of, carr, cpos, uarr, upos,
                  heap, key, hpos, predkey, chain_len):
    n = len(ids)
    ncache = 0
    nun = 0
    hsize = 0
    nchains = 0
    phase = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(pg, ids[t + AHEAD])
        p = ids[t]
        s = pg[p, SLOT]
        if s >= 0:
            hits[t] = True
            if upos[s] >= 0:                        # mark
                nun = _ds.set_remove(uarr, upos, nun, s)
                hsize = _ds.heap_remove(heap, key, hpos, hsize, s)
            predkey[s] = pred[t]
            continue
        if ncache == k:
            if nun == 0:                            # new phase
                phase += 1
                nchains = 0
                for i in range(ncache):
                    q = carr[i]
                    pg[page_of[q], STALE] = phase
                    nun = _ds.set_add(uarr, upos, nun, q)
                    hsize = _heap.push(heap, key, hpos, hsize, q, -predkey[q])
            if pg[p, STALE] != phase:                   # clean miss: new chain
                s = heap[0]
                c = nchains
                nchains += 1
                chain_len[c] = 1
            else:                                   # stale miss: extend its chain
                c = pg[p, CHAIN]
                chain_len[c] += 1
                if chain_len[c] <= cap:
                    s = heap[0]
                else:
                    s = _ds.set_pick(uarr, nun, u[t])
            v = page_of[s]
            pg[v, CHAIN] = c
            nun = _ds.set_remove(uarr, upos, nun, s)
            hsize = _ds.heap_remove(heap, key, hpos, hsize, s)
            ncache = _ds.set_remove(carr, cpos, ncache, s)
            pg[v, SLOT] = -1
            evicted[t] = v
        else:
            s = ncache
        ncache = _ds.set_add(carr, cpos, ncache, s)
        pg[p, SLOT] = s
        page_of[s] = p
        predkey[s] = pred[t]

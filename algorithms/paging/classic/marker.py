"""Deterministic Marker: a marking algorithm that evicts the earliest-loaded unmarked page.

Marking (Fiat, Karp, Luby, McGeoch, Sleator, Young 1991, "Competitive paging algorithms"):
every requested page is marked; on a miss with a full cache whose pages are all marked, a new
phase starts and all pages are unmarked; the victim is always an unmarked page. Any marking
algorithm is k-competitive. Which unmarked page is evicted:

* ``victim="oldest_loaded"`` (default): the unmarked page loaded earliest (FIFO among
  unmarked), a marking algorithm distinct from LRU.
* ``victim="least_recent"``: the least recently requested unmarked page. Unmarked pages are
  exactly those not requested since the phase began, so this is always the overall LRU page:
  this variant is LRU (kept because the equality is a useful check).

Kernel: a linked list of cached pages (load or recency order); at a phase start the cached
pages are copied in list order into a candidate array and a pointer walks it, skipping pages
marked since; O(k) per phase, amortized O(1) per request (a phase has at least k
requests); the state of the page requested ``AHEAD`` steps later is prefetched.
"""

from __future__ import annotations

from typing import Annotated, Mapping

import numpy as np
from numba import njit

from algorithms.constraints import OneOf
from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging.classic._common import cache_size, n_slots, outcome
from algorithms.paging.core import PagingOutcome, Trace


@njit(cache=True)
def marker_kernel(ids: np.ndarray, n_pages: int, k: int, by_recency: bool):
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    s = n_pages                                   # sentinel; nxt from s = oldest first
    nxt = np.full(n_pages + 1, -1, dtype=np.int64)
    prv = np.full(n_pages + 1, -1, dtype=np.int64)
    nxt[s] = s
    prv[s] = s
    marked = np.zeros(n_pages, dtype=np.bool_)
    cand = np.empty(k, dtype=np.int64)
    n_cand = 0
    ptr = 0
    count = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(nxt, ids[t + AHEAD])
        p = ids[t]
        if nxt[p] >= 0:
            hits[t] = True
            marked[p] = True
            if not by_recency:
                continue
            a = prv[p]                            # unlink; relinked at the tail below
            b = nxt[p]
            nxt[a] = b
            prv[b] = a
        else:
            if count == k:
                while ptr < n_cand and marked[cand[ptr]]:
                    ptr += 1
                if ptr == n_cand:                 # all marked: new phase
                    n_cand = 0
                    q = nxt[s]
                    while q != s:
                        marked[q] = False
                        cand[n_cand] = q
                        n_cand += 1
                        q = nxt[q]
                    ptr = 0
                v = cand[ptr]
                ptr += 1
                a = prv[v]
                b = nxt[v]
                nxt[a] = b
                prv[b] = a
                nxt[v] = -1
                evicted[t] = v
            else:
                count += 1
            marked[p] = True
        last = prv[s]                             # append p at the tail (newest)
        nxt[last] = p
        prv[p] = last
        nxt[p] = s
        prv[s] = p
    return hits, evicted


class Marker:
    """Deterministic marking algorithm (victim: earliest-loaded or least recent unmarked)."""

    requires: tuple[str, ...] = ()

    def __init__(
        self, victim: Annotated[str, OneOf("oldest_loaded", "least_recent")] = "oldest_loaded"
    ) -> None:
        self.victim = str(victim)
        if self.victim not in ("oldest_loaded", "least_recent"):
            raise ValueError(f"victim: {victim!r}; allowed: 'oldest_loaded', 'least_recent'")

    def run(
        self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray], rng: np.random.Generator
    ) -> PagingOutcome:
        k = cache_size(k, trace)
        return outcome(*marker_kernel(trace.ids, n_slots(trace), k, self.victim == "least_recent"))

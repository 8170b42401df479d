"""LRU: on a miss with a full cache, evict the least recently requested page.

Sleator & Tarjan (1985), "Amortized efficiency of list update and paging rules": LRU is
k-competitive. Kernel: cached pages sit in k slots joined by a doubly linked list in int32
arrays (slot k is the sentinel; its next is the most recent, its previous the least recent);
``slot_of[page]`` finds a page's slot. O(1) per request, and apart from ``slot_of`` every
array has k entries, so it stays in the CPU cache; ``slot_of`` of the page requested ``AHEAD``
steps later is prefetched.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
from numba import njit

from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging.classic._common import cache_size, n_slots, outcome
from algorithms.paging.core import PagingOutcome, Trace


@njit(cache=True)
def lru_kernel(ids: np.ndarray, n_pages: int, k: int):
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    slot_of = np.full(n_pages, -1, dtype=np.int32)
    page_of = np.empty(k, dtype=np.int64)
    nxt = np.empty(k + 1, dtype=np.int32)
    prv = np.empty(k + 1, dtype=np.int32)
    head = k                                      # sentinel
    nxt[head] = head
    prv[head] = head
    count = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(slot_of, ids[t + AHEAD])
        p = ids[t]
        s = slot_of[p]
        if s >= 0:                                # hit: unlink, relink at the front
            hits[t] = True
            if nxt[head] == s:
                continue
            a = prv[s]
            b = nxt[s]
            nxt[a] = b
            prv[b] = a
        elif count == k:                          # miss, full: reuse the LRU page's slot
            s = prv[head]
            a = prv[s]
            nxt[a] = head
            prv[head] = a
            v = page_of[s]
            slot_of[v] = -1
            evicted[t] = v
            slot_of[p] = s
            page_of[s] = p
        else:
            s = count
            count += 1
            slot_of[p] = s
            page_of[s] = p
        first = nxt[head]
        nxt[s] = first
        prv[s] = head
        prv[first] = s
        nxt[head] = s
    return hits, evicted


class LRU:
    """Least recently used."""

    requires: tuple[str, ...] = ()

    def __init__(self) -> None:
        pass

    def run(
        self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray], rng: np.random.Generator
    ) -> PagingOutcome:
        return outcome(*lru_kernel(trace.ids, n_slots(trace), cache_size(k, trace)))

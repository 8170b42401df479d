"""LFU: on a miss with a full cache, evict the cached page requested least often.

Frequency = number of requests since the page was last loaded (it restarts at 1 when an
evicted page comes back: "in-cache" LFU, the usual simulator convention). Ties are broken by
LRU: among the least frequent pages, the one whose latest request is oldest. Kernel: an indexed
min-heap over the k cache slots keyed by freq * (n + 1) + time of latest request (unique keys),
O(log k) per request; the slot of the page requested ``AHEAD`` steps later is prefetched.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
from numba import njit

from algorithms.paging.classic import _heap
from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging.classic._common import cache_size, n_slots, outcome
from algorithms.paging.core import PagingOutcome, Trace


@njit(cache=True)
def lfu_kernel(ids: np.ndarray, n_pages: int, k: int, heap, key, pos):
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    slot_of = np.full(n_pages, -1, dtype=np.int64)
    page_of = np.empty(k, dtype=np.int64)
    freq = np.zeros(k, dtype=np.int64)            # per slot
    scale = n + 1
    size = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(slot_of, ids[t + AHEAD])
        p = ids[t]
        s = slot_of[p]
        if s >= 0:
            hits[t] = True
            freq[s] += 1
            _heap.update(heap, key, pos, size, s, freq[s] * scale + t)
        elif size < k:
            slot_of[p] = size
            page_of[size] = p
            freq[size] = 1
            size = _heap.push(heap, key, pos, size, size, scale + t)
        else:
            s = heap[0]
            v = page_of[s]
            evicted[t] = v
            slot_of[v] = -1
            slot_of[p] = s
            page_of[s] = p
            freq[s] = 1
            _heap.replace_min(heap, key, pos, size, scale + t)
    return hits, evicted


class LFU:
    """Least frequently used (in-cache counts), ties by least recently used."""

    requires: tuple[str, ...] = ()

    def __init__(self) -> None:
        pass

    def run(
        self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray], rng: np.random.Generator
    ) -> PagingOutcome:
        k = cache_size(k, trace)
        heap, key, pos = _heap.empty(k, k)
        return outcome(*lfu_kernel(trace.ids, n_slots(trace), k, heap, key, pos))

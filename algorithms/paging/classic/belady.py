"""Belady's MIN / OPT: on a miss with a full cache, evict the page requested furthest ahead.

Belady (1966), "A study of replacement algorithms for a virtual-storage computer"; optimal
for demand paging (Mattson et al. 1970). Reads ``trace.next_arrival`` (the oracle array, as
libCacheSim's Belady reads next_access_vtime). Pages never requested again are evicted first,
the lowest page id among them (any choice there gives the same miss count).

Kernel: a 4-ary min-heap of the k cached pages whose entries pack (priority << b) | page into
one int64 (b = bits for a page id), priority = n + n_pages - next_arrival for pages requested
again and the page id otherwise, so the smallest entry is the victim; ``pos[page]`` is the
page's heap index. One array compare per heap level, O(log k) per request; the position of
the page requested ``AHEAD`` steps later is prefetched (``_prefetch``).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
from numba import njit

from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging.classic._common import cache_size, n_slots, outcome
from algorithms.paging.core import PagingOutcome, Trace


def page_bits(n_pages: int) -> int:
    return max(1, int(n_pages - 1).bit_length())


@njit(cache=True)
def belady_kernel(ids: np.ndarray, nxt: np.ndarray, n_pages: int, k: int, shift: int):
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    mask = (np.int64(1) << shift) - 1
    pos = np.full(n_pages, -1, dtype=np.int32)
    h = np.zeros(k, dtype=np.int64)
    top = n + n_pages
    size = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(pos, ids[t + AHEAD])
        p = ids[t]
        nx = nxt[t]
        pri = top - nx if nx < n else p          # smaller = evicted sooner
        e = (pri << shift) | p
        i = pos[p]
        if i < 0 and size == k:                  # full-cache miss: replace the root, sift down
            v = h[0] & mask
            evicted[t] = v
            pos[v] = -1
            i = 0
            while True:
                first = 4 * i + 1
                if first >= size:
                    break
                b = first
                be = h[first]
                last = min(first + 4, size)
                for c in range(first + 1, last):
                    if h[c] < be:
                        be = h[c]
                        b = c
                if be < e:
                    h[i] = be
                    pos[be & mask] = i
                    i = b
                else:
                    break
        else:                                    # hit (priority fell) or free slot: sift up
            if i >= 0:
                hits[t] = True
            else:
                i = size
                size += 1
            while i > 0:
                parent = (i - 1) >> 2
                pe = h[parent]
                if e < pe:
                    h[i] = pe
                    pos[pe & mask] = i
                    i = parent
                else:
                    break
        h[i] = e
        pos[p] = i
    return hits, evicted


class Belady:
    """Offline optimal (furthest in the future), from the trace's next-arrival array."""

    requires: tuple[str, ...] = ()

    def __init__(self) -> None:
        pass

    def run(
        self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray], rng: np.random.Generator
    ) -> PagingOutcome:
        k = cache_size(k, trace)
        m = n_slots(trace)
        shift = page_bits(m)
        if (len(trace) + m + 1).bit_length() + shift > 62:
            raise ValueError(f"trace too long for Belady's packed heap ({len(trace)} requests, {m} pages)")
        return outcome(*belady_kernel(trace.ids, trace.next_arrival, m, k, shift))

"""Randomized Marker: on a miss with a full cache, evict a uniformly random unmarked page.

Fiat, Karp, Luby, McGeoch, Sleator, Young (1991), "Competitive paging algorithms": 2H_k-
competitive. Phases as in ``marker.py``. Randomness: before the run, u_t ~ U[0,1) is drawn from
``rng`` for every request t (one ``rng.random(n)`` call). Cached pages occupy slots 0..k-1
(filled in order while the cache fills; a loaded page takes its victim's slot). An eviction at
request t picks the unmarked page of rank floor(u_t * m) in slot order, m = number of unmarked
cached pages: a uniform choice, fully specified, so a plain-Python reference consuming the same
draws (``reference.random_marker``) makes the same choices.

Kernel: a Fenwick tree over the k slots counts unmarked pages; selecting the j-th one is a
binary descent that also removes it, O(log k) per eviction or marking, on arrays of size k; it
is rebuilt in O(k) at each phase start (a phase has at least k requests). (A three-level
count array with O(1) marking was measured slower: its selection scans are longer.)
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
from numba import njit

from algorithms.paging._loop import loop
from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging.classic._common import cache_size, n_slots, outcome
from algorithms.paging.core import PagingOutcome, Trace


@njit(cache=True, inline="always")
def _fen_add(tree, i, delta):
    i += 1
    m = len(tree) - 1
    while i <= m:
        tree[i] += delta
        i += i & (-i)


@njit(cache=True, inline="always")
def _fen_take(tree, top, j):
    """0-based index of the (j+1)-th unmarked slot (j < total), which is removed from the tree
    in the same descent: the nodes it does not step over are the ones that cover it.
    top = highest power of 2 <= m."""
    pos = 0
    rem = j + 1
    step = top
    m = len(tree) - 1
    while step > 0:
        nxt = pos + step
        if nxt <= m:
            c = tree[nxt]
            if c < rem:
                pos = nxt
                rem -= c
            else:
                tree[nxt] = c - 1
        step >>= 1
    return pos


def random_marker_kernel(ids: np.ndarray, n_pages: int, k: int, u: np.ndarray):
    """(hits, evicted) of randomized marking with the uniforms ``u``; k <= n_pages."""
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    slot_of = np.full(n_pages, -1, dtype=np.int32)
    page_of = np.empty(k, dtype=np.int64)
    marked = np.zeros(k, dtype=np.bool_)          # per slot
    tree = np.zeros(k + 1, dtype=np.int32)        # Fenwick tree: unmarked slots
    _random_marker_loop(ids, k, u, hits, evicted, slot_of, page_of, marked, tree)
    return hits, evicted


@loop
def _random_marker_loop(ids, k, u, hits, evicted, slot_of, page_of, marked, tree):
    n = len(ids)
    top = 1
    while top * 2 <= k:
        top *= 2
    n_unmarked = 0
    count = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(slot_of, ids[t + AHEAD])
        p = ids[t]
        s = slot_of[p]
        if s >= 0:
            hits[t] = True
            if not marked[s]:
                marked[s] = True
                _fen_add(tree, s, -1)
                n_unmarked -= 1
            continue
        if count < k:
            s = count
            count += 1
        else:
            if n_unmarked == 0:                   # all marked: new phase
                for i in range(1, k + 1):         # all ones: node i sums i & -i slots
                    marked[i - 1] = False
                    tree[i] = i & (-i)
                n_unmarked = k
            j = int(u[t] * n_unmarked)
            if j >= n_unmarked:
                j = n_unmarked - 1
            s = _fen_take(tree, top, j)
            n_unmarked -= 1
            v = page_of[s]
            evicted[t] = v
            slot_of[v] = -1
        slot_of[p] = s
        page_of[s] = p
        marked[s] = True


class RandomMarker:
    """Randomized marking: evict a uniformly random unmarked page (draws from ``rng``)."""

    requires: tuple[str, ...] = ()

    def __init__(self) -> None:
        pass

    def run(
        self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray], rng: np.random.Generator
    ) -> PagingOutcome:
        k = cache_size(k, trace)
        u = rng.random(len(trace))
        return outcome(*random_marker_kernel(trace.ids, n_slots(trace), k, u))

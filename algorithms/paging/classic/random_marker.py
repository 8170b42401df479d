"""Randomized Marker: on a miss with a full cache, evict a uniformly random unmarked page.

Fiat, Karp, Luby, McGeoch, Sleator, Young (1991), "Competitive paging algorithms": 2H_k-
competitive. Phases as in ``marker.py``. Randomness: before the run, u_t ~ U[0,1) is drawn from
``rng`` for every request t (one ``rng.random(n)`` call). Cached pages occupy slots 0..k-1
(filled in order while the cache fills; a loaded page takes its victim's slot). The unmarked
slots form a list: slots 0..k-1 in order at a phase start; marking or evicting a slot moves
the list's last entry into its place. An eviction at request t takes entry floor(u_t * m),
m = the list's length: a uniform choice, fully specified, so a plain-Python reference keeping
the same list and consuming the same draws (``reference.random_marker``) makes the same
choices.

Kernel: the list and each slot's index in it (``_ds``'s swap-remove set; k entries each, in
the CPU cache); marking, eviction and selection are O(1), a phase start O(k) (a phase has at
least k requests).
(Ranking the unmarked slots in slot order with a Fenwick tree, as before, took O(log k)
unpredictable branches per operation: 6x slower on the benchmark's 10 M request trace.)
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from algorithms.paging import _ds
from algorithms.paging._loop import loop
from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging.classic._common import cache_size, n_slots, outcome
from algorithms.paging.core import PagingOutcome, Trace


def random_marker_kernel(ids: np.ndarray, n_pages: int, k: int, u: np.ndarray):
    """(hits, evicted) of randomized marking with the uniforms ``u``; k <= n_pages."""
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    slot_of = np.full(n_pages, -1, dtype=np.int32)
    page_of = np.empty(k, dtype=np.int64)
    unmarked = np.empty(k, dtype=np.int32)        # the list of unmarked slots
    where = np.full(k, -1, dtype=np.int32)        # a slot's index in it (-1: marked)
    _random_marker_loop(ids, k, u, hits, evicted, slot_of, page_of, unmarked, where)
    return hits, evicted


@loop
def _random_marker_loop(ids, k, u, hits, evicted, slot_of, page_of, unmarked, where):
    n = len(ids)
    size = 0
    count = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(slot_of, ids[t + AHEAD])
        p = ids[t]
        s = slot_of[p]
        if s >= 0:
            hits[t] = True
            size = _ds.set_remove(unmarked, where, size, s)     # mark (a no-op if marked)
            continue
        if count < k:
            s = count
            count += 1
        else:
            if size == 0:                         # all marked: new phase
                for i in range(k):
                    size = _ds.set_add(unmarked, where, size, i)
            s = _ds.set_pick(unmarked, size, u[t])
            size = _ds.set_remove(unmarked, where, size, s)
            v = page_of[s]
            evicted[t] = v
            slot_of[v] = -1
        slot_of[p] = s
        page_of[s] = p


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

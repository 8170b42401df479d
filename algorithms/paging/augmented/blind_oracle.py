"""BlindOracle / follow-the-prediction (FtP): evict the cached page predicted furthest ahead.

Lykouris & Vassilvitskii (ICML 2018, "Competitive caching with machine learned advice",
§1 and §6: the naive "BlindOracle" that trusts the next-arrival predictor); also "FtP" in
Antoniadis et al. (ICML 2020, "Online metric algorithms with untrusted predictions", §5,
code ``FollowPred``). Each cached page carries the predicted next-arrival time from its latest
request; on a miss with a full cache the page with the largest one is evicted (ties: by the
heap's arrangement, deterministic). With perfect predictions this is Belady's rule, so it is
optimal; with noisy ones it has no worst-case guarantee (hence the robust combiners).

Kernel: an indexed binary heap over the k cache slots keyed by the negated prediction (a loaded
page takes its victim's slot); O(log k) a request. Only ``slot_of`` has an entry per page, so
the heap stays in the CPU cache, and the state of the page requested ``AHEAD`` steps later is
prefetched. (Replacing the root in one sift-down is faster but would change which
of several equally predicted pages is evicted, hence ``FtPActions``' predictions with ties.)
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from algorithms.paging._loop import loop
from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging.augmented._common import cache_size, n_slots, outcome, prediction
from algorithms.paging.classic import _heap
from algorithms.paging.core import PagingOutcome, Trace


def blind_oracle_kernel(ids: np.ndarray, pred: np.ndarray, n_pages: int, k: int):
    """(hits, evicted) of follow-the-prediction; page ids 0..n_pages-1, k <= n_pages."""
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    slot_of = np.full(n_pages, -1, dtype=np.int32)
    m = max(k, 1)                                   # items are slots: every heap array has k
    _blind_oracle_loop(ids, np.ascontiguousarray(pred, dtype=np.float64), k, hits, evicted,
                       slot_of, np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64),
                       np.zeros(m, dtype=np.float64), np.full(m, -1, dtype=np.int64))
    return hits, evicted


@loop
def _blind_oracle_loop(ids, pred, k, hits, evicted, slot_of, page_of, heap, key, pos):
    n = len(ids)
    size = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(slot_of, ids[t + AHEAD])
        p = ids[t]
        s = slot_of[p]
        if s >= 0:
            hits[t] = True
            _heap.update(heap, key, pos, size, s, -pred[t])
            continue
        if size == k:                               # the victim's slot takes the new page
            s, size = _heap.pop_min(heap, key, pos, size)
            v = page_of[s]
            slot_of[v] = -1
            evicted[t] = v
        else:
            s = size
        slot_of[p] = s
        page_of[s] = p
        size = _heap.push(heap, key, pos, size, s, -pred[t])


class BlindOracle:
    """Follow the next-arrival predictions blindly (evict the furthest predicted page)."""

    requires: tuple[str, ...] = ("next_arrival",)

    def __init__(self) -> None:
        pass

    def run(self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray],
            rng: np.random.Generator) -> PagingOutcome:
        k = cache_size(k, trace)
        pred = prediction(predictions, "next_arrival", trace)
        return outcome(*blind_oracle_kernel(trace.ids, pred, n_slots(trace), k))

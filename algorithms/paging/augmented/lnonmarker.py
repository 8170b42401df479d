"""LNonMarker (Rohatgi, SODA 2020, §4), made robust by combining it with Marker.

Phases are the k-phase partition (a new phase starts at the request of the (k+1)-th distinct
page since the last phase start, hit or miss); at a phase start the cache is *stale* and
unmarked. A requested page is marked. On a miss with a full cache:

* clean page (not stale): evict the unmarked page predicted furthest ahead;
* stale page p (evicted earlier in the phase by page q): if q is not stale, evict a uniformly
  random page of the whole cache, else a uniformly random unmarked page.

(If no page is unmarked, a random cached page.) The rule is not a marking algorithm and not
robust on its own; Rohatgi combines it with Marker, which gives
O(1 + min((eta/OPT)/k, 1) log k) (his main theorem for LNonMarker). As in Antoniadis et al.
(2020)'s code (``LNonMarker = Combine_det(LNonMarker_nonrobust, Marker)``), ``LNonMarker``
here is the deterministic combiner (``combiners``, bound growth 1 + gamma) of the raw rule
and randomized Marker; ``LNonMarkerRaw`` is the raw rule alone.

Choices (as in ``_pred_marking``, and mirrored by ``tests/paging/_marking_ref.py``): slots
0..k-1 filled in order, a loaded page takes its victim's slot; the largest prediction is the
one made at a page's latest request, ties to the highest slot; a random cached page is slot
floor(u_t * k); a random unmarked page is entry floor(u_t * size) of the unmarked list (slots
in order at a phase start, a removal moves the last entry into the hole). The unmarked slots
and their order by prediction are ``_by_prediction``'s: O(k) a phase, O(1) amortized a
request. (A phase here starts whether or not pages are still unmarked, and before the cache
is full the cached slots are 0..ncache-1.)
"""

from __future__ import annotations

from typing import Annotated, Mapping

import numpy as np

from algorithms.constraints import Positive
from algorithms.paging._loop import loop
from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging import _sort
from algorithms.paging import _ds
from algorithms.paging.augmented import _by_prediction
from algorithms.paging.augmented._common import cache_size, n_slots, outcome, prediction
from algorithms.paging.augmented.combiners import CombineDeterministic
from algorithms.paging.classic.random_marker import RandomMarker
from algorithms.paging.core import PagingOutcome, Trace


def lnonmarker_kernel(ids: np.ndarray, pred: np.ndarray, n_pages: int, k: int,
                      u: np.ndarray):
    """(hits, evicted) of the raw LNonMarker rule; page ids 0..n_pages-1, k <= n_pages."""
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    # one row per page, so a request touches one cache line: slot (-1: not cached), phase of
    # the latest request, phase in which the page is stale, page that evicted it and the phase
    # it did so in
    pg = np.full((n_pages, 8), -1, dtype=np.int32 if max(n, n_pages) < 2**31 else np.int64)
    pred = np.ascontiguousarray(pred, dtype=np.float64)
    _lnonmarker_loop(ids, pred.view(np.uint64), k, u, hits, evicted, pg,
                     *_by_prediction.slot_arrays(k))
    return hits, evicted


SLOT, SEEN, STALE, EVICTOR, EV_PHASE = 0, 1, 2, 3, 4      # columns of the per-page rows


@loop
def _lnonmarker_loop(ids, pred_bits, k, u, hits, evicted, pg, page_of, uarr, upos, predkey,
                     order, okey, tkey, tval, cnt):
    n = len(ids)
    ncache = 0
    nun = 0
    top = -1                                         # order[top]: next max-prediction candidate
    phase = 0
    distinct = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(pg, ids[t + AHEAD])
        p = ids[t]
        if pg[p, SEEN] != phase:
            distinct += 1
            if distinct == k + 1:                   # new phase starts at this request
                phase += 1
                distinct = 1
                nun, top = _by_prediction.start(pg, STALE, phase, page_of, ncache, uarr, upos,
                                                nun, order, predkey, okey, tkey, tval, cnt)
            pg[p, SEEN] = phase
        s = pg[p, SLOT]
        if s >= 0:
            hits[t] = True
            nun = _ds.set_remove(uarr, upos, nun, s)    # mark (a no-op if marked)
        else:
            if ncache == k:
                whole = False                       # a random page of the whole cache
                if pg[p, STALE] == phase:
                    q = pg[p, EVICTOR] if pg[p, EV_PHASE] == phase else -1
                    whole = (q >= 0 and pg[q, STALE] != phase) or nun == 0
                    if not whole:
                        s = _ds.set_pick(uarr, nun, u[t])
                elif nun > 0:
                    s, top = _by_prediction.largest(order, upos, top)
                else:
                    whole = True
                if whole:
                    s = min(int(u[t] * k), k - 1)
                nun = _ds.set_remove(uarr, upos, nun, s)
                v = page_of[s]
                pg[v, SLOT] = -1
                pg[v, EVICTOR] = p
                pg[v, EV_PHASE] = phase
                evicted[t] = v
            else:
                s = ncache
                ncache += 1
            pg[p, SLOT] = s
            page_of[s] = p
        predkey[s] = _sort.float_key(pred_bits[t])


class LNonMarkerRaw:
    """Rohatgi's LNonMarker rule alone (not robust; for ablations)."""

    requires: tuple[str, ...] = ("next_arrival",)

    def __init__(self) -> None:
        pass

    def run(self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray],
            rng: np.random.Generator) -> PagingOutcome:
        k = cache_size(k, trace)
        pred = prediction(predictions, "next_arrival", trace)
        u = rng.random(len(trace))
        return outcome(*lnonmarker_kernel(trace.ids, pred, n_slots(trace), k, u))


class LNonMarker:
    """LNonMarker combined deterministically with randomized Marker (Rohatgi §4)."""

    requires: tuple[str, ...] = ("next_arrival",)

    def __init__(self, gamma: Annotated[float, Positive] = 0.01) -> None:
        self.gamma = float(gamma)
        if self.gamma <= 0:
            raise ValueError(f"gamma: {gamma!r}; allowed: > 0")
        self._inner = CombineDeterministic(LNonMarkerRaw(), RandomMarker(), self.gamma)

    def run(self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray],
            rng: np.random.Generator) -> PagingOutcome:
        return self._inner.run(trace, k, predictions, rng)

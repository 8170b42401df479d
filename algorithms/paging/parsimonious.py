"""F&R (Follower & Robust) with parsimonious queries: caching with a reduced number of
action predictions (Abdel Sadek & Eliáš, ICLR 2024, "Algorithms for caching and MTS with
reduced number of predictions", arXiv 2404.06280, §3).

Predictions: kind ``opt_action`` (``predictors.actions``): replaying them gives the predicted
OPT cache state P_t after each request. The algorithm sees P_t only when it *queries* at time t;
``PagingOutcome.queries`` counts queries, ``extra["query_times"]`` lists them.

Follower mode. Let P be the last queried state (at time q) and R the pages requested since q.
On a miss with a full cache, the candidates are the cached pages outside P and outside R:
such a page is outside the predicted OPT cache at every time since q (OPT loads pages only when
they are requested), so evicting it never diverges from a correct prediction.
  * candidates exist: evict a uniformly random one, without a query;
  * none, and a query is allowed: query P_t (it holds r_t, so cache minus P_t is non-empty) and
    evict a random page of cache minus P_t;
  * none and no query allowed: evict a random cached page outside R (else any cached page).
With perfect predictions the cache always contains OPT's cache, so the misses equal OPT's
(1-consistency) while queries happen only when the candidates run out (fewer than the misses).
Trust test (the paper's F&R switch, as in the authors' code ``Follower_23``): the follower's
misses since the last mode change are compared to OPT's misses over the same window (OPT =
Belady on the true trace, as in that code; the paper's online OPT counter is UNCONFIRMED); if
they exceed ``alpha`` times OPT's, the algorithm enters robust mode.

Robust mode: one marking phase (Fiat et al. 1991) started at the switch: the cache is unmarked,
requested pages are marked, a miss evicts a uniformly random unmarked page outside the last
queried P if there is one, else a random unmarked page; after k distinct pages have been
requested the follower resumes (counters reset, next miss re-queries). Each robust phase costs
at most k and pays for itself against OPT up to O(log k) in expectation, the robust part of
the O(log k) robustness claimed by the paper [theorem number UNCONFIRMED]. The paper's query
schedule inside robust phases (f(i) = 2^(i+1) - 1 queries) is not reproduced: queries here
happen only in follower mode.

Budget: at most ``query_budget * (t + 1)`` queries among the first t + 1 requests, and at least
``min_gap`` requests between two queries (the paper's "well-separated" queries, a = min_gap).

Kernel: cached pages sit in k slots (a loaded page takes its victim's slot, so every set keeps
the order a page-indexed version would have). The cache, the set D = cache minus the
predictor's current state, the candidates and the robust phase's unmarked pages are
swap-remove sets of slots (O(1) add/remove/uniform pick); they and the per-slot rows (page,
positions in the sets, query of the latest request) have k entries and stay in the CPU cache.
D is kept up to date as both the cache and the predictor's state change (O(1) per request), so
a query copies D (in cache order) into the candidate set instead of scanning the cache; every
copied page leaves the candidates before the next query, so queries cost O(log k) amortized.
"Was page p in the last queried state" is answered lazily from the time p entered the state
and a stamp set when it leaves (no O(k) snapshot per query); it cannot change between queries,
so each unmarked slot of a robust phase carries it as a bit (a bitset indexed like the unmarked
set), and the robust eviction finds the first unmarked page outside that state by scanning
64 slots a word. The per-page fields (slot, time it entered the predictor's state or -1, stamp,
robust phase of its latest request) share one row, prefetched ``AHEAD`` requests early for the
requested page and the predictor's evicted page; the request loop is compiled without
reference counting (``_loop``).
"""

from __future__ import annotations

from typing import Annotated, Mapping

import numpy as np
from numba import njit
from numba.cpython.unsafe.numbers import trailing_zeros

from algorithms.constraints import Interval
from algorithms.paging import _sort
from algorithms.paging._loop import loop
from algorithms.paging._prefetch import AHEAD, prefetch
from algorithms.paging import _ds
from algorithms.paging.augmented._common import check_k, n_slots, outcome, prediction
from algorithms.paging.core import PagingOutcome, Trace
from algorithms.paging.classic.belady import Belady


def follower_robust_kernel(ids, ev_pred, opt_hit, n_pages, k, u, alpha, budget, min_gap):
    """(hits, evicted, query times, robust phases) of F&R on page ids 0..n_pages-1 with
    predicted evictions ``ev_pred``, OPT's hits ``opt_hit`` (trust test) and uniforms ``u``."""
    n = len(ids)
    hits = np.empty(n, dtype=np.bool_)                   # both written at every request
    evicted = np.empty(n, dtype=np.int64)
    qtimes = np.empty(n, dtype=np.int64)
    idt = np.int32 if max(n, n_pages, k) < 2**31 else np.int64
    pg = np.full((n_pages, 4), -1, dtype=idt)            # SLOT, ENTERED, STAMP, SEEN
    sl = np.full((k, 6), -1, dtype=idt)                  # PAGE, CPOS, DPOS, CANDPOS, UPOS, REQ
    nq, robust_phases = _follower_robust_loop(
        ids, ev_pred, opt_hit, k, u, alpha, budget, min_gap, hits, evicted,
        qtimes, pg, sl[:, PAGE], sl[:, CPOS], sl[:, DPOS], sl[:, CANDPOS], sl[:, UPOS],
        sl[:, REQ], np.empty(k, dtype=idt), np.empty(k, dtype=idt), np.empty(k, dtype=idt),
        np.empty(k, dtype=idt), np.empty(k, dtype=idt), np.zeros((k + 63) // 64, dtype=np.uint64),
        *_sort.buffers(k, idt))
    return hits, evicted, qtimes[:nq].copy(), robust_phases


# columns of the per-page rows: slot (-1: not cached), time the page entered the predictor's
# state (-1: not in it), stamp (== qid: was in the state at query qid), robust phase of the
# latest request
SLOT, ENTERED, STAMP, SEEN = 0, 1, 2, 3
PAGE, CPOS, DPOS, CANDPOS, UPOS, REQ = 0, 1, 2, 3, 4, 5   # columns of the per-slot rows


@njit(cache=True, inline="always")
def _known(pg, p, qid, last_q):
    """Was page p in the predictor's state at the last query? (p still there since before
    it, or it left afterwards having been there: ``STAMP``)."""
    ent = pg[p, ENTERED]
    return pg[p, STAMP] == qid or (ent >= 0 and ent <= last_q)


_ONE = np.uint64(1)
_ZERO = np.uint64(0)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)


@njit(cache=True, inline="always")
def _get_bit(bits, i):
    return (bits[i >> 6] >> np.uint64(i & 63)) & _ONE


@njit(cache=True, inline="always")
def _put_bit(bits, i, b):
    w = i >> 6
    m = _ONE << np.uint64(i & 63)
    bits[w] = (bits[w] & ~m) | (m if b != _ZERO else _ZERO)


@njit(cache=True, inline="always")
def _uset_add(arr, where, bits, size, x, flag):
    """Swap-remove set whose member at index i carries bit i of ``bits`` (here: its page is
    outside the last queried state): add x (absent) with the flag."""
    _put_bit(bits, size, _ONE if flag else _ZERO)
    return _ds.set_add(arr, where, size, x)


@njit(cache=True, inline="always")
def _uset_remove(arr, where, bits, size, x):
    """Remove x if present; the last member moves to x's index with its flag."""
    i = where[x]
    if i >= 0:
        size = _ds.set_remove(arr, where, size, x)
        _put_bit(bits, i, _get_bit(bits, size))
        _put_bit(bits, size, _ZERO)
    return size


@njit(cache=True, inline="always")
def _uset_clear(arr, where, bits, size):
    _ds.set_clear(arr, where, size)
    for w in range((size + 63) >> 6):
        bits[w] = _ZERO
    return 0


@njit(cache=True, inline="always")
def _first_flag(bits, lo, hi):
    """The smallest index in [lo, hi) whose bit is set, or -1."""
    out = -1
    if lo < hi:
        w = lo >> 6
        word = bits[w] & (_ALL << np.uint64(lo & 63))
        last_w = (hi - 1) >> 6
        while True:
            if word != _ZERO:
                i = (w << 6) + int(trailing_zeros(word))
                if i < hi:
                    out = i
                break
            w += 1
            if w > last_w:
                break
            word = bits[w]
    return out


@loop
def _follower_robust_loop(ids, ev_pred, opt_hit, k, u, alpha, budget, min_gap, hits, evicted,
                          qtimes, pg, page_of, cpos, dpos, candpos, upos, req, carr, darr,
                          dbuf, cand, uarr, unknown, okey, tkey, tval, cnt):
    n = len(ids)
    nq = 0
    ncache = 0                                       # own cache (slots)
    nd = 0                                           # own cache minus the predictor's state
    qid = 0
    last_q = -(1 << 40)
    ncand = 0                                        # cache minus (P u R)
    robust = False
    nun = 0                                          # robust phase: unmarked cached slots
    rphase = 0
    distinct = 0
    cost_f = 0
    cost_opt = 0
    robust_phases = 0
    for t in range(n):
        if t + AHEAD < n:
            prefetch(pg, ids[t + AHEAD])
            ea = ev_pred[t + AHEAD]
            if ea >= 0:
                prefetch(pg, ea)
        p = ids[t]
        s = pg[p, SLOT]
        # the predictor serves r_t (hidden from the algorithm unless it queries)
        if pg[p, ENTERED] < 0:
            pg[p, ENTERED] = t
            if s >= 0:
                nd = _ds.set_remove(darr, dpos, nd, s)
        e = ev_pred[t]
        if e >= 0:
            ent = pg[e, ENTERED]
            if ent >= 0:
                pg[e, ENTERED] = -1
                if ent <= last_q:
                    pg[e, STAMP] = qid
                se = pg[e, SLOT]
                if se >= 0 and dpos[se] < 0:
                    nd = _ds.set_add(darr, dpos, nd, se)
        if not opt_hit[t]:
            cost_opt += 1
        if robust and pg[p, SEEN] != rphase:
            distinct += 1
            pg[p, SEEN] = rphase
            if distinct > k:                         # phase over: back to following
                robust = False
                nun = _uset_clear(uarr, upos, unknown, nun)
                ncand = _ds.set_clear(cand, candpos, ncand)
                cost_f = 0
                cost_opt = 0 if opt_hit[t] else 1
        hits[t] = s >= 0
        evicted[t] = -1
        if s >= 0:
            if ncand > 0:                            # (tested first: saves a per-slot miss)
                ncand = _ds.set_remove(cand, candpos, ncand, s)
            if nun > 0:                              # mark (robust phase)
                nun = _uset_remove(uarr, upos, unknown, nun, s)
        else:
            if ncache == k:
                v = -1
                if not robust:
                    cost_f += 1
                    if cost_f > alpha * cost_opt:
                        robust = True                # distrust: one marking phase
                        robust_phases += 1
                        rphase += 1
                        distinct = 1
                        pg[p, SEEN] = rphase
                        for i in range(ncache):
                            q = carr[i]
                            nun = _uset_add(uarr, upos, unknown, nun, q,
                                            not _known(pg, page_of[q], qid, last_q))
                if not robust:
                    if ncand == 0 and t - last_q >= min_gap and nq + 1 <= budget * (t + 1):
                        qid += 1
                        last_q = t
                        qtimes[nq] = t
                        nq += 1
                        # candidates: the cache minus the state just queried, in cache order
                        if nd == 1:
                            ncand = _ds.set_add(cand, candpos, ncand, darr[0])
                        else:
                            for i in range(nd):
                                dbuf[i] = cpos[darr[i]]
                                okey[i] = dbuf[i]
                            _sort.sort_pairs(okey, dbuf, nd, tkey, tval, cnt)
                            for i in range(nd):
                                ncand = _ds.set_add(cand, candpos, ncand, carr[dbuf[i]])
                    if ncand > 0:
                        v = _ds.set_pick(cand, ncand, u[t])
                    else:                            # no query allowed: avoid recent pages
                        for i in range(ncache):
                            q = carr[(i + int(u[t] * ncache)) % ncache]
                            if req[q] != qid:
                                v = q
                                break
                        if v < 0:
                            v = _ds.set_pick(carr, ncache, u[t])
                else:
                    if nun == 0:
                        for i in range(ncache):
                            q = carr[i]
                            nun = _uset_add(uarr, upos, unknown, nun, q,
                                            not _known(pg, page_of[q], qid, last_q))
                    # the first unmarked page outside the last queried state, scanning the set
                    # cyclically from a random index (the flags are exact: no query happens in
                    # a robust phase, so "in the state at the last query" does not change)
                    j = int(u[t] * nun)
                    if j >= nun:
                        j -= nun
                    i = _first_flag(unknown, j, nun)
                    if i < 0:
                        i = _first_flag(unknown, 0, j)
                    if i >= 0:
                        v = uarr[i]
                    else:
                        v = _ds.set_pick(uarr, nun, u[t])
                nun = _uset_remove(uarr, upos, unknown, nun, v)
                ncand = _ds.set_remove(cand, candpos, ncand, v)
                nd = _ds.set_remove(darr, dpos, nd, v)
                ncache = _ds.set_remove(carr, cpos, ncache, v)
                vp = page_of[v]
                pg[vp, SLOT] = -1
                evicted[t] = vp
                s = v
            else:
                s = ncache
            ncache = _ds.set_add(carr, cpos, ncache, s)
            pg[p, SLOT] = s
            page_of[s] = p
            if pg[p, ENTERED] < 0:
                nd = _ds.set_add(darr, dpos, nd, s)
        req[s] = qid
    return nq, robust_phases


class FollowerRobust:
    """F&R: follow queried OPT states lazily, query only when needed, marking on distrust."""

    requires: tuple[str, ...] = ("opt_action",)

    def __init__(self,
                 alpha: Annotated[float, Interval(1)] = 1.0,
                 query_budget: Annotated[float, Interval(0, 1, lo_open=True)] = 1.0,
                 min_gap: Annotated[int, Interval(1)] = 1) -> None:
        self.alpha, self.query_budget = float(alpha), float(query_budget)
        self.min_gap = int(min_gap)
        if self.alpha < 1:
            raise ValueError(f"alpha: {alpha!r}; allowed: >= 1")
        if not 0 < self.query_budget <= 1:
            raise ValueError(f"query_budget: {query_budget!r}; allowed: in (0, 1]")
        if self.min_gap < 1:
            raise ValueError(f"min_gap: {min_gap!r}; allowed: an integer >= 1")

    def run(self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray],
            rng: np.random.Generator) -> PagingOutcome:
        k = check_k(k)
        ev = prediction(predictions, "opt_action", trace, dtype=np.int64)
        n = len(trace)
        opt_hit = Belady().run(trace, k, {}, None).hits   # OPT's faults for the trust test
        u = rng.random(n)
        hits, evicted, qt, rp = follower_robust_kernel(
            trace.ids, ev, opt_hit, n_slots(trace), k, u, self.alpha, self.query_budget,
            self.min_gap)
        return outcome(hits, evicted, len(qt), query_times=qt, robust_phases=int(rp))

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

Kernel: swap-remove sets (O(1) add/remove/uniform pick). The set D = cache minus the
predictor's current state is kept up to date as both change (O(1) per request), so a query
copies D (in cache order) into the candidate set instead of scanning the cache; every copied
page leaves the candidates before the next query, so queries cost O(log k) amortized.
"Was page p in the last queried state" is answered lazily from the time p entered the state
and a stamp set when it leaves (no O(k) snapshot per query).
"""

from __future__ import annotations

from typing import Annotated, Mapping

import numpy as np
from numba import njit

from algorithms.constraints import Interval
from algorithms.paging.augmented import _ds
from algorithms.paging.augmented._common import check_k, n_slots, outcome, prediction
from algorithms.paging.core import PagingOutcome, Trace
from algorithms.paging.classic.belady import Belady


@njit(cache=True, inline="always")
def _known(p, pin, entered, stamp, qid, last_q):
    """Was page p in the predictor's state at the last query? (p still there since before
    it, or it left afterwards having been there: ``stamp``)."""
    return stamp[p] == qid or (pin[p] and entered[p] <= last_q)


@njit(cache=True)
def follower_robust_kernel(ids, ev_pred, opt_hit, n_pages, k, u, alpha, budget, min_gap):
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    qtimes = np.empty(n, dtype=np.int64)
    nq = 0
    carr = np.empty(k, dtype=np.int64)               # own cache
    cwhere = np.full(n_pages, -1, dtype=np.int64)
    ncache = 0
    pin = np.zeros(n_pages, dtype=np.bool_)          # predictor's current state (hidden)
    entered = np.zeros(n_pages, dtype=np.int64)      # when a page last entered that state
    stamp = np.full(n_pages, -1, dtype=np.int64)     # == qid: was in the state at query qid
    darr = np.empty(k, dtype=np.int64)               # own cache minus the predictor's state
    dwhere = np.full(n_pages, -1, dtype=np.int64)
    nd = 0
    dbuf = np.empty(k, dtype=np.int64)
    req = np.full(n_pages, -1, dtype=np.int64)       # == qid: requested since that query
    qid = 0
    last_q = -(1 << 40)
    cand = np.empty(k, dtype=np.int64)               # cache minus (P u R)
    cwh = np.full(n_pages, -1, dtype=np.int64)
    ncand = 0
    robust = False
    uarr = np.empty(k, dtype=np.int64)               # robust phase: unmarked cached pages
    uwhere = np.full(n_pages, -1, dtype=np.int64)
    nun = 0
    seen = np.full(n_pages, -1, dtype=np.int64)
    rphase = 0
    distinct = 0
    cost_f = 0
    cost_opt = 0
    robust_phases = 0
    for t in range(n):
        p = ids[t]
        # the predictor serves r_t (hidden from the algorithm unless it queries)
        if not pin[p]:
            pin[p] = True
            entered[p] = t
            nd = _ds.set_remove(darr, dwhere, nd, p)
        e = ev_pred[t]
        if e >= 0 and pin[e]:
            pin[e] = False
            if entered[e] <= last_q:
                stamp[e] = qid
            if cwhere[e] >= 0 and dwhere[e] < 0:
                nd = _ds.set_add(darr, dwhere, nd, e)
        if not opt_hit[t]:
            cost_opt += 1
        if robust and seen[p] != rphase:
            distinct += 1
            seen[p] = rphase
            if distinct > k:                         # phase over: back to following
                robust = False
                nun = _ds.set_clear(uarr, uwhere, nun)
                ncand = _ds.set_clear(cand, cwh, ncand)
                cost_f = 0
                cost_opt = 0 if opt_hit[t] else 1
        if cwhere[p] >= 0:
            hits[t] = True
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
                        seen[p] = rphase
                        for i in range(ncache):
                            nun = _ds.set_add(uarr, uwhere, nun, carr[i])
                if not robust:
                    if ncand == 0 and t - last_q >= min_gap and nq + 1 <= budget * (t + 1):
                        qid += 1
                        last_q = t
                        qtimes[nq] = t
                        nq += 1
                        # candidates: the cache minus the state just queried, in cache order
                        for i in range(nd):
                            dbuf[i] = cwhere[darr[i]]
                        if nd > 16:
                            dbuf[:nd] = np.sort(dbuf[:nd])
                        else:                        # insertion sort, no allocation
                            for i in range(1, nd):
                                x = dbuf[i]
                                j = i - 1
                                while j >= 0 and dbuf[j] > x:
                                    dbuf[j + 1] = dbuf[j]
                                    j -= 1
                                dbuf[j + 1] = x
                        for i in range(nd):
                            ncand = _ds.set_add(cand, cwh, ncand, carr[dbuf[i]])
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
                            nun = _ds.set_add(uarr, uwhere, nun, carr[i])
                    for i in range(nun):
                        q = uarr[(i + int(u[t] * nun)) % nun]
                        if not _known(q, pin, entered, stamp, qid, last_q):
                            v = q
                            break
                    if v < 0:
                        v = _ds.set_pick(uarr, nun, u[t])
                nun = _ds.set_remove(uarr, uwhere, nun, v)
                ncand = _ds.set_remove(cand, cwh, ncand, v)
                nd = _ds.set_remove(darr, dwhere, nd, v)
                ncache = _ds.set_remove(carr, cwhere, ncache, v)
                evicted[t] = v
            ncache = _ds.set_add(carr, cwhere, ncache, p)
            if not pin[p]:
                nd = _ds.set_add(darr, dwhere, nd, p)
        req[p] = qid
        ncand = _ds.set_remove(cand, cwh, ncand, p)
        nun = _ds.set_remove(uarr, uwhere, nun, p)   # mark (robust phase)
    return hits, evicted, qtimes[:nq].copy(), robust_phases


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

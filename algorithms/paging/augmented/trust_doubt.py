"""Trust&Doubt: caching with action (predicted OPT cache state) predictions.

Antoniadis, Coester, Eliáš, Polak & Simon, "Online metric algorithms with untrusted
predictions" (ICML 2020; arXiv 2003.02144, §4 "A caching algorithm with action predictions"
and §5 experiments; their code ``TrustDoubt`` / ``LazyTrustDoubt``). Guarantee (their caching
theorem): O(min{1 + log(1 + eta / OPT), log k})-competitive, eta = the l1 error of the
predicted states; exponentially better in eta than the O(1 + eta / OPT) generic MTS
follower. Predictions: kind ``opt_action`` (``predictors.actions``): replaying the predicted
evictions gives P_t, the predicted cache after request t (it holds r_t).

Rules (a non-lazy algorithm with cache V; the real cache follows it lazily):

* Phases: the k-phase partition (a phase ends before its (k+1)-th distinct page). Phase 0
  only fills V. At a phase start with request r: the *stale* pages S are the pages of V that
  were requested in the previous phase (or are r); the *ancient* pages A = V - S. The stale
  pages get a uniformly random priority order (i.i.d. uniform priorities, drawn for S in
  increasing page id). M = pages requested so far in this phase (marked), "arrivals" = |M|.
* While A is non-empty (the request that empties it included): a requested ancient page
  leaves A; a miss evicts the least recently requested page of A - P_t (of A if that is
  empty).
* Afterwards, for request r:
  1. r is *clean* if it is requested for the first time this phase and r is not stale.
  2. If r is not in V, evict the unmarked stale page in V of lowest priority; load r.
  3. If r is clean: p_r = the least recently requested page of (S u M) - P_t - {p_q's}
     (none if that is empty); r is trusted, its interval length is 1 and starts at the
     arrival count before r.
  4. If r = p_q for some clean q (q itself included: p_q = q is possible): re-pick p_q by
     the rule of 3, q becomes doubted, its interval restarts at the current arrival count.
  5. If r is a first arrival: for each clean q in order of arrival whose interval has lasted
     its length (in arrivals): restart it; a doubted q doubles its length and becomes
     trusted; if p_q is in V, evict it and load the highest-priority unmarked stale page
     outside V and outside T = {p_x : x trusted}.
* Lazy real cache: on a miss with a full cache, evict the earliest-loaded page that is not
  in V (there is one, since V holds the request).

Ties cannot occur (last-request times and priorities are distinct). The rules were read from
the paper's description and the authors' code (``TrustDoubtLRUevict`` and
``TrustDoubtAncientEvictPredLRU`` both on, as in their experiments); the tests compare this
kernel with a plain-Python re-implementation of the list above
(``tests/paging/_trust_doubt_ref.py``).

Kernel: the sets the rules scan are indexed heaps over pages, kept in sync by ``_sync``
after every change of a page's state: ancient pages outside / inside P_t (by last request),
unmarked stale pages in V (by priority) and outside V and T (by -priority), the pick set
(S u M) - P_t - {p_q} (by last request), and the real cache minus V (by load time). Doubted
intervals are scheduled in per-arrival-count buckets (a trusted q's p_q is never in V after a
request, so only doubted intervals need scheduling). O(log k) per request plus O(k log k) per
phase.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
from numba import njit

from algorithms.paging.augmented import _ds
from algorithms.paging.augmented._common import check_k, n_slots, outcome, prediction
from algorithms.paging.classic import _heap
from algorithms.paging.core import PagingOutcome, Trace

# error codes returned by the kernel (never expected; the tests check they do not occur)
ERR_NONE, ERR_NO_STALE, ERR_NO_PICK, ERR_NO_RELOAD, ERR_NO_LAZY = 0, 1, 2, 3, 4
_ERRORS = {ERR_NO_STALE: "no unmarked stale page in the cache on a miss",
           ERR_NO_PICK: "no page to re-pick for a doubted clean page",
           ERR_NO_RELOAD: "no unmarked stale page to reload",
           ERR_NO_LAZY: "the real cache has no page outside the virtual cache"}


@njit(cache=True, inline="always")
def _sync(heap, key, pos, size, p, want, kval):
    """Make p's membership in one indexed heap equal ``want`` (with key ``kval``)."""
    if want:
        if pos[p] < 0:
            size = _heap.push(heap, key, pos, size, p, kval)
        elif key[p] != kval:
            _heap.update(heap, key, pos, size, p, kval)
    elif pos[p] >= 0:
        size = _ds.heap_remove(heap, key, pos, size, p)
    return size


@njit(cache=True, inline="always")
def _clear(heap, pos, size):
    for i in range(size):
        pos[heap[i]] = -1
    return 0


@njit(cache=True)
def trust_doubt_kernel(ids, ev_pred, n_pages, k, prio_u):
    """Returns (hits, evicted, virtual_loads, error_code, error_time, final V)."""
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    pin = np.zeros(n_pages, dtype=np.bool_)          # in P_t (the predictor's cache)
    rin = np.zeros(n_pages, dtype=np.bool_)          # in the real cache
    n_real = 0
    load = np.zeros(n_pages, dtype=np.int64)
    varr = np.empty(k, dtype=np.int64)               # V, the non-lazy cache
    vwhere = np.full(n_pages, -1, dtype=np.int64)
    nv = 0
    last = np.full(n_pages, -1, dtype=np.int64)
    mark = np.full(n_pages, -1, dtype=np.int64)      # == phase: requested this phase
    stale = np.full(n_pages, -1, dtype=np.int64)     # == phase: stale this phase
    anc = np.full(n_pages, -1, dtype=np.int64)       # == phase: still ancient
    prio = np.zeros(n_pages, dtype=np.float64)
    owner = np.full(n_pages, -1, dtype=np.int64)     # q with p_q == page
    pq = np.full(n_pages, -1, dtype=np.int64)        # per clean page q
    trusted = np.zeros(n_pages, dtype=np.bool_)
    ilen = np.zeros(n_pages, dtype=np.int64)
    istart = np.zeros(n_pages, dtype=np.int64)
    cidx = np.zeros(n_pages, dtype=np.int64)
    clean = np.empty(k + 1, dtype=np.int64)
    n_clean = 0
    # heaps: 1 ancient & not in P, 2 ancient & in P (by last request); 3 unmarked stale in V
    # (by priority); 4 unmarked stale not in V nor T (by -priority); 5 pick set (by last
    # request); 6 real cache minus V (by load time)
    h1 = np.empty(k + 1, dtype=np.int64)
    k1 = np.zeros(n_pages, dtype=np.int64)
    p1 = np.full(n_pages, -1, dtype=np.int64)
    h2 = np.empty(k + 1, dtype=np.int64)
    k2 = np.zeros(n_pages, dtype=np.int64)
    p2 = np.full(n_pages, -1, dtype=np.int64)
    h3 = np.empty(k + 1, dtype=np.int64)
    k3 = np.zeros(n_pages, dtype=np.float64)
    p3 = np.full(n_pages, -1, dtype=np.int64)
    h4 = np.empty(k + 1, dtype=np.int64)
    k4 = np.zeros(n_pages, dtype=np.float64)
    p4 = np.full(n_pages, -1, dtype=np.int64)
    h5 = np.empty(2 * k + 2, dtype=np.int64)
    k5 = np.zeros(n_pages, dtype=np.int64)
    p5 = np.full(n_pages, -1, dtype=np.int64)
    h6 = np.empty(k + 1, dtype=np.int64)
    k6 = np.zeros(n_pages, dtype=np.int64)
    p6 = np.full(n_pages, -1, dtype=np.int64)
    s1 = s2 = s3 = s4 = s5 = s6 = 0
    # doubted intervals: bucket by the arrival count at which they end
    head = np.full(k + 2, -1, dtype=np.int64)
    nxt = np.empty(n + 1, dtype=np.int64)
    item = np.empty(n + 1, dtype=np.int64)
    n_items = 0
    buf = np.empty(k + 1, dtype=np.int64)
    sbuf = np.empty(k, dtype=np.int64)
    phase = 0
    cold = True
    n_marked = 0
    n_anc = 0
    ui = 0
    vloads = 0
    for t in range(n):
        r = ids[t]
        # ---- the predictor serves r_t: P_t
        touched0 = r
        touched1 = -1
        was_in = pin[r]
        pin[r] = True
        e = ev_pred[t]
        if e >= 0:
            pin[e] = False
            touched1 = e
        # ---- phase start
        if mark[r] != phase and n_marked == k:
            phase += 1
            cold = False
            n_marked = 0
            s1 = _clear(h1, p1, s1)
            s2 = _clear(h2, p2, s2)
            s3 = _clear(h3, p3, s3)
            s4 = _clear(h4, p4, s4)
            s5 = _clear(h5, p5, s5)
            for i in range(n_clean):
                q = clean[i]
                if pq[q] >= 0:
                    owner[pq[q]] = -1
                pq[q] = -1
            n_clean = 0
            for i in range(k + 2):
                head[i] = -1
            ns = 0
            n_anc = 0
            for i in range(nv):
                p = varr[i]
                if mark[p] == phase - 1 or p == r:
                    sbuf[ns] = p
                    ns += 1
                    stale[p] = phase
                else:
                    anc[p] = phase
                    n_anc += 1
            srt = np.sort(sbuf[:ns])
            for i in range(ns):
                prio[srt[i]] = prio_u[ui]
                ui += 1
            touched0 = -2                            # sync every page of V below
        first = mark[r] != phase
        before = n_marked
        if first:
            mark[r] = phase
            n_marked += 1
        last[r] = t
        # ---- sync the heaps with the state changes above
        if touched0 == -2:
            for i in range(nv):
                p = varr[i]
                a = anc[p] == phase
                st = stale[p] == phase and mark[p] != phase
                s1 = _sync(h1, k1, p1, s1, p, a and not pin[p], last[p])
                s2 = _sync(h2, k2, p2, s2, p, a and pin[p], last[p])
                s3 = _sync(h3, k3, p3, s3, p, st, prio[p])
                s5 = _sync(h5, k5, p5, s5, p, stale[p] == phase and not pin[p], last[p])
        # r needs a sync only if its state changed: newly marked (a first request this phase,
        # which covers ancient and stale pages) or newly in P_t; else every heap excludes it
        # before and after (a marked page in P_t is in none of them)
        r_changed = first or not was_in or touched0 == -2
        for j in range(2):
            p = r if j == 0 else touched1
            if p < 0 or (j == 0 and not r_changed):
                continue
            a = anc[p] == phase
            st = stale[p] == phase and mark[p] != phase
            inv = vwhere[p] >= 0
            o = owner[p]
            s1 = _sync(h1, k1, p1, s1, p, a and not pin[p], last[p])
            s2 = _sync(h2, k2, p2, s2, p, a and pin[p], last[p])
            s3 = _sync(h3, k3, p3, s3, p, st and inv, prio[p])
            s4 = _sync(h4, k4, p4, s4, p, st and not inv and not (o >= 0 and trusted[o]),
                       -prio[p])
            s5 = _sync(h5, k5, p5, s5, p,
                       (stale[p] == phase or mark[p] == phase) and not pin[p] and o < 0,
                       last[p])
        # ---- serve r in V
        if cold:
            if vwhere[r] < 0:
                nv = _ds.set_add(varr, vwhere, nv, r)
                vloads += 1
        elif n_anc > 0:
            if anc[r] == phase:
                anc[r] = -1
                n_anc -= 1
                s1 = _sync(h1, k1, p1, s1, r, False, 0)
                s2 = _sync(h2, k2, p2, s2, r, False, 0)
            if vwhere[r] < 0:
                if s1 > 0:
                    v, s1 = _heap.pop_min(h1, k1, p1, s1)
                else:
                    v, s2 = _heap.pop_min(h2, k2, p2, s2)
                anc[v] = -1
                n_anc -= 1
                nv = _ds.set_remove(varr, vwhere, nv, v)
                s6 = _sync(h6, k6, p6, s6, v, rin[v], load[v])
                nv = _ds.set_add(varr, vwhere, nv, r)
                vloads += 1
        else:
            is_clean = first and stale[r] != phase
            if is_clean:
                clean[n_clean] = r
                cidx[r] = n_clean
                n_clean += 1
            if vwhere[r] < 0:
                if s3 == 0:
                    return hits, evicted, vloads, ERR_NO_STALE, t, varr[:nv].copy()
                v, s3 = _heap.pop_min(h3, k3, p3, s3)
                nv = _ds.set_remove(varr, vwhere, nv, v)
                o = owner[v]
                s4 = _sync(h4, k4, p4, s4, v, not (o >= 0 and trusted[o]), -prio[v])
                s6 = _sync(h6, k6, p6, s6, v, rin[v], load[v])
                nv = _ds.set_add(varr, vwhere, nv, r)
                vloads += 1
            if is_clean:                             # step 3: trust the predictor
                trusted[r] = True
                ilen[r] = 1
                istart[r] = before
                if s5 > 0:
                    c, s5 = _heap.pop_min(h5, k5, p5, s5)
                    pq[r] = c
                    owner[c] = r
                    s4 = _sync(h4, k4, p4, s4, c, False, 0.0)
                else:
                    pq[r] = -1
            q = owner[r]
            if q >= 0:                               # step 4: doubt
                if s5 == 0:
                    return hits, evicted, vloads, ERR_NO_PICK, t, varr[:nv].copy()
                c, s5 = _heap.pop_min(h5, k5, p5, s5)
                owner[r] = -1
                pq[q] = c
                owner[c] = q
                trusted[q] = False
                istart[q] = n_marked
                st = stale[c] == phase and mark[c] != phase
                s4 = _sync(h4, k4, p4, s4, c, st and vwhere[c] < 0, -prio[c])
                end = n_marked + ilen[q]
                if end <= k:
                    item[n_items] = q
                    nxt[n_items] = head[end]
                    head[end] = n_items
                    n_items += 1
            if first:                                # step 5: intervals that end now
                nb = 0
                it = head[n_marked]
                while it >= 0:
                    q = item[it]
                    if not trusted[q] and istart[q] + ilen[q] == n_marked:
                        dup = False
                        for i in range(nb):
                            if buf[i] == q:
                                dup = True
                        if not dup:
                            buf[nb] = q
                            nb += 1
                    it = nxt[it]
                head[n_marked] = -1
                if is_clean:
                    buf[nb] = r
                    nb += 1
                for i in range(1, nb):               # by order of arrival (insertion sort)
                    x = buf[i]
                    j = i - 1
                    while j >= 0 and cidx[buf[j]] > cidx[x]:
                        buf[j + 1] = buf[j]
                        j -= 1
                    buf[j + 1] = x
                for i in range(nb):
                    q = buf[i]
                    istart[q] = n_marked
                    if not trusted[q]:
                        ilen[q] *= 2
                        trusted[q] = True
                    w = pq[q]
                    if w < 0:
                        continue
                    s4 = _sync(h4, k4, p4, s4, w, False, 0.0)
                    if vwhere[w] >= 0:
                        nv = _ds.set_remove(varr, vwhere, nv, w)
                        s3 = _sync(h3, k3, p3, s3, w, False, 0.0)
                        s6 = _sync(h6, k6, p6, s6, w, rin[w], load[w])
                        if s4 == 0:
                            return hits, evicted, vloads, ERR_NO_RELOAD, t, varr[:nv].copy()
                        y, s4 = _heap.pop_min(h4, k4, p4, s4)
                        nv = _ds.set_add(varr, vwhere, nv, y)
                        vloads += 1
                        s3 = _sync(h3, k3, p3, s3, y, True, prio[y])
                        s6 = _sync(h6, k6, p6, s6, y, False, 0)
        # r is in V now: it is never in the lazy candidate heap
        s6 = _sync(h6, k6, p6, s6, r, False, 0)
        # ---- the real cache follows V lazily
        if rin[r]:
            hits[t] = True
            continue
        if n_real == k:
            if s6 == 0:
                return hits, evicted, vloads, ERR_NO_LAZY, t, varr[:nv].copy()
            v, s6 = _heap.pop_min(h6, k6, p6, s6)
            rin[v] = False
            evicted[t] = v
            n_real -= 1
        rin[r] = True
        load[r] = t
        n_real += 1
    return hits, evicted, vloads, ERR_NONE, -1, varr[:nv].copy()


class TrustDoubt:
    """Trust&Doubt (Antoniadis et al. 2020): follow predicted OPT states, doubling trust."""

    requires: tuple[str, ...] = ("opt_action",)

    def __init__(self) -> None:
        pass

    def run(self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray],
            rng: np.random.Generator) -> PagingOutcome:
        k = check_k(k)
        ev = prediction(predictions, "opt_action", trace, dtype=np.int64)
        if ev.size and (ev.max() >= trace.n_objects or ev.min() < -1):
            raise ValueError("predictions['opt_action']: evicted pages must be -1 or page ids "
                             f"in 0..{trace.n_objects - 1}")
        u = rng.random(len(trace) + k + 1)
        hits, evicted, vloads, err, t_err, _ = trust_doubt_kernel(trace.ids, ev, n_slots(trace),
                                                               k, u)
        if err != ERR_NONE:
            raise RuntimeError(f"TrustDoubt: {_ERRORS[int(err)]} at request {int(t_err)} "
                               "(predictions must replay as a valid schedule with k pages)")
        return outcome(hits, evicted, virtual_loads=int(vloads))

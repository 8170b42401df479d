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

Kernel: a page's state (last request, load time, marking phase, stale / ancient class and
priority rank, slot in V, owner q with p_q = page, flags) is one row of 8 int32 fields, half
a cache line (int64 for traces of more than 2^31 requests). The sets the rules scan are
hierarchical 64-ary bitsets (``_bitset``), exact because ties cannot occur: over request
times t (the page is ids[t]) for the ancient pages outside / inside P_t and the pick set
(S u M) - P_t - {p_q} (by last request) and the real cache minus V (by load time); over
priority ranks for the unmarked stale pages in V (min) and outside V and T (max), the stale
pages being ranked at the phase start (``_sort`` by page id to hand out the uniforms, bucket
sort by value). The sets change at the same points and by the same membership rules as in
the indexed-heap kernel this one replaced, so outputs and error codes agree for any
predictions, valid or not. Doubted intervals are scheduled in per-arrival-count buckets (a
trusted q's p_q is never in V after a request, so only doubted intervals need scheduling).
The rows of r_t and of the predicted eviction are prefetched 8 requests ahead, and after a
pop the row of the set's next victim. Per request O(1) set operations (amortized: step 5 may
restart several intervals) of O(log_64 n) word operations each, plus O(k) per phase
(expected, for uniform priorities); memory 32 bytes per page, n/2 bytes for the time-keyed
sets, O(k). Helpers called per request are leaf functions, not ``inline="always"``: numba's
IR inlining binds array arguments to new variables whose atomic reference counting survives
in the big loop (it cost more than the kernel's own work); for the same reason no call passes
arrays next to a short-circuit (``and``/``or``) argument.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
from numba import njit

from algorithms.paging import _sort
from algorithms.paging._prefetch import prefetch_write
from algorithms.paging.augmented import _bitset as bs
from algorithms.paging.augmented._common import check_k, n_slots, outcome, prediction
from algorithms.paging.core import PagingOutcome, Trace

# error codes returned by the kernel (never expected; the tests check they do not occur)
ERR_NONE, ERR_NO_STALE, ERR_NO_PICK, ERR_NO_RELOAD, ERR_NO_LAZY = 0, 1, 2, 3, 4
_ERRORS = {ERR_NO_STALE: "no unmarked stale page in the cache on a miss",
           ERR_NO_PICK: "no page to re-pick for a doubted clean page",
           ERR_NO_RELOAD: "no unmarked stale page to reload",
           ERR_NO_LAZY: "the real cache has no page outside the virtual cache"}

# fields of a page's row: last request, load time into the real cache (-1: not in it),
# marking phase, phase of the stale / ancient class, priority rank (-1: ancient), slot in
# varr (-1: not in V), owner q (p_q = page), flags
LAST, LOAD, MARK, CLS, RANK, VW, OWN, FLG = 0, 1, 2, 3, 4, 5, 6, 7
PIN, IN6 = 1, 2                                      # FLG bits: in P_t, in the set R - V
# (IN6 may stay set when the page leaves the real cache: LOAD < 0 then overrides it)
_AHEAD = 8                                           # prefetch distance in requests


def _rows(n_pages: int, dtype) -> np.ndarray:
    """(n_pages, 8) rows of ``dtype``, all -1 except FLG = 0, each row within one cache line."""
    width = np.dtype(dtype).itemsize
    flat = np.empty(n_pages * 8 + 64 // width, dtype=dtype)
    s = (-flat.ctypes.data % 64) // width
    rows = flat[s:s + n_pages * 8].reshape(n_pages, 8)
    rows[:] = -1
    rows[:, FLG] = 0
    return rows


@njit(cache=True)
def _order_by(u, base, m, order, cnt, bkt, key):
    """order[:m] = the indices i of u[base + i] (i < m) by increasing value: a bucket sort
    (expected O(m) for uniform u in [0, 1)) finished by an insertion sort (stable)."""
    cnt[:m + 1] = 0
    for i in range(m):
        b = min(max(int(u[base + i] * m), 0), m - 1)
        bkt[i] = b
        cnt[b + 1] += 1
    for b in range(m):
        cnt[b + 1] += cnt[b]
    for i in range(m):
        b = bkt[i]
        j = cnt[b]
        cnt[b] = j + 1
        order[j] = i
        key[j] = u[base + i]
    for i in range(1, m):                           # moves within a bucket only
        x = order[i]
        kx = key[i]
        j = i - 1
        while j >= 0 and key[j] > kx:
            order[j + 1] = order[j]
            key[j + 1] = key[j]
            j -= 1
        order[j + 1] = x
        key[j + 1] = kx


@njit(cache=True)
def _v_add(varr, rows, nv, x):
    varr[nv] = x
    rows[x, VW] = nv
    return nv + 1


@njit(cache=True)
def _v_remove(varr, rows, nv, x):
    i = rows[x, VW]
    nv -= 1
    y = varr[nv]
    varr[i] = y
    rows[y, VW] = i
    rows[x, VW] = -1
    return nv


@njit(cache=True)
def _v_replace(varr, rows, old, new):
    """V loses ``old`` and gains ``new`` in the same slot (the order of varr is irrelevant)."""
    i = rows[old, VW]
    varr[i] = new
    rows[new, VW] = i
    rows[old, VW] = -1


def trust_doubt_kernel(ids, ev_pred, n_pages, k, prio_u):
    """Returns (hits, evicted, virtual_loads, error_code, error_time, final V). Page rows are
    int32 when every stored value fits (times < n <= 2^31, ranks and slots <= k)."""
    small = len(ids) <= 2**31 and k < 2**31 - 1
    rows = _rows(max(int(n_pages), 0), np.int32 if small else np.int64)
    return _kernel(ids, ev_pred, k, prio_u, rows)


@njit(cache=True)
def _kernel(ids, ev_pred, k, prio_u, rows):
    """``trust_doubt_kernel`` on preallocated page rows (``_rows``)."""
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    n_real = 0
    varr = np.empty(k, dtype=np.int64)               # V, the non-lazy cache (rows[., VW])
    nv = 0
    # sets of pages keyed by a request time t (the page is ids[t]): 1 ancient & not in P,
    # 2 ancient & in P (by last request), 5 the pick set (by last request), 6 the real cache
    # minus V (by load time); keyed by the stale pages' priority rank (page = rank_page[j]):
    # 3 unmarked stale in V (min), 4 unmarked stale not in V nor T (max)
    b1, o1 = bs.new(n)
    b2, o2 = bs.new(n)
    b5, o5 = bs.new(n)
    b6, o6 = bs.new(n)
    b3, o3 = bs.new(k)
    b4, o4 = bs.new(k)
    rank_page = np.empty(k, dtype=np.int64)
    # clean pages of the phase, by arrival index
    pq = np.empty(k + 1, dtype=np.int64)
    trusted = np.zeros(k + 1, dtype=np.bool_)
    ilen = np.zeros(k + 1, dtype=np.int64)
    istart = np.zeros(k + 1, dtype=np.int64)
    n_clean = 0
    # doubted intervals: bucket by the arrival count at which they end
    head = np.full(k + 2, -1, dtype=np.int64)
    nxt = np.empty(n + 1, dtype=np.int64)
    item = np.empty(n + 1, dtype=np.int64)
    n_items = 0
    buf = np.empty(k + 1, dtype=np.int64)
    sbuf = np.empty(k, dtype=np.int64)
    skey = np.zeros(k, dtype=np.uint64)              # scratch of the page-id sort
    stmp = np.empty(k, dtype=np.uint64)
    svtmp = np.empty(k, dtype=np.int64)
    scnt = np.zeros((_sort.N_DIGITS, 1 << _sort.RADIX), dtype=np.int64)
    order = np.empty(k, dtype=np.int64)
    bkt = np.empty(k, dtype=np.int64)
    key = np.empty(k, dtype=np.float64)
    cnt = np.empty(k + 1, dtype=np.int64)
    phase = 0
    cold = True
    n_marked = 0
    n_anc = 0
    ui = 0
    vloads = 0
    for t in range(n):
        if t + _AHEAD < n:
            prefetch_write(rows, ids[t + _AHEAD])
            if ev_pred[t + _AHEAD] >= 0:
                prefetch_write(rows, ev_pred[t + _AHEAD])
        r = ids[t]
        # ---- the predictor serves r_t: P_t
        fr = rows[r, FLG]
        was_in = (fr & PIN) != 0
        rows[r, FLG] = fr | PIN
        e = ev_pred[t]
        if e >= 0:
            rows[e, FLG] &= ~PIN
        first = rows[r, MARK] != phase
        new_phase = first and n_marked == k
        r_changed = first or not was_in
        # r's last-request time changes: take it out of the sets keyed by it (the sync below
        # puts it back under the new key). A page outside the ancient, stale and marked pages
        # is in none of them; after a phase start they are rebuilt.
        if r_changed and not new_phase:
            lo = rows[r, LAST]
            if rows[r, CLS] == phase:
                if rows[r, RANK] < 0:
                    bs.delete(b1, o1, lo)
                    bs.delete(b2, o2, lo)
                else:
                    bs.delete(b5, o5, lo)
            elif not first:
                bs.delete(b5, o5, lo)
        rows[r, LAST] = t
        # ---- phase start
        if new_phase:
            phase += 1
            cold = False
            n_marked = 0
            bs.clear(b1, o1)
            bs.clear(b2, o2)
            bs.clear(b3, o3)
            bs.clear(b4, o4)
            bs.clear(b5, o5)
            for i in range(n_clean):
                if pq[i] >= 0:
                    rows[pq[i], OWN] = -1
            n_clean = 0
            head[:] = -1
            n_items = 0
            # classify V; ancient pages and stale pages outside P join their sets now
            ns = 0
            n_anc = 0
            for i in range(nv):
                if i + 16 < nv:
                    prefetch_write(rows, varr[i + 16])
                p = varr[i]
                rows[p, CLS] = phase
                pin = (rows[p, FLG] & PIN) != 0
                if rows[p, MARK] == phase - 1 or p == r:
                    sbuf[ns] = p
                    ns += 1
                    if not pin:
                        bs.insert(b5, o5, rows[p, LAST])
                else:
                    rows[p, RANK] = -1
                    n_anc += 1
                    if pin:
                        bs.insert(b2, o2, rows[p, LAST])
                    else:
                        bs.insert(b1, o1, rows[p, LAST])
            # priorities: the stale pages in increasing id take the next uniforms; rank them
            for j in range(ns):
                skey[j] = sbuf[j]
            _sort.sort_pairs(skey, sbuf, ns, stmp, svtmp, scnt)
            _order_by(prio_u, ui, ns, order, cnt, bkt, key)
            ui += ns
            for j in range(ns):
                p = sbuf[order[j]]
                rank_page[j] = p
                rows[p, RANK] = j
            bs.fill(b3, o3, ns)                      # every stale page is in V, unmarked
        if first:
            rows[r, MARK] = phase
            before = n_marked
            n_marked += 1
        else:
            before = n_marked
        # ---- sync the sets with the state changes above: r if its state changed (newly
        # marked or newly in P_t; else every set excludes it before and after), and e
        for j in range(2):
            p = r if j == 0 else e
            if p < 0 or (j == 0 and not r_changed):
                continue
            cls_now = rows[p, CLS] == phase
            rk = rows[p, RANK]
            mk = rows[p, MARK] == phase
            pn = (rows[p, FLG] & PIN) != 0
            lp = rows[p, LAST]
            o = rows[p, OWN]
            if cls_now and rk < 0:                   # ancient
                w1 = not pn
                bs.assign(b1, o1, lp, w1)
                bs.assign(b2, o2, lp, pn)
            stl = cls_now and rk >= 0
            if stl:
                inv = rows[p, VW] >= 0
                w3 = not mk and inv
                bs.assign(b3, o3, rk, w3)
                w4 = not mk and not inv and not (o >= 0 and trusted[o])
                bs.assign(b4, o4, rk, w4)
            if stl or mk:
                w5 = not pn and o < 0
                bs.assign(b5, o5, lp, w5)
        # ---- serve r in V
        if cold:
            if rows[r, VW] < 0:
                nv = _v_add(varr, rows, nv, r)
                vloads += 1
        elif n_anc > 0:
            if rows[r, CLS] == phase and rows[r, RANK] < 0:
                rows[r, CLS] = -1
                n_anc -= 1
                bs.delete(b1, o1, t)
                bs.delete(b2, o2, t)
            if rows[r, VW] < 0:
                if not bs.is_empty(b1, o1):
                    x = bs.minimum(b1, o1)
                    bs.delete(b1, o1, x)
                else:
                    x = bs.minimum(b2, o2)
                    bs.delete(b2, o2, x)
                v = ids[x]
                if not bs.is_empty(b1, o1):
                    prefetch_write(rows, ids[bs.minimum(b1, o1)])
                elif not bs.is_empty(b2, o2):
                    prefetch_write(rows, ids[bs.minimum(b2, o2)])
                rows[v, CLS] = -1
                n_anc -= 1
                _v_replace(varr, rows, v, r)
                ld = rows[v, LOAD]                   # v joins R - V if in the real cache
                if ld >= 0:
                    bs.insert(b6, o6, ld)
                    rows[v, FLG] |= IN6
                vloads += 1
        else:
            is_clean = first and not (rows[r, CLS] == phase and rows[r, RANK] >= 0)
            cq = n_clean
            if is_clean:
                n_clean += 1
            if rows[r, VW] < 0:
                if bs.is_empty(b3, o3):
                    return hits, evicted, vloads, ERR_NO_STALE, t, varr[:nv].copy()
                x = bs.minimum(b3, o3)
                bs.delete(b3, o3, x)
                v = rank_page[x]
                if not bs.is_empty(b3, o3):
                    prefetch_write(rows, rank_page[bs.minimum(b3, o3)])
                _v_replace(varr, rows, v, r)
                o = rows[v, OWN]
                w4 = not (o >= 0 and trusted[o])
                bs.assign(b4, o4, x, w4)
                ld = rows[v, LOAD]                   # v joins R - V if in the real cache
                if ld >= 0:
                    bs.insert(b6, o6, ld)
                    rows[v, FLG] |= IN6
                vloads += 1
            if is_clean:                             # step 3: trust the predictor
                trusted[cq] = True
                ilen[cq] = 1
                istart[cq] = before
                if not bs.is_empty(b5, o5):
                    x = bs.minimum(b5, o5)
                    bs.delete(b5, o5, x)
                    c = ids[x]
                    if not bs.is_empty(b5, o5):      # the next pick's row, ahead of time
                        prefetch_write(rows, ids[bs.minimum(b5, o5)])
                    pq[cq] = c
                    rows[c, OWN] = cq
                    if rows[c, CLS] == phase and rows[c, RANK] >= 0:
                        bs.delete(b4, o4, rows[c, RANK])
                else:
                    pq[cq] = -1
            q = rows[r, OWN]
            if q >= 0:                               # step 4: doubt
                if bs.is_empty(b5, o5):
                    return hits, evicted, vloads, ERR_NO_PICK, t, varr[:nv].copy()
                x = bs.minimum(b5, o5)
                bs.delete(b5, o5, x)
                c = ids[x]
                rows[r, OWN] = -1
                pq[q] = c
                rows[c, OWN] = q
                trusted[q] = False
                istart[q] = n_marked
                if rows[c, CLS] == phase and rows[c, RANK] >= 0:
                    w4 = rows[c, MARK] != phase and rows[c, VW] < 0
                    bs.assign(b4, o4, rows[c, RANK], w4)
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
                    buf[nb] = cq
                    nb += 1
                for i in range(1, nb):               # by order of arrival (insertion sort)
                    x = buf[i]
                    j = i - 1
                    while j >= 0 and buf[j] > x:
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
                    wst = rows[w, CLS] == phase and rows[w, RANK] >= 0
                    if wst:
                        bs.delete(b4, o4, rows[w, RANK])
                    if rows[w, VW] >= 0:
                        if wst:
                            bs.delete(b3, o3, rows[w, RANK])
                        ld = rows[w, LOAD]           # w joins R - V if in the real cache
                        if ld >= 0:
                            bs.insert(b6, o6, ld)
                            rows[w, FLG] |= IN6
                        if bs.is_empty(b4, o4):
                            nv = _v_remove(varr, rows, nv, w)
                            return hits, evicted, vloads, ERR_NO_RELOAD, t, varr[:nv].copy()
                        x = bs.maximum(b4, o4)
                        bs.delete(b4, o4, x)
                        y = rank_page[x]
                        if not bs.is_empty(b4, o4):
                            prefetch_write(rows, rank_page[bs.maximum(b4, o4)])
                        _v_replace(varr, rows, w, y)
                        vloads += 1
                        bs.insert(b3, o3, x)
                        f = rows[y, FLG]
                        if f & IN6:
                            ld = rows[y, LOAD]
                            if ld >= 0:
                                bs.delete(b6, o6, ld)
                            rows[y, FLG] = f & ~IN6
        # r is in V now: it is never in the lazy candidate set
        f = rows[r, FLG]
        if f & IN6:
            ld = rows[r, LOAD]
            if ld >= 0:
                bs.delete(b6, o6, ld)
            rows[r, FLG] = f & ~IN6
        # ---- the real cache follows V lazily
        if rows[r, LOAD] >= 0:
            hits[t] = True
            continue
        if n_real == k:
            if bs.is_empty(b6, o6):
                return hits, evicted, vloads, ERR_NO_LAZY, t, varr[:nv].copy()
            x = bs.minimum(b6, o6)
            bs.delete(b6, o6, x)
            v = ids[x]
            if not bs.is_empty(b6, o6):
                prefetch_write(rows, ids[bs.minimum(b6, o6)])
            rows[v, LOAD] = -1                       # a store only: v's row may be cold
            evicted[t] = v
            n_real -= 1
        rows[r, LOAD] = t
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

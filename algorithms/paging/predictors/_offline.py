"""Offline computations behind the perfect predictions (numba): Belady's schedule with its
discard information, Belady with random mistakes, and the k-phase partition.

Belady (1966): on a miss with a full cache evict the cached page whose next request is
furthest ahead (never-requested-again pages first). Ties only occur among never-again pages;
any choice among them gives the same schedule cost.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from algorithms.paging import _ds
from algorithms.paging.classic import _heap


@njit(cache=True)
def belady_actions(ids: np.ndarray, nxt: np.ndarray, n_pages: int, k: int,
                   p_err: float, u_err: np.ndarray, u_pick: np.ndarray):
    """Belady's schedule, where each eviction is, with probability ``p_err`` (u_err[t] < p_err),
    replaced by a uniformly random cached page. Returns (hits, evicted, discard) where
    discard[t] = 1 iff the page of request t leaves this schedule's cache before its next
    request or is never requested again (the perfect discard bit when p_err = 0)."""
    n = len(ids)
    hits = np.zeros(n, dtype=np.bool_)
    evicted = np.full(n, -1, dtype=np.int64)
    discard = np.zeros(n, dtype=np.int8)
    heap = np.empty(max(k, 1), dtype=np.int64)
    key = np.zeros(n_pages, dtype=np.int64)
    pos = np.full(n_pages, -1, dtype=np.int64)
    carr = np.empty(max(k, 1), dtype=np.int64)
    cwhere = np.full(n_pages, -1, dtype=np.int64)
    last = np.full(n_pages, -1, dtype=np.int64)
    size = 0
    for t in range(n):
        p = ids[t]
        nx = nxt[t]
        if nx >= n:
            discard[t] = 1
        pri = nx if nx < n else n + (n_pages - 1 - p)
        if pos[p] >= 0:
            hits[t] = True
            _heap.update(heap, key, pos, size, p, -pri)
        else:
            if size == k:
                if p_err > 0.0 and u_err[t] < p_err:
                    v = _ds.set_pick(carr, size, u_pick[t])
                    size = _ds.heap_remove(heap, key, pos, size, v)
                else:
                    v, size = _heap.pop_min(heap, key, pos, size)
                _ds.set_remove(carr, cwhere, size + 1, v)
                evicted[t] = v
                discard[last[v]] = 1
            _ds.set_add(carr, cwhere, size, p)
            size = _heap.push(heap, key, pos, size, p, -pri)
        last[p] = t
    return hits, evicted, discard


@njit(cache=True)
def phase_index(ids: np.ndarray, n_pages: int, k: int) -> np.ndarray:
    """The k-phase partition: phase[t] of each request; a phase is a maximal block of
    requests to at most k distinct pages, blocks taken greedily from the start."""
    n = len(ids)
    out = np.empty(n, dtype=np.int64)
    seen = np.full(n_pages, -1, dtype=np.int64)
    phase = 0
    distinct = 0
    for t in range(n):
        p = ids[t]
        if seen[p] != phase:
            distinct += 1
            if distinct == k + 1:
                phase += 1
                distinct = 1
            seen[p] = phase
        out[t] = phase
    return out


@njit(cache=True)
def phase_bits(ids: np.ndarray, n_pages: int, phase: np.ndarray) -> np.ndarray:
    """bit[t] = 1 iff the page of request t is NOT requested in the phase after t's phase.

    Backward scan: ``cur[p]`` is the phase of p's next request, ``later[p]`` the phase of its
    first request in a phase after the current request's phase."""
    n = len(ids)
    out = np.ones(n, dtype=np.int8)
    later = np.full(n_pages, -1, dtype=np.int64)
    cur = np.full(n_pages, -1, dtype=np.int64)
    for t in range(n - 1, -1, -1):
        p = ids[t]
        ph = phase[t]
        if cur[p] > ph:
            later[p] = cur[p]
        out[t] = 0 if later[p] == ph + 1 else 1
        cur[p] = ph
    return out

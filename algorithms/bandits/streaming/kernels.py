"""All numba kernels of the streaming family in one module: the env's state and primitives and
the level tournament that calls them.

They live together because numba's on-disk cache (``cache=True``) is invalidated only by changes
to a kernel's own source file: a kernel calling a jitted function of another module would keep
running the old callee after that module changed. ``env`` and ``levels`` import from here.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np


class StreamMemoryError(RuntimeError):
    """A policy tried to store more arms than the env's memory bound."""


class StreamProtocolError(RuntimeError):
    """A policy broke the streaming protocol (empty slot, pulls beyond T, ...)."""


StreamState = namedtuple("StreamState", ["means", "best", "horizon", "pos", "slots", "used",
                                         "regret", "peak", "ck", "ck_regret", "ck_next"])


@numba.njit(cache=True)
def stream_read(st, r):
    """Store the next arriving arm of rep ``r`` in the lowest free slot; -1 at the end of stream."""
    if st.pos[r] >= st.means.shape[1]:
        return -1
    free, occupied = -1, 0
    for j in range(st.slots.shape[1]):
        if st.slots[r, j] < 0:
            if free < 0:
                free = j
        else:
            occupied += 1
    if free < 0:
        raise StreamMemoryError("streaming env: every arm-memory slot is occupied; "
                                "discard an arm before reading the next one")
    st.slots[r, free] = st.pos[r]
    st.pos[r] += 1
    if occupied + 1 > st.peak[r]:
        st.peak[r] = occupied + 1
    return free


@numba.njit(cache=True)
def stream_remaining(st, r):
    return st.horizon - st.used[r]


@numba.njit(cache=True)
def stream_pull(st, r, slot, n, rng):
    """``n`` pulls of the arm stored in ``slot``: the number of successes (Binomial(n, mu))."""
    if slot < 0 or slot >= st.slots.shape[1] or st.slots[r, slot] < 0:
        raise StreamProtocolError("streaming env: pulled an empty or unknown slot")
    if n < 0 or st.used[r] + n > st.horizon:
        raise StreamProtocolError("streaming env: pulls beyond the horizon T (or negative)")
    if n == 0:
        return 0
    mu = st.means[r, st.slots[r, slot]]
    gap = st.best[r] - mu
    u0 = st.used[r]
    k = st.ck_next[r]
    while k < st.ck.shape[0] and st.ck[k] <= u0 + n:
        st.ck_regret[r, k] = st.regret[r] + (st.ck[k] - u0) * gap
        k += 1
    st.ck_next[r] = k
    st.used[r] = u0 + n
    st.regret[r] += n * gap
    return rng.binomial(n, mu)


@numba.njit(cache=True)
def stream_discard(st, r, slot):
    if slot < 0 or slot >= st.slots.shape[1] or st.slots[r, slot] < 0:
        raise StreamProtocolError("streaming env: discarded an empty or unknown slot")
    st.slots[r, slot] = -1


# ---- the level tournament (algorithm described in ``levels``) --------------------------------

@numba.njit(cache=True)
def _enter(st, r, rng, slot, level, batch, cap, king_slot, king_mean, spent):
    """``slot``'s arm enters ``level`` (and, through promotions, the levels above)."""
    L = batch.shape[0]
    while True:
        n = min(batch[level], stream_remaining(st, r))
        if n == 0:                                  # budget spent: nothing matters any more
            if king_slot[level] < 0:
                king_slot[level] = slot
                king_mean[level] = -1.0
            else:
                stream_discard(st, r, slot)
            return
        mean = stream_pull(st, r, slot, n, rng) / n
        spent[level] += n
        if king_slot[level] < 0:
            king_slot[level], king_mean[level] = slot, mean
        elif mean > king_mean[level]:
            stream_discard(st, r, king_slot[level])
            king_slot[level], king_mean[level] = slot, mean
        else:
            stream_discard(st, r, slot)
        if level < L - 1 and cap[level] >= 0 and spent[level] > cap[level]:
            slot = king_slot[level]                 # promote the king: it challenges level + 1
            king_slot[level] = -1
            spent[level] = 0
            level += 1
            continue
        return


@numba.njit(cache=True)
def play_levels(st, rng, batch, cap, final):
    """Run the level tournament then commit, for every rep of the env state ``st``."""
    n_reps, L = st.means.shape[0], batch.shape[0]
    king_slot = np.empty(L, np.int64)
    king_mean = np.empty(L, np.float64)
    spent = np.empty(L, np.int64)
    fresh = np.empty(L, np.float64)
    for r in range(n_reps):
        king_slot[:] = -1
        spent[:] = 0
        while stream_remaining(st, r) > 0:
            slot = stream_read(st, r)
            if slot < 0:
                break
            _enter(st, r, rng, slot, 0, batch, cap, king_slot, king_mean, spent)
        n_kings, top = 0, -1
        for l in range(L):
            if king_slot[l] >= 0:
                n_kings += 1
                top = l
        winner = top
        if n_kings > 1 and stream_remaining(st, r) >= n_kings * final:
            best = -1.0
            for l in range(L - 1, -1, -1):          # ties go to the higher level
                if king_slot[l] >= 0:
                    fresh[l] = stream_pull(st, r, king_slot[l], final, rng) / final
                    if fresh[l] > best:
                        best, winner = fresh[l], l
        for l in range(L):
            if king_slot[l] >= 0 and l != winner:
                stream_discard(st, r, king_slot[l])
        if winner >= 0:
            stream_pull(st, r, king_slot[winner], stream_remaining(st, r), rng)
            stream_discard(st, r, king_slot[winner])

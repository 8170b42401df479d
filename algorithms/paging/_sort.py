"""In-place stable sorting of (key, value) pairs inside the paging kernels (numba).

A kernel that orders its k cache slots (by prediction at a phase start, by last request at a
fallback phase, by page id) cannot call ``np.argsort`` in a loop compiled without reference
counting (``_loop``), and a comparison sort of k items per phase was most of a kernel's time:
Predictive Marker-style kernels sort k = 10^4 keys about 500 times on a 10 M request trace
(heapsort: 0.5 s of 0.7 s). ``sort_pairs`` picks by length: insertion sort for short inputs,
a bottom-up merge sort for medium ones, and from a few hundred keys an LSD radix sort, O(m)
per 11-bit digit, that skips the digits on which every key agrees (all digit counts come from
one read of the keys), so integer keys below 2^22 take two passes. The radix sort's fixed
cost (clearing and summing 6 x 2048 counts, ~4 us) is why short inputs do not use it.

Keys are ``uint64``. ``float_key`` maps a float64 (given as its bits, ``arr.view(np.uint64)``)
to a uint64 with the same order (negatives and infinities included; -0.0 and 0.0 get one key;
NaN has no place in the order: callers reject it), and a non-negative integer is its own key.
Every path is stable, so pairs with equal keys keep their input order: callers that fill the
input in slot order get ties broken by slot.

The functions are inlined into the calling kernels (``algorithms._jit_cache`` drops stale
caches after an edit here).
"""

from __future__ import annotations

import numpy as np
from numba import njit

RADIX = 11                                          # bits per digit
N_DIGITS = 6                                        # 6 x 11 >= 64
_MASK = np.uint64((1 << RADIX) - 1)
_SIGN = np.uint64(1 << 63)
_RUN = 32                                           # insertion sort up to this length
_RADIX_FROM = 384                                   # radix sort from this length (measured
                                                    # crossover with merge sort: 256-512)


def buffers(k: int, val_dtype=np.int32):
    """(key, tmp_key, tmp_val, counts) scratch arrays for sorting up to k pairs whose values
    have ``val_dtype``; allocate them in the kernel's Python wrapper."""
    return (np.zeros(k, dtype=np.uint64), np.empty(k, dtype=np.uint64),
            np.empty(k, dtype=val_dtype), np.zeros((N_DIGITS, 1 << RADIX), dtype=np.int64))


@njit(cache=True, inline="always")
def float_key(bits):
    """Order-preserving uint64 of a float64 given by its bits: flip every bit of a negative,
    set the sign bit of a positive; -0.0 gets 0.0's key (they are equal numbers)."""
    if bits & _SIGN:
        if bits == _SIGN:
            return _SIGN
        return ~bits
    return bits | _SIGN


@njit(cache=True, inline="always")
def _insertion(key, val, lo, hi):
    """Stable insertion sort of key[lo:hi] (val moved along)."""
    for i in range(lo + 1, hi):
        kx = key[i]
        vx = val[i]
        j = i - 1
        while j >= lo and key[j] > kx:
            key[j + 1] = key[j]
            val[j + 1] = val[j]
            j -= 1
        key[j + 1] = kx
        val[j + 1] = vx


@njit(cache=True, inline="always")
def _merge_sort(key, val, m, tkey, tval):
    """Stable bottom-up merge sort: insertion-sorted runs of _RUN, then merge passes that
    alternate between the arrays and the scratch."""
    for lo in range(0, m, _RUN):
        _insertion(key, val, lo, min(lo + _RUN, m))
    src_k, src_v, dst_k, dst_v = key, val, tkey, tval
    moved = False
    width = _RUN
    while width < m:
        for lo in range(0, m, 2 * width):
            mid = min(lo + width, m)
            hi = min(lo + 2 * width, m)
            i = lo
            j = mid
            for o in range(lo, hi):
                if j >= hi or (i < mid and src_k[i] <= src_k[j]):
                    dst_k[o] = src_k[i]
                    dst_v[o] = src_v[i]
                    i += 1
                else:
                    dst_k[o] = src_k[j]
                    dst_v[o] = src_v[j]
                    j += 1
        src_k, dst_k = dst_k, src_k
        src_v, dst_v = dst_v, src_v
        moved = not moved
        width *= 2
    if moved:
        for i in range(m):
            key[i] = tkey[i]
            val[i] = tval[i]


@njit(cache=True, inline="always")
def _radix(key, val, m, tkey, tval, cnt):
    """Stable LSD radix sort, skipping the digits on which every key agrees."""
    cnt[:, :] = 0
    for i in range(m):
        x = key[i]
        for d in range(N_DIGITS):
            cnt[d, (x >> np.uint64(d * RADIX)) & _MASK] += 1
    src_k, src_v, dst_k, dst_v = key, val, tkey, tval
    moved = False
    for d in range(N_DIGITS):
        sh = np.uint64(d * RADIX)
        c = cnt[d]
        if c[(src_k[0] >> sh) & _MASK] == m:       # every key has this digit
            continue
        total = 0
        for b in range(1 << RADIX):
            cb = c[b]
            c[b] = total
            total += cb
        for i in range(m):
            x = src_k[i]
            b = (x >> sh) & _MASK
            j = c[b]
            c[b] = j + 1
            dst_k[j] = x
            dst_v[j] = src_v[i]
        src_k, dst_k = dst_k, src_k
        src_v, dst_v = dst_v, src_v
        moved = not moved
    if moved:
        for i in range(m):
            key[i] = tkey[i]
            val[i] = tval[i]


@njit(cache=True, inline="always")
def sort_pairs(key, val, m, tkey, tval, cnt):
    """Sort key[0:m] ascending, moving val[0:m] along, stably; tkey/tval (length >= m) and
    cnt (N_DIGITS x 2^RADIX) are scratch. Insertion sort up to _RUN keys, merge sort up to
    _RADIX_FROM, radix sort above (its fixed cost, clearing and summing the digit counts,
    only pays off on long inputs)."""
    if m <= _RUN:
        _insertion(key, val, 0, m)
    elif m < _RADIX_FROM:
        _merge_sort(key, val, m, tkey, tval)
    else:
        _radix(key, val, m, tkey, tval, cnt)

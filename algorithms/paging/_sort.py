"""In-place stable sorting of (key, value) pairs inside the paging kernels (numba).

A kernel that orders its k cache slots (by prediction at a phase start, by last request at a
fallback phase, by page id) cannot call ``np.argsort`` in a loop compiled without reference
counting (``_loop``), and a comparison sort of k items per phase was most of a kernel's time:
Predictive Marker-style kernels sort k = 10^4 keys about 500 times on a 10 M request trace
(heapsort: 0.5 s of 0.7 s). ``sort_pairs`` is an LSD radix sort, O(m) per 11-bit digit;
digits on which every key agrees are skipped (all digit counts come from one read of the
keys), so integer keys below 2^22 take two passes. Short inputs use insertion sort.

Keys are ``uint64``. ``float_key`` maps a float64 (given as its bits, ``arr.view(np.uint64)``)
to a uint64 with the same order (negatives, infinities and -0.0 < 0.0 included), and a
non-negative integer is its own key. Both sorts are stable, so pairs with equal keys keep
their input order: callers that fill the input in slot order get ties broken by slot.

The functions are inlined into the calling kernels; after editing this module, delete the
numba cache files of the modules that import it (see ``classic._heap``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

RADIX = 11                                          # bits per digit
N_DIGITS = 6                                        # 6 x 11 >= 64
_MASK = np.uint64((1 << RADIX) - 1)
_SIGN = np.uint64(1 << 63)
_SHORT = 32                                         # insertion sort up to this length


def buffers(k: int, val_dtype=np.int32):
    """(key, tmp_key, tmp_val, counts) scratch arrays for sorting up to k pairs whose values
    have ``val_dtype``; allocate them in the kernel's Python wrapper."""
    return (np.zeros(k, dtype=np.uint64), np.empty(k, dtype=np.uint64),
            np.empty(k, dtype=val_dtype), np.zeros((N_DIGITS, 1 << RADIX), dtype=np.int64))


@njit(cache=True, inline="always")
def float_key(bits):
    """Order-preserving uint64 of a float64 given by its bits: flip every bit of a negative,
    set the sign bit of a positive."""
    if bits & _SIGN:
        return ~bits
    return bits | _SIGN


@njit(cache=True, inline="always")
def sort_pairs(key, val, m, tkey, tval, cnt):
    """Sort key[0:m] ascending, moving val[0:m] along, stably; tkey/tval (length >= m) and
    cnt (N_DIGITS x 2^RADIX) are scratch."""
    if m <= _SHORT:
        for i in range(1, m):
            kx = key[i]
            vx = val[i]
            j = i - 1
            while j >= 0 and key[j] > kx:
                key[j + 1] = key[j]
                val[j + 1] = val[j]
                j -= 1
            key[j + 1] = kx
            val[j + 1] = vx
        return
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

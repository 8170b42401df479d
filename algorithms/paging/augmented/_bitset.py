"""A hierarchical 64-ary bitset over the integers [0, n) (numba): a set with insert, delete,
membership, min and max in O(log_64 n) word operations.

Why: the Trust&Doubt kernel keeps sets of pages keyed by a request time t (the page is
``ids[t]``) or by a rank in [0, k); over such keys a bitset needs no per-page position array
and its bottom level has n/64 words (1.25 MB at n = 10M), so it stays in cache where an
indexed heap over pages misses at every level.

Layout: one uint64 array; level 0 (offset 0) has a bit per integer, level l+1 a bit per word of
level l, set iff that word is non-zero; the top level is one word. ``off[l]`` is the offset of
level l. Insert and delete are idempotent.

The per-operation functions are leaves (they call no other jitted function) and are not
``inline="always"``: numba's IR inlining binds array arguments to new variables whose atomic
reference counting survives in a large kernel (it cost more than the kernel's own work in
Trust&Doubt), while a plain call passes arrays borrowed (and LLVM may inline it).
Numba's cache keys a kernel on its own source file only; ``algorithms._jit_cache`` drops the
package's caches when this module changes.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.cpython.unsafe.numbers import leading_zeros, trailing_zeros

_ONE = np.uint64(1)
_ZERO = np.uint64(0)


@njit(cache=True)
def new(n):
    """An empty set over [0, n): (bits, off)."""
    sizes = []
    m = max(n, 1)
    while True:
        m = (m + 63) >> 6
        sizes.append(m)
        if m == 1:
            break
    off = np.empty(len(sizes), dtype=np.int64)
    total = 0
    for i in range(len(sizes)):
        off[i] = total
        total += sizes[i]
    return np.zeros(total, dtype=np.uint64), off


@njit(cache=True)
def contains(bits, x):
    """Is x a member (level 0 starts at offset 0)?"""
    return (bits[x >> 6] >> np.uint64(x & 63)) & _ONE != _ZERO


@njit(cache=True)
def is_empty(bits, off):
    """Is the set empty (its top word is zero)?"""
    return bits[off[len(off) - 1]] == _ZERO


@njit(cache=True)
def insert(bits, off, x):
    """Add x (a no-op if present)."""
    for lev in range(len(off)):
        w = off[lev] + (x >> 6)
        old = bits[w]
        bits[w] = old | (_ONE << np.uint64(x & 63))
        if old != _ZERO:
            break
        x >>= 6


@njit(cache=True)
def delete(bits, off, x):
    """Remove x (a no-op if absent)."""
    for lev in range(len(off)):
        w = off[lev] + (x >> 6)
        old = bits[w]
        new_ = old & ~(_ONE << np.uint64(x & 63))
        if new_ == old:
            break
        bits[w] = new_
        if new_ != _ZERO:
            break
        x >>= 6


@njit(cache=True)
def assign(bits, off, x, want):
    """Insert x if ``want``, else delete it."""
    if want:
        insert(bits, off, x)
    else:
        delete(bits, off, x)


@njit(cache=True)
def minimum(bits, off):
    """The smallest member (the set must be non-empty)."""
    x = 0
    for lev in range(len(off) - 1, -1, -1):
        x = (x << 6) | int(trailing_zeros(bits[off[lev] + x]))
    return x


@njit(cache=True)
def maximum(bits, off):
    """The largest member (the set must be non-empty)."""
    x = 0
    for lev in range(len(off) - 1, -1, -1):
        x = (x << 6) | (63 - int(leading_zeros(bits[off[lev] + x])))
    return x


@njit(cache=True)
def clear(bits, off):
    """Empty the set in O(non-zero words * levels)."""
    top = len(off) - 1
    while bits[off[top]] != _ZERO:
        x = minimum(bits, off)
        for lev in range(len(off)):
            w = off[lev] + (x >> 6)
            if lev == 0:
                bits[w] = _ZERO
            else:
                bits[w] &= ~(_ONE << np.uint64(x & 63))
            if bits[w] != _ZERO:
                break
            x >>= 6


@njit(cache=True)
def fill(bits, off, m):
    """Add every integer of [0, m) (a bulk insert in O(m / 64) words)."""
    for lev in range(len(off)):
        full = m >> 6
        for w in range(full):
            bits[off[lev] + w] = ~_ZERO
        rem = m & 63
        if rem:
            bits[off[lev] + full] |= (_ONE << np.uint64(rem)) - _ONE
        m = full + (1 if rem else 0)
        if m == 0:
            break

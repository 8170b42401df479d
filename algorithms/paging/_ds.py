"""Array data structures the paging kernels share (numba).

* A *set with uniform sampling*: ``arr[0:size]`` holds the members, ``where[x]`` the index of
  x in ``arr`` (-1 when absent); add, remove and a uniform pick are O(1) (swap-remove).
* Max-selection by a float key goes through the indexed min-heap of
  ``algorithms.paging.classic._heap`` with negated keys.
* ``harmonic(k)`` = H_k.

The functions are inlined into the kernels (``algorithms._jit_cache`` drops stale caches after
an edit here). Randomness: kernels never draw; they read a pre-drawn uniform ``u`` in [0, 1)
and pick ``arr[int(u * size)]`` (the policy draws ``u`` from the Generator it is given).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from algorithms.paging.classic import _heap


@njit(cache=True, inline="always")
def set_add(arr, where, size, x):
    """Add x (must be absent); returns the new size."""
    arr[size] = x
    where[x] = size
    return size + 1


@njit(cache=True, inline="always")
def set_remove(arr, where, size, x):
    """Remove x if present; returns the new size."""
    i = where[x]
    if i >= 0:
        size -= 1
        last = arr[size]
        arr[i] = last
        where[last] = i
        where[x] = -1
    return size


@njit(cache=True, inline="always")
def set_pick(arr, size, u):
    """A uniformly random member given a uniform u in [0, 1)."""
    i = int(u * size)
    if i >= size:
        i = size - 1
    return arr[i]


@njit(cache=True, inline="always")
def set_clear(arr, where, size):
    for i in range(size):
        where[arr[i]] = -1
    return 0


def harmonic(k: int) -> float:
    return float(np.sum(1.0 / np.arange(1, k + 1)))


@njit(cache=True, inline="always")
def heap_remove(heap, key, pos, size, item):
    """Remove an item from the indexed min-heap of ``classic._heap``; returns the new size."""
    i = pos[item]
    size -= 1
    pos[item] = -1
    if i != size:
        last = heap[size]
        heap[i] = last
        pos[last] = i
        _heap.sift_up(heap, key, pos, i)
        _heap.sift_down(heap, key, pos, pos[last], size)
    return size

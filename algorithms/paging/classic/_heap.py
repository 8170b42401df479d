"""An indexed binary min-heap over item ids, for O(log k) selection by a key (numba).

``heap[0:size]`` holds items, ``key[i]`` is item i's key (any numeric dtype) and ``pos[i]``
its index in the heap (-1 when absent). Used by LFU (items = cache slots, so every array has k
entries) and by the learning-augmented kernels (items = pages). With distinct keys the order
is implementation-independent; with ties, the victim depends on the heap's arrangement.

The functions are inlined into the calling kernels (a call per heap operation costs about as
much as the operation). Numba's on-disk cache keys each kernel on its own source file only;
``algorithms._jit_cache`` drops the package's caches when this module changes, so importers
do not keep running old code.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def sift_up(heap, key, pos, i):
    """Move heap[i] up while its key is smaller than its parent's."""
    item = heap[i]
    k = key[item]
    while True:                    # this loop shape lets numba drop the arrays' refcounting
        if i <= 0:                 # (``while i > 0`` costs six atomic refcount calls a sift)
            break
        parent = (i - 1) >> 1
        above = heap[parent]
        if key[above] > k:
            heap[i] = above
            pos[above] = i
            i = parent
        else:
            break
    heap[i] = item
    pos[item] = i


@njit(cache=True, inline="always")
def sift_down(heap, key, pos, i, size):
    """Move heap[i] down while a child's key is smaller."""
    item = heap[i]
    k = key[item]
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        right = child + 1
        if right < size and key[heap[right]] < key[heap[child]]:
            child = right
        below = heap[child]
        if key[below] < k:
            heap[i] = below
            pos[below] = i
            i = child
        else:
            break
    heap[i] = item
    pos[item] = i


@njit(cache=True, inline="always")
def push(heap, key, pos, size, item, k):
    """Insert ``item`` with key ``k``; returns the new size."""
    key[item] = k
    heap[size] = item
    pos[item] = size
    sift_up(heap, key, pos, size)
    return size + 1


@njit(cache=True, inline="always")
def pop_min(heap, key, pos, size):
    """Remove the item with the smallest key; returns (item, new size)."""
    top = heap[0]
    size -= 1
    if size > 0:
        last = heap[size]
        heap[0] = last
        pos[last] = 0
        sift_down(heap, key, pos, 0, size)
    pos[top] = -1
    return top, size


@njit(cache=True, inline="always")
def replace_min(heap, key, pos, size, k):
    """Give the top item the key ``k`` and restore the heap; returns that item."""
    top = heap[0]
    key[top] = k
    sift_down(heap, key, pos, 0, size)
    return top


@njit(cache=True, inline="always")
def update(heap, key, pos, size, item, k):
    """Change the key of an item already in the heap."""
    old = key[item]
    key[item] = k
    if k < old:
        sift_up(heap, key, pos, pos[item])
    else:
        sift_down(heap, key, pos, pos[item], size)


def empty(n_items: int, capacity: int):
    """(heap, key, pos) int64 arrays for items 0..n_items-1 and at most ``capacity`` entries."""
    return (
        np.empty(max(int(capacity), 1), dtype=np.int64),
        np.zeros(max(int(n_items), 1), dtype=np.int64),
        np.full(max(int(n_items), 1), -1, dtype=np.int64),
    )

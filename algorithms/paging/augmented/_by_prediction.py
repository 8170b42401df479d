"""The unmarked cache slots of a marking phase, for a uniform pick and for "the largest
prediction" (Predictive Marker, LMarker, LNonMarker; numba, inlined into their kernels).

An unmarked page is not requested again in its phase (that would mark it), and a loaded page
is marked, so the unmarked set only shrinks and its members' predictions stay fixed until the
phase ends. ``start`` makes every cached slot (slots 0..m-1) unmarked, listed in slot order,
and sorts them by the prediction of each page's latest request (``_sort``: stable, so equal
predictions keep slot order); ``largest`` walks a pointer down that order past the slots
marked or evicted since, so a whole phase costs O(k) after the sort and ties go to the
highest slot. The unmarked list is a swap-remove set (``_ds``): marking or evicting a slot
removes it, and a uniform pick is entry floor(u * size).

``slot_arrays(k)``: the per-slot arrays, in the order the kernels take them: page in the slot,
the unmarked list and each slot's index in it, the sort key of the latest prediction, slots by
prediction, then ``_sort``'s scratch.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from algorithms.paging import _sort
from algorithms.paging import _ds


def slot_arrays(k: int) -> tuple:
    return (np.empty(k, dtype=np.int32),
            np.empty(k, dtype=np.int32), np.full(k, -1, dtype=np.int32),
            np.zeros(k, dtype=np.uint64), np.empty(k, dtype=np.int32), *_sort.buffers(k))


@njit(cache=True, inline="always")
def start(pg, stale_col, phase, page_of, m, uarr, upos, nun, order, predkey, okey, tkey, tval,
          cnt):
    """New phase over cached slots 0..m-1: stamp their pages stale (``pg[page, stale_col] =
    phase``), unmark them all and order them by prediction. Returns (unmarked count, top)."""
    nun = _ds.set_clear(uarr, upos, nun)
    for q in range(m):
        pg[page_of[q], stale_col] = phase
        nun = _ds.set_add(uarr, upos, nun, q)
        order[q] = q
        okey[q] = predkey[q]
    _sort.sort_pairs(okey, order, m, tkey, tval, cnt)
    return nun, m - 1


@njit(cache=True, inline="always")
def largest(order, upos, top):
    """The unmarked slot with the largest prediction (one must exist); returns (slot, top)."""
    while upos[order[top]] < 0:
        top -= 1
    return order[top], top

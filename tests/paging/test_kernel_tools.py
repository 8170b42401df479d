"""The compilation tools of the paging kernels: ``_prefetch`` (hints that must never change a
result), ``_loop.loop`` (request loops without numba's reference counting) and ``_sort`` (the
in-loop stable sort, against numpy's stable argsort)."""

import numpy as np
import pytest
from numba import njit
from numba.core.errors import TypingError

from algorithms.paging._loop import loop
from algorithms.paging._prefetch import prefetch, prefetch_write
from algorithms.paging import _sort


@njit
def _gather(arr, idx):
    out = 0
    for t in range(len(idx)):
        if t + 3 < len(idx):
            prefetch(arr, idx[t + 3])
        out += arr[idx[t]]
    return out


@njit
def _gather_rows(arr, idx):
    out = 0
    for t in range(len(idx)):
        prefetch(arr, idx[t])
        prefetch_write(arr, idx[t])
        out += arr[idx[t], 1]
    return out


def test_prefetch_is_only_a_hint_on_1d_and_2d_arrays():
    rng = np.random.default_rng(0)
    idx = rng.integers(0, 1000, 5000)
    a = rng.integers(0, 100, 1000)
    rows = rng.integers(0, 100, (1000, 4)).astype(np.int32)
    assert _gather(a, idx) == int(a[idx].sum())               # reference: numpy fancy indexing
    assert _gather_rows(rows, idx) == int(rows[idx, 1].sum())


@pytest.mark.parametrize("hint", [prefetch, prefetch_write])
def test_prefetch_rejects_non_arrays(hint):
    @njit
    def bad(x):
        hint(x, 0)

    with pytest.raises(TypingError):
        bad(3.0)


def test_loop_fills_arrays_it_is_given_and_cannot_allocate():
    @loop
    def fill(out):
        for i in range(len(out)):
            out[i] = i * i

    out = np.zeros(5, dtype=np.int64)
    fill(out)
    assert out.tolist() == [0, 1, 4, 9, 16]

    @loop
    def allocates(n):
        return np.zeros(n).sum()

    with pytest.raises(Exception):                             # no NRT: allocation can't lower
        allocates(3)


@loop
def _sort_floats(bits, val, key, tkey, tval, cnt):
    m = len(bits)
    for i in range(m):
        key[i] = _sort.float_key(bits[i])
    _sort.sort_pairs(key, val, m, tkey, tval, cnt)


@pytest.mark.parametrize("m", [0, 1, 2, 7, 32, 33, 100, 383, 384, 5000])
@pytest.mark.parametrize("kind", ["floats", "ints", "ties"])
def test_sort_pairs_is_numpys_stable_argsort(m, kind):
    """Reference: ``np.argsort(kind="stable")``; values start as 0..m-1, so after the sort they
    are the argsort (ties in input order). Floats include negatives, infinities and -0.0 (equal
    to 0.0). The lengths cover the insertion, merge and radix paths and their boundaries."""
    rng = np.random.default_rng(m)
    if kind == "floats":
        x = rng.standard_normal(m) * 10.0 ** rng.integers(-300, 300, m)
        x[rng.random(m) < 0.05] = -0.0
        x[rng.random(m) < 0.05] = 0.0
        x[rng.random(m) < 0.05] = np.inf
        x[rng.random(m) < 0.05] = -np.inf
    elif kind == "ints":
        x = rng.integers(0, 2**40, m).astype(np.float64)
    else:
        x = rng.integers(0, 4, m).astype(np.float64)          # few distinct keys
    key, tkey, tval, cnt = _sort.buffers(max(m, 1))
    val = np.arange(max(m, 1), dtype=np.int32)
    _sort_floats(x.view(np.uint64), val, key, tkey, tval, cnt)
    order = np.argsort(x, kind="stable")
    assert val[:m].tolist() == order.tolist()


def test_sort_pairs_integer_keys():
    """Non-negative integers are their own keys (reference: numpy's stable argsort)."""
    rng = np.random.default_rng(1)
    x = rng.integers(0, 2**63, 3000, dtype=np.int64).astype(np.uint64)
    key, tkey, tval, cnt = _sort.buffers(len(x), np.int64)
    key[:] = x
    val = np.arange(len(x), dtype=np.int64)
    _sort.sort_pairs(key, val, len(x), tkey, tval, cnt)
    assert val.tolist() == np.argsort(x, kind="stable").tolist()
    assert key.tolist() == np.sort(x).tolist()

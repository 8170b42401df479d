"""The two compilation tools of the paging kernels: ``_prefetch`` (hints that must
never change a result) and ``_loop.loop`` (request loops without numba's reference counting)."""

import numpy as np
import pytest
from numba import njit
from numba.core.errors import TypingError

from algorithms.paging._loop import loop
from algorithms.paging._prefetch import prefetch, prefetch_write


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

"""Helpers shared by the learning-augmented policies: argument checks (those of the classic
kernels), prediction lookup."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from algorithms.paging.classic._common import cache_size, check_k, n_slots  # noqa: F401
from algorithms.paging.core import PagingOutcome, Trace


def prediction(predictions: Mapping[str, np.ndarray], kind: str, trace: Trace,
               dtype=np.float64) -> np.ndarray:
    """The prediction array of ``kind``, checked to be aligned with the trace."""
    if kind not in predictions:
        raise ValueError(f"predictions: missing kind {kind!r}; given: {sorted(predictions)}")
    arr = np.ascontiguousarray(predictions[kind], dtype=dtype)
    if arr.shape != (len(trace),):
        raise ValueError(f"predictions[{kind!r}]: shape {arr.shape}, expected ({len(trace)},)")
    if arr.dtype.kind == "f":
        bad = np.flatnonzero(np.isnan(arr))
        if bad.size:
            raise ValueError(f"predictions[{kind!r}]: NaN at request {bad[0]} ({bad.size} in "
                             "all); allowed: numbers (+-inf included), NaN has no order")
    return arr


def outcome(hits: np.ndarray, evicted: np.ndarray, queries: int = 0, **extra) -> PagingOutcome:
    return PagingOutcome(hits=hits, evicted=evicted, queries=int(queries), extra=dict(extra))

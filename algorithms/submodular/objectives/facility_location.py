"""Facility location f(S) = sum_j max_{i in S} s_ij (s >= 0), dense or sparse (kNN) similarity.

The classic representativeness objective (Krause & Golovin 2014, "Submodular function
maximization", §1; apricot's ``FacilityLocationSelection``): row i of s holds how well i
serves every point j.  State of a solution S: ``cur_j = max_{i in S} s_ij`` (0 for S empty);
gain(e | S) = sum_j max(s_ej - cur_j, 0); adding e is ``cur = max(cur, s_e)``.

Gains are summed in float64 with eight fixed accumulators and no reassociation, so one
element's gain is bit-identical whether it is evaluated alone or in a batch, serially or in
parallel -- lazy greedy can then reproduce greedy's choices exactly, ties included.
"""

from __future__ import annotations

from typing import Annotated

import numba as nb
import numpy as np

from algorithms.constraints import Interval, OneOf, Positive
from algorithms.submodular.data import clustered_points, load_table, take_rows
from algorithms.submodular.objective import Objective
from algorithms.submodular.objectives.kernels import KERNELS, dense_similarity, knn_similarity

_PARALLEL_MIN_WORK = 2_000_000     # entries touched before a batch is worth the thread pool
MAX_DENSE_BYTES = 8e9              # refuse dense matrices beyond this (24 GB machines)


@nb.njit(cache=True, inline="always")
def _row_gain(row, cur):
    m = cur.shape[0]
    a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0.0
    j = 0
    while j + 8 <= m:
        a0 += max(np.float64(row[j]) - cur[j], 0.0)
        a1 += max(np.float64(row[j + 1]) - cur[j + 1], 0.0)
        a2 += max(np.float64(row[j + 2]) - cur[j + 2], 0.0)
        a3 += max(np.float64(row[j + 3]) - cur[j + 3], 0.0)
        a4 += max(np.float64(row[j + 4]) - cur[j + 4], 0.0)
        a5 += max(np.float64(row[j + 5]) - cur[j + 5], 0.0)
        a6 += max(np.float64(row[j + 6]) - cur[j + 6], 0.0)
        a7 += max(np.float64(row[j + 7]) - cur[j + 7], 0.0)
        j += 8
    while j < m:
        a0 += max(np.float64(row[j]) - cur[j], 0.0)
        j += 1
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))


@nb.njit(cache=True)
def _dense_gains(sim, cur, elems, out):
    for t in range(elems.shape[0]):
        out[t] = _row_gain(sim[elems[t]], cur)


@nb.njit(cache=True, parallel=True)
def _dense_gains_par(sim, cur, elems, out):
    for t in nb.prange(elems.shape[0]):
        out[t] = _row_gain(sim[elems[t]], cur)


@nb.njit(cache=True)
def _sparse_gains(indptr, indices, data, cur, elems, out):
    for t in range(elems.shape[0]):
        e = elems[t]
        acc = 0.0
        for p in range(indptr[e], indptr[e + 1]):
            acc += max(np.float64(data[p]) - cur[indices[p]], 0.0)
        out[t] = acc


@nb.njit(cache=True)
def _dense_gain(sim, cur, e):
    return _row_gain(sim[e], cur)


@nb.njit(cache=True)
def _sparse_gain(indptr, indices, data, cur, e):
    acc = 0.0                                   # same summation order as _sparse_gains
    for p in range(indptr[e], indptr[e + 1]):
        acc += max(np.float64(data[p]) - cur[indices[p]], 0.0)
    return acc


class FacilityLocation(Objective):
    """Dense facility location on an (n, m) nonnegative similarity (float32 or float64)."""

    def __init__(self, similarity: np.ndarray) -> None:
        super().__init__()
        sim = np.ascontiguousarray(similarity)
        if sim.ndim != 2 or sim.dtype not in (np.float32, np.float64):
            raise ValueError("similarity: need a 2-d float32/float64 array; "
                             f"got {sim.dtype} of shape {sim.shape}")
        if sim.size and float(sim.min()) < 0:
            raise ValueError("similarity: entries must be >= 0 (f must be monotone)")
        self.sim = sim
        self.n = sim.shape[0]

    def _value(self, subset: np.ndarray) -> float:
        s = np.unique(subset)
        if len(s) == 0:
            return 0.0
        return float(self.sim[s].max(axis=0).sum(dtype=np.float64))

    def _gains(self, elems: np.ndarray, cur: np.ndarray) -> np.ndarray:
        out = np.empty(len(elems), dtype=np.float64)
        if len(elems) > 1 and len(elems) * self.sim.shape[1] >= _PARALLEL_MIN_WORK:
            _dense_gains_par(self.sim, cur, elems, out)
        else:
            _dense_gains(self.sim, cur, elems, out)
        return out

    def _gain(self, e: int, cur: np.ndarray) -> float:
        return _dense_gain(self.sim, cur, e)

    def _empty(self) -> np.ndarray:
        return np.zeros(self.sim.shape[1], dtype=np.float64)

    def _add(self, e: int, cur: np.ndarray) -> np.ndarray:
        np.maximum(cur, self.sim[e], out=cur)
        return cur


class SparseFacilityLocation(Objective):
    """Facility location on a CSR similarity (e.g. a kNN graph): absent entries are 0."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray,
                 n_cols: int) -> None:
        super().__init__()
        self.indptr = np.ascontiguousarray(indptr, dtype=np.int64)
        self.indices = np.ascontiguousarray(indices, dtype=np.int64)
        self.data = np.ascontiguousarray(data)
        if self.data.size and float(self.data.min()) < 0:
            raise ValueError("data: similarities must be >= 0 (f must be monotone)")
        self.n = len(self.indptr) - 1
        self.n_cols = int(n_cols)

    def _value(self, subset: np.ndarray) -> float:
        cur = self._empty()
        for e in np.unique(subset):
            self._add(int(e), cur)
        return float(cur.sum())

    def _gains(self, elems: np.ndarray, cur: np.ndarray) -> np.ndarray:
        out = np.empty(len(elems), dtype=np.float64)
        _sparse_gains(self.indptr, self.indices, self.data, cur, elems, out)
        return out

    def _gain(self, e: int, cur: np.ndarray) -> float:
        return _sparse_gain(self.indptr, self.indices, self.data, cur, e)

    def _empty(self) -> np.ndarray:
        return np.zeros(self.n_cols, dtype=np.float64)

    def _add(self, e: int, cur: np.ndarray) -> np.ndarray:
        lo, hi = self.indptr[e], self.indptr[e + 1]
        cols = self.indices[lo:hi]
        cur[cols] = np.maximum(cur[cols], self.data[lo:hi])
        return cur


class FacilityLocationInstance:
    """Config-facing facility location: points (generated or loaded) -> kernel -> objective.

    Points are a Gaussian mixture (n, dim, n_clusters, cluster_std), or the rows of a CSV /
    .npy table at ``path`` (absolute or relative to the project root; the first n rows, all if
    n is null; dim/n_clusters/cluster_std then describe nothing and are ignored).
    ``n_neighbors`` null gives the dense matrix (n^2 entries of ``dtype``); an integer keeps
    each point's n_neighbors most similar points (sparse kNN variant; rbf/cosine only).
    """

    def __init__(self, n: Annotated[int | None, Interval(1)] = 500,
                 dim: Annotated[int, Interval(1)] = 10,
                 n_clusters: Annotated[int, Interval(1)] = 10,
                 cluster_std: Annotated[float, Positive] = 1.0,
                 kernel: Annotated[str, OneOf(*KERNELS)] = "rbf",
                 gamma: Annotated[float | None, Positive] = None,
                 n_neighbors: Annotated[int | None, Interval(1)] = None,
                 dtype: Annotated[str, OneOf("float32", "float64")] = "float32",
                 path: str | None = None) -> None:
        if n is None and path is None:
            raise ValueError("n: null is only allowed with a path; allowed: an int >= 1")
        if n_neighbors is not None and kernel not in ("rbf", "cosine"):
            raise ValueError(f"kernel: {kernel!r} cannot be used with n_neighbors; "
                             "allowed: rbf, cosine")
        self.n, self.dim, self.n_clusters, self.cluster_std = n, dim, n_clusters, cluster_std
        self.kernel, self.gamma, self.n_neighbors = kernel, gamma, n_neighbors
        self.dtype, self.path = dtype, path

    def validate(self) -> None:
        """Read the data file now (in the driver), so a malformed file stops the sweep before any job."""
        if self.path is not None:
            take_rows(load_table(self.path), self.n, self.path)

    def points(self, rng: np.random.Generator) -> np.ndarray:
        if self.path is not None:
            return take_rows(load_table(self.path), self.n, self.path)
        return clustered_points(rng, self.n, self.dim, self.n_clusters, self.cluster_std)

    def build(self, rng: np.random.Generator) -> Objective:
        x = self.points(rng)
        if self.n_neighbors is None:
            nbytes = len(x) ** 2 * np.dtype(self.dtype).itemsize
            if nbytes > MAX_DENSE_BYTES:
                raise ValueError(f"n: a dense {len(x)} x {len(x)} {self.dtype} similarity needs "
                                 f"{nbytes / 1e9:.1f} GB (> {MAX_DENSE_BYTES / 1e9:.0f} GB); "
                                 "allowed: set n_neighbors (sparse kNN) or a smaller n")
            return FacilityLocation(dense_similarity(x, self.kernel, self.gamma, self.dtype))
        indptr, indices, data = knn_similarity(x, self.n_neighbors, self.kernel, self.gamma,
                                               self.dtype)
        return SparseFacilityLocation(indptr, indices, data, len(x))

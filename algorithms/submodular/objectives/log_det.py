"""Log-determinant f(S) = log det(I + alpha K_S) for a PSD kernel K (diversity / DPP MAP).

Monotone submodular because I + alpha K is positive definite with eigenvalues >= 1 (Kulesza
& Taskar 2012, "Determinantal point processes for machine learning", §2.2 and §6.2; Krause &
Golovin 2014 §1.1 for the Gaussian-entropy form 1/2 log det(I + sigma^-2 K)).  Incremental
gains via the Cholesky factor L of I + alpha K_S (Schur complement):
c = L^-1 (alpha K_{S,e}),  d^2 = 1 + alpha K_ee - ||c||^2,  gain(e | S) = log d^2;
adding e appends the row [c, d] to L.  A gain costs O(|S|^2) and no refactorisation.
"""

from __future__ import annotations

from typing import Annotated

import numba as nb
import numpy as np

from algorithms.constraints import Interval, OneOf, Positive
from algorithms.submodular.data import clustered_points, load_table, take_rows
from algorithms.submodular.objective import Objective
from algorithms.submodular.objectives.kernels import dense_similarity


@nb.njit(cache=True)
def _schur(K, alpha, L, s, sel, e, c):
    """Fill c[:s] = L^-1 alpha K[S, e]; return d^2 = 1 + alpha K_ee - ||c||^2."""
    sq = 0.0
    for i in range(s):
        v = alpha * K[e, sel[i]]
        for j in range(i):
            v -= L[i, j] * c[j]
        v /= L[i, i]
        c[i] = v
        sq += v * v
    return 1.0 + alpha * K[e, e] - sq


@nb.njit(cache=True)
def _ld_gains(K, alpha, L, s, sel, member, elems, out):
    c = np.empty(max(s, 1))
    for t in range(elems.shape[0]):
        e = elems[t]
        if member[e]:
            out[t] = 0.0
        else:
            out[t] = np.log(_schur(K, alpha, L, s, sel, e, c))


class CholeskyState:
    """Cholesky factor of I + alpha K_S (grown row by row), S in order, membership mask."""

    __slots__ = ("L", "sel", "size", "member")

    def __init__(self, n: int, capacity: int = 16) -> None:
        self.L = np.zeros((capacity, capacity))
        self.sel = np.zeros(capacity, dtype=np.int64)
        self.size = 0
        self.member = np.zeros(n, dtype=np.bool_)

    def grow(self) -> None:
        cap = 2 * len(self.sel)
        L = np.zeros((cap, cap))
        L[:self.size, :self.size] = self.L[:self.size, :self.size]
        sel = np.zeros(cap, dtype=np.int64)
        sel[:self.size] = self.sel[:self.size]
        self.L, self.sel = L, sel


class LogDet(Objective):
    """log det(I + alpha K_S) on a dense symmetric PSD kernel matrix K (float64)."""

    def __init__(self, kernel_matrix: np.ndarray, alpha: float = 1.0) -> None:
        super().__init__()
        K = np.ascontiguousarray(kernel_matrix, dtype=np.float64)
        if K.ndim != 2 or K.shape[0] != K.shape[1]:
            raise ValueError(f"kernel_matrix: need a square matrix, got shape {K.shape}")
        if not alpha > 0:
            raise ValueError(f"alpha: {alpha} must be > 0")
        self.K, self.alpha, self.n = K, float(alpha), K.shape[0]

    def _value(self, subset: np.ndarray) -> float:
        s = np.unique(subset)
        if len(s) == 0:
            return 0.0
        sign, logdet = np.linalg.slogdet(np.eye(len(s)) + self.alpha * self.K[np.ix_(s, s)])
        return float(logdet)

    def _gains(self, elems: np.ndarray, st: CholeskyState) -> np.ndarray:
        out = np.empty(len(elems), dtype=np.float64)
        _ld_gains(self.K, self.alpha, st.L, st.size, st.sel, st.member, elems, out)
        return out

    def _empty(self) -> CholeskyState:
        return CholeskyState(self.n)

    def _add(self, e: int, st: CholeskyState) -> CholeskyState:
        if st.member[e]:
            return st
        if st.size == len(st.sel):
            st.grow()
        s = st.size
        c = np.empty(max(s, 1))
        d2 = _schur(self.K, self.alpha, st.L, s, st.sel, e, c)
        st.L[s, :s] = c[:s]
        st.L[s, s] = np.sqrt(max(d2, 1e-300))
        st.sel[s] = e
        st.size = s + 1
        st.member[e] = True
        return st


class LogDetInstance:
    """Config-facing log-det: clustered points (or a CSV / .npy table at ``path``, first n
    rows) -> PSD kernel (rbf with gamma, default 1/dim, or cosine = Gram matrix of the normalised points) -> log det(I + alpha K_S).
    Dense float64 kernel: n^2 * 8 bytes."""

    def __init__(self, n: Annotated[int | None, Interval(1)] = 300,
                 dim: Annotated[int, Interval(1)] = 10,
                 n_clusters: Annotated[int, Interval(1)] = 10,
                 cluster_std: Annotated[float, Positive] = 1.0,
                 kernel: Annotated[str, OneOf("rbf", "cosine")] = "rbf",
                 gamma: Annotated[float | None, Positive] = None,
                 alpha: Annotated[float, Positive] = 1.0,
                 path: str | None = None) -> None:
        if n is None and path is None:
            raise ValueError("n: null is only allowed with a path; allowed: an int >= 1")
        self.n, self.dim, self.n_clusters, self.cluster_std = n, dim, n_clusters, cluster_std
        self.kernel, self.gamma, self.alpha, self.path = kernel, gamma, alpha, path

    def validate(self) -> None:
        """Read the data file now (in the driver), so a malformed file stops the sweep before any job."""
        if self.path is not None:
            take_rows(load_table(self.path), self.n, self.path)

    def build(self, rng: np.random.Generator) -> LogDet:
        if self.path is not None:
            x = take_rows(load_table(self.path), self.n, self.path)
        else:
            x = clustered_points(rng, self.n, self.dim, self.n_clusters, self.cluster_std)
        if self.kernel == "cosine":        # the Gram matrix of unit vectors (PSD; not clipped)
            xn = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-300)
            K = xn @ xn.T
        else:
            K = dense_similarity(x, "rbf", self.gamma, "float64")
        return LogDet(K, self.alpha)

"""Binary logistic regression on synthetic Gaussian data, separable or not.

``f(w) = (1/n) sum_i log(1 + exp(-y_i x_i^T w)) + (l2 / 2) ||w||^2`` with labels in {-1, +1}.
Data drawn in ``build``: ``x_i ~ N(0, I_d)``, a teacher ``w_true ~ N(0, I)``, ``y_i =
sign(x_i^T w_true)``, then each label flipped with probability ``label_noise``. With
``label_noise = 0`` the data are linearly separable by construction (the setting of Tyurin
2024, "gradient descent with large step sizes on logistic regression", PAPERS.md Sec. 4, where GD
converges for any step size); with ``l2 = 0`` the infimum ``f* = 0`` is then not attained and
``optimum`` is None. Otherwise the unique minimiser is computed in ``build`` by damped Newton
(the problem is smooth and, when non-separable or ``l2 > 0``, has a finite minimiser).
A minibatch is a vector of row indices (uniform, with replacement). ``error(params)`` is the
training classification error (fraction of margins <= 0).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative
from algorithms.optim.problems.base import (Problem, as_loss, lead_shape, matvec, rmatvec, rows,
                                            sample_indices)


def _sigmoid_neg(m: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(m))`` computed stably."""
    return np.exp(-np.logaddexp(0.0, m))


class LogisticRegression(Problem):
    """Logistic loss on Gaussian features; ``label_noise = 0`` makes the data separable."""

    stochastic = True

    def __init__(self, n_samples: Annotated[int, Interval(1)] = 200,
                 dim: Annotated[int, Interval(1)] = 10,
                 label_noise: Annotated[float, Interval(0, 0.5)] = 0.1,
                 l2: Annotated[float, NonNegative] = 0.0) -> None:
        self.n_samples = int(n_samples)
        self.dim = int(dim)
        self.label_noise = float(label_noise)
        self.l2 = float(l2)
        self.X = None
        self.y = None

    @property
    def separable(self) -> bool:
        """Separable by construction (no label noise)."""
        return self.label_noise == 0.0

    def build(self, rng: np.random.Generator) -> "LogisticRegression":
        n, d = self.n_samples, self.dim
        self.X = rng.standard_normal((n, d))
        self.w_true = rng.standard_normal(d)
        y = np.sign(self.X @ self.w_true)
        y[y == 0] = 1.0
        flip = rng.random(n) < self.label_noise
        self.y = np.where(flip, -y, y)
        self.optimum, self.f_star = None, None
        if self.separable and self.l2 == 0.0:
            self.f_star = 0.0                         # infimum, not attained
        else:
            w = self._newton()
            self.optimum = {"w": w}
            self.f_star = float(self.loss(self.optimum))
        return self

    def _newton(self, max_iter: int = 100, tol: float = 1e-12) -> np.ndarray:
        """Damped Newton with backtracking; raises if no finite minimiser is found."""
        w = np.zeros(self.dim)
        f = self.loss({"w": w})
        for _ in range(max_iter):
            g = self.grad({"w": w})["w"]
            if np.linalg.norm(g) < tol:
                return w
            m = self.y * (self.X @ w)
            s = _sigmoid_neg(m)
            h = (self.X.T * (s * (1 - s))) @ self.X / self.n_samples + self.l2 * np.eye(self.dim)
            step = np.linalg.solve(h, g)
            t = 1.0
            while True:
                w_new = w - t * step
                f_new = self.loss({"w": w_new})
                if f_new <= f - 0.25 * t * g @ step or t < 1e-12:
                    break
                t *= 0.5
            w, f = w_new, f_new
        if np.linalg.norm(self.grad({"w": w})["w"]) < 1e-8:
            return w
        raise ValueError("label_noise: the drawn data are separable and l2 = 0, so the loss has no "
                         "finite minimiser; allowed: a larger label_noise or n_samples, or l2 > 0")

    def init_params(self, rng: np.random.Generator, n_reps: int | None = None) -> dict:
        return {"w": np.zeros(lead_shape(n_reps) + (self.dim,))}

    def sample_batch(self, rng, batch_size, n_reps=None, step=0):
        return sample_indices(rng, self.n_samples, batch_size, n_reps)

    def loss(self, params: dict, batch=None):
        self._need_built("X")
        w = params["w"]
        m = rows(self.y, batch) * matvec(rows(self.X, batch), w)
        val = np.mean(np.logaddexp(0.0, -m), axis=-1) + 0.5 * self.l2 * np.sum(w**2, axis=-1)
        return as_loss(val)

    def grad(self, params: dict, batch=None) -> dict:
        self._need_built("X")
        w = params["w"]
        Xb, yb = rows(self.X, batch), rows(self.y, batch)
        m = yb * matvec(Xb, w)
        coef = -yb * _sigmoid_neg(m)
        return {"w": rmatvec(Xb, coef) / m.shape[-1] + self.l2 * w}

    def error(self, params: dict):
        """Training classification error: the fraction of points with margin ``y_i x_i^T w <= 0``
        (0 means ``w`` separates the data; Tyurin 2024 measures GD by this, not by the loss)."""
        self._need_built("X")
        return as_loss(np.mean(self.y * matvec(self.X, params["w"]) <= 0.0, axis=-1))

"""Two-layer tanh MLP trained on a synthetic teacher task, with hand-written backprop.

Teacher (drawn in ``build``): ``y = V2 tanh(V1 x) + noise_std * eps`` with ``x ~ N(0, I_{d_in})``,
``V1 ~ N(0, 1/d_in)`` (``teacher_hidden x d_in``), ``V2 ~ N(0, 1/teacher_hidden)``; ``n_samples``
fixed training pairs. With ``feature_freq_min < 1`` the inputs are sparse with heterogeneous
feature frequencies: entry ``x_ij`` is kept with probability ``feature_freq_min^(j / (d_in - 1))``
(feature 0 always present, the last one at rate ``feature_freq_min``; a Zipf-like spread as with
rare tokens) and zeroed otherwise, before the teacher labels it. Rare features give gradient
coordinates whose second moment is tiny next to their block's maximum -- the regime where a
quantisation map that contains zero sends v to 0 (Li et al. 2023, §4.1, the zero-point problem). Student: ``f(x) = W2 tanh(W1 x + b1) + b2`` with ``hidden`` units, loss
``1/(2B) sum_b ||f(x_b) - y_b||^2``. Params: ``W1 (hidden, d_in)``, ``b1 (hidden,)``,
``W2 (d_out, hidden)``, ``b2 (d_out,)``; student init LeCun-normal weights and zero biases.

Backprop (chain rule on the batch): with ``Z = X W1^T + b1``, ``H = tanh Z``, ``E = (H W2^T + b2 -
Y) / B``: ``dW2 = E^T H``, ``db2 = sum_b E``, ``dZ = (E W2) * (1 - H^2)``, ``dW1 = dZ^T X``,
``db1 = sum_b dZ``. Nonconvex; when ``noise_std = 0`` and ``hidden >= teacher_hidden`` the student
can represent the teacher, so ``f* = 0`` (attained, minimiser not unique: ``optimum`` is None).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative
from algorithms.optim.problems.base import Problem, as_loss, lead_shape, rows, sample_indices


class MLPTeacher(Problem):
    """Student two-layer tanh network regressing a random teacher network."""

    stochastic = True

    def __init__(self, n_samples: Annotated[int, Interval(1)] = 512,
                 dim_in: Annotated[int, Interval(1)] = 10,
                 hidden: Annotated[int, Interval(1)] = 32,
                 teacher_hidden: Annotated[int, Interval(1)] = 8,
                 dim_out: Annotated[int, Interval(1)] = 1,
                 noise_std: Annotated[float, NonNegative] = 0.0,
                 feature_freq_min: Annotated[float, Interval(0.0, 1.0, lo_open=True)] = 1.0) -> None:
        self.n_samples = int(n_samples)
        self.dim_in = int(dim_in)
        self.hidden = int(hidden)
        self.teacher_hidden = int(teacher_hidden)
        self.dim_out = int(dim_out)
        self.noise_std = float(noise_std)
        self.feature_freq_min = float(feature_freq_min)
        self.X = None
        self.Y = None
        if self.noise_std == 0.0 and self.hidden >= self.teacher_hidden:
            self.f_star = 0.0

    def build(self, rng: np.random.Generator) -> "MLPTeacher":
        n, d, ht, o = self.n_samples, self.dim_in, self.teacher_hidden, self.dim_out
        self.V1 = rng.standard_normal((ht, d)) / np.sqrt(d)
        self.V2 = rng.standard_normal((o, ht)) / np.sqrt(ht)
        self.X = rng.standard_normal((n, d))
        if self.feature_freq_min < 1.0:
            freq = self.feature_freq_min ** (np.arange(d) / max(d - 1, 1))
            self.X = self.X * (rng.random((n, d)) < freq)
        self.Y = np.tanh(self.X @ self.V1.T) @ self.V2.T + self.noise_std * rng.standard_normal((n, o))
        return self

    def init_params(self, rng: np.random.Generator, n_reps: int | None = None) -> dict:
        lead = lead_shape(n_reps)
        h, d, o = self.hidden, self.dim_in, self.dim_out
        return {"W1": rng.standard_normal(lead + (h, d)) / np.sqrt(d),
                "b1": np.zeros(lead + (h,)),
                "W2": rng.standard_normal(lead + (o, h)) / np.sqrt(h),
                "b2": np.zeros(lead + (o,))}

    def sample_batch(self, rng, batch_size, n_reps=None, step=0):
        return sample_indices(rng, self.n_samples, batch_size, n_reps)

    def _forward(self, params: dict, batch):
        self._need_built("X")
        X, Y = rows(self.X, batch), rows(self.Y, batch)
        H = np.tanh(X @ np.swapaxes(params["W1"], -1, -2) + params["b1"][..., None, :])
        out = H @ np.swapaxes(params["W2"], -1, -2) + params["b2"][..., None, :]
        return X, H, out - Y

    def loss(self, params: dict, batch=None):
        _, _, R = self._forward(params, batch)
        return as_loss(0.5 * np.sum(R**2, axis=(-2, -1)) / R.shape[-2])

    def grad(self, params: dict, batch=None) -> dict:
        X, H, R = self._forward(params, batch)
        E = R / R.shape[-2]
        dZ = (E @ params["W2"]) * (1.0 - H**2)
        return {"W1": np.swapaxes(dZ, -1, -2) @ X,
                "b1": dZ.sum(axis=-2),
                "W2": np.swapaxes(E, -1, -2) @ H,
                "b2": E.sum(axis=-2)}

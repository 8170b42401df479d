"""Linear bandit environment with bounded misspecification zeta, adversarially placed.

``instance="hidden_best"`` (the adversarial placement used for the threshold experiment):
K = d + 1 arms, unit features e_1..e_d and x* = (1/sqrt d) sum_i e_i, all rotated by a random
orthogonal Q per rep (arm order shuffled). theta* = (r_b + zeta) sum_i e_i (rotated), and
eta = -zeta on every basis arm, +zeta on x*, so the basis arms earn r_b and x* earns
r* = r_b + Delta, which fixes r_b = (Delta - (sqrt d + 1) zeta) / (sqrt d - 1). Why adversarial:
a least-squares fit on the basis arms predicts x* at sum_i r(e_i)/sqrt d = r* - (sqrt d + 1) zeta,
the sqrt(d) amplification of a per-arm error zeta (Lattimore et al. 2020's mechanism). When
(sqrt d + 1) zeta > Delta the best arm looks worse than the basis arms and a learner that trusts
the linear model abandons it (linear regret); below, x* still looks best. The misspecification
is exactly zeta: no theta fits every arm to within less (checked by a linear program in the
tests), and the gap is exactly Delta.

``instance="random"`` (the synthetic setup of Zhang et al. Sec. 4.7): theta*, x_a ~ N(0, I)
normalised to unit length; eta_a = +-zeta with random signs, fixed per rep; Delta is whatever
the draw gives (``gap_realised``).
"""

from __future__ import annotations

import math
from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative, OneOf, Positive

LINEAR_INSTANCES = ("hidden_best", "random")


def random_rotations(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """n Haar-random d x d orthogonal matrices (QR of Gaussian matrices, sign-corrected)."""
    q, r = np.linalg.qr(rng.standard_normal((n, d, d)))
    return q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]


def hidden_best_rewards(dim: int, gap: float, zeta: float) -> tuple[float, float]:
    """(r_b, r*) of the hidden_best construction (see module docstring)."""
    s = math.sqrt(dim)
    r_b = (gap - (s + 1.0) * zeta) / (s - 1.0)
    return r_b, r_b + gap


class MisspecifiedLinearEnv:
    """Fixed arm set, d-dim features, rewards linear up to an adversarial error zeta."""

    def __init__(self,
                 dim: Annotated[int, Interval(2, 1024)] = 8,
                 instance: Annotated[str, OneOf(*LINEAR_INSTANCES)] = "hidden_best",
                 n_arms: Annotated[int, Interval(2, 10**5)] | None = None,
                 gap: Annotated[float, Positive] = 0.2,
                 zeta: Annotated[float, NonNegative] = 0.0,
                 noise: Annotated[float, NonNegative] = 1.0) -> None:
        if instance == "hidden_best" and n_arms not in (None, dim + 1):
            raise ValueError(f"n_arms: value {n_arms} not allowed with instance='hidden_best'; "
                             f"allowed: null or dim + 1 = {dim + 1}")
        if instance == "random" and n_arms is None:
            raise ValueError("n_arms: required when instance='random'; allowed: an int >= 2")
        self.dim, self.instance, self.gap, self.zeta, self.noise = int(dim), instance, float(gap), float(zeta), float(noise)
        self.n_arms = dim + 1 if instance == "hidden_best" else int(n_arms)
        self.features: np.ndarray | None = None
        self.means: np.ndarray | None = None

    def reset(self, n_reps: int, rng: np.random.Generator) -> None:
        self.rng = rng
        d, K = self.dim, self.n_arms
        if self.instance == "hidden_best":
            base = np.vstack([np.eye(d), np.full((1, d), 1.0 / math.sqrt(d))])          # (K, d)
            r_b, r_star = hidden_best_rewards(d, self.gap, self.zeta)
            rewards = np.append(np.full(d, r_b), r_star)
            q = random_rotations(n_reps, d, rng)
            feats = np.einsum("kd,red->rke", base, q)                                    # rows Q x
            order = rng.permuted(np.tile(np.arange(K), (n_reps, 1)), axis=1)
            self.features = np.ascontiguousarray(np.take_along_axis(feats, order[:, :, None], axis=1))
            self.means = np.ascontiguousarray(rewards[order])
            self.theta = (r_b + self.zeta) * q.sum(axis=2)                               # Q (r_b+zeta) 1
        else:
            theta = rng.standard_normal((n_reps, d))
            theta /= np.linalg.norm(theta, axis=1, keepdims=True)
            x = rng.standard_normal((n_reps, K, d))
            x /= np.linalg.norm(x, axis=2, keepdims=True)
            eta = self.zeta * rng.choice([-1.0, 1.0], size=(n_reps, K))
            self.features = np.ascontiguousarray(x)
            self.means = np.einsum("rkd,rd->rk", x, theta) + eta
            self.theta = theta
        srt = np.sort(self.means, axis=1)
        self.gap_realised = srt[:, -1] - srt[:, -2]
        self.zeta_realised = np.abs(self.means - np.einsum("rkd,rd->rk", self.features, self.theta)).max(axis=1)
        self._means_flat = self.means.ravel()
        self._row_base = np.arange(n_reps, dtype=np.int64) * K

    def pull(self, arms: np.ndarray) -> np.ndarray:
        mu = self._means_flat[self._row_base + arms]
        return mu + self.noise * self.rng.standard_normal(mu.shape[0])

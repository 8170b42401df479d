"""Uniform allocation over a linear bandit's arms (round-robin in a random order per rep): the
no-learning baseline every linear policy must beat."""

from __future__ import annotations

import numpy as np


class LinUniform:
    """Round-robin over the arms, ignoring features and rewards."""

    def __init__(self) -> None:
        pass

    def reset(self, features: np.ndarray, horizon: int, rng: np.random.Generator) -> None:
        n_reps, K, _ = features.shape
        self.K = K
        self.perm = np.ascontiguousarray(rng.permuted(np.tile(np.arange(K), (n_reps, 1)), axis=1))

    def select(self, t: int) -> np.ndarray:
        return self.perm[:, t % self.K]

    def update(self, arms: np.ndarray, rewards: np.ndarray) -> None:
        pass

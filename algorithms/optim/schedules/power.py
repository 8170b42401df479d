"""Power scheduler (Shen et al. 2024, "Power Scheduler: A Batch Size and Token Number Agnostic
Learning Rate Scheduler", arXiv 2408.13359, Sec. 4).

The paper fits the optimal WSD lr as a power law in the batch size and the number of tokens,
``eta_opt = beta * a * n**b`` (a = 4, b = -0.51 in their fit, beta the batch size in their
units), and turns it into a schedule on tokens seen ``n = step * tokens_per_step``:

- warm-up (``t < W``): ``lr = (t / W) * eta_power(n_W)`` -- with ``warmup_init = 0`` the
  generic linear warm-up of ``base`` is exactly this ramp (the lr is on absolute time, so the
  warm-up ramps to the value of the power law at the end of warm-up);
- stable: ``eta_power(n) = min(eta_max, beta * a * n**b)``;
- decay over the last ``n_decay = round(decay_frac * T)`` steps, starting from the value at
  ``s0 = T - n_decay``: ``lr = final_lr + (eta_power(n_s0) - final_lr) * g(p)`` with
  ``p = (t - s0) / n_decay`` and shape ``g`` as in WSD.

UNCONFIRMED: the exact decay function of the paper (we offer linear / cosine / 1-sqrt, default
linear) and whether beta is the batch size in sequences or tokens; a, b defaults follow the spec.
At ``n = 0`` the power law is infinite and the lr is ``eta_max``.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative, OneOf, Positive, Probability
from algorithms.optim.schedules.base import Schedule, shape_factor


class Power(Schedule):
    """``min(eta_max, beta * a * n**b)`` on tokens seen, with warm-up and a final decay."""

    shift_after_warmup = False

    def __init__(self, eta_max: Annotated[float, NonNegative] = 0.1,
                 beta: Annotated[float, Positive] = 1.0,
                 a: Annotated[float, Positive] = 4.0,
                 b: Annotated[float, Interval(None, 0, hi_open=True)] = -0.51,
                 tokens_per_step: Annotated[float, Positive] = 1000.0,
                 decay_frac: Annotated[float, Probability] = 0.1,
                 decay_shape: Annotated[str, OneOf("linear", "cosine", "1-sqrt")] = "linear",
                 final_lr: Annotated[float, NonNegative] = 0.0,
                 total_steps: Annotated[int, Interval(1)] = 1000,
                 warmup_steps: Annotated[int, NonNegative] = 0,
                 warmup_init: Annotated[float, NonNegative] = 0.0) -> None:
        super().__init__(total_steps, warmup_steps, warmup_init)
        self._set_decay(decay_frac, decay_shape, final_lr)
        if b >= 0:
            raise ValueError(f"b: {b}; allowed: b < 0 (a decaying power law)")
        self.eta_max = float(eta_max)
        self.beta = float(beta)
        self.a = float(a)
        self.b = float(b)
        self.tokens_per_step = float(tokens_per_step)

    def power_law(self, step) -> np.ndarray:
        """``min(eta_max, beta * a * n**b)`` at ``n = step * tokens_per_step`` (eta_max at n = 0)."""
        n = np.asarray(step, dtype=np.float64) * self.tokens_per_step
        with np.errstate(divide="ignore"):
            raw = self.beta * self.a * np.where(n > 0, n, 0.0) ** self.b
        return np.minimum(self.eta_max, raw)

    def _main(self, u: np.ndarray, horizon: int) -> np.ndarray:
        stable = self.power_law(u)
        if self.n_decay == 0:
            return stable
        s0 = horizon - self.n_decay
        start = float(self.power_law(s0))
        p = np.clip((u - s0) / self.n_decay, 0.0, 1.0)
        decayed = self.final_lr + (start - self.final_lr) * shape_factor(self.decay_shape, p)
        return np.where(u <= s0, stable, decayed)

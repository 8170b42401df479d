"""Warm-up / stable / decay (WSD) and constant + cooldown.

WSD (Hu et al. 2024, "MiniCPM", Sec. 4; Hägele et al. 2024, "Scaling Laws and Compute-Optimal
Training Beyond Fixed Training Durations", Sec. 3): linear warm-up over ``warmup_steps``, the
constant ``lr``, and a decay ("cooldown") over the last ``n_decay = round(decay_frac * T)`` steps
of the whole horizon T. With ``s0 = T - n_decay`` and ``p = (t - s0) / n_decay`` clipped to
[0, 1], ``lr(t) = final_lr + (lr - final_lr) * g(p)`` with ``g`` one of ``linear`` (1 - p),
``cosine`` ((1 + cos(pi p)) / 2) or ``1-sqrt`` (1 - sqrt(p), Hägele et al.'s best shape).

Without warm-up and with ``final_lr = 0``, ``values()`` (T+1 entries) is Schaipp et al. (2025)'s
WSD array: ones, then ``g(j / n_decay)`` for j = 1..n_decay (their package uses
``n_decay = floor(c (T + 1))``; the two agree for the fractions used there, e.g. c = 0.1, 0.2 at
T = 1000). ``decay_frac = 1`` gives linear decay to zero.

``ConstantCooldown`` is the same schedule presented as "constant lr + cooldown" (Hägele et al.
2024): no warm-up by default and the 1-sqrt cooldown over the last 20%.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative, OneOf, Probability
from algorithms.optim.schedules.base import Schedule, shape_factor

Shape = Annotated[str, OneOf("linear", "cosine", "1-sqrt")]


class WSD(Schedule):
    """Warm-up, constant ``lr``, then decay to ``final_lr`` over the last ``decay_frac`` of T."""

    def __init__(self, lr: Annotated[float, NonNegative] = 0.1,
                 decay_frac: Annotated[float, Probability] = 0.2,
                 decay_shape: Shape = "linear",
                 final_lr: Annotated[float, NonNegative] = 0.0,
                 total_steps: Annotated[int, Interval(1)] = 1000,
                 warmup_steps: Annotated[int, NonNegative] = 0,
                 warmup_init: Annotated[float, NonNegative] = 0.0) -> None:
        super().__init__(total_steps, warmup_steps, warmup_init)
        self._set_decay(decay_frac, decay_shape, final_lr)
        self.lr = float(lr)

    def _main(self, u: np.ndarray, horizon: int) -> np.ndarray:
        if self.n_decay == 0:
            return np.full_like(u, self.lr)
        p = np.clip((u - (horizon - self.n_decay)) / self.n_decay, 0.0, 1.0)
        return self.final_lr + (self.lr - self.final_lr) * shape_factor(self.decay_shape, p)


class ConstantCooldown(WSD):
    """Constant ``lr`` then a cooldown (default 1-sqrt over the last 20%); WSD without warm-up."""

    def __init__(self, lr: Annotated[float, NonNegative] = 0.1,
                 decay_frac: Annotated[float, Probability] = 0.2,
                 decay_shape: Shape = "1-sqrt",
                 final_lr: Annotated[float, NonNegative] = 0.0,
                 total_steps: Annotated[int, Interval(1)] = 1000,
                 warmup_steps: Annotated[int, NonNegative] = 0,
                 warmup_init: Annotated[float, NonNegative] = 0.0) -> None:
        super().__init__(lr, decay_frac, decay_shape, final_lr, total_steps, warmup_steps, warmup_init)

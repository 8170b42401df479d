"""Shared machinery of all schedules: step handling, clipping to [0, T] and linear warm-up.

Warm-up composes with every schedule through two constructor parameters instead of a wrapper
node: for ``step < W`` (``W = warmup_steps``) the lr rises linearly from ``warmup_init`` to the
value the main schedule has at the end of warm-up, ``lr = init + (peak - init) * step / W``
(the linear warm-up of Goyal et al. 2017 and of Schaipp et al.'s package). After warm-up the main
schedule runs on the remaining horizon ``H = T - W`` with local time ``u = step - W`` (as optax's
``warmup_cosine_decay_schedule`` and Hugging Face's ``get_cosine_schedule_with_warmup`` do), so
``peak`` is the main schedule's value at ``u = 0``. Schedules defined on absolute time (the Power
scheduler, whose lr depends on tokens seen) set ``shift_after_warmup = False``; then ``u = step``,
``H = T`` and the warm-up ramps to the main value at ``step = W``.
"""

from __future__ import annotations

import numpy as np

SHAPES = ("linear", "cosine", "1-sqrt")


def shape_factor(shape: str, p: np.ndarray) -> np.ndarray:
    """Decay factor in [0, 1] at progress ``p`` in [0, 1]: 1 at p=0, 0 at p=1.

    linear ``1 - p``; cosine ``(1 + cos(pi p)) / 2``; 1-sqrt ``1 - sqrt(p)`` (Hägele et al. 2024,
    "Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations", Sec. 3).
    """
    if shape == "linear":
        return 1.0 - p
    if shape == "cosine":
        return 0.5 * (1.0 + np.cos(np.pi * p))
    if shape == "1-sqrt":
        return 1.0 - np.sqrt(p)
    raise ValueError(f"decay_shape: unknown shape {shape!r}; allowed: {', '.join(SHAPES)}")


class Schedule:
    """Base class: subclasses implement ``_main(u, horizon)`` on float arrays ``u`` in [0, horizon]."""

    shift_after_warmup = True

    def __init__(self, total_steps: int, warmup_steps: int = 0, warmup_init: float = 0.0) -> None:
        if warmup_steps >= total_steps and warmup_steps > 0:
            raise ValueError(
                f"warmup_steps: {warmup_steps} must be below total_steps={total_steps}; "
                f"allowed: 0 <= warmup_steps < total_steps")
        self.total_steps = int(total_steps)
        self.warmup_steps = int(warmup_steps)
        self.warmup_init = float(warmup_init)

    def _set_decay(self, decay_frac: float, decay_shape: str, final_lr: float) -> None:
        """A final decay over the last ``decay_frac`` of the steps (WSD and power schedules):
        checked to fit after the warm-up and to have a known shape."""
        self.n_decay = int(round(decay_frac * self.total_steps))
        if self.warmup_steps + self.n_decay > self.total_steps:
            raise ValueError(
                f"decay_frac: {decay_frac} gives {self.n_decay} decay steps, which with "
                f"warmup_steps={self.warmup_steps} exceed total_steps={self.total_steps}; "
                f"allowed: warmup_steps + round(decay_frac * total_steps) <= total_steps")
        if decay_shape not in SHAPES:
            raise ValueError(f"decay_shape: {decay_shape!r}; allowed: {', '.join(SHAPES)}")
        self.decay_frac = float(decay_frac)
        self.decay_shape = decay_shape
        self.final_lr = float(final_lr)

    @property
    def horizon(self) -> int:
        """Length of the main (post-warm-up) schedule in steps."""
        return self.total_steps - self.warmup_steps if self.shift_after_warmup else self.total_steps

    def _main(self, u: np.ndarray, horizon: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, step):
        t = np.clip(np.asarray(step, dtype=np.float64), 0.0, float(self.total_steps))
        w = self.warmup_steps
        offset = w if self.shift_after_warmup else 0
        main = self._main(np.maximum(t - offset, 0.0), self.horizon)
        if w > 0:
            peak = float(self._main(np.asarray(float(w - offset)), self.horizon))
            ramp = self.warmup_init + (peak - self.warmup_init) * t / w
            main = np.where(t < w, ramp, main)
        main = np.asarray(main, dtype=np.float64)
        return float(main) if main.ndim == 0 else main

    def values(self) -> np.ndarray:
        """The lr at steps 0..T (T+1 entries)."""
        return self(np.arange(self.total_steps + 1))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({args})"

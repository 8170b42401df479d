"""Convex-bound experiment: the last-iterate bound of SGD for one learning-rate schedule.

No training loop: Schaipp, Hägele, Taylor, Simsekli, Bach (ICML 2025, arXiv 2501.18965, Thm. 1 /
Defazio et al. 2023, Thm. 10) bound ``E f(x_T) - f*`` for SGD on a convex G-Lipschitz problem
with ``||x_1 - x*|| <= D`` by ``Omega_T(gamma) = A / gamma + gamma B`` for the schedule scaled
by the base lr ``gamma`` (``algorithms.optim.convex_bound``). The schedule's values at steps
0..T (T = ``schedule.total_steps``, the T+1-entry array of the authors' package) are normalised
to peak 1, so ``gamma`` is the peak learning rate, as in the paper's plots.

Returns the tuned base lr ``gamma_star``, the tuned bound ``omega_star`` (and
``omega_star * sqrt(T)``, flat in T exactly when the bound has no log factor), the bound over a
log grid of base lrs (``gamma``, ``bound``: the paper's bound-vs-lr curves), the bound at the
tuned lr over horizons t <= T (``horizons``, ``omega_t``; its last entry is ``omega_star``) and
``omega_drop_last = Omega_T / Omega_{0.8 T}`` at the tuned lr (it drops sharply in a cooldown).
Deterministic: ``seed`` is accepted for the uniform job contract and not used.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative, Positive
from algorithms.optim import convex_bound as cb
from experiments.result import Result, log_spaced_steps


def run(
    *,
    schedule: object,
    seed: Annotated[int, NonNegative],
    D: Annotated[float, Positive] = 1.0,
    G: Annotated[float, Positive] = 1.0,
    gamma_min: Annotated[float, Positive] = 1e-4,
    gamma_max: Annotated[float, Positive] = 1.0,
    n_points: Annotated[int, Interval(2, 1000)] = 100,
) -> Result:
    """Evaluate the bound for ``schedule`` (its own ``total_steps`` is the horizon T).

    gamma_min, gamma_max, n_points: the log grid of base lrs for the bound-vs-lr curve, and the
        number of log-spaced horizons of the Omega_t curve.
    """
    if gamma_max <= gamma_min:
        raise ValueError(f"gamma_max: {gamma_max} must exceed gamma_min={gamma_min}")
    eta = np.asarray(schedule.values(), dtype=np.float64)
    if eta.max() <= 0:
        raise ValueError("schedule: all learning rates are zero")
    eta = eta / eta.max()
    T = eta.size - 1
    A, B = cb.bound_terms(eta, D, G)
    gamma_star, omega_star = float(np.sqrt(A / B)), float(2.0 * np.sqrt(A * B))
    gammas = np.geomspace(gamma_min, gamma_max, n_points)
    bound = A / gammas + gammas * B
    horizons = log_spaced_steps(T, n_points)
    omega_t = cb.bound_over_time(eta, gamma_star, D, G, horizons)
    return Result(
        scalars={"gamma_star": gamma_star, "omega_star": omega_star,
                 "omega_star_sqrtT": omega_star * np.sqrt(T), "T": T,
                 "standard_bound": cb.standard_bound(eta, gamma_star, D, G),
                 "omega_drop_last": omega_t[-1] / cb.last_iterate_bound(eta, gamma_star, D, G,
                                                                        max(1, int(0.8 * T)))},
        series={"bound_vs_gamma": (np.arange(1, n_points + 1), bound),
                "omega_t": (horizons, omega_t)},
        arrays={"gamma": gammas, "bound": bound[None, :], "horizons": horizons, "omega_t": omega_t[None, :]},
        info={"schedule": repr(schedule)},
    )

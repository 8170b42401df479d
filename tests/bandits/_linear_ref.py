"""Straightforward reference implementations of the linear policies (tests only).

One rep at a time, with the ridge estimate solved from scratch each round by
``np.linalg.solve(lambda I + sum x x^T, sum r x)`` and widths from ``np.linalg.inv`` -- no
Sherman-Morrison, no caches. Ties (values within 1e-10) are broken by the same per-rep priority array as the policy
(lowest priority value wins), so the chosen arms must coincide.
"""

from __future__ import annotations

import math

import numpy as np


TIE = 1e-10


def _argmax(values, prio, active=None):
    """Largest value; values within TIE of the running best are ties, won by the lower prio."""
    best = None
    for a in range(len(values)):
        if active is not None and not active[a]:
            continue
        if best is None or values[a] > values[best] + TIE or (values[a] >= values[best] - TIE and prio[a] < prio[best]):
            best = a
    return best


def _fit(X_hist, r_hist, d, lam):
    A = lam * np.eye(d) + sum((np.outer(x, x) for x in X_hist), np.zeros((d, d)))
    b = sum((r * x for x, r in zip(X_hist, r_hist)), np.zeros(d))
    return np.linalg.solve(A, b), np.linalg.inv(A)


def oful_reference(X, means, noise_z, prio, beta, lam, gamma):
    """Arms chosen by OFUL / DS-OFUL on one rep; rewards = means[a] + noise_z[t]."""
    K, d = X.shape
    hist_x, hist_r, arms = [], [], []
    for z in noise_z:
        theta, Ainv = _fit(hist_x, hist_r, d, lam)
        width = np.array([math.sqrt(max(x @ Ainv @ x, 0.0)) for x in X])
        a = _argmax(X @ theta + beta * width, prio)
        if width[a] >= gamma:
            hist_x.append(X[a])
            hist_r.append(means[a] + z)
        arms.append(a)
    return np.array(arms)


def sup_lin_ucb_reference(X, means, noise_z, prio, beta, lam, n_levels):
    K, d = X.shape
    hist = [([], []) for _ in range(n_levels)]
    arms = []
    for k, z in enumerate(noise_z, start=1):
        active = np.ones(K, bool)
        chosen, level = None, None
        for l in range(n_levels):
            theta, Ainv = _fit(hist[l][0], hist[l][1], d, lam)
            w = np.array([math.sqrt(max(x @ Ainv @ x, 0.0)) for x in X])
            ucb = X @ theta + beta * w
            wide = _argmax(w, prio, active)
            if w[wide] >= 0.5 ** (l + 1) - TIE:
                chosen, level = wide, l
                break
            if k <= 4.0 ** (l + 1) * d or l == n_levels - 1:
                chosen = _argmax(ucb, prio, active)
                break
            top = max(ucb[a] for a in range(K) if active[a])
            active &= ucb >= top - 3.0 * beta * 0.5 ** (l + 1) - TIE
        if level is not None:
            hist[level][0].append(X[chosen])
            hist[level][1].append(means[chosen] + z)
        arms.append(chosen)
    return np.array(arms)

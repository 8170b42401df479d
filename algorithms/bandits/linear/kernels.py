"""All numba kernels of the linear family in one module: per-rep ridge regression with
Sherman-Morrison rank-one updates, tie-aware argmax, and the select / update kernels of OFUL
(``oful``) and SupLinUCB (``sup_lin_ucb``), whose docstrings describe the algorithms.

Ridge state for one regression (per rep): U^-1 (d x d), b = sum r_s x_s, theta = U^-1 b, and per
arm the cached prediction M_a = <x_a, theta> and squared width W_a = ||x_a||^2_{U^-1}, U = lambda I
+ sum x_s x_s^T (Abbasi-Yadkori, Pal & Szepesvari, NeurIPS 2011, Sec. 3). After each added point
M and W are recomputed exactly from U^-1 (O(K d^2)), so no error accumulates in the caches.

The kernels live together because numba's on-disk cache (``cache=True``) is invalidated only by
changes to a kernel's own source file: a kernel calling a jitted function of another module would
keep running the old callee after that module changed.
"""

from __future__ import annotations

import math

import numba
import numpy as np


@numba.njit(cache=True)
def ridge_add(uinv, b, theta, M, W, X, a, reward):
    """Add one observation (x = X[a], reward) to the regression (uinv, b); refresh theta, M, W."""
    d, K = uinv.shape[0], X.shape[0]
    v = np.empty(d)
    denom = 1.0
    for i in range(d):
        s = 0.0
        for j in range(d):
            s += uinv[i, j] * X[a, j]
        v[i] = s
        denom += X[a, i] * s
    for i in range(d):
        b[i] += reward * X[a, i]
        for j in range(d):
            uinv[i, j] -= v[i] * v[j] / denom
    for i in range(d):
        s = 0.0
        for j in range(d):
            s += uinv[i, j] * b[j]
        theta[i] = s
    for k in range(K):
        m, w = 0.0, 0.0
        for i in range(d):
            m += X[k, i] * theta[i]
            s = 0.0
            for j in range(d):
                s += uinv[i, j] * X[k, j]
            w += X[k, i] * s
        M[k] = m
        W[k] = max(w, 0.0)


@numba.njit(cache=True)
def ridge_init(uinv, b, theta, M, W, X, lam):
    d = uinv.shape[0]
    uinv[:, :] = 0.0
    for i in range(d):
        uinv[i, i] = 1.0 / lam
    b[:] = 0.0
    theta[:] = 0.0
    for a in range(X.shape[0]):
        M[a] = 0.0
        W[a] = (X[a] @ X[a]) / lam


TIE = 1e-10       # values closer than this are ties (exact ties of the model, blurred by rounding)


@numba.njit(cache=True)
def argmax_prio(values, prio, active):
    """Index of the largest ``values[a]`` over ``active[a]``; values within ``TIE`` of each other
    are ties, which go to the lowest ``prio[a]`` (a random per-rep priority, so ties carry no bias
    towards arm 0, and rounding noise does not decide them). -1 if none is active."""
    best, arg, arg_p = -np.inf, -1, 0
    for a in range(values.shape[0]):
        if not active[a]:
            continue
        v = values[a]
        if arg < 0 or v > best + TIE or (v >= best - TIE and prio[a] < arg_p):
            best, arg, arg_p = v, a, prio[a]
    return arg


# ---- OFUL / DS-OFUL ------------------------------------------------------------

@numba.njit(cache=True)
def oful_select(M, W, prio, beta, out):
    n_reps, K = M.shape
    idx = np.empty(K)
    active = np.ones(K, np.bool_)
    for r in range(n_reps):
        for a in range(K):
            idx[a] = M[r, a] + beta * np.sqrt(W[r, a])
        out[r] = argmax_prio(idx, prio[r], active)


@numba.njit(cache=True)
def oful_update(uinv, b, theta, M, W, X, arms, rewards, gamma2, n_used):
    for r in range(arms.shape[0]):
        a = arms[r]
        if W[r, a] >= gamma2:                    # ||x||^2_{U^-1} >= Gamma^2: keep the point
            ridge_add(uinv[r], b[r], theta[r], M[r], W[r], X[r], a, rewards[r])
            n_used[r] += 1


# ---- SupLinUCB ----------------------------------------------------------------

@numba.njit(cache=True)
def sup_select(M, W, prio, beta, k, d, out, level_out):
    n_reps, L, K = M.shape
    active = np.empty(K, np.bool_)
    val = np.empty(K)
    width = np.empty(K)
    for r in range(n_reps):
        active[:] = True
        chosen, lev = -1, -1
        for l in range(L):
            thr = 0.5 ** (l + 1)
            for a in range(K):
                width[a] = math.sqrt(W[r, l, a])
            warg = argmax_prio(width, prio[r], active)
            wmax = width[warg]
            if wmax >= thr - TIE:                                     # (a) explore at level l
                chosen, lev = warg, l
                break
            for a in range(K):
                val[a] = M[r, l, a] + beta * math.sqrt(W[r, l, a])
            if k <= 4.0 ** (l + 1) * d or l == L - 1:                 # (b) exploit
                chosen = argmax_prio(val, prio[r], active)
                break
            best = -np.inf                                            # (c) eliminate
            for a in range(K):
                if active[a] and val[a] > best:
                    best = val[a]
            for a in range(K):
                if active[a] and val[a] < best - 3.0 * beta * thr - TIE:
                    active[a] = False
        out[r] = chosen
        level_out[r] = lev


@numba.njit(cache=True)
def sup_update(uinv, b, theta, M, W, X, arms, rewards, levels, n_used):
    for r in range(arms.shape[0]):
        l = levels[r]
        if l >= 0:
            ridge_add(uinv[r, l], b[r, l], theta[r, l], M[r, l], W[r, l], X[r], arms[r], rewards[r])
            n_used[r] += 1

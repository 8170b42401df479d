"""The level tournament every streaming algorithm here runs, and each algorithm's budget table.

One kernel, ``kernels.play_levels``, covers them all (Wang ICML'23; budgets from the authors'
released code, repository jhwjhw0123/streaming-regret-minimization-MABs, ``algorithms.py``). Level l keeps one king with
its empirical mean. An arm entering level l is pulled ``batch[l]`` times; it becomes king if the
level is empty or if its mean is strictly higher than the king's (the loser is discarded). Once
the pulls spent at level l exceed ``cap[l]`` (cap < 0: never), the king is promoted: it enters
level l + 1 as a challenger and level l starts afresh. Arrivals enter level 0. At the end of the
stream, if several levels hold kings and the budget allows, each king is pulled ``final`` more
times and the best fresh mean wins (otherwise the king of the highest level); all remaining
pulls go to the winner (commit). Memory: one slot per level king plus the arriving arm.

Budget tables, with eps = (K/T)^(1/3) (Wang, Sec. 4: find an eps-best arm, then commit):
- ``uniform`` (streaming uniform exploration, Wang Sec. 3 / Alg. "uniform exploration"): one
  level, every arm pulled m = ceil((T/K)^(2/3) ln^(1/3) T) times against the stored champion;
  regret O(K^(1/3) T^(2/3) log^(1/3) T).
- ``naive``: one level with ln(K)/eps^2 pulls per arm (a union-bound eps-best arm).
- ``log``: floor(ln K) levels, batch ceil(1.2^l / eps^2), cap 6 * batch.
- ``loglog``: floor(ln ln K) + 1 levels, batch ceil(1.2^l / eps^2), cap 10 * batch; the last
  level has batch ln(K)/eps^2 and no cap.
- ``logstar``: r_0 = 2, r_{l+1} = 2^{r_l}; batch_0 = 1/eps^2, batch_l = r_l / eps^2; cap_0 =
  4/eps^2, cap_l = 2^{r_l} batch_l / 2^{r_{l-1}}; as many levels as log*(K) + 1 (Assadi & Wang,
  STOC'20, the O(log* K)-memory eps-best arm routine Wang uses for O(K^(1/3) T^(2/3)) regret).
Every batch is rounded up and clipped to [1, T]; the top level is never capped.

Departures from the released code (bugs, not the paper's algorithm): its uniform exploration
compares the first arm as if its mean were 0, its end-of-stream choice never updates its running
maximum, and its last level of ``log`` can be promoted past the top; here the stored means are
used, the best fresh mean wins, and the top level is uncapped. The code's pull counts are not
rounded; here they are integers (ceil). The Game-of-Arms variant (single-arm memory), which uses
the true gap as an oracle in the code, is not implemented.
"""

from __future__ import annotations

import math

import numpy as np

from algorithms.bandits.streaming.kernels import play_levels  # noqa: F401  (the tournament kernel)

VARIANTS = ("uniform", "naive", "log", "loglog", "logstar")


def epsilon(n_arms: int, horizon: int) -> float:
    """eps = (K/T)^(1/3), the accuracy at which an eps-best arm makes commit regret T*eps match
    the exploration cost K/eps^2 (Wang Sec. 4)."""
    return (n_arms / horizon) ** (1.0 / 3.0)


def _levels_logstar(n_arms: int) -> int:
    levels, x = 1, float(n_arms)
    while x >= 1.0:
        levels += 1
        x = math.log(x)
    return levels


def budget_table(variant: str, n_arms: int, horizon: int) -> tuple[np.ndarray, np.ndarray, int]:
    """(batch[L], cap[L], final) int64 for ``variant`` on K arms and horizon T (see module doc)."""
    K, T = int(n_arms), int(horizon)
    inv = epsilon(K, T) ** -2                                # 1/eps^2 = (T/K)^(2/3)
    lnK = math.log(K)
    if variant == "uniform":
        batch, cap = [inv * math.log(T) ** (1 / 3) if T > 1 else 1.0], [-1.0]
    elif variant == "naive":
        batch, cap = [lnK * inv], [-1.0]
    elif variant == "log":
        L = max(1, int(math.floor(lnK)))
        batch = [1.2 ** l * inv for l in range(L)]
        cap = [6 * math.ceil(b) for b in batch[:-1]] + [-1.0]
    elif variant == "loglog":
        L = max(1, int(math.floor(math.log(lnK))) + 1) if lnK > 1 else 1
        batch = [1.2 ** l * inv for l in range(L - 1)] + [lnK * inv]
        cap = [10 * math.ceil(b) for b in batch[:-1]] + [-1.0]
    elif variant == "logstar":
        L = _levels_logstar(K)
        r = [2.0]
        for _ in range(L - 1):
            r.append(2.0 ** min(r[-1], 1000.0))
        batch = [inv] + [r[l] * inv for l in range(1, L)]
        cap = [4 * inv]
        for l in range(1, L):
            growth = 2.0 ** min(r[l] - r[l - 1], 1000.0)
            cap.append(growth * math.ceil(batch[l]))
        cap[-1] = -1.0
    else:
        raise ValueError(f"variant: {variant!r} is not an allowed value; allowed: one of {VARIANTS}")
    b = np.array([min(max(math.ceil(x), 1), T) for x in batch], dtype=np.int64)
    c = np.array([-1 if x < 0 else min(math.ceil(x), 2 * T) for x in cap], dtype=np.int64)
    return b, c, int(b[0])

"""Speed of simlab's bandit loop: UCB1 and Thompson-Beta against baselines measured in this run.

Baselines:
- "plain numpy": the same algorithm written as one straightforward vectorised numpy loop here
  (same n_reps, horizon, Bernoulli instance with shared per-step uniforms, regret from counts at
  the end). The ratio simlab / plain is the overhead of simlab's env/policy/simulate protocol;
  the target is <= 1.25.
- MABWiser (``pip install mabwiser``; skipped with a message if absent): a per-decision Python
  library, one bandit at a time (``predict`` + ``partial_fit`` per step). It is compared in
  pulls per second, once against simlab with n_reps = 1 (like for like) and once against simlab's
  batched run (what a replicated experiment actually costs per pull).

Streaming (Wang ICML'23) and misspecified linear policies, also timed against baselines written
here and run in the same process:
- streaming uniform exploration and eps-best (loglog, logstar): simlab's numba level tournament
  (with the env's memory / budget checks) against a plain Python loop over reps and arriving arms
  that draws each batch with ``Generator.binomial`` (the shape of the authors' released code).
  Reported as arms processed per second and simulated pulls per second (batches make T cheap).
- OFUL and SupLinUCB: simlab's ``simulate_linear`` (numba kernels vectorised over reps) against a
  plain numpy loop: OFUL batched over reps with ``np.einsum`` and Sherman-Morrison updates, and
  SupLinUCB (whose level walk differs per rep) as a per-rep Python loop over numpy arrays.

Each timing is the minimum over ``--repeats`` runs. Mean final regret is printed too, as a sanity
check that the implementations agree (same algorithm, different random streams).

    python benchmarks/bench_bandits.py            # default sizes, a minute or two
    python benchmarks/bench_bandits.py --quick    # smoke run, a few seconds
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from algorithms.bandits.bernoulli_env import BernoulliEnv  # noqa: E402
from algorithms.bandits.linear.env import MisspecifiedLinearEnv  # noqa: E402
from algorithms.bandits.linear.oful import OFUL  # noqa: E402
from algorithms.bandits.linear.simulate import simulate_linear  # noqa: E402
from algorithms.bandits.linear.sup_lin_ucb import SupLinUCB  # noqa: E402
from algorithms.bandits.streaming.env import BernoulliStream  # noqa: E402
from algorithms.bandits.streaming.eps_best import StreamEpsBest  # noqa: E402
from algorithms.bandits.streaming.levels import budget_table  # noqa: E402
from algorithms.bandits.streaming.uniform import StreamUniform  # noqa: E402
from algorithms.bandits.simulate import simulate  # noqa: E402
from algorithms.bandits.thompson_beta import ThompsonBeta  # noqa: E402
from algorithms.bandits.ucb1 import UCB1  # noqa: E402
from algorithms.bandits.sw_ucb import SlidingWindowUCB  # noqa: E402
from algorithms.bandits.d_ucb import DiscountedUCB  # noqa: E402


def make_env(n_arms: int) -> BernoulliEnv:
    return BernoulliEnv(n_arms=n_arms, instance="gap", best_mean=0.5, gap=0.1)


def instance_means(n_arms: int, n_reps: int, seed: int) -> np.ndarray:
    env = make_env(n_arms)
    env.reset(n_reps, np.random.default_rng(seed))
    return env.means


def plain_ucb1(means: np.ndarray, horizon: int, seed: int, c: float = 2.0) -> np.ndarray:
    """UCB1 in one plain vectorised loop; returns final pseudo-regret per rep."""
    env_rng, pol_rng = np.random.default_rng(seed), np.random.default_rng(seed + 1)
    n_reps, n_arms = means.shape
    rows = np.arange(n_reps)
    sums = np.zeros((n_reps, n_arms))
    counts = np.zeros((n_reps, n_arms))
    first = pol_rng.permuted(np.tile(np.arange(n_arms), (n_reps, 1)), axis=1)
    for t in range(horizon):
        if t < n_arms:
            arms = first[:, t]
        else:
            arms = np.argmax(sums / counts + np.sqrt(c * math.log(t) / counts), axis=1)
        rewards = (env_rng.random(n_reps) < means[rows, arms]).astype(np.float64)
        sums[rows, arms] += rewards
        counts[rows, arms] += 1.0
    return (counts * (means.max(axis=1, keepdims=True) - means)).sum(axis=1)


def plain_thompson(means: np.ndarray, horizon: int, seed: int) -> np.ndarray:
    """Beta(1,1)-Bernoulli Thompson sampling in one plain vectorised loop."""
    env_rng, pol_rng = np.random.default_rng(seed), np.random.default_rng(seed + 1)
    n_reps, n_arms = means.shape
    rows = np.arange(n_reps)
    alpha = np.ones((n_reps, n_arms))
    beta = np.ones((n_reps, n_arms))
    for _ in range(horizon):
        arms = np.argmax(pol_rng.beta(alpha, beta), axis=1)
        rewards = (env_rng.random(n_reps) < means[rows, arms]).astype(np.float64)
        alpha[rows, arms] += rewards
        beta[rows, arms] += 1.0 - rewards
    counts = alpha + beta - 2.0
    return (counts * (means.max(axis=1, keepdims=True) - means)).sum(axis=1)


def simlab_run(policy, n_arms: int, n_reps: int, horizon: int, seed: int) -> np.ndarray:
    out = simulate(make_env(n_arms), policy, horizon, n_reps, np.random.default_rng(seed),
                   np.random.default_rng(seed + 1), np.array([horizon]))
    return out.regret[:, -1]


# ---------------------------------------------------------------------------------- streaming

def plain_stream(means: np.ndarray, horizon: int, batch, cap, final, seed: int) -> np.ndarray:
    """The level tournament as a plain Python loop (no env, no checks); final regret per rep."""
    rng = np.random.default_rng(seed)
    n_reps, K = means.shape
    L = len(batch)
    out = np.zeros(n_reps)
    for r in range(n_reps):
        mu, best = means[r], means[r].max()
        kings, spent, used, regret = {}, [0] * L, 0, 0.0
        for arm in range(K):
            if used >= horizon:
                break
            level = 0
            while True:
                n = min(int(batch[level]), horizon - used)
                if n == 0:
                    break
                m = rng.binomial(n, mu[arm]) / n
                used += n
                regret += n * (best - mu[arm])
                spent[level] += n
                if level not in kings or m > kings[level][1]:
                    kings[level] = (arm, m)
                if level < L - 1 and cap[level] >= 0 and spent[level] > cap[level]:
                    arm = kings.pop(level)[0]
                    spent[level] = 0
                    level += 1
                    continue
                break
        if used < horizon and kings:
            win = kings[max(kings)][0]
            if len(kings) > 1 and horizon - used >= len(kings) * final:
                fresh = {l: rng.binomial(final, mu[a]) / final for l, (a, _) in kings.items()}
                used += len(kings) * final
                regret += sum(final * (best - mu[a]) for a, _ in kings.values())
                win = kings[max(fresh, key=fresh.get)][0]
            regret += (horizon - used) * (best - mu[win])
        out[r] = regret
    return out


def simlab_stream(policy, n_arms: int, n_reps: int, horizon: int, seed: int) -> np.ndarray:
    env = BernoulliStream(n_arms=n_arms, instance="clear_cut", memory=8)
    env.reset(n_reps, horizon, np.random.default_rng(seed))
    policy.play(env, np.random.default_rng(seed + 1))
    return env.state.regret


def stream_means(n_arms: int, n_reps: int, seed: int) -> np.ndarray:
    return BernoulliStream(n_arms=n_arms, instance="clear_cut").draw_means(n_reps, np.random.default_rng(seed))


# ---------------------------------------------------------------------------------- linear

def linear_instance(dim: int, n_reps: int, seed: int):
    env = MisspecifiedLinearEnv(dim=dim, gap=0.2, zeta=0.01, noise=0.2)
    env.reset(n_reps, np.random.default_rng(seed))
    return env.features, env.means


def plain_oful(X: np.ndarray, means: np.ndarray, horizon: int, seed: int, beta=1.0, lam=1.0) -> np.ndarray:
    """OFUL in one plain numpy loop batched over reps (einsum + Sherman-Morrison); final regret."""
    rng = np.random.default_rng(seed)
    n_reps, K, d = X.shape
    rows = np.arange(n_reps)
    Ainv = np.tile(np.eye(d) / lam, (n_reps, 1, 1))
    b = np.zeros((n_reps, d))
    counts = np.zeros((n_reps, K))
    for _ in range(horizon):
        theta = np.einsum("rij,rj->ri", Ainv, b)
        width = np.sqrt(np.maximum(np.einsum("rki,rij,rkj->rk", X, Ainv, X), 0.0))
        arms = np.argmax(np.einsum("rki,ri->rk", X, theta) + beta * width, axis=1)
        x = X[rows, arms]
        reward = means[rows, arms] + 0.2 * rng.standard_normal(n_reps)
        v = np.einsum("rij,rj->ri", Ainv, x)
        Ainv -= np.einsum("ri,rj->rij", v, v) / (1.0 + np.einsum("ri,ri->r", x, v))[:, None, None]
        b += reward[:, None] * x
        counts[rows, arms] += 1
    return (counts * (means.max(axis=1, keepdims=True) - means)).sum(axis=1)


def plain_sup_lin_ucb(X: np.ndarray, means: np.ndarray, horizon: int, seed: int, beta=0.2, lam=1.0) -> np.ndarray:
    """SupLinUCB as a per-rep Python loop over numpy arrays (Sherman-Morrison per level)."""
    rng = np.random.default_rng(seed)
    n_reps, K, d = X.shape
    L = max(1, math.ceil(0.5 * math.log2(max(horizon, 2))) + 1)
    out = np.zeros(n_reps)
    for r in range(n_reps):
        Ainv = np.tile(np.eye(d) / lam, (L, 1, 1))
        b = np.zeros((L, d))
        gaps = means[r].max() - means[r]
        for k in range(1, horizon + 1):
            active = np.ones(K, bool)
            arm, lev = None, None
            for l in range(L):
                theta = Ainv[l] @ b[l]
                w = np.sqrt(np.maximum(np.einsum("ki,ij,kj->k", X[r], Ainv[l], X[r]), 0.0))
                ucb = X[r] @ theta + beta * w
                wa = np.where(active, w, -1.0)
                if wa.max() >= 0.5 ** (l + 1):
                    arm, lev = int(wa.argmax()), l
                    break
                if k <= 4.0 ** (l + 1) * d or l == L - 1:
                    arm = int(np.where(active, ucb, -np.inf).argmax())
                    break
                active &= ucb >= np.where(active, ucb, -np.inf).max() - 3 * beta * 0.5 ** (l + 1)
            if lev is not None:
                x = X[r, arm]
                v = Ainv[lev] @ x
                Ainv[lev] -= np.outer(v, v) / (1.0 + x @ v)
                b[lev] += (means[r, arm] + 0.2 * rng.standard_normal()) * x
            out[r] += gaps[arm]
    return out


def simlab_linear(policy, dim: int, n_reps: int, horizon: int, seed: int) -> np.ndarray:
    env = MisspecifiedLinearEnv(dim=dim, gap=0.2, zeta=0.01, noise=0.2)
    out = simulate_linear(env, policy, horizon, n_reps, np.random.default_rng(seed),
                          np.random.default_rng(seed + 1))
    return out.regret[:, -1]


def mabwiser_run(kind: str, means_row: np.ndarray, horizon: int, seed: int) -> float:
    """One bandit, per-decision predict + partial_fit. Returns the final pseudo-regret."""
    from mabwiser.mab import MAB, LearningPolicy

    n_arms = means_row.size
    policy = LearningPolicy.UCB1(alpha=1.0) if kind == "ucb1" else LearningPolicy.ThompsonSampling()
    rng = np.random.default_rng(seed)
    arms = list(range(n_arms))
    mab = MAB(arms=arms, learning_policy=policy, seed=seed)
    # MABWiser needs a fit before predicting: one pull of every arm (the UCB1 initialisation).
    first = (rng.random(n_arms) < means_row).astype(float)
    mab.fit(decisions=arms, rewards=first.tolist())
    regret = float((means_row.max() - means_row).sum())
    for _ in range(horizon - n_arms):
        arm = mab.predict()
        reward = float(rng.random() < means_row[arm])
        mab.partial_fit(decisions=[arm], rewards=[reward])
        regret += means_row.max() - means_row[arm]
    return regret


def best_time(fn, repeats: int):
    best, result = math.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-reps", type=int, default=1000)
    ap.add_argument("--n-arms", type=int, default=10)
    ap.add_argument("--horizon", type=int, default=5000)
    ap.add_argument("--single-horizon", type=int, default=2000,
                    help="horizon of the single-rep runs (simlab n_reps=1 and MABWiser)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="tiny smoke run")
    ap.add_argument("--no-mabwiser", action="store_true", help="skip the MABWiser rows")
    ap.add_argument("--stream-arms", type=int, default=1000, help="K of the streaming rows")
    ap.add_argument("--stream-horizon", type=int, default=10**8, help="T of the streaming rows")
    ap.add_argument("--stream-reps", type=int, default=200)
    ap.add_argument("--linear-dim", type=int, default=8)
    ap.add_argument("--linear-horizon", type=int, default=20000)
    ap.add_argument("--linear-reps", type=int, default=50)
    args = ap.parse_args(argv)
    if args.quick:
        args.n_reps, args.horizon, args.single_horizon, args.repeats = 50, 200, 100, 1
        args.stream_arms, args.stream_horizon, args.stream_reps = 50, 10**5, 4
        args.linear_dim, args.linear_horizon, args.linear_reps = 3, 100, 3

    K, R, T, seed = args.n_arms, args.n_reps, args.horizon, args.seed
    means = instance_means(K, R, seed)
    # warm-up (first-call costs, numba caches) outside the timings
    simlab_run(UCB1(), K, 4, 2 * K, seed)
    simlab_run(ThompsonBeta(), K, 4, 2 * K, seed)

    rows = []

    def add(impl, algo, n_reps, horizon, secs, regret, ratio=""):
        reg = np.atleast_1d(regret)
        se = reg.std(ddof=1) / math.sqrt(reg.size) if reg.size > 1 else float("nan")
        rows.append((impl, algo, n_reps, horizon, f"{secs:.3f}", f"{n_reps * horizon / secs:,.0f}",
                     ratio, f"{reg.mean():.1f} ± {se:.1f}" if reg.size > 1 else f"{reg.mean():.1f}"))

    ratios = {}
    for algo, make_policy, plain in (("UCB1", UCB1, plain_ucb1),
                                     ("Thompson-Beta", ThompsonBeta, plain_thompson)):
        t_plain, reg_plain = best_time(lambda: plain(means, T, seed), args.repeats)
        t_sim, reg_sim = best_time(lambda: simlab_run(make_policy(), K, R, T, seed), args.repeats)
        ratios[algo] = t_sim / t_plain
        add("plain numpy loop", algo, R, T, t_plain, reg_plain, "1.00")
        add("simlab simulate", algo, R, T, t_sim, reg_sim, f"{t_sim / t_plain:.2f}")
        t_one, reg_one = best_time(lambda: simlab_run(make_policy(), K, 1, args.single_horizon, seed),
                                   args.repeats)
        add("simlab simulate", algo, 1, args.single_horizon, t_one, reg_one)

    # non-stationary policies: same loop, time relative to UCB1 measured just above (its cost per
    # step is the baseline a user pays anyway)
    t_ucb, _ = best_time(lambda: simlab_run(UCB1(), K, R, T, seed), args.repeats)
    for algo, make_policy in (("SW-UCB", SlidingWindowUCB), ("D-UCB", DiscountedUCB)):
        simlab_run(make_policy(), K, 4, 2 * K, seed)
        t_ns, reg_ns = best_time(lambda: simlab_run(make_policy(), K, R, T, seed), args.repeats)
        add("simlab simulate", f"{algo} (ratio to UCB1)", R, T, t_ns, reg_ns, f"{t_ns / t_ucb:.2f}")

    mab_msg = ""
    try:
        import mabwiser  # noqa: F401
    except ImportError:
        mab_msg = "MABWiser not installed (pip install mabwiser): its rows are skipped."
    if args.no_mabwiser:
        mab_msg = "MABWiser rows skipped (--no-mabwiser)."
    if not mab_msg:
        mabwiser_run("ucb1", means[0], 2 * K, seed)      # warm-up (imports, first-call costs)
        mabwiser_run("ts", means[0], 2 * K, seed)
        for algo, kind in (("UCB1", "ucb1"), ("Thompson-Beta", "ts")):
            t_m, reg_m = best_time(lambda: mabwiser_run(kind, means[0], args.single_horizon, seed), 1)
            add("MABWiser (per decision)", algo, 1, args.single_horizon, t_m, reg_m)

    print(f"Bernoulli bandit, K={K} arms, gap instance (best 0.5, others 0.4); "
          f"min time over {args.repeats} run(s).\n")
    print("| implementation | algorithm | n_reps | horizon | time (s) | pulls/s | time / plain | mean regret ± SE |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    print()
    for algo, ratio in ratios.items():
        verdict = "OK" if ratio <= 1.25 else "ABOVE TARGET"
        print(f"{algo}: simlab / plain numpy time ratio = {ratio:.2f} (target <= 1.25: {verdict})")
    if mab_msg:
        print(mab_msg)
    else:
        print("MABWiser decides one bandit at a time in Python; compare pulls/s with the simlab "
              "n_reps=1 row (like for like) and with the batched row (replicated experiments).")

    # -------------------------------------------------------------- streaming (Wang ICML'23)
    SK, ST, SR = args.stream_arms, args.stream_horizon, args.stream_reps
    smeans = stream_means(SK, SR, seed)
    simlab_stream(StreamUniform(), 10, 2, 1000, seed)            # warm-up (numba compile / cache)
    srows = []
    print(f"\nStreaming, clear-cut stream, K={SK}, T={ST:.0e}, {SR} reps (batched pulls: a batch of n "
          "pulls is one Binomial draw, so cost scales with K, not T).\n")
    print("| implementation | algorithm | time (s) | arms/s | simulated pulls/s | time / plain | mean regret ± SE |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, pol in (("uniform", StreamUniform()), ("loglog", StreamEpsBest("loglog")),
                      ("logstar", StreamEpsBest("logstar"))):
        batch, cap, final = budget_table(name, SK, ST)
        t_plain, reg_plain = best_time(lambda: plain_stream(smeans, ST, batch, cap, final, seed), args.repeats)
        t_sim, reg_sim = best_time(lambda: simlab_stream(pol, SK, SR, ST, seed), args.repeats)
        for impl, t, reg, ratio in (("plain Python loop", t_plain, reg_plain, "1.00"),
                                    ("simlab numba kernel", t_sim, reg_sim, f"{t_sim / t_plain:.3f}")):
            se = reg.std(ddof=1) / math.sqrt(reg.size) if reg.size > 1 else float("nan")
            print(f"| {impl} | {name} | {t:.3f} | {SK * SR / t:,.0f} | {ST * SR / t:.3g} | {ratio} | "
                  f"{reg.mean():.4g} ± {se:.2g} |")
        srows.append((name, t_sim / t_plain))
    print()
    for name, ratio in srows:
        print(f"streaming {name}: simlab / plain Python time ratio = {ratio:.3f}")

    # -------------------------------------------------------------- misspecified linear
    LD, LT, LR = args.linear_dim, args.linear_horizon, args.linear_reps
    X, lmeans = linear_instance(LD, LR, seed)
    simlab_linear(OFUL(), 3, 2, 5, seed)                          # warm-up
    simlab_linear(SupLinUCB(beta=0.2), 3, 2, 5, seed)
    print(f"\nMisspecified linear bandit (hidden_best, d={LD}, K={LD + 1}), T={LT}, {LR} reps.\n")
    print("| implementation | algorithm | n_reps | time (s) | pulls/s | time / plain | mean regret ± SE |")
    print("|---|---|---:|---:|---:|---:|---:|")
    lrows = []
    sup_T = max(LT // 10, 10)
    for name, make, plain, T_l in (("OFUL", OFUL, plain_oful, LT),
                                   ("SupLinUCB", lambda: SupLinUCB(beta=0.2), plain_sup_lin_ucb, sup_T)):
        t_plain, reg_plain = best_time(lambda: plain(X, lmeans, T_l, seed), args.repeats)
        t_sim, reg_sim = best_time(lambda: simlab_linear(make(), LD, LR, T_l, seed), args.repeats)
        for impl, t, reg, ratio in (("plain numpy loop", t_plain, reg_plain, "1.00"),
                                    ("simlab simulate_linear", t_sim, reg_sim, f"{t_sim / t_plain:.2f}")):
            se = reg.std(ddof=1) / math.sqrt(reg.size) if reg.size > 1 else float("nan")
            print(f"| {impl} | {name} (T={T_l}) | {LR} | {t:.3f} | {LR * T_l / t:,.0f} | {ratio} | "
                  f"{reg.mean():.4g} ± {se:.2g} |")
        lrows.append((name, t_sim / t_plain))
    print()
    for name, ratio in lrows:
        print(f"linear {name}: simlab / plain numpy time ratio = {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

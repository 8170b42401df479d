"""Optimizer experiment: one optimizer (and optional lr schedule) on one problem, ``n_reps``
replications vectorised on a leading seed axis.

Reads top to bottom: build the problem, the starting points and the optimizer, train, summarise.
Streams (``experiments.seeding.rng_for``): the problem instance from ``"problem"``, the starting
points from ``"init"``, minibatches / online rounds from ``"batches"`` and the optimizer's own
randomness (Rand-K) from ``"optimizer"``. So for one seed every optimizer faces the same
instance, the same starting points and the same minibatch sequence (common random numbers).

Wiring (``algorithms/optim/__init__.py``): the preset sets ``optimizer._partial_: true`` so the
optimizer arrives as a factory; this module calls it with ``schedule`` (which then replaces the
optimizer's ``lr``), ``seed_axis=True`` and, for EF21-W, ``smoothness`` = the problem's L_i.

Gradients. ``batch_size = 0`` trains on the full objective's gradient; otherwise on minibatch
(or online-round) gradients. Distributed optimizers (those with ``n_workers``) get one gradient
per worker: from ``problem.worker_grads`` when the problem has workers of its own (the
heterogeneous ``DistributedQuadratic``), else by splitting each replication's minibatch of row
indices into ``n_workers`` equal shards (data parallelism; with common random numbers a
non-distributed optimizer with the same ``batch_size`` sees exactly the same rows).

Recorded at ``n_points`` log-spaced checkpoints (number of updates applied), per replication:
the full objective ``loss``, ``subopt = loss - f_star`` and ``dist = ||x - x*||`` where the
problem knows them, the full-gradient norm ``grad_norm_sq``, the effective per-coordinate step
``step_size`` (median over coordinates of |update| / |first moment| for optimizers whose state
keeps a first moment ``m``; for AdaBound this is the clipped step of Luo et al. 2019) and the
bits communicated so far (distributed optimizers), and the classification ``error`` for problems
that define one. Also: ``steps_to_<metric>`` for each ``target_<metric>`` given (first number of
updates at which the metric is <= the target; ``steps + 1`` when never reached, with
``reached_<metric>`` telling which), ``dist_tail`` (mean of ``dist`` over the last ``tail_frac`` of the
updates, e.g. Reddi et al.'s "mean x over the last 10%" is ``dist_tail - 1``) and, with
``track_regret``, the online average regret against the problem's optimum; ``update_max``, the
largest |update| of any coordinate over the run (a blown-up step shows here). Non-finite losses
(a diverging optimizer) are kept as they are and counted in ``diverged_frac``. Per-rep arrays are
2-d: (n_reps, checkpoints) for curves, (n_reps, 1) for per-replication numbers.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any, Callable

import numpy as np

from algorithms.constraints import Interval, NonNegative, OneOf
from algorithms.optim.base import apply_updates
from experiments.result import Result, log_spaced_steps, mean_and_se
from experiments.seeding import rng_for


def _flat_sq(tree: dict, n_reps: int) -> np.ndarray:
    """Per-replication squared l2 norm of a tree with a leading seed axis."""
    return sum(np.sum(np.reshape(v, (n_reps, -1)).astype(np.float64) ** 2, axis=1) for v in tree.values())


def effective_step(updates: dict, m: dict, n_reps: int) -> np.ndarray:
    """Per replication, the median over coordinates with m != 0 of |update| / |m| (NaN if none)."""
    num = np.concatenate([np.reshape(np.abs(updates[k]), (n_reps, -1)) for k in updates], axis=1)
    den = np.concatenate([np.reshape(np.abs(m[k]), (n_reps, -1)) for k in updates], axis=1)
    out = np.full(n_reps, np.nan)
    for r in range(n_reps):
        ok = den[r] > 0
        if ok.any():
            out[r] = np.median(num[r, ok] / den[r, ok])
    return out


def build_optimizer(factory: Callable[..., Any], problem: Any, schedule: Any, lr_rule: str,
                    d: int) -> tuple[Any, str]:
    """Call the optimizer factory with the experiment's wiring; returns (optimizer, lr source)."""
    if not callable(factory) or hasattr(factory, "update"):
        raise TypeError("optimizer: must arrive as a factory; set `optimizer: {_partial_: true}` in the "
                        "preset so the experiment can pass schedule / seed_axis / smoothness")
    kwargs: dict[str, Any] = {"schedule": schedule, "seed_axis": True}
    if "smoothness" in inspect.signature(factory).parameters:
        if getattr(problem, "L_i", None) is None:
            raise ValueError(f"optimizer: needs the workers' smoothness constants, but problem "
                             f"{type(problem).__name__} has no L_i; allowed: a distributed problem")
        kwargs["smoothness"] = [float(x) for x in problem.L_i]
    opt = factory(**kwargs)
    if lr_rule == "theory" and hasattr(opt, "theory_lr"):
        if getattr(problem, "L", None) is None or getattr(problem, "L_i", None) is None:
            raise ValueError(f"lr_rule: 'theory' needs a problem with L and L_i; got {type(problem).__name__}")
        return factory(**kwargs, lr=opt.theory_lr(problem.L, problem.L_i, d)), "theory"
    return opt, "config"


def worker_gradients(problem: Any, params: dict, batch: Any, n_workers: int, n_reps: int) -> dict:
    """Per-worker gradients with the worker axis after the seed axis: (n_reps, n_workers, *block)."""
    if hasattr(problem, "worker_grads"):
        if getattr(problem, "n_workers", n_workers) != n_workers:
            raise ValueError(f"optimizer.n_workers: {n_workers} differs from problem.n_workers="
                             f"{problem.n_workers}; allowed: equal worker counts")
        return problem.worker_grads(params)
    if batch is None or not np.issubdtype(np.asarray(batch).dtype, np.integer):
        raise ValueError(f"optimizer: a distributed optimizer needs per-worker gradients; problem "
                         f"{type(problem).__name__} has no worker_grads and no index minibatches to "
                         "shard (batch_size > 0); allowed: a problem with worker_grads or index minibatches")
    B = batch.shape[-1]
    if B % n_workers:
        raise ValueError(f"batch_size: {B} is not a multiple of n_workers={n_workers}")
    shards = batch.reshape(n_reps, n_workers, B // n_workers)
    return problem.grad({k: v[:, None] for k, v in params.items()}, shards)


def run(
    *,
    problem: object,
    optimizer: object,
    steps: Annotated[int, Interval(1, 10**7)],
    n_reps: Annotated[int, Interval(1, 10**5)],
    seed: Annotated[int, NonNegative],
    schedule: object | None = None,
    n_points: Annotated[int, Interval(2, 1000)] = 100,
    batch_size: Annotated[int, NonNegative] = 0,
    dtype: Annotated[str, OneOf("float64", "float32")] = "float64",
    lr_rule: Annotated[str, OneOf("config", "theory")] = "config",
    target_loss: Annotated[float, NonNegative] | None = None,
    target_subopt: Annotated[float, NonNegative] | None = None,
    target_grad_norm_sq: Annotated[float, NonNegative] | None = None,
    target_error: Annotated[float, Interval(0.0, 1.0)] | None = None,
    target_every: Annotated[int, Interval(1)] = 1,
    tail_frac: Annotated[float, Interval(0.0, 1.0, lo_open=True)] = 0.1,
    track_regret: bool = False,
) -> Result:
    """Train and return final metrics (mean, SE over reps), curves and per-rep arrays.

    batch_size: rows per minibatch (the global batch for distributed optimizers); 0 = full gradient.
    dtype: parameter (and optimizer-state) precision; float32 makes state sizes comparable to
        the papers' fp32 baselines.
    lr_rule: ``theory`` gives optimizers that define ``theory_lr`` (EF21: 1/(L + L_QM xi),
        EF21-W: 1/(L + L_AM xi)) their theoretical step; the others keep their configured lr
        (the lr used and its source are in the scalars / info).
    target_<metric>: threshold for metric in loss, subopt, grad_norm_sq, error (the problem's
        classification error, if it has one); gives per-rep ``steps_to_<metric>`` = the first
        number of updates with metric <= threshold (``steps + 1`` if never) and ``reached_<metric>``.
    target_every: check the targets every this many updates (and after the last one); the full
        objective of a large stochastic problem is costly, so the first crossing is then known to
        that resolution (the reported count is the first checked one below the threshold).
    track_regret: online average regret (1/t) sum_s [f_s(x_s) - f_s(x*)] (needs ``optimum``).
    """
    problem.build(rng_for(seed, "problem"))
    dt = np.dtype(dtype)
    params = {k: np.asarray(v, dtype=dt) for k, v in problem.init_params(rng_for(seed, "init"), n_reps).items()}
    d = sum(v.size for v in params.values()) // n_reps
    opt, lr_source = build_optimizer(optimizer, problem, schedule, lr_rule, d)
    state = opt.init(params, rng=rng_for(seed, "optimizer"))
    one = {k: v[:1] for k, v in params.items()}
    state_bytes = opt.state_bytes(opt.init(one, rng=np.random.default_rng(0)))  # one replication
    n_workers = getattr(opt, "n_workers", None)
    rng_b = rng_for(seed, "batches")

    f_star, optimum = problem.f_star, problem.optimum
    targets = {m: float(v) for m, v in (("loss", target_loss), ("subopt", target_subopt),
                                         ("grad_norm_sq", target_grad_norm_sq), ("error", target_error))
               if v is not None}
    if ("subopt" in targets and f_star is None) or ("error" in targets and not hasattr(problem, "error")):
        raise ValueError(f"target_subopt / target_error: not known for {type(problem).__name__} "
                         "(no f_star / no error())")
    if track_regret and optimum is None:
        raise ValueError(f"track_regret: needs a known optimum; {type(problem).__name__} has none")
    opt_tree = None if optimum is None else {k: np.asarray(v, dtype=np.float64) for k, v in optimum.items()}

    checkpoints = log_spaced_steps(steps, n_points)
    ck_index = {int(s): i for i, s in enumerate(checkpoints)}
    n_ck = len(checkpoints)
    rec: dict[str, np.ndarray] = {"loss": np.empty((n_reps, n_ck)), "grad_norm_sq": np.empty((n_reps, n_ck))}
    has_error = hasattr(problem, "error")
    if has_error:
        rec["error"] = np.empty((n_reps, n_ck))
    if f_star is not None:
        rec["subopt"] = np.empty((n_reps, n_ck))
    if opt_tree is not None:
        rec["dist"] = np.empty((n_reps, n_ck))
    m_tree = getattr(state, "m", None)
    has_m = isinstance(m_tree, dict) and all(isinstance(v, np.ndarray) for v in m_tree.values())
    if has_m:
        rec["step_size"] = np.empty((n_reps, n_ck))
    distributed = n_workers is not None
    if distributed:
        rec["bits"] = np.empty((n_reps, n_ck))
        bits_per_step = np.empty(steps)
    if track_regret:
        rec["avg_regret"] = np.empty((n_reps, n_ck))
        cum_regret = np.zeros(n_reps)

    def dist_of(p: dict) -> np.ndarray:
        return np.sqrt(sum(np.sum(np.reshape(p[k] - opt_tree[k], (n_reps, -1)) ** 2, axis=1) for k in p))

    def full_loss(p: dict) -> np.ndarray:
        return np.broadcast_to(np.asarray(problem.loss(p), dtype=np.float64), (n_reps,))

    def check_targets(t: int, p: dict, full_grad: dict | None) -> None:
        if t % target_every and t != steps:
            return
        for metric, thr in targets.items():
            if metric == "grad_norm_sq":
                val = _flat_sq(full_grad if full_grad is not None else problem.grad(p), n_reps)
            elif metric == "error":
                val = np.broadcast_to(np.asarray(problem.error(p), dtype=np.float64), (n_reps,))
            else:
                val = full_loss(p) - (f_star if metric == "subopt" else 0.0)
            hit[metric] = np.where((hit[metric] > steps) & (val <= thr), t, hit[metric])

    hit = {metric: np.full(n_reps, steps + 1, dtype=np.int64) for metric in targets}
    tail_start = steps - max(1, int(round(tail_frac * steps)))
    tail_sum = np.zeros(n_reps)
    prev_bits = 0
    update_max = np.zeros(n_reps)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for t in range(steps + 1):
            if t == steps:       # only the target check of the final iterate remains
                check_targets(t, params, None)
                break
            batch = problem.sample_batch(rng_b, batch_size, n_reps, step=t) if batch_size > 0 else None
            if distributed:
                grads = worker_gradients(problem, params, batch, n_workers, n_reps)
                full_grad = ({k: g.mean(axis=1) for k, g in grads.items()}
                             if batch is None and hasattr(problem, "worker_grads") else None)
            else:
                grads = problem.grad(params, batch)
                full_grad = grads if batch is None else None
            grads = {k: np.asarray(g, dtype=dt) for k, g in grads.items()}
            check_targets(t, params, full_grad)
            if track_regret:
                cum_regret += (np.asarray(problem.loss(params, batch), dtype=np.float64)
                               - np.asarray(problem.loss(opt_tree, batch), dtype=np.float64))
            updates, state = opt.update(grads, state, params)
            params = problem.project(apply_updates(params, updates))
            update_max = np.fmax(update_max, np.max(np.concatenate(
                [np.reshape(np.abs(u), (n_reps, -1)) for u in updates.values()], axis=1), axis=1))
            if distributed:
                bits_per_step[t] = state.bits_communicated - prev_bits
                prev_bits = state.bits_communicated
            if t >= tail_start and opt_tree is not None:
                tail_sum += dist_of(params)
            j = ck_index.get(t + 1)
            if j is None:
                continue
            loss = full_loss(params)
            rec["loss"][:, j] = loss
            rec["grad_norm_sq"][:, j] = _flat_sq(problem.grad(params), n_reps)
            if has_error:
                rec["error"][:, j] = problem.error(params)
            if f_star is not None:
                rec["subopt"][:, j] = loss - f_star
            if opt_tree is not None:
                rec["dist"][:, j] = dist_of(params)
            if has_m:
                rec["step_size"][:, j] = effective_step(updates, state.m, n_reps)
            if distributed:
                rec["bits"][:, j] = state.bits_communicated
            if track_regret:
                rec["avg_regret"][:, j] = cum_regret / (t + 1)

    arrays: dict[str, np.ndarray] = {"checkpoints": checkpoints, **rec}
    scalars: dict[str, float] = {}
    series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, arr in rec.items():
        mean, se = mean_and_se(arr)
        scalars[name], scalars[f"{name}_se"] = mean[-1], se[-1]
        if name in ("loss", "subopt", "grad_norm_sq", "step_size", "avg_regret"):
            series[f"{name}_curve"] = (checkpoints, mean)
    arrays["update_max"] = update_max[:, None]
    scalars["update_max"] = float(np.max(update_max))
    final = rec["loss"][:, -1]
    scalars["diverged_frac"] = float(np.mean(~np.isfinite(final)))
    for metric, h in hit.items():
        arrays[f"steps_to_{metric}"] = h.astype(np.float64)[:, None]
        arrays[f"reached_{metric}"] = (h <= steps).astype(np.float64)[:, None]
        mean, se = mean_and_se(h.astype(np.float64))
        scalars[f"steps_to_{metric}"], scalars[f"steps_to_{metric}_se"] = float(mean), float(se)
        scalars[f"reached_{metric}"] = float(np.mean(h <= steps))
    if opt_tree is not None:
        dist_tail = tail_sum / (steps - tail_start)
        arrays["dist_tail"] = dist_tail[:, None]
        scalars["dist_tail"], scalars["dist_tail_se"] = (float(x) for x in mean_and_se(dist_tail))
    if distributed:
        scalars.update(bits_communicated=float(prev_bits), bits_per_step_first=bits_per_step[0],
                       bits_per_step_last=bits_per_step[-1])
    scalars.update(state_bytes=state_bytes, n_params=d, state_bytes_per_param=state_bytes / d,
                   lr=float(getattr(opt, "lr", np.nan)))
    for name in ("L", "L_AM", "L_QM"):
        if getattr(problem, name, None) is not None:
            scalars[name] = float(getattr(problem, name))
    info = {"lr_source": lr_source, "optimizer": type(opt).__name__,
            "schedule_total_steps": getattr(schedule, "total_steps", None)}
    return Result(scalars=scalars, series=series, arrays=arrays, info=info)

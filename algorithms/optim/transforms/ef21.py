"""EF21 and EF21-W: distributed gradient descent with contractive compression and error
feedback over n simulated workers.

EF21 (Richtarik, Sokolov, Fatkhullin, NeurIPS 2021, arXiv 2106.05203, Algorithm 1) and EF21-W
(Richtarik, Gasanov, Burlachenko, "Error Feedback Reloaded: From Quadratic to Arithmetic Mean
of Smoothness Constants", ICLR 2024, arXiv 2402.10774, Algorithm 2). With weights
w_i = L_i / sum_j L_j (EF21: w_i = 1/n):

    x^{t+1} = x^t - lr * g^t,            g^t = sum_i w_i g_i^t
    c_i     = C(grad f_i(x^{t+1}) / (n w_i) - g_i^t);   g_i^{t+1} = g_i^t + c_i
    g^{t+1} = g^t + sum_i w_i c_i

In this pure-function form, update k receives grad f_i(x^k) (a WORKER axis right after the
seed axis: ``grads[name].shape == (n_seeds, n_workers, *block)`` with ``seed_axis=True``, else
``(n_workers, *block)``, see ``base.workers_first``), refreshes g_i with the compressed
difference and returns u = -lr * g^k. The first call starts from g_i = 0, i.e.
g_i^0 = C(grad f_i(x^0)) as in Algorithm 1's suggested initialisation; ``full_first_round``
sends grad f_i(x^0) uncompressed instead (32 d bits per worker).

The compressor acts on each worker's whole vector (all blocks concatenated, per replication):
``topk`` (alpha = k/d), ``randk`` (unscaled, alpha = k/d in expectation; needs
``init(params, rng=...)`` -- the generator is kept in the state), ``sign`` (l1-scaled sign,
alpha >= 1/d). For positively homogeneous compressors (Top-K, sign) EF21-W's iterates equal
EF21's (substitute h_i = n w_i g_i); what differs is the step size the theory allows:

    theta = 1 - sqrt(1 - alpha),  beta = (1 - alpha)/theta,  xi = sqrt(beta/theta)
    EF21   (old analysis, Thm 1 of 2106.05203):   lr <= 1 / (L + L_QM * xi),  L_QM = sqrt(mean L_i^2)
    EF21-W (Thm 2 of 2402.10774; Thm 3 for EF21): lr <= 1 / (L + L_AM * xi),  L_AM = mean L_i

``stepsize`` computes both. Bits (``state.bits_up``; the uplink, as the EF21 papers count it):
per worker and round, Top-K / Rand-K k*(32 + ceil(log2 d)), sign d + 32 (per replication).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Callable, NamedTuple, Sequence

import numpy as np

from algorithms.constraints import Interval, OneOf, Positive
from algorithms.optim.base import COUNTER_BYTES, Tree, resolve_lr, workers_first
from algorithms.optim.compress import FLOAT_BITS, randk_dense, scaled_sign, sign_bits, topk_bits, topk_dense


def xi(alpha: float) -> float:
    """xi(alpha) = sqrt(beta/theta) = sqrt(1 - alpha) / (1 - sqrt(1 - alpha))."""
    if not 0.0 < alpha <= 1.0:
        raise ValueError(f"alpha: {alpha}; allowed: (0, 1]")
    r = math.sqrt(1.0 - alpha)
    return r / (1.0 - r)


def stepsize(L: float, L_workers: Sequence[float], alpha: float, mean: str = "am") -> float:
    """Largest theoretical step 1/(L + M xi(alpha)), M = mean L_i ('am') or sqrt(mean L_i^2) ('qm')."""
    Ls = np.asarray(L_workers, dtype=float)
    if mean == "am":
        M = float(Ls.mean())
    elif mean == "qm":
        M = float(np.sqrt(np.mean(Ls ** 2)))
    else:
        raise ValueError(f"mean: {mean!r}; allowed: 'am', 'qm'")
    return 1.0 / (L + M * xi(alpha))


class EF21State(NamedTuple):
    count: int
    g_workers: np.ndarray   # (n_workers, n_seeds, d)
    g: np.ndarray           # (n_seeds, d)
    rng: Any                # np.random.Generator for randk, else None
    bits_up: int

    @property
    def bits_communicated(self) -> int:
        return self.bits_up


class EF21:
    """EF21 (uniform weights). See the module docstring."""

    #: which mean of the L_i the theoretical step of ``theory_lr`` uses: EF21's original analysis
    #: (Richtarik et al. 2021, Thm 1) has L_QM; EF21-W's (2402.10774, Thm 2) has L_AM
    theory_mean = "qm"

    def __init__(self, lr: Annotated[float, Positive] = 0.01,
                 n_workers: Annotated[int, Interval(1)] = 4,
                 compressor: Annotated[str, OneOf("topk", "randk", "sign")] = "topk",
                 k: Annotated[int, Interval(1)] = 1,
                 full_first_round: bool = False, seed_axis: bool = False,
                 schedule: Callable[[Any], Any] | None = None) -> None:
        if compressor not in ("topk", "randk", "sign"):
            raise ValueError(f"compressor: {compressor!r}; allowed: 'topk', 'randk', 'sign'")
        self.lr, self.n_workers, self.compressor, self.k = float(lr), int(n_workers), compressor, int(k)
        self.full_first_round, self.seed_axis, self.schedule = bool(full_first_round), bool(seed_axis), schedule
        self.smoothness: list[float] | None = None

    # weights ---------------------------------------------------------------------------
    def weights(self) -> np.ndarray:
        return np.full(self.n_workers, 1.0 / self.n_workers)

    # layout ----------------------------------------------------------------------------
    def _split(self, params: Tree) -> tuple[list, int, int]:
        """[(name, shape, per-seed size)], n_seeds, d."""
        first = next(iter(params.values()))
        s = first.shape[0] if self.seed_axis else 1
        layout = [(k, p.shape, p.size // s) for k, p in params.items()]
        return layout, s, sum(n for _, _, n in layout)

    def alpha(self, d: int) -> float:
        """Contraction parameter of the compressor on R^d (worst case for sign)."""
        return 1.0 / d if self.compressor == "sign" else min(self.k, d) / d

    def theory_lr(self, L: float, L_workers: Sequence[float], d: int) -> float:
        """The largest step the analysis allows on R^d: ``stepsize(L, L_i, alpha(d), theory_mean)``."""
        return stepsize(L, L_workers, self.alpha(d), self.theory_mean)

    def message_bits(self, d: int) -> int:
        return sign_bits(d, 1) if self.compressor == "sign" else topk_bits(min(self.k, d), d)

    def init(self, params: Tree, rng: np.random.Generator | None = None) -> EF21State:
        if self.compressor == "randk" and rng is None:
            raise ValueError("rng: compressor 'randk' needs init(params, rng=np.random.Generator)")
        _, s, d = self._split(params)
        dtype = next(iter(params.values())).dtype
        return EF21State(0, np.zeros((self.n_workers, s, d), dtype), np.zeros((s, d), dtype),
                         rng if self.compressor == "randk" else None, 0)

    def _compress(self, x: np.ndarray, rng) -> np.ndarray:
        rows = x.reshape(-1, x.shape[-1])
        if self.compressor == "topk":
            out = topk_dense(rows, self.k)
        elif self.compressor == "randk":
            out = randk_dense(rows, self.k, rng)
        else:
            out = scaled_sign(rows, "l1")
        return out.reshape(x.shape)

    def update(self, grads: Tree, state: EF21State, params: Tree | None = None):
        n = self.n_workers
        lr = resolve_lr(self.lr, self.schedule, state.count)
        grads = {k: workers_first(np.asarray(v), self.seed_axis) for k, v in grads.items()}
        layout, s, d = self._split({k: v[0] for k, v in grads.items()})
        flat = np.concatenate([grads[k].reshape(n, s, size) for k, _, size in layout], axis=2)
        w = self.weights()
        target = flat / (n * w)[:, None, None]
        if state.count == 0 and self.full_first_round:
            c = target - state.g_workers
            bits = n * FLOAT_BITS * d
        else:
            c = self._compress(target - state.g_workers, state.rng)
            bits = n * self.message_bits(d)
        g_workers = state.g_workers + c
        g = state.g + np.tensordot(w, c, axes=(0, 0))
        updates, off = {}, 0
        for k, shape, size in layout:
            updates[k] = (-lr * g[:, off:off + size]).reshape(shape)
            off += size
        return updates, EF21State(state.count + 1, g_workers, g, state.rng, state.bits_up + bits)

    def state_bytes(self, state: EF21State) -> int:
        """The server's g plus ONE worker's g_i (what one machine holds)."""
        return COUNTER_BYTES + int(state.g.nbytes + state.g_workers.nbytes // self.n_workers)


class EF21W(EF21):
    """EF21-W: weights w_i = L_i / sum L_j from ``smoothness`` (the workers' L_i).

    ``smoothness`` is problem data: the experiment passes it, e.g.
    ``factory(smoothness=problem.L_i)`` (experiments/optim.py); the YAML default is null
    and ``init`` refuses to run without it (no silent fall-back to uniform weights).
    """

    theory_mean = "am"

    def __init__(self, lr: Annotated[float, Positive] = 0.01,
                 n_workers: Annotated[int, Interval(1)] = 4,
                 compressor: Annotated[str, OneOf("topk", "randk", "sign")] = "topk",
                 k: Annotated[int, Interval(1)] = 1,
                 full_first_round: bool = False, seed_axis: bool = False,
                 smoothness: list[float] | None = None,
                 schedule: Callable[[Any], Any] | None = None) -> None:
        super().__init__(lr, n_workers, compressor, k, full_first_round, seed_axis, schedule)
        if smoothness is not None:
            if len(smoothness) != self.n_workers or min(smoothness) <= 0:
                raise ValueError(f"smoothness: need {self.n_workers} positive numbers (one L_i per worker); "
                                 f"got {list(smoothness)}")
            self.smoothness = [float(x) for x in smoothness]

    def weights(self) -> np.ndarray:
        L = np.asarray(self.smoothness, dtype=float)
        return L / L.sum()

    def init(self, params: Tree, rng: np.random.Generator | None = None) -> EF21State:
        if self.smoothness is None:
            raise ValueError("smoothness: EF21-W needs the workers' smoothness constants L_i "
                             "(set by the experiment from the problem); got null")
        return super().init(params, rng)

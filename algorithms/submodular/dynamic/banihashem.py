"""Dynamic (1/2 - eps)-approximate submodular maximisation with sampled threshold levels.

Paper: Banihashem, Biabani, Goudarzi, Hajiaghayi, Jabbarzade, Monemizadeh, "Dynamic
Constrained Submodular Optimization with Polylogarithmic Update Time", ICML 2023 (PMLR
202:1660-1691; arXiv 2305.15192).

SOURCE STATUS -- read this first.
- The ICML 2023 full text is still NOT readable here (checked again): the project's search
  tool holds it (a SPIQA copy of the arXiv TeX) but returns only its opening (abstract and
  the first paragraphs of the introduction), and no repository in the code index contains it.
  So no section or algorithm of that paper can be cited, and its exact level/threshold rules
  and its polylog bound are UNCONFIRMED (a third-party table, Gao, Zhang & Zhang, AAAI 2026,
  "Improved Fully Dynamic Submodular Maximization Under Matroid Constraints", Table 1, lists
  O(eps^-11 log^6 k log^2 n) for it, while its own text attributes that bound to Lattanzi et
  al. 2020a: inconsistent, not used).
- What IS documented (same third-party paper, §"Dynamic Algorithm for Monotone Submodular
  Maximization", Algorithms 4-6 and Theorem 5, which it says follow "the dynamic framework
  of Banihashem et al. 2024" = the same authors' "Dynamic Algorithms for Matroid Submodular
  Maximization", SODA 2024 / arXiv 2306.00959, whose cardinality by-product has
  O(k eps^-1 log^2 k) expected queries): levels i with candidate sets R_i (the elements of
  R_{i-1} still "pickable" after u_1..u_{i-1}), u_i drawn uniformly from R_i; insertion walks
  the levels, adds the element to each R_i it qualifies for and makes it u_i with probability
  1/|R_i| (then rebuilds from i); deletion removes it and rebuilds from i if it was u_i; a
  level is (re)built by walking ONE random permutation of R_i and placing each element that
  cannot be picked by binary search over the levels; OPT guesses (1+eps)^j in parallel.
- Implemented: that framework specialised to a cardinality constraint (pickable = marginal
  gain >= tau, at most k levels), which gives the (1/2 - eps) guarantee below by
  construction; it is our best reading, not a transcription of the ICML 2023 algorithm.
  ``construct="permutation"`` (default) is the documented level construction;
  ``construct="filter"`` is this project's earlier one (same data structure and law, more
  oracle calls), kept for comparison.

One instance per OPT guess gamma (grid ratio 1 + eps, see ``_guesses``), threshold
tau = gamma / (2k). Levels l = 0, 1, ..., m-1 (m <= k), each holding
- the *filtered* set R_l = {present e : f(e | G_{<l}) >= tau}, G_{<l} = {I_0..I_{l-1}};
- the *sampled* element I_l, uniform on R_l; G = {I_0..I_{m-1}}.
Termination: m = k, or m < k and R_m is empty. Invariant check: with gamma <= OPT,
m = k gives f(G) = sum of gains >= k tau = gamma/2; m < k gives f(OPT) < f(G) + k tau, so
f(G) > OPT - gamma/2 >= gamma/2. For j* = floor(log_{1+eps} OPT) this is >= OPT/(2(1+eps)),
deterministically (the randomness only affects the cost).

Updates (R_l are nested, so an element is stored once, at its depth = deepest l with e in R_l):
- insert(v): walk l = 0, 1, ...: one oracle call f(v | G_{<l}) (f({v}) is shared); stop at the
  first level it fails. At each level it passes, v replaces the sample with probability
  1/|R_l| (reservoir rule, keeps I_l uniform on R_l) and levels >= l are rebuilt with v as
  I_l. If it passes all m < k levels, R_m was empty and v becomes I_m.
- delete(v): drop v from its level; if v was the sample I_l, rebuild levels >= l.
- rebuild from l ("permutation"): walk a uniform permutation of R_l (v first if an insertion
  forced it) with a current level c = l, l+1, ...: an element with f(e | G_{<c}) >= tau
  becomes I_c; any other is placed at its depth by binary search over [l, c - 1] (over
  [l, k - 1] once |G| = k). I_c is the first element of R_c after I_{c-1} in the permutation,
  so uniform on R_c. Cost about |R_l| (1 + log2 k) calls. ("filter": sample I_c uniformly
  from R_c, then filter R_c into R_{c+1} with one batched ``gains`` call: sum_{c>=l} |R_c|.)
Cost against an oblivious adversary: a deletion hits I_l with probability 1/|R_l| and a
rebuild from l costs O(|R_l| log k) ("filter": <= (k - l)|R_l|); insertions likewise; so the
expected amortised cost is O(k log k) ("filter": O(k^2)) calls per update per guess plus
O(depth) for an insertion's walk -- independent of n -- times O(log(k)/eps) live guesses.
An adaptive adversary that deletes solution elements defeats this (each such deletion
rebuilds from level 0 of the best guess): see ``streams.AdversarialDeletion``.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative, OneOf, OpenUnit
from algorithms.submodular.dynamic._guesses import GuessedDynamic
from algorithms.submodular.objective import Objective


STATE_CACHE_BYTES = 1 << 20


class _SampledLevels:
    """One guess: the sampled threshold levels described in the module docstring."""

    def __init__(self, obj: Objective, rng: np.random.Generator, k: int, tau: float,
                 construct: str = "permutation") -> None:
        self.obj, self.rng, self.k, self.tau = obj, rng, k, tau
        self.construct = construct
        self.depth = np.full(obj.n, -1, dtype=np.int64)
        self.pos = np.zeros(obj.n, dtype=np.int64)
        self.buckets: list[list[int]] = [[] for _ in range(k)]
        self.samples: list[int] = []
        self.gains: list[float] = []
        self._states: list = []            # cached states of G_<l (see _state_at)
        self.count = 0                     # |R_0| = number of elements stored
        self.value = 0.0                   # f(G) = sum of the recorded gains

    # --- bookkeeping --------------------------------------------------------------------

    def solution(self) -> list[int]:
        return list(self.samples)

    def _put(self, e: int, d: int) -> None:
        b = self.buckets[d]
        self.pos[e] = len(b)
        b.append(e)
        self.depth[e] = d
        self.count += 1

    def _take(self, e: int) -> None:
        b = self.buckets[self.depth[e]]
        i = self.pos[e]
        last = b[-1]
        b[i] = last
        self.pos[last] = i
        b.pop()
        self.depth[e] = -1
        self.count -= 1

    def _set_bucket(self, d: int, elems: np.ndarray) -> None:
        self.buckets[d] = elems.tolist()
        self.depth[elems] = d
        self.pos[elems] = np.arange(len(elems))

    def _state_before(self, level: int):
        """A fresh state of G_<level (the caller may mutate it)."""
        s = self.obj.empty()
        for e in self.samples[:level]:
            s = self.obj.add(e, s)
        return s

    def _state_at(self, level: int):
        """The state of G_<level for read-only use; cached while the levels below stay put
        (only when k + 1 copies of a state take <= STATE_CACHE_BYTES)."""
        if level < len(self._states):
            return self._states[level]
        s = self._state_before(level)
        if level == len(self._states) and \
                getattr(s, "nbytes", STATE_CACHE_BYTES) * (self.k + 1) <= STATE_CACHE_BYTES:
            self._states.append(s)
        return s

    # --- construction -----------------------------------------------------------------
    def build(self, cands: np.ndarray) -> None:
        self._set_bucket(0, np.asarray(cands, dtype=np.int64))
        self._rebuild(0)

    def _rebuild(self, level: int, sample: int | None = None, gain: float | None = None) -> None:
        """Redo levels >= level; ``sample`` (with its ``gain``), if given, is forced to be
        I_level (an insertion that won the coin)."""
        del self._states[level + 1:]
        if self.construct == "permutation":
            self._rebuild_permutation(level, sample, gain)
        else:
            self._rebuild_filter(level, self._state_before(level), sample, gain)
        self.count = sum(len(b) for b in self.buckets)
        self.value = float(sum(self.gains))

    def _rebuild_permutation(self, level: int, first: int | None, first_gain: float | None) -> None:
        """ConstructLevel by one random permutation of R_level (module doc, "permutation").

        Walk the permutation with a current level c (from ``level``): an element whose gain
        w.r.t. G_{<c} is >= tau becomes I_c (c += 1); any other element u is placed at its
        depth, the largest z in [level, c - 1] with u in R_z, found by binary search (u is in
        R_level, and membership is monotone in z by submodularity); once |G| = k the rest are
        placed by binary search over [level, k - 1]. I_c is the first element of R_c in the
        permutation after I_{c-1}, hence uniform on R_c given the levels below. The binary
        searches are deferred and run batched (``_bisect``): each element probes exactly the
        levels it would probe alone, so the oracle calls are those of the sequential walk."""
        del self.samples[level:], self.gains[level:]
        pool = [e for b in self.buckets[level:] for e in b if e != first]
        for d in range(level, self.k):
            self.buckets[d] = []
        order = [pool[i] for i in self.rng.permutation(len(pool))]
        if first is not None:
            order.insert(0, first)
        obj, tau, k = self.obj, self.tau, self.k
        states = [None] * (k + 1)
        states[level] = self._state_at(level)
        cur = level
        pending: list[tuple[int, list[int]]] = []        # (hi, elements to place in [level, hi])
        failed: list[int] = []
        for i, u in enumerate(order):
            if cur == k:
                pending.append((k - 1, order[i:]))
                break
            g = first_gain if (u == first and cur == level) else obj.gain(u, states[cur])
            if g >= tau:
                if failed:
                    pending.append((cur - 1, failed))
                    failed = []
                self.samples.append(u)
                self.gains.append(float(g))
                self._put(u, cur)
                cur += 1
                if cur < k:
                    states[cur] = self._state_at(cur)
            else:
                failed.append(u)
        if failed:
            pending.append((cur - 1, failed))
        for hi, elems in pending:
            self._bisect(level, hi, np.asarray(elems, dtype=np.int64), states)

    def _bisect(self, level: int, hi: int, elems: np.ndarray, states: list) -> None:
        """Place each element of R_level at the largest z in [level, hi] with gain(e | G_<z)
        >= tau, by per-element binary search, probing all elements at one level together."""
        lo = np.full(len(elems), level, dtype=np.int64)
        up = np.full(len(elems), hi, dtype=np.int64)
        while True:
            idx = np.flatnonzero(lo < up)
            if len(idx) == 0:
                break
            mid = (lo[idx] + up[idx] + 1) // 2
            for z in np.unique(mid):
                sel = idx[mid == z]
                ok = self.obj.gains(elems[sel], states[z]) >= self.tau
                lo[sel[ok]] = z
                up[sel[~ok]] = z - 1
        for d in np.unique(lo):
            es = elems[lo == d]
            b = self.buckets[d]
            self.pos[es] = len(b) + np.arange(len(es))
            self.depth[es] = d
            b.extend(es.tolist())

    def _rebuild_filter(self, level: int, state, sample: int | None = None,
                        gain: float | None = None) -> None:
        """ConstructLevel by sampling I_j from R_j and filtering R_j into R_{j+1} with one
        batched ``gains`` call per level (module doc, "filter")."""
        if sample is not None:
            self._put(sample, level)
        del self.samples[level:], self.gains[level:]
        pool = np.asarray([e for b in self.buckets[level:] for e in b], dtype=np.int64)
        for d in range(level + 1, self.k):
            self.buckets[d] = []
        j = level
        while True:
            if len(pool) == 0:
                self._set_bucket(j, pool)
                return
            if sample is None:
                sample = int(pool[self.rng.integers(len(pool))])
                gain = self.obj.gain(sample, state)
            self.samples.append(sample)
            self.gains.append(float(gain))
            state = self.obj.add(sample, state)
            rest = pool[pool != sample]
            if j + 1 == self.k:
                self._set_bucket(j, pool)
                return
            g = self.obj.gains(rest, state)
            ok = g >= self.tau
            self._set_bucket(j, np.concatenate([rest[~ok], [sample]]))
            pool = rest[ok]
            j += 1
            sample = None

    # --- updates ----------------------------------------------------------------------
    def insert(self, v: int, single: float) -> None:
        tau = self.tau
        if single < tau:
            return
        m = len(self.samples)
        gain, coin, buckets, states = self.obj.gain, self.rng.random, self.buckets, self._states
        size = self.count + 1                   # |R_level| + 1 (v included), level = 0
        for level in range(m):
            if level:
                g = gain(v, states[level] if level < len(states) else self._state_at(level))
                if g < tau:
                    self._put(v, level - 1)
                    return
            else:
                g = single
            if coin() * size < 1.0:             # v becomes the sample, probability 1/size
                self._rebuild(level, sample=v, gain=g)
                return
            size -= len(buckets[level])
        if m == self.k:
            self._put(v, self.k - 1)
            return
        g = single if m == 0 else self.obj.gain(v, self._state_at(m))
        if g >= self.tau:  # R_m was empty: v is its only element and its sample
            self._rebuild(m, sample=v, gain=g)
        else:
            self._put(v, m - 1)

    def delete(self, v: int) -> None:
        d = int(self.depth[v])
        if d < 0:
            return
        self._take(v)
        if d < len(self.samples) and self.samples[d] == v:
            self._rebuild(d)


class BanihashemDynamic(GuessedDynamic):
    """Banihashem et al. (ICML 2023) as reconstructed in the module docstring.

    k: cardinality bound. eps: OPT-guess grid ratio 1 + eps (approximation
    1/(2(1+eps)) >= 1/2 - eps/2). guess_slack: hysteresis of the guess window in grid
    steps (instances are kept that far outside [floor log M, floor log kM]).
    construct: how a level is rebuilt -- ``permutation`` (the documented one permutation +
    binary search construction) or ``filter`` (one batched filter per level).
    """

    def __init__(self, k: Annotated[int, Interval(1)] = 10,
                 eps: Annotated[float, OpenUnit] = 0.1,
                 guess_slack: Annotated[int, NonNegative] = 1,
                 construct: Annotated[str, OneOf("permutation", "filter")] = "permutation"
                 ) -> None:
        self.k, self.eps, self.guess_slack = int(k), float(eps), int(guess_slack)
        self.construct = construct
        self.base, self.slack = 1.0 + self.eps, self.guess_slack

    def _make_instance(self, gamma: float, tau: float) -> _SampledLevels:
        return _SampledLevels(self.obj, self.rng, self.k, tau, self.construct)

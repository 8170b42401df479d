"""Update streams for fully dynamic submodular maximisation (PAPERS.md §3 workloads).

An update is a signed int: ``+(e + 1)`` inserts element e, ``-(e + 1)`` deletes it (so
element 0 is representable); ``decode(u) -> (is_insert, e)``. Every stream is valid: an
element is inserted only while absent and deleted only while present; streams start empty.

Interface (every class; constructors take plain config values, the ground-set size n and
the rng come at generation time):
- ``length(n) -> int``: the exact number of updates produced for a ground set of size n;
- ``generator(n, rng)``: a Python generator of updates. It is *adaptive-ready*: the driver
  calls ``next`` for the first update and ``send(solution)`` afterwards, passing the
  algorithm's current solution (list of ints) after the previous update. Oblivious streams
  ignore what is sent; ``AdversarialDeletion`` uses it.
- ``generate(n, rng) -> np.ndarray`` (oblivious streams only, ``adaptive = False``): the
  whole stream as an int64 array.
"""

from __future__ import annotations

from typing import Annotated, Iterator

import numpy as np

from algorithms.constraints import Interval, OneOf, Positive, Probability


def insert_code(e: int) -> int:
    return int(e) + 1


def delete_code(e: int) -> int:
    return -(int(e) + 1)


def decode(u: int) -> tuple[bool, int]:
    u = int(u)
    return u > 0, abs(u) - 1


class _Oblivious:
    adaptive = False

    def generator(self, n: int, rng: np.random.Generator) -> Iterator[int]:
        for u in self.generate(n, rng):
            yield int(u)


class InsertThenDelete(_Oblivious):
    """Insert all n elements in random order, then delete them all.

    delete_order: ``random`` (an independent random order), ``fifo`` (insertion order),
    ``lifo`` (reverse insertion order).
    """

    def __init__(self, delete_order: Annotated[str, OneOf("random", "fifo", "lifo")] = "random"
                 ) -> None:
        self.delete_order = delete_order

    def length(self, n: int) -> int:
        return 2 * n

    def generate(self, n: int, rng: np.random.Generator) -> np.ndarray:
        ins = rng.permutation(n)
        if self.delete_order == "random":
            dele = rng.permutation(n)
        elif self.delete_order == "fifo":
            dele = ins
        else:
            dele = ins[::-1]
        return np.concatenate([ins + 1, -(dele + 1)]).astype(np.int64)


class SlidingWindow(_Oblivious):
    """Elements arrive in random order; each lives for w arrivals (then deleted).

    w = ``width`` if given, else max(1, round(``fraction`` * n)) -- a window proportional to
    the ground set, so the number of present elements (hence what a recompute costs) scales
    with n. After the arrival of the t-th element (t > w) the (t - w)-th is deleted; the last
    w elements stay. Length 2n - min(w, n).
    """

    def __init__(self, width: Annotated[int | None, Interval(1)] = None,
                 fraction: Annotated[float | None, Interval(0, 1, lo_open=True)] = None) -> None:
        if width is None and fraction is None:
            width = 100
        self.width = None if width is None else int(width)
        self.fraction = None if fraction is None else float(fraction)

    def window(self, n: int) -> int:
        if self.width is not None:
            return self.width
        return max(1, int(round(self.fraction * n)))

    def length(self, n: int) -> int:
        return 2 * n - min(self.window(n), n)

    def generate(self, n: int, rng: np.random.Generator) -> np.ndarray:
        w = self.window(n)
        order = rng.permutation(n)
        out = np.empty(self.length(n), dtype=np.int64)
        i = 0
        for t in range(n):
            out[i] = order[t] + 1
            i += 1
            if t >= w:
                out[i] = -(order[t - w] + 1)
                i += 1
        return out


class _Pool:
    """Indexable set of ints with O(1) add, remove and uniform sampling."""

    def __init__(self, items: list[int], n: int) -> None:
        self.items = list(items)
        self.pos = np.full(n, -1, dtype=np.int64)
        for i, e in enumerate(self.items):
            self.pos[e] = i

    def __len__(self) -> int:
        return len(self.items)

    def add(self, e: int) -> None:
        self.pos[e] = len(self.items)
        self.items.append(e)

    def remove(self, e: int) -> None:
        i = self.pos[e]
        last = self.items[-1]
        self.items[i] = last
        self.pos[last] = i
        self.items.pop()
        self.pos[e] = -1

    def sample(self, rng: np.random.Generator) -> int:
        return self.items[int(rng.integers(len(self.items)))]


class RandomMixed(_Oblivious):
    """Random inserts and deletes: round(length * n) updates from the empty set.

    Each update inserts a uniformly random absent element with probability ``insert_prob``
    (always when nothing is present), otherwise deletes a uniformly random present element
    (always when everything is present).
    """

    def __init__(self, insert_prob: Annotated[float, Probability] = 0.6,
                 length: Annotated[float, Positive] = 2.0) -> None:
        if insert_prob <= 0.0:
            raise ValueError("insert_prob: must be > 0 (nothing could ever be inserted); "
                             "allowed: (0, 1]")
        self.insert_prob, self.length_factor = float(insert_prob), float(length)

    def length(self, n: int) -> int:
        return int(round(self.length_factor * n))

    def generate(self, n: int, rng: np.random.Generator) -> np.ndarray:
        absent, present = _Pool(list(range(n)), n), _Pool([], n)
        out = np.empty(self.length(n), dtype=np.int64)
        for t in range(len(out)):
            if len(present) == 0 or (len(absent) and rng.random() < self.insert_prob):
                e = absent.sample(rng)
                absent.remove(e)
                present.add(e)
                out[t] = e + 1
            else:
                e = present.sample(rng)
                present.remove(e)
                absent.add(e)
                out[t] = -(e + 1)
        return out


class AdversarialDeletion:
    """Adaptive: insert all n elements (random order), then attack the current solution.

    Each of round(attacks * n) rounds deletes a uniformly random element of the algorithm's
    current solution (a random present element if the solution is empty); if ``reinsert``,
    it then inserts a uniformly random absent element other than the one just deleted (when
    there is one), so the ground set stays full. Without ``reinsert`` the number of rounds
    is capped at n. The solution is the one sent by the driver after the previous update.
    """

    adaptive = True

    def __init__(self, attacks: Annotated[float, Positive] = 1.0, reinsert: bool = True) -> None:
        self.attacks, self.reinsert = float(attacks), bool(reinsert)

    def _rounds(self, n: int) -> int:
        r = int(round(self.attacks * n))
        return r if self.reinsert else min(r, n)

    def length(self, n: int) -> int:
        return n + self._rounds(n) * (2 if self.reinsert else 1)

    def generator(self, n: int, rng: np.random.Generator) -> Iterator[int]:
        present, absent = _Pool([], n), _Pool([], n)
        sol = None
        for e in rng.permutation(n):
            sol = yield int(e) + 1
            present.add(int(e))
        for _ in range(self._rounds(n)):
            cands = [int(e) for e in (sol or []) if 0 <= e < n and present.pos[e] >= 0]
            e = cands[int(rng.integers(len(cands)))] if cands else present.sample(rng)
            present.remove(e)
            sol = yield -(e + 1)
            if self.reinsert:
                if len(absent):
                    x = absent.sample(rng)
                    absent.remove(x)
                else:
                    x = e
                if x != e:
                    absent.add(e)
                present.add(x)
                sol = yield x + 1
            else:
                absent.add(e)

"""Trace specs: synthetic generators and file loaders, each built from plain config values.

Every class here is a *spec*: its constructor takes only plain values (so a YAML ``_target_``
names it) and ``generate(rng) -> Trace`` produces the trace. Generators draw from ``rng``;
loaders ignore it (``generate(rng)`` just calls ``load()``), so an experiment treats both alike.
Ids are re-mapped to 0..n-1 by first appearance (``Trace.from_raw``); next arrivals are computed
lazily in O(n) (``Trace.next_arrival``).

Generators:
  * ``Zipf``: i.i.d. requests with P(rank r) ∝ r^-alpha, sampled by inverse CDF (a guide-table
    accelerated search that returns exactly ``np.searchsorted(cdf, u, side="right")``).
  * ``Loop``: cyclic scan 0, 1, ..., m-1, 0, 1, ...
  * ``ShiftingWorkingSet``: uniform requests inside a window of pages that slides over time.
  * ``LRUAdversarial``: k+1 pages requested cyclically, the sequence on which LRU and FIFO miss
    every request (Sleator & Tarjan 1985, the deterministic lower bound); or uniformly random among
    the k+1 pages, never repeating the previous one (the distribution behind the H_k lower bound
    for randomized paging, Fiat et al. 1991).

Loaders (file formats; paths are absolute or relative to the project root):
  * ``TextTrace``: one integer id per line (blank lines and lines starting with '#' skipped).
  * ``CsvTrace``: a CSV file with a header row; the id column (and optionally a size column) is
    chosen by name.
  * ``OracleGeneralTrace``: libCacheSim's oracleGeneral binary format, little-endian records
    ``<u4 time, <u8 id, <u4 size, <i8 next_vtime>`` (24 bytes); sizes go to ``Trace.sizes``.
    ``write_oracle_general`` writes this format (next_vtime = index of the next request to the
    same object, -1 if none, as libCacheSim's reader expects).

Malformed input raises ``ValueError`` naming the file and the position (line, or record and byte
offset). Reference for the format: libCacheSim ``traceReader/customizedReader/oracle/
oracleGeneralBin.h`` (24-byte record; next_access_vtime -1 means "no further access").
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Annotated

import numpy as np
from numba import njit

from algorithms.constraints import Interval, NonNegative, OneOf
from algorithms.paging.core import Trace, next_arrivals

PROJECT_ROOT = Path(__file__).resolve().parents[2]

ORACLE_GENERAL_DTYPE = np.dtype(
    [("time", "<u4"), ("id", "<u8"), ("size", "<u4"), ("next_vtime", "<i8")]
)
assert ORACLE_GENERAL_DTYPE.itemsize == 24


# --------------------------------------------------------------------------- generators

@njit(cache=True)
def _guide_table(cdf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bucket b covers u in [b/m, (b+1)/m); guide[b] = first i with cdf[i] > thr[b] = b/m."""
    m = len(cdf)
    thr = np.empty(m, dtype=np.float64)
    guide = np.empty(m, dtype=np.int64)
    i = 0
    for b in range(m):
        thr[b] = b / m
        while i < m - 1 and cdf[i] <= thr[b]:
            i += 1
        guide[b] = i
    return thr, guide


@njit(cache=True)
def _inverse_cdf(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    """searchsorted(cdf, u, side='right') clipped to m-1, in expected O(1) per draw."""
    thr, guide = _guide_table(cdf)
    m = len(cdf)
    out = np.empty(len(u), dtype=np.int64)
    for t in range(len(u)):
        x = u[t]
        b = min(int(x * m), m - 1)
        while b > 0 and thr[b] > x:                 # float rounding of x*m; keep thr[b] <= x
            b -= 1
        i = guide[b]
        while i < m - 1 and cdf[i] <= x:
            i += 1
        out[t] = i
    return out


def zipf_cdf(alpha: float, n_objects: int) -> np.ndarray:
    """Normalised cumulative weights of P(rank r) ∝ r^-alpha, r = 1..n_objects (last entry 1)."""
    w = np.arange(1, n_objects + 1, dtype=np.float64) ** (-float(alpha))
    cdf = np.cumsum(w)
    cdf /= cdf[-1]
    cdf[-1] = 1.0
    return cdf


class Zipf:
    """i.i.d. requests over n_objects pages with P(rank r) ∝ r^-alpha (alpha=0: uniform).

    Inverse-CDF sampling: u ~ U[0,1), id = first rank whose cumulative weight exceeds u.
    10M requests over 1M objects take well under a second.
    """

    def __init__(
        self,
        alpha: Annotated[float, NonNegative] = 0.9,
        n_objects: Annotated[int, Interval(1)] = 1000,
        length: Annotated[int, Interval(1)] = 100_000,
    ) -> None:
        self.alpha, self.n_objects, self.length = float(alpha), int(n_objects), int(length)

    def generate(self, rng: np.random.Generator) -> Trace:
        cdf = zipf_cdf(self.alpha, self.n_objects)
        raw = _inverse_cdf(cdf, rng.random(self.length))
        return Trace.from_raw(raw, name=f"zipf(alpha={self.alpha:g},n={self.n_objects})")


class Loop:
    """Cyclic scan of m pages: 0, 1, ..., m-1, 0, 1, ... (deterministic; rng unused)."""

    def __init__(
        self,
        m: Annotated[int, Interval(1)] = 11,
        length: Annotated[int, Interval(1)] = 10_000,
    ) -> None:
        self.m, self.length = int(m), int(length)

    def generate(self, rng: np.random.Generator) -> Trace:
        return Trace.from_raw(np.arange(self.length, dtype=np.int64) % self.m, name=f"loop(m={self.m})")


class ShiftingWorkingSet:
    """Requests uniform over a window of ``working_set`` consecutive pages (mod n_objects).

    Every ``phase_length`` requests the window slides forward by ``shift`` pages, so
    ``shift`` new pages enter and ``shift`` old ones leave. With probability ``noise`` a request
    is instead uniform over all n_objects pages.
    """

    def __init__(
        self,
        n_objects: Annotated[int, Interval(1)] = 1000,
        working_set: Annotated[int, Interval(1)] = 50,
        phase_length: Annotated[int, Interval(1)] = 1000,
        shift: Annotated[int, NonNegative] = 10,
        noise: Annotated[float, Interval(0, 1)] = 0.0,
        length: Annotated[int, Interval(1)] = 100_000,
    ) -> None:
        if working_set > n_objects:
            raise ValueError(
                f"working_set: {working_set} exceeds n_objects={n_objects}; allowed: 1..n_objects"
            )
        self.n_objects, self.working_set = int(n_objects), int(working_set)
        self.phase_length, self.shift = int(phase_length), int(shift)
        self.noise, self.length = float(noise), int(length)

    def generate(self, rng: np.random.Generator) -> Trace:
        t = np.arange(self.length, dtype=np.int64)
        start = (t // self.phase_length) * self.shift
        raw = (start + rng.integers(0, self.working_set, self.length)) % self.n_objects
        if self.noise > 0:
            flip = rng.random(self.length) < self.noise
            raw[flip] = rng.integers(0, self.n_objects, int(flip.sum()))
        return Trace.from_raw(raw, name=f"shifting_ws(w={self.working_set},shift={self.shift})")


class LRUAdversarial:
    """Adversarial sequences for a cache of size k over k+1 pages.

    ``mode="cycle"``: 0, 1, ..., k, 0, 1, ... -- every request after the first k is the page
    LRU (and FIFO) just evicted, so they miss every time, while Belady misses about once per k
    requests (ratio ≈ k). ``mode="random"``: each request is uniform over the k other pages
    than the previous request -- the classic distribution forcing H_k for randomized algorithms.
    """

    def __init__(
        self,
        k: Annotated[int, Interval(1)] = 10,
        length: Annotated[int, Interval(1)] = 10_000,
        mode: Annotated[str, OneOf("cycle", "random")] = "cycle",
    ) -> None:
        self.k, self.length, self.mode = int(k), int(length), str(mode)

    def generate(self, rng: np.random.Generator) -> Trace:
        m = self.k + 1
        if self.mode == "cycle":
            raw = np.arange(self.length, dtype=np.int64) % m
        else:
            steps = rng.integers(1, m, self.length)     # offset 1..k: never the previous page
            steps[0] = 0
            raw = np.cumsum(steps) % m
        return Trace.from_raw(raw, name=f"lru_adversarial(k={self.k},{self.mode})")


class RandomAdversarial(LRUAdversarial):
    """k+1 pages, each request uniform over the k pages other than the previous one: the
    sequence behind the H_k lower bound for randomized paging (Fiat et al. 1991). The
    ``mode="random"`` case of ``LRUAdversarial`` as a choice of its own (a YAML keeps the
    constructor's defaults)."""

    def __init__(
        self,
        k: Annotated[int, Interval(1)] = 10,
        length: Annotated[int, Interval(1)] = 10_000,
    ) -> None:
        super().__init__(k=k, length=length, mode="random")


# --------------------------------------------------------------------------- loaders

def resolve_path(path: str) -> Path:
    """An absolute path, or a path relative to the project root that stays inside it."""
    from algorithms.paths import resolve_config_path

    return resolve_config_path(path, PROJECT_ROOT)


class _FileTrace:
    """A trace read from a file; ``generate(rng)`` ignores rng and returns ``load()``."""

    def __init__(self, path: str) -> None:
        self.path = str(path)
        self.file = resolve_path(path)
        if not self.file.is_file():
            raise ValueError(
                f"path: no such file {self.file} (relative paths are taken from the project "
                f"root {PROJECT_ROOT}); allowed: an existing file"
            )

    def generate(self, rng: np.random.Generator | None = None) -> Trace:
        return self.load()

    def validate(self) -> None:
        """Parse the file now (in the driver), so a malformed trace stops the sweep before any job."""
        self.load()

    def load(self) -> Trace:
        raise NotImplementedError

    def _finish(self, raw: np.ndarray, sizes: np.ndarray | None) -> Trace:
        if len(raw) == 0:
            raise ValueError(f"{self.file}: empty trace (no requests)")
        return Trace.from_raw(raw, sizes=sizes, name=self.file.name)


def _parse_int(token: str, where: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise ValueError(f"{where}: id {token!r} is not an integer") from None


class TextTrace(_FileTrace):
    """One integer id per line; blank lines and '#' comment lines are skipped."""

    def __init__(self, path: str) -> None:
        super().__init__(path)

    def load(self) -> Trace:
        data = self.file.read_bytes()
        tokens = data.split()
        try:                                              # fast path: a clean file
            if b"#" in data:
                raise ValueError
            raw = np.array(tokens, dtype=np.int64) if tokens else np.zeros(0, np.int64)
        except (ValueError, OverflowError):
            raw = self._slow_parse(data)
        return self._finish(raw, None)

    def _slow_parse(self, data: bytes) -> np.ndarray:
        ids = []
        for lineno, line in enumerate(data.decode(errors="replace").splitlines(), start=1):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            ids.append(_parse_int(s, f"{self.file}: line {lineno}"))
        return np.array(ids, dtype=np.int64)


class CsvTrace(_FileTrace):
    """A CSV file with a header row; ids from column ``id_column``, sizes from ``size_column``.

    ``id_type="int"`` requires integer ids; ``"str"`` accepts any string id (e.g. a station
    code), re-mapped by first appearance like integers.
    """

    def __init__(
        self,
        path: str,
        id_column: str = "id",
        size_column: str | None = None,
        delimiter: str = ",",
        id_type: Annotated[str, OneOf("int", "str")] = "int",
    ) -> None:
        if len(delimiter) != 1:
            raise ValueError(f"delimiter: {delimiter!r} must be one character")
        super().__init__(path)
        self.id_column, self.size_column = str(id_column), size_column
        self.delimiter, self.id_type = str(delimiter), str(id_type)

    def load(self) -> Trace:
        with open(self.file, newline="") as f:
            reader = csv.reader(f, delimiter=self.delimiter)
            header = next(reader, None)
            if header is None:
                raise ValueError(f"{self.file}: empty file (expected a header row)")
            header = [h.strip() for h in header]
            cols = {}
            for want in [self.id_column] + ([self.size_column] if self.size_column else []):
                if want not in header:
                    raise ValueError(
                        f"{self.file}: line 1: no column {want!r}; columns present: {header}"
                    )
                cols[want] = header.index(want)
            i_id = cols[self.id_column]
            i_size = cols.get(self.size_column) if self.size_column else None
            ids: list = []
            sizes: list[int] = []
            for lineno, row in enumerate(reader, start=2):
                if not row or all(not c.strip() for c in row):
                    continue
                where = f"{self.file}: line {lineno}"
                if len(row) <= max(i_id, i_size if i_size is not None else 0):
                    raise ValueError(f"{where}: {len(row)} fields, header has {len(header)}")
                tok = row[i_id].strip()
                ids.append(_parse_int(tok, where) if self.id_type == "int" else tok)
                if i_size is not None:
                    size = _parse_int(row[i_size].strip(), where + f" (column {self.size_column!r})")
                    sizes.append(size)
        raw = np.array(ids, dtype=np.int64 if self.id_type == "int" else object)
        if self.id_type == "str" and len(raw):
            _, raw = np.unique(raw.astype(str), return_inverse=True)
        return self._finish(raw, np.array(sizes, dtype=np.int64) if i_size is not None else None)


class OracleGeneralTrace(_FileTrace):
    """libCacheSim oracleGeneral binary trace: 24-byte little-endian records.

    ``<u4 time, <u8 id, <u4 size, <i8 next_vtime>``; the file's next_vtime is not trusted
    (next arrivals are recomputed from the ids). ``use_sizes=False`` drops the sizes.
    """

    def __init__(self, path: str, use_sizes: bool = True) -> None:
        super().__init__(path)
        self.use_sizes = bool(use_sizes)

    def load(self) -> Trace:
        nbytes = self.file.stat().st_size
        rec = ORACLE_GENERAL_DTYPE.itemsize
        if nbytes == 0:
            raise ValueError(f"{self.file}: empty trace (no requests)")
        if nbytes % rec:
            full = nbytes // rec
            raise ValueError(
                f"{self.file}: truncated record {full} at byte offset {full * rec} "
                f"({nbytes % rec} of {rec} bytes); file size {nbytes} is not a multiple of {rec}"
            )
        data = np.fromfile(self.file, dtype=ORACLE_GENERAL_DTYPE)
        sizes = data["size"].astype(np.int64) if self.use_sizes else None
        return self._finish(data["id"], sizes)


def write_oracle_general(
    path: str | os.PathLike,
    ids: np.ndarray,
    sizes: np.ndarray | None = None,
    times: np.ndarray | None = None,
) -> None:
    """Write ids (and sizes, default 1; times, default the request index) as oracleGeneral.

    next_vtime of request t = index of the next request to the same id, -1 if none.
    """
    ids = np.asarray(ids)
    n = len(ids)
    rec = np.zeros(n, dtype=ORACLE_GENERAL_DTYPE)
    rec["time"] = np.arange(n) if times is None else times
    rec["id"] = ids
    rec["size"] = 1 if sizes is None else sizes
    nxt = next_arrivals(ids)
    rec["next_vtime"] = np.where(nxt >= n, -1, nxt)
    rec.tofile(str(path))

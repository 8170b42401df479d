"""Data for submodular objectives: synthetic generators and file loaders.

Generators take the caller's ``np.random.Generator`` (no global RNG) and return plain arrays:
clustered points (facility location, log-det), random set systems (coverage) and sparse
nonnegative features (feature-based).  Loaders read a 2-d numeric table from ``.npy`` or
CSV; a relative path is resolved against the project root (the directory holding
``algorithms/``), so configs can name ``data/points.csv`` wherever the job runs from.
Malformed input raises ``ValueError`` naming the file and the line/column (or row/column).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parents[2]


# --- generators -------------------------------------------------------------------------
def clustered_points(rng: np.random.Generator, n: int, dim: int, n_clusters: int,
                     cluster_std: float = 1.0, spread: float = 4.0) -> np.ndarray:
    """n points in R^dim from an isotropic Gaussian mixture (equal weights).

    Centres ~ N(0, spread^2 I); each point = its centre + N(0, cluster_std^2 I).
    """
    centres = rng.normal(0.0, spread, size=(n_clusters, dim))
    labels = rng.integers(0, n_clusters, size=n)
    return centres[labels] + rng.normal(0.0, cluster_std, size=(n, dim))


def random_set_system(rng: np.random.Generator, n_sets: int, n_items: int,
                      mean_set_size: float, item_skew: float = 1.0
                      ) -> tuple[np.ndarray, np.ndarray]:
    """A random set system as CSR arrays ``(indptr, indices)`` (row i = items of set i).

    Set sizes are 1 + Poisson(mean_set_size - 1), capped at n_items; items are drawn without
    replacement with probability proportional to (rank + 1)^-item_skew (0 = uniform; larger
    values make a few popular items that many sets share, so overlaps matter).
    """
    sizes = np.minimum(1 + rng.poisson(max(mean_set_size - 1.0, 0.0), size=n_sets), n_items)
    p = (np.arange(1, n_items + 1, dtype=float)) ** (-float(item_skew))
    p /= p.sum()
    # Gumbel top-m trick: the m largest of log p + Gumbel noise are a weighted sample
    # without replacement (same law as successive draws) -- vectorised over sets.
    indptr = np.zeros(n_sets + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(sizes)
    indices = np.empty(indptr[-1], dtype=np.int64)
    logp = np.log(p)
    block = max(1, 2_000_000 // max(n_items, 1))
    for lo in range(0, n_sets, block):
        hi = min(n_sets, lo + block)
        keys = logp[None, :] + rng.gumbel(size=(hi - lo, n_items))
        order = np.argsort(-keys, axis=1)
        for r in range(hi - lo):
            m = sizes[lo + r]
            indices[indptr[lo + r]:indptr[lo + r + 1]] = np.sort(order[r, :m])
    return indptr, indices


def random_features(rng: np.random.Generator, n: int, n_features: int,
                    density: float) -> np.ndarray:
    """Nonnegative features: each entry nonzero w.p. ``density`` with an Exp(1) value."""
    mask = rng.random((n, n_features)) < density
    return np.where(mask, rng.exponential(1.0, size=(n, n_features)), 0.0)


# --- loaders ----------------------------------------------------------------------------
def resolve_path(path: str) -> Path:
    """An absolute path as given; a relative one is taken from the project root and must stay
    inside it."""
    from algorithms.paths import resolve_config_path

    return resolve_config_path(path, PROJECT_ROOT)


def load_table(path: str) -> np.ndarray:
    """A 2-d float64 array from ``.npy`` or CSV (comma-separated; ``#`` comment lines and one
    all-text header line are skipped).  Raises ValueError naming file and position."""
    p = resolve_path(path)
    if not p.is_file():
        raise ValueError(f"path: file {p} does not exist")
    arr = _load_npy(p) if p.suffix == ".npy" else _load_csv(p)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{p}: expected a non-empty 2-d table, got shape {arr.shape}")
    bad = np.argwhere(~np.isfinite(arr))
    if len(bad):
        r, c = bad[0]
        raise ValueError(f"{p}: row {r}, column {c}: value {arr[r, c]!r} is not finite")
    return arr


def _load_npy(p: Path) -> np.ndarray:
    try:
        arr = np.load(p, allow_pickle=False)
    except Exception as exc:  # noqa: BLE001 - re-raised with the file named
        raise ValueError(f"{p}: not a readable .npy array ({exc})") from exc
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{p}: dtype {arr.dtype} is not numeric")
    return np.asarray(arr, dtype=np.float64)


def _load_csv(p: Path) -> np.ndarray:
    rows: list[list[float]] = []
    width = None
    with open(p, newline="") as fh:
        for lineno, fields in enumerate(csv.reader(fh), start=1):
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if fields[0].lstrip().startswith("#"):
                continue
            parsed = []
            for cell in fields:
                try:
                    parsed.append(float(cell))
                except ValueError:
                    parsed.append(None)
            if not rows and width is None and all(v is None for v in parsed):
                width = len(fields)                      # a header line
                continue
            for col, v in enumerate(parsed, start=1):
                if v is None:
                    raise ValueError(f"{p}: line {lineno}, column {col}: cannot parse "
                                     f"{fields[col - 1]!r} as a number")
            if width is None:
                width = len(parsed)
            if len(parsed) != width:
                raise ValueError(f"{p}: line {lineno} has {len(parsed)} fields, "
                                 f"expected {width}")
            rows.append(parsed)  # type: ignore[arg-type]
    if not rows:
        raise ValueError(f"{p}: no data rows")
    return np.asarray(rows, dtype=np.float64)


def take_rows(table: np.ndarray, n: int | None, path: str) -> np.ndarray:
    """The first n rows of a loaded table (all if n is None); error if it has fewer."""
    if n is None:
        return table
    if table.shape[0] < n:
        raise ValueError(f"n: {n} rows requested but {path} has only {table.shape[0]}; "
                         f"allowed: n <= {table.shape[0]} or n=null (all rows)")
    return table[:n]

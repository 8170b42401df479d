"""Objectives: values against formulas written here, submodularity properties, gain/value
consistency, oracle counting, kernels, data generators and loaders."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.spatial.distance import cdist

from algorithms.submodular import data
from algorithms.submodular.objectives.coverage import CoverageInstance, WeightedCoverage
from algorithms.submodular.objectives.facility_location import FacilityLocationInstance
from algorithms.submodular.objectives.feature_based import FeatureBasedInstance
from algorithms.submodular.objectives.kernels import dense_similarity, knn_similarity
from algorithms.submodular.objectives.log_det import LogDetInstance
from tests.submodular.sm_cases import KINDS, instrument, make

SETTINGS = settings(max_examples=25, deadline=None)
seeds = st.integers(0, 2**31 - 1)


def reference_value(obj, subset) -> float:
    """f(S) by the textbook definition, with plain Python loops (independent of the module)."""
    s = sorted(set(int(e) for e in subset))
    name = type(obj).__name__
    if name == "FacilityLocation":
        sim = obj.sim.astype(float)
        return sum(max((sim[i, j] for i in s), default=0.0) for j in range(sim.shape[1]))
    if name == "SparseFacilityLocation":
        best: dict[int, float] = {}
        for i in s:
            for p in range(obj.indptr[i], obj.indptr[i + 1]):
                j = int(obj.indices[p])
                best[j] = max(best.get(j, 0.0), float(obj.data[p]))
        return sum(best.values())
    if name == "WeightedCoverage":
        covered = set()
        for i in s:
            covered |= set(obj.indices[obj.indptr[i]:obj.indptr[i + 1]].tolist())
        return sum(obj.weights[u] for u in covered)
    if name == "FeatureBased":
        g = math.sqrt if obj.concave == "sqrt" else math.log1p
        return sum(obj.weights[u] * g(sum(obj.features[i, u] for i in s))
                   for u in range(obj.features.shape[1]))
    if name == "LogDet":
        if not s:
            return 0.0
        from scipy.linalg import cholesky
        m = np.eye(len(s)) + obj.alpha * obj.K[np.ix_(s, s)]
        return 2.0 * float(np.log(np.diag(cholesky(m))).sum())
    raise KeyError(name)


def tol(x: float) -> float:
    return 1e-6 * max(1.0, abs(x))


@SETTINGS
@given(kind=st.sampled_from(KINDS), n=st.integers(1, 8), seed=seeds, data_=st.data())
def test_value_matches_textbook_formula(kind, n, seed, data_):
    """value(S) equals the definition evaluated with Python loops (scipy Cholesky for log-det)."""
    obj = make(kind, n, seed)
    s = data_.draw(st.lists(st.integers(0, n - 1), max_size=n))
    assert obj.value(s) == pytest.approx(reference_value(obj, s), rel=1e-6, abs=1e-9)
    assert obj.value([]) == 0.0


@SETTINGS
@given(kind=st.sampled_from(KINDS), n=st.integers(1, 9), seed=seeds, data_=st.data())
def test_gains_equal_value_differences(kind, n, seed, data_):
    """gain(e | state of S) == f(S + e) - f(S) for every e (0 for e in S), with the state built
    by add() in a random order; single gain() agrees with batched gains() bit for bit."""
    obj = make(kind, n, seed)
    order = data_.draw(st.permutations(range(n)))
    size = data_.draw(st.integers(0, n))
    state = obj.empty()
    for e in order[:size]:
        state = obj.add(e, state)
    s = list(order[:size])
    fs = reference_value(obj, s)
    batch = obj.gains(np.arange(n), state)
    for e in range(n):
        diff = reference_value(obj, s + [e]) - fs
        assert batch[e] == pytest.approx(diff, rel=1e-5, abs=1e-7)
        assert obj.gain(e, state) == batch[e]
        if e in s:
            assert abs(batch[e]) <= 1e-9


@SETTINGS
@given(kind=st.sampled_from(KINDS), n=st.integers(2, 9), seed=seeds, data_=st.data())
def test_monotone_and_diminishing_returns(kind, n, seed, data_):
    """For random A subset of B and e outside B (values from scratch): f(A) <= f(B) and
    f(A+e) - f(A) >= f(B+e) - f(B)."""
    obj = make(kind, n, seed)
    perm = data_.draw(st.permutations(range(n)))
    b = data_.draw(st.integers(0, n - 1))
    a = data_.draw(st.integers(0, b))
    A, B, e = list(perm[:a]), list(perm[:b]), perm[n - 1]
    fA, fB = obj.value(A), obj.value(B)
    assert fA <= fB + tol(fB)
    assert obj.value(A + [e]) - fA >= obj.value(B + [e]) - fB - tol(fB)


@SETTINGS
@given(kind=st.sampled_from(KINDS), n=st.integers(1, 8), seed=seeds,
       ops=st.lists(st.tuples(st.sampled_from(["value", "gain", "gains", "empty", "add"]),
                              st.integers(0, 1000)), max_size=25))
def test_calls_equal_instrumented_recount(kind, n, seed, ops):
    """``calls`` equals a recount made by wrapping the hooks here: value = 1, gain = 1 (the
    single-element hook ``_gain``), gains = len(elems); empty/add cost nothing."""
    obj = make(kind, n, seed)
    recount = instrument(obj)
    state = obj.empty()
    for op, x in ops:
        if op == "value":
            obj.value(range(x % (n + 1)))
        elif op == "gain":
            obj.gain(x % n, state)
        elif op == "gains":
            obj.gains(np.arange(x % (n + 1)), state)
        elif op == "empty":
            state = obj.empty()
        else:
            state = obj.add(x % n, state)
    assert obj.calls == recount["n"]


def test_empty_states_are_independent():
    """Two empty() states do not share memory: adding to one leaves the other's gains alone."""
    for kind in KINDS:
        obj = make(kind, 6, 3)
        s1, s2 = obj.empty(), obj.empty()
        before = obj.gains(np.arange(6), s2).copy()
        obj.add(0, s1)
        np.testing.assert_array_equal(obj.gains(np.arange(6), s2), before)


# --- kernels ----------------------------------------------------------------------------
@pytest.mark.parametrize("kernel", ["rbf", "cosine", "sqeuclidean"])
def test_dense_similarity_matches_scipy(kernel):
    """Blockwise similarity equals scipy's cdist-based formula."""
    x = np.random.default_rng(0).normal(size=(37, 4))
    got = dense_similarity(x, kernel, gamma=0.3, dtype="float64")
    if kernel == "rbf":
        ref = np.exp(-0.3 * cdist(x, x, "sqeuclidean"))
    elif kernel == "cosine":
        ref = np.maximum(1.0 - cdist(x, x, "cosine"), 0.0)
    else:
        d = cdist(x, x, "sqeuclidean")
        ref = d.max() - d
    np.testing.assert_allclose(got, ref, atol=1e-9)


@pytest.mark.parametrize("kernel", ["rbf", "cosine"])
def test_knn_similarity_matches_bruteforce(kernel):
    """Each row keeps exactly its n_neighbors most similar points (scipy distances, argsort)."""
    x = np.random.default_rng(1).normal(size=(30, 3))
    indptr, indices, vals = knn_similarity(x, 5, kernel, gamma=0.5, dtype="float64")
    full = (np.exp(-0.5 * cdist(x, x, "sqeuclidean")) if kernel == "rbf"
            else 1.0 - cdist(x, x, "cosine"))
    for i in range(30):
        row = indices[indptr[i]:indptr[i + 1]]
        assert set(row.tolist()) == set(np.argsort(-full[i], kind="stable")[:5].tolist())
        np.testing.assert_allclose(vals[indptr[i]:indptr[i + 1]],
                                   np.maximum(full[i, row], 0.0), atol=1e-9)


# --- instances, generators, loaders -------------------------------------------------------
def test_instances_build_with_expected_shapes_and_are_seeded():
    """Each config-facing instance builds an objective over n elements; the same seed gives
    the same data, another seed different data."""
    for inst in [FacilityLocationInstance(n=40), FacilityLocationInstance(n=40, n_neighbors=4),
                 CoverageInstance(n=40, n_items=60, mean_set_size=5),
                 FeatureBasedInstance(n=40, n_features=7), LogDetInstance(n=40)]:
        vals = [inst.build(np.random.default_rng(s)).value(range(0, 40, 3)) for s in (5, 5, 6)]
        assert inst.build(np.random.default_rng(0)).n == 40
        assert vals[0] == vals[1] != vals[2]


def test_random_set_system_is_valid():
    """Rows are sorted, duplicate-free item ids in range; sizes near the requested mean."""
    rng = np.random.default_rng(0)
    indptr, indices = data.random_set_system(rng, 400, 50, 8.0, 1.0)
    sizes = np.diff(indptr)
    assert sizes.min() >= 1 and abs(sizes.mean() - 8.0) < 1.0
    for i in range(400):
        row = indices[indptr[i]:indptr[i + 1]]
        assert np.all(np.diff(row) > 0) and row.min() >= 0 and row.max() < 50


def test_instance_cross_field_errors():
    with pytest.raises(ValueError, match="n: null"):
        FacilityLocationInstance(n=None)
    with pytest.raises(ValueError, match="kernel"):
        FacilityLocationInstance(kernel="sqeuclidean", n_neighbors=5)
    with pytest.raises(ValueError, match="mean_set_size"):
        CoverageInstance(n_items=5, mean_set_size=10)
    with pytest.raises(ValueError, match="n_neighbors"):   # 8e9 bytes guard, before allocating
        FacilityLocationInstance(n=50_000, dim=2).build(np.random.default_rng(0))


def test_load_csv_and_npy(tmp_path):
    """CSV (with header and comments) and .npy load to the same table; instances use the
    first n rows; n larger than the file is an error naming both."""
    x = np.random.default_rng(0).random((6, 3))
    csv = tmp_path / "pts.csv"
    csv.write_text("# comment\na,b,c\n" + "\n".join(",".join(format(v, ".17g") for v in r) for r in x) + "\n")
    np.save(tmp_path / "pts.npy", x)
    np.testing.assert_array_equal(data.load_table(str(csv)), x)
    np.testing.assert_array_equal(data.load_table(str(tmp_path / "pts.npy")), x)
    obj = FacilityLocationInstance(n=4, path=str(csv), dtype="float64").build(
        np.random.default_rng(0))
    assert obj.n == 4
    assert FacilityLocationInstance(n=None, path=str(csv)).build(None).n == 6
    with pytest.raises(ValueError, match="only 6"):
        FacilityLocationInstance(n=9, path=str(csv)).build(None)
    assert data.resolve_path("sub/pts.csv") == data.PROJECT_ROOT / "sub" / "pts.csv"


@pytest.mark.parametrize("content, where", [
    ("1,2\n3,x\n", "line 2, column 2"),
    ("1,2\n3\n", "line 2 has 1 fields"),
    ("1,2\n\n4,5,6\n", "line 3 has 3 fields"),
])
def test_malformed_csv_names_file_and_position(tmp_path, content, where):
    p = tmp_path / "bad.csv"
    p.write_text(content)
    with pytest.raises(ValueError) as exc:
        data.load_table(str(p))
    assert "bad.csv" in str(exc.value) and where in str(exc.value)


def test_bad_npy_and_missing_file(tmp_path):
    arr = np.ones((3, 2))
    arr[2, 1] = np.nan
    np.save(tmp_path / "nan.npy", arr)
    with pytest.raises(ValueError, match=r"nan\.npy: row 2, column 1"):
        data.load_table(str(tmp_path / "nan.npy"))
    with pytest.raises(ValueError, match="does not exist"):
        data.load_table(str(tmp_path / "missing.csv"))
    neg = tmp_path / "neg.csv"
    neg.write_text("1,2\n3,-4\n")
    with pytest.raises(ValueError, match="row 1, column 1"):
        FeatureBasedInstance(n=None, path=str(neg)).build(None)


def test_coverage_from_dense_matches_incidence():
    """from_dense keeps exactly the nonzero entries as memberships."""
    inc = np.array([[1, 0, 2], [0, 0, 0], [0, 1, 1]])
    cov = WeightedCoverage.from_dense(inc, np.array([1.0, 10.0, 100.0]))
    assert cov.value([0]) == 101.0 and cov.value([1]) == 0.0 and cov.value([0, 2]) == 111.0
    assert list(itertools.chain(cov.items(0), cov.items(2))) == [0, 2, 1, 2]

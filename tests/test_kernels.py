"""Generated NumPy kernels against the registered symbolic closed forms (journal (A.13), (A.18)).

Every kernel (both backends: numba loop and chunked NumPy) is compared, at random points with a fixed seed, with the SymPy expression of the registry
evaluated in 30-digit arithmetic: relative error <= 1e-12 (relative to the largest component at that point).
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from glass_sym.errors import InputError
from glass_sym.numerics import kernels
from glass_sym.records.derivation import get
from glass_sym.symbols import N, alpha, c_t, r, rho

RTOL = 1e-12
IDX = [(i, j, k, l) for i in range(3) for j in range(3) for k in range(3) for l in range(3)]


def _has_numba() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(autouse=True, params=["numba", "numpy"])
def kernel_backend(request, monkeypatch):
    """Every test runs with both backends (numba: point loop; numpy: chunked array code)."""
    if request.param == "numba" and not _has_numba():
        pytest.skip("numba not installed")
    monkeypatch.setenv("GLASS_SYM_KERNEL_BACKEND", request.param)
    assert kernels.backend() == request.param
    return request.param


@pytest.fixture(scope="module")
def symbolic():
    return get("lambda_tilde").value.to_tensor(), get("lambda_x").value.to_tensor()


_CACHE: dict = {}


def _sym_eval(expr, values: dict) -> float:
    """expr at the point in 30-digit arithmetic (memoised: both backends compare with the same numbers)."""
    key = (expr, tuple(sorted((str(k), float(v)) for k, v in values.items())))
    if key not in _CACHE:
        _CACHE[key] = float(sp.N(expr.xreplace({k: sp.Float(float(v), 30) for k, v in values.items()}), 30))
    return _CACHE[key]


def _assert_close(num, ref):
    num, ref = np.asarray(num, float), np.asarray(ref, float)
    scale = np.max(np.abs(ref))
    assert np.max(np.abs(num - ref)) <= RTOL * scale, (num, ref)


def _points(seed: int, count: int):
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(count, 3)) * rng.uniform(0.3, 3.0, size=(count, 1))
    return rng, v


def test_eq_A18_tilde_lambda_kernel_vs_symbolic(symbolic):
    """(A.18): all 81 components of tilde Lambda_ijkl(n; alpha) at 12 random (n, alpha)."""
    lt, _ = symbolic
    rng, v = _points(1, 12)
    a = rng.uniform(0.05, 0.95, size=12)
    full = kernels.tilde_lambda(v, a)
    comps = kernels.tilde_lambda_components(v, a)
    for p in range(12):
        n = v[p] / np.sqrt(v[p] @ v[p])
        vals = {N[0]: n[0], N[1]: n[1], N[2]: n[2], alpha: a[p]}
        ref = np.array([_sym_eval(lt[idx], vals) for idx in IDX]).reshape(3, 3, 3, 3)
        _assert_close(full[p], ref)
        _assert_close(comps[p], [ref[idx] for idx in kernels.INDEPENDENT])


def test_eq_A13_lambda_x_kernel_vs_symbolic(symbolic):
    """(A.13)/(A.18): all 81 components of Lambda_ijkl(x; rho, c_l, c_t), alpha = 1 - c_t^2/c_l^2."""
    _, lx = symbolic
    rng, x = _points(2, 10)
    rho_v = rng.uniform(1e3, 5e3, size=10)
    cl_v = rng.uniform(3e3, 7e3, size=10)
    ct_v = cl_v * rng.uniform(0.3, 0.9, size=10)
    full = kernels.lambda_x(x, rho_v, cl_v, ct_v)
    for p in range(10):
        rr = np.sqrt(x[p] @ x[p])
        n = x[p] / rr
        vals = {N[0]: n[0], N[1]: n[1], N[2]: n[2], r: rr, rho: rho_v[p], c_t: ct_v[p],
                alpha: 1 - ct_v[p] ** 2 / cl_v[p] ** 2}
        ref = np.array([_sym_eval(lx[idx], vals) for idx in IDX]).reshape(3, 3, 3, 3)
        _assert_close(full[p], ref)


def test_contraction_kernels_vs_symbolic(symbolic):
    """e_ab X_abcd e_cd for X = tilde Lambda and X = Lambda(x), general (non-symmetric) e."""
    lt, lx = symbolic
    rng, v = _points(3, 8)
    e = rng.normal(size=(8, 3, 3))
    a = rng.uniform(0.1, 0.9, size=8)
    got_t = kernels.tilde_lambda_contraction(v, e, a)
    got_x = kernels.lambda_x_contraction(v, e, 2.0, 5.0, 3.0)
    for p in range(8):
        rr = np.sqrt(v[p] @ v[p])
        n = v[p] / rr
        vt = {N[0]: n[0], N[1]: n[1], N[2]: n[2], alpha: a[p]}
        vx = {N[0]: n[0], N[1]: n[1], N[2]: n[2], r: rr, rho: 2.0, c_t: 3.0, alpha: 1 - 9 / 25}
        ref_t = sum(e[p][i, j] * e[p][k, l] * _sym_eval(lt[i, j, k, l], vt) for i, j, k, l in IDX)
        ref_x = sum(e[p][i, j] * e[p][k, l] * _sym_eval(lx[i, j, k, l], vx) for i, j, k, l in IDX)
        # relative error <= RTOL of the contraction itself (measured: <= 4e-14); only where the 81 products
        # cancel to below 1e-3 of their scale max|X| (sum |e|)^2 is the error measured against that scale
        weight = np.sum(np.abs(e[p])) ** 2
        scale_t = max(abs(_sym_eval(lt[idx], vt)) for idx in IDX) * weight
        scale_x = max(abs(_sym_eval(lx[idx], vx)) for idx in IDX) * weight
        assert abs(got_t[p] - ref_t) <= RTOL * max(abs(ref_t), 1e-3 * scale_t)
        assert abs(got_x[p] - ref_x) <= RTOL * max(abs(ref_x), 1e-3 * scale_x)
        # the numeric contraction of the full kernel agrees too
        assert np.isclose(kernels.contract_pairs(kernels.tilde_lambda(v[p], a[p]), e[p]), ref_t, rtol=1e-12)


def test_broadcasting_out_and_chunks():
    """Parameters broadcast; out= is filled in place; results do not depend on chunking."""
    rng = np.random.default_rng(4)
    v = rng.normal(size=(4, 5, 3))
    a = rng.uniform(0.2, 0.8, size=5)
    out = np.empty((4, 5, 21))
    res = kernels.tilde_lambda_components(v, a, out=out)
    assert res is out
    assert np.array_equal(out[2, 3], kernels.tilde_lambda_components(v[2, 3], a[3]))
    big = rng.normal(size=(kernels.CHUNK + 7, 3))
    full = kernels.tilde_lambda_components(big, 0.4)
    for p in (0, kernels.CHUNK - 1, kernels.CHUNK, kernels.CHUNK + 6):
        assert np.array_equal(full[p], kernels.tilde_lambda_components(big[p], 0.4))
    assert kernels.tilde_lambda_components(np.empty((0, 3)), 0.5).shape == (0, 21)


def test_normalisation_is_scale_free():
    """Directions are normalised without overflow or underflow of |n|^2."""
    v = np.array([0.3, -1.2, 0.7])
    ref = kernels.tilde_lambda_components(v, 0.5)
    for s in (1e-200, 1e200, 7.0):
        assert np.allclose(kernels.tilde_lambda_components(s * v, 0.5), ref, rtol=1e-14, atol=1e-14)
    unit = v / np.linalg.norm(v)
    assert np.allclose(kernels.tilde_lambda_components(unit, 0.5, normalize=False), ref, rtol=1e-14)


def test_full_index_symmetries():
    """FULL_INDEX realises i<->j, k<->l, (ij)<->(kl) and hits each of the 21 components."""
    f = kernels.FULL_INDEX
    assert np.array_equal(f, f.transpose(1, 0, 2, 3))
    assert np.array_equal(f, f.transpose(0, 1, 3, 2))
    assert np.array_equal(f, f.transpose(2, 3, 0, 1))
    assert sorted(set(f.ravel().tolist())) == list(range(21))
    for c, idx in enumerate(kernels.INDEPENDENT):
        assert f[idx] == c


@pytest.mark.parametrize("bad", [[0.0, 0.0, 0.0], [np.nan, 1.0, 0.0], [np.inf, 0.0, 1.0]])
def test_bad_directions(bad):
    with pytest.raises(InputError, match="n:"):
        kernels.tilde_lambda_components(np.array([[1.0, 0, 0], bad]), 0.5)
    with pytest.raises(InputError, match="x"):
        kernels.lambda_x(np.array(bad), 1.0, 2.0, 1.0)


@pytest.mark.parametrize("a", [0.0, -0.1, 1.0, np.nan, np.inf])
def test_bad_alpha(a):
    with pytest.raises(InputError, match="alpha"):
        kernels.tilde_lambda(np.array([0.0, 0.0, 1.0]), a)


def test_bad_speeds_and_density():
    x = np.array([1.0, 0.0, 0.0])
    with pytest.raises(InputError, match="c_t must be smaller"):
        kernels.lambda_x(x, 1.0, 3.0, 3.0)
    with pytest.raises(InputError, match="c_t must be smaller"):
        kernels.lambda_x(x, 1.0, 3.0, 4.0)
    with pytest.raises(InputError, match="rho"):
        kernels.lambda_x(x, np.nan, 3.0, 2.0)
    with pytest.raises(InputError, match="c_l"):
        kernels.lambda_x(x, 1.0, -3.0, 2.0)
    with pytest.raises(InputError, match="self-interaction"):
        kernels.lambda_x(np.zeros(3), 1.0, 3.0, 2.0)
    with pytest.raises(InputError, match="c_t"):
        kernels.alpha_from_speeds(2.0, np.nan)


def test_bad_shapes_and_out():
    with pytest.raises(InputError, match="shape"):
        kernels.tilde_lambda(np.ones((4, 2)), 0.5)
    with pytest.raises(InputError, match="broadcast"):
        kernels.tilde_lambda_components(np.ones((4, 3)), np.full(3, 0.5))
    with pytest.raises(InputError, match="out"):
        kernels.tilde_lambda_components(np.ones((4, 3)), 0.5, out=np.empty((4, 20)))
    with pytest.raises(InputError, match="out"):
        kernels.tilde_lambda_components(np.ones((4, 3)), 0.5, out=np.empty((4, 21), dtype=np.float32))
    with pytest.raises(InputError, match="e:"):
        kernels.tilde_lambda_contraction(np.ones(3), np.ones((3, 2)), 0.5)
    with pytest.raises(InputError, match="unknown kernel"):
        kernels.kernel("nope")

"""Appendix B rebuilt: Delta Lambda (journal (B.2), (B.3); preprint (2.17)) and the (B.5) angular averages.

Expected values: a finite-difference evaluation of Lambda(x + h m) - Lambda(x) (independent numerics), the
braces of the preprint's (2.17) written by hand from delta()/vec(), and numerical quadrature over the sphere.
"""

import itertools
import random

import mpmath
import numpy as np
import pytest
import sympy as sp

from glass_sym.algebra.indexnotation import delta, vec
from glass_sym.errors import InputError
from glass_sym.physics import absorption
from glass_sym.physics.displacement import DELTA_X, contract_vector, cos_theta, first_order_change
from glass_sym.physics.interaction import lambda_tilde, lambda_x
from glass_sym.records.derivation import build, get
from glass_sym.symbols import M, N, alpha, c_t, r, rho
from glass_sym.testing import assert_tensor_equal


def _random_unit(rng):
    v = [rng.gauss(0, 1) for _ in range(3)]
    s = sum(x * x for x in v) ** 0.5
    return [x / s for x in v]


@pytest.fixture(scope="module")
def dlt():
    """r m.grad tilde Lambda(n), by the engine route used in the chain."""
    lt = lambda_tilde()
    dlx = first_order_change(lambda_x()) * DELTA_X
    return (dlx * (-8 * sp.pi * rho * c_t**2 * r**4 / DELTA_X) + lt * (3 * cos_theta())).map_coefficients(sp.expand)


def test_eq_B2_first_order_against_finite_difference():
    """(B.2): Delta Lambda/Delta_x = m.grad Lambda(x), against a central difference at random points."""
    mpmath.mp.dps = 30
    lx_t = lambda_x().to_tensor()
    d_t = first_order_change(lambda_x()).to_tensor()
    vals = {alpha: sp.Rational(3, 10), rho: 2, c_t: 3}
    f = sp.lambdify([*N, r], [c.subs(vals) for c in lx_t.components], "mpmath")
    g = sp.lambdify([*N, *M, r], [c.subs(vals) for c in d_t.components], "mpmath")
    rng = random.Random(20200)
    h = mpmath.mpf("1e-8")
    for _ in range(3):
        n = [mpmath.mpf(x) for x in _random_unit(rng)]
        m = [mpmath.mpf(x) for x in _random_unit(rng)]
        rad = mpmath.mpf(rng.uniform(0.5, 2.0))
        x = [rad * a for a in n]

        def lam_at(y):
            ry = mpmath.sqrt(sum(a * a for a in y))
            return f(*[a / ry for a in y], ry)

        plus = lam_at([a + h * b for a, b in zip(x, m)])
        minus = lam_at([a - h * b for a, b in zip(x, m)])
        exact = g(*n, *m, rad)
        for p_, m_, e_ in zip(plus, minus, exact):
            fd = (p_ - m_) / (2 * h)
            assert abs(fd - e_) < mpmath.mpf("1e-12") * (1 + abs(e_))


def test_eq_B3_delta_lambda_tilde_matches_preprint_2_17_braces(dlt):
    """(B.3) / preprint (2.17): the braces, written by hand from the preprint (four m-brackets in the alpha term)."""
    n, m = (lambda i: vec("n", i)), (lambda i: vec("m", i))
    o = lambda e: e.reorder("ijkl")
    c = cos_theta()
    first = sp.Rational(3, 4) * (
        2 * c * (o(n("j") * n("l") * delta("i", "k")) + o(n("j") * n("k") * delta("i", "l"))
                 + o(n("i") * n("k") * delta("j", "l")) + o(n("i") * n("l") * delta("j", "k")))
        - (o((m("j") * n("l") + m("l") * n("j")) * delta("i", "k")) + o((m("j") * n("k") + m("k") * n("j")) * delta("i", "l"))
           + o((m("i") * n("k") + m("k") * n("i")) * delta("j", "l")) + o((m("i") * n("l") + m("l") * n("i")) * delta("j", "k"))))
    six = (o(n("k") * n("l") * delta("i", "j")) + o(n("j") * n("l") * delta("i", "k")) + o(n("k") * n("j") * delta("i", "l"))
           + o(n("i") * n("l") * delta("j", "k")) + o(n("i") * n("k") * delta("j", "l")) + o(n("i") * n("j") * delta("k", "l")))
    mbr = (o(m("i") * (o3(n("l"), "j", "k") + o3(n("k"), "j", "l") + o3(n("j"), "k", "l")))
           + o(m("j") * (o3(n("l"), "i", "k") + o3(n("k"), "i", "l") + o3(n("i"), "k", "l")))
           + o(m("k") * (o3(n("l"), "i", "j") + o3(n("i"), "j", "l") + o3(n("j"), "i", "l")))
           + o(m("l") * (o3(n("k"), "i", "j") + o3(n("i"), "j", "k") + o3(n("j"), "i", "k"))))
    mnnn = (o(m("i") * n("j") * n("k") * n("l")) + o(m("j") * n("i") * n("k") * n("l"))
            + o(m("k") * n("i") * n("j") * n("l")) + o(m("l") * n("i") * n("j") * n("k")))
    nnnn = n("i") * n("j") * n("k") * n("l")
    expected = (first - 3 * alpha * c * six + sp.Rational(3, 2) * alpha * mbr - sp.Rational(15, 2) * alpha * mnnn
                + 30 * alpha * c * nnnn)
    assert_tensor_equal(dlt, expected, "Delta tilde Lambda")


def o3(v, a, b):
    """v_x delta_ab with indices in a fixed order (helper for the (2.17) brackets)."""
    return v * delta(a, b)


def test_contract_vector_errors():
    with pytest.raises(InputError):
        contract_vector(delta("i", "j"), "k", "m")
    with pytest.raises(InputError):
        first_order_change(vec("x", "i"))


def test_sphere_average_fourth_moment():
    """<n_i n_j n_k n_l> = (d_ij d_kl + d_ik d_jl + d_il d_jk)/15, all 81 components."""
    for idx in itertools.product(range(3), repeat=4):
        i, j, k, l = idx
        expected = sp.Rational((i == j) * (k == l) + (i == k) * (j == l) + (i == l) * (j == k), 15)
        assert absorption.sphere_average(N[i] * N[j] * N[k] * N[l]) == expected


def _quadrature(expr, order=12):
    """Gauss-Legendre in cos(theta) x uniform in phi: exact for polynomials of degree < 2 order."""
    f = sp.lambdify(N, expr, "numpy")
    u, w = np.polynomial.legendre.leggauss(order)
    phi = np.arange(2 * order) * np.pi / order
    U, P = np.meshgrid(u, phi, indexing="ij")
    W = np.outer(w, np.full(2 * order, np.pi / order))
    s = np.sqrt(1 - U**2)
    vals = np.asarray(f(s * np.cos(P), s * np.sin(P), U), dtype=float) * np.ones_like(U)
    return float((vals * W).sum() / (4 * np.pi))


@pytest.mark.parametrize("pol", ["l", "t"])
def test_eq_B5_intermediate_averages_against_quadrature(dlt, pol):
    """(B.5) reconstruction: <D.D> and a few single components <D_abcd^2> against numerical quadrature."""
    lt = lambda_tilde()
    kern = absorption.b5_kernel(pol, dlt, lt)
    a0 = sp.Rational(3, 7)
    res = absorption.b5_angular(pol, dlt, lt, with_full=False)
    total = sum(c**2 for c in kern.components).subs(alpha, a0)
    assert abs(_quadrature(total) - float(res.s0.subs(alpha, a0))) < 1e-10
    for idx in [(2, 2, 2, 2), (0, 2, 0, 2), (0, 0, 1, 1)]:
        comp = kern[idx].subs(alpha, a0) ** 2
        assert abs(_quadrature(comp) - float(absorption.sphere_average(comp))) < 1e-10


def test_relate_polynomials():
    assert absorption.relate_polynomials(1 + alpha, 3 + 3 * alpha) == (3, 1)
    assert absorption.relate_polynomials(1 + alpha, 1 + alpha**2) is None


def test_appendix_b_chain_all_verified_and_registered():
    d = build("appendix-b")
    assert d.ok, [(s.name, s.residual) for s in d.failed()]
    assert get("delta_lambda_tilde").derivation == "appendix-b"
    assert get("delta_lambda_x").derivation == "appendix-b"
    b5 = {s.name: s for s in d.steps}["b5_angular_averages"]
    assert ("audit", "jpcm2020:B.5") in [(n.kind, n.ref) for n in b5.notes]

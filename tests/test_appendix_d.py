"""Appendix D rebuilt: mu (journal (D.2), preprint (5.2)), Delta mu ((D.3), (5.3)), Delta p ((D.4), (5.4)), (D.6).

mu is compared with the textbook dipole-dipole energy (J. D. Jackson, Classical Electrodynamics, 3rd ed.,
eq. (4.26)): W = [p1.p2 - 3 (n.p1)(n.p2)]/(4 pi epsilon_0 r^3); the ordered-pair sum of (D.2) counts each pair
twice, so mu_ij = W_ij/2.
"""

import random

import numpy as np
import pytest
import sympy as sp

from glass_sym.algebra.tensor import Tensor, compare
from glass_sym.physics import absorption, dipole
from glass_sym.physics.displacement import DELTA_X
from glass_sym.records.derivation import build, get
from glass_sym.symbols import M, N, epsilon, r


def test_eq_D2_mu_is_half_the_textbook_dipole_energy():
    p1, p2 = sp.symbols("a1:4"), sp.symbols("b1:4")
    dot = lambda u, v: sum(x * y for x, y in zip(u, v))
    W = (dot(p1, p2) - 3 * dot(N, p1) * dot(N, p2)) / (4 * sp.pi * epsilon * r**3)  # Jackson (4.26)
    mu_t = dipole.mu().to_tensor()
    ours = sum(mu_t[i, j] * p1[i] * p2[j] for i in range(3) for j in range(3))
    assert compare(ours, W / 2).equal


def test_eq_D3_delta_mu_against_finite_difference():
    """(D.3): Delta mu/Delta_x against a central difference of the textbook kernel along m."""
    dmu = dipole.delta_mu().to_tensor()
    g = sp.lambdify([*N, *M, r, epsilon, DELTA_X], dmu.components, "mpmath")
    import mpmath

    mpmath.mp.dps = 30

    def mu_at(y):
        ry = mpmath.sqrt(sum(a * a for a in y))
        n = [a / ry for a in y]
        return [((1 if i == j else 0) - 3 * n[i] * n[j]) / (8 * mpmath.pi * ry**3) for i in range(3) for j in range(3)]

    rng = random.Random(7)
    h = mpmath.mpf("1e-8")
    for _ in range(3):
        n = [rng.gauss(0, 1) for _ in range(3)]
        m = [rng.gauss(0, 1) for _ in range(3)]
        n = [mpmath.mpf(x) / mpmath.sqrt(sum(y * y for y in n)) for x in n]
        m = [mpmath.mpf(x) / mpmath.sqrt(sum(y * y for y in m)) for x in m]
        rad = mpmath.mpf(rng.uniform(0.5, 2))
        x = [rad * a for a in n]
        plus = mu_at([a + h * b for a, b in zip(x, m)])
        minus = mu_at([a - h * b for a, b in zip(x, m)])
        exact = g(*n, *m, rad, 1, 1)
        for p_, m_, e_ in zip(plus, minus, exact):
            assert abs((p_ - m_) / (2 * h) - e_) < mpmath.mpf("1e-12") * (1 + abs(e_))


def test_eq_D4_delta_p():
    """(D.4) Delta p_i = sum_k (d u_i/d x_k) p_k, typed from the journal, checked on a concrete field
    u = (y1 y2, y3^2, sin y1): the derived change is the field's Jacobian times p."""
    derived, _ = dipole.delta_p()
    y = dipole.X
    field = (y[0] * y[1], y[2] ** 2, sp.sin(y[0]))
    jac_p = [sum(sp.diff(field[i], y[k]) * dipole.P_VEC[k] for k in range(3)) for i in range(3)]
    u = {f"u{i + 1}": sp.Lambda(y, field[i]) for i in range(3)}
    got = [sp.simplify(c.replace(lambda e: isinstance(e, sp.core.function.AppliedUndef) and e.func.__name__ in u,
                                 lambda e: u[e.func.__name__](*e.args)).doit()) for c in derived.components]
    assert [sp.simplify(a - b) for a, b in zip(got, jac_p)] == [0, 0, 0]
    wrong = [sum(sp.diff(field[k], y[i]) * dipole.P_VEC[k] for k in range(3)) for i in range(3)]  # transposed
    assert any(sp.simplify(a - b) != 0 for a, b in zip(got, wrong))


@pytest.mark.parametrize("pol", ["l", "t"])
def test_eq_D6_averages_against_quadrature(pol):
    """(D.6) reconstruction: <|K|^2> (unordered pair) and one component average against quadrature."""
    k = absorption.d6_kernel(pol, dipole.mu(), dipole.delta_mu())
    pair = (k["dmu"] + k["gmu"] + k["mug"]) * 2
    total = sum(c**2 for c in pair.components)
    f = sp.lambdify(N, total, "numpy")
    order = 10
    u, w = np.polynomial.legendre.leggauss(order)
    phi = np.arange(2 * order) * np.pi / order
    U, P = np.meshgrid(u, phi, indexing="ij")
    s = np.sqrt(1 - U**2)
    vals = np.asarray(f(s * np.cos(P), s * np.sin(P), U), dtype=float)
    quad = float((vals * np.outer(w, np.full(2 * order, np.pi / order))).sum() / (4 * np.pi))
    res = absorption.d6_angular(pol, dipole.mu(), dipole.delta_mu())
    assert abs(quad - float(res.pair)) < 1e-10


def test_appendix_d_chain_all_verified_and_registered():
    d = build("appendix-d")
    assert d.ok, [(s.name, s.residual) for s in d.failed()]
    assert get("mu").derivation == "appendix-d"
    assert get("delta_mu").value.to_tensor()[0, 0].has(DELTA_X)
    notes = {s.name: s for s in d.steps}["d6_angular_averages"].notes
    assert ("audit", "jpcm2020:D.6") in [(n.kind, n.ref) for n in notes]

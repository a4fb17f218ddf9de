"""Appendix C rebuilt: J3 + J4 in Kramers-Kronig form (journal (C.17)-(C.19)) and the (C.23)-(C.24) contraction.

The contraction is re-done here plainly: -Lambda(k) written by hand from the bracket of (C.21)/(C.23) divided
by 2 rho c_t^2, explicit direction vectors, and loops over all index values.
"""

import itertools

import pytest
import sympy as sp

from glass_sym.errors import InputError
from glass_sym.physics import absorption
from glass_sym.physics.absorption import Omega, chi_l, chi_t, omega
from glass_sym.physics.elastic import lambda_q
from glass_sym.records.derivation import build, get
from glass_sym.symbols import alpha, c_l, c_t, rho


def _minus_lambda_plain(k):
    """-Lambda_abcd(k) = (1/(2 rho c_t^2)) [-alpha k^4 + (1/4)(k_b k_d d_ac + k_b k_c d_ad + k_a k_d d_bc + k_a k_c d_bd)]."""
    d = lambda a, b: 1 if a == b else 0
    out = {}
    for a, b, c, e in itertools.product(range(3), repeat=4):
        br = -alpha * k[a] * k[b] * k[c] * k[e] + sp.Rational(1, 4) * (
            k[b] * k[e] * d(a, c) + k[b] * k[c] * d(a, e) + k[a] * k[e] * d(b, c) + k[a] * k[c] * d(b, e))
        out[a, b, c, e] = br / (2 * rho * c_t**2)
    return out


def _chi_plain(i, j, k, l):
    d = lambda a, b: 1 if a == b else 0
    return (chi_l - 2 * chi_t) * d(i, j) * d(k, l) + chi_t * (d(i, k) * d(j, l) + d(i, l) * d(j, k))


def _plain_contraction(k, a):
    """sum e_ij chi_ijab [-Lambda_abcd] chi_cdkl e_kl with e = (a k + k a)/2, by loops over 3^4 twice."""
    e = [[(a[i] * k[j] + a[j] * k[i]) / 2 for j in range(3)] for i in range(3)]
    w = {(p, q): sum(e[i][j] * _chi_plain(i, j, p, q) for i in range(3) for j in range(3))
         for p in range(3) for q in range(3)}
    lam = _minus_lambda_plain(k)
    total = sum(w[p, q] * lam[p, q, s, t] * w[s, t] for p, q, s, t in itertools.product(range(3), repeat=4))
    return sp.expand(total)


@pytest.mark.parametrize("pol,k,a", [
    ("l", (0, 0, 1), (0, 0, 1)),
    ("l", (sp.Rational(2, 7), sp.Rational(3, 7), sp.Rational(6, 7)), (sp.Rational(2, 7), sp.Rational(3, 7), sp.Rational(6, 7))),
    ("t", (0, 0, 1), (0, 1, 0)),
    ("t", (sp.Rational(2, 7), sp.Rational(3, 7), sp.Rational(6, 7)), (sp.Rational(3, 7), sp.Rational(-6, 7), sp.Rational(2, 7))),
])
def test_eq_C24_coefficients_against_plain_contraction(pol, k, a):
    """(C.24): the engine's coefficient equals the plain contraction, rewritten with alpha = 1 - c_t^2/c_l^2."""
    plain = _plain_contraction(k, a)
    engine = absorption.absorption_coefficient(pol, lambda_q())
    assert sp.simplify(plain.subs(alpha, 1 - c_t**2 / c_l**2) - engine) == 0


def test_eq_C24_one_over_rho_c_alpha_squared():
    """(C.24): the coefficients are chi_l^2/(2 rho c_l^2) and chi_t^2/(2 rho c_t^2)."""
    assert sp.simplify(absorption.absorption_coefficient("l", lambda_q()) - chi_l**2 / (2 * rho * c_l**2)) == 0
    assert sp.simplify(absorption.absorption_coefficient("t", lambda_q()) - chi_t**2 / (2 * rho * c_t**2)) == 0


def test_eq_C19_kernel():
    """(C.17) + (C.18) -> (C.19): 1/(omega + Omega) + 1/(Omega - omega) = 2 Omega/(Omega^2 - omega^2)."""
    k = absorption.kramers_kronig_kernel()
    assert sp.simplify(k.combined - 2 * Omega / (Omega**2 - omega**2)) == 0
    assert sp.simplify(k.partial_fractions - 1 / (omega + Omega) - 1 / (Omega - omega)) == 0


def test_bad_polarization():
    with pytest.raises(InputError):
        absorption.plane_wave("x")


def test_appendix_c_chain_all_verified_and_registered():
    d = build("appendix-c")
    assert d.ok, [(s.name, s.residual) for s in d.failed()]
    for name, sym in (("absorption_coefficient_l", chi_l), ("absorption_coefficient_t", chi_t)):
        value = get(name).value
        assert isinstance(value, sp.Expr)
        assert value.free_symbols <= {rho, c_l, c_t, chi_l, chi_t}
        assert value.has(sym)


# ------------------------------------------------------------------ (C.10)-(C.11), (C.25): J1 ... J6 (issue 12)
def _model_terms(kind):
    from glass_sym.physics import jterms

    return jterms.j_terms(jterms.default_model(kind), "loops"), jterms.j_terms(jterms.default_model(kind), "states")


def test_eq_C10_J1_J2_vanish_and_routes_agree():
    """(C.14)/(C.15): J1 = J2 = 0 when the stresses have no diagonal elements; the printed sums of (C.10) and the
    perturbed-state route give the same J3 ... J6 (complex Hermitian two-block model)."""
    loops, states = _model_terms("complex")
    assert loops["J1"] == 0 and loops["J2"] == 0 and states["J1+J2"] == 0
    for k in ("J3", "J4", "J5", "J6"):
        assert loops[k] != 0
        assert sp.expand(loops[k] - states[k]) == 0


def test_eq_C11_J5_J6_are_conjugates_of_J4_J3():
    """Independent derivation: J5 (bra-l correction) = J4* and J6 (ket-n correction) = J3*; the sum of the four
    is 2 Re(J3 + J4), and in the real model (symmetric lattice sum) exactly twice (C.24)'s J3 + J4."""
    loops, _ = _model_terms("complex")
    assert sp.expand(loops["J5"] - sp.conjugate(loops["J4"])) == 0
    assert sp.expand(loops["J6"] - sp.conjugate(loops["J3"])) == 0
    real, _ = _model_terms("real")
    x = real["J3"] + real["J4"]
    assert sp.simplify((x + real["J5"] + real["J6"]) / x) == 2


def test_eq_C25_total_coefficient_registered_twice_C24():
    """(C.25) = J1 + ... + J6 = 2 (C.24): the registered totals are chi_alpha^2/(rho c_alpha^2) (engine J3 + J4 is
    chi_alpha^2/(2 rho c_alpha^2), test_eq_C24_one_over_rho_c_alpha_squared)."""
    d = build("appendix-c")
    assert d.ok, [(s.name, s.residual) for s in d.failed()]
    assert sp.simplify(get("absorption_coefficient_total_l").value - chi_l**2 / (rho * c_l**2)) == 0
    assert sp.simplify(get("absorption_coefficient_total_t").value - chi_t**2 / (rho * c_t**2)) == 0


def test_appendix_c_new_steps_reject_wrong_values():
    """The checks of the J steps compute the value by another route: a wrong value fails them."""
    from glass_sym.records.derivation import rebuild, residual_of

    d = rebuild("appendix-c")
    j56 = d.step_named("j5_j6")
    assert residual_of(j56.check(j56.value))[0]
    assert not residual_of(j56.check(j56.value + sp.ImmutableMatrix([1, 0])))[0]
    assert not residual_of(j56.check(sp.ImmutableMatrix([j56.value[1], j56.value[0]])))[0]  # J5, J6 swapped
    mult = d.step_named("j_multiplicity")
    assert mult.value == 2 and not residual_of(mult.check(sp.Integer(1)))[0]
    text = " ".join(n.text for n in j56.notes)
    assert "J5 = J4*: holds" in text and "J5 = J3: does not hold" in text

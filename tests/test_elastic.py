"""Completed square and mode sums: journal (A.5), (A.8)-(A.11); preprint (A4), (A6)-(A9)."""

import sympy as sp

from glass_sym.algebra.indexnotation import delta, vec
from glass_sym.physics.elastic import (Nblocks, check_completeness, check_lambda_q_explicit, complete_square, lambda_q,
                                       mass, mode_sum, omega, projector, two_block_split)
from glass_sym.symbols import alpha, c_l, c_t, rho
from glass_sym.testing import assert_tensor_equal


def qh(i):
    return vec("qhat", i)


def perm4():
    """q_j q_l delta_ik + q_j q_k delta_il + q_i q_l delta_jk + q_i q_k delta_jl (over q^2), as printed in (A.11)."""
    return ((qh("j") * qh("l") * delta("i", "k")).reorder("ijkl") + (qh("j") * qh("k") * delta("i", "l")).reorder("ijkl")
            + (qh("i") * qh("l") * delta("j", "k")).reorder("ijkl") + (qh("i") * qh("k") * delta("j", "l")).reorder("ijkl"))


def test_eq_A8_square_completed():
    """(A.8): H = m w^2/2 |u - u0|^2 - m w^2/2 |u0|^2 (+ kinetic): computed residual vanishes."""
    cs = complete_square()
    assert sp.expand(cs.residual) == 0
    assert sp.expand(cs.extra_check) == 0


def test_eq_A9_equilibrium_displacement():
    """(A.9): u0 = i/(2 sqrt(N) m w^2) sum_s [q_j e_i + q_i e_j] T^(s)_ij e^{-i q.x_s} (two blocks, S_s = B:T^(s))."""
    S1, S2 = sp.symbols("S1 S2", real=True)
    p1, p2 = sp.symbols("phi1 phi2", real=True)
    printed = sp.I / (2 * sp.sqrt(Nblocks) * mass * omega**2) * (S1 * sp.exp(-sp.I * p1) + S2 * sp.exp(-sp.I * p2))
    assert sp.simplify(two_block_split().u0 - printed) == 0


def test_eq_A10_same_and_between_blocks():
    """(A.10): U = -1/(8 N m w^2) sum_s S_s^2; V = -1/(8 N m w^2) sum_{s != s'} S_s S_s' cos(q.(x_s - x_s'))."""
    S1, S2 = sp.symbols("S1 S2", real=True)
    p1, p2 = sp.symbols("phi1 phi2", real=True)
    bs = two_block_split()
    pref = -1 / (8 * Nblocks * mass * omega**2)
    assert sp.simplify(bs.same_block - pref * (S1**2 + S2**2)) == 0
    # the ordered pairs (1,2) and (2,1) both appear in sum_{s != s'}
    assert sp.simplify(bs.between_blocks - pref * 2 * S1 * S2 * sp.cos(p1 - p2)) == 0


def test_eq_A5_transverse_completeness():
    assert all(sp.simplify(c) == 0 if not hasattr(c, "equal") else c.equal for c in check_completeness(projector("a", "b")))


def test_eq_A11_lambda_q():
    """(A.11): Lambda(q) = 1/(2 rho c_t^2) [alpha q_i q_j q_k q_l/q^4 - 1/4 (perm)/q^2]."""
    printed = (alpha * qh("i") * qh("j") * qh("k") * qh("l") - perm4() / 4) / (2 * rho * c_t**2)
    assert_tensor_equal(lambda_q(), printed, "Lambda(q)")


def test_preprint_A9_velocity_form():
    """Preprint (A9): 1/(2Nm)(1/c_t^2 - 1/c_l^2) qqqq/q^4 - 1/(8 N m c_t^2) perm/q^2, with N m -> rho."""
    lon, tra = mode_sum()
    direct = -(lon / c_l**2 + tra / c_t**2) / (8 * rho)
    printed = (1 / c_t**2 - 1 / c_l**2) / (2 * rho) * qh("i") * qh("j") * qh("k") * qh("l") - perm4() / (8 * rho * c_t**2)
    assert_tensor_equal(direct, printed, "preprint (A9)")


def test_explicit_polarizations_both_conventions():
    """Lambda(q) in both strain conventions against the mode sum over explicit polarization vectors; each
    convention's form fails the other's check."""
    assert check_lambda_q_explicit(lambda_q("symmetric"), "symmetric").equal
    assert check_lambda_q_explicit(lambda_q("jl"), "jl").equal
    assert not check_lambda_q_explicit(lambda_q("jl"), "symmetric").equal

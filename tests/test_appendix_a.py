"""Appendix A rebuilt (journal (A.13), (A.18), (A.19); preprint (A15), (A16)) and compared with Joffrin-Levelut (A.1).

Expected tensors are the printed equations, built by hand here from delta()/vec() (not parsed), so that a
parser error cannot hide a derivation error.
"""

import pytest
import sympy as sp

from glass_sym.algebra.indexnotation import delta, vec
from glass_sym.algebra.tensor import rational_rotation, rotation_covariance
from glass_sym.physics.interaction import compare_parts, lambda_tilde, lambda_tilde_parts, lambda_x, split_by_alpha
from glass_sym.records.derivation import build, get
from glass_sym.symbols import alpha, c_t, r, rho
from glass_sym.testing import assert_tensor_equal


def n(i):
    return vec("n", i)


def o(e):
    return e.reorder("ijkl")


def dd3():
    return o(delta("i", "j") * delta("k", "l")) + o(delta("i", "k") * delta("j", "l")) + o(delta("j", "k") * delta("i", "l"))


def nnd6():
    return (o(n("i") * n("j") * delta("k", "l")) + o(n("i") * n("k") * delta("j", "l")) + o(n("i") * n("l") * delta("j", "k"))
            + o(n("j") * n("k") * delta("i", "l")) + o(n("j") * n("l") * delta("i", "k")) + o(n("k") * n("l") * delta("i", "j")))


def nnnn():
    return n("i") * n("j") * n("k") * n("l")


def t(a, b, c, d):
    """(delta_ab - 3 n_a n_b) delta_cd"""
    return o((delta(a, b) - 3 * n(a) * n(b)) * delta(c, d))


PRINTED_PART1 = (t("j", "l", "i", "k") + t("j", "k", "i", "l") + t("i", "k", "j", "l") + t("i", "l", "j", "k")) / 4  # (A.18), (A.19)
PRINTED_PART2 = alpha / 2 * (-dd3() + 3 * nnd6() - 15 * nnnn())  # (A.18); (A.19) as intended
JL_PART1 = -2 * t("j", "l", "i", "k")  # (A.1)
JL_PART2 = 2 * alpha * (-dd3() + 3 * nnd6() - 15 * nnnn())  # (A.1)


def test_eq_A18_lambda_tilde():
    """Journal (A.18) / preprint (A15): tilde Lambda = 1/4 {...} + alpha/2 {...}."""
    assert_tensor_equal(lambda_tilde(), PRINTED_PART1 + PRINTED_PART2, "tilde Lambda")


def test_eq_A19_parts():
    p1, p2 = lambda_tilde_parts()
    assert_tensor_equal(p1, PRINTED_PART1, "part (1)")
    assert_tensor_equal(p2, PRINTED_PART2, "part (2)")


def test_eq_A13_A18_prefactor():
    """Lambda_ijkl(x) = -tilde Lambda_ijkl(n)/(8 pi rho c_t^2 |x|^3)."""
    assert_tensor_equal(lambda_x(), -(PRINTED_PART1 + PRINTED_PART2) / (8 * sp.pi * rho * c_t**2 * r**3), "Lambda(x)")


def test_jl_part_factors_match_the_journal_statement():
    """Journal, after (A.19): compared with ours, JL's part (1) 'missed an overall factor of -1/2' and part (2)
    'missed an overall factor of 1/4'.  Computed: part (1) is not proportional component by component (JL keep
    one permutation term) but is -1/2 after symmetrization in (ij), (kl); part (2) is 1/4 exactly."""
    p1, p2 = lambda_tilde_parts()
    c1, c2 = compare_parts(p1, JL_PART1), compare_parts(p2, JL_PART2)
    assert c1.ratio is None and c1.symmetrized_ratio == sp.Rational(-1, 2) and c1.survives_contraction
    assert c2.ratio == sp.Rational(1, 4) and c2.symmetrized_ratio == sp.Rational(1, 4) and c2.survives_contraction


def test_jl_convention_derivation():
    """With e_ij = d u_i/d x_j the same engine gives part (1) = (delta_jl - 3 n_j n_l) delta_ik (one term, as JL
    print it, but with coefficient 1, not -2), the same part (2), and the same symmetric part as ours."""
    jl1, jl2 = split_by_alpha(lambda_tilde("jl"))
    assert_tensor_equal(jl1, t("j", "l", "i", "k"), "JL-convention part (1)")
    assert_tensor_equal(jl2, PRINTED_PART2, "JL-convention part (2)")
    assert compare_parts(jl1, JL_PART1).ratio == sp.Rational(-1, 2)


def test_rotation_covariance_other_rotation():
    assert rotation_covariance(lambda_tilde().to_tensor(), rational_rotation(2, -1, 1, 3)).equal


def test_appendix_a_chain_all_verified_and_registered():
    d = build("appendix-a")
    assert d.ok, [(s.name, s.residual) for s in d.failed()]
    labels = {s.label for s in d.steps}
    assert {"A.5", "A.9", "A.10", "A.11", "A.13", "A.16", "A.17", "A.18", "A.19"} <= labels
    for name in ("f1", "f2", "lambda_q", "lambda_tilde", "lambda_tilde_jl", "coulomb", "lambda_x"):
        assert get(name).derivation == "appendix-a"
    steps = {s.name: s for s in d.steps}
    # the comparison with the printed JL form is the audit's; the derived parts point to it
    for name in ("lambda_tilde_1", "lambda_tilde_2"):
        assert [(n.kind, n.ref) for n in steps[name].notes] == [("audit", "jpcm2020:A.19")]


def test_unknown_closed_form():
    from glass_sym.errors import InputError

    with pytest.raises(InputError):
        get("no_such_form")


def test_jupyter_rendering():
    """Steps, derivations and index expressions render as LaTeX in Jupyter (_repr_latex_)."""
    d = build("appendix-a")
    step = next(s for s in d.steps if s.name == "f2")
    assert step._repr_latex_() == "$\\displaystyle " + step.latex + "$"
    assert step._repr_latex_().startswith(r"$\displaystyle f^{(2)}_{jl} = ")
    assert "\\tag{A.17a}" in d._repr_latex_() and "\\tag{A.18}" in d._repr_latex_()
    assert get("f2").value._repr_latex_().startswith("$\\displaystyle")

"""Tensor core: canonical form modulo n.n = 1, contraction, symmetrizers, isotropic basis, rotations."""

import pytest
import sympy as sp

from glass_sym.algebra.indexnotation import delta, isotropic_basis, vec
from glass_sym.algebra.tensor import (Tensor, canonical, compare, decompose, kronecker, proportionality,
                                      rational_rotation, rotation_covariance, symmetrize_pairs)
from glass_sym.errors import InputError
from glass_sym.symbols import M, N, alpha

n1, n2, n3 = N


def test_canonical_decides_unit_sphere_identities():
    assert canonical(n1**2 + n2**2 + n3**2 - 1) == 0
    assert canonical(n3**4 - (1 - n1**2 - n2**2) ** 2) == 0
    assert canonical(alpha * (n1**2 + n2**2 + n3**2) / 3 - alpha / 3) == 0
    # two unit vectors at once
    assert canonical((M[0]**2 + M[1]**2 + M[2]**2) * (n1**2 + n2**2 + n3**2) - 1) == 0


def test_canonical_keeps_genuine_differences_and_reports_residual():
    res = compare(sp.Integer(1), n1**2 + n2**2)  # = n3^2 on the sphere, not 1
    assert not res.equal
    assert res.residual[()] == canonical(1 - n1**2 - n2**2)
    assert canonical(n3**2) == canonical(1 - n1**2 - n2**2)


def test_canonical_is_a_normal_form():
    """Equal on the sphere => identical canonical forms (not just a zero test of the difference)."""
    a = n3**4 * alpha + n1 * n3**3
    b = alpha * (1 - n1**2 - n2**2) ** 2 + n1 * n3 * (1 - n1**2 - n2**2)
    assert canonical(a) == canonical(b)


def test_contraction_of_nn_is_one():
    t = (vec("n", "i") * vec("n", "j")).to_tensor()
    assert canonical(t.contract(0, 1)[()]) == 1
    assert kronecker().contract(0, 1)[()] == 3


def test_symmetrize_pairs_of_single_term():
    """Average of (delta_jl - 3 n_j n_l) delta_ik over i<->j, k<->l is the 4-term sum / 4 (journal (A.18) part 1)."""
    one = ((delta("j", "l") - 3 * vec("n", "j") * vec("n", "l")) * delta("i", "k")).reorder("ijkl")

    def term(a, b, c, d):  # (delta_ab - 3 n_a n_b) delta_cd
        return ((delta(a, b) - 3 * vec("n", a) * vec("n", b)) * delta(c, d)).reorder("ijkl")

    four = (term("j", "l", "i", "k") + term("j", "k", "i", "l") + term("i", "k", "j", "l") + term("i", "l", "j", "k")) / 4
    assert compare(symmetrize_pairs(one.to_tensor()), four.to_tensor()).equal


def test_isotropic_basis_rank4_and_decomposition():
    basis = isotropic_basis(("n",))
    names = [n for n, _ in basis]
    assert len(names) == 10 and names[0] == "d_ij d_kl" and names[-1] == "n_i n_j n_k n_l"
    t = (2 * delta("i", "j") * delta("k", "l") - 3 * alpha * vec("n", "i") * vec("n", "j") * delta("k", "l")).to_tensor()
    coeffs = decompose(t, basis)
    assert coeffs["d_ij d_kl"] == 2 and coeffs["d_kl n_i n_j"] == -3 * alpha
    assert all(v == 0 for k, v in coeffs.items() if k not in ("d_ij d_kl", "d_kl n_i n_j"))


def test_proportionality():
    a = (delta("i", "j") - 3 * vec("n", "i") * vec("n", "j")).to_tensor()
    assert proportionality(a * (-sp.Rational(1, 2)), a) == -sp.Rational(1, 2)
    assert proportionality(a, kronecker()) is None


def test_rational_rotation_is_orthogonal_and_covariance_detects_non_tensors():
    R = rational_rotation(1, 2, 3, 4)
    RRt = Tensor.from_function(2, lambda ij: sum(R[ij[0], k] * R[ij[1], k] for k in range(3)))
    assert compare(RRt, kronecker()).equal
    good = (vec("n", "i") * vec("n", "j") - delta("i", "j") / 3).to_tensor()
    assert rotation_covariance(good, R).equal
    bad = Tensor.from_function(2, lambda ij: N[ij[0]] if ij == (0, 0) else 0)  # not a tensor expression
    assert not rotation_covariance(bad, R).equal


def test_bad_input():
    with pytest.raises(InputError):
        Tensor(2, [1, 2, 3])
    with pytest.raises(InputError):
        kronecker().contract(0, 0)
    with pytest.raises(InputError):
        delta("i", "i")
    with pytest.raises(InputError):
        vec("nope", "i")
    with pytest.raises(InputError):
        delta("i", "j") + vec("n", "i")


def test_canonical_fast_path_equals_poly_rem_reference():
    """tensor.canonical's sparse-ring path against the reference: multivariate division (sp.reduced, lex) by
    v1^2+v2^2+v3^2-1 for every unit vector.  (This comparison found that the general path, Poly.rem, left m1^2
    unreduced when n and m occur together with a symbol outside the shared ones.)

    The reference is written here from the definition (a single polynomial is a Groebner basis; relations of
    different vectors have coprime leading terms), sharing no code with the fast path.
    """
    import random

    from glass_sym.algebra.tensor import _ring_canonical, canonical
    from glass_sym.symbols import QHAT, M, alpha, c_t, rho

    def reference(expr):
        gens = sorted([*N, *M, *QHAT], key=lambda g: g.name)
        rels = [v[0]**2 + v[1]**2 + v[2]**2 - 1 for v in (N, M, QHAT)]
        return sp.expand(sp.reduced(sp.expand(expr), rels, *gens, order="lex")[1])

    rnd = random.Random(20261130)
    pool = [*N, *M, *QHAT, alpha]
    for _ in range(60):
        expr = sum(sp.Rational(rnd.randint(-9, 9), rnd.randint(1, 5)) * sp.Mul(*rnd.choices(pool, k=rnd.randint(0, 6)))
                   for _ in range(rnd.randint(1, 6)))
        fast = _ring_canonical(sp.expand(expr), expr.free_symbols)
        assert fast is not None  # polynomial over QQ: the fast path applies
        assert sp.expand(fast - reference(expr)) == 0, expr
        assert sp.expand(canonical(expr) - reference(expr)) == 0
    # with a symbolic parameter outside the shared symbols the general path runs; same normal form
    k = sp.Symbol("k_param")
    for e in (k * (N[0]**2 + N[1]**2 + N[2]**2) * N[0] + rho / c_t**2 * M[2]**2,
              k * M[0]**2 * N[0]**2 * M[2], k * (M[0]**2 + M[1]**2 + M[2]**2 - 1) * N[0]**3):
        assert _ring_canonical(e, e.free_symbols) is None  # the general path
        assert sp.expand(canonical(e) - reference(e)) == 0, e
    assert canonical(k * (M[0]**2 + M[1]**2 + M[2]**2 - 1) * N[0]**3) == 0
    # a wrong reduction is detected: n1^2 is not reduced to 1
    assert sp.expand(canonical(N[0]**2) - reference(N[0]**2)) == 0 and canonical(N[0]**2) != 1

"""Fourier engine: journal (A.14)-(A.17), preprint (A11)-(A14); plus kernels needed later (Coulomb, 1/q^4)."""

import mpmath as mp
import pytest
import sympy as sp

from glass_sym.algebra.fourier import explicit_fourier, fourier_transform, scalar_kernel
from glass_sym.algebra.indexnotation import delta, vec
from glass_sym.errors import DivergenceError, InputError
from glass_sym.symbols import N, lam, r
from glass_sym.testing import assert_tensor_equal


def n(i):
    return vec("n", i)


def test_eq_A16_scalar_kernels():
    """(A.16): int d^3q/(2pi)^3 e^{iq.x}/(q^2+lambda^2)^2 = e^{-lambda x}/(8 pi lambda); 1/(q^2+lambda^2): e^{-lambda x}/(4 pi x)."""
    assert sp.simplify(scalar_kernel(2).value - sp.exp(-lam * r) / (8 * sp.pi * lam)) == 0
    assert sp.simplify(scalar_kernel(1).value - sp.exp(-lam * r) / (4 * sp.pi * r)) == 0


@pytest.mark.parametrize("p", [1, 2, 3])
def test_residue_route_equals_sympy_definite_integral(p):
    """Contour integration (default) and SymPy's definite integration give the same G_p."""
    assert sp.simplify(scalar_kernel(p).value - scalar_kernel(p, "integrate").value) == 0


def test_eq_A16_divergent_piece_is_x_independent():
    """lambda -> 0: the 1/(8 pi lambda) of G_2 carries no x-dependence, so the four derivatives of (A.15) kill it."""
    k2 = scalar_kernel(2)
    assert k2.divergent_part == 1 / (8 * sp.pi * lam)
    assert sp.diff(k2.divergent_part, r) == 0
    assert k2.finite_part == -r / (8 * sp.pi)


def _printed_A17_f1():
    """Journal (A.17), first line: 1/(8 pi x^3) {(dd+dd+dd) - 3(six n n d) + 15 n n n n}."""
    dd = delta("i", "j") * delta("k", "l") + delta("i", "k") * delta("j", "l") + (delta("j", "k") * delta("i", "l")).reorder("ijkl")
    nnd = (n("i") * n("j") * delta("k", "l") + (n("i") * n("k") * delta("j", "l")).reorder("ijkl")
           + (n("i") * n("l") * delta("j", "k")).reorder("ijkl") + (n("j") * n("k") * delta("i", "l")).reorder("ijkl")
           + (n("j") * n("l") * delta("i", "k")).reorder("ijkl") + (n("k") * n("l") * delta("i", "j")).reorder("ijkl"))
    return (dd - 3 * nnd + 15 * n("i") * n("j") * n("k") * n("l")) / (8 * sp.pi * r**3)


def test_eq_A17_f1():
    """Journal (A.17) / preprint (A14): lim f^(1)_ijkl."""
    assert_tensor_equal(fourier_transform("ijkl", 2).value, _printed_A17_f1(), "f1")


def test_eq_A17_f2():
    """Journal (A.17) / preprint (A14): lim f^(2)_jl = (delta_jl - 3 n_j n_l)/(4 pi x^3)."""
    printed = (delta("j", "l") - 3 * n("j") * n("l")) / (4 * sp.pi * r**3)
    assert_tensor_equal(fourier_transform("jl", 1).value, printed, "f2")


def test_coulomb_and_oseen_kernels():
    """int e^{iqx}/q^2 = 1/(4 pi r); int q_i q_j/q^4 e^{iqx} = (delta_ij - n_i n_j)/(8 pi r), so that
    (delta - qq/q^2)/q^2 -> (delta + n n)/(8 pi r): the Oseen tensor (Landau-Lifshitz, Fluid Mechanics, sec. 20)."""
    assert fourier_transform((), 1).value.coefficients() == [1 / (4 * sp.pi * r)]
    oseen_part = fourier_transform("ij", 2).value
    assert_tensor_equal(oseen_part, (delta("i", "j") - n("i") * n("j")) / (8 * sp.pi * r), "q q/q^4")


def test_odd_numerator():
    """int q_i/q^2 e^{iqx} = -i d_i (1/(4 pi r)) = i n_i/(4 pi r^2)."""
    assert_tensor_equal(fourier_transform("i", 1).value, sp.I * n("i") / (4 * sp.pi * r**2), "q_i/q^2")


def test_explicit_route_agrees_for_rank4():
    from glass_sym.algebra.tensor import Tensor
    from glass_sym.symbols import QHAT

    t = Tensor.from_function(4, lambda idx: sp.Mul(*[QHAT[a] for a in idx]))
    assert_tensor_equal(explicit_fourier(t), fourier_transform("ijkl", 2).value.to_tensor(), "explicit route")


def test_divergent_and_bad_requests():
    with pytest.raises(DivergenceError):
        fourier_transform((), 2)  # int e^{iqx}/q^4: infrared divergent
    with pytest.raises(InputError):
        fourier_transform(("i", "i"), 2)
    with pytest.raises(InputError):
        scalar_kernel(0)


# ---------------------------------------------------------------- independent numerical integration
# Schwinger parametrization: 1/q^2 = int_0^oo ds e^{-s q^2}, 1/q^4 = int_0^oo ds s e^{-s q^2}.  The factor
# e^{-s q^2} is the convergence factor: for every s > 0 the q-integral is absolutely convergent and Gaussian,
# int d^3q/(2pi)^3 e^{-s q^2} e^{iq.x} = G_s(x) = (4 pi s)^{-3/2} e^{-x^2/(4s)}, and a numerator q_a q_b..
# becomes (-i d_a)(-i d_b).. acting on G_s.  For x != 0 the remaining s-integral converges at both ends
# (e^{-x^2/4s} at s -> 0, a power law at s -> oo); mpmath does it numerically.  Derivatives of the Gaussian
# at x = (0, 0, R) are written out by hand (Hermite polynomials), independently of the engine.
R = mp.mpf(1)


def _G(s):
    return (4 * mp.pi * s) ** mp.mpf(-1.5) * mp.exp(-R**2 / (4 * s))


def _schwinger(integrand):
    with mp.workdps(30):
        return mp.quad(integrand, [0, 1, mp.inf])


def _engine(expr, idx):
    val = expr.to_tensor()[idx].subs({N[0]: 0, N[1]: 0, N[2]: 1, r: 1})
    return mp.mpf(sp.N(val, 30))


def test_f2_zz_against_mpmath():
    a = lambda s: 1 / (4 * s)  # noqa: E731
    with mp.workdps(30):
        num = _schwinger(lambda s: -_G(s) * (4 * a(s) ** 2 * R**2 - 2 * a(s)))  # -d_z^2 G_s
        assert abs(num - _engine(fourier_transform("jl", 1).value, (2, 2))) < mp.mpf(10) ** -25


@pytest.mark.parametrize("idx, hermite", [
    ((2, 2, 2, 2), lambda a: 16 * a**4 * R**4 - 48 * a**3 * R**2 + 12 * a**2),  # d_z^4
    ((0, 0, 2, 2), lambda a: (-2 * a) * (4 * a**2 * R**2 - 2 * a)),  # d_x^2 d_z^2 at x = 0
])
def test_f1_against_mpmath(idx, hermite):
    with mp.workdps(30):
        num = _schwinger(lambda s: s * _G(s) * hermite(1 / (4 * s)))
        assert abs(num - _engine(fourier_transform("ijkl", 2).value, idx)) < mp.mpf(10) ** -25


def test_eq_A16_f1_regulated_by_cartesian_differentiation():
    """(A.16) regulated f1_ijkl(lambda) = d_i d_j d_k d_l G_2 with G_2 = e^{-lambda rho}/(8 pi lambda): plain SymPy
    derivatives in x1, x2, x3 at x = (3, 4, 12) (|x| = 13), against the engine's regulated transform."""
    import sympy as sp

    from glass_sym.algebra.fourier import fourier_transform
    from glass_sym.symbols import N, lam, r

    xs = sp.symbols("x1:4", real=True)
    rho_ = sp.sqrt(sum(x**2 for x in xs))
    g2 = sp.exp(-lam * rho_) / (8 * sp.pi * lam)
    point = (3, 4, 12)
    at = dict(zip(xs, point))
    reg = fourier_transform(("i", "j", "k", "l"), 2).regulated.to_tensor()
    on_point = {**{N[a]: sp.Rational(point[a], 13) for a in range(3)}, r: 13}
    for idx in ((2, 2, 2, 2), (0, 1, 2, 2), (0, 0, 1, 2), (0, 0, 0, 0)):
        explicit = sp.diff(g2, *[xs[a] for a in idx]).subs(at)
        assert sp.simplify(reg[idx].subs(on_point) - explicit) == 0, idx
        assert sp.simplify(reg[idx].subs(on_point) * sp.Rational(7, 3) - explicit) != 0  # a wrong value fails

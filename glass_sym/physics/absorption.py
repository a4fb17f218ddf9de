"""Absorption-rate algebra of Appendices B, C and D: Kramers-Kronig kernel, the (C.19)-(C.24) contraction,
exact sphere averages and the (B.5), (D.6) angular reconstructions.

* :func:`kramers_kronig_kernel`: the frequency kernels of J3 (C.17) and J4 (C.18), combined by SymPy into the
  Kramers-Kronig kernel of (C.19) (partial fractions both ways).
* :func:`absorption_contraction`: sum_{ijklabcd} e_ij chi_ijab [-Lambda_abcd(k)] chi'_cdkl e_kl for a plane
  wave e_ij = (A_i k_j + A_j k_i)/2 with A parallel (``'l'``) or perpendicular (``'t'``) to k, isotropic
  chi_ijkl = (chi_l - 2 chi_t) d_ij d_kl + chi_t (d_ik d_jl + d_il d_jk); per unit (A k)^2.
* :func:`absorption_coefficient`: that contraction with chi = chi' and Lambda(q) the registered ``lambda_q``,
  written in rho c_l^2, rho c_t^2 (alpha = 1 - c_t^2/c_l^2).
* :func:`sphere_average`: exact <P(n)> over the unit sphere for a polynomial P (monomial formula
  <n1^a n2^b n3^c> = (a-1)!! (b-1)!! (c-1)!! / (a+b+c+1)!! for a, b, c even, else 0);
  :func:`sphere_average_gaussian` is the independent Gaussian-integral route used by the checks.
* :func:`b5_angular`, :func:`d6_angular`: the angular averages behind (B.5) and (D.6) under the procedure
  stated in docs/appendices_bcd.md (plane wave, Delta x = r (n.grad) u, isotropic susceptibilities).

>>> sphere_average(N[2]**4)
1/5
>>> from glass_sym.records.derivation import get
>>> absorption_coefficient("l", get("lambda_q").value)
chi_l**2/(2*c_l**2*rho)
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp
from sympy.polys.rings import sring

from glass_sym.algebra.indexnotation import IndexExpr, delta
from glass_sym.algebra.tensor import Tensor, canonical
from glass_sym.errors import InputError
from glass_sym.symbols import DELTA_X, QHAT, M, N, Omega, alpha, c_l, c_t, chi_l, chi_t, epsilon, omega, r

__all__ = [
    "sphere_average_gaussian_of",
    "chi_l", "chi_t", "omega", "Omega", "POLARIZATIONS",
    "KKKernel", "kramers_kronig_kernel",
    "isotropic_chi", "plane_wave", "strain", "absorption_contraction", "absorption_coefficient",
    "to_sound_speeds",
    "sphere_average", "sphere_average_of_products", "sphere_average_gaussian", "monomials",
    "B5Result", "b5_kernel", "b5_angular", "D6Result", "d6_kernel", "d6_angular", "relate_polynomials",
]

#: isotropic susceptibility components chi_l, chi_t (C.24), (2.17) and the frequencies omega, Omega are the
#: shared symbols of :mod:`glass_sym.symbols`, re-exported here (``absorption.chi_l`` stays valid)

POLARIZATIONS = ("l", "t")

# ---------------------------------------------------------------------------------------------- (C.17)-(C.19)


@dataclass(frozen=True)
class KKKernel:
    """Frequency kernels of J3 (C.17), J4 (C.18) and their sum, the Kramers-Kronig kernel of (C.19)."""

    j3: sp.Expr  # 1/(omega + Omega)
    j4: sp.Expr  # 1/(Omega - omega)
    combined: sp.Expr  # factor(together(j3 + j4))
    partial_fractions: sp.Expr  # apart(combined, Omega)


def kramers_kronig_kernel() -> KKKernel:
    """J3 + J4: 1/(omega + Omega) + 1/(Omega - omega) combined over a common denominator by SymPy.

    >>> k = kramers_kronig_kernel()
    >>> k.combined
    2*Omega/((Omega - omega)*(Omega + omega))
    """
    j3 = 1 / (omega + Omega)
    j4 = 1 / (Omega - omega)
    combined = sp.factor(sp.together(j3 + j4))
    return KKKernel(j3, j4, combined, sp.apart(combined, Omega))


# ---------------------------------------------------------------------------------------------- (C.20)-(C.24)


def isotropic_chi(cl: sp.Expr = chi_l, ct: sp.Expr = chi_t) -> Tensor:
    """chi_ijkl = (chi_l - 2 chi_t) d_ij d_kl + chi_t (d_ik d_jl + d_il d_jk), explicit components.

    >>> isotropic_chi()[0, 0, 0, 0], isotropic_chi()[0, 1, 0, 1]
    (chi_l, chi_t)
    """
    e = (delta("i", "j") * delta("k", "l")) * (cl - 2 * ct) + \
        (delta("i", "k") * delta("j", "l") + (delta("i", "l") * delta("j", "k")).reorder(("i", "l", "j", "k")))\
        .reorder(("i", "j", "k", "l")) * ct
    return e.reorder(("i", "j", "k", "l")).to_tensor()


def plane_wave(polarization: str, khat: Sequence = QHAT) -> tuple[tuple, tuple, sp.Expr]:
    """(khat, A, |A|^2) for a longitudinal (A = khat) or transverse (A = (-k2, k1, 0), unnormalized) wave.

    The transverse vector is left unnormalized so that everything stays rational; quantities quadratic in
    the strain are divided by |A|^2.
    """
    if polarization not in POLARIZATIONS:
        raise InputError(f"polarization must be one of {POLARIZATIONS}, got {polarization!r}")
    khat = tuple(khat)
    if polarization == "l":
        return khat, khat, sp.S.One
    a = (-khat[1], khat[0], sp.S.Zero)
    return khat, a, sp.expand(a[0] ** 2 + a[1] ** 2)


def strain(a: Sequence, khat: Sequence) -> Tensor:
    """e_ij/(A k) = (A_i khat_j + A_j khat_i)/2 (journal, before (C.24))."""
    return Tensor.from_function(2, lambda ij: (a[ij[0]] * khat[ij[1]] + a[ij[1]] * khat[ij[0]]) / 2)


def _pair_apply(chi: Tensor, e: Tensor, left: bool) -> Tensor:
    """sum_ij e_ij chi_ijab (left) or sum_kl chi_abkl e_kl (right), a rank-2 Tensor."""
    def comp(ab):
        total = sp.S.Zero
        for i, j in itertools.product(range(3), repeat=2):
            if e[i, j] == 0:
                continue
            total += e[i, j] * (chi[(i, j) + ab] if left else chi[ab + (i, j)])
        return total
    return Tensor.from_function(2, comp)


def absorption_contraction(polarization: str, minus_lambda: Tensor, chi_a: Tensor | None = None,
                           chi_b: Tensor | None = None) -> sp.Expr:
    """sum e_ij chi_ijab [-Lambda]_abcd chi'_cdkl e_kl / (A k)^2 for the wave ``polarization``.

    ``minus_lambda`` is -Lambda_abcd(k) as an explicit Tensor in qhat (= khat); ``chi_a``, ``chi_b`` default to
    :func:`isotropic_chi`.  The result is reduced modulo |khat| = 1.
    """
    chi_a = isotropic_chi() if chi_a is None else chi_a
    chi_b = chi_a if chi_b is None else chi_b
    khat, a, norm2 = plane_wave(polarization)
    e = strain(a, khat)
    w_left = _pair_apply(chi_a, e, left=True)
    w_right = _pair_apply(chi_b, e, left=False)
    total = minus_lambda.contract_with(w_left, w_right)
    return sp.factor(canonical(sp.cancel(total / norm2)))


def to_sound_speeds(expr: sp.Expr) -> sp.Expr:
    """Replace alpha by 1 - c_t^2/c_l^2 and simplify (closed forms in rho c_l^2 and rho c_t^2)."""
    return sp.factor(sp.simplify(sp.sympify(expr).subs(alpha, 1 - c_t**2 / c_l**2)))


def absorption_coefficient(polarization: str, lambda_q: IndexExpr) -> sp.Expr:
    """The (C.19)-(C.24) contraction with chi = chi' and -Lambda(k) from ``lambda_q``, in rho, c_l, c_t.

    Returns sum e_ij chi_ijab [-Lambda_abcd(khat)] chi_cdkl e_kl / (A k)^2, a SymPy expression in
    rho, c_l, c_t, chi_l, chi_t (khat enters through qhat and drops out).
    """
    minus = (-lambda_q).reorder(("i", "j", "k", "l")).to_tensor()
    return to_sound_speeds(absorption_contraction(polarization, minus))


# ---------------------------------------------------------------------------------------------- sphere averages


def monomials(expr: sp.Expr, vector: Sequence = N) -> dict[tuple[int, int, int], sp.Expr]:
    """Exponent tuple -> coefficient of the polynomial ``expr`` in the three components of ``vector``."""
    expr = sp.expand(expr)
    if expr == 0:
        return {}
    poly = sp.Poly(expr, *vector)
    return {tuple(k): v for k, v in poly.terms()}


@functools.lru_cache(maxsize=None)
def _monomial_average(exps: tuple[int, int, int]) -> sp.Rational:
    if any(e % 2 for e in exps):
        return sp.S.Zero
    num = sp.prod([sp.factorial2(e - 1) for e in exps])
    return sp.Rational(num, sp.factorial2(sum(exps) + 1))


def sphere_average(expr: sp.Expr, vector: Sequence = N) -> sp.Expr:
    """<expr> over the unit sphere of ``vector`` (exact; expr a polynomial in its components).

    >>> sphere_average(N[0]**2 * N[1]**2)
    1/15
    """
    return sp.expand(sum((c * _monomial_average(k) for k, c in monomials(expr, vector).items()), sp.S.Zero))


def _ring_of(exprs: Sequence, vector: Sequence = N) -> list:
    """The expressions as elements of one sparse polynomial ring in the components of ``vector`` (exact; the
    coefficient domain, e.g. ZZ[alpha, chi_l, chi_t], is found by SymPy's ``sring``)."""

    return list(sring([sp.sympify(e) for e in exprs], *vector)[1])


def _average_ring(total, vector_len: int = 3) -> sp.Expr:
    """<p> over the unit sphere of a ring element ``p`` (monomial by monomial, :func:`_monomial_average`)."""
    if not total:
        return sp.S.Zero
    to_sympy = total.ring.domain.to_sympy
    return sp.expand(sum((to_sympy(c) * _monomial_average(tuple(k[:vector_len])) for k, c in total.terms()),
                         sp.S.Zero))


def sphere_average_of_products(left: Sequence, right: Sequence, vector: Sequence = N) -> sp.Expr:
    """<sum_i left_i right_i> over the unit sphere, by sparse polynomial arithmetic (fast for many components).

    >>> sphere_average_of_products([N[0], N[1]], [N[0], N[1]])
    2/3
    """
    left, right = list(left), list(right)
    if not left or not right:
        return sp.S.Zero
    polys = _ring_of(left + right, vector)
    a, b = polys[:len(left)], polys[len(left):]
    total = polys[0].ring.zero
    for x, y in zip(a, b):
        if x and y:
            total += x * y
    return _average_ring(total)


def sphere_average_gaussian_of(expr: sp.Expr, vector: Sequence = N) -> sp.Expr:
    """<expr> over the unit sphere with every monomial averaged by :func:`sphere_average_gaussian` (the Gamma
    function route; independent of :func:`sphere_average`).

    >>> sphere_average_gaussian_of(N[0]**2 + N[1]**2 * N[2]**2)
    2/5
    """
    return sp.expand(sum((c * sphere_average_gaussian(k) for k, c in monomials(expr, vector).items()), sp.S.Zero))


@functools.lru_cache(maxsize=None)
def sphere_average_gaussian(exps: tuple[int, int, int]) -> sp.Expr:
    """<n1^a n2^b n3^c> from the Gaussian integral: prod Gamma((a_i+1)/2) / (2 pi Gamma((a+b+c+3)/2)).

    Independent of the double-factorial formula: int x^a e^{-|x|^2} d^3x factorizes into 1D Gamma
    functions and equals <n^a> 4 pi int_0^oo r^(|a|+2) e^{-r^2} dr.

    >>> sphere_average_gaussian((2, 2, 0))
    1/15
    """
    if any(e % 2 for e in exps):
        return sp.S.Zero
    top = sp.prod([sp.gamma(sp.Rational(e + 1, 2)) for e in exps])
    value = top / (2 * sp.pi * sp.gamma(sp.Rational(sum(exps) + 3, 2)))  # Gamma(half-integer) = rational sqrt(pi)
    if not value.is_Rational:
        value = sp.gammasimp(value)
    if not value.is_Rational:
        raise ArithmeticError(f"sphere average of n^{exps} did not reduce to a rational: {value}")
    return value


# ---------------------------------------------------------------------------------------------- (B.5)


@dataclass(frozen=True)
class B5Result:
    """Angular averages behind (B.5) for one wave polarization.

    ``s0 = <D_ijkl D_ijkl>``, ``s1 = <D_iikl D_jjkl>``, ``s2 = <(D_iikk)^2>``, ``full`` = <D_ijkl D_abcd chi_ijab
    chi_klcd> with the isotropic chi, where D_ijkl(n) = (khat.n) [Delta tilde Lambda(m = A) - 3 (A.n) tilde
    Lambda] is -8 pi rho c_t^2 r^3 Delta Lambda/(i k A).
    """

    polarization: str
    khat: tuple
    a: tuple
    s0: sp.Expr
    s1: sp.Expr
    s2: sp.Expr
    full: sp.Expr | None


def _unit_frame(polarization: str, frame: str) -> tuple[tuple, tuple]:
    if frame == "axes":
        k = (0, 0, 1)
        a = k if polarization == "l" else (1, 0, 0)
    elif frame == "rotated":
        k = (sp.Rational(1, 3), sp.Rational(2, 3), sp.Rational(2, 3))
        a = k if polarization == "l" else (sp.Rational(2, 3), sp.Rational(1, 3), sp.Rational(-2, 3))
    else:
        raise InputError(f"frame must be 'axes' or 'rotated', got {frame!r}")
    if polarization not in POLARIZATIONS:
        raise InputError(f"polarization must be one of {POLARIZATIONS}, got {polarization!r}")
    return tuple(sp.sympify(x) for x in k), tuple(sp.sympify(x) for x in a)


def _dot(a: Sequence, b: Sequence) -> sp.Expr:
    return sum(x * y for x, y in zip(a, b))


def b5_kernel(polarization: str, delta_lambda_tilde: IndexExpr, lambda_tilde: IndexExpr,
              frame: str = "axes") -> Tensor:
    """D_ijkl(n) = (khat.n) [Delta tilde Lambda|_{m = A} - 3 (A.n) tilde Lambda] for unit khat, A (polynomial in n)."""
    khat, a = _unit_frame(polarization, frame)
    at_a = dict(zip(M, a))
    dlt = delta_lambda_tilde.reorder(("i", "j", "k", "l")).to_tensor().subs(at_a)
    lt = lambda_tilde.reorder(("i", "j", "k", "l")).to_tensor()
    kn, an = _dot(khat, N), _dot(a, N)
    return (dlt - lt * (3 * an)).map(lambda c: sp.expand(kn * c))


def _chi_pair_average(chi: Tensor, t: Tensor) -> sp.Expr:
    """<t_ijkl chi_ijab chi_klcd t_abcd> over the unit sphere of n: chi (x) chi acting on the pairs (ij), (kl), done in
    a sparse polynomial ring in n (coefficients in alpha, chi_l, chi_t), then averaged monomial by monomial."""
    polys = _ring_of(list(t.components) + list(chi.components))
    tp, cp = polys[:81], polys[81:]
    zero = polys[0].ring.zero

    def at(p, i, j, k, l):
        return p[27 * i + 9 * j + 3 * k + l]

    ix = range(3)
    first = [sum((at(cp, i, j, a, b) * at(tp, a, b, k, l) for a in ix for b in ix if at(cp, i, j, a, b)), zero)
             for i in ix for j in ix for k in ix for l in ix]
    second = [sum((at(cp, k, l, c, d) * at(first, i, j, c, d) for c in ix for d in ix if at(cp, k, l, c, d)), zero)
              for i in ix for j in ix for k in ix for l in ix]
    total = zero
    for x, y in zip(tp, second):
        if x and y:
            total += x * y
    return _average_ring(total)


def b5_angular(polarization: str, delta_lambda_tilde: IndexExpr, lambda_tilde: IndexExpr,
               frame: str = "axes", with_full: bool = True) -> B5Result:
    """Sphere averages of the squared (B.5) kernel and its traces (exact rationals, polynomials in alpha).

    ``with_full=False`` skips the direct contraction with chi (``full`` is then ``None``; it is the slow part).
    All products are taken in a sparse polynomial ring in n (exact).
    """
    d = b5_kernel(polarization, delta_lambda_tilde, lambda_tilde, frame)
    s0 = sphere_average_of_products(d.components, d.components)
    tr = [sp.expand(sum(d[i, i, k, l] for i in range(3))) for k in range(3) for l in range(3)]
    s1 = sphere_average_of_products(tr, tr)
    trace = sp.expand(sum(tr[4 * k] for k in range(3)))
    s2 = sphere_average_of_products([trace], [trace])
    full = None
    if with_full:
        full = sp.factor(_chi_pair_average(isotropic_chi(), d))
    khat, a = _unit_frame(polarization, frame)
    return B5Result(polarization, khat, a, sp.factor(s0), sp.factor(s1), sp.factor(s2), full)


# ---------------------------------------------------------------------------------------------- (D.6)


@dataclass(frozen=True)
class D6Result:
    """Angular averages behind (D.6) for one polarization, per unit (k A / (8 pi epsilon r^3))^2.

    ``pair``: <|K|^2> for the operator of the unordered pair, K = 2 (Delta mu + G^T mu + mu G);
    ``ordered``: <|Delta mu + 2 G^T mu|^2> for one ordered pair as (D.5) is printed;
    ``delta_mu_only``, ``delta_p_only``: <|Delta mu|^2> and <|2 G^T mu|^2>.
    """

    polarization: str
    pair: sp.Expr
    ordered: sp.Expr
    delta_mu_only: sp.Expr
    delta_p_only: sp.Expr


def d6_kernel(polarization: str, mu: IndexExpr, delta_mu: IndexExpr, frame: str = "axes") -> dict[str, Tensor]:
    """The rank-2 couplings of p^(s)_a p^(s')_b from (D.5), per unit k A/(8 pi epsilon r^3).

    Plane wave u = A Ahat e^{i k.x}: grad u = i k A Ahat khat^T =: i k A G; Delta x = r (n.grad) u, so
    Delta_x m = i k A r (khat.n) Ahat.  Returns {'dmu': Delta mu, 'gmu': G^T mu, 'mug': mu G}.
    """
    khat, a = _unit_frame(polarization, frame)
    scale = 8 * sp.pi * epsilon * r**3
    sub = {**dict(zip(M, a)), DELTA_X: r * _dot(khat, N)}
    dmu = delta_mu.reorder(("i", "j")).to_tensor().subs(sub).map(lambda c: sp.expand(c * scale))
    mut = mu.reorder(("i", "j")).to_tensor().map(lambda c: sp.expand(c * scale))
    g = Tensor.from_function(2, lambda pq: a[pq[0]] * khat[pq[1]])
    gmu = Tensor.from_function(2, lambda ab: sp.expand(sum(g[i, ab[0]] * mut[i, ab[1]] for i in range(3))))
    mug = Tensor.from_function(2, lambda ab: sp.expand(sum(mut[ab[0], i] * g[i, ab[1]] for i in range(3))))
    return {"dmu": dmu, "gmu": gmu, "mug": mug}


def _sq(t: Tensor) -> sp.Expr:
    return sphere_average_of_products(t.components, t.components)


def d6_angular(polarization: str, mu: IndexExpr, delta_mu: IndexExpr, frame: str = "axes") -> D6Result:
    """Sphere averages of the squared (D.6) couplings (exact rationals)."""
    k = d6_kernel(polarization, mu, delta_mu, frame)
    pair = (k["dmu"] + k["gmu"] + k["mug"]) * 2
    ordered = k["dmu"] + k["gmu"] * 2
    return D6Result(polarization, _sq(pair), _sq(ordered), _sq(k["dmu"]), _sq(k["gmu"] * 2))


# ---------------------------------------------------------------------------------------------- comparison


def relate_polynomials(engine: sp.Expr, printed: sp.Expr, var: sp.Symbol = alpha):
    """Find constants (c, g) with printed(var) = c * engine(g * var), or None.

    Used to describe how a printed polynomial differs from the computed one: (c, 1) is a pure normalization;
    g != 1 means the var-dependence differs by a rescaling of var.  Solved exactly from the coefficients.

    >>> relate_polynomials(1 + alpha, 2 + 4*alpha)
    (2, 2)
    """
    e = sp.Poly(sp.expand(engine), var)
    p = sp.Poly(sp.expand(printed), var)
    if e.degree() != p.degree():
        return None
    c, g = sp.symbols("c_rel g_rel")
    eqs = sp.Poly(sp.expand(c * engine.subs(var, g * var) - printed), var).coeffs()
    sols = sp.solve(eqs, [c, g], dict=True)
    sols = [s for s in sols if s.get(c, 0) != 0 and c in s and g in s]
    if not sols:
        return None
    best = sorted(sols, key=lambda s: (s[g] != 1, sp.default_sort_key(s[g])))[0]
    return best[c], best[g]

"""3D Fourier integrals of q-monomials over powers of q^2, computed the way Appendix A does them.

    ``F[q_{i1} ... q_{ik} / (q^2)^p](x) = int d^3q/(2 pi)^3  q_{i1}...q_{ik} / (q^2)^p  e^{i q.x}``,  x != 0.

Route (journal (A.14)-(A.17), preprint (A11)-(A14)):

1. regulator 1/q^2 -> 1/(q^2 + lambda^2);
2. the scalar integral G_p(r; lambda) = int d^3q/(2 pi)^3 e^{i q.x}/(q^2+lambda^2)^p is evaluated by SymPy:
   the angular integral gives 4 pi sin(q r)/(q r), the radial integral is done by ``sympy.integrate``;
3. the index structure comes from differentiating in x: q_a e^{i q.x} = -i d/dx_a e^{i q.x}, so the numerator
   q_{i1}..q_{ik} becomes (-i)^k d_{i1}...d_{ik} acting on G_p (chain rule on radial functions, exact);
4. lambda -> 0 is taken on the radial coefficient functions; pieces divergent in lambda (such as the constant
   1/(8 pi lambda) of G_2) are independent of x and are annihilated by the derivatives; the engine shows this by
   the Laurent expansion of G_p in lambda.  If a coefficient still diverges, :class:`DivergenceError`.

>>> import sympy as sp
>>> from glass_sym.algebra.fourier import fourier_transform
>>> res = fourier_transform(("j", "l"), 1)
>>> sp.factor(res.value.to_tensor()[2, 2])
-(3*n3**2 - 1)/(4*pi*r**3)
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy as sp

from glass_sym.errors import DivergenceError, InputError
from glass_sym.symbols import QHAT, N, lam, q, r

from .indexnotation import IndexExpr, scalar

__all__ = ["ScalarKernel", "FourierResult", "scalar_kernel", "fourier_transform", "angular_integral", "MAX_POWER"]

#: largest power p of 1/(q^2)^p that fourier_transform computes (the cost of the regulated route grows with p)
MAX_POWER = 16



@functools.lru_cache(maxsize=None)
def angular_integral() -> sp.Expr:
    """int dOmega e^{i q r cos(theta)} = 2 pi int_{-1}^{1} du e^{i q r u} = 4 pi sin(q r)/(q r) (u = cos theta,
    dOmega = sin(theta) dtheta dphi), computed by SymPy."""
    u = sp.Symbol("u", real=True)  # u = cos(theta)
    val = sp.integrate(2 * sp.pi * sp.exp(sp.I * q * r * u), (u, -1, 1), risch=False, meijerg=False)
    return sp.factor(sp.expand(val.rewrite(sp.sin)))


@dataclass(frozen=True)
class ScalarKernel:
    """G_p(r; lambda) with the record of how it was obtained."""

    p: int
    radial_integrand: sp.Expr  # integrand of int_0^oo dq
    value: sp.Expr  # G_p(r; lambda)
    laurent: sp.Expr  # expansion in lambda up to O(lambda)
    divergent_part: sp.Expr  # terms with negative powers of lambda
    finite_part: sp.Expr  # lambda^0 term


@functools.lru_cache(maxsize=None)
def scalar_kernel(p: int, method: str = "residue") -> ScalarKernel:
    """G_p(r; lambda) = int d^3q/(2pi)^3 e^{i q.x} / (q^2 + lambda^2)^p for p = 1, 2, ..., computed by SymPy.

    The angular integral gives G_p = 1/(2 pi^2 r) int_0^oo q sin(q r)/(q^2+lambda^2)^p dq.  The radial integral:

    * ``method="residue"`` (default, the paper's route after (A.15)): the integrand is even in q, so it is half
      the integral over the real line, i.e. pi Res_{q = i lambda}[q e^{i q r}/(q^2+lambda^2)^p] (contour closed
      in the upper half plane: r > 0 and q/(q^2+lambda^2)^p -> 0 at large |q|, Jordan's lemma; the rational
      factor's decay is checked);
    * ``method="integrate"``: SymPy's definite integration (Meijer-G), an independent route used in the tests.

    >>> scalar_kernel(1).value
    exp(-lambda*r)/(4*pi*r)
    >>> scalar_kernel(2).divergent_part
    1/(8*pi*lambda)
    """
    if not isinstance(p, int) or p < 1:
        raise InputError(f"power p of 1/(q^2)^p must be an integer >= 1, got {p!r}")
    ang = angular_integral()  # 4 pi sin(qr)/(qr)
    radial_integrand = sp.factor(q**2 * ang / (2 * sp.pi) ** 3 / (q**2 + lam**2) ** p)
    if method == "residue":
        rational = q / (q**2 + lam**2) ** p
        if sp.limit(rational, q, sp.oo) != 0:  # pragma: no cover - holds for every p >= 1
            raise DivergenceError(f"Jordan's lemma does not apply to {rational}")
        # residue at the pole of order p: (1/(p-1)!) d^(p-1)/dq^(p-1) [(q - i lambda)^p f(q)] at q = i lambda
        regular = q * sp.exp(sp.I * q * r) / (q + sp.I * lam) ** p
        res = sp.diff(regular, q, p - 1).subs(q, sp.I * lam) / sp.factorial(p - 1)
        val = sp.pi * res / (2 * sp.pi**2 * r)
    elif method == "integrate":
        val = sp.integrate(radial_integrand, (q, 0, sp.oo), conds="none", meijerg=True)
    else:
        raise InputError(f"method must be 'residue' or 'integrate', got {method!r}")
    val = sp.factor(sp.powsimp(sp.expand(val.rewrite(sp.exp))))
    laurent = sp.expand(sp.series(val, lam, 0, 1).removeO())
    divergent = sum((t for t in sp.Add.make_args(laurent) if sp.degree(t.as_numer_denom()[1], lam) > 0),
                    sp.S.Zero)
    finite = sp.expand(laurent - divergent).subs(lam, 0)
    return ScalarKernel(p, radial_integrand, val, laurent, divergent, finite)


@dataclass
class FourierResult:
    """``F[q_{i1..ik}/(q^2)^p](x)`` as an IndexExpr in n = x/|x| with coefficients in r = |x|.

    ``regulated`` keeps the lambda-dependence before the limit; ``divergent_dropped`` is the part of G_p
    that diverges as lambda -> 0 (x-independent); ``limit_checks`` lists, per coefficient, the limit taken.
    """

    indices: tuple[str, ...]
    p: int
    kernel: ScalarKernel
    regulated: IndexExpr
    value: IndexExpr
    divergent_dropped: sp.Expr
    limit_checks: list = field(default_factory=list)


def _limit_lambda(c: sp.Expr) -> sp.Expr:
    """lim_{lambda -> 0+} of a regulated coefficient exp(-lambda r) P(lambda, r), P a Laurent polynomial in lambda.

    With P = sum_k a_k lambda^k, the coefficient of lambda^j in exp(-lambda r) P is
    sum_{k <= j} a_k (-r)^(j-k)/(j-k)!; the limit is the j = 0 coefficient and every j < 0 coefficient must
    vanish, otherwise the coefficient diverges (:class:`DivergenceError`).
    """
    P = sp.expand(sp.powsimp(sp.expand(c * sp.exp(lam * r))))
    if P.has(sp.exp):
        expansion = sp.expand(sp.series(c, lam, 0, 1).removeO())  # not of the expected form: general route
        singular = [t for t in sp.Add.make_args(expansion) if t.has(lam) and sp.degree(t.as_numer_denom()[1], lam) > 0]
        if singular:
            raise DivergenceError(f"regulated coefficient {c} diverges as lambda -> 0 (terms {sp.Add(*singular)})")
        return sp.factor(expansion.subs(lam, 0))
    a: dict[int, sp.Expr] = {}
    for t in sp.Add.make_args(P):
        k = int(t.as_powers_dict().get(lam, 0))
        a[k] = a.get(k, sp.S.Zero) + t / lam**k
    kmin = min(a)

    def coeff(j: int) -> sp.Expr:
        return sp.expand(sum((a[k] * (-r) ** (j - k) / sp.factorial(j - k) for k in a if k <= j), sp.S.Zero))

    for j in range(kmin, 0):
        if coeff(j) != 0:
            raise DivergenceError(f"regulated coefficient {c} diverges as lambda -> 0 (lambda^{j} term {coeff(j)})")
    return sp.factor(coeff(0))


@functools.lru_cache(maxsize=None)
def _fourier_cached(indices: tuple[str, ...], p: int) -> FourierResult:
    kernel = scalar_kernel(p)
    k = len(indices)
    expr = scalar(kernel.value)
    for i in indices:
        expr = expr.diff(i, "x", r)
    expr = expr * (-sp.I) ** k
    regulated = expr.substitute_vector("x", "n", r).map_coefficients(sp.factor)
    if k == 0 and kernel.divergent_part != 0:
        raise DivergenceError(
            f"int d^3q e^(iq.x)/(q^2)^{p} is infrared divergent: its regulated value has the x-independent "
            f"divergent part {kernel.divergent_part} and no derivative removes it"
        )
    try:
        value = regulated.map_coefficients(_limit_lambda)
    except DivergenceError as exc:
        num = "".join(f"q_{i}" for i in indices) or "1"
        raise DivergenceError(
            f"int d^3q {num}/(q^2)^{p} e^(iq.x) is infrared divergent: its regulated value "
            f"(1/(q^2 + lambda^2)^{p}) keeps a coefficient that diverges as lambda -> 0 ({exc})") from None
    return FourierResult(indices, p, kernel, regulated, value, kernel.divergent_part)


def fourier_transform(indices: Sequence[str], p: int) -> FourierResult:
    """int d^3q/(2pi)^3 q_{i1}...q_{ik}/(q^2)^p e^{i q.x} for x != 0, via the regulator route.

    Parameters
    ----------
    indices : sequence of str
        The numerator's indices (may be empty for the scalar Coulomb kernel 1/q^2).
    p : int
        Power of q^2 in the denominator.  The integral converges at large q (as a distribution at x != 0) for
        any k.  At small q it is decided from the regulated computation: finite when every coefficient of the
        regulated value has a limit as lambda -> 0 (q_i/q^4 -> i n_i/(8 pi), although k - 2p = -3).

    Raises
    ------
    DivergenceError
        A coefficient of the regulated value diverges as lambda -> 0 (1/q^4, q_i q_j/q^6).

    Examples
    --------
    >>> fourier_transform((), 1).value.coefficients()
    [1/(4*pi*r)]
    """
    if isinstance(p, bool) or not isinstance(p, int) or p < 1:
        raise InputError(f"power p of 1/(q^2)^p must be an integer >= 1, got {p!r}")
    if p > MAX_POWER:     # the regulated computation decides divergence; this bounds its cost (p = 16: ~1 s)
        raise InputError(f"power p of 1/(q^2)^p is outside the supported range 1 <= p <= {MAX_POWER}, got {p}")
    indices = tuple(indices)
    if len(set(indices)) != len(indices):
        raise InputError(f"numerator indices must be distinct, got {indices}")
    # Divergence is decided by the regulated computation, not by power counting: q_i/q^4 (k - 2p = -3) is
    # finite at x != 0 (its divergent part 1/(8 pi lambda) is x-independent and the derivative removes it),
    # while 1/q^4 and q_i q_j/q^6 keep lambda-divergent, x-dependent coefficients (DivergenceError below).
    return _fourier_cached(indices, int(p))


def _cartesian_terms(f: sp.Expr) -> tuple[sp.Expr, dict]:
    """Write f(r) = C * sum_k c_k r^k (C the non-rational constant, c_k rational) as C, {((0,0,0), k): c_k}."""
    f = sp.expand(f)
    const = None
    terms: dict = {}
    for t in sp.Add.make_args(f):
        c, rest = t.as_independent(r)
        k = sp.degree(rest, r) if rest.is_polynomial(r) else -sp.degree(1 / rest, r)
        if rest != r**k:
            raise InputError(f"finite part {f} is not a Laurent polynomial in r")
        rat, C = c.as_coeff_Mul()
        if const is None:
            const = C
        elif C != const:
            raise InputError(f"finite part {f} mixes constants {const} and {C}")
        terms[((0, 0, 0), int(k))] = terms.get(((0, 0, 0), int(k)), 0) + sp.Rational(rat)
    return (const if const is not None else sp.S.One), terms


def _dx_terms(terms: dict, i: int) -> dict:
    """d/dx_i of sum c * x^a r^k in explicit Cartesian components, with dr/dx_i = x_i/r."""
    out: dict = {}
    for (a, k), c in terms.items():
        if a[i]:
            b = a[:i] + (a[i] - 1,) + a[i + 1:]
            out[(b, k)] = out.get((b, k), 0) + c * a[i]
        if k:
            b = a[:i] + (a[i] + 1,) + a[i + 1:]
            out[(b, k - 2)] = out.get((b, k - 2), 0) + c * k
    return {key: c for key, c in out.items() if c != 0}


@functools.lru_cache(maxsize=None)
def _cartesian_monomial(exponents: tuple[int, int, int], p: int) -> sp.Expr:
    """(-i)^k d1^a d2^b d3^c of the lambda^0 part of G_p in explicit Cartesian components, then x = r n.

    The finite part is a Laurent polynomial in r; its derivatives are sums of x1^a1 x2^a2 x3^a3 r^k, carried
    exactly (rational coefficients) with the rule dr/dx_i = x_i/r: explicit differentiation, no index calculus.
    """
    const, terms = _cartesian_terms(scalar_kernel(p).finite_part)
    for i, e in enumerate(exponents):
        for _ in range(e):
            terms = _dx_terms(terms, i)
    parts = [c * N[0] ** a[0] * N[1] ** a[1] * N[2] ** a[2] * r ** (sum(a) + k) for (a, k), c in terms.items()]
    return sp.expand((-sp.I) ** sum(exponents) * const * sp.Add(*parts))


def explicit_fourier(t, vector: tuple = None):
    """Independent route: Fourier transform of an explicit tensor whose components are polynomials in qhat.

    Each monomial qhat1^a qhat2^b qhat3^c (degree k even) is q1^a q2^b q3^c/(q^2)^(k/2); its transform is
    (-i)^k d1^a d2^b d3^c of the finite part of G_(k/2), differentiated by SymPy in explicit Cartesian
    coordinates (no index calculus).  The x-independent divergent part of G_p is dropped, which the Laurent
    expansion shows is legitimate for k >= 1.  Used to cross-check :func:`fourier_transform`.
    """
    gens = QHAT if vector is None else vector

    def comp(c):
        c = sp.expand(c)
        if c == 0:
            return sp.S.Zero
        poly = sp.Poly(c, *gens)
        total = sp.S.Zero
        for exps, coeff in poly.terms():
            k = sum(exps)
            if k % 2 or k == 0:
                raise InputError(f"monomial of degree {k} in qhat is not of the form q^(2m)/(q^2)^m with m >= 1")
            total += coeff * _cartesian_monomial(tuple(exps), k // 2)
        return total

    return t.map(comp)

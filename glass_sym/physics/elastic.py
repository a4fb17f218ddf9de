"""The long-wavelength phonon Hamiltonian, the completed square, polarization sums and Lambda(q).

Journal (A.2)-(A.11), preprint (A2)-(A9).  Per phonon mode (q, mu) the Hamiltonian (A.2) with the
stress-strain coupling (A.7) is ``m w^2/2 |u|^2 + a u + conj(a) conj(u)`` (plus the kinetic term) with

    a = i/(4 sqrt(N)) sum_s B^mu_ij(q) T^(s)_ij e^{i q.x_s},   B^mu_ij(q) = q_j e_mu,i(q) + q_i e_mu,j(q).

SymPy completes the square in u (u and its conjugate treated as independent variables), which gives the
equilibrium displacement (A.9) and the left-over term -m w^2 |u0|^2/2 (A.10), split into the same-block part U
and the between-block part V by expanding over two blocks.

The mode sum in V, sum_mu B^mu_ij B^mu_kl / (m w_mu^2), is done with e_l = qhat (A.4) and the transverse
completeness relation sum_t e_t,a e_t,b = delta_ab - qhat_a qhat_b (A.5); w_mu = c_mu q.

>>> from glass_sym.physics.elastic import lambda_q
>>> lq = lambda_q()
>>> sorted(lq.indices)
['i', 'j', 'k', 'l']
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import sympy as sp

from glass_sym import symbols as _S
from glass_sym.algebra.indexnotation import IndexExpr, delta, vec
from glass_sym.algebra.tensor import Comparison
from glass_sym.symbols import QHAT, Q, alpha, c_l, c_t, rho

__all__ = [
    "CompletedSquare",
    "complete_square",
    "two_block_split",
    "strain_vertex",
    "projector",
    "mode_sum",
    "lambda_q",
    "explicit_transverse_basis",
    "check_completeness",
    "check_lambda_q_explicit",
    "check_u0",
    "check_block_split",
    "mode_coefficient_to_alpha",
]

IDX = ("i", "j", "k", "l")

# symbols of the single-mode problem
u, ubar = sp.symbols("u ubar")  # u_mu(q) and its conjugate, independent variables
a, abar = sp.symbols("a abar")  # coefficient of the linear coupling and its conjugate
mass, Nblocks = sp.symbols("m N", positive=True)
omega = _S.omega  # the shared phonon frequency
# two-block problem: S_s = B:T^(s) and phases phi_s = q.x_s (real)
S1, S2 = sp.symbols("S1 S2", real=True)
ph1, ph2 = sp.symbols("phi1 phi2", real=True)


@dataclass(frozen=True)
class CompletedSquare:
    """Result of completing the square for one mode."""

    hamiltonian: sp.Expr  # m w^2 u ubar / 2 + a u + abar ubar
    u0: sp.Expr  # equilibrium u (solves dH/dubar = 0)
    u0bar: sp.Expr
    square: sp.Expr  # m w^2/2 (u - u0)(ubar - u0bar)
    extra: sp.Expr  # H - square: the left-over term, independent of u
    residual: sp.Expr  # H - (square + extra), expanded: must vanish
    extra_check: sp.Expr  # extra + m w^2 |u0|^2/2: must vanish (the form printed in (A.8))


@functools.lru_cache(maxsize=None)
def complete_square() -> CompletedSquare:
    """Complete the square of m w^2 |u|^2/2 + a u + conj(a) conj(u) in u (computed by SymPy).

    >>> cs = complete_square()
    >>> cs.u0
    -2*abar/(m*omega**2)
    >>> sp.expand(cs.residual), sp.expand(cs.extra_check)
    (0, 0)
    """
    H = mass * omega**2 / 2 * u * ubar + a * u + abar * ubar
    (u0,), = sp.linsolve([sp.diff(H, ubar)], [u])
    (u0bar,), = sp.linsolve([sp.diff(H, u)], [ubar])
    square = mass * omega**2 / 2 * (u - u0) * (ubar - u0bar)
    extra = sp.factor(sp.expand(H - square))
    residual = sp.expand(H - square - extra)
    if residual.has(u) or extra.has(u) or extra.has(ubar):
        raise ArithmeticError("completion of the square left u-dependence")  # pragma: no cover
    extra_check = sp.expand(extra + mass * omega**2 / 2 * u0 * u0bar)
    return CompletedSquare(H, u0, u0bar, square, extra, residual, extra_check)


@dataclass(frozen=True)
class BlockSplit:
    """-m w^2 |u0|^2 / 2 over two blocks, split into same-block (U) and between-block (V) parts."""

    u0: sp.Expr
    total: sp.Expr
    same_block: sp.Expr  # U (terms S1^2, S2^2)
    between_blocks: sp.Expr  # V (terms S1 S2), after symmetrizing q -> -q: the cos form
    residual: sp.Expr  # total - U - V_exp: must vanish


@functools.lru_cache(maxsize=None)
def two_block_split() -> BlockSplit:
    """Insert a = i/(4 sqrt N) sum_s S_s e^{i phi_s} (S_s = B:T^(s), phi_s = q.x_s) for two blocks.

    The coupling a u + conj(a) conj(u) reproduces (A.7); -m w^2 |u0|^2/2 then splits into the U and V of (A.10);
    averaging V over q -> -q (phi -> -phi) turns e^{-i(phi_1 - phi_2)} into cos(q.(x_1 - x_2)).

    >>> bs = two_block_split()
    >>> bs.residual
    0
    """
    cs = complete_square()
    a_val = sp.I / (4 * sp.sqrt(Nblocks)) * (S1 * sp.exp(sp.I * ph1) + S2 * sp.exp(sp.I * ph2))
    abar_val = sp.conjugate(a_val)
    u0 = cs.u0.subs({abar: abar_val})
    u0bar = cs.u0bar.subs({a: a_val})
    total = sp.expand(-mass * omega**2 / 2 * u0 * u0bar)
    poly = sp.Poly(total, S1, S2)
    same = sum((c * S1**i * S2**j for (i, j), c in poly.terms() if i + j == 2 and (i == 2 or j == 2)), sp.S.Zero)
    cross = sp.expand(total - same)
    # symmetrize q -> -q: phases flip sign
    flipped = cross.xreplace({ph1: -ph1, ph2: -ph2})
    cross_sym = sp.factor(sp.trigsimp(sp.expand(sp.expand((cross + flipped) / 2).rewrite(sp.cos))))
    residual = sp.expand(total - same - cross)
    return BlockSplit(u0, total, sp.factor(same), cross_sym, residual)


def strain_vertex(convention: str = "symmetric", pol: str = "e") -> IndexExpr:
    """B_ij / q: the coupling vertex of the strain to mode polarization ``pol``.

    ``symmetric`` (this paper, e_ij = (d_i u_j + d_j u_i)/2, (A.6)): qhat_j e_i + qhat_i e_j.
    ``jl`` (Joffrin-Levelut, e_ij = d u_i / d x_j): 2 qhat_j e_i (same normalization, so that it has the same
    symmetric part).
    """
    if convention == "symmetric":
        return vec("qhat", "j") * vec(pol, "i") + vec("qhat", "i") * vec(pol, "j")
    if convention == "jl":
        return (2 * vec("qhat", "j") * vec(pol, "i")).reorder(("i", "j"))
    raise ValueError(f"strain convention must be 'symmetric' or 'jl', got {convention!r}")


def projector(a_: str, b_: str) -> IndexExpr:
    """Transverse projector delta_ab - qhat_a qhat_b (A.5)."""
    return delta(a_, b_) - vec("qhat", a_) * vec("qhat", b_)


def mode_sum(convention: str = "symmetric") -> tuple[IndexExpr, IndexExpr]:
    """sum over modes of B_ij B_kl / q^2, longitudinal and transverse parts separately.

    Longitudinal: e_l = qhat (A.4).  Transverse: e_a e_b -> delta_ab - qhat_a qhat_b (A.5).
    """
    B1 = strain_vertex(convention)
    B2 = strain_vertex(convention).rename({"i": "k", "j": "l"})
    BB = B1 * B2  # indices i j k l, two factors of e
    longitudinal = BB.substitute_vector("e", "qhat").reorder(IDX)
    transverse = BB.replace_pairs("e", projector).reorder(IDX)
    return longitudinal, transverse


@functools.lru_cache(maxsize=None)
def lambda_q(convention: str = "symmetric") -> IndexExpr:
    """Lambda_ijkl(q) of (A.11): the q-space coefficient of T^(s)_ij T^(s')_kl in V.

    From (A.10): V's coefficient per mode is -1/(8 N m) sum_mu B B / w_mu^2 with w_mu = c_mu q; the continuum
    limit sum_q/(N m) -> (1/rho) int d^3q/(2pi)^3 leaves -(1/(8 rho)) sum_mu B B/(c_mu^2 q^2) as the integrand.
    Returned in terms of alpha = 1 - c_t^2/c_l^2 (1/c_l^2 = (1 - alpha)/c_t^2).
    """
    lon, tra = mode_sum(convention)
    coeff = -(lon / c_l**2 + tra / c_t**2) / (8 * rho)
    return mode_coefficient_to_alpha(coeff)


def mode_coefficient_to_alpha(e: IndexExpr) -> IndexExpr:
    """Rewrite 1/c_l^2 = (1 - alpha)/c_t^2 in every coefficient and collect."""
    return e.map_coefficients(lambda c: sp.factor(sp.expand(c.subs(c_l, c_t / sp.sqrt(1 - alpha)))))


def explicit_transverse_basis(qv=Q):
    """Two explicit (unnormalized) transverse vectors for a generic wave vector ``qv``.

    t1 = (-q2, q1, 0), t2 = q x t1: orthogonal to q and to each other, |t1|^2 = q1^2 + q2^2 = s and
    |t2|^2 = s q^2.  Products e_a e_b = t_a t_b/|t|^2 stay rational.  ``qv`` may hold SymPy symbols (default)
    or elements of a polynomial ring (the exact checks below use sparse polynomials over QQ).
    """
    q1, q2, q3 = qv
    t1 = (-q2, q1, q1 * 0)
    t2 = (q2 * t1[2] - q3 * t1[1], q3 * t1[0] - q1 * t1[2], q1 * t1[1] - q2 * t1[0])
    return t1, t2


def _homogenize(c: sp.Expr, degree: int, ring, qv, qq):
    """c(qhat) with qhat = q/|q|, times |q|^degree, as a polynomial in q (ring element), or None if c is not a
    polynomial over QQ in qhat (and alpha, when the ring has it) of even degree steps up to ``degree``."""
    gens = list(QHAT) + ([alpha] if len(ring.gens) > 3 else [])
    try:
        poly = sp.Poly(sp.expand(c), *gens, domain=sp.QQ)
    except (sp.PolynomialError, sp.polys.polyerrors.CoercionFailed):
        return None
    out = ring.zero
    for exps, coeff in poly.terms():
        d = sum(exps[:3])
        if d > degree or (degree - d) % 2:
            return None
        mono = qv[0] ** exps[0] * qv[1] ** exps[1] * qv[2] ** exps[2] * qq ** ((degree - d) // 2)
        if len(exps) > 3:
            mono = mono * ring.gens[3] ** exps[3]
        out += sp.QQ(int(coeff.p), int(coeff.q)) * mono
    return out


def check_completeness(value: IndexExpr):
    """Check (A.5) on ``value`` (the claimed sum_t e_ta e_tb, indices a b) with an explicit transverse basis.

    The basis t1, t2 of :func:`explicit_transverse_basis` is checked orthogonal (to q and to each other); then
    s Q value_ab(qhat = q/|q|) must equal t1_a t1_b Q + t2_a t2_b (s = |t1|^2, Q = q^2, |t2|^2 = s Q), a
    polynomial identity decided exactly in a sparse ring over QQ.  Returns [dot products..., Comparison].
    """
    ring, q1, q2, q3 = sp.ring("q1,q2,q3", sp.QQ)
    qv = (q1, q2, q3)
    t1, t2 = explicit_transverse_basis(qv)
    Qr, s_ = q1**2 + q2**2 + q3**2, q1**2 + q2**2
    dots = [sum(x * y for x, y in zip(a_, b_)) for a_, b_ in ((t1, qv), (t2, qv), (t1, t2))]
    residual = {}
    t = value.to_tensor()
    if t.rank != 2:
        return [Comparison(False, {(): f"rank {t.rank}, expected 2"})]
    for (a_, b_), c in t.items():
        hom = _homogenize(c, 2, ring, qv, Qr)
        if hom is None:
            residual[(a_, b_)] = c
            continue
        d = t1[a_] * t1[b_] * Qr + t2[a_] * t2[b_] - s_ * hom
        if d:
            residual[(a_, b_)] = d.as_expr()
    return [x.as_expr() for x in dots] + [Comparison(not residual, residual)]


def check_lambda_q_explicit(value: IndexExpr, convention: str = "symmetric"):
    """Check a claimed Lambda_ijkl(q) (A.11) against the mode sum over explicit polarization vectors.

    -8 rho c_t^2 Lambda(q) = (1 - alpha) B^l B^l + sum_t B^t B^t with e_l = qhat and e_t = t/|t| for the
    explicit basis t1, t2 (no projector, no index calculus).  Multiplied by s Q^2 both sides are polynomials
    in q and alpha, compared exactly in a sparse ring over QQ; a component that is not such a polynomial
    (a stray rho, c_t or c_l) is a residual.  Returns a Comparison over the 81 components.
    """
    ring, q1, q2, q3, al = sp.ring("q1,q2,q3,alpha", sp.QQ)
    qv = (q1, q2, q3)
    t1, t2 = explicit_transverse_basis(qv)
    qq = q1**2 + q2**2 + q3**2
    s_ = q1**2 + q2**2

    def B(e, i, j):
        return qv[j] * e[i] + qv[i] * e[j] if convention == "symmetric" else 2 * qv[j] * e[i]

    t = value.to_tensor()
    if t.rank != 4:
        return Comparison(False, {(): f"rank {t.rank}, expected 4"})
    residual = {}
    for (i, j, k, l), c in t.items():
        scaled = c * (-8 * rho * c_t**2)
        hom = _homogenize(scaled, 4, ring, qv, qq)  # expanded: rho c_t^2 cancels term by term (the usual case)
        if hom is None:  # otherwise the rational function in lowest terms, as before
            hom = _homogenize(sp.cancel(scaled), 4, ring, qv, qq)
        if hom is None:
            residual[(i, j, k, l)] = c
            continue
        explicit = (1 - al) * s_ * B(qv, i, j) * B(qv, k, l) + B(t1, i, j) * B(t1, k, l) * qq + B(t2, i, j) * B(t2, k, l)
        d = explicit - s_ * hom
        if d:
            residual[(i, j, k, l)] = d.as_expr()
    return Comparison(not residual, residual)


def check_u0(u0_value: sp.Expr):
    """Check a claimed equilibrium displacement (A.9) of the two-block problem without completing a square.

    With a = i/(4 sqrt N)(S1 e^{i phi1} + S2 e^{i phi2}): dH/d(conj u) = 0 at u = u0, and
    H - (m w^2/2)|u - u0|^2 has no u- or conj(u)-dependent coefficient (so H is the completed square of
    u - u0 plus a constant).  Returns the coefficients that must vanish.
    """
    u0_value = sp.sympify(u0_value).rewrite(sp.exp)  # trigonometric spellings of the phases are allowed
    a_val = sp.I / (4 * sp.sqrt(Nblocks)) * (S1 * sp.exp(sp.I * ph1) + S2 * sp.exp(sp.I * ph2))
    abar_val = sp.conjugate(a_val)
    H = mass * omega**2 / 2 * u * ubar + a_val * u + abar_val * ubar
    stationary = sp.expand(sp.diff(H, ubar).subs(u, u0_value))
    rest = sp.expand(H - mass * omega**2 / 2 * (u - u0_value) * (ubar - sp.conjugate(u0_value)))
    poly = sp.Poly(rest, u, ubar)
    return [stationary] + [sp.expand(c) for (i, j), c in poly.terms() if i or j]


def check_block_split(value: sp.MatrixBase, blocks: int = 3):
    """Check a claimed (U, V) of (A.10) for two blocks by an N-block route (default three blocks).

    The minimum of H over u is -2 |a|^2/(m w^2) (for H = m w^2 |u|^2/2 + a u + conj(a u)); with
    a = i/(4 sqrt N) sum_s S_s e^{i phi_s} over ``blocks`` blocks it is expanded, averaged over q -> -q
    (phi -> -phi) on the expanded sum, and split by the powers of the S_s.  Compared term by term: U must be
    the S1^2 + S2^2 part and V the S1 S2 part; every other pair (s, s') must carry the same V with its own
    phases (the pair form is universal).  Returns the differences, which must vanish.
    """
    if not isinstance(value, sp.MatrixBase) or value.shape != (1, 2):
        raise ValueError("expected the row (U, V)")
    U, V = value[0, 0], value[0, 1]
    Ss = sp.symbols(f"S1:{blocks + 1}", real=True)
    phs = sp.symbols(f"phi1:{blocks + 1}", real=True)
    a_val = sp.I / (4 * sp.sqrt(Nblocks)) * sum(S * sp.exp(sp.I * p) for S, p in zip(Ss, phs))
    total = sp.expand(-2 * a_val * sp.conjugate(a_val) / (mass * omega**2))
    flipped = total.xreplace({p: -p for p in phs})
    averaged = sp.expand((total + flipped) / 2)
    poly = sp.Poly(averaged, *Ss)
    out = []
    same = sum((c * sp.Mul(*[S**e for S, e in zip(Ss, exps)]) for exps, c in poly.terms() if max(exps) == 2),
               sp.S.Zero)
    two = {S1: Ss[0], S2: Ss[1], ph1: phs[0], ph2: phs[1]}
    out.append(_zero_or_simplified(same.subs({S: 0 for S in Ss[2:]}) - U.xreplace(two)))
    for s_, t_ in itertools.combinations(range(blocks), 2):
        exps = tuple(1 if k in (s_, t_) else 0 for k in range(blocks))
        pair = poly.coeff_monomial(exps) * Ss[s_] * Ss[t_]
        mine = V.xreplace({S1: Ss[s_], S2: Ss[t_], ph1: phs[s_], ph2: phs[t_]})
        out.append(_zero_or_simplified((pair - mine).rewrite(sp.exp)))
    return out


def _zero_or_simplified(expr: sp.Expr) -> sp.Expr:
    """0 when ``expand`` cancels ``expr`` term by term (exactly zero), else ``simplify(expr)`` as before."""
    return sp.S.Zero if sp.expand(expr) == 0 else sp.simplify(expr)

"""The six first-order terms J1 ... J6 of journal (C.10) in an explicit finite two-block model.

Appendix C expands J (C.9) to first order in the stress-stress interaction V: J1 and J2 come from the
Boltzmann weight P_n^sup = e^{-beta E_n^sup}/Z^sup with E_n^sup = E_n + <n|V|n>, J3 ... J6 from the four
first-order corrections of the perturbed states in <n^sup|T^(s)|l^sup><l^sup|T^(s')|n^sup> (bra n, ket l,
bra l, ket n, in that order).  The text before (C.11) states J5 = J3 and J6 = J4 "with the exchange of
indices" and J1 = J2 = 0 follows from (C.14)/(C.15).

This module evaluates all six in a model small enough to be exact (two blocks u, v with three levels each,
nine product states, Gaussian-rational Hermitian stress matrices with vanishing diagonal as the paper's
rule (2) after (C.7) assumes, symbolic real Boltzmann weights ``P_n``, the delta function of (C.10) kept as
an undefined real function ``g(E_l - E_n)``), by two independent routes:

* ``"loops"``: the printed sums of (C.10) written out over states and block labels;
* ``"states"``: the perturbed states |n^sup> = |n> + sum_p V_pn/(E_n - E_p)|p> built as vectors, the product
  expanded with one bookkeeping parameter per corrected state (and one for the weight), and each J read off
  as the coefficient of its parameter.

The common prefactor 2 pi omega (1 - e^{-beta omega}) of (C.10) is left out (it multiplies every term).
The block label pairs (s, s') carry the phase conj(phi_s) phi_s' = e^{-i k.(x_s - x_s')}.

>>> J = j_terms(default_model(), "loops")
>>> J["J1"], J["J2"]
(0, 0)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp
from sympy.polys.domains import QQ_I

from glass_sym import symbols as _S
from glass_sym.errors import InputError

__all__ = ["TwoBlockModel", "default_model", "j_terms", "ROUTES", "G", "BETA"]

ROUTES = ("loops", "states")
#: the delta function delta(omega - E_l + E_n) of (C.10), kept as an undefined real function of E_l - E_n
G = sp.Function("g", real=True)
BETA = _S.beta  # 1/(k_B T), the shared symbol


@dataclass(frozen=True)
class TwoBlockModel:
    """Two blocks u, v: level energies (rational), Hermitian stress matrices with zero diagonal in the
    energy basis, phases phi_u, phi_v (e^{i k.x_s}) and the interaction V = sum_{s != s'} Lambda T^(s) T^(s')
    = 2 Lambda T^(u) T^(v) (scalar stress components; the tensor indices are contracted separately)."""

    e_u: tuple
    e_v: tuple
    t_u: sp.Matrix
    t_v: sp.Matrix
    phi_u: sp.Expr
    phi_v: sp.Expr
    lam: sp.Expr


def default_model(kind: str = "complex") -> TwoBlockModel:
    """The model used by the Appendix C chain: ``"complex"`` (Gaussian-rational Hermitian stresses, phases
    1 and i) or ``"real"`` (real symmetric stresses, phases 1 and -1: a lattice symmetric under x -> -x, where
    sum e^{-ik.x} Lambda(x) is real).  Energies (0, 1, 3) and (0, 5, 11): all nine sums are distinct."""
    I = sp.I
    if kind == "complex":
        t_u = sp.Matrix([[0, 1 + 2 * I, 3 - I], [1 - 2 * I, 0, 2], [3 + I, 2, 0]])
        t_v = sp.Matrix([[0, 2 - I, 1], [2 + I, 0, -1 + 3 * I], [1, -1 - 3 * I, 0]])
        phases = (sp.Integer(1), I)
    elif kind == "real":
        t_u = sp.Matrix([[0, 1, 3], [1, 0, 2], [3, 2, 0]])
        t_v = sp.Matrix([[0, 2, 1], [2, 0, -1], [1, -1, 0]])
        phases = (sp.Integer(1), sp.Integer(-1))
    else:
        raise InputError(f"model kind must be 'complex' or 'real'; got {kind!r}")
    return TwoBlockModel((0, 1, 3), (0, 5, 11), t_u, t_v, phases[0], phases[1], sp.Rational(1, 7))


def _space(m: TwoBlockModel):
    states = list(itertools.product(range(len(m.e_u)), range(len(m.e_v))))
    E = [sp.Integer(m.e_u[a] + m.e_v[b]) for a, b in states]
    if len(set(E)) != len(E):
        raise InputError("product energies must be non-degenerate (first-order perturbation theory)")
    P = [sp.Symbol(f"P_{a}{b}", real=True) for a, b in states]
    return states, E, P


def _t_full(m: TwoBlockModel, states, s: int, i: int, j: int) -> sp.Expr:
    """<i|T^(s)|j> in the product basis (s = 0: block u, s = 1: block v)."""
    (a, b), (c, d) = states[i], states[j]
    if s == 0:
        return m.t_u[a, c] if b == d else sp.S.Zero
    return m.t_v[b, d] if a == c else sp.S.Zero


def _phase(m: TwoBlockModel, s: int, s2: int) -> sp.Expr:
    ph = (m.phi_u, m.phi_v)
    return sp.conjugate(ph[s]) * ph[s2]


def j_terms(m: TwoBlockModel, route: str = "loops") -> dict:
    """{"J3": ..., "J6": ..., "J1+J2": ...} of (C.10) without the prefactor 2 pi omega (1 - e^{-beta omega}).

    The "loops" route also gives "J1" and "J2" separately; the "states" route gives the weight term J1 + J2
    as one derivative of the Boltzmann factor (its J1/J2 split is a matter of writing Z^sup).

    ``route`` "loops" (the printed sums) or "states" (perturbed state vectors); raises :class:`InputError`
    for another route or a degenerate spectrum.

    Both routes compute in a sparse polynomial ring over the Gaussian rationals QQ<I> (generators: the weights
    P_n, beta, one placeholder per value of g and, for "states", the bookkeeping parameters), which is exact;
    the results are returned as expanded SymPy expressions.
    """
    if route not in ROUTES:
        raise InputError(f"route must be one of {ROUTES}; got {route!r}")
    states, E, P = _space(m)
    n = len(states)
    T = [[[_t_full(m, states, s, i, j) for j in range(n)] for i in range(n)] for s in (0, 1)]
    pairs = [(s, s2, _phase(m, s, s2)) for s in (0, 1) for s2 in (0, 1)]
    return (_loops if route == "loops" else _states)(m, E, P, T, pairs, n)


def _gauss(x) -> "QQ_I":
    """A SymPy Gaussian rational as an element of QQ<I> (raises for anything else)."""
    return QQ_I.from_sympy(sp.sympify(x))


def _conj(c):
    """Complex conjugate of a QQ<I> element."""
    return QQ_I.new(c.x, -c.y)


def _g_placeholders(E):
    """One real placeholder symbol per value E_l - E_n of the delta function g, and the map back to g(...)."""
    diffs = sorted({el - en for el in E for en in E})
    sym = {dv: sp.Symbol(f"_g_{i}", real=True) for i, dv in enumerate(diffs)}
    return sym, {s: G(dv) for dv, s in sym.items()}


def _to_expr(p, back: dict) -> sp.Expr:
    """Ring element -> expanded SymPy expression with the placeholders replaced by their values."""
    return sp.expand(p.as_expr().xreplace(back))


def _loops(m, E, P, T, pairs, n):
    gsym, gback = _g_placeholders(E)
    R = sp.ring([*P, BETA, *gsym.values()], QQ_I)[0]
    Pr = [R(p) for p in P]
    beta = R(BETA)
    gr = {dv: R(s) for dv, s in gsym.items()}
    Tq = [[[_gauss(x) for x in row] for row in Ts] for Ts in T]
    lam2 = _gauss(2 * m.lam)
    zero = QQ_I.zero
    V = [[lam2 * sum((Tq[0][i][k] * Tq[1][k][j] for k in range(n)), zero) for j in range(n)] for i in range(n)]
    inv = [[QQ_I.from_sympy(sp.Rational(1, E[a] - E[k])) if a != k else zero for k in range(n)] for a in range(n)]
    J = dict.fromkeys(("J1", "J2", "J3", "J4", "J5", "J6"), R.zero)
    sumP_V = sum((Pr[k] * V[k][k] for k in range(n)), R.zero)
    for s, s2, ph in pairs:
        A, B, phq = Tq[s], Tq[s2], _gauss(ph)
        for a, l in itertools.product(range(n), repeat=2):
            w = Pr[a] * gr[E[l] - E[a]] * phq
            ab = A[a][l] * B[l][a]
            J["J1"] += -beta * w * (V[a][a] * ab)
            J["J2"] += beta * w * sumP_V * ab
            c3 = sum((V[a][k] * inv[a][k] * A[k][l] * B[l][a] for k in range(n) if k != a), zero)
            c6 = sum((A[a][l] * B[l][k] * V[k][a] * inv[a][k] for k in range(n) if k != a), zero)
            c4 = sum((A[a][k] * V[k][l] * inv[l][k] * B[l][a] for k in range(n) if k != l), zero)
            c5 = sum((A[a][l] * V[l][k] * inv[l][k] * B[k][a] for k in range(n) if k != l), zero)
            J["J3"] += w * c3
            J["J4"] += w * c4
            J["J5"] += w * c5
            J["J6"] += w * c6
    out = {k: _to_expr(v, gback) for k, v in J.items()}
    out["J1+J2"] = _to_expr(J["J1"] + J["J2"], gback)
    return out


def _states(m, E, P, T, pairs, n):
    gsym, gback = _g_placeholders(E)
    eps = sp.symbols("eps1:7", real=True)
    W = sp.symbols(f"_W0:{n}", real=True)  # placeholders for d/d eps6 of the Boltzmann weights at eps6 = 0
    R = sp.ring([*eps, *P, *W, *gsym.values()], QQ_I)[0]
    er = [R(e) for e in eps]
    Tq = [[[_gauss(x) for x in row] for row in Ts] for Ts in T]
    lam2 = _gauss(2 * m.lam)
    zero = QQ_I.zero
    V = [[lam2 * sum((Tq[0][i][k] * Tq[1][k][j] for k in range(n)), zero) for j in range(n)] for i in range(n)]

    def ket(k, e):
        """|k^sup> = |k> + e sum_p V_pk/(E_k - E_p)|p> with the bookkeeping parameter e."""
        return [R.one if p == k else e * (V[p][k] * QQ_I.from_sympy(sp.Rational(1, E[k] - E[p])))
                for p in range(n)]

    def bra(k, e):
        """<k^sup| = conjugate transpose of |k^sup> (e real)."""
        return [R({mono: _conj(c) for mono, c in x.items()}) for x in ket(k, e)]

    def apply(A, v):
        return [sum((v[j] * A[i][j] for j in range(n) if A[i][j]), R.zero) for i in range(n)]

    def dot(u, v):
        return sum((x * y for x, y in zip(u, v) if x and y), R.zero)

    # Boltzmann weights e^{-beta E_k^sup}/Z^sup with E_k^sup = E_k + eps6 <k|V|k>, differentiated exactly (SymPy)
    Vs = [[sp.sympify(V[i][j].x) + sp.I * sp.sympify(V[i][j].y) for j in range(n)] for i in range(n)]
    boltz = [sp.exp(-BETA * (E[k] + eps[5] * Vs[k][k])) for k in range(n)]
    Zs = sum(boltz)
    dweight = {W[a]: sp.diff(boltz[a] / Zs, eps[5]).subs(eps[5], 0) for a in range(n)}
    kets = {(k, j): ket(k, er[j]) for k in range(n) for j in (1, 3)}
    bras = {(k, j): bra(k, er[j]) for k in range(n) for j in (0, 2)}
    total = R.zero
    for s, s2, ph in pairs:
        A, B, phq = Tq[s], Tq[s2], _gauss(ph)
        A_ket_l = [apply(A, kets[(l, 1)]) for l in range(n)]
        B_ket_a = [apply(B, kets[(a, 3)]) for a in range(n)]
        for a, l in itertools.product(range(n), repeat=2):
            w0 = R(P[a]) + er[5] * R(W[a])
            first = dot(bras[(a, 0)], A_ket_l[l])
            second = dot(bras[(l, 2)], B_ket_a[a])
            total += w0 * R(gsym[E[l] - E[a]]) * phq * first * second
    ne = len(eps)

    def first_order(j):
        """Coefficient of eps_j in ``total`` with the other bookkeeping parameters set to 0."""
        want, free = tuple(1 if i == j else 0 for i in range(ne)), (0,) * ne
        return R({free + mono[ne:]: c for mono, c in total.items() if mono[:ne] == want})

    out = {f"J{k + 3}": _to_expr(first_order(k), gback) for k in range(4)}
    # the weight term (J1 + J2 together): d/d eps6 of e^{-beta E^sup}/Z^sup at eps6 = 0
    out["J1+J2"] = sp.simplify(sp.expand(first_order(5).as_expr()).xreplace({**dweight, **gback}))
    return out

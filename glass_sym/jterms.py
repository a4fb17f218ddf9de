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

from .errors import InputError

__all__ = ["TwoBlockModel", "default_model", "j_terms", "ROUTES", "G", "BETA"]

ROUTES = ("loops", "states")
#: the delta function delta(omega - E_l + E_n) of (C.10), kept as an undefined real function of E_l - E_n
G = sp.Function("g", real=True)
BETA = sp.Symbol("beta", positive=True)


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
    """
    if route not in ROUTES:
        raise InputError(f"route must be one of {ROUTES}; got {route!r}")
    states, E, P = _space(m)
    n = len(states)
    T = [[[_t_full(m, states, s, i, j) for j in range(n)] for i in range(n)] for s in (0, 1)]
    pairs = [(s, s2, _phase(m, s, s2)) for s in (0, 1) for s2 in (0, 1)]
    return (_loops if route == "loops" else _states)(m, E, P, T, pairs, n)


def _loops(m, E, P, T, pairs, n):
    V = [[2 * m.lam * sum(T[0][i][k] * T[1][k][j] for k in range(n)) for j in range(n)] for i in range(n)]
    g = lambda l, k: G(E[l] - E[k])  # noqa: E731
    J = dict.fromkeys(("J1", "J2", "J3", "J4", "J5", "J6"), sp.S.Zero)
    sumP_V = sum(P[k] * V[k][k] for k in range(n))
    for s, s2, ph in pairs:
        A, B = T[s], T[s2]
        for a, l in itertools.product(range(n), repeat=2):
            w = P[a] * g(l, a) * ph
            J["J1"] += -BETA * w * V[a][a] * A[a][l] * B[l][a]
            J["J2"] += BETA * w * sumP_V * A[a][l] * B[l][a]
            for k in range(n):
                if k != a:
                    J["J3"] += w * V[a][k] / (E[a] - E[k]) * A[k][l] * B[l][a]
                    J["J6"] += w * A[a][l] * B[l][k] * V[k][a] / (E[a] - E[k])
                if k != l:
                    J["J4"] += w * A[a][k] * V[k][l] / (E[l] - E[k]) * B[l][a]
                    J["J5"] += w * A[a][l] * V[l][k] / (E[l] - E[k]) * B[k][a]
    out = {k: sp.expand(v) for k, v in J.items()}
    out["J1+J2"] = sp.expand(out["J1"] + out["J2"])
    return out


def _states(m, E, P, T, pairs, n):
    Tu, Tv = sp.Matrix(T[0]), sp.Matrix(T[1])
    V = 2 * m.lam * Tu * Tv
    eps = sp.symbols("eps1:7", real=True)

    def ket(k, e):
        v = sp.zeros(n, 1)
        v[k] = 1
        for p in range(n):
            if p != k:
                v[p] += e * V[p, k] / (E[k] - E[p])
        return v

    # Boltzmann weights e^{-beta E_k^sup}/Z^sup with E_k^sup = E_k + eps6 <k|V|k>, differentiated exactly
    boltz = [sp.exp(-BETA * (E[k] + eps[5] * V[k, k])) for k in range(n)]
    Zs = sum(boltz)
    weights = [b / Zs for b in boltz]
    total = sp.S.Zero
    for s, s2, ph in pairs:
        A, B = sp.Matrix(T[s]), sp.Matrix(T[s2])
        for a, l in itertools.product(range(n), repeat=2):
            bra_a, ket_l = ket(a, eps[0]).H, ket(l, eps[1])
            bra_l, ket_a = ket(l, eps[2]).H, ket(a, eps[3])
            w0 = P[a] + eps[5] * sp.diff(weights[a], eps[5]).subs(eps[5], 0)
            total += w0 * G(E[l] - E[a]) * ph * (bra_a * A * ket_l)[0, 0] * (bra_l * B * ket_a)[0, 0]
    total = sp.expand(total)
    zero = {e: 0 for e in eps}
    out = {f"J{k + 3}": sp.expand(total.coeff(e, 1).subs(zero)) for k, e in enumerate(eps[:4])}
    # the weight term (J1 + J2 together): d/d eps6 of e^{-beta E^sup}/Z^sup at eps6 = 0
    out["J1+J2"] = sp.simplify(total.coeff(eps[5], 1).subs(zero))
    return out

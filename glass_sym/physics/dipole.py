"""Electric dipole-dipole kernels of Appendix D: mu_ij (D.2), Delta mu_ij (D.3) and Delta p_i (D.4).

Convention for epsilon (the one that gives the printed 8 pi epsilon): epsilon is the SI permittivity, so the
Coulomb energy of charges e, e' is e e'/(4 pi epsilon |x|) and the potential of a charge density is
phi(q) = rho(q)/(epsilon q^2).  A point dipole p at x has the charge density -p.grad delta(y - x), whose
Fourier transform SymPy obtains from two charges +-e at x +- t l/2 to first order in t (p = e t l):
rho(q) = -i (q.p) e^{-i q.x}.  The interaction energy of two dipoles is then

    U = (1/epsilon) int d^3q/(2pi)^3 rho_1(q) rho_2(-q)/q^2 = (1/epsilon) p_i p'_j F[q_i q_j/q^2](x_1 - x_2),

with F the Fourier engine (regulator route of Appendix A).  (D.2) sums over ordered pairs s != s', so each
pair appears twice and mu = U/2: mu_ij = (delta_ij - 3 n_i n_j)/(8 pi epsilon r^3).

Delta mu is the first-order change of mu under x -> x + Delta_x m (:mod:`glass_sym.physics.displacement`), and
(D.4) is the change of the dipole moment when the two charges are carried along by u(x).

>>> sp.factor(mu().to_tensor()[2, 2])
-(3*n3**2 - 1)/(8*pi*epsilon*r**3)
"""

from __future__ import annotations

import functools

import sympy as sp

from glass_sym.algebra.fourier import fourier_transform
from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.algebra.tensor import Tensor
from glass_sym.symbols import N, Q, X, epsilon, r

from .displacement import DELTA_X, first_order_change

__all__ = ["dipole_form_factor", "coulomb_dipole_numerator", "mu", "delta_mu", "delta_p",
           "pair_energy_explicit"]

_t = sp.Symbol("t_dip", positive=True)
_charge = sp.Symbol("e_charge", positive=True)
L_VEC = sp.symbols("l1:4", real=True)  # charge separation direction of a dipole
P_VEC = sp.symbols("p1:4", real=True)  # dipole moment p of block s
P2_VEC = sp.symbols("pp1:4", real=True)  # dipole moment p' of block s'


def _first_order_in_t(f: sp.Expr) -> sp.Expr:
    """f(0) + t f'(0): the Taylor polynomial of order 1 in the charge separation t (what
    ``series(f, t, 0, 2).removeO().doit()`` gives, the same expression, several times faster)."""
    return (f.subs(_t, 0) + _t * sp.diff(f, _t).subs(_t, 0)).doit()


def dipole_form_factor() -> sp.Expr:
    """rho(q) e^{i q.x} of a point dipole at x, from charges +-e at x +- t l/2 to first order in t.

    Returned in terms of p = e t l (components ``p1, p2, p3``) and q (``q1, q2, q3``).

    >>> dipole_form_factor()
    -I*p1*q1 - I*p2*q2 - I*p3*q3
    """
    qx_plus = _t * sum(Q[a] * L_VEC[a] for a in range(3)) / 2  # q.(t l/2)
    # charges +e at x + t l/2, -e at x - t l/2; the common factor e^{-i q.x} is divided out
    rho = _charge * (sp.exp(-sp.I * qx_plus) - sp.exp(sp.I * qx_plus))
    first = sp.expand(_first_order_in_t(rho))
    p_of_l = {L_VEC[a]: P_VEC[a] / (_charge * _t) for a in range(3)}
    return sp.expand(first.subs(p_of_l))


def coulomb_dipole_numerator() -> sp.Expr:
    """rho_1(q) rho_2(-q) for dipoles p (block s) and p' (block s'), phase e^{-i q.(x_1 - x_2)} divided out.

    >>> sp.factor(coulomb_dipole_numerator())
    (p1*q1 + p2*q2 + p3*q3)*(pp1*q1 + pp2*q2 + pp3*q3)
    """
    f1 = dipole_form_factor()
    f2 = dipole_form_factor().subs({**{P_VEC[a]: P2_VEC[a] for a in range(3)}, **{Q[a]: -Q[a] for a in range(3)}},
                                   simultaneous=True)
    return sp.expand(f1 * f2)


@functools.lru_cache(maxsize=None)
def mu() -> IndexExpr:
    """mu_ij of (D.2): half the pair energy coefficient of p_i p'_j (ordered-pair sum), Fourier engine route.

    The numerator (q.p)(q.p') (even in q, so e^{-i q.x} may be replaced by e^{i q.x}) is p_i p'_j q_i q_j;
    its transform over 1/q^2 is ``fourier_transform(('i', 'j'), 1)``.
    """
    ft = fourier_transform(("i", "j"), 1).value
    return (ft / (2 * epsilon)).map_coefficients(sp.factor)


@functools.lru_cache(maxsize=None)
def delta_mu() -> IndexExpr:
    """Delta mu_ij of (D.3): Delta_x m_p d_p mu_ij, the first-order change under x -> x + Delta_x m.

    Coefficients hold ``Delta_x`` (|Delta x_ss'|, :data:`glass_sym.physics.displacement.DELTA_X`), epsilon, r and
    cos(theta) = m.n written out in components.
    """
    return (first_order_change(mu()) * DELTA_X).map_coefficients(sp.factor)


def delta_p() -> tuple[Tensor, Tensor]:
    """(D.4): the change of a dipole moment when its charges follow a displacement field u(y).

    Charges +-e at x +- t l/2 move to x +- t l/2 + u(x +- t l/2); the new moment minus the old one, to first
    order in t, with u a general (undefined) SymPy function of y.  Returns ``(derived, formula)``: the derived
    Delta p_i and sum_k (d u_i/d x_k) p_k, both as rank-1 Tensors in p = e t l.
    """
    u = [sp.Function(f"u{i + 1}") for i in range(3)]
    plus = [X[a] + _t * L_VEC[a] / 2 for a in range(3)]
    minus = [X[a] - _t * L_VEC[a] / 2 for a in range(3)]
    change = [_charge * (u[i](*plus) - u[i](*minus)) for i in range(3)]
    first = [_first_order_in_t(c) for c in change]
    p_of_l = {L_VEC[a]: P_VEC[a] / (_charge * _t) for a in range(3)}
    derived = Tensor(1, [sp.expand(c.subs(p_of_l)) for c in first])
    formula = Tensor(1, [sum(sp.diff(u[i](*X), X[k]) * P_VEC[k] for k in range(3)) for i in range(3)])
    return derived, formula


def pair_energy_explicit() -> Tensor:
    """Independent route for mu: the pair energy of two point dipoles in real space, halved.

    U = p_i p'_j d_i d'_j [1/(4 pi epsilon |x - x'|)] (the dipoles as derivatives of point charges), differentiated
    by SymPy in Cartesian coordinates, then x = r n.  Returns the rank-2 Tensor U_ij/2.
    """
    rr = sp.sqrt(X[0] ** 2 + X[1] ** 2 + X[2] ** 2)
    phi = 1 / (4 * sp.pi * epsilon * rr)

    def comp(ij):
        i, j = ij
        # d'_j acting on x' = -d_j acting on x = x_s - x_s'
        f = -sp.diff(phi, X[i], X[j]) / 2
        f = f.subs(X[0] ** 2 + X[1] ** 2 + X[2] ** 2, r**2)
        return sp.expand(f.subs({X[a]: r * N[a] for a in range(3)}, simultaneous=True))

    return Tensor.from_function(2, comp)

"""Appendix D rebuilt: the dipole-dipole kernel mu (D.2), its change Delta mu (D.3), Delta p (D.4) and (D.6).

Journal (D.2)-(D.6); preprint (5.2)-(5.4).  Steps:

* the Fourier transform of a point dipole's charge density, from two charges +-e to first order in their
  separation (SymPy series), checked against the transform of -p.grad delta;
* (D.2) mu_ij = (1/(2 epsilon)) F[q_i q_j/q^2] with the Fourier engine (SI epsilon, ordered-pair sum: the 1/2),
  checked by real-space Cartesian differentiation of the Coulomb potential;
* (D.3) Delta mu = Delta_x m.grad mu (same first-order expansion as Appendix B), checked along x + t m;
* (D.4) Delta p_i = (d u_i/d x_k) p_k from charges carried by a general displacement field;
* (D.5) the factor 2 of 2 mu Delta p p' from the pair symmetry mu^(s's)_ji = mu^(ss')_ij;
* (D.6) the angular averages of the squared couplings for l and t waves (procedure in
  docs/appendices_bcd.md), checked by an independent route (explicit Cartesian mu and Delta mu, Gamma-function
  sphere averages); registered as ``d6_angular_averages``.  The comparison
  with the printed 94/960 and 53/960 is an audit finding (``glass-sym audit``, record jpcm2020 (D.6)).
"""

from __future__ import annotations

import sympy as sp

from glass_sym.algebra.tensor import Tensor, compare
from glass_sym.physics import absorption, dipole
from glass_sym.physics.displacement import DELTA_X, explicit_first_order_change
from glass_sym.records.derivation import Derivation, Note
from glass_sym.records.mutation import as_tensor, break_index_symmetry
from glass_sym.symbols import N, Q, epsilon, r

NAME = "appendix-d"
TITLE = "Appendix D: dipole-dipole kernels mu, Delta mu, Delta p and the (D.6) angular averages"
PROVIDES = ("mu", "delta_mu", "d6_angular_averages")

def _d6_explicit(pol: str, mu_explicit: Tensor) -> dict:
    """The four (D.6) averages by a route that shares no code with :func:`glass_sym.physics.absorption.d6_kernel`.

    mu_ab from Cartesian derivatives of the Coulomb potential (``dipole.pair_energy_explicit``); Delta mu =
    Delta_x (Ahat.grad) mu with Delta_x = i k A r (khat.n), the derivative taken on the explicit components
    along Ahat; G = Ahat khat^T; everything per unit i k A/(8 pi epsilon r^3); averages <sum_ab K_ab^2> with
    every monomial averaged by the Gamma-function formula.  khat = e_3; Ahat = e_3 (l) or e_1 (t).
    """
    khat = (0, 0, 1)
    a = khat if pol == "l" else (1, 0, 0)
    unit = 8 * sp.pi * epsilon * r**3
    kn = sum(k * n for k, n in zip(khat, N))
    dmu = explicit_first_order_change(mu_explicit, direction=a).map(lambda c: sp.expand(sp.cancel(c * r * kn * unit)))
    mu_u = mu_explicit.map(lambda c: sp.expand(sp.cancel(c * unit)))
    gt_mu = [[sum(a[i] * khat[x] * mu_u[i, y] for i in range(3)) for y in range(3)] for x in range(3)]
    mu_g = [[sum(mu_u[x, i] * a[i] * khat[y] for i in range(3)) for y in range(3)] for x in range(3)]
    kernels = {
        "pair": [2 * (dmu[x, y] + gt_mu[x][y] + mu_g[x][y]) for x in range(3) for y in range(3)],
        "ordered": [dmu[x, y] + 2 * gt_mu[x][y] for x in range(3) for y in range(3)],
        "delta_mu_only": [dmu[x, y] for x in range(3) for y in range(3)],
        "delta_p_only": [2 * gt_mu[x][y] for x in range(3) for y in range(3)],
    }
    return {k: absorption.sphere_average_gaussian_of(sum(c**2 for c in comps)) for k, comps in kernels.items()}


def build() -> Derivation:
    d = Derivation(NAME, TITLE)

    # ---------------------------------------------------------------- dipole form factor
    ff = dipole.dipole_form_factor()
    qp = sum(Q[a] * dipole.P_VEC[a] for a in range(3))
    d.step(None, "dipole_form_factor", "Charge density of a point dipole in q-space: rho(q) = -i (q.p) e^{-iq.x}",
           lhs=r"\rho_{\vec p}(\vec q)\,e^{i\vec q\cdot\vec x}", value=ff,
           how="charges +-e at x +- t l/2, e^{-iq.y} summed, first order of the SymPy series in t, p = e t l",
           check=lambda v: sp.expand(v + sp.I * qp),
           check_text="int d^3y [-p.grad delta(y)] e^{-iq.y} = p.grad e^{-iq.y}|_0 = -i q.p")
    num = dipole.coulomb_dipole_numerator()
    bilinear = sum(dipole.P_VEC[i] * dipole.P2_VEC[j] * Q[i] * Q[j] for i in range(3) for j in range(3))
    d.step(None, "dipole_pair_numerator", "rho_1(q) rho_2(-q) = p_i p'_j q_i q_j",
           lhs=r"\rho_1(\vec q)\rho_2(-\vec q)", value=sp.factor(num),
           how="product of the two form factors (q -> -q in the second); even in q, so e^{-iq.x} -> e^{iq.x}",
           check=lambda v: sp.expand(v - bilinear), check_text="coefficient of p_i p'_j is q_i q_j")

    # ---------------------------------------------------------------- (D.2)
    mu = dipole.mu()
    pair_explicit = dipole.pair_energy_explicit()
    mu_t = mu.to_tensor()
    d.step("D.2", "mu", "Dipole-dipole coefficient mu_ij = (1/(2 epsilon)) int d^3q/(2pi)^3 q_i q_j/q^2 e^{iq.x}",
           lhs=r"\mu_{ij}^{(ss')}", value=mu,
           how="Fourier engine fourier_transform(('i','j'), 1) (regulator 1/(q^2+lambda^2), lambda -> 0); "
               "U = (1/epsilon) p_i p'_j F[q_i q_j/q^2] with SI epsilon (Coulomb energy e e'/(4 pi epsilon r)); "
               "the ordered-pair sum over s != s' counts each pair twice: mu = U/2, hence 8 pi epsilon",
           check=lambda v: compare(as_tensor(v), pair_explicit),
           check_text="-(1/2) d_i d_j [1/(4 pi epsilon |x|)] by Cartesian SymPy differentiation, 9 components",
           register="mu")

    # ---------------------------------------------------------------- (D.3)
    dmu = dipole.delta_mu()
    dmu_explicit = explicit_first_order_change(mu_t) * DELTA_X
    d.step("D.3", "delta_mu", "Delta mu_ij to first order in Delta x = u(x_s) - u(x_s') = Delta_x m",
           lhs=r"\Delta\mu_{ij}^{(ss')}", value=dmu,
           how="Delta_x m_p d_p mu_ij by the index-calculus chain rule (as for Delta Lambda, Appendix B); "
               "cos(theta) = m.n written out",
           check=lambda v: [compare(as_tensor(v), dmu_explicit), compare(as_tensor(v).permute((1, 0)), as_tensor(v))],
           check_text="Cartesian derivative along x + t m of every component; symmetric in i <-> j",
           register="delta_mu")

    # ---------------------------------------------------------------- (D.4), (D.5)
    derived, formula = dipole.delta_p()
    d.step("D.4", "delta_p", "Delta p_i = sum_k (d u_i/d x_k) p_k",
           lhs=r"\Delta\hat p_i(\vec x,t)", value=sp.ImmutableMatrix(derived.components),
           how="charges +-e at x +- t l/2 carried to x +- t l/2 + u(x +- t l/2), u a general SymPy function; "
               "new moment minus old to first order in t, p = e t l",
           check=lambda v: compare(Tensor(1, list(v)), formula),
           check_text="equals the gradient formula (D.4) component by component")
    d.step("D.5", "dipole_pair_symmetry", "mu^(s's)_ji = mu^(ss')_ij, so both Delta p terms give 2 mu Delta p p'",
           lhs=r"\mu^{(s's)}_{ji}", value=mu, kind="property", of="mu",
           how="n -> -n and transpose",
           check=lambda v: compare(as_tensor(v).subs({s: -s for s in N}, simultaneous=True).permute((1, 0)), as_tensor(v)),
           breakers=break_index_symmetry((1, 0)),
           check_text="9 components")

    # ---------------------------------------------------------------- (D.6)
    results = {pol: absorption.d6_angular(pol, mu, dmu) for pol in absorption.POLARIZATIONS}
    variants = ("pair", "ordered", "delta_mu_only", "delta_p_only")
    explicit = {pol: _d6_explicit(pol, pair_explicit) for pol in absorption.POLARIZATIONS}

    def check_d6(v):
        return [v[row, col] - explicit[pol][var]
                for row, pol in enumerate(absorption.POLARIZATIONS) for col, var in enumerate(variants)]

    value = sp.ImmutableMatrix([[getattr(results[p], v) for v in ("pair", "ordered", "delta_mu_only", "delta_p_only")]
                       for p in absorption.POLARIZATIONS])
    d.step("D.6", "d6_angular_averages",
           "(D.6) reconstructed: <|K|^2> per unit (k A/(8 pi epsilon r^3))^2 for l (row 1) and t (row 2); "
           "columns: unordered pair, ordered pair, Delta mu only, Delta p only",
           lhs=r"\langle |K_{ab}|^2\rangle_{l,t}", value=value,
           how="plane wave u = A Ahat e^{ik.x}: grad u = i k A Ahat khat^T = i k A G, Delta_x m = i k A r (khat.n) "
               "Ahat; coupling of p^(s)_a p^(s')_b from (D.5): ordered pair Delta mu + 2 G^T mu, unordered pair "
               "2 (Delta mu + G^T mu + mu G); isotropic dielectric chi_ij = chi delta_ij contracts to sum |K_ab|^2; "
               "exact sphere average over n",
           check=check_d6,
           check_text="independent route: mu from Cartesian derivatives of the Coulomb potential, Delta mu from "
                      "Cartesian derivatives of its components along Ahat (no index calculus, no registered mu), "
                      "sphere averages by the Gaussian-integral formula",
           register="d6_angular_averages",
           notes=(Note("assumption", "plane wave, isotropic dielectric chi_ij = chi delta_ij; procedure in "
                                     "docs/appendices_bcd.md"),
                  Note("audit", "compared with the printed prefactors 94/960 (l) and 53/960 (t) of (D.6) by the audit",
                       "jpcm2020:D.6")))
    return d

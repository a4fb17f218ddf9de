"""Appendix B rebuilt: the change Delta Lambda of the stress-stress interaction under a relative displacement.

Journal (B.2), (B.3) and (B.5); preprint (2.17) and (3.5).  Each step is computed by the engine and checked
by an independent route:

* (B.2)  Delta Lambda_ijkl = Delta_x m_p d_p Lambda_ijkl(x), the first-order expansion of the registered
         Lambda(x) (index calculus); checked by differentiating every explicit component along the line
         x + t m in Cartesian form;
* (B.2)  the printed variables: Delta Lambda = -(Delta tilde Lambda - 3 tilde Lambda cos(theta))
         Delta_x / (8 pi rho c_t^2 |x|^4), which defines Delta tilde Lambda;
* (B.3)  Delta tilde Lambda = r m.grad tilde Lambda(n), checked against the tangent-vector route
         n -> n + t (m - cos(theta) n) applied to tilde Lambda, and its symmetries;
* (B.5)  the angular averages of the squared kernel for a longitudinal and a transverse plane wave
         (procedure and assumptions: docs/appendices_bcd.md), checked by an independent route (explicit Cartesian derivatives of Lambda(x) along Ahat) and the
         Gaussian-integral sphere average; registered as ``b5_angular_averages``.  Their comparison with the
         printed brackets is an audit finding (``glass-sym audit``, record jpcm2020 (B.5)).
"""

from __future__ import annotations

import sympy as sp
from sympy.polys.rings import sring

from glass_sym.algebra.tensor import Tensor, compare
from glass_sym.physics import absorption
from glass_sym.physics.displacement import DELTA_X, cos_theta, explicit_first_order_change, first_order_change
from glass_sym.records.derivation import Derivation, Note, get
from glass_sym.records.mutation import PAIR_SYMMETRIES, as_tensor, break_pair_symmetries, break_trace
from glass_sym.symbols import M, N, alpha, c_t, r, rho

NAME = "appendix-b"
TITLE = "Appendix B: Delta Lambda under a relative displacement and the (B.5) angular averages"
PROVIDES = ("delta_lambda_x", "delta_lambda_tilde", "b5_angular_averages")

IJKL = ("i", "j", "k", "l")

def _tangent_route(lt: Tensor) -> Tensor:
    """r m.grad of a function of n only: d/dt f(n + t (m - (m.n) n)) at t = 0, explicit components.

    The derivative along the straight line is taken by the chain rule with SymPy's partial derivatives in
    n1, n2, n3: sum_a (d f/d n_a) (m_a - (m.n) n_a) (the same expanded expression as differentiating the
    substituted component in t, without the substitution).
    """
    mn = cos_theta()
    tangent = [M[a] - mn * N[a] for a in range(3)]
    return lt.map(lambda c: sp.expand(sum(sp.diff(sp.sympify(c), N[a]) * tangent[a] for a in range(3))))


def _b5_explicit(pol: str, lx_t: Tensor) -> tuple:
    """(s0, s1, s2) of (B.5) by a route that shares no code with :func:`glass_sym.physics.absorption.b5_kernel`.

    D_ijkl = -8 pi rho c_t^2 r^3 Delta Lambda/(i k A) with Delta Lambda = Delta_x (Ahat.grad) Lambda(x) and
    Delta_x = i k A r (khat.n): the Cartesian derivative of every explicit component of Lambda(x) along Ahat
    (khat = e_3; Ahat = e_3 for l, e_1 for t), then <D.D>, <D_iikl D_jjkl>, <(D_iikk)^2> with every monomial
    averaged by the Gamma-function formula.
    """
    khat = (0, 0, 1)
    a = khat if pol == "l" else (1, 0, 0)
    grad = explicit_first_order_change(lx_t, direction=a)
    kn = sum(k * n for k, n in zip(khat, N))
    # every term of the expanded derivative carries 1/(pi rho c_t^2 r^4): expand cancels it term by term
    d = grad.map(lambda c: sp.expand(-8 * sp.pi * rho * c_t**2 * r**4 * kn * c))
    tr = [sum(d[i, i, k, l] for i in range(3)) for k in range(3) for l in range(3)]
    trace = sum(d[i, i, k, k] for i in range(3) for k in range(3))
    return (sp.factor(_gaussian_average_of_squares(d.components)), sp.factor(_gaussian_average_of_squares(tr)),
            sp.factor(_gaussian_average_of_squares([trace])))


def _gaussian_average_of_squares(components) -> sp.Expr:
    """<sum_c c^2> over the unit sphere: squares in a sparse polynomial ring in n, every monomial averaged by the
    Gamma-function formula :func:`glass_sym.physics.absorption.sphere_average_gaussian`."""
    polys = sring([sp.sympify(c) for c in components], *N)[1]
    total = sum((p * p for p in polys if p), polys[0].ring.zero)
    to_sympy = total.ring.domain.to_sympy
    return sp.expand(sum((to_sympy(c) * absorption.sphere_average_gaussian(tuple(k)) for k, c in total.terms()),
                         sp.S.Zero))


def build() -> Derivation:
    d = Derivation(NAME, TITLE)
    lx = get("lambda_x").value
    lt = get("lambda_tilde").value

    # ---------------------------------------------------------------- (B.2) first-order expansion
    dlx = (first_order_change(lx) * DELTA_X).map_coefficients(sp.factor)
    dlx_explicit = explicit_first_order_change(lx.to_tensor()) * DELTA_X
    d.step("B.2", "delta_lambda_x", "Delta Lambda_ijkl to first order in Delta x = u^(s) - u^(s') = Delta_x m",
           lhs=r"\Delta\Lambda_{ijkl}^{(ss')}", value=dlx,
           how="registered Lambda(x) with n_a = x_a/r, d/dx_p by the chain rule on radial functions "
               "(IndexExpr.diff), x = r n, p contracted with Delta_x m (n_p m_p = cos theta written out)",
           check=lambda v: compare(as_tensor(v), dlx_explicit),
           check_text="every explicit component of Lambda(x) differentiated along x + t m in Cartesian form "
                      "(SymPy d/dt at t = 0), all 81 components",
           register="delta_lambda_x")

    # ---------------------------------------------------------------- (B.2) printed variables, (B.3)
    ct = cos_theta()
    dlt = (dlx * (-8 * sp.pi * rho * c_t**2 * r**4 / DELTA_X) + lt * (3 * ct)).map_coefficients(sp.expand)
    dlt_t = dlt.to_tensor()
    tangent = _tangent_route(lt.to_tensor())

    def leftover(v) -> list:
        """Components' symbols other than alpha, m, n (r, rho, c_t, Delta_x must have cancelled)."""
        return sorted({s.name for c in as_tensor(v).components for s in sp.sympify(c).free_symbols}
                      - {s.name for s in (alpha, *M, *N)})

    d.step("B.3", "delta_lambda_tilde",
           "Delta tilde Lambda defined by Delta Lambda = -(Delta tilde Lambda - 3 tilde Lambda cos theta) "
           "Delta_x/(8 pi rho c_t^2 |x|^4)",
           lhs=r"\Delta\tilde\Lambda_{ijkl}^{(ss')}", value=dlt,
           how="-8 pi rho c_t^2 r^4 Delta Lambda/Delta_x + 3 cos(theta) tilde Lambda; free of r, rho, c_t, Delta_x",
           check=lambda v: [not leftover(v), compare(as_tensor(v), tangent)],
           check_text="equals r m.grad tilde Lambda(n) computed by the tangent-vector route "
                      "d/dt tilde Lambda(n + t (m - cos(theta) n)) at t = 0, all 81 components; no r, rho, c_t "
                      "left",
           register="delta_lambda_tilde",
           notes=(Note("remark", "Registered value: the braces of (B.3) (= x/Delta x times the preprint's (2.17) "
                                 "braces ... Delta x/x)."),
                  Note("audit", "The overall factor -1/(8 pi rho c_t^2) of Delta Lambda, which (B.2) does not print, "
                                "is an audit finding", "jpcm2020:B.2")))
    perms = tuple(perm for perm, _ in PAIR_SYMMETRIES.values())
    d.step(None, "delta_lambda_tilde_symmetries", "Delta tilde Lambda_ijkl = Delta tilde Lambda_jikl = "
           "Delta tilde Lambda_ijlk = Delta tilde Lambda_klij",
           lhs=r"\Delta\tilde\Lambda_{jikl}", value=dlt, how="index swaps", kind="property", of="delta_lambda_tilde",
           check=lambda v: [compare(as_tensor(v).permute(p), as_tensor(v)) for p in perms],
           breakers=break_pair_symmetries(), check_text="81 components for each swap")
    d.step(None, "delta_lambda_tilde_trace", "Double trace Delta tilde Lambda_iikk = 0 (so no x^2 term in (B.5))",
           lhs=r"\Delta\tilde\Lambda_{iikk}", value=dlt_t.contract(0, 1).contract(0, 1)[()],
           how="explicit double trace", kind="property", of="delta_lambda_tilde",
           check=lambda v: as_tensor(v).contract(0, 1).contract(0, 1)[()], breakers=break_trace,
           check_text="canonical form 0")

    # ---------------------------------------------------------------- (B.5) angular averages
    results = {pol: absorption.b5_angular(pol, dlt, lt) for pol in absorption.POLARIZATIONS}
    explicit = {pol: _b5_explicit(pol, lx.to_tensor()) for pol in absorption.POLARIZATIONS}

    def check_b5(v):
        out = []
        for row, pol in enumerate(absorption.POLARIZATIONS):
            s0, s1, s2 = v[row, 0], v[row, 1], v[row, 2]
            out += [sp.expand(s0 - explicit[pol][0]), sp.expand(s1 - explicit[pol][1]),
                    sp.expand(s2 - explicit[pol][2])]
            x = absorption.chi_l / absorption.chi_t - 2
            out.append(sp.simplify(results[pol].full - absorption.chi_t**2 * (4 * s0 + 4 * x * s1 + x**2 * s2)))
        return out

    value = sp.ImmutableMatrix([[results[p].s0, results[p].s1, results[p].s2] for p in absorption.POLARIZATIONS])
    d.step("B.5", "b5_angular_averages",
           "(B.5) reconstructed: <D.D>, <D_iikl D_jjkl>, <(D_iikk)^2> for l (row 1) and t (row 2) waves",
           lhs=r"\langle s_0, s_1, s_2\rangle_{l,t}", value=value,
           how="plane wave u = A Ahat e^{ik.x}, Delta x = r (n.grad) u = i k A r (khat.n) Ahat (m = Ahat); "
               "D_ijkl = (khat.n)[Delta tilde Lambda(m = Ahat) - 3 (Ahat.n) tilde Lambda] = "
               "-8 pi rho c_t^2 r^3 Delta Lambda/(i k A); isotropic chi contracted on the pairs: "
               "D chi chi D = chi_t^2 (4 s0 + 4 x s1 + x^2 s2), x = chi_l/chi_t - 2; exact sphere averages",
           check=check_b5,
           check_text="independent route: D = -8 pi rho c_t^2 r^4 (khat.n) (Ahat.grad) Lambda(x) from Cartesian "
                      "derivatives of the explicit Lambda(x) components along Ahat (no Delta tilde Lambda, no "
                      "(B.2) variables), its sphere averages by the Gaussian-integral formula; and the direct "
                      "8-index contraction with chi equals chi_t^2 (4 s0 + 4 x s1 + x^2 s2)",
           register="b5_angular_averages",
           notes=(Note("assumption", "plane wave with m = Ahat and isotropic chi; procedure in docs/appendices_bcd.md"),
                  Note("audit", "compared with the printed brackets of (B.5) by the audit", "jpcm2020:B.5")))
    return d

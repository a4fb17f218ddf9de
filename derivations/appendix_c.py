"""Appendix C rebuilt: J1 ... J6, J3 + J4 as a Kramers-Kronig integral and the (C.20)-(C.25) contraction.

Journal (C.3), (C.10)-(C.11), (C.17)-(C.19), (C.23)-(C.25).  Steps:

* (C.10) J1 = J2 = 0 and J5, J6 in an exact finite two-block model (:mod:`glass_sym.physics.jterms`), each by the
         printed sums and checked by perturbed state vectors; which index exchange maps J5, J6 onto J3, J4 is
         computed, and the multiplicity (J3 + J4 + J5 + J6)/(J3 + J4) = 2 for a real J3 + J4;

* (C.19) the frequency kernels 1/(omega + Omega) of J3 (C.17) and 1/(Omega - omega) of J4 (C.18) combined by
         SymPy into 2 Omega/(Omega^2 - omega^2); checked by partial fractions back and by the prefactor
         bookkeeping -(4 omega L^6/pi) Lambda (J3 + J4) = 4 omega L^6 [-Lambda] (2/pi) Omega/(Omega^2-omega^2);
* (C.3)  the single-block normalization e:chi:e = (A k)^2 chi_alpha for both waves (explicit contraction);
* (C.23) -Lambda_abcd(k) from the registered Lambda(q) at qhat = khat;
* (C.24) the contraction e chi [-Lambda(k)] chi e for a longitudinal and a transverse wave, in rho c_l^2 and
         rho c_t^2: registered as ``absorption_coefficient_l`` and ``absorption_coefficient_t``; checked by
         the same contraction at fixed rational directions with plain loops, and the bilinear form with two
         different susceptibilities (Im chi and its Kramers-Kronig partner in (C.19));
* (C.25) the total sum J1 + ... + J6: the (C.24) coefficients times the multiplicity, registered as
         ``absorption_coefficient_total_l`` and ``absorption_coefficient_total_t`` (what the RG (4.1) uses).
"""

from __future__ import annotations

import itertools

import sympy as sp

from glass_sym.algebra.tensor import canonical, compare
from glass_sym.physics import absorption, jterms
from glass_sym.records.derivation import Derivation, Note, get
from glass_sym.records.mutation import PAIR_SYMMETRIES, as_tensor, break_pair_symmetries
from glass_sym.symbols import QHAT, Omega, alpha, beta, c_l, c_t, chi_l, chi_t, omega

NAME = "appendix-c"
TITLE = "Appendix C: Kramers-Kronig form of J3 + J4 and the absorption contraction (C.20)-(C.24)"
PROVIDES = ("absorption_coefficient_l", "absorption_coefficient_t", "absorption_coefficient_total_l",
            "absorption_coefficient_total_t")

_L, _S, _im = sp.symbols("L S_Lambda Im_chi_omega", positive=True)  # local to the (C.20) prefactor


def _fixed_frame_contraction(minus_lambda, polarization: str, chi_a, chi_b) -> sp.Expr:
    """Plain loops over all 3^8 index values at khat = (1,2,2)/3 (and Ahat_t = (2,1,-2)/3)."""
    k = (sp.Rational(1, 3), sp.Rational(2, 3), sp.Rational(2, 3))
    a = k if polarization == "l" else (sp.Rational(2, 3), sp.Rational(1, 3), sp.Rational(-2, 3))
    at_k = dict(zip(QHAT, k))
    lam = [c.subs(at_k) for c in minus_lambda.components]
    e = [[(a[i] * k[j] + a[j] * k[i]) / 2 for j in range(3)] for i in range(3)]
    terms = []  # collected and added once (a running SymPy sum re-flattens at every term)
    for i, j, a_, b, c, d_, k_, l_ in itertools.product(range(3), repeat=8):
        if e[i][j] == 0 or e[k_][l_] == 0:
            continue
        lv = lam[27 * a_ + 9 * b + 3 * c + d_]
        if lv == 0:
            continue
        xa, xb = chi_a[i, j, a_, b], chi_b[c, d_, k_, l_]
        if xa == 0 or xb == 0:
            continue
        terms.append(e[i][j] * xa * lv * xb * e[k_][l_])
    return sp.expand(sp.Add(*terms))


def _fixed_frame_single(chi, polarization: str) -> sp.Expr:
    """e_ij chi_ijkl e_kl / |A k|^2 by plain loops at khat = (1,2,2)/3 (A_t = (2,1,-2)/3), unit amplitudes."""
    k = (sp.Rational(1, 3), sp.Rational(2, 3), sp.Rational(2, 3))
    a = k if polarization == "l" else (sp.Rational(2, 3), sp.Rational(1, 3), sp.Rational(-2, 3))
    e = [[(a[i] * k[j] + a[j] * k[i]) / 2 for j in range(3)] for i in range(3)]
    return sp.expand(sum(e[i][j] * chi[i, j, m, n] * e[m][n] for i, j, m, n in itertools.product(range(3), repeat=4)))


def build() -> Derivation:
    d = Derivation(NAME, TITLE)

    # ---------------------------------------------------------------- (C.17)-(C.19)
    kk = absorption.kramers_kronig_kernel()
    pref = 4 * omega * _L**6 * (1 - sp.exp(-beta * omega)) * _im
    j34 = -pref / sp.pi * _S * (kk.j3 + kk.j4)
    c19 = pref * (-_S) * (2 / sp.pi) * Omega / (Omega**2 - omega**2)
    d.step("C.19", "j3_plus_j4_kernel", "J3 + J4: 1/(omega+Omega) + 1/(Omega-omega) = 2 Omega/(Omega^2-omega^2)",
           lhs=r"\frac{1}{\omega+\Omega}+\frac{1}{\Omega-\omega}", value=kk.combined,
           how="SymPy together + factor of the two principal-value kernels of (C.17) and (C.18)",
           check=lambda v: [sp.apart(v, Omega) - sp.apart(kk.j3 + kk.j4, Omega),
                            sp.limit(v * (Omega - omega), Omega, omega) - 1, sp.limit(v * Omega, Omega, sp.oo) - 2],
           check_text="partial fractions in Omega give back the two kernels; residue 1 at Omega = omega and "
                      "2/Omega decay")
    d.step("C.19", "j3_plus_j4", "J3 + J4 = 4 omega L^6 (1-e^{-beta omega}) [-Lambda] Im chi (2/pi) P int "
           "Omega Im chi/(Omega^2-omega^2)",
           lhs=r"J_3+J_4", value=sp.factor(j34),
           how="(C.17) + (C.18) with the common prefactor -(4 omega L^6/pi)(1-e^{-beta omega}) Lambda Im chi(omega); "
               "S_Lambda stands for the contracted sum_{u != u'} Lambda e^{-ik.x} e e",
           check=lambda v: sp.simplify(v - c19),
           check_text="difference from the Kramers-Kronig form 4 omega L^6 (...) [-S] (2/pi) Omega/(Omega^2-omega^2) "
                      "simplifies to 0")

    # ---------------------------------------------------------------- (C.3) normalization
    chi = absorption.isotropic_chi()
    single = {}
    for pol in absorption.POLARIZATIONS:
        khat, a, norm2 = absorption.plane_wave(pol)
        e = absorption.strain(a, khat)
        single[pol] = sp.factor(canonical(sp.cancel(chi.contract_with(e, e) / norm2)))
    plain_single = {pol: _fixed_frame_single(chi, pol) for pol in absorption.POLARIZATIONS}
    d.step("C.3", "single_block_contraction", "e_ij chi_ijkl e_kl = (A k)^2 chi_alpha for alpha = l, t",
           lhs=r"e_{ij}\chi_{ijkl}e_{kl}/(Ak)^2", value=sp.ImmutableMatrix([single["l"], single["t"]]),
           how="isotropic chi, e_ij = (A_i k_j + A_j k_i)/2 with A || k (l) and A perp k (t), symbolic khat",
           check=lambda v: [v[0] - plain_single["l"], v[1] - plain_single["t"]],
           check_text="plain loops over the 3^4 index values at khat = (1,2,2)/3 (A_t = (2,1,-2)/3) give the same "
                      "values (chi_l and chi_t)")

    # ---------------------------------------------------------------- (C.23)
    lq = get("lambda_q").value
    minus = (-lq).reorder(("i", "j", "k", "l"))
    minus_t = minus.to_tensor()
    d.step("C.23", "minus_lambda_k", "-Lambda_abcd(k) from the registered Lambda(q) at qhat = khat",
           lhs=r"-\Lambda_{abcd}(\vec k)", value=minus, kind="definition",
           why="names the sign-flipped registered Lambda(q) (checked in appendix-a, (A.11)) at q = k",
           how="sign flip of lambda_q (Appendix A); the lattice sum (C.20)-(C.22) only selects q = k",
           check=None, check_text="",
           notes=(Note("remark", "The printed prefactor 2 pi N_0^3 ln N_0/(rho c_t^2) of (C.23) rests on the "
                                 "lattice-sum approximations (C.20)-(C.22); the exact sums are computed by "
                                 "glass-sym lattice, not here."),))
    pair_perms = tuple(perm for perm, _ in PAIR_SYMMETRIES.values())
    d.step(None, "minus_lambda_k_symmetries", "-Lambda_abcd(k) is symmetric under a <-> b, c <-> d, (ab) <-> (cd)",
           lhs=r"-\Lambda_{bacd}(\vec k)", value=minus, kind="property", of="minus_lambda_k",
           how="index swaps", check=lambda v: [compare(as_tensor(v).permute(p), as_tensor(v)) for p in pair_perms],
           breakers=break_pair_symmetries(), check_text="81 components for each swap")

    # ---------------------------------------------------------------- (C.24)
    raw = {pol: absorption.absorption_contraction(pol, minus_t) for pol in absorption.POLARIZATIONS}
    coeff = {pol: absorption.to_sound_speeds(raw[pol]) for pol in absorption.POLARIZATIONS}
    chi2 = absorption.isotropic_chi(*sp.symbols("chi_l2 chi_t2", real=True))
    bil = {pol: absorption.absorption_contraction(pol, minus_t, chi, chi2) for pol in absorption.POLARIZATIONS}

    plain = {pol: _fixed_frame_contraction(minus_t, pol, chi, chi) for pol in absorption.POLARIZATIONS}
    to_alpha = {c_l: c_t / sp.sqrt(1 - alpha)}

    def check(pol):
        def run(v):
            return [sp.simplify(plain[pol] - sp.sympify(v).subs(to_alpha)),
                    sp.expand(2 * bil[pol] - (raw[pol].subs({chi_l: chi_l + sp.Symbol("chi_l2", real=True),
                                                             chi_t: chi_t + sp.Symbol("chi_t2", real=True)})
                                              - raw[pol] - raw[pol].subs({chi_l: sp.Symbol("chi_l2", real=True),
                                                                          chi_t: sp.Symbol("chi_t2", real=True)})))]
        return run

    for pol, word in (("l", "longitudinal (A parallel k)"), ("t", "transverse (A perpendicular k)")):
        d.step("C.24", f"absorption_coefficient_{pol}",
               f"Contraction e chi [-Lambda(k)] chi e / (A k)^2 for a {word} wave",
               lhs=rf"\frac{{1}}{{(Ak)^2}}\sum e_{{ij}}\chi_{{ijab}}[-\Lambda_{{abcd}}(\vec k)]\chi_{{cdkl}}e_{{kl}}"
                   rf"\Big|_{{{pol}}}",
               value=coeff[pol],
               how="explicit contraction over all indices with symbolic khat (transverse A = (-k2, k1, 0) "
                   "divided by |A|^2), reduced modulo |khat| = 1, then alpha = 1 - c_t^2/c_l^2; chi and chi' "
                   "set equal (the bilinear form with Im chi and Re chi follows by polarization)",
               check=check(pol),
               check_text="plain loops over 3^8 index values at khat = (1,2,2)/3 (A_t = (2,1,-2)/3) give the same "
                          "polynomial in chi_l, chi_t, alpha; 2 B(chi, chi') = Q(chi+chi') - Q(chi) - Q(chi')",
               register=f"absorption_coefficient_{pol}",
               notes=(Note("remark", f"engine (alpha form): {sp.sstr(raw[pol])}; bilinear with chi' = "
                                     f"(chi_l2, chi_t2): {sp.sstr(sp.factor(absorption.to_sound_speeds(bil[pol])))}"),))
    ratio = sp.simplify(coeff["l"].subs(chi_l, 1) / coeff["t"].subs(chi_t, 1))
    plain_ratio = sp.simplify((plain["l"].subs(chi_l, 1) / plain["t"].subs(chi_t, 1)).subs(alpha, 1 - c_t**2 / c_l**2))
    d.step(None, "absorption_ratio", "Ratio of the l and t coefficients at equal susceptibilities",
           lhs=r"\frac{\text{coefficient}_l}{\text{coefficient}_t}", value=ratio,
           how="absorption_coefficient_l(chi_l = 1) / absorption_coefficient_t(chi_t = 1)",
           check=lambda v: sp.simplify(v - plain_ratio),
           check_text="equals the ratio of the plain-loop contractions at khat = (1,2,2)/3 (it is c_t^2/c_l^2: "
                      "each coefficient is 1/(2 rho c_alpha^2))")

    # ---------------------------------------------------------------- (C.10)-(C.11): J1 ... J6, the total (C.25)
    jl = {kind: jterms.j_terms(jterms.default_model(kind), "loops") for kind in ("complex", "real")}
    js = {kind: jterms.j_terms(jterms.default_model(kind), "states") for kind in ("complex", "real")}
    J, Js = jl["complex"], js["complex"]
    tm = jterms.default_model("complex")
    v_diag = [2 * tm.lam * tm.t_u[a, a] * tm.t_v[b, b] for a in range(3) for b in range(3)]
    j12 = sp.ImmutableMatrix([J["J1"], J["J2"]])
    d.step("C.10", "j1_j2", "J1 = J2 = 0: the weight terms carry <n|V|n>, which vanishes without diagonal stresses",
           lhs=r"(J_1, J_2)", value=j12,
           how="printed sums of (C.10) in a two-block model (3 levels each, Hermitian stresses with zero diagonal, "
               "rule (2) after (C.7)); symbolic weights P_n, delta function kept as g(E_l - E_n)",
           check=lambda v: [v[0] + v[1] - Js["J1+J2"], v[0], v[1], *v_diag],
           check_text="J1 + J2 equals the exact derivative of e^{-beta E^sup}/Z^sup (perturbed-state route); "
                      "<n|V|n> = 2 Lambda <a|T_u|a><b|T_v|b> from the block diagonals is 0 for all nine states")
    j56 = sp.ImmutableMatrix([J["J5"], J["J6"]])
    pairing = {name: sp.expand(a - b) == 0 for name, a, b in (
        ("J5 = J3", J["J5"], J["J3"]), ("J6 = J4", J["J6"], J["J4"]),
        ("J5 = J4*", J["J5"], sp.conjugate(J["J4"])), ("J6 = J3*", J["J6"], sp.conjugate(J["J3"])))}
    d.step("C.10", "j5_j6", "J5 and J6: the second-factor corrections (bra l, ket n) of (C.10)",
           lhs=r"(J_5, J_6)", value=j56,
           how="printed sums of (C.10) in the complex two-block model (phases 1 and i)",
           check=lambda v: [v[0] - Js["J5"], v[1] - Js["J6"],
                            v[0] - sp.conjugate(Js["J4"]), v[1] - sp.conjugate(Js["J3"])],
           check_text="equal to J5, J6 from the perturbed state vectors, and to J4*, J3* (index exchange "
                      "(s, ij) <-> (s', kl) with complex conjugation) from that route",
           notes=(Note("remark", "index exchange as computed: " + "; ".join(
                      f"{k}: {'holds' if v else 'does not hold'}" for k, v in pairing.items())
                      + " (text before (C.11) states J5 = J3 and J6 = J4); the sum J3 + J4 + J5 + J6 = 2 Re(J3 + J4) "
                        "either way"),))
    x_real = jl["real"]["J3"] + jl["real"]["J4"]
    mult = sp.simplify((x_real + jl["real"]["J5"] + jl["real"]["J6"]) / x_real)
    xs_c = Js["J3"] + Js["J4"]
    mult_states = sp.simplify(sum(js["real"][k] for k in ("J3", "J4", "J5", "J6")) / (js["real"]["J3"] + js["real"]["J4"]))
    d.step("C.11", "j_multiplicity", "(J1 + ... + J6)/(J3 + J4) for a real J3 + J4 (symmetric lattice sum)",
           lhs=r"\sum_{n=1}^{6} J_n \big/ (J_3 + J_4)", value=mult,
           how="printed sums in the real two-block model (real stresses, phases 1 and -1: sum e^{-ik.x} Lambda(x) "
               "real, as (C.19)-(C.23) assume)",
           check=lambda v: [v - mult_states, sp.expand(xs_c + Js["J5"] + Js["J6"] - 2 * sp.re(xs_c)),
                            js["real"]["J1+J2"]],
           check_text="same ratio from the perturbed-state route; in the complex model the total is 2 Re(J3 + J4)")
    for pol in absorption.POLARIZATIONS:
        total = sp.factor(mult * coeff[pol])
        d.step("C.25", f"absorption_coefficient_total_{pol}",
               f"Total first-order coefficient J1 + ... + J6 for the {pol} wave (the coefficient of (3.4), (4.1))",
               lhs=rf"\sum_{{n=1}}^{{6}} J_n \Big|_{{{pol}}} \Big/ (A k)^2", value=total,
               how="multiplicity (J1 + ... + J6)/(J3 + J4) times the (C.24) contraction",
               check=lambda v, pol=pol: sp.simplify(absorption.to_sound_speeds(plain[pol] * mult_states) - v),
               check_text="plain loops over 3^8 index values at khat = (1,2,2)/3 times the multiplicity from the "
                          "perturbed-state route",
               register=f"absorption_coefficient_total_{pol}")
    return d

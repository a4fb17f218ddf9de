"""Appendix A rebuilt: the non-harmonic stress-stress interaction between elementary blocks.

Journal (A.2)-(A.19) (D. Zhou, J. Phys.: Condens. Matter 32, 055704 (2020)); preprint (A2)-(A16).
Each step below is computed by the engine and checked by an independent route:

* (A.5)      the transverse completeness relation, checked on an explicit transverse basis;
* (A.8)-(A.9) the square completed by SymPy in u_mu(q); residual H - square - extra;
* (A.10)     the left-over term over two blocks, split into U (same block) and V (between blocks);
* (A.11)     Lambda(q) from the mode sum with (A.4), (A.5) and w = c q; the transverse sum re-done with explicit
             polarization vectors;
* (A.16)     the regulated scalar kernels G_1, G_2 from SymPy's radial integral; checked against the
             Helmholtz equations they must solve and against d/d(lambda^2);
* (A.16)     lambda -> 0: the divergent part 1/(8 pi lambda) is x-independent;
* (A.17)     f1, f2 by index calculus, checked by explicit Cartesian differentiation;
* (A.13)     Lambda(x), checked by transforming every explicit component monomial by monomial;
* (A.18)     tilde Lambda; (A.19) its two parts;
* the same chain with Joffrin-Levelut's strain e_ij = d u_i/d x_j;
* symmetries i<->j, k<->l, (ij)<->(kl), n -> -n and rotation covariance (exact rational rotation).

The comparison with Joffrin and Levelut's printed form (A.1) and with the factors claimed after (A.19) is an
audit finding (``glass-sym audit``, records jpcm2020 (A.1) and (A.19)); the steps below only point to it.
"""

from __future__ import annotations

import sympy as sp

from glass_sym.algebra import fourier
from glass_sym.algebra.structures import symmetrize_index
from glass_sym.algebra.tensor import Tensor, compare, rational_rotation, rotation_covariance, symmetrize_pairs
from glass_sym.physics import elastic, interaction
from glass_sym.records.derivation import Derivation, Note
from glass_sym.records.mutation import (as_tensor, break_covariance, break_pair_symmetries, break_parity,
                                        break_x_independence, value_mutants)
from glass_sym.symbols import N, alpha, c_t, lam, r, rho

NAME = "appendix-a"
TITLE = "Appendix A: the stress-stress interaction Lambda_ijkl between elementary blocks"
PROVIDES = ("f1", "f2", "coulomb", "u0", "lambda_q", "lambda_q_jl", "lambda_x", "lambda_x_jl", "lambda_tilde",
            "lambda_tilde_1", "lambda_tilde_2", "lambda_tilde_jl", "lambda_tilde_jl_1", "lambda_tilde_jl_2")

IJKL = interaction.IJKL


def _radial_laplacian(f: sp.Expr) -> sp.Expr:
    return sp.diff(r * f, r, 2) / r


def _alpha_free(v) -> list:
    """Coefficients of alpha^1 and higher in the components of ``v`` (must vanish for a part (1))."""
    return [sp.expand(c) - sp.expand(c).coeff(alpha, 0) for c in as_tensor(v).components]


_JL_AUDIT = Note("audit", "compared with Joffrin and Levelut's printed (A.1) and with the factors the text claims "
                          "after (A.19)", "jpcm2020:A.19")


def _symmetrized(expr):
    """Average over i <-> j and k <-> l (the value a step labelled S_(ij)(kl) displays)."""
    return symmetrize_index(expr, ((0, 1), (2, 3))).map_coefficients(sp.expand)


def build() -> Derivation:
    d = Derivation(NAME, TITLE)

    # ---------------------------------------------------------------- (A.5)
    d.step("A.5", "transverse_completeness", "Transverse polarizations: sum_t e_ti e_tj = delta_ij - q_i q_j/q^2",
           lhs=r"\sum_{\mu=t_1,t_2} e_{\mu a} e_{\mu b}", value=elastic.projector("a", "b"),
           how="projector onto the plane orthogonal to q",
           check=elastic.check_completeness,
           check_text="explicit transverse basis t1 = (-q2, q1, 0), t2 = q x t1: orthogonal to q and to each "
                      "other, and sum t t/|t|^2 equals the value component by component (polynomials over QQ)")

    # ---------------------------------------------------------------- (A.8)-(A.10)
    split = elastic.two_block_split()
    d.step("A.9", "u0", "Equilibrium displacement from completing the square in u_mu(q)", register="u0",
           lhs=r"u^{(0)}_\mu(\vec q)", value=split.u0,
           how="H = m w^2 |u|^2/2 + a u + conj(a) conj(u) with a = i/(4 sqrt N) sum_s S_s e^{i q.x_s}, "
               "S_s = [q_j e_mu,i + q_i e_mu,j] T^(s)_ij (from (A.7)); u0 solves dH/d conj(u) = 0 (SymPy solve)",
           check=elastic.check_u0,
           check_text="substituted into dH/d(conj u) = 0, and H - m w^2/2 |u - u0|^2 has no coefficient of u, "
                      "conj u or |u|^2 left (H is the square of u - u0 plus a constant), with the two-block a")
    d.step("A.10", "U_V", "Left-over term split into same-block U and between-block V (two blocks)",
           lhs=r"\left(U,\;V\right)", value=sp.ImmutableMatrix([[split.same_block, split.between_blocks]]),
           how="expand -m w^2 u0 conj(u0)/2 over blocks 1, 2; S_1^2, S_2^2 terms are U, S_1 S_2 terms are V; "
               "V averaged over q -> -q gives cos(q.(x_1 - x_2))",
           check=elastic.check_block_split,
           check_text="three blocks with explicit phases: min_u H = -2|a|^2/(m w^2) expanded, averaged over "
                      "q -> -q on the expanded sum; U equals its S1^2 + S2^2 part and V each pair's S_s S_s' part "
                      "(cos form compared term by term, for all three pairs)")

    # ---------------------------------------------------------------- (A.11)
    lq = elastic.lambda_q()
    d.step("A.11", "lambda_q", "Momentum-space coefficient Lambda_ijkl(q) of T^(s)_ij T^(s')_kl",
           lhs=r"\Lambda_{ijkl}(\vec q)", value=lq,
           how="-(1/(8 rho)) sum_mu B^mu_ij B^mu_kl / (c_mu^2 q^2) with e_l = qhat (A.4), transverse pairs "
               "replaced by delta - qhat qhat (A.5), w = c_mu q, sum_q/(N m) -> (1/rho) int d^3q/(2pi)^3, "
               "1/c_l^2 = (1 - alpha)/c_t^2",
           check=elastic.check_lambda_q_explicit,
           check_text="-8 rho c_t^2 Lambda(q) against (1 - alpha) B^l B^l + sum_t B^t B^t with explicit "
                      "polarization vectors e_l = qhat, e_t = t/|t| (no projector), all 81 components, exact",
           register="lambda_q")

    # ---------------------------------------------------------------- (A.16) scalar kernels
    k1, k2 = fourier.scalar_kernel(1), fourier.scalar_kernel(2)
    d.step("A.16", "G1", "Regulated kernel G_1 = int d^3q/(2pi)^3 e^{iq.x}/(q^2+lambda^2)",
           lhs=r"G_1(|\vec x|;\lambda)", value=k1.value,
           how="angular integral 4 pi sin(qr)/(qr) by SymPy; radial integral int_0^oo = pi Res at the pole q = i lambda "
               "(contour closed in the upper half plane, Jordan's lemma), SymPy residue",
           check=lambda v: [sp.simplify(_radial_laplacian(v) - lam**2 * v),
                            sp.limit(-4 * sp.pi * r**2 * sp.diff(v, r), r, 0) - 1,
                            sp.limit(v, r, sp.oo)],
           check_text="(nabla^2 - lambda^2) G_1 = 0 for r > 0, unit flux -4 pi r^2 G_1' -> 1 as r -> 0 "
                      "(the delta source) and G_1 -> 0 as r -> oo")
    d.step("A.16", "G2", "Regulated kernel G_2 = int d^3q/(2pi)^3 e^{iq.x}/(q^2+lambda^2)^2",
           lhs=r"G_2(|\vec x|;\lambda)", value=k2.value,
           how="residue at the double pole q = i lambda, as for G_1",
           check=lambda v: [sp.simplify(-_radial_laplacian(v) + lam**2 * v - k1.value),
                            sp.simplify(v + sp.diff(k1.value, lam) / (2 * lam))],
           check_text="(-nabla^2 + lambda^2) G_2 = G_1 and G_2 = -dG_1/d(lambda^2)")
    d.step("A.16", "G2_divergence", "lambda -> 0: the divergent part of G_2 does not depend on x",
           lhs=r"G_2(|\vec x|;\lambda)", value=k2.laurent + sp.Order(lam), kind="property", of="G2",
           how="Laurent expansion in lambda (SymPy series)",
           check=lambda v: sp.diff(sp.series(v, lam, 0, 1).removeO().coeff(lam, -1), r),
           breakers=break_x_independence(r, lam),
           check_text="the 1/lambda coefficient of the Laurent series of G_2 (computed from the value) has "
                      "d/dr = 0, so every x-derivative removes it")

    # ---------------------------------------------------------------- (A.17)
    f1 = fourier.fourier_transform(IJKL, 2)
    f2 = fourier.fourier_transform(("j", "l"), 1)
    coul = fourier.fourier_transform((), 1)

    def check_f(res, exps_of):
        explicit = Tensor.from_function(len(res.indices), lambda idx: fourier._cartesian_monomial(exps_of(idx), res.p))
        return lambda v: compare(as_tensor(v), explicit)

    def exps(idx):
        return tuple(idx.count(a) for a in range(3))

    d.step("A.17", "f1", "f^(1)_ijkl = int d^3q/(2pi)^3 q_i q_j q_k q_l / q^4 e^{iq.x}",
           lhs=r"f^{(1)}_{ijkl}", value=f1.value,
           how="(d_i d_j d_k d_l) G_2 by the chain rule on radial functions, then lambda -> 0 on each "
               "coefficient (A.15)-(A.16)",
           check=check_f(f1, exps),
           check_text="explicit Cartesian differentiation of the lambda^0 part -r/(8 pi) in x1, x2, x3, "
                      "all 81 components",
           register="f1")
    d.step("A.17", "f2", "f^(2)_jl = int d^3q/(2pi)^3 q_j q_l / q^2 e^{iq.x}",
           lhs=r"f^{(2)}_{jl}", value=f2.value,
           how="-(d_j d_l) G_1, then lambda -> 0",
           check=check_f(f2, exps),
           check_text="explicit Cartesian differentiation of 1/(4 pi r), all 9 components",
           register="f2")
    d.step(None, "coulomb", "Coulomb kernel int d^3q/(2pi)^3 e^{iq.x}/q^2 (used in Appendix D)",
           lhs=r"\int\frac{d^3q}{(2\pi)^3}\frac{e^{i\vec q\cdot\vec x}}{q^2}", value=coul.value,
           how="G_1 at lambda -> 0",
           check=lambda v: [sp.simplify(_radial_laplacian(as_tensor(v)[()])),
                            sp.limit(-4 * sp.pi * r**2 * sp.diff(as_tensor(v)[()], r), r, 0) - 1,
                            sp.limit(as_tensor(v)[()], r, sp.oo)],
           check_text="harmonic for r > 0 with unit flux, and vanishing as r -> oo (no constant, no left-over "
                      "divergent part)",
           register="coulomb")

    # ---------------------------------------------------------------- (A.13) and (A.18)
    lx = interaction.lambda_x()
    lx_explicit = fourier.explicit_fourier(lq.to_tensor())
    d.step("A.13", "lambda_x", "Real-space coefficient Lambda_ijkl(x) = int d^3q/(2pi)^3 Lambda(q) e^{iq.x}",
           lhs=r"\Lambda_{ijkl}(\vec x)", value=lx,
           how="every term delta..qhat^k of Lambda(q) transformed by the Fourier engine (k = 2: f2, k = 4: f1)",
           check=lambda v: compare(as_tensor(v), lx_explicit),
           check_text="independent route: each explicit component of Lambda(q), monomial by monomial in qhat, "
                      "transformed by Cartesian differentiation",
           register="lambda_x")
    lt = interaction.lambda_tilde()
    d.step("A.18", "lambda_tilde", "tilde Lambda_ijkl(n) with Lambda = -tilde Lambda/(8 pi rho c_t^2 |x|^3)",
           lhs=r"\tilde\Lambda_{ijkl}(\vec n)", value=lt,
           how="tilde Lambda = -8 pi rho c_t^2 r^3 Lambda(x); the product depends on alpha and n only",
           check=lambda v: compare(as_tensor(v), lx_explicit * (-8 * sp.pi * rho * c_t**2 * r**3)),
           check_text="against the explicit-route Lambda(x), all 81 components",
           register="lambda_tilde")
    p1, p2 = interaction.lambda_tilde_parts()
    lt_alpha0 = lt.to_tensor().subs(alpha, 0)
    d.step("A.19", "lambda_tilde_1", "Part (1) of tilde Lambda: the alpha-independent terms",
           lhs=r"\tilde\Lambda^{(1)}_{ijkl}(\vec n)", value=p1, how="coefficient of alpha^0",
           check=lambda v: [compare(as_tensor(v), lt_alpha0), *_alpha_free(v)],
           check_text="equals tilde Lambda at alpha = 0 (explicit components) and has no alpha term",
           register="lambda_tilde_1", notes=(_JL_AUDIT,))
    d.step("A.19", "lambda_tilde_2", "Part (2) of tilde Lambda: the terms proportional to alpha",
           lhs=r"\tilde\Lambda^{(2)}_{ijkl}(\vec n)", value=p2, how="coefficient of alpha^1, times alpha",
           check=lambda v: compare(as_tensor(v), lt.to_tensor() - lt_alpha0),
           check_text="equals tilde Lambda minus its alpha = 0 value (explicit components)",
           register="lambda_tilde_2", notes=(_JL_AUDIT,))

    # ---------------------------------------------------------------- Joffrin-Levelut convention
    lq_jl = elastic.lambda_q("jl")
    d.step(None, "lambda_q_jl", "Lambda(q) with Joffrin-Levelut's strain e_ij = d u_i/d x_j",
           lhs=r"\Lambda_{ijkl}(\vec q)\big|_{e_{ij}=\partial_j u_i}", value=lq_jl,
           how="as (A.11) with the vertex 2 q_j e_mu,i in place of q_j e_mu,i + q_i e_mu,j",
           check=lambda v: elastic.check_lambda_q_explicit(v, "jl"),
           check_text="mode sum with explicit polarization vectors and the vertex 2 q_j e_i, all 81 components",
           register="lambda_q_jl")
    lx_jl = interaction.lambda_x("jl")
    lx_jl_explicit = fourier.explicit_fourier(lq_jl.to_tensor())
    d.step(None, "lambda_x_jl", "Lambda(x) with Joffrin-Levelut's strain convention",
           lhs=r"\Lambda_{ijkl}(\vec x)\big|_{e_{ij}=\partial_j u_i}", value=lx_jl,
           how="Fourier engine on Lambda(q)|_JL",
           check=lambda v: compare(as_tensor(v), lx_jl_explicit),
           check_text="explicit Cartesian route, 81 components", register="lambda_x_jl")
    lt_jl = interaction.lambda_tilde("jl")
    lt_t, lt_jl_t = lt.to_tensor(), lt_jl.to_tensor()
    d.step(None, "lambda_tilde_jl", "tilde Lambda derived with Joffrin-Levelut's strain convention",
           lhs=r"\tilde\Lambda_{ijkl}(\vec n)\big|_{e_{ij}=\partial_j u_i}", value=lt_jl,
           how="Fourier engine on Lambda(q)|_JL",
           check=lambda v: compare(as_tensor(v), lx_jl_explicit * (-8 * sp.pi * rho * c_t**2 * r**3)),
           check_text="explicit Cartesian route", register="lambda_tilde_jl")
    jl1, jl2 = interaction.split_by_alpha(lt_jl)
    d.step(None, "lambda_tilde_jl_1", "Part (1) of tilde Lambda in Joffrin-Levelut's convention (alpha^0 terms)",
           lhs=r"\tilde\Lambda^{(1)}_{ijkl}(\vec n)\big|_{e_{ij}=\partial_j u_i}", value=jl1,
           how="coefficient of alpha^0", check=lambda v: [compare(as_tensor(v), lt_jl_t.subs(alpha, 0)), *_alpha_free(v)],
           check_text="equals tilde Lambda|_JL at alpha = 0 and has no alpha term", register="lambda_tilde_jl_1",
           notes=(_JL_AUDIT,))
    d.step(None, "lambda_tilde_jl_2", "Part (2) of tilde Lambda in Joffrin-Levelut's convention (alpha terms)",
           lhs=r"\tilde\Lambda^{(2)}_{ijkl}(\vec n)\big|_{e_{ij}=\partial_j u_i}", value=jl2,
           how="coefficient of alpha^1, times alpha",
           check=lambda v: [compare(as_tensor(v), lt_jl_t - lt_jl_t.subs(alpha, 0)), compare(as_tensor(v), p2.to_tensor())],
           check_text="equals tilde Lambda|_JL minus its alpha = 0 value, and equals our part (2): the strain "
                      "convention changes only part (1)", register="lambda_tilde_jl_2", notes=(_JL_AUDIT,))
    d.step(None, "jl_convention_symmetric_part", "Both strain conventions agree on symmetric stresses",
           lhs=r"\mathcal{S}_{(ij)(kl)}\tilde\Lambda\big|_{e_{ij}=\partial_j u_i}",
           value=_symmetrized(interaction.lambda_tilde("jl")),  # the displayed side is the symmetrized one
           kind="property", of="lambda_tilde_jl", breakers=value_mutants,
           how="average over i<->j and k<->l (what T_ij T'_kl with symmetric T sees)",
           check=lambda v: compare(symmetrize_pairs(as_tensor(v)), lt_t),
           check_text="symmetrized JL-convention tilde Lambda equals tilde Lambda component by component")

    # ---------------------------------------------------------------- symmetries
    for sym, perm, title, lhs in (
            ("ij", (1, 0, 2, 3), "tilde Lambda_ijkl = tilde Lambda_jikl", r"\tilde\Lambda_{jikl}"),
            ("kl", (0, 1, 3, 2), "tilde Lambda_ijkl = tilde Lambda_ijlk", r"\tilde\Lambda_{ijlk}"),
            ("pairs", (2, 3, 0, 1), "tilde Lambda_ijkl = tilde Lambda_klij", r"\tilde\Lambda_{klij}")):
        d.step(None, f"symmetry_{sym}", title, lhs=lhs, value=lt, kind="property", of="lambda_tilde",
               how="index swap", check=lambda v, perm=perm: compare(as_tensor(v).permute(perm), as_tensor(v)),
               breakers=break_pair_symmetries(sym), check_text="81 components")
    d.step(None, "parity", "tilde Lambda(-n) = tilde Lambda(n)", lhs=r"\tilde\Lambda_{ijkl}(-\vec n)", value=lt,
           kind="property", of="lambda_tilde", how="n -> -n",
           check=lambda v: compare(as_tensor(v).xreplace({s: -s for s in N}), as_tensor(v)),
           breakers=break_parity("n"), check_text="81 components")
    R = rational_rotation(1, 2, 3, 4)
    d.step(None, "rotation", "Rotation covariance tilde Lambda(R n) = R R R R tilde Lambda(n)",
           lhs=r"\tilde\Lambda_{ijkl}(R\vec n)", value=lt, kind="property", of="lambda_tilde",
           how="exact rotation with rational entries (quaternion (1,2,3,4)/30)",
           check=lambda v: rotation_covariance(as_tensor(v), R), breakers=break_covariance("n"),
           check_text="81 components, exact")
    return d

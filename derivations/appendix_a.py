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
* the same chain with Joffrin-Levelut's strain e_ij = d u_i/d x_j, and the comparison of parts;
* symmetries i<->j, k<->l, (ij)<->(kl), n -> -n and rotation covariance (exact rational rotation).
"""

from __future__ import annotations

import json

import sympy as sp

from glass_sym import elastic, fourier, interaction
from glass_sym.derivation import Derivation
from glass_sym.papers import find_equation
from glass_sym.parse import parse_latex
from glass_sym.symbols import N, alpha, c_t, lam, r, rho
from glass_sym.tensor import Tensor, compare, rational_rotation, rotation_covariance, symmetrize_pairs

NAME = "appendix-a"
TITLE = "Appendix A: the stress-stress interaction Lambda_ijkl between elementary blocks"
PROVIDES = ("f1", "f2", "coulomb", "u0", "lambda_q", "lambda_q_jl", "lambda_x", "lambda_x_jl", "lambda_tilde",
            "lambda_tilde_1", "lambda_tilde_2", "lambda_tilde_jl", "lambda_tilde_jl_1", "lambda_tilde_jl_2")

IJKL = interaction.IJKL


def _radial_laplacian(f: sp.Expr) -> sp.Expr:
    return sp.diff(r * f, r, 2) / r


def _jl_part_step(d: Derivation, part: str, ours, theirs, c, source: str, name: str | None = None) -> None:
    """Record the computed comparison of a part of tilde Lambda with the printed JL part (A.1)/(A.19)."""
    ratio = "none (not proportional)" if c.ratio is None else sp.sstr(c.ratio)
    sym = "none" if c.symmetrized_ratio is None else sp.sstr(c.symmetrized_ratio)
    fact = c.symmetrized_ratio if c.symmetrized_ratio is not None else c.ratio

    def check():
        # re-verify the computed factor exactly on the symmetrized tensors
        if fact is None:
            return True
        return compare(symmetrize_pairs(ours.to_tensor()), symmetrize_pairs(theirs.to_tensor()) * fact)

    d.step("A.19", name or f"jl_part{part}_vs_printed_A1",
           f"Part ({part}) of tilde Lambda against Joffrin-Levelut's printed part ({part})",
           lhs=rf"\tilde\Lambda^{{({part})}}_{{ijkl}} \;\text{{vs}}\; \tilde\Lambda^{{({part})}}_{{ijkl}}\big|_{{JL}}",
           value=sp.Eq(sp.Symbol(f"ratio_part{part}"), fact if fact is not None else sp.nan, evaluate=False),
           how=f"{source}, parsed from its LaTeX transcription; exact comparison component by component and after "
               "symmetrization in (ij), (kl)",
           check=check,
           check_text=f"component-wise ratio: {ratio}; after symmetrization (contraction with symmetric T T'): {sym}; "
                      f"difference survives the contraction: {'yes' if c.survives_contraction else 'no'}",
           notes=json.dumps(c.as_dict(), sort_keys=True))


def _symmetrized(expr):
    """Average over i <-> j and k <-> l (the value a step labelled S_(ij)(kl) displays)."""
    from glass_sym.structures import symmetrize_index

    return symmetrize_index(expr, ((0, 1), (2, 3))).map_coefficients(sp.expand)


def build() -> Derivation:
    d = Derivation(NAME, TITLE)

    # ---------------------------------------------------------------- (A.5)
    d.step("A.5", "transverse_completeness", "Transverse polarizations: sum_t e_ti e_tj = delta_ij - q_i q_j/q^2",
           lhs=r"\sum_{\mu=t_1,t_2} e_{\mu a} e_{\mu b}", value=elastic.projector("a", "b"),
           how="projector onto the plane orthogonal to q",
           check=elastic.check_completeness,
           check_text="explicit transverse basis t1 = (-q2, q1, 0), t2 = q x t1: orthogonal to q and to each "
                      "other, and sum t t/|t|^2 equals the projector component by component")

    # ---------------------------------------------------------------- (A.8)-(A.10)
    cs = elastic.complete_square()
    split = elastic.two_block_split()
    d.step("A.9", "u0", "Equilibrium displacement from completing the square in u_mu(q)",
           lhs=r"u^{(0)}_\mu(\vec q)", value=split.u0,
           how="H = m w^2 |u|^2/2 + a u + conj(a) conj(u) with a = i/(4 sqrt N) sum_s S_s e^{i q.x_s}, "
               "S_s = [q_j e_mu,i + q_i e_mu,j] T^(s)_ij (from (A.7)); u0 solves dH/d conj(u) = 0 (SymPy solve)",
           check=lambda: [cs.residual, cs.extra_check],
           check_text="H - m w^2/2 |u - u0|^2 - extra expands to 0 with an extra term free of u, and "
                      "extra = -m w^2 |u0|^2 / 2 as in (A.8)",
           register="u0")
    d.step("A.10", "U_plus_V", "Left-over term split into same-block U and between-block V (two blocks)",
           lhs=r"-\frac{m\omega^2}{2}|u^{(0)}|^2", value=sp.Add(split.same_block, split.between_blocks, evaluate=False),
           how="expand -m w^2 u0 conj(u0)/2 over blocks 1, 2; S_1^2, S_2^2 terms are U, S_1 S_2 terms are V; "
               "V averaged over q -> -q gives cos(q.(x_1 - x_2))",
           check=lambda: split.residual, check_text="total - U - V = 0 after expansion")

    # ---------------------------------------------------------------- (A.11)
    lq = elastic.lambda_q()
    d.step("A.11", "lambda_q", "Momentum-space coefficient Lambda_ijkl(q) of T^(s)_ij T^(s')_kl",
           lhs=r"\Lambda_{ijkl}(\vec q)", value=lq,
           how="-(1/(8 rho)) sum_mu B^mu_ij B^mu_kl / (c_mu^2 q^2) with e_l = qhat (A.4), transverse pairs "
               "replaced by delta - qhat qhat (A.5), w = c_mu q, sum_q/(N m) -> (1/rho) int d^3q/(2pi)^3, "
               "1/c_l^2 = (1 - alpha)/c_t^2",
           check=elastic.check_mode_sum_explicit,
           check_text="transverse mode sum recomputed with the explicit polarization vectors, all 81 components",
           register="lambda_q")

    # ---------------------------------------------------------------- (A.16) scalar kernels
    k1, k2 = fourier.scalar_kernel(1), fourier.scalar_kernel(2)
    d.step("A.16", "G1", "Regulated kernel G_1 = int d^3q/(2pi)^3 e^{iq.x}/(q^2+lambda^2)",
           lhs=r"G_1(|\vec x|;\lambda)", value=k1.value,
           how="angular integral 4 pi sin(qr)/(qr) by SymPy; radial integral int_0^oo = pi Res at the pole q = i lambda "
               "(contour closed in the upper half plane, Jordan's lemma), SymPy residue",
           check=lambda: [sp.simplify(_radial_laplacian(k1.value) - lam**2 * k1.value),
                          sp.limit(-4 * sp.pi * r**2 * sp.diff(k1.value, r), r, 0) - 1],
           check_text="(nabla^2 - lambda^2) G_1 = 0 for r > 0 and unit flux -4 pi r^2 G_1' -> 1 as r -> 0 "
                      "(the delta source)")
    d.step("A.16", "G2", "Regulated kernel G_2 = int d^3q/(2pi)^3 e^{iq.x}/(q^2+lambda^2)^2",
           lhs=r"G_2(|\vec x|;\lambda)", value=k2.value,
           how="residue at the double pole q = i lambda, as for G_1",
           check=lambda: [sp.simplify(-_radial_laplacian(k2.value) + lam**2 * k2.value - k1.value),
                          sp.simplify(k2.value + sp.diff(k1.value, lam) / (2 * lam))],
           check_text="(-nabla^2 + lambda^2) G_2 = G_1 and G_2 = -dG_1/d(lambda^2)")
    d.step("A.16", "G2_divergence", "lambda -> 0: the divergent part of G_2 does not depend on x",
           lhs=r"G_2(|\vec x|;\lambda)", value=k2.laurent + sp.Order(lam),
           how="Laurent expansion in lambda (SymPy series)",
           check=lambda: [sp.diff(k2.divergent_part, r), k1.divergent_part],
           check_text="d/dr of the divergent part 1/(8 pi lambda) is 0, so every x-derivative removes it; "
                      "G_1 has no divergent part")

    # ---------------------------------------------------------------- (A.17)
    f1 = fourier.fourier_transform(IJKL, 2)
    f2 = fourier.fourier_transform(("j", "l"), 1)
    coul = fourier.fourier_transform((), 1)

    def check_f(res, exps_of):
        def run():
            explicit = Tensor.from_function(len(res.indices), lambda idx: fourier._cartesian_monomial(exps_of(idx), res.p))
            return compare(res.value.to_tensor(), explicit)
        return run

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
           check=lambda: [sp.simplify(_radial_laplacian(coul.value.coefficients()[0])),
                          sp.limit(-4 * sp.pi * r**2 * sp.diff(coul.value.coefficients()[0], r), r, 0) - 1],
           check_text="harmonic for r > 0 with unit flux",
           register="coulomb")

    # ---------------------------------------------------------------- (A.13) and (A.18)
    lx = interaction.lambda_x()
    lx_explicit = fourier.explicit_fourier(lq.to_tensor())
    d.step("A.13", "lambda_x", "Real-space coefficient Lambda_ijkl(x) = int d^3q/(2pi)^3 Lambda(q) e^{iq.x}",
           lhs=r"\Lambda_{ijkl}(\vec x)", value=lx,
           how="every term delta..qhat^k of Lambda(q) transformed by the Fourier engine (k = 2: f2, k = 4: f1)",
           check=lambda: compare(lx.to_tensor(), lx_explicit),
           check_text="independent route: each explicit component of Lambda(q), monomial by monomial in qhat, "
                      "transformed by Cartesian differentiation",
           register="lambda_x")
    lt = interaction.lambda_tilde()
    d.step("A.18", "lambda_tilde", "tilde Lambda_ijkl(n) with Lambda = -tilde Lambda/(8 pi rho c_t^2 |x|^3)",
           lhs=r"\tilde\Lambda_{ijkl}(\vec n)", value=lt,
           how="tilde Lambda = -8 pi rho c_t^2 r^3 Lambda(x); the product depends on alpha and n only",
           check=lambda: compare(lt.to_tensor(), lx_explicit * (-8 * sp.pi * rho * c_t**2 * r**3)),
           check_text="against the explicit-route Lambda(x), all 81 components",
           register="lambda_tilde")
    p1, p2 = interaction.lambda_tilde_parts()
    d.step("A.19", "lambda_tilde_1", "Part (1) of tilde Lambda: the alpha-independent terms",
           lhs=r"\tilde\Lambda^{(1)}_{ijkl}(\vec n)", value=p1, how="coefficient of alpha^0",
           check=lambda: compare((p1 + p2).to_tensor(), lt.to_tensor()),
           check_text="part (1) + part (2) = tilde Lambda", register="lambda_tilde_1")
    d.step("A.19", "lambda_tilde_2", "Part (2) of tilde Lambda: the terms proportional to alpha",
           lhs=r"\tilde\Lambda^{(2)}_{ijkl}(\vec n)", value=p2, how="coefficient of alpha^1, times alpha",
           check=lambda: [sp.expand(c).coeff(alpha, 0) for c in p2.coefficients()],
           check_text="no alpha^0 term in part (2)", register="lambda_tilde_2")

    # ---------------------------------------------------------------- Joffrin-Levelut convention
    lq_jl = elastic.lambda_q("jl")
    d.step(None, "lambda_q_jl", "Lambda(q) with Joffrin-Levelut's strain e_ij = d u_i/d x_j",
           lhs=r"\Lambda_{ijkl}(\vec q)\big|_{e_{ij}=\partial_j u_i}", value=lq_jl,
           how="as (A.11) with the vertex 2 q_j e_mu,i in place of q_j e_mu,i + q_i e_mu,j",
           check=lambda: elastic.check_mode_sum_explicit("jl"),
           check_text="explicit transverse basis", register="lambda_q_jl")
    lx_jl = interaction.lambda_x("jl")
    lx_jl_explicit = fourier.explicit_fourier(lq_jl.to_tensor())
    d.step(None, "lambda_x_jl", "Lambda(x) with Joffrin-Levelut's strain convention",
           lhs=r"\Lambda_{ijkl}(\vec x)\big|_{e_{ij}=\partial_j u_i}", value=lx_jl,
           how="Fourier engine on Lambda(q)|_JL",
           check=lambda: compare(lx_jl.to_tensor(), lx_jl_explicit),
           check_text="explicit Cartesian route, 81 components", register="lambda_x_jl")
    lt_jl = interaction.lambda_tilde("jl")
    lt_t, lt_jl_t = lt.to_tensor(), lt_jl.to_tensor()
    d.step(None, "lambda_tilde_jl", "tilde Lambda derived with Joffrin-Levelut's strain convention",
           lhs=r"\tilde\Lambda_{ijkl}(\vec n)\big|_{e_{ij}=\partial_j u_i}", value=lt_jl,
           how="Fourier engine on Lambda(q)|_JL",
           check=lambda: compare(lt_jl_t, lx_jl_explicit * (-8 * sp.pi * rho * c_t**2 * r**3)),
           check_text="explicit Cartesian route", register="lambda_tilde_jl")
    jl1, jl2 = interaction.split_by_alpha(lt_jl)
    d.step(None, "lambda_tilde_jl_1", "Part (1) of tilde Lambda in Joffrin-Levelut's convention (alpha^0 terms)",
           lhs=r"\tilde\Lambda^{(1)}_{ijkl}(\vec n)\big|_{e_{ij}=\partial_j u_i}", value=jl1,
           how="coefficient of alpha^0", check=lambda: compare((jl1 + jl2).to_tensor(), lt_jl_t),
           check_text="part (1) + part (2) = tilde Lambda|_JL", register="lambda_tilde_jl_1")
    d.step(None, "lambda_tilde_jl_2", "Part (2) of tilde Lambda in Joffrin-Levelut's convention (alpha terms)",
           lhs=r"\tilde\Lambda^{(2)}_{ijkl}(\vec n)\big|_{e_{ij}=\partial_j u_i}", value=jl2,
           how="coefficient of alpha^1, times alpha", check=lambda: compare(jl2.to_tensor(), p2.to_tensor()),
           check_text="equal to our part (2): the strain convention changes only part (1)", register="lambda_tilde_jl_2")
    d.step(None, "jl_convention_symmetric_part", "Both strain conventions agree on symmetric stresses",
           lhs=r"\mathcal{S}_{(ij)(kl)}\tilde\Lambda\big|_{e_{ij}=\partial_j u_i}",
           value=_symmetrized(interaction.lambda_tilde("jl")),  # the displayed side is the symmetrized one
           how="average over i<->j and k<->l (what T_ij T'_kl with symmetric T sees)",
           check=lambda: compare(symmetrize_pairs(lt_jl_t), lt_t),
           check_text="symmetrized JL-convention tilde Lambda equals tilde Lambda component by component")

    # ---------------------------------------------------------------- printed Joffrin-Levelut form (A.1)
    printed = find_equation("A.1", "jpcm2020", defines="lambda_tilde_jl")
    jl_printed = parse_latex(printed.latex, indices=IJKL)
    jl_p1, jl_p2 = interaction.split_by_alpha(jl_printed)
    for part, ours, theirs in (("1", p1, jl_p1), ("2", p2, jl_p2)):
        cmp_ = interaction.compare_parts(ours, theirs)
        _jl_part_step(d, part, ours, theirs, cmp_, f"printed (A.1) line {printed.source_line}")
    cmp_jl = interaction.compare_parts(jl1, jl_p1)
    _jl_part_step(d, "1", jl1, jl_p1, cmp_jl,
                  "printed (A.1), against tilde Lambda^(1) derived in Joffrin-Levelut's own strain convention",
                  name="jl_convention_part1_vs_printed_A1")

    # ---------------------------------------------------------------- symmetries
    d.step(None, "symmetry_ij", "tilde Lambda_ijkl = tilde Lambda_jikl", lhs=r"\tilde\Lambda_{jikl}", value=lt,
           how="index swap", check=lambda: compare(lt_t.permute((1, 0, 2, 3)), lt_t), check_text="81 components")
    d.step(None, "symmetry_kl", "tilde Lambda_ijkl = tilde Lambda_ijlk", lhs=r"\tilde\Lambda_{ijlk}", value=lt,
           how="index swap", check=lambda: compare(lt_t.permute((0, 1, 3, 2)), lt_t), check_text="81 components")
    d.step(None, "symmetry_pairs", "tilde Lambda_ijkl = tilde Lambda_klij", lhs=r"\tilde\Lambda_{klij}", value=lt,
           how="pair swap", check=lambda: compare(lt_t.permute((2, 3, 0, 1)), lt_t), check_text="81 components")
    d.step(None, "parity", "tilde Lambda(-n) = tilde Lambda(n)", lhs=r"\tilde\Lambda_{ijkl}(-\vec n)", value=lt,
           how="n -> -n", check=lambda: compare(lt_t.xreplace({s: -s for s in N}), lt_t),
           check_text="81 components")
    R = rational_rotation(1, 2, 3, 4)

    def rotation_check():
        return rotation_covariance(lt_t, R)

    d.step(None, "rotation", "Rotation covariance tilde Lambda(R n) = R R R R tilde Lambda(n)",
           lhs=r"\tilde\Lambda_{ijkl}(R\vec n)", value=lt,
           how="exact rotation with rational entries (quaternion (1,2,3,4)/30)",
           check=rotation_check, check_text="81 components, exact")
    return d

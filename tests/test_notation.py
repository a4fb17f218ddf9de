r"""Physicists' notation read correctly: every minimal input of issue 11, with an independently sourced value.

Sources cited per test: J. D. Jackson, *Classical Electrodynamics*, 3rd ed. (Wiley 1999) -- (1.5) Coulomb
field, (1.31) Laplacian of 1/r, (4.10)-(4.13) dipole potential and field; L. D. Landau & E. M. Lifshitz,
*Theory of Elasticity*, 3rd ed., section 8 (Kelvin's point-force solution, (8.18)); the Fourier transform of the
Coulomb potential, int d^3q/(2pi)^3 4 pi e^{iq.x}/q^2 = 1/r (the inverse of Jackson (1.31), nabla^2 (1/r) =
-4 pi delta(x)); the Yukawa identity (nabla^2 - lambda^2) e^{-lambda r}/r = 0 at r != 0; the radial integral
int_0^oo j_1(u)/u du = pi/4 (DLMF 10.22.43), checked here by quadrature; and the paper's own printed (A.17),
J. Phys.: Condens. Matter 32, 055704 (2020).
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from glass_sym.algebra.fourier import fourier_transform
from glass_sym.algebra.indexnotation import IndexExpr, delta, vec
from glass_sym.algebra.tensor import canonical
from glass_sym.audit.typed import compare_typed, evaluate_typed
from glass_sym.errors import DivergenceError, InputError, ParseError
from glass_sym.numerics.functions import numeric_function
from glass_sym.parse.parser import parse_latex
from glass_sym.symbols import N, c_l, r

FT = r"\int \frac{d^3q}{(2\pi)^3} "
PHASE = r" e^{i\vec q\cdot\vec x}"


def same(a: str, b: str, **kw) -> None:
    f = compare_typed(a, b, **kw)
    assert f.status == "match", f.explanation


# ------------------------------------------------------------------ 1. position and unit vectors
def test_position_over_its_length_is_the_unit_vector():
    """n = x/|x| (definition); x_i = r n_i holds in comparisons, not only under derivatives."""
    same(r"\frac{x_i}{x} - n_i", "0")
    assert parse_latex(r"\frac{x_i}{x} - n_i").terms == {}


def test_f2_written_with_x_components_matches_printed_A17():
    """(delta_jl - 3 x_j x_l / r^2)/(4 pi r^3) is the paper's printed (A.17) f2 = (delta_jl - 3 n_j n_l)/(4 pi x^3)."""
    from glass_sym.audit.typed import audit_typed

    assert audit_typed(r"\frac{\delta_{jl}}{4\pi r^3}-\frac{3x_jx_l}{4\pi r^5}", "f2").status == "match"
    same(r"\frac{\delta_{jl}}{4\pi r^3}-\frac{3x_jx_l}{4\pi r^5}", r"\frac{1}{4\pi x^3}(\delta_{jl} - 3 n_j n_l)")


def test_vec_r_over_r_cubed_is_a_vector():
    """Jackson (1.5): the Coulomb field direction (x - x')/|x - x'|^3 is the vector n/r^2, not a scalar."""
    v = parse_latex(r"\frac{\vec r}{r^3}")
    assert isinstance(v, IndexExpr) and v.indices == ("i",)
    assert v.terms == {(("v", "n", "i"),): 1 / r**2}
    same(r"\frac{\vec r}{r^3}", r"\frac{n_i}{r^2}")


def test_hat_r_is_the_unit_vector_n():
    assert parse_latex(r"\hat r_i").terms == {(("v", "n", "i"),): 1}
    assert parse_latex(r"\hat r_i \hat r_i") == 1


def test_phase_with_vec_r_and_r_dot_n():
    """e^{i q.r} is the same phase as e^{i q.x}; r.n = |r| (n = r/|r|)."""
    same(r"e^{i\vec q\cdot\vec r}", r"e^{i\vec q\cdot\vec x}")
    assert parse_latex(r"\vec r\cdot\vec n") == r


# ------------------------------------------------------------------ 2. vectors of any letter
def test_contraction_of_any_letter_leaves_no_free_index():
    v = parse_latex(r"p_i n_i")
    assert not isinstance(v, IndexExpr)
    assert v.free_symbols >= set(N)


def test_dipole_dipole_energy_is_a_scalar():
    """Jackson (4.13) applied twice: the dipole-dipole factor p_i p'_j (delta_ij - 3 n_i n_j) is the scalar
    p.p' - 3 (p.n)(p'.n); checked numerically against NumPy dot products (independent route)."""
    v = parse_latex(r"p_i p'_j(\delta_{ij}-3n_in_j)")
    assert not isinstance(v, IndexExpr)
    f = numeric_function(v)
    p, pp, n = np.array([1.0, 2.0, 2.0]), np.array([-2.0, 0.5, 1.0]), np.array([0.0, 0.6, 0.8])
    got = f(p=np.linalg.norm(p), phat=p, **{"p'": np.linalg.norm(pp), "p'hat": pp}, n=n)
    assert got == pytest.approx(p @ pp - 3 * (p @ n) * (pp @ n), rel=1e-13)


def test_letter_without_index_is_the_magnitude():
    """q_i q_j/q^2 and x_i/x are written with the bare letter as the length: p_i p_i = p^2."""
    assert parse_latex(r"\frac{p_i p_i}{p^2}") == 1
    assert parse_latex(r"\frac{q_i q_i}{q^2}") == 1


def test_dipole_field_from_its_potential():
    """Jackson (4.10)-(4.13): E_i = -d_i [p.x/(4 pi eps0 r^3)] = [3 n_i (p.n) - p_i]/(4 pi eps0 r^3)."""
    same(r"-\partial_i \frac{p_j x_j}{4\pi\epsilon_0 r^3}",
         r"\frac{3 n_i (\vec p\cdot\vec n) - p_i}{4\pi\epsilon_0 r^3}")


def test_declared_symbols():
    assert parse_latex(r"\mu_i n_i", vectors=["mu"]).has(sp.Symbol("mu"))
    assert parse_latex(r"c_i", scalars=["c"]) == sp.Symbol("c_i")
    with pytest.raises(InputError, match="vectors= expects a list"):
        parse_latex("p_i", vectors="p")
    with pytest.raises(InputError, match="fixed vector meaning"):
        parse_latex("p_i", vectors=["n"])


# ------------------------------------------------------------------ 3, 4. integrands
def test_constant_factor_inside_the_integral():
    """Coulomb: int d^3q/(2pi)^3 e^{iq.x}/q^2 = 1/(4 pi r); a q-independent 1/(1+b) just multiplies it."""
    same(FT + r"\frac{1}{1+b}\frac{1}{q^2}" + PHASE, r"\frac{1}{4\pi r (1+b)}")
    same(FT + r"\frac{4\pi}{q^2}" + PHASE, r"\frac{1}{r}")


def test_kelvin_solution_with_constant_prefactors():
    """Landau-Lifshitz section 8, (8.18): G_ik = (1+s)/(8 pi E (1-s)) [(3-4s) d_ik + n_i n_k]/r with E = 2 mu (1+s),
    from G(q) = [d_ik - q_i q_k/q^2]/(mu q^2) + q_i q_k/((lambda+2mu) q^4), 1/(lambda+2mu) = (1-2s)/(2mu(1-s))."""
    integrand = (r"\left[\frac{1}{\mu}\left(\frac{\delta_{ik}}{q^2} - \frac{q_iq_k}{q^4}\right) + "
                 r"\frac{1-2\sigma}{2\mu(1-\sigma)}\frac{q_iq_k}{q^4}\right]")
    same(FT + integrand + PHASE,
         r"\frac{1+\sigma}{8\pi \cdot 2\mu(1+\sigma)(1-\sigma)} \frac{(3-4\sigma)\delta_{ik} + n_i n_k}{r}")


def test_error_names_the_real_culprit():
    with pytest.raises(ParseError, match=r"integrand factor .*sin\(q\)"):
        parse_latex(FT + r"\frac{1}{\mu}\frac{\sin(q)}{q^2}" + PHASE)


def test_contraction_with_q_inside_the_integral():
    """q_i/q^2 -> i n_i/(4 pi r^2) (the gradient of 1/(4 pi r), q -> -i grad), so m_i q_i/q^2 -> i m.n/(4 pi r^2)."""
    same(FT + r"\frac{m_i q_i}{q^2}" + PHASE, r"\frac{i\, m_j n_j}{4\pi r^2}")


def test_dot_products_with_q_inside_the_integral():
    """(q.m)(q.e)/q^2 -> m_j e_l f2_jl with the paper's printed (A.17) f2 = (delta_jl - 3 n_j n_l)/(4 pi x^3)."""
    same(FT + r"\frac{(\vec q\cdot\vec m)(\vec q\cdot\vec e)}{q^2}" + PHASE,
         r"m_j e_l \frac{\delta_{jl} - 3 n_j n_l}{4\pi r^3}")


# ------------------------------------------------------------------ 5. divergence decided by the computation
def test_q_i_over_q4_is_finite():
    """int d^3q/(2pi)^3 q_i/q^4 e^{iq.x} = (i n_i/(2 pi^2)) int_0^oo j_1(u)/u du = i n_i/(8 pi) (angular integral
    4 pi i n_i j_1(qr); DLMF 10.22.43), the radial integral checked here by quadrature."""
    radial = mpmath.quadosc(lambda u: (mpmath.sin(u) / u**2 - mpmath.cos(u) / u) / u, [0, mpmath.inf], omega=1)
    assert float(radial) == pytest.approx(math.pi / 4, rel=1e-10)
    want = sp.I / (2 * sp.pi**2) * sp.pi / 4
    got = fourier_transform(("i",), 2).value
    assert got.terms == {(("v", "n", "i"),): want}
    assert evaluate_typed(FT + r"\frac{q_i}{q^4}" + PHASE).structures == {"n_i": want}


@pytest.mark.parametrize("indices,p", [((), 2), (("i", "j"), 3)])
def test_infrared_divergent_integrals_are_refused(indices, p):
    """1/q^4 and q_i q_j/q^6 behave as 1/q^4 at small q: int d^3q/q^4 diverges (regulated: 1/lambda)."""
    with pytest.raises(DivergenceError, match="divergent"):
        fourier_transform(indices, p)
    num = "".join(f"q_{i}" for i in indices) or "1"
    with pytest.raises(ParseError, match="diverges"):
        parse_latex(FT + r"\frac{" + num + "}{q^{" + str(2 * p) + "}}" + PHASE)


# ------------------------------------------------------------------ 6. traces
def test_trace_of_tilde_lambda():
    """tilde Lambda_iikk of (A.18): every (delta - 3nn)delta term traces to 3 - 3 = 0; the alpha bracket gives
    -(9 + 3 + 3) + 3(3 + 1 + 1 + 1 + 1 + 3) - 15 = 0 (by hand)."""
    assert evaluate_typed(r"\tilde\Lambda_{iikk}").value == 0
    assert evaluate_typed(r"\tilde\Lambda_{ijij}").value == 0
    # a partial trace keeps the other indices: Lambda~_iikl = (alpha/2)(-5 d_kl ...): compare with explicit sum
    from glass_sym.audit.printed import derived_value

    lt = derived_value("lambda_tilde").to_tensor()
    got = parse_latex(r"\tilde\Lambda_{iikl}", tensors={"Lambda~": derived_value("lambda_tilde")}).to_tensor()
    for k in range(3):
        for l in range(3):
            assert canonical(got[k, l] - sum(lt[i, i, k, l] for i in range(3))) == 0


def test_trace_of_a_declared_tensor():
    """T_ij = delta_ij - 3 n_i n_j has T_ii = 3 - 3 = 0; an undeclared T_ii is refused, naming the fix."""
    t = delta("i", "j") - 3 * vec("n", "i") * vec("n", "j")
    assert parse_latex("T_{ii}", tensors={"T": t}) == 0
    with pytest.raises(ParseError, match=r"T_\{ii\}: a trace of an index list on T, which is not a known tensor"):
        parse_latex("T_{ii}")


@pytest.mark.parametrize("tex,want", [
    (r"\partial_i\partial_i \frac{1}{r}", 0),                                  # Jackson (1.31), x != 0
    (r"\partial_i\partial_i \frac{e^{-\lambda r}}{r}", sp.Symbol("lambda", positive=True)**2
     * sp.exp(-sp.Symbol("lambda", positive=True) * r) / r),                  # (nabla^2 - lambda^2) Yukawa = 0
    (r"\partial_i x_i", 3),                                                     # div x = 3
    (r"\partial_i n_i", 2 / r),                                                 # div of the radial unit vector
])
def test_derivative_traces(tex, want):
    assert sp.simplify(parse_latex(tex) - want) == 0


# ------------------------------------------------------------------ 7. names
def test_labels_and_index_lists():
    """docs/parse.md "Vectors and labels": E_{int} is a label, c_{l} the sound speed, Lambda_{ijkl} an index list."""
    assert parse_latex(r"E_{int}") == sp.Symbol("E_int")
    assert parse_latex(r"c_{l}") == c_l
    assert parse_latex(r"E_{\mathrm{xyz}}") == sp.Symbol("E_xyz")
    with pytest.raises(ParseError, match=r"E_\{xyz\}: an index list on E, which is not a known tensor, or a label"):
        parse_latex(r"E_{xyz}")
    assert parse_latex(r"E_{xyz}", scalars=["E_xyz"]) == sp.Symbol("E_xyz")


def test_unit_vector_components_sum_to_one():
    assert parse_latex(r"n_1^2+n_2^2+n_3^2") == 1
    assert parse_latex(r"(m_1^2+m_2^2+m_3^2) a") == sp.Symbol("a")
    same(r"n_1^2+n_2^2+n_3^2", "1")
    assert evaluate_typed(r"n_1^2+n_2^2+n_3^2").value == 1


# ------------------------------------------------------------------ 8. whole equations
def test_whole_equation_is_audited_against_the_form_its_left_side_names():
    """A whole equation tilde Lambda_ijkl(n) = (A.18) is audited against lambda_tilde (named by its left side)."""
    from glass_sym.audit.printed import audit_equation
    from glass_sym.paper.transcriptions import find_equation

    rhs = find_equation("A.18", "jpcm2020", defines="lambda_tilde").latex
    f = audit_equation(r"\tilde\Lambda_{ijkl}(\vec n) = " + rhs, None)
    assert f.status in ("match", "match-symmetrized") and f.details["lhs"].startswith(r"\tilde\Lambda")
    assert audit_equation(r"f^{(2)}_{jl} = \frac{\delta_{jl} - 3 n_j n_l}{4\pi r^3}", None).status == "match"
    with pytest.raises(InputError, match="left side names the closed form 'f2'"):
        audit_equation(r"f^{(2)}_{jl} = \frac{\delta_{jl}}{r}", "f1")
    with pytest.raises(InputError, match="names no registered closed form"):
        audit_equation(r"Q_{jl} = \delta_{jl}", None)


def test_primed_unit_vectors():
    """n'_i is a second unit vector: n'_i n'_i = 1; n'_i n_i its cosine with n (explicit components)."""
    assert parse_latex(r"n'_i n'_i") == 1
    same(r"n'_i n_i", r"\vec n'\cdot\vec n")
    with pytest.raises(ParseError, match=r"x'_i: a component of a second position"):
        parse_latex(r"x'_i")


# ------------------------------------------------------------------ independent route for contractions under \partial
_X = sp.symbols("X1:4", real=True)
_P = sp.symbols("P1:4", real=True)
_M = sp.symbols("M1:4", real=True)
_R = sp.sqrt(sum(c**2 for c in _X))


def _dot3(a, b):
    return sum(u * v for u, v in zip(a, b))


@pytest.mark.parametrize("operand,explicit", [
    (r"\frac{p_j x_j}{r^3}", _dot3(_P, _X) / _R**3),
    (r"\frac{(\vec p\cdot\vec n)^2}{r}", _dot3(_P, _X)**2 / _R**3),
    (r"\frac{(p_j x_j)(m_k x_k)}{r^5}", _dot3(_P, _X) * _dot3(_M, _X) / _R**5),
    (r"e^{-\lambda r} \frac{m_k n_k}{r}", sp.exp(-sp.Symbol("lambda", positive=True) * _R) * _dot3(_M, _X) / _R**2),
])
@pytest.mark.parametrize("ops", [r"\partial_a", r"\partial_a\partial_b", r"\partial_a\partial_a"])
def test_derivatives_of_contractions_against_cartesian_sympy(operand, explicit, ops):
    """The engine (contractions kept in index form, opened, differentiated by the chain rule, contracted again)
    against SymPy differentiating the explicit Cartesian function, compared numerically at random points."""
    lam = sp.Symbol("lambda", positive=True)
    ev = evaluate_typed(ops + " " + operand)
    f = numeric_function(ev)
    idx = {r"\partial_a": ["a"], r"\partial_a\partial_b": ["a", "b"], r"\partial_a\partial_a": ["a", "a"]}[ops]
    rng = np.random.default_rng(11)
    for _ in range(3):
        x = rng.normal(size=3)
        p = rng.normal(size=3)
        m = rng.normal(size=3)
        m /= np.linalg.norm(m)
        subs = {**dict(zip(_X, x)), **dict(zip(_P, p)), **dict(zip(_M, m)), lam: 0.7}
        if idx == ["a", "a"]:
            want = float(sum(sp.diff(explicit, c, 2) for c in _X).subs(subs))
        elif idx == ["a"]:
            want = np.array([float(sp.diff(explicit, c).subs(subs)) for c in _X])
        else:
            want = np.array([[float(sp.diff(explicit, a, b).subs(subs)) for b in _X] for a in _X])
        args = {"n": x, "r": float(np.linalg.norm(x))}
        names = set(f.args)
        if "phat" in names:
            args.update(phat=p, p=float(np.linalg.norm(p)))
        if "m" in names:
            args["m"] = m
        if "lambda" in names:
            args["lambda"] = 0.7
        got = f(**{k: v for k, v in args.items() if k in names})
        assert np.allclose(got, want, rtol=1e-10, atol=1e-12), (got, want)


def test_length_of_a_vector_is_its_bare_letter():
    assert parse_latex(r"|\vec p|") == sp.Symbol("p")
    assert parse_latex(r"|\vec r|") == r
    assert parse_latex(r"\frac{\vec p}{|\vec p|}").terms == {(("v", "phat", "i"),): 1}


def test_registered_forms_by_their_printed_names():
    """f^{(2)}_{jl} is the registered f2 of (A.14)/(A.17): m_j e_l f2_jl is the integral of (q.m)(q.e)/q^2;
    f^{(1)}_{iikk} is the transform of q^4/q^4 = 1, supported at x = 0 only, hence 0 at x != 0; a plain
    \\Lambda stays a symbol."""
    same(r"m_j e_l f^{(2)}_{jl}", FT + r"\frac{(\vec q\cdot\vec m)(\vec q\cdot\vec e)}{q^2}" + PHASE)
    assert evaluate_typed(r"f^{(1)}_{iikk}").value == 0
    assert evaluate_typed(r"\Lambda^2").value == sp.Symbol("Lambda")**2

r"""Calculus in printed equations (glass_sym.parse.calculus, read by glass_sym.parse.parser).

Expected values come from the printed closed forms, typed here from delta/vec:

* journal (A.17) / preprint (A14): f1 = {(d_ij d_kl + d_ik d_jl + d_jk d_il) - 3(6 n n d terms) + 15 n_i n_j n_k n_l}
  / (8 pi x^3), f2 = (d_jl - 3 n_j n_l)/(4 pi x^3);
* the regulated forms (A.16) / preprint (A13) are checked against an independent route: explicit Cartesian
  differentiation by SymPy of e^{-lambda rho}/(4 pi rho), rho = sqrt(x1^2 + x2^2 + x3^2), and against the
  Fourier engine's ``regulated`` values (which integrate over q instead of differentiating printed text).
"""

from __future__ import annotations

import builtins

import pytest
import sympy as sp

from glass_sym.algebra.fourier import fourier_transform
from glass_sym.algebra.indexnotation import IndexExpr, delta, vec
from glass_sym.algebra.structures import differing_components
from glass_sym.errors import DivergenceError, InputError, ParseError
from glass_sym.parse.calculus import fourier_integral, limit_lambda_to_zero, x_derivative
from glass_sym.parse.parser import parse_latex, parse_measure, phase_kind
from glass_sym.symbols import QHAT, N, lam, q, r

A14_F1 = r"\int \frac{\mathrm{d}^3 q}{(2\pi)^3} \frac{q_i q_j q_k q_l}{q^4} \mathrm{e}^{\mathrm{i}\vec{q}\cdot\vec{x}}"
A14_F2 = r"\int \frac{\mathrm{d}^3 q}{(2\pi)^3} \frac{q_j q_l}{q^2} \mathrm{e}^{\mathrm{i}\vec{q}\cdot\vec{x}}"
A16_F1 = (r"\left(\frac{\partial}{\partial x_i}\frac{\partial}{\partial x_j}\frac{\partial}{\partial x_k}"
          r"\frac{\partial}{\partial x_l}\right)\frac{1}{8\pi\lambda}e^{-\lambda x}")
A16_F2 = r"-\left(\frac{\partial}{\partial x_j}\frac{\partial}{\partial x_l}\right)\frac{1}{4\pi x}e^{-\lambda x}"


def n(a):
    return vec("n", a)


def d(a, b):
    return delta(a, b)


def f1_printed() -> IndexExpr:
    """Journal (A.17), typed from the paper."""
    sym3 = d("i", "j") * d("k", "l") + (d("i", "k") * d("j", "l")).reorder("ijkl") + \
        (d("j", "k") * d("i", "l")).reorder("ijkl")
    six = (n("i") * n("j") * d("k", "l") + (n("i") * n("k") * d("j", "l")).reorder("ijkl")
           + (n("i") * n("l") * d("j", "k")).reorder("ijkl") + (n("j") * n("k") * d("i", "l")).reorder("ijkl")
           + (n("j") * n("l") * d("i", "k")).reorder("ijkl") + (n("k") * n("l") * d("i", "j")).reorder("ijkl"))
    nnnn = n("i") * n("j") * n("k") * n("l")
    return (sym3 - 3 * six + 15 * nnnn) / (8 * sp.pi * r**3)


def f2_printed() -> IndexExpr:
    """Journal (A.17) / preprint (A14), typed from the paper."""
    return (d("j", "l") - 3 * n("j") * n("l")) / (4 * sp.pi * r**3)


def same(a, b) -> bool:
    return a.indices == b.indices and differing_components(a - b) == 0


#: a rational unit vector, n = (3, 4, 12)/13
NV = (sp.Rational(3, 13), sp.Rational(4, 13), sp.Rational(12, 13))


def cartesian_f2_regulated(a: int, b: int) -> sp.Expr:
    """-d_a d_b e^{-lambda rho}/(4 pi rho) in explicit Cartesian coordinates at x = r NV (independent route)."""
    xs = sp.symbols("x1:4", real=True)
    rho = sp.sqrt(sum(x**2 for x in xs))
    g = -sp.diff(sp.exp(-lam * rho) / (4 * sp.pi * rho), xs[a], xs[b])
    return g.subs({x: r * v for x, v in zip(xs, NV)}, simultaneous=True)


def at_nv(expr: sp.Expr) -> sp.Expr:
    return expr.subs(dict(zip(N, NV)))


# ------------------------------------------------------------------------------------------ integrals
def test_eq_A14_f1_integral_equals_printed_A17():
    """Journal (A.14) f1 as printed, evaluated: equals (A.17) (x != 0)."""
    assert same(parse_latex(A14_F1), f1_printed())


def test_eq_A14_f2_integral_equals_printed_A17():
    assert same(parse_latex(A14_F2), f2_printed())


@pytest.mark.parametrize("text", [
    r"\int \frac{d^3q}{(2\pi)^3} \frac{q_j q_l}{q^2} \cos(\vec{q} \cdot \vec{x})",          # preprint (A11)
    r"\int \frac{d^{3}q}{(2\pi)^{3}} \frac{q_j q_l}{q^2} \frac{e^{i\vec q\cdot\vec x} + e^{-i\vec q\cdot\vec x}}{2}",
    r"\int \frac{d^3\vec{q}}{(2\pi)^3} \hat{q}_j \hat{q}_l e^{-i \vec{q}\cdot\vec{x}_{ss'}}",
    r"\frac{1}{(2\pi)^3}\int d^3q \frac{q_j q_l}{q^2} e^{i\vec{q}\cdot\vec{x}}",
    r"\int \frac{d^3k}{(2\pi)^3} \frac{k_j k_l}{k^2} e^{i\vec{k}\cdot\vec{x}}",
])
def test_eq_A11_f2_phase_and_measure_spellings(text):
    """Preprint (A11) prints cos(q.x) where the journal's (A.14) has e^{iq.x}; even integrands agree."""
    assert same(parse_latex(text), f2_printed())


def test_eq_A11_f1_cos():
    text = r"\int \frac{d^3q}{(2\pi)^3} \frac{q_i q_j q_k q_l}{q^4} \cos(\vec{q} \cdot \vec{x})"
    assert same(parse_latex(text), f1_printed())


def test_odd_integrand_phases():
    """int q_j/q^2 e^{+-iq.x} are opposite; with cos(q.x) the odd part vanishes."""
    plus = parse_latex(r"\int \frac{d^3q}{(2\pi)^3} \frac{q_j}{q^2} e^{i\vec q\cdot\vec x}")
    minus = parse_latex(r"\int \frac{d^3q}{(2\pi)^3} \frac{q_j}{q^2} e^{-i\vec q\cdot\vec x}")
    assert differing_components(plus + minus) == 0 and differing_components(plus) == 3
    cos = parse_latex(r"\int \frac{d^3q}{(2\pi)^3} \frac{q_j}{q^2} \cos(\vec q\cdot\vec x)")
    assert differing_components(cos) == 0
    # i q_j/(4 pi r^2) n_j ... = -i d_j (1/(4 pi r)) (the Coulomb kernel's gradient)
    assert sp.simplify(plus.to_tensor()[2] - sp.I * N[2] / (4 * sp.pi * r**2)) == 0


def test_polynomial_integrand_is_zero_away_from_origin():
    assert parse_latex(r"\int \frac{d^3q}{(2\pi)^3} q_j q_l e^{i\vec q\cdot\vec x}") .terms == {}


def test_regulated_integral_equals_cartesian_route():
    """int q_j q_l/(q^2 + lambda^2) e^{iq.x} = -d_j d_l e^{-lambda r}/(4 pi r): the printed (A.16) f2."""
    got = parse_latex(r"\int \frac{d^3q}{(2\pi)^3} \frac{q_j q_l}{q^2+\lambda^2} e^{i\vec q\cdot\vec x}")
    t = got.to_tensor()
    for a, b in ((2, 2), (0, 1)):
        assert sp.simplify(at_nv(t[a, b]) - cartesian_f2_regulated(a, b)) == 0


def test_regulated_numerator_power_and_limit():
    """q^2/(q^2 + lambda^2)^2 = 1/(q^2+lambda^2) - lambda^2/(q^2+lambda^2)^2; its lambda -> 0 limit is f2."""
    text = r"\int \frac{d^3q}{(2\pi)^3} \frac{q_j q_l q^2}{(q^2+\lambda^2)^2} e^{i\vec q\cdot\vec x}"
    got = parse_latex(text)
    want = fourier_transform("jl", 1).regulated - lam**2 * fourier_transform("jl", 2).regulated
    assert same(got, want)
    assert same(parse_latex(r"\lim_{\lambda \to 0}" + text), f2_printed())


# ------------------------------------------------------------------------------------------ derivatives
def test_eq_A16_f2_regulated_equals_engine_and_cartesian():
    """Journal (A.16) f2(lambda) as printed = the engine's regulated transform = explicit differentiation."""
    got = parse_latex(A16_F2)
    assert same(got, fourier_transform("jl", 1).regulated)
    assert sp.simplify(at_nv(got.to_tensor()[0, 2]) - cartesian_f2_regulated(0, 2)) == 0


def test_eq_A16_f1_regulated_equals_engine():
    """Journal (A.16) f1(lambda) = d_i d_j d_k d_l e^{-lambda x}/(8 pi lambda) = engine's regulated f1."""
    assert same(parse_latex(A16_F1), fourier_transform("ijkl", 2).regulated)


def test_eq_A17_limit_of_A16():
    """lim_{lambda -> 0} of (A.16) is (A.17); the 1/(8 pi lambda) divergence is x-independent and drops out."""
    assert same(parse_latex(r"\lim_{\lambda \to 0}" + A16_F1), f1_printed())
    assert same(parse_latex(r"\lim_{\lambda\rightarrow 0^+}\left[" + A16_F2 + r"\right]"), f2_printed())


@pytest.mark.parametrize("text", [
    r"-\frac{\partial^2}{\partial x_j \partial x_l} \frac{1}{4\pi x}",
    r"-\partial_j \partial_l \frac{1}{4\pi x}",
    r"-\partial_{x_j} \partial_{l} \frac{1}{4\pi x}",
    r"\left(-\partial_j \partial_l\right) \frac{1}{4\pi x}",
    r"- \frac{1}{4\pi} \partial_j \partial_l \frac{1}{x}",
])
def test_derivative_spellings_give_f2(text):
    assert same(parse_latex(text), f2_printed())


def test_derivative_of_unit_vector():
    """d_i n_j = (delta_ij - n_i n_j)/r (n = x/r is not constant)."""
    got = parse_latex(r"\partial_i n_j")
    assert same(got, (d("i", "j") - n("i") * n("j")) / r)


def test_public_functions():
    phase = sp.exp(sp.I * q * r * sum(a * b for a, b in zip(QHAT, N)))
    f2 = fourier_integral(vec("q", "j") * vec("q", "l") * phase / q**2, normalization=1 / (2 * sp.pi)**3)
    assert same(f2, f2_printed())
    assert same(x_derivative(-1 / (4 * sp.pi * r), ["j", "l"]), f2_printed())
    assert limit_lambda_to_zero(sp.exp(-lam * r) / r) == 1 / r
    with pytest.raises(DivergenceError):
        limit_lambda_to_zero(1 / lam + r)
    with pytest.raises(InputError, match="phase"):
        fourier_integral(vec("q", "j") / q**2)
    assert parse_measure(r"\int \frac{d^3q}{(2\pi)^3}").normalization == 1 / (8 * sp.pi**3)
    assert parse_measure(r"\sum_{\vec{q}}").kind == "sum"
    assert phase_kind(r"e^{-i\vec q\cdot\vec x}") == "-"


def test_jl_label_on_a_bracket():
    """Preprint (A16) writes (\\tilde\\Lambda^{(1)}_{ijkl}(\\vec n))_{JL}: the label is dropped."""
    lt = (d("i", "k") * d("j", "l")).reorder("ijkl")
    got = parse_latex(r"(\tilde{\Lambda}^{(1)}_{ijkl}(\vec{n}))_{JL} + (\delta_{ik}\delta_{jl})_{\mathrm{JL}}",
                      tensors={"Lambda~(1)": lt})
    assert same(got, 2 * lt)


def test_calculus_never_evaluates_text(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("user text reached eval/exec/sympify")

    real = sp.sympify
    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(sp, "sympify", lambda a, *k, **kw: refuse() if isinstance(a, str) else real(a, *k, **kw))
    assert same(parse_latex(r"\lim_{\lambda \to 0}(" + A16_F2 + ")"), f2_printed())


# ------------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize("text, message", [
    (r"\int \frac{d^2q}{(2\pi)^3} e^{i\vec q\cdot\vec x}", r"at position 13 \(line 1, col 14\): expected the dimension 3"),
    (r"\int_0^1 dq", r"at position 4 \(line 1, col 5\): definite integrals"),
    (r"\int \frac{dq}{2} q", r"at position 12 \(line 1, col 13\): expected d\^3q"),
    (r"\int x", r"at position 5 \(line 1, col 6\): expected the measure d\^3q"),
    (r"\int \frac{d^3q}{(2\pi)^3} \frac{q_j}{q^2}", r"at position 0 \(line 1, col 1\): \\int: .*expected a phase factor"),
    (r"\int \frac{d^3q}{(2\pi)^3} \frac{q_j}{q^3} e^{i\vec q\cdot\vec x}", r"at position 0 .*odd power q\^-3"),
    (r"n_i + \int \frac{d^3q}{(2\pi)^3} \frac{1}{q^4} e^{i\vec q\cdot\vec x}", r"at position 6 .*\\int diverges"),
    (r"\int \frac{d^3q}{(2\pi)^3} \frac{1}{q^2} \cos(2\vec q\cdot\vec x)", r"at position 0 .*expected e\^\{i q.x\}"),
    (r"\lim_{\lambda \to 0} - x", r"at position 0 .*without operand inside a sum"),
    (r"\int \frac{d^3q}{(2\pi)^3}", r"at position 0 \(line 1, col 1\): an operator .*without operand"),
    (r"\frac{\partial f}{\partial x_i}", r"at position 15 \(line 1, col 16\): .*write the operator before"),
    (r"\frac{\partial}{\partial y_i} x", r"at position 25 \(line 1, col 26\): expected x_i after \\partial"),
    (r"\frac{\partial^2}{\partial x_i} x", r"at position 6 \(line 1, col 7\): \\partial\^2 over 1 derivatives"),
    (r"\partial x", r"at position 9 \(line 1, col 10\): expected \\partial_i"),
    (r"\partial_i^2 x", r"at position 10 \(line 1, col 11\): a subscript, superscript or prime on an operator"),
    (r"n_i / \partial_j x", r"at position 4 \(line 1, col 5\): division by an integral or derivative"),
    (r"\lim_{x \to 1} x", r"at position 6 \(line 1, col 7\): only \\lim_\{\\lambda \\to 0\}"),
    (r"\lim_{\lambda \to 0} \frac{1}{\lambda}", r"at position 0 .*diverges"),
    (r"(x)_i", r"a subscript or prime on a bracketed expression"),
])
def test_error_positions(text, message):
    with pytest.raises(ParseError, match=message):
        parse_latex(text)

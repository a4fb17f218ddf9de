r"""Tests of glass_sym.parse.parser: LaTeX index notation -> IndexExpr / SymPy.

Expected values are built by hand in each test from ``delta``/``vec`` and the shared symbols, following the
printed equations of the journal version (J. Phys.: Condens. Matter 32, 055704 (2020)), cited in each
docstring; equality is decided component-wise by ``compare`` (canonical form modulo n.n = 1).
"""

from __future__ import annotations

import builtins
import os
import time

import pytest
import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr, delta, vec
from glass_sym.algebra.tensor import compare
from glass_sym.errors import InputError, ParseError
from glass_sym.parse.parser import (DELTA_X, MAX_DEPTH, MAX_LENGTH, lhs_info, parse_equation, parse_latex,
                                    split_equations, strip_display)
from glass_sym.symbols import M, N, alpha, c_l, c_t, epsilon, q, r, rho


def d(a, b):
    return delta(a, b)


def n(a):
    return vec("n", a)


def m(a):
    return vec("m", a)


def assert_same(a: IndexExpr, b: IndexExpr) -> None:
    """Component-wise exact equality (prints the residual on failure)."""
    assert isinstance(a, IndexExpr) and isinstance(b, IndexExpr)
    assert a.indices == b.indices
    c = compare(a.to_tensor(), b.to_tensor())
    assert c.equal, c.summary()


def _sym3():
    """delta_ij delta_kl + delta_ik delta_jl + delta_il delta_jk."""
    return d("i", "j") * d("k", "l") + d("i", "k") * d("j", "l") + (d("i", "l") * d("j", "k")).reorder("ijkl")


def _sym6():
    """The six n n delta terms of (A.17)."""
    terms = [n("i") * n("j") * d("k", "l"), n("i") * n("k") * d("j", "l"), n("i") * n("l") * d("j", "k"),
             n("j") * n("k") * d("i", "l"), n("j") * n("l") * d("i", "k"), n("k") * n("l") * d("i", "j")]
    return sum((t.reorder("ijkl") for t in terms[1:]), terms[0].reorder("ijkl"))


def _nnnn():
    return n("i") * n("j") * n("k") * n("l")


# ------------------------------------------------------------------------------------------ printed equations
A17_F1 = (r"\frac{1}{8\pi x^3} \left\{ (\delta_{ij}\delta_{kl} + \delta_{ik}\delta_{jl} + \delta_{jk}\delta_{il}) \\ "
          r"&- 3(n_i n_j \delta_{kl} + n_i n_k \delta_{jl} + n_i n_l \delta_{jk} + n_j n_k \delta_{il} + n_j n_l "
          r"\delta_{ik} + n_k n_l \delta_{ij}) + 15n_i n_j n_k n_l \right\}")

A1_TILDE = (r"-2(\delta_{jl} - 3n_j n_l)\delta_{ik} \\ &+ 2\alpha \left\{ -(\delta_{ij}\delta_{kl} + \delta_{ik}"
            r"\delta_{jl} + \delta_{jk}\delta_{il}) + 3(n_i n_j \delta_{kl} + n_i n_k \delta_{jl} \\ &+ n_i n_l "
            r"\delta_{jk} + n_j n_k \delta_{il} + n_j n_l \delta_{ik} + n_k n_l \delta_{ij}) - 15n_i n_j n_k n_l "
            r"\right\}, \end{split}$$")


def test_eq_A17_f1():
    r"""(A.17): lim f^(1)_ijkl = 1/(8 pi x^3) {(dd + dd + dd) - 3(six n n d) + 15 n n n n}, with x = |x| -> r."""
    got = parse_latex(A17_F1)
    want = (_sym3() - 3 * _sym6() + 15 * _nnnn()) / (8 * sp.pi * r**3)
    assert got.indices == ("i", "j", "k", "l")
    assert_same(got, want)


def test_eq_A17_f2():
    r"""(A.17): lim f^(2)_jl = 1/(4 pi x^3) (delta_jl - 3 n_j n_l)."""
    got = parse_latex(r"\frac{1}{4\pi x^3} \left( \delta_{jl} - 3n_j n_l \right).")
    assert_same(got, (d("j", "l") - 3 * n("j") * n("l")) / (4 * sp.pi * r**3))


def test_eq_A1_tilde_lambda_jl():
    r"""(A.1), tilde Lambda|_JL = -2(d_jl - 3 n_j n_l) d_ik + 2 alpha {-(3 dd) + 3(6 nnd) - 15 nnnn}: parsed
    as printed, with the split-environment layout (&, \\, \end{split}$$, trailing comma)."""
    got = parse_latex(A1_TILDE)
    first = (-2 * (d("j", "l") - 3 * n("j") * n("l")) * d("i", "k")).reorder("ijkl")
    want = first + 2 * alpha * (-_sym3() + 3 * _sym6() - 15 * _nnnn())
    assert_same(got, want)


def test_eq_A1_equation_and_lhs():
    r"""(A.1) as an equation: the left-hand side \tilde\Lambda_{ijkl}(\vec n)|_{JL} fixes the index order."""
    lhs, got = parse_equation(r"\tilde{\Lambda}_{ijkl}(\vec{n})|_{\mathrm{JL}} &= " + A1_TILDE)
    assert lhs.name == "Lambda~" and lhs.indices == ("i", "j", "k", "l")
    assert got.indices == ("i", "j", "k", "l")


def test_eq_A18_prefactor_with_named_tensor():
    r"""(A.18): Lambda = -\tilde\Lambda_{ijkl}(\vec n)/(8 pi rho c_t^2 |x_s - x_s'|^3); the named tensor is
    supplied (here a stand-in with other index letters, renamed to the ones written)."""
    stand_in = delta("a", "b") * vec("n", "c") * vec("n", "d")
    lhs, got = parse_equation(
        r"\Lambda_{ijkl}^{(ss')} &= -\frac{\tilde{\Lambda}_{ijkl}(\vec{n})}{8\pi\rho c_{t}^{2} |x_{s} - x_{s}'|^{3}}",
        tensors={"Lambda~": stand_in})
    assert lhs.label == "(ss')"
    want = -(d("i", "j") * n("k") * n("l")) / (8 * sp.pi * rho * c_t**2 * r**3)
    assert_same(got, want)
    with pytest.raises(ParseError, match=r"unknown tensor 'Lambda~'.*tensors="):
        parse_latex(r"-\frac{\tilde{\Lambda}_{ijkl}(\vec{n})}{8\pi\rho c_t^2 |\vec x|^3}")


def test_eq_D2_mu():
    r"""(D.2): mu_ij = (delta_ij - 3 n_i n_j)/(8 pi epsilon |x_s - x_s'|^3)."""
    got = parse_latex(r"\frac{\delta_{ij} - 3n_{i}n_{j}}{8\pi\epsilon |\vec{x}_{s} - \vec{x}_{s}'|^{3}},")
    assert_same(got, (d("i", "j") - 3 * n("i") * n("j")) / (8 * sp.pi * epsilon * r**3))


def test_eq_D3_delta_mu():
    r"""(D.3): u(x_s,t) - u(x'_s,t) = |Delta x| m, so the printed ratio of dot product and lengths is m.n."""
    text = (r"\frac{3|\vec{u}(\vec{x}_s,t) - \vec{u}(\vec{x}'_s,t)|}{8\pi\epsilon |\vec{x}_s - \vec{x}'_s|^4} "
            r"\bigg[ - (n_j m_i + n_i m_j) + (5n_i n_j - \delta_{ij}) \, \frac{(\vec{u}(\vec{x}_s,t) - "
            r"\vec{u}(\vec{x}'_s,t)) \cdot (\vec{x}_s - \vec{x}'_s)}{|\vec{u}(\vec{x}_s,t) - \vec{u}(\vec{x}'_s,t)|"
            r" \cdot |\vec{x}_s - \vec{x}'_s|} \bigg]")
    mn = sum(a * b for a, b in zip(M, N))
    want = 3 * DELTA_X / (8 * sp.pi * epsilon * r**4) * (
        -(n("j") * m("i") + (n("i") * m("j")).reorder("ij")) + mn * (5 * n("i") * n("j") - d("i", "j")))
    assert_same(parse_latex(text), want.reorder("ij"))


def test_eq_C23_k_is_wave_vector():
    r"""(C.23): k_a k_b k_c k_d / k^4 with k read as the wave vector q (k_a -> q_a, k -> q = |q|)."""
    got = parse_latex(r"-\alpha \left( \frac{k_a k_b k_c k_d}{k^4} \right) + \frac{1}{4} \left( "
                      r"\frac{k_b k_d \delta_{ac}}{k^2} \right)")
    qv = [q * vec("qhat", x) for x in "abcd"]     # q_a = q qhat_a (docs/parse.md)
    want = -alpha * qv[0] * qv[1] * qv[2] * qv[3] / q**4 + (qv[1] * qv[3] * delta("a", "c")).reorder("abcd") / (4 * q**2)
    assert_same(got, want)


def test_eq_A19_printed_contraction_is_reported():
    r"""(A.19) prints n_i n_i \delta_{jk} among rank-4 terms: a repeated index, summed, so the sum is
    inconsistent; the error names the position and the summed index."""
    text = r"3(n_i n_j \delta_{kl} + n_i n_k \delta_{jl} + n_i n_i \delta_{jk})"
    plus = text.rindex("+")      # the error points at the operator that adds the inconsistent term
    with pytest.raises(ParseError, match=rf"at position {plus} .*ijkl and jk \(index i repeated, hence summed"):
        parse_latex(text)


# ------------------------------------------------------------------------------------------ scalars
@pytest.mark.parametrize("text, want", [
    (r"\left(1-\frac{c_t^2}{c_l^2}\right)", 1 - c_t**2 / c_l**2),
    (r"1 - c_{t}^{2} / c_{l}^{2}", 1 - c_t**2 / c_l**2),
    (r"\frac{1}{2}\left( 1 - \frac{c_{l}^{2}}{c_{l}^{2}} \right)", sp.S.Zero),
    (r"|\vec x - \vec x'|^3", r**3),
    (r"|\vec{x}_s - \vec{x}'_s|^3", r**3),
    (r"|x_s - x_s'|^3", r**3),
    (r"|\vec x_s - \vec x_{s'}|", r),
    (r"x^3", r**3),
    (r"x^23", 3 * r**2),
    (r"\frac12 + \tfrac{1}{4} - \dfrac34", sp.Integer(0)),
    (r"0.25 \cdot 8", sp.Integer(2)),
    (r"a/bc", sp.Symbol("a") / (sp.Symbol("b") * sp.Symbol("c"))),
    (r"2 \times 3 \{ 1 + 1 \} [2]", sp.Integer(24)),
    (r"\sqrt{4\pi^2}", 2 * sp.pi),
    (r"\vec q \cdot \vec q", q**2),
    (r"\vec n \cdot \vec n", sp.Integer(1)),
    (r"\delta_{ii}", sp.Integer(3)),
    (r"\frac{\alpha}{2} \rho \varepsilon", alpha * rho * epsilon / 2),
])
def test_scalars(text, want):
    got = parse_latex(text)
    assert not isinstance(got, IndexExpr)
    assert sp.simplify(got - want) == 0


def test_eq_2_10_scalar_with_functions():
    r"""(2.10): Re chi = -(n_0 M^2/4) ln(1/(beta hbar omega)); \hbar, \beta, \omega are positive symbols."""
    got = parse_latex(r"-\frac{n_0 M^2}{4} \ln\left(\frac{1}{\beta \hbar \omega}\right) \quad (2.10)")
    beta, hbar, omega = (sp.Symbol(s, positive=True) for s in ("beta", "hbar", "omega"))
    want = -sp.Symbol("n_0") * sp.Symbol("M") ** 2 / 4 * sp.log(1 / (beta * hbar * omega))
    assert sp.simplify(got - want) == 0
    assert parse_latex(r"\cos^2\theta") == sp.cos(sp.Symbol("theta", real=True)) ** 2
    assert parse_latex(r"\mathrm{e}^{-\beta\omega}") == sp.exp(-beta * omega)
    assert parse_latex(r"\Psi(x)") == sp.digamma(r)


def test_displacement_ratio_is_m_dot_n():
    r"""(B.2), (B.3): Delta x_{ss'} . (x_s - x'_s) / (|Delta x_{ss'}| |x_s - x'_s|) = m.n."""
    got = parse_latex(r"\frac{\Delta\vec{x}_{ss'} \cdot (\vec{x}_s - \vec{x}_s')}{|\Delta\vec{x}_{ss'}| \cdot "
                      r"|\vec{x}_s - \vec{x}_s'|}")
    assert sp.expand(got - sum(a * b for a, b in zip(M, N))) == 0


# ------------------------------------------------------------------------------------------ vectors, indices
def test_vectors_and_contractions():
    assert_same(parse_latex(r"\hat{q}_i \hat q_j"), vec("qhat", "i") * vec("qhat", "j"))
    assert_same(parse_latex(r"\vec{n}_i m_{j}"), n("i") * m("j"))
    assert_same(parse_latex(r"\delta_{i j} n_{j}"), n("i"))
    assert_same(parse_latex(r"\delta_{ij}\delta_{jk}"), d("i", "k"))
    assert parse_latex("n_i n_i") == 1       # n is a unit vector: n_i n_i = 1 exactly (docs/parse.md)
    with pytest.raises(ParseError, match="index 'i' occurs more than twice"):
        parse_latex("n_i n_i n_i")
    with pytest.raises(ParseError, match="different free indices: i and j"):
        parse_latex("n_i + m_j")


def test_index_order():
    e = parse_latex(r"n_j \delta_{il}")
    assert e.indices == ("i", "j", "l")
    e2 = parse_latex(r"n_j \delta_{il}", indices=("l", "j", "i"))
    assert e2.indices == ("l", "j", "i")
    assert_same(e2, (n("j") * d("i", "l")).reorder("lji"))
    with pytest.raises(ParseError, match="not a permutation"):
        parse_latex(r"n_j \delta_{il}", indices=("i", "j", "k"))
    with pytest.raises(InputError):
        parse_latex(r"n_j \delta_{il}", indices=("i", "i", "j"))
    _, rhs = parse_equation(r"\mu_{ji} = \delta_{ij} - 3n_i n_j")
    assert rhs.indices == ("j", "i")


# ------------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize("text, message", [
    (r"\frac{a}{b", r"at position 10 \(line 1, col 11\): expected '\}' to close '\{' opened at 8, found end of input"),
    (r"n_i + \foo", r"at position 6 \(line 1, col 7\): unknown macro \\foo"),
    ("", r"at position 0 \(line 1, col 1\): expected an expression, found end of input"),
    ("a + ", r"at position 4 \(line 1, col 5\): expected an operand .*found end of input"),
    ("2 \\cdot", r"at position 7 \(line 1, col 8\): expected an operand"),
    ("(a + b]", r"at position 6 \(line 1, col 7\): expected '\)' to close '\(' opened at 0, found '\]'"),
    ("a + b)", r"at position 5 \(line 1, col 6\): unmatched '\)'"),
    ("a \\\\\n + @", r"at position 8 \(line 2, col 4\): unexpected character '@'"),
    (r"\sum_i n_i", r"unsupported macro \\sum"),
    (r"\delta_{i}", r"\\delta needs two index letters"),
    (r"n_{ij}", r"not a known tensor"),
    ("a = b", r"at position 2 .*found '=' \(an equation: use parse_equation\)"),
    (r"K(\omega, L)", r"found ',' \(tuples and function arguments are not supported\)"),
])
def test_error_positions(text, message):
    with pytest.raises(ParseError, match=message):
        parse_latex(text)


def test_malicious_text_is_never_executed(tmp_path, monkeypatch):
    marker = tmp_path / "pwned_marker"
    for text in (f"__import__('os').system('touch {marker}')", f"eval(\"open('{marker}','w')\")",
                 r"\mathrm{__import__}"):
        with pytest.raises(ParseError):
            parse_latex(text)
    assert not marker.exists() and not os.path.exists("/tmp/pwned_marker")

    def refuse(*args, **kwargs):
        raise AssertionError("user text reached eval/exec/sympify")

    real_sympify = sp.sympify
    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    monkeypatch.setattr(sp, "sympify", lambda a, *k, **kw: refuse() if isinstance(a, str) else real_sympify(a, *k, **kw))
    assert_same(parse_latex(r"\frac{\alpha}{2} n_i n_j"), alpha / 2 * n("i") * n("j"))


def test_size_and_depth_limits():
    t0 = time.perf_counter()
    with pytest.raises(ParseError, match="longer than the limit"):
        parse_latex("x" * (MAX_LENGTH + 1))
    deep = "(" * 5000 + "x" + ")" * 5000
    with pytest.raises(ParseError, match=f"nested deeper than {MAX_DEPTH}"):
        parse_latex(deep)
    with pytest.raises(ParseError):
        parse_latex(r"\cos" * 3000 + "x")
    ok = "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH
    assert parse_latex(ok) == r
    assert parse_latex(" + ".join(["x"] * 3000)) == 3000 * r     # long flat sums do not recurse
    assert time.perf_counter() - t0 < 20


# ------------------------------------------------------------------------------------------ helpers
def test_strip_display_and_split():
    assert strip_display(r"$$\begin{split} a &= \left( b \right) \\ &+ c, \end{split}$$") == "a = ( b ) + c"
    assert strip_display(r"x \qquad (2.9)") == "x"
    eqs = split_equations(r"\begin{split} \Lambda_{ijkl} &= -\frac{a}{b} \\ \tilde{\Lambda}_{ijkl} &= "
                          r"n_i n_j \\ &+ \delta_{kl}, \end{split}")
    assert eqs == [(r"\Lambda_{ijkl}", r"-\frac{a}{b}"), (r"\tilde{\Lambda}_{ijkl}", r"n_i n_j + \delta_{kl}")]
    info = lhs_info(r"\tilde{\Lambda}^{(1)}_{ijkl}(\vec{n})|_{\mathrm{JL}}")
    assert (info.name, info.indices, info.label) == ("Lambda~", ("i", "j", "k", "l"), "(1)")
    with pytest.raises(ParseError, match="exactly one top-level '='"):
        parse_equation("a = b = c")


# ------------------------------------------------------------------------------------------ round trip
def _roundtrip_cases():
    f1 = (_sym3() - 3 * _sym6() + 15 * _nnnn()) / (8 * sp.pi * r**3)
    lt = (d("j", "l") - 3 * n("j") * n("l")) * d("i", "k") / 4 + alpha / 2 * (3 * _sym6() - _sym3()).reorder("jlik")
    lq = (alpha * vec("qhat", "i") * vec("qhat", "j") * vec("qhat", "k") * vec("qhat", "l")
          - (vec("qhat", "j") * vec("qhat", "l") * d("i", "k")).reorder("ijkl") / 4) / (2 * rho * c_t**2)
    mu = (1 - c_t**2 / c_l**2) * (d("i", "j") - 3 * n("i") * n("j")) / (8 * sp.pi * epsilon * r**3)
    return [f1, lt.reorder("ijkl"), lq, mu, -n("i") * m("j") * DELTA_X]


@pytest.mark.parametrize("expr", _roundtrip_cases())
def test_roundtrip_latex_printer(expr):
    """LaTeX -> IndexExpr -> index_latex -> IndexExpr, equal component-wise (printer: glass_sym.output.latex)."""
    latex = pytest.importorskip("glass_sym.output.latex")
    text = latex.index_latex(expr)
    again = parse_latex(text, indices=expr.indices)
    assert_same(again, expr)
    assert_same(parse_latex(latex.index_latex(again), indices=expr.indices), expr)


@pytest.mark.parametrize("value", [1 - c_t**2 / c_l**2, alpha / 2, -3 * alpha / 2 + sp.Rational(3, 4),
                                   1 / (8 * sp.pi * rho * c_t**2 * r**3), sp.sqrt(2) * q**2])
def test_roundtrip_scalar_latex(value):
    """sympy.latex of the shared symbols parses back to the same expression."""
    assert sp.simplify(parse_latex(sp.latex(value)) - value) == 0

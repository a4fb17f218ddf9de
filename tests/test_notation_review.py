r"""Review of issue 11 (a new user's findings): no silently wrong reading, no silently wrong verdict.

Every input a reviewer found read wrongly is either read right -- the expected value from an independent
source cited in the test -- or refused with a positioned one-line error; a comparison the engine cannot decide
is reported ``undecided`` (exit 3), never guessed.

Sources: NIST DLMF, chapter 4 -- section 4.14 (definitions: tan z = sin z / cos z, cos z = (e^{iz} + e^{-iz})/2),
section 4.21 (identities: sin^2 + cos^2 = 1, addition formulas, double angles), section 4.35 (hyperbolic
identities: cosh^2 - sinh^2 = 1); J. D. Jackson, *Classical Electrodynamics*, 3rd ed. (Wiley 1999): (1.5) the
Coulomb field x/|x|^3 and -grad(1/r) = x/r^3, (1.31) the Fourier representation of 1/r; and the definitions of
the dot product, a unit vector (v.v = 1) and Cartesian components (v.w = v_x w_x + v_y w_y + v_z w_z).
"""

from __future__ import annotations

import fractions
import math
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.audit.typed import audit_typed, compare_typed, evaluate_typed
from glass_sym.cli import main as cli
from glass_sym.errors import InputError, ParseError
from glass_sym.numerics.functions import numeric_function
from glass_sym.parse.parser import parse_latex
from glass_sym.symbols import r


def status(a: str, b: str, **kw) -> str:
    return compare_typed(a, b, **kw).status


# ------------------------------------------------------------------ A1. identities with functions
@pytest.mark.parametrize("a, b", [
    (r"\sin^2 t+\cos^2 t", "1"),                                      # DLMF 4.21 (Pythagorean identity)
    (r"\cosh^2 t-\sinh^2 t", "1"),                                    # DLMF 4.35
    (r"\sin(2t)", r"2\sin t\cos t"),                                  # DLMF 4.21 (double angle)
    (r"2\cos^2 t-1", r"\cos(2t)"),                                    # DLMF 4.21 (double angle)
    (r"\cos(t+p)", r"\cos t\cos p-\sin t\sin p"),                     # DLMF 4.21 (addition formula)
    (r"\tan t", r"\frac{\sin t}{\cos t}"),                            # DLMF 4.14 (definition)
    (r"\frac{e^{ikr}+e^{-ikr}}{2}", r"\cos(kr)"),                     # DLMF 4.14 (Euler)
    (r"n_i \sin^2 t + n_i\cos^2 t", r"n_i"),                          # the same, per component of a vector
])
def test_identities_with_functions_match(a, b):
    f = compare_typed(a, b)
    assert f.status == "match", f.explanation
    assert f.details["functions"]["decided"] == "equal"


def test_a_difference_with_functions_is_differs_only_when_proven():
    """sin 2t != sin t: at t = 1 the difference is sin 2 - sin 1 = 0.0678... (mpmath, independent of SymPy)."""
    f = compare_typed(r"\sin(2t)", r"\sin t")
    assert f.status == "differs" and f.details["functions"]["decided"] == "differs"
    assert abs(mpmath.sin(2) - mpmath.sin(1)) > 0.06


@pytest.mark.parametrize("a, b", [
    (r"\sqrt{t^2}", "t"),               # sqrt(t^2) = |t|: equal for t > 0, not for t < 0 (no domain given)
    (r"\ln(ab)", r"\ln a + \ln b"),     # DLMF 4.8.2 holds only with conditions on the arguments' phases
])
def test_what_cannot_be_decided_is_undecided_with_exit_3(a, b, capsys):
    f = compare_typed(a, b)
    assert f.status == "undecided" and f.details["functions"]["decided"] == "undecided"
    assert cli.main(["audit", "--latex", a, "--against-latex", b]) == 3
    assert "undecided" in capsys.readouterr().out


def test_exit_codes_of_a_single_comparison(capsys):
    assert cli.main(["audit", "--latex", r"\sin^2 t+\cos^2 t", "--against-latex", "1"]) == 0
    assert cli.main(["audit", "--latex", r"\sin(2t)", "--against-latex", r"\sin t"]) == 1
    capsys.readouterr()


# ------------------------------------------------------------------ A2. d/dr is not a fraction
@pytest.mark.parametrize("tex", [r"\frac{d}{dr}\frac{1}{r}", r"\frac{d^2}{dr^2} r^3", r"\frac{df}{dx}",
                                 r"\frac{\mathrm{d}}{\mathrm{d}r}\frac{1}{r}", r"2\frac{d}{d r} r"])
def test_derivative_fractions_are_refused_not_cancelled(tex):
    with pytest.raises(ParseError, match=r"at position \d+ .*derivative written as a fraction"):
        parse_latex(tex)


def test_the_derivative_route_gives_the_coulomb_field():
    """Jackson (1.5): -grad(1/r) = x/r^3 = n/r^2."""
    assert status(r"-\partial_i \frac{1}{r}", r"\frac{n_i}{r^2}") == "match"


def test_a_fraction_with_d_only_in_the_numerator_is_still_a_fraction():
    assert parse_latex(r"\frac{d}{2}") == sp.Symbol("d") / 2


# ------------------------------------------------------------------ A3. function arguments without brackets
@pytest.mark.parametrize("tex, pos", [(r"\sin 2\theta", 0), (r"\ln 2r", 0), (r"a \cos 2t", 2),
                                      (r"\cos\theta x", 0), (r"\exp a b", 0)])
def test_a_bare_function_argument_followed_by_factors_is_refused(tex, pos):
    with pytest.raises(ParseError, match=rf"at position {pos} .*takes an argument without brackets"):
        parse_latex(tex)


def test_bracketed_arguments_and_products_of_functions_are_read():
    theta, phi = sp.Symbol("theta", real=True), sp.Symbol("phi", real=True)
    assert parse_latex(r"\sin(2\theta)") == sp.sin(2 * theta)
    assert parse_latex(r"2\sin\theta") == 2 * sp.sin(theta)
    assert parse_latex(r"\sin\theta\cos\phi") == sp.sin(theta) * sp.cos(phi)
    assert parse_latex(r"(\ln 2) r") == sp.log(2) * r
    assert status(r"\sin(2\theta)", r"2\sin\theta\cos\theta") == "match"        # DLMF 4.21


# ------------------------------------------------------------------ A4. vector accents on Greek letters
def test_vec_on_a_greek_letter_is_a_vector():
    """mu.n (definition of the dot product) is a scalar, the same as mu_i n_i with mu declared a vector."""
    for tex in (r"\vec\mu\cdot\vec n", r"\boldsymbol{\mu}\cdot\hat n", r"\mathbf{\mu}\cdot\vec n"):
        v = parse_latex(tex)
        assert not isinstance(v, IndexExpr)
        assert status(tex, r"\mu_i n_i", vectors=["mu"]) == "match"
    with pytest.raises(ParseError, match="cross products"):
        parse_latex(r"\boldsymbol\omega\times\vec r")


# ------------------------------------------------------------------ A5. labels and upper indices
def test_a_greek_label_sharing_an_index_letter_is_refused():
    with pytest.raises(ParseError, match=r"at position 0 .*mu_i.*--vector mu"):
        parse_latex(r"\mu_i n_i")
    with pytest.raises(ParseError, match=r"--vector mu"):
        parse_latex(r"\frac{\mu_i}{2} n_i")
    assert parse_latex(r"\mu_i") == sp.Symbol("mu_i")           # alone: a label
    with pytest.raises(ParseError, match=r"label of another factor.*--vector mu"):
        parse_latex(r"\hat\mu_i \hat\mu_i")
    assert parse_latex(r"\hat\mu_i \hat\mu_i", vectors=["mu"]) == 1     # a unit vector: muhat.muhat = 1
    assert parse_latex(r"\gamma_l \gamma_t") == sp.Symbol("gamma_l") * sp.Symbol("gamma_t")
    assert status(r"\mu_i n_i", r"\mu_j n_j", vectors=["mu"]) == "match"      # dummy renaming


@pytest.mark.parametrize("tex, pos", [(r"n^i n_i", 2), (r"p^j n_j", 2), (r"p^{j} n_j", 3)])
def test_superscript_index_letters_are_refused(tex, pos):
    with pytest.raises(ParseError, match=rf"at position {pos} .*superscript"):
        parse_latex(tex)


# ------------------------------------------------------------------ A6. Cartesian subscripts and coordinates
def test_axis_subscripts_are_components():
    """v.w = v_x w_x + v_y w_y + v_z w_z (Cartesian components) and n.n = 1."""
    assert status(r"p_x n_x + p_y n_y + p_z n_z", r"p_i n_i") == "match"
    assert status(r"n_x n_x+n_y n_y+n_z n_z", "1") == "match"
    assert parse_latex(r"n_x") == parse_latex(r"n_1")
    with pytest.raises(ParseError, match=r"\\delta needs two index letters"):
        parse_latex(r"\delta_{xy}")


def test_cartesian_coordinates_next_to_x_are_refused():
    with pytest.raises(ParseError, match=r"at position 4 .*y next to x"):
        parse_latex(r"x^2+y^2+z^2")
    assert parse_latex(r"y^2 + z") == sp.Symbol("y") ** 2 + sp.Symbol("z")    # without x: plain symbols


def test_a_one_letter_subscript_is_a_component_and_a_roman_one_a_label():
    """docs/parse.md: m_e is the component e of the unit vector m (rank 1); the electron mass is m_{\\mathrm{e}}."""
    assert parse_latex(r"m_e c^2").indices == ("e",)
    assert parse_latex(r"m_{\mathrm{e}} c^2") == sp.Symbol("m_e") * sp.Symbol("c") ** 2
    assert parse_latex(r"m_e c^2", scalars=["m_e"]) == sp.Symbol("m_e") * sp.Symbol("c") ** 2


# ------------------------------------------------------------------ B. hats, variants, bare n
def test_hat_means_a_unit_vector():
    """A unit vector has v.v = 1 (definition); e itself (the polarization) is not one."""
    assert evaluate_typed(r"\hat e_i \hat e_i").value == 1
    assert status(r"\hat e_i \hat e_i", "1") == "match"
    assert evaluate_typed(r"e_i e_i").value != 1


def test_variant_greek_letters_are_the_same_letter():
    assert status(r"\epsilon_0", r"\varepsilon_0") == "match"
    assert status(r"\varphi + \vartheta", r"\phi + \theta") == "match"


def test_bare_n_next_to_the_unit_vector_is_its_length():
    """|n| = 1 for the unit vector n, so n_i n_i - n^2 = 0."""
    assert status(r"n_i n_i - n^2", "0") == "match"
    assert parse_latex(r"n^2 + 1") == sp.Symbol("n") ** 2 + 1         # without the vector n: a symbol
    assert parse_latex(r"r^n") == r ** sp.Symbol("n")
    assert status(r"n'_i n'_i - n'^2", "0") == "match"                  # a primed unit vector likewise
    assert parse_latex(r"n'_i n'_i - n^2") == 1 - sp.Symbol("n") ** 2    # n' used, n not: n is a symbol
    assert parse_latex(r"n_0 n") == sp.Symbol("n_0") * sp.Symbol("n")   # n_0 is a label, not the vector n
    for tex in (r"r^n n_i", r"r^{-n} n_i", r"r^{n+1}\hat n_i"):     # |n| = 1 or a number n? refused
        with pytest.raises(ParseError, match=r"at position 1 .*exponent containing n"):
            parse_latex(tex)


# ------------------------------------------------------------------ C. CLI and messages
def test_latex_values_may_start_with_a_minus(capsys):
    """Jackson (1.5): -x_i/r^3 = -n_i/r^2."""
    assert cli.main(["eval", "--latex", r"-\frac{x_i}{r^3}"]) == 0
    assert "-1/r**2" in capsys.readouterr().out.replace(" ", "")
    assert cli.main(["audit", "--latex", r"-\frac{x_i}{r^3}", "--against-latex", r"-\frac{n_i}{r^2}"]) == 0
    assert cli.main(["audit", "--latex", "n_i", "--tensor", r"T_{ij} = -\delta_{ij}", "--against-latex",
                     r"-T_{ij} n_j"]) == 0
    capsys.readouterr()


def test_thin_space_before_the_measure():
    """Jackson (1.31): int d^3q/(2pi)^3 e^{iq.x}/q^2 = 1/(4 pi r)."""
    ev = evaluate_typed(r"\int\!\frac{d^3q}{(2\pi)^3} \frac{1}{q^2} e^{i\vec q\cdot\vec x}")
    assert sp.simplify(ev.value - 1 / (4 * sp.pi * r)) == 0


@pytest.mark.parametrize("tex", [r"\hat{\mathbf n}_i", r"\mathbf{\hat n}_i", r"\vec{\hat n}_i", r"\hat{\vec n}_i"])
def test_nested_accents_are_the_unit_vector(tex):
    assert status(tex, "n_i") == "match"
    assert status(tex.replace("_i", "") + r"\cdot\hat{\mathbf n}", "1") == "match"


def test_messages_quote_latex_as_typed_and_name_the_sides():
    with pytest.raises(InputError) as e:
        audit_typed(r"\Phi = \frac{1}{r}")
    assert r"'\Phi'" in str(e.value) and r"\\" not in str(e.value)
    with pytest.raises(InputError) as e:
        compare_typed("n_i", "1", names=("--latex", "--against-latex"))
    assert "printed" not in str(e.value) and "derived" not in str(e.value) and "--against-latex" in str(e.value)
    with pytest.raises(InputError, match=r"write mu, not \\mu"):
        parse_latex("p_i", vectors=["\\mu"])
    with pytest.raises(ParseError) as e:
        parse_latex(r"\int\foo")
    assert r"found '\foo'" in str(e.value)


def test_paper_typos_get_suggestions(tmp_path, capsys):
    eq = 'label = "1"\nversion = "v"\nlhs = "V"\nlatex = \'\\frac{1}{4\\pi r}\'\nsource_line = 1\n'
    (tmp_path / "a.toml").write_text('[[equation]]\ndefines = "coulmb"\n' + eq)
    assert cli.main(["audit", "--paper", str(tmp_path / "a.toml")]) == 0
    assert "did you mean 'coulomb'" in capsys.readouterr().out


# ------------------------------------------------------------------ C18. numbers
def test_numeric_function_refuses_non_positive_distances_without_warnings():
    f2 = numeric_function("f2")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for bad in (0, -1.0, [1.0, -2.0]):
            with pytest.raises(InputError, match="'r' is a distance: expected a value > 0"):
                f2(n=[0, 0, 1], r=bad)
    with pytest.raises(InputError, match="did you mean 'r'"):
        f2(n=[0, 0, 1], R=1.0)


def test_numeric_function_accepts_every_real_number_type():
    """(1 - 3 n_3^2)/(4 pi r^3) at n = z, r = 1/2 (printed (A.17) f2): -2/(4 pi / 8) = -4/pi."""
    f2 = numeric_function("f2")
    expected = -4 / math.pi
    for r_value in (0.5, fractions.Fraction(1, 2), sp.Rational(1, 2), np.float32(0.5), [sp.Rational(1, 2)]):
        got = np.asarray(f2(n=[0, 0, 1], r=r_value))[..., 2, 2]
        assert np.allclose(got, expected, rtol=1e-6)
    for bad in ("0.5", 0.5j, sp.I, None, True):
        with pytest.raises(InputError, match="'r'"):
            f2(n=[0, 0, 1], r=bad)


def test_paper_equations_with_functions_are_decided(tmp_path):
    """A transcription stating y = sin^2 t + cos^2 t and y = 1 is consistent (DLMF 4.21); y = sqrt(t^2) is not
    the same quantity (|t| != 1 at t = 2: a proven difference)."""
    from glass_sym.audit.user_paper import audit_paper

    rows = [("\\sin^2 t + \\cos^2 t", 1), ("1", 2), ("\\sqrt{t^2}", 3)]
    text = "".join(f'[[equation]]\nlabel = "{n}"\nversion = "v"\ndefines = "y"\nlhs = "y"\nlatex = \'{tex}\'\n'
                   f"source_line = {n}\n\n" for tex, n in rows)
    (tmp_path / "p.toml").write_text(text)
    got = [f.status for f in audit_paper(tmp_path / "p.toml")]
    assert got == ["not-derived", "match", "inconsistent"]

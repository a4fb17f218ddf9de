"""LaTeX export: exact strings of the index-notation printer, derivation bodies, .tex files and the PDF build.

The expected strings are written by hand from the way journal Appendix A typesets its tensors
(J. Phys.: Condens. Matter 32, 055704 (2020), equations (A.1), (A.17)-(A.19)), in the printer's fixed
conventions: common factor in front, equal coefficients gathered into one permutation sum, vectors before
deltas, structures ordered by number of vector factors then lexicographically, first piece positive.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr, delta, scalar, vec
from glass_sym.algebra.tensor import Tensor, compare
from glass_sym.errors import InputError, OutputError
from glass_sym.output import latex as L
from glass_sym.records import latex_steps
from glass_sym.records.derivation import Derivation
from glass_sym.symbols import alpha, c_t, r, rho

IJKL = ("i", "j", "k", "l")
HAVE_PDFLATEX = shutil.which("pdflatex") is not None
needs_pdflatex = pytest.mark.skipif(not HAVE_PDFLATEX, reason="pdflatex not installed")


def n(a):
    return vec("n", a)


def _dd():
    """delta_ij delta_kl + delta_ik delta_jl + delta_il delta_jk."""
    return (delta("i", "j") * delta("k", "l") + delta("i", "k") * delta("j", "l")
            + delta("i", "l") * delta("j", "k")).reorder(IJKL)


def _nnd():
    """The six n n delta terms of (A.17)."""
    terms = [n("i") * n("j") * delta("k", "l"), n("i") * n("k") * delta("j", "l"), n("i") * n("l") * delta("j", "k"),
             n("j") * n("k") * delta("i", "l"), n("j") * n("l") * delta("i", "k"), n("k") * n("l") * delta("i", "j")]
    total = IndexExpr.zero(IJKL)
    for t in terms:
        total = total + t.reorder(IJKL)
    return total


def _nnnn():
    return n("i") * n("j") * n("k") * n("l")


def _f1():
    """Journal (A.17), lim f^(1)_ijkl = {(dd+dd+dd) - 3(nn d ...) + 15 nnnn} / (8 pi x^3)."""
    return (_dd() - 3 * _nnd() + 15 * _nnnn()) / (8 * sp.pi * r**3)


def _t1():
    """Journal (A.19), tilde Lambda^(1) = (1/4)[(d_jl - 3 n_j n_l) d_ik + (jk)(il) + (ik)(jl) + (il)(jk)]."""
    def part(a, b, c, d):
        return ((delta(a, b) - 3 * n(a) * n(b)) * delta(c, d)).reorder(IJKL)
    return sp.Rational(1, 4) * (part("j", "l", "i", "k") + part("j", "k", "i", "l")
                                + part("i", "k", "j", "l") + part("i", "l", "j", "k"))


def _t2():
    """Journal (A.19), tilde Lambda^(2) = (alpha/2)[-(ddd) + 3(nnd ...) - 15 nnnn]."""
    return alpha / 2 * (-_dd() + 3 * _nnd() - 15 * _nnnn())


F1_TEX = (r"\frac{1}{8 \pi r^{3}} \Bigl\{ (\delta_{ij} \delta_{kl} + \delta_{ik} \delta_{jl} + \delta_{il} \delta_{jk})"
          r" - 3 (n_{i} n_{j} \delta_{kl} + n_{i} n_{k} \delta_{jl} + n_{i} n_{l} \delta_{jk} + n_{j} n_{k} \delta_{il}"
          r" + n_{j} n_{l} \delta_{ik} + n_{k} n_{l} \delta_{ij}) + 15 n_{i} n_{j} n_{k} n_{l} \Bigr\}")
T1_TEX = (r"\frac{1}{4} \Bigl\{ 2 (\delta_{ik} \delta_{jl} + \delta_{il} \delta_{jk}) - 3 (n_{i} n_{k} \delta_{jl}"
          r" + n_{i} n_{l} \delta_{jk} + n_{j} n_{k} \delta_{il} + n_{j} n_{l} \delta_{ik}) \Bigr\}")
T2_TEX = (r"- \frac{\alpha}{2} \Bigl\{ (\delta_{ij} \delta_{kl} + \delta_{ik} \delta_{jl} + \delta_{il} \delta_{jk})"
          r" - 3 (n_{i} n_{j} \delta_{kl} + n_{i} n_{k} \delta_{jl} + n_{i} n_{l} \delta_{jk} + n_{j} n_{k} \delta_{il}"
          r" + n_{j} n_{l} \delta_{ik} + n_{k} n_{l} \delta_{ij}) + 15 n_{i} n_{j} n_{k} n_{l} \Bigr\}")


# ------------------------------------------------------------------ index_latex: small pieces
def test_delta_and_vectors():
    assert L.index_latex(delta("i", "j")) == r"\delta_{ij}"
    assert L.index_latex(delta("j", "i")) == r"\delta_{ij}"
    assert L.index_latex(vec("n", "i")) == r"n_{i}"
    assert L.index_latex(vec("qhat", "a")) == r"\hat{q}_{a}"
    assert L.index_latex(vec("x", "k")) == r"x_{k}"


def test_products_vectors_first_in_index_order():
    e = delta("k", "l") * vec("m", "j") * vec("n", "i")
    assert L.index_latex(e) == r"n_{i} m_{j} \delta_{kl}"
    assert L.index_latex(delta("i", "j") * delta("k", "l")) == r"\delta_{ij} \delta_{kl}"


def test_rational_and_symbolic_coefficients():
    assert L.index_latex(-3 * n("i") * n("j")) == r"- 3 n_{i} n_{j}"
    assert L.index_latex(alpha * n("i") * n("j") * delta("k", "l") / 2) == r"\frac{\alpha}{2} n_{i} n_{j} \delta_{kl}"
    assert L.index_latex(-15 * alpha * _nnnn() / 2) == r"- \frac{15 \alpha}{2} n_{i} n_{j} n_{k} n_{l}"


def test_zero_and_scalar():
    assert L.index_latex(IndexExpr.zero(("i", "j"))) == "0"
    assert L.index_latex(scalar(alpha / 2)) == r"\frac{\alpha}{2}"
    assert L.index_latex(delta("i", "j") - delta("i", "j")) == "0"


def test_index_latex_rejects_non_index_expr():
    with pytest.raises(TypeError):
        L.index_latex(sp.Integer(1))


# ------------------------------------------------------------------ index_latex: the paper's tensors
def test_eq_A17_f2():
    """(A.17): lim f^(2)_jl = (delta_jl - 3 n_j n_l) / (4 pi x^3)."""
    f2 = (delta("j", "l") - 3 * n("j") * n("l")) / (4 * sp.pi * r**3)
    assert L.index_latex(f2) == r"\frac{1}{4 \pi r^{3}} \Bigl( \delta_{jl} - 3 n_{j} n_{l} \Bigr)"


def test_eq_A17_f1():
    """(A.17): f^(1) prints as the paper writes it: 1/(8 pi x^3) {(3 dd) - 3 (6 nnd) + 15 nnnn}."""
    assert L.index_latex(_f1()) == F1_TEX


def test_eq_A19_parts():
    """(A.19): the alpha-free part with its overall 1/4, the alpha part with alpha/2 pulled out."""
    assert L.index_latex(_t1()) == T1_TEX
    assert L.index_latex(_t2()) == T2_TEX


def test_eq_A18_grouped_by_powers_of_alpha():
    """(A.18): tilde Lambda = part (1) + part (2): one group per power of alpha, alpha^0 first."""
    assert L.index_latex(_t1() + _t2()) == T1_TEX + " " + T2_TEX


def test_eq_A18_lambda_common_prefactor_and_sign():
    """(A.18): Lambda = -tilde Lambda / (8 pi rho c_t^2 x^3): the factor shared by both groups and the sign go in front."""
    lam = -(_t1() + _t2()) / (8 * sp.pi * rho * c_t**2 * r**3)
    expected = (r"- \frac{1}{\pi c_{t}^{2} r^{3} \rho} \biggl[ \frac{1}{32} \Bigl\{ 2 (\delta_{ik} \delta_{jl}"
                r" + \delta_{il} \delta_{jk}) - 3 (n_{i} n_{k} \delta_{jl} + n_{i} n_{l} \delta_{jk} + n_{j} n_{k} \delta_{il}"
                r" + n_{j} n_{l} \delta_{ik}) \Bigr\} - \frac{\alpha}{16} \Bigl\{ (\delta_{ij} \delta_{kl}"
                r" + \delta_{ik} \delta_{jl} + \delta_{il} \delta_{jk}) - 3 (n_{i} n_{j} \delta_{kl} + n_{i} n_{k} \delta_{jl}"
                r" + n_{i} n_{l} \delta_{jk} + n_{j} n_{k} \delta_{il} + n_{j} n_{l} \delta_{ik} + n_{k} n_{l} \delta_{ij})"
                r" + 15 n_{i} n_{j} n_{k} n_{l} \Bigr\} \biggr]")
    assert L.index_latex(lam) == expected


def test_eq_A1_common_delta_factored_out():
    """(A.1): Joffrin-Levelut -2 (delta_jl - 3 n_j n_l) delta_ik + 2 alpha {...}: the shared delta_ik is written once."""
    jl1 = -2 * ((delta("j", "l") - 3 * n("j") * n("l")) * delta("i", "k")).reorder(IJKL)
    assert L.index_latex(jl1) == r"- 2 \Bigl( \delta_{jl} - 3 n_{j} n_{l} \Bigr) \delta_{ik}"
    jl = jl1 + 2 * alpha * (-_dd() + 3 * _nnd() - 15 * _nnnn())
    assert L.index_latex(jl) == (r"- 2 \Bigl( \delta_{jl} - 3 n_{j} n_{l} \Bigr) \delta_{ik} - 2 \alpha"
                                 + T2_TEX[len(r"- \frac{\alpha}{2}"):])


def test_unexpanded_coefficients_are_expanded():
    """(1 - alpha)/2 on one structure splits into the alpha^0 and alpha^1 groups."""
    e = (1 - alpha) / 2 * (delta("i", "k") * delta("j", "l")).reorder(IJKL)
    assert L.index_latex(e) == r"\frac{1}{2} \delta_{ik} \delta_{jl} - \frac{\alpha}{2} \delta_{ik} \delta_{jl}"


def test_deterministic_whatever_the_build_order():
    a = L.index_latex(_f1())
    assert L.index_latex(_f1()) == a
    # same tensor built in the reverse order, with the free indices listed differently
    rev = (15 * _nnnn() - 3 * _nnd() + _dd()).reorder(("l", "k", "j", "i")) / (8 * sp.pi * r**3)
    assert L.index_latex(rev) == a


# ------------------------------------------------------------------ steps and derivation bodies
def _demo_derivation(name="demo"):
    d = Derivation(name, "Demo chain")
    d.step("A.17", "f1", "f^(1)_ijkl at lambda -> 0", lhs=r"f^{(1)}_{ijkl}", value=_f1(),
           how="four x-derivatives of G_2", check=lambda v: compare(v.to_tensor(), _f1().to_tensor()),
           check_text="81 components")
    d.step("A.17", "f2", "f^(2)_jl", lhs=r"f^{(2)}_{jl}",
           value=(delta("j", "l") - 3 * n("j") * n("l")) / (4 * sp.pi * r**3),
           how="two derivatives of G_1", check=None, check_text="", kind="definition", why="display test")
    d.step(None, "alpha_def", "alpha = 1 - c_t^2/c_l^2 (λ → 0) & 50% #1", lhs="", value=sp.Eq(alpha, c_t / 2),
           how="definition", check=lambda v: sp.Integer(1), check_text="deliberately failing")
    d.step(None, "explicit", "explicit components", lhs=r"T_{ij}", value=Tensor.from_function(2, lambda ij: ij[0]),
           how="by hand", check=None, check_text="", kind="definition", why="display test")
    return d


def test_step_latex_kinds():
    d = _demo_derivation()
    assert L.step_latex(d.steps[1]) == r"f^{(2)}_{jl} = \frac{1}{4 \pi r^{3}} \Bigl( \delta_{jl} - 3 n_{j} n_{l} \Bigr)"
    assert L.step_latex(d.steps[2]) == r"\alpha = \frac{c_{t}}{2}"
    assert L.step_latex(d.steps[3]) == r"T_{ij} = \text{(explicit rank-2 tensor, 6 nonzero components)}"
    assert d.steps[0].latex == r"f^{(1)}_{ijkl} = " + F1_TEX


def test_long_equation_is_broken_after_terms_only():
    step = _demo_derivation().steps[0]
    rows = L.step_latex_lines(step, width=40)
    assert len(rows) > 2
    assert rows[0].startswith(r"f^{(1)}_{ijkl} &= ")
    assert all(row.startswith(r"& \quad {} + ") or row.startswith(r"& \quad {} - ") for row in rows[1:])
    joined = rows[0].split("&= ", 1)[1] + "".join(row[len(r"& \quad {}"):] for row in rows[1:])
    assert joined == F1_TEX


def test_derivation_body_tags_labels_and_status():
    body = L.derivation_latex_body(_demo_derivation())
    assert r"\tag{A.17a}\label{eq:A.17}" in body
    assert r"\tag{A.17b}\label{eq:A.17:f2}" in body  # repeated paper label: sub-label, step-qualified \label
    assert r"\label{eq:demo:alpha_def}" in body  # no paper label: numbered by LaTeX
    assert body.count(r"\textbf{verified}") == 1
    assert body.count(r"\textbf{definition}") == 2
    assert r"\textbf{NOT verified} (residual 1)" in body
    # prose: formulas in math mode (Unicode Greek and arrows read as such), text specials escaped
    assert r"$\alpha = 1 - c_{t}^{2}/c_{l}^{2} (\lambda \to0)$ \& 50\% \#1" in body
    assert body == L.derivation_latex_body(_demo_derivation())
    assert body.count(r"\begin{align}") == body.count(r"\end{align}") == 4


def test_labels_unique_across_derivations():
    used: set[str] = set()
    first = L.derivation_latex_body(_demo_derivation("one"), used)
    second = L.derivation_latex_body(_demo_derivation("two"), used)
    assert r"\label{eq:A.17}" in first
    assert r"\label{eq:two:A.17}" in second and r"\label{eq:two:A.17:f2}" in second
    labels = [x for x in (first + second).split(r"\label{")[1:]]
    names = [x.split("}", 1)[0] for x in labels]
    assert len(names) == len(set(names)) == 8


def test_steps_loaded_from_cache_print_like_fresh_ones():
    """A cached step keeps only its text record (lhs "" and maybe no value): the body must not change."""
    from glass_sym.records.derivation import Step

    fresh = _demo_derivation()
    cached = Derivation(fresh.name, fresh.title)
    for k, s in enumerate(fresh.steps):
        value = s.value if k == 1 else None  # a registered closed form keeps its value, the rest is text
        cached.steps.append(Step(s.label, s.name, s.title, "", value, s.how, s.check_text, s.verified, s.residual,
                                 record=s.as_dict(), kind=s.kind, of=s.of))
    assert L.derivation_latex_body(cached) == L.derivation_latex_body(fresh)
    assert L.step_latex(cached.steps[0]) == fresh.steps[0].latex


def test_rechunk_breaks_only_sums_at_top_level():
    text = r"\frac{1}{4} \Bigl\{ - (a + b) - 3 c \Bigr\} + \frac{- x - y}{8} + \left(u + v\right)"
    assert latex_steps._rechunk(text) == [r"\frac{1}{4} \Bigl\{ - (a", " + b)", r" - 3 c \Bigr\}", r" + \frac{- x - y}{8}",
                                r" + \left(u + v\right)"]


# ------------------------------------------------------------------ files and PDF
def test_write_tex_files(tmp_path):
    out = tmp_path / "new" / "dir"
    paths = L.write_tex([_demo_derivation("one"), _demo_derivation("two")], out)
    assert [p.name for p in paths] == ["one.tex", "two.tex", "glass-sym.tex"]
    main = paths[-1].read_text()
    assert main.startswith("% Generated by glass-sym")
    assert r"\input{one}" in main and r"\input{two}" in main
    assert main.count(r"\section{Demo chain}") == 2
    assert r"\usepackage{amsmath}" in main and "geometry" not in main
    plan = L.tag_plan([_demo_derivation("one"), _demo_derivation("two")])
    assert paths[1].read_text() == L.derivation_latex_body(_demo_derivation("two"), {"eq:A.17", "eq:A.17:f2"},
                                                           tags=plan)
    assert sorted(os.listdir(out)) == ["glass-sym.tex", "one.tex", "two.tex"]  # no temporary files left
    again = L.write_tex([_demo_derivation("one"), _demo_derivation("two")], out)
    assert [p.read_text() for p in again][-1] == main


def test_write_tex_unwritable_directory(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot create output directory"):
        L.write_tex([_demo_derivation()], blocker / "sub")
    with pytest.raises(OutputError, match="not a directory"):
        L.write_tex([_demo_derivation()], blocker)


def test_compile_pdf_without_pdflatex(tmp_path, monkeypatch):
    tex = tmp_path / "x.tex"
    tex.write_text("x")
    monkeypatch.setattr(L.shutil, "which", lambda name: None)
    with pytest.raises(OutputError, match="pdflatex not found: install texlive-latex-base"):
        L.compile_pdf(tex)


def test_compile_pdf_missing_file(tmp_path):
    with pytest.raises(OutputError, match="no such .tex file"):
        L.compile_pdf(tmp_path / "missing.tex")


@needs_pdflatex
def test_compile_pdf(tmp_path):
    """The written document, with long broken equations and escaped text, compiles with amsmath only."""
    paths = L.write_tex([_demo_derivation()], tmp_path)
    pdf = L.compile_pdf(paths[-1])
    assert pdf == tmp_path / "glass-sym.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.tex", "glass-sym.pdf", "glass-sym.tex"]
    assert L.compile_pdf(paths[-1]).read_bytes() == data  # reproducible


@needs_pdflatex
def test_compile_pdf_latex_error_names_log(tmp_path):
    tex = tmp_path / "bad.tex"
    tex.write_text("\\documentclass{article}\\begin{document}$\\undefinedmacro$\\end{document}\n")
    with pytest.raises(OutputError, match=r"Undefined control sequence.*see log .*bad\.log"):
        L.compile_pdf(tex)
    assert (tmp_path / "bad.log").exists()
    assert not (tmp_path / "bad.pdf").exists()


# ------------------------------------------------------------------ command line
@pytest.fixture
def fake_chains(monkeypatch):
    import glass_sym.records.derivation as D

    built = {"one": _demo_derivation("one"), "two": _demo_derivation("two")}
    monkeypatch.setattr(D, "chains", lambda: {"one": "x", "two": "y"})
    monkeypatch.setattr(D, "build", lambda name: built[name])
    return built


def test_cli_latex_writes_tex(tmp_path, fake_chains, capsys):
    from glass_sym.cli.main import main

    assert main(["latex", "two", "-o", str(tmp_path), "--no-pdf"]) == 0
    out = capsys.readouterr().out.split()
    assert out == [str(tmp_path / "two.tex"), str(tmp_path / "glass-sym.tex")]
    assert main(["latex", "all", "-o", str(tmp_path / "all"), "--no-pdf"]) == 0
    assert sorted(os.listdir(tmp_path / "all")) == ["glass-sym.tex", "one.tex", "two.tex"]


def test_cli_latex_unknown_name(tmp_path, fake_chains, capsys):
    from glass_sym.cli.main import main

    assert main(["latex", "nope", "-o", str(tmp_path)]) == 2
    assert "unknown derivation 'nope'" in capsys.readouterr().err
    from glass_sym.cli.commands.latex_cmd import _select

    with pytest.raises(InputError):
        _select(["all", "one"], ["one", "two"])


@needs_pdflatex
def test_cli_latex_pdf(tmp_path, fake_chains, capsys):
    from glass_sym.cli.main import main

    assert main(["latex", "one", "-o", str(tmp_path)]) == 0
    assert capsys.readouterr().out.split()[-1] == str(tmp_path / "glass-sym.pdf")
    assert (tmp_path / "glass-sym.pdf").read_bytes().startswith(b"%PDF")


def test_pdflatex_is_the_one_we_call():
    """Sanity: when pdflatex is on PATH it runs (CI installs texlive, so the PDF tests above do run there)."""
    if not HAVE_PDFLATEX:
        pytest.skip("pdflatex not installed")
    v = subprocess.run(["pdflatex", "--version"], capture_output=True, text=True, timeout=60)
    assert v.returncode == 0 and "pdfTeX" in v.stdout

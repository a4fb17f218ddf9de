"""The commands and API of issue 11: audit --against-latex / whole equations / --paper and their exit codes,
eval, show, the numeric API, suggestions for mistyped names, unknown options."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from glass_sym.cli.main import main
from glass_sym.errors import InputError
from glass_sym.numerics.functions import numeric_function, to_array

DOCS = Path(__file__).resolve().parent.parent / "docs"
F2_INTEGRAL = r"\int \frac{d^3q}{(2\pi)^3} \frac{q_j q_l}{q^2} e^{i\vec q\cdot\vec x}"


def run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


# ------------------------------------------------------------------ audit --against-latex, exit codes
def test_against_latex_equal_exits_0(capsys):
    rc, out, err = run(capsys, "audit", "--latex", r"\frac{\delta_{jl}}{4\pi r^3}-\frac{3x_jx_l}{4\pi r^5}",
                       "--against-latex", F2_INTEGRAL)
    assert rc == 0 and "match" in out and err == ""


def test_against_latex_match_symmetrized_exits_0_and_says_so(capsys):
    """n_i m_j and n_j m_i differ component-wise but agree after symmetrization in (ij)."""
    rc, out, _ = run(capsys, "audit", "--json", "--latex", "n_i m_j", "--against-latex", "n_j m_i")
    (rec,) = json.loads(out)
    assert rc == 0 and rec["status"] == "match-symmetrized"
    assert "only after symmetrization" in rec["explanation"]


def test_against_latex_differs_exits_1_with_structures(capsys):
    rc, out, _ = run(capsys, "audit", "--json", "--latex", r"\delta_{jl} - 3 n_j n_l",
                     "--against-latex", r"\delta_{jl} + 3 n_j n_l")
    (rec,) = json.loads(out)
    assert rc == 1 and rec["status"] == "differs"
    by_name = {s["structure"]: s for s in rec["details"]["structures"]}
    assert by_name["d_jl"]["status"] == "same"
    assert by_name["n_j n_l"]["status"] == "factor" and by_name["n_j n_l"]["factor"] == "-1"


@pytest.mark.parametrize("argv,needle", [
    (["audit", "--latex", "n_i +", "--against-latex", "n_i"], "--latex: at position"),
    (["audit", "--latex", "n_i", "--against-latex", r"n_i \frac"], "--against-latex: at position"),
    (["audit", "--latex", "n_i", "--against-latex", "n_i n_j"], "rank 1"),
    (["audit", "--latex", "n_i", "--against", "f2", "--against-latex", "n_i"], "not both"),
    (["audit", "--latex", "n_j n_l", "--against", "lamda_tilde"], "did you mean 'lambda_tilde'"),
])
def test_against_latex_bad_input_exits_2(capsys, argv, needle):
    rc, out, err = run(capsys, *argv)
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err


def test_whole_equation_on_the_command_line(capsys):
    rc, out, _ = run(capsys, "audit", "--latex", r"f^{(2)}_{jl} = \frac{\delta_{jl} - 3 n_j n_l}{4\pi r^3}")
    assert rc == 0 and "equals f2" in out
    rc, out, _ = run(capsys, "audit", "--latex", r"f^{(2)}_{jl} = \frac{\delta_{jl} + 3 n_j n_l}{4\pi r^3}")
    assert rc == 1 and "differs" in out


@pytest.mark.parametrize("statuses, failing", [
    (("match", "differs"), 1), (("match", "inconsistent"), 1), (("match", "not-derived", "unparsed"), 0)])
def test_whole_paper_exit_status_follows_fail_on_differs(capsys, monkeypatch, statuses, failing):
    """0 whatever was found; with --fail-on-differs, 1 exactly when some record differs or is inconsistent.
    The whole-paper audit's findings are replaced here (the flag's logic is under test; the real whole-paper
    audit runs in tests/test_audit_cold_warm.py and in the session's reproduce run)."""
    from glass_sym.audit import printed
    from glass_sym.audit.compare import Finding

    fake = [Finding(f"A.{i}", "jpcm2020", st, f"record {i}", {"defines": f"x{i}"})
            for i, st in enumerate(statuses)]
    monkeypatch.setattr(printed, "audit_all", lambda *a, **k: list(fake))
    rc, out, _ = run(capsys, "audit", "--json")
    rows = json.loads(out)["rows"]
    assert rc == 0 and sorted(p["status"] for r in rows for p in r["parts"]) == sorted(statuses)
    rc2, _, _ = run(capsys, "audit", "--json", "--fail-on-differs")
    assert rc2 == failing


def test_unknown_option_shows_the_subcommand_usage(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["audit", "--latex", "n_i", "--bogus"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "usage: glass-sym audit" in err and "unrecognized arguments: --bogus" in err


# ------------------------------------------------------------------ --paper, the worked example of docs/audit.md
def _docs_example():
    text = (DOCS / "audit.md").read_text(encoding="utf-8")
    toml = re.search(r"```toml\n# textbook.toml\n(.*?)```", text, re.S).group(1)
    table = re.search(r"\$ glass-sym audit --paper textbook.toml\n(.*?)```", text, re.S).group(1)
    return toml, table


def test_docs_worked_example(tmp_path, capsys):
    """The transcription printed in docs/audit.md gives the table printed there: Jackson's Coulomb potential
    as a Fourier integral equals the registered coulomb form, the dipole field (4.13) equals -grad of the dipole
    potential (4.10), and the mistyped copy is inconsistent."""
    toml, table = _docs_example()
    path = tmp_path / "textbook.toml"
    path.write_text(toml, encoding="utf-8")
    rc, out, _ = run(capsys, "audit", "--paper", str(path))
    assert rc == 0
    assert out.strip() == table.strip()
    rc, out, _ = run(capsys, "audit", "--paper", str(path), "--json", "--fail-on-differs")
    assert rc == 1
    assert [r["status"] for r in json.loads(out)] == ["match", "not-derived", "match", "inconsistent"]


# ------------------------------------------------------------------ eval
def test_eval_prints_index_notation_and_latex(capsys):
    rc, out, _ = run(capsys, "eval", "--latex", F2_INTEGRAL)
    assert rc == 0
    assert "free indices jl" in out and r"\delta_{jl}" in out and "d_jl" in out


def test_eval_json_fields(capsys):
    """q_i/q^4 -> i n_i/(8 pi) (tests/test_notation.py derives it by quadrature)."""
    rc, out, _ = run(capsys, "eval", "--json", "--latex",
                     r"\int \frac{d^3q}{(2\pi)^3} \frac{q_i}{q^4} e^{i\vec q\cdot\vec x}")
    rec = json.loads(out)
    assert rc == 0
    assert rec["rank"] == 1 and rec["indices"] == "i"
    assert rec["structures"] == {"n_i": "I/(8*pi)"} and rec["lhs"] is None
    assert rec["latex"] == r"\frac{i}{8 \pi} n_{i}"


def test_eval_declarations_and_errors(capsys):
    rc, out, _ = run(capsys, "eval", "--json", "--latex", r"\mu_i \mu_i", "--vector", "mu")
    assert rc == 0 and json.loads(out)["structures"] == {"1": "mu**2"}
    rc, _, err = run(capsys, "eval", "--latex", r"\int \frac{d^3q}{(2\pi)^3} \frac{1}{q^4} e^{i\vec q\cdot\vec x}")
    assert rc == 2 and "diverges" in err and len(err.strip().splitlines()) == 1


# ------------------------------------------------------------------ show
def test_show_lists_every_closed_form_with_paper_labels(capsys):
    from glass_sym.audit.printed import known_forms

    rc, out, _ = run(capsys, "show", "--json")
    rows = json.loads(out)
    assert rc == 0 and [r["name"] for r in rows] == known_forms()
    labels = {r["name"]: r["labels"] for r in rows}
    assert "jpcm2020 (A.17)" in labels["f2"] and "preprint (A14)" in labels["f2"]
    assert "jpcm2020 (A.16)" in labels["f2_regulated"]


def test_show_one_form(capsys):
    rc, out, _ = run(capsys, "show", "f2", "--json")
    rec = json.loads(out)
    assert rc == 0 and rec["indices"] == "jl" and rec["rank"] == 2
    assert rec["structures"] == {"d_jl": "1/(4*pi*r**3)", "n_j n_l": "-3/(4*pi*r**3)"}
    rc, out, _ = run(capsys, "show", "f2", "--latex")
    assert out.strip() == rec["latex"]
    rc, _, err = run(capsys, "show", "lamda_tilde")
    assert rc == 2 and "did you mean 'lambda_tilde'" in err


# ------------------------------------------------------------------ numeric API
def test_numeric_function_of_lambda_tilde_agrees_with_the_kernel():
    """Two routes from the same registered form: sympy.lambdify here, the CSE kernels of glass_sym.numerics.kernels."""
    from glass_sym.numerics.kernels import tilde_lambda

    f = numeric_function("lambda_tilde")
    assert f.args == ("alpha", "n") and f.shape == (3, 3, 3, 3) and f.indices == "ijkl"
    rng = np.random.default_rng(7)
    n = rng.normal(size=(5, 3))
    assert np.allclose(f(n=n, alpha=0.3), tilde_lambda(n, 0.3), rtol=1e-12, atol=1e-12)


def test_numeric_function_of_f1_at_a_point():
    """f1 (A.17) is not a kernel; the numeric API evaluates it; checked against the symbolic components."""
    from glass_sym.audit.printed import derived_value
    from glass_sym.symbols import N, r

    f = numeric_function("f1")
    t = derived_value("f1").to_tensor()
    n = np.array([0.48, 0.6, 0.64])
    got = f(n=n, r=2.0)
    for idx in [(0, 0, 0, 0), (0, 1, 2, 2), (2, 2, 1, 0)]:
        want = float(t[idx].subs({**dict(zip(N, n)), r: 2}))
        assert got[idx] == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("kwargs,needle", [
    ({"n": [0, 0, 1], "alpha": "0.5"}, "expected a real number"),
    ({"n": "0 0 1", "alpha": 0.5}, "expected a real number"),
    ({"n": [0, 0, 1], "alpha": True}, "bool"),
    ({"n": [0, 0, 1], "alpha": float("nan")}, "finite"),
    ({"n": [0, 0], "alpha": 0.5}, r"shape \(\.\.\., 3\)"),
    ({"n": [0, 0, 0], "alpha": 0.5}, "zero vector"),
    ({"n": [0, 0, 1]}, "missing argument"),
    ({"n": [0, 0, 1], "alpha": 0.5, "alfa": 1}, "did you mean 'alpha'"),
])
def test_numeric_function_validates_inputs(kwargs, needle):
    with pytest.raises(InputError, match=needle):
        numeric_function("lambda_tilde")(**kwargs)


def test_numeric_function_refuses_positional_and_unknown_forms():
    with pytest.raises(InputError, match="must be named"):
        numeric_function("f2")([0, 0, 1], 1.0)
    with pytest.raises(InputError, match="did you mean 'f1'"):
        numeric_function("f11")
    with pytest.raises(InputError, match="closed-form name"):
        numeric_function(3.5)


def test_kernels_refuse_strings():
    from glass_sym.numerics.kernels import tilde_lambda

    with pytest.raises(InputError, match="alpha: expected real numbers, got str"):
        tilde_lambda([0.0, 0.0, 1.0], "0.5")


def test_to_array():
    from glass_sym.audit.printed import derived_value

    f2 = derived_value("f2")
    a = to_array(f2)
    assert isinstance(a, sp.Array) and a.shape == (3, 3)
    t = f2.to_tensor()
    assert all(sp.simplify(a[i, j] - t[i, j]) == 0 for i in range(3) for j in range(3))
    assert f2.to_array() == a


# ------------------------------------------------------------------ suggestions
def test_material_names_are_forgiving():
    from glass_sym.paper.materials import get_material

    assert get_material("SiO2").name == get_material("sio2").name == "a-SiO2"
    assert get_material("bk7").name == "BK7"
    with pytest.raises(InputError, match="did you mean 'BK7'"):
        get_material("BK8")


def test_chain_and_form_suggestions(capsys):
    rc, _, err = run(capsys, "derive", "appendix-e")
    assert rc == 2 and "did you mean" in err and "appendix-" in err
    from glass_sym.records.derivation import get

    with pytest.raises(InputError, match="did you mean 'lambda_x'"):
        get("lambda_xx")


def test_declared_tensor_on_the_command_line(capsys):
    """T_ij = delta_ij - 3 n_i n_j: T_ii = 3 - 3 = 0 and T_ij n_j = n_i - 3 n_i = -2 n_i (by hand)."""
    tdef = r"T_{ij} = \delta_{ij} - 3 n_i n_j"
    rc, out, _ = run(capsys, "eval", "--json", "--latex", "T_{ii}", "--tensor", tdef)
    assert rc == 0 and json.loads(out)["structures"] == {}
    rc, out, _ = run(capsys, "eval", "--json", "--latex", "T_{ij} n_j", "--tensor", tdef)
    assert rc == 0 and json.loads(out)["structures"] == {"n_i": "-2"}
    rc, _, _ = run(capsys, "audit", "--latex", "T_{ij} n_j", "--against-latex", "-2 n_i", "--tensor", tdef)
    assert rc == 0


def test_eval_writes_dot_products_whole_and_keeps_numbers_exact(capsys):
    """(q.m)(q.e)/q^2 under the integral is m_j e_l f2_jl = [(m.e) - 3 (m.n)(e.n)]/(4 pi r^3) (printed (A.17)):
    shown with the dot products whole, evaluated numerically from the explicit components."""
    from glass_sym.audit.typed import evaluate_typed

    rc, out, _ = run(capsys, "eval", "--json", "--latex", r"\int \frac{d^3q}{(2\pi)^3} "
                     r"\frac{(\vec q\cdot\vec m)(\vec q\cdot\vec e)}{q^2} e^{i\vec q\cdot\vec x}")
    rec = json.loads(out)
    assert rc == 0 and rec["structures"] == {"1": "((e.m) - 3*(e.n)*(m.n))/(4*pi*r**3)"}
    assert rec["latex"] == r"\frac{(e \cdot m) - 3 (e \cdot n) (m \cdot n)}{4 \pi r^{3}}"
    ev = evaluate_typed(rec["latex_in"])
    f = numeric_function(ev)
    m, e, n = np.array([0.0, 0.6, 0.8]), np.array([1.0, -2.0, 0.5]), np.array([0.48, 0.6, 0.64])
    want = (m @ e - 3 * (m @ n) * (e @ n)) / (4 * np.pi * 1.5**3)
    assert f(m=m, e=e, n=n, r=1.5) == pytest.approx(want, rel=1e-13)

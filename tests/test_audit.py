"""Audit engine (glass_sym.audit.printed, glass_sym.algebra.structures) and ``glass-sym audit``.

Printed forms are typed here in LaTeX from the journal, J. Phys.: Condens. Matter 32, 055704 (2020):
tilde Lambda from (A.18), the prefactor from (A.18), the JL form from (A.1)/(A.19).  Damaged variants are
made by hand and must be caught and localized.  The JL factors expected in the claims test are the
journal's own statement after (A.19): "(2) ... missed an overall factor of -1/2. (3) ... 1/4".
"""

from __future__ import annotations

import json

import pytest
import sympy as sp

from glass_sym.algebra.indexnotation import delta, isotropic_basis, vec
from glass_sym.algebra.structures import (decompose_index, decompose_tensor, diff_structures, differing_components,
                                          symmetrize_index)
from glass_sym.algebra.tensor import compare, decompose, symmetrize_pairs
from glass_sym.audit.printed import AuditContext, audit_all, audit_equation, audit_expressions
from glass_sym.cli.main import main
from glass_sym.errors import InputError, ParseError
from glass_sym.physics.interaction import lambda_tilde
from glass_sym.symbols import N, alpha, lam, r

PART1 = (r"\frac{1}{4} \left\{ (\delta_{jl} - 3n_j n_l)\delta_{ik} + (\delta_{jk} - 3n_j n_k)\delta_{il}"
         r" + (\delta_{ik} - 3n_i n_k)\delta_{jl} + (\delta_{il} - 3n_i n_l)\delta_{jk} \right\}")
PART2 = (r"\frac{1}{2}\alpha \left\{ -(\delta_{ij}\delta_{kl} + \delta_{ik}\delta_{jl} + \delta_{jk}\delta_{il})"
         r" + 3(n_i n_j \delta_{kl} + n_i n_k \delta_{jl} + n_i n_l \delta_{jk} + n_j n_k \delta_{il}"
         r" + n_j n_l \delta_{ik} + n_k n_l \delta_{ij}) - 15 n_i n_j n_k n_l \right\}")
#: journal (A.18), tilde Lambda as printed
A18 = PART1 + " + " + PART2


def _differing(f):
    return {r["structure"]: r for r in f.details["structures"] if r["status"] != "same"}


def test_eq_A18_correct_transcription_matches():
    """(A.18) typed correctly: equal component by component modulo n.n = 1."""
    f = audit_equation(A18, "lambda_tilde")
    assert f.status == "match"
    assert f.details["componentwise"] == {"equal": True, "differing_components": 0}
    assert not _differing(f)


def test_alpha_spelled_out_matches():
    """alpha = 1 - c_t^2/c_l^2 (after (A.1)) is identified with the derived alpha."""
    tex = A18.replace(r"\frac{1}{2}\alpha", r"\frac{1}{2}\left(1-\frac{c_t^2}{c_l^2}\right)")
    assert audit_equation(tex, "lambda_tilde").status == "match"


def test_sign_flip_on_one_structure_is_localized():
    """-15 n n n n -> +15 n n n n: only the alpha n_i n_j n_k n_l structure differs, by a factor -1."""
    f = audit_equation(A18.replace("- 15 n_i", "+ 15 n_i"), "lambda_tilde")
    assert f.status == "differs"
    bad = _differing(f)
    assert list(bad) == ["alpha n_i n_j n_k n_l"]
    assert bad["alpha n_i n_j n_k n_l"]["factor"] == "-1"
    assert "n_i n_j n_k n_l" in f.explanation


def test_dropped_permutation_term_is_localized():
    """Drop (delta_jk - 3 n_j n_k) delta_il: d_il n_j n_k goes missing and d_il d_jk (alpha^0) halves."""
    tex = A18.replace(r" + (\delta_{jk} - 3n_j n_k)\delta_{il}", "")
    f = audit_equation(tex, "lambda_tilde")
    assert f.status == "differs"
    bad = _differing(f)
    assert set(bad) == {"d_il d_jk", "d_il n_j n_k"}
    assert bad["d_il n_j n_k"]["status"] == "missing"
    assert bad["d_il d_jk"]["factor"] == "1/2"
    assert f.details["overall_factor"] is None
    # the dropped term is not symmetric on its own: the symmetrized comparison still differs
    assert f.details["symmetrized"]["equal"] is False


def test_c_t_swapped_for_c_l_in_prefactor():
    """(A.18) prefactor with c_l^2 in place of c_t^2: one overall factor c_t^2/c_l^2, a renaming c_t -> c_l."""
    good = audit_equation(r"-\frac{\tilde{\Lambda}_{ijkl}(\vec{n})}{8\pi\rho c_t^2 |\vec{x}_s - \vec{x}'_s|^3}",
                          "lambda_x")
    assert good.status == "match"
    f = audit_equation(r"-\frac{\tilde{\Lambda}_{ijkl}(\vec{n})}{8\pi\rho c_l^2 |\vec{x}_s - \vec{x}'_s|^3}",
                       "lambda_x")
    assert f.status == "differs"
    assert f.details["overall_factor"].startswith("c_t**2/c_l**2")
    assert f.details["renaming"] == "c_t -> c_l"


def test_whole_sign_is_one_overall_factor():
    f = audit_equation("-(" + A18 + ")", "lambda_tilde")
    assert f.details["overall_factor"] == "-1"
    assert "(a sign)" in f.explanation


def test_jl_part_one_matches_only_symmetrized():
    """Part (1) with JL's strain (A.19), without their factor: equal to ours only for symmetric stresses."""
    f = audit_equation(r"(\delta_{jl} - 3n_j n_l)\delta_{ik}", "lambda_tilde_1")
    assert f.status == "match-symmetrized"
    assert f.details["symmetrized"]["differing_components"] == 0
    assert f.details["componentwise"]["differing_components"] > 0


def test_index_order_is_positional():
    """Printed with letters abcd: mapped position by position onto ijkl."""
    tex = A18
    for a, b in zip("ijkl", "abcd"):
        tex = tex.replace("_{" + a, "_{" + b).replace(a + "}", b + "}").replace(f"n_{a}", f"n_{b}")
    assert audit_equation(tex, "lambda_tilde", indices=list("abcd")).status == "match"


def test_bad_input_raises():
    with pytest.raises(InputError):
        audit_equation(r"\delta_{ij}", "no_such_form")
    with pytest.raises(ParseError):
        audit_equation(r"\delta_{ij} +", "f2")
    with pytest.raises(InputError):
        audit_equation(r"n_i", "f2")  # rank 1 against rank 2


# ------------------------------------------------------------------------------ fast paths vs references
def test_decompositions_agree_with_reference():
    """Index route, Gram-matrix route and tensor.decompose (sp.solve) give the same coefficients."""
    lt = lambda_tilde()
    basis = isotropic_basis(("n",), 4)
    ref = {k: v for k, v in decompose(lt.to_tensor(), basis).items() if v != 0}
    fast = decompose_tensor(lt.to_tensor())
    idx = decompose_index(lt)
    assert set(ref) == set(fast) == set(idx)
    for k in ref:
        assert sp.simplify(ref[k] - fast[k]) == 0 and sp.simplify(ref[k] - idx[k]) == 0


def test_componentwise_and_symmetrization_agree_with_tensor_core():
    lt = lambda_tilde()
    jl = vec("n", "i") * vec("n", "k") * delta("j", "l")
    wrong = lt + 15 * alpha * (vec("n", "i") * vec("n", "j") * vec("n", "k") * vec("n", "l"))  # a sign-flip mutant
    assert differing_components(lt - wrong) == len(compare(lt.to_tensor(), wrong.to_tensor()).residual) == 81
    assert differing_components(lt - lambda_tilde()) == 0
    assert differing_components(jl) == len(compare(jl.to_tensor(), jl.to_tensor() * 0).residual)
    assert compare(symmetrize_index(jl).to_tensor(), symmetrize_pairs(jl.to_tensor())).equal


def test_overall_factor_helper():
    d = diff_structures({"d_ij": 2 * alpha, "n_i n_j": -6 * alpha}, {"d_ij": alpha, "n_i n_j": -3 * alpha})
    assert d.overall_factor == 2 and not [r for r in d.rows if r["status"] != "factor"]


def test_scalars():
    assert audit_expressions(sp.Integer(3), sp.Integer(3)).status == "match"
    assert audit_expressions(-sp.Integer(3), sp.Integer(3)).details["overall_factor"] == "-1"


# ------------------------------------------------------------------------------ the papers
@pytest.fixture(scope="module")
def journal():
    return audit_all(["jpcm2020"], fits=False)


def test_journal_A12_prefactor_found_by_computation(journal):
    """(A.12) prints 1/(2 rho c_l^2) where (A.11), (A.13) print 1/(2 rho c_t^2)."""
    a12 = [f for f in journal if f.label == "A.12" and f.details.get("defines") == "lambda_q"]
    assert {f.status for f in a12} == {"differs", "inconsistent"}
    d = [f for f in a12 if f.status == "differs"][0]
    assert d.details["renaming"] == "c_t -> c_l"
    assert [f.status for f in journal if f.label == "A.13" and f.details.get("defines") == "lambda_q"] == ["match"]


def test_journal_jl_claims(journal):
    """After (A.19): ours = -1/2 x JL part (1) (as seen by symmetric stresses) and ours = 1/4 x JL part (2)."""
    claims = {f.details["item"]: f for f in journal if f.details.get("check") == "claim"}
    assert claims["2"].details["factor_componentwise"] is None
    assert claims["2"].details["factor_symmetrized"] == "-1/2"
    assert claims["2"].status == "match-symmetrized"
    assert claims["3"].details["factor_componentwise"] == "1/4"
    assert claims["3"].status == "match"


def test_records_are_json_and_ordered(journal):
    recs = [f.as_dict() for f in journal]
    json.dumps(recs)
    assert all(set(r) == {"label", "version", "status", "explanation", "details"} for r in recs)
    assert all("(" not in r["label"] for r in recs)
    assert all("\n" not in r["explanation"] for r in recs)


# ------------------------------------------------------------------------------ CLI
def test_cli_user_equation(capsys):
    assert main(["audit", "--json", "--latex", A18, "--against", "lambda_tilde"]) == 0
    (rec,) = json.loads(capsys.readouterr().out)
    assert rec["status"] == "match" and rec["label"] == "user"


def test_cli_single_comparison_that_differs_exits_1(capsys):
    """A single comparison exits 1 when it differs (docs/audit.md: 0 equal, 1 differs, 2 bad input); the
    finding is still printed, and it is not an error message."""
    assert main(["audit", "--latex", A18.replace("- 15 n_i", "+ 15 n_i"), "--against", "lambda_tilde"]) == 1
    out = capsys.readouterr()
    assert "differs" in out.out and out.err == ""


@pytest.mark.parametrize("argv", [
    ["audit", "--latex", r"\delta_{ij}", "--against", "no_such_form"],
    ["audit", "--latex", r"\delta_{ij} +", "--against", "f2"],
    ["audit", "--latex", r"n_i", "--against", "f2"],
    ["audit", "--latex", r"\delta_{ij}"],
])
def test_cli_bad_input_exits_2(argv, capsys):
    assert main(argv) == 2
    assert "error" in capsys.readouterr().err


# ------------------------------------------------------------------------------ printed calculus and relations
@pytest.fixture(scope="module")
def preprint():
    return audit_all(["preprint"], fits=False)


def _derived(findings, label, defines):
    return [f for f in findings if f.label == label and f.details.get("check") == "derived"
            and f.details.get("defines") == defines]


@pytest.mark.parametrize("defines", ["f1", "f2"])
def test_journal_A14_integrals_match(journal, defines):
    """(A.14) defines f1, f2 as int d^3q/(2pi)^3 q..q/q^{2p} e^{iq.x}; evaluated, they equal f1, f2 ((A.17))."""
    f, = [f for f in _derived(journal, "A.14", defines)]
    assert f.status == "match" and f.details["against"] == defines


@pytest.mark.parametrize("defines, against", [("f1", "f1_regulated"), ("f2", "f2_regulated")])
def test_journal_A16_regulated_match_engine(journal, defines, against):
    """(A.16) prints f(lambda) as x-derivatives of e^{-lambda x}/(8 pi lambda), e^{-lambda x}/(4 pi x):
    compared with the Fourier engine's regulated transforms, lambda kept."""
    f, = _derived(journal, "A.16", defines)
    assert (f.status, f.details["against"], f.details["part"]) == ("match", against, "regulated")


@pytest.mark.parametrize("label, defines, against", [
    ("A11", "f1", "f1"), ("A11", "f2", "f2"), ("A13", "f1", "f1_regulated"), ("A13", "f2", "f2_regulated")])
def test_preprint_A11_A13_match(preprint, label, defines, against):
    """Preprint (A11) (with cos(q.x)) and (A13) (regulated derivatives), as printed."""
    f, = _derived(preprint, label, defines)
    assert (f.status, f.details["against"]) == ("match", against)


def test_preprint_A16_split_line_parsed(preprint):
    """Preprint (A16): (tilde Lambda)_JL = (tilde Lambda^(1))_JL + (tilde Lambda^(2))_JL, subscript on a bracket."""
    f, = [f for f in _derived(preprint, "A16", "lambda_tilde_jl") if f.details["part"] == "split"]
    # the split is the sum of the *printed* parts (not the engine's parts, which would compare the engine's sum
    # with itself): read, and different from the engine's JL form exactly as the quoted (A1) is
    assert f.status == "differs"
    from glass_sym.audit.forensics_quote import part_factors

    for args in (("preprint", "A16", "lambda_tilde_jl", "split"), ("preprint", "A1", "lambda_tilde_jl", "tilde")):
        pf = part_factors(*args)
        assert pf is not None and (pf["a"], pf["b"]) == ("-2", "4")  # (A16) text: -1/2 and 1/4 inverted


def test_preprint_A9_A10_with_the_stated_relation(preprint):
    """Preprint (A9)/(A10) print 1/(2Nm) and a^3/(2Nm) (x (1/c_t^2 - 1/c_l^2), -1/(4 c_t^2)); the text after (A3)
    states N m / a^3 = rho.  (A10) (integral over d^3q/(2pi)^3) is then lambda_q exactly; (A9) (sum over q)
    carries 1/a^3 from the discrete sum's normalization."""
    a10, = _derived(preprint, "A10", "lambda_q")
    assert a10.status == "match" and a10.details["componentwise"]["equal"]
    rel, = a10.details["relations"]
    assert rel["relation"] == r"(A3) Nm/a^3 = \rho" and rel["substitution"] == "N -> a**3*rho/m"
    assert "using (A3)" in a10.explanation
    a9, = _derived(preprint, "A9", "lambda_q")
    assert a9.status == "match" and a9.details["normalization"] == "a**(-3)"
    assert a9.details["measure_kind"] == "sum" and a10.details["measure_kind"] == "integral"
    assert a9.details["phase_kind"] == "cos"


def test_no_printed_calculus_left_unparsed(journal, preprint):
    """Every printed equation of Appendix A is read (only limits of the tooling would be `unparsed`)."""
    assert not [f.label for f in journal + preprint if f.status == "unparsed" and f.label.startswith("A")]


def test_regulated_forms_and_relations_are_computed():
    from glass_sym.audit.printed import _apply_relations, derived_value
    from glass_sym.paper.transcriptions import Relation

    # independent route: f2_jl(lambda) = -d_j d_l G_1 with the Yukawa kernel G_1 = e^{-lambda r}/(4 pi r),
    # differentiated in Cartesian coordinates and evaluated exactly at x = (1,2,2) (r = 3) and (2,3,6) (r = 7)
    lam_ = lam
    xs = sp.symbols("x1:4", real=True)
    rr = sp.sqrt(sum(x**2 for x in xs))
    yukawa = sp.exp(-lam_ * rr) / (4 * sp.pi * rr)
    reg = derived_value("f2_regulated")
    assert {s.name for s in reg.to_tensor()[0, 0].free_symbols} >= {"lambda", "r"}
    for point in ((1, 2, 2), (2, 3, 6)):
        at = dict(zip(xs, point))
        radius = sp.sqrt(sum(c**2 for c in point))
        for j in range(3):
            for l in range(3):
                explicit = -sp.diff(yukawa, xs[j], xs[l]).subs(at)
                ours = reg.to_tensor()[j, l].subs({N[a]: sp.Rational(point[a]) / radius for a in range(3)})
                ours = ours.subs(r, radius)
                assert sp.simplify(ours - explicit) == 0, (point, j, l)
    N_, m_, a_ = sp.symbols("N m a")
    rel = Relation("X", "user", r"Nm/a^3 = \rho", 1)
    got, used = _apply_relations(1 / (N_ * m_), sp.Integer(1), [(rel, N_ * m_ / a_**3 - sp.Symbol("rho", positive=True))])
    assert used and sp.simplify(got * a_**3 * sp.Symbol("rho", positive=True) - 1) == 0

"""Transcriptions of the printed equations and claims (glass_sym/paper/transcriptions/*.toml) and their loader.

These tests check completeness and form (required labels, fields, uniqueness, error messages) and a few
spot readings against the paper text files themselves. They do not judge the equations: that is the audit.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from glass_sym.errors import InputError
from glass_sym.paper.transcriptions import (VERSIONS, Claim, Equation, _validate, find_equation, load_claims,
                                            load_equations)

PAPERS = Path(__file__).resolve().parents[2] / "shared" / "papers"
JOURNAL_TXT = PAPERS / "000_d84a61379a7b7701.txt"
PREPRINT_TXT = PAPERS / "002_ffb15af9fb0cec22.txt"

REQUIRED = {
    "jpcm2020": ["2.19", "A.1", "A.11", "A.12", "A.13", "A.17", "A.18", "A.19", "B.2", "B.3", "D.2", "D.3",
                 "C.23", "C.24", "C.25", "3.4", "3.5", "4.1", "4.3", "4.4", "4.6", "2.9", "2.10"],
    "preprint": ["2.14", "2.15", "2.17", "5.2", "5.3", "A1", "A14", "A15", "A16"],
}


@pytest.mark.parametrize("version", sorted(REQUIRED))
def test_required_labels_present(version):
    labels = {e.label for e in load_equations(version)}
    assert set(REQUIRED[version]) <= labels, sorted(set(REQUIRED[version]) - labels)


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_fields_present_and_typed(version):
    eqs = load_equations(version)
    assert eqs and all(isinstance(e, Equation) for e in eqs)
    for e in eqs:
        assert e.version == version
        assert e.latex.strip() and isinstance(e.lhs, str) and e.defines
        assert isinstance(e.source_line, int) and e.source_line >= 1
        assert not e.label.startswith("(") and not e.label.endswith(")")


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_keys_unique_per_version(version):
    keys = [e.key for e in load_equations(version)]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_latex_brackets_balanced(version):
    """Every transcription is well-formed LaTeX as far as grouping goes (the B.3 reading depends on it)."""
    for e in load_equations(version):
        for text in filter(None, (e.latex, e.prefactor, e.measure, e.phase)):
            assert text.count("{") == text.count("}"), e.key
            assert text.count(r"\left") == text.count(r"\right"), e.key


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_source_lines_within_file(version):
    path = JOURNAL_TXT if version == "jpcm2020" else PREPRINT_TXT
    if not path.exists():
        pytest.skip("paper text not available")
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert all(e.source_line <= n for e in load_equations(version))


def test_multi_part_displays_are_split():
    """(A.18): Lambda = -Lambda~/(8 pi rho c_t^2 |x|^3) and Lambda~ = ... are separate entries."""
    a18 = {e.defines: e for e in load_equations("jpcm2020") if e.label == "A.18"}
    assert {"lambda_x", "lambda_tilde"} <= set(a18)
    assert r"\tilde{\Lambda}" in a18["lambda_x"].latex and "8\\pi\\rho c_{t}^{2}" in a18["lambda_x"].latex
    a16 = {e.defines for e in load_equations("preprint") if e.label == "A16"}
    assert {"lambda_tilde_1", "lambda_tilde_2", "lambda_tilde_jl_1", "lambda_tilde_jl_2"} <= a16


def test_q_sums_have_prefactor_measure_phase():
    """(A.11)-(A.13): summand in latex; prefactor, measure and phase recorded separately, as printed."""
    got = {e.label: e for e in load_equations("jpcm2020") if e.defines == "lambda_q"}
    assert sorted(got) == ["A.11", "A.12", "A.13"]
    assert all(e.prefactor and e.measure and e.phase for e in got.values())
    assert got["A.11"].phase.startswith(r"\cos") and "e^{i" in got["A.12"].phase
    assert got["A.12"].prefactor == r"\frac{1}{2\rho c_l^2}"  # printed c_l (A.11, A.13: c_t)
    assert got["A.13"].measure.startswith(r"\int")


def test_eq_A19_typo_kept():
    """Journal (A.19) prints n_i n_i delta_jk in part (2); (A.18) has n_i n_l delta_jk. Kept as printed."""
    a19 = find_equation("A.19", "jpcm2020", defines="lambda_tilde_2")
    a18 = find_equation("A.18", "jpcm2020", defines="lambda_tilde")
    assert r"n_i n_i \delta_{jk}" in a19.latex and a19.comment
    assert r"n_{i}n_{l}\delta_{jk}" in a18.latex


def test_eq_2_19_typos_kept():
    """Journal (2.19): \\bar Lambda, c_l in the prefactor and 1 - c_l^2/c_l^2, all as in the text file."""
    pre = find_equation("2.19", "jpcm2020", part="prefactor")
    til = find_equation("2.19", "jpcm2020", part="tilde")
    assert r"\bar{\Lambda}" in pre.latex and "c_{l}^{2}|" in pre.latex
    assert r"1 - \frac{c_{l}^{2}}{c_{l}^{2}}" in til.latex
    if JOURNAL_TXT.exists():
        line = JOURNAL_TXT.read_text(encoding="utf-8").splitlines()[pre.source_line - 1]
        assert r"\frac{c_{l}^{2}}{c_{l}^{2}}" in line and r"\bar{\Lambda}" in line


def test_preprint_2_15_reading():
    """Preprint (2.15): the linearised "1− c2t / c2l" is read as 1 - c_t^2/c_l^2."""
    e = find_equation("2.15", "preprint")
    assert r"\left( 1 - \frac{c_t^2}{c_l^2} \right)" in e.latex
    if PREPRINT_TXT.exists():
        lines = PREPRINT_TXT.read_text(encoding="utf-8").splitlines()
        window = "\n".join(lines[e.source_line - 1:e.source_line + 30])
        assert "1− c2t" in window and "c2l" in window


def test_B3_vs_2_17_m_terms():
    """Journal (B.3) prints three m-terms in the (3/2) alpha bracket, the preprint (2.17) four (m_j extra)."""
    b3 = find_equation("B.3", "jpcm2020").latex
    p217 = find_equation("2.17", "preprint", defines="delta_lambda_tilde").latex

    def m_terms(tex):
        start = tex.index(r"\frac{3}{2} \alpha")
        return re.findall(r"(m_[ijkl]) \\left\(", tex[start:tex.index(r"\frac{15}{2}")])

    assert m_terms(b3) == ["m_i", "m_k", "m_l"]
    assert m_terms(p217) == ["m_i", "m_j", "m_k", "m_l"]


def test_claims():
    """Journal after (A.19): (2) factor -1/2, (3) factor 1/4; preprint after (A16): total 1/2, sign, extra 1/2."""
    j = {c.about: c for c in load_claims("jpcm2020")}
    assert j["factor_part_1"].factor_value == Fraction(-1, 2)
    assert j["factor_part_2"].factor_value == Fraction(1, 4)
    p = {c.about: c for c in load_claims("preprint")}
    assert p["total_factor"].factor_value == Fraction(1, 2)
    assert p["sign_part_1"].factor_value == -1
    assert p["factor_part_2"].factor_value == Fraction(1, 2)
    defined = {v: {e.defines for e in load_equations(v)} for v in VERSIONS}
    for c in load_claims():
        assert isinstance(c, Claim) and c.text and c.label in {"A.19", "A16"}
        for name in filter(None, (c.ours, c.theirs)):
            assert name in defined[c.version], (c.label, c.item, name)


def test_as_dict_roundtrip():
    e = find_equation("A.13", "jpcm2020")
    d = e.as_dict()
    assert Equation(**d) == e and "tail" not in d


def test_unknown_version():
    with pytest.raises(InputError, match="jpcm2021"):
        load_equations("jpcm2021")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"label": "A.17", "version": "jpcm2020", "defines": "f1", "lhs": "", "source_line": 1}, "latex"),
        ({"label": "(A.17)", "version": "jpcm2020", "defines": "f1", "lhs": "", "latex": "x",
          "source_line": 1}, "parentheses"),
        ({"label": "A.17", "version": "preprint", "defines": "f1", "lhs": "", "latex": "x",
          "source_line": 1}, "version"),
        ({"label": "A.17", "version": "jpcm2020", "defines": "f1", "lhs": "", "latex": "x",
          "source_line": 0}, "source_line"),
        ({"label": "A.17", "version": "jpcm2020", "defines": "f1", "lhs": "", "latex": "x",
          "source_line": 3, "colour": "red"}, "unknown field"),
        ({"label": "A.17", "version": "jpcm2020", "defines": "F 1", "lhs": "", "latex": "x",
          "source_line": 3}, "defines"),
    ],
)
def test_malformed_entry_named(entry, message):
    """A malformed entry raises InputError naming the file, the entry and what is wrong."""
    with pytest.raises(InputError, match=message) as info:
        _validate("jpcm2020.toml", "equation", 4, entry, "jpcm2020",
                  ("label", "version", "defines", "lhs", "latex", "source_line"),
                  ("part", "comment", "prefactor", "measure", "phase", "tail"))
    assert "jpcm2020.toml" in str(info.value) and "#5" in str(info.value)


def test_bad_claim_factor():
    with pytest.raises(InputError, match="factor"):
        _validate("preprint.toml", "claim", 0,
                  {"label": "A16", "item": "2", "version": "preprint", "about": "total_factor",
                   "text": "t", "source_line": 1, "factor": "one half"}, "preprint",
                  ("label", "item", "version", "about", "text", "source_line"),
                  ("factor", "ours", "theirs", "comment"))


def test_find_equation_ambiguous():
    with pytest.raises(InputError, match="exactly one"):
        find_equation("A.18", "jpcm2020")


def _norm_journal(text: str) -> str:
    """Journal LaTeX without layout markup (the normalisation described in docs/transcriptions.md)."""
    text = re.sub(r"\\(begin|end)\{(split|aligned)\}", "", text)
    text = text.replace("$$", "").replace("&", "").replace("\\\\", "")
    text = re.sub(r"\\right\.\s*\\left\.", "", text)
    return re.sub(r"\s+", "", text)


def test_journal_verbatim_against_text_file():
    """Every journal field is, up to layout markup, a substring of the text file near source_line.

    The one deliberate exception is (B.3), where a stray \\right] of the extraction is dropped (see its
    comment); it must match once that single bracket is removed from line 497.
    """
    if not JOURNAL_TXT.exists():
        pytest.skip("paper text not available")
    lines = JOURNAL_TXT.read_text(encoding="utf-8").splitlines()
    for e in load_equations("jpcm2020"):
        block = lines[e.source_line - 1:e.source_line + 13]
        if e.label == "B.3":
            head = block[0].rstrip()
            assert head.endswith(r"\right]$$")
            block = [head[: -len(r"\right]$$")] + "$$", *block[1:]]
        window = _norm_journal(" ".join(block))
        for field in ("latex", "lhs", "prefactor", "measure", "phase"):
            value = getattr(e, field)
            if value:
                assert _norm_journal(value) in window, (e.key, field)


def test_preprint_index_content_against_text_file():
    """Per preprint display, the multiset of delta index pairs and of n/m/q components in the
    reconstructed LaTeX equals the one in the linearised text (no term dropped or invented)."""
    if not PREPRINT_TXT.exists():
        pytest.skip("paper text not available")
    lines = PREPRINT_TXT.read_text(encoding="utf-8").splitlines()
    groups: dict[str, list[Equation]] = {}
    for e in load_equations("preprint"):
        groups.setdefault(e.label, []).append(e)
    for label, entries in groups.items():
        start = min(e.source_line for e in entries) - 1
        end = next(i for i in range(start, len(lines)) if re.search(rf"\({re.escape(label)}\)\s*$", lines[i]))
        window = " ".join(lines[start:end + 1])
        tex = " ".join(" ".join(filter(None, (e.lhs, e.latex, e.prefactor, e.measure, e.phase))) for e in entries)
        deltas_txt = sorted(re.findall(r"δ([ijkl]{2})", window))
        deltas_tex = sorted(re.findall(r"\\delta_\{([ijkl]{2})\}", tex))
        assert deltas_txt == deltas_tex, label
        comps_txt = sorted(re.findall(r"([nmq])([ijkl])", re.sub(r"[^nmqijkl]", " ", window)))
        comps_tex = sorted(re.findall(r"(?<![A-Za-z\\])([nmq])_\{?([ijkl])", tex))
        assert comps_txt == comps_tex, label

"""The caches and memos of issue 14d (warm ``audit``/``reproduce``): what they return is what a fresh computation
returns (``srepr``-identical expressions, the identical text, bit-identical floats), a tampered entry is never
trusted, and an entry written under another library version is not used.

* :mod:`glass_sym.audit.display_cache`: the display texts of :func:`glass_sym.algebra.structures.pretty`;
* :mod:`glass_sym.records.engine_forms_cache`: the Fourier engine's regulated forms ``f1_regulated``, ``f2_regulated``
  (against ``fourier_transform(...).regulated``);
* :func:`glass_sym.audit.numeric._mpmath_value`: the mpmath confirmations of the numeric records;
* the per-process memos (ring canonical forms, structure decompositions, forensic fingerprints, CLI start-up).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from glass_sym.algebra import ring_canonical as rc, structures, tensor
from glass_sym.algebra.fourier import fourier_transform
from glass_sym.algebra.indexnotation import IndexExpr, delta, vec
from glass_sym.audit import display_cache, forensics, numeric as audit_numeric
from glass_sym.records import cache, engine_forms_cache as efc
from glass_sym.symbols import N, alpha, c_l, c_t


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(structures, "PRETTY_KNOWN", {})
    monkeypatch.setattr(structures, "PRETTY_NEW", {})
    monkeypatch.setattr(display_cache, "_state", {"loaded": False})
    monkeypatch.setattr(efc, "_state", {"loaded": False, "values": {}})
    monkeypatch.setattr(audit_numeric, "_mp_state", {"loaded": False, "values": {}, "dirty": False})
    structures.pretty.cache_clear()
    # SymPy's global cache may hand back an equal Symbol with other spelled-out assumptions (another srepr) after
    # other tests read closed forms from the cache: start from a clean one, so srepr comparisons are meaningful
    sp.core.cache.clear_cache()
    yield tmp_path
    structures.pretty.cache_clear()


def _tamper(path, edit):
    obj = json.loads(path.read_text())
    edit(obj["payload"])
    path.write_text(json.dumps(obj))


# ------------------------------------------------------------------------------------------ display texts
COEFFS = [1 - alpha, c_t**2 / c_l**2, -alpha / 2 + sp.Rational(1, 2), (c_l**2 - c_t**2) / (8 * sp.pi * c_l**2),
          3 * alpha**2 - 2 * alpha, sp.Rational(-3, 4) * c_t**2 / c_l**4]


def test_display_texts_read_back_equal_fresh_texts(fresh, monkeypatch):
    fresh_texts = [structures._pretty(sp.sympify(c)) for c in COEFFS]
    assert [structures.pretty(c) for c in COEFFS] == fresh_texts
    display_cache.flush()
    assert (fresh / "display-texts.json").exists() and not structures.PRETTY_NEW
    monkeypatch.setattr(structures, "PRETTY_KNOWN", {})
    monkeypatch.setattr(display_cache, "_state", {"loaded": False})
    structures.pretty.cache_clear()
    display_cache.load()
    assert len(structures.PRETTY_KNOWN) == len(COEFFS)
    calls = []
    monkeypatch.setattr(structures, "_pretty", lambda e: calls.append(e) or "recomputed")
    assert [structures.pretty(c) for c in COEFFS] == fresh_texts and not calls


def test_tampered_display_texts_are_not_trusted(fresh, monkeypatch, caplog):
    text = structures.pretty(1 - alpha)
    display_cache.flush()
    _tamper(fresh / "display-texts.json", lambda p: p["texts"].update({k: "WRONG" for k in p["texts"]}))
    monkeypatch.setattr(structures, "PRETTY_KNOWN", {})
    monkeypatch.setattr(display_cache, "_state", {"loaded": False})
    structures.pretty.cache_clear()
    display_cache.load()
    assert not structures.PRETTY_KNOWN and "failed its checksum" in caplog.text
    assert structures.pretty(1 - alpha) == text != "WRONG"


def test_display_texts_of_another_sympy_version_are_not_used(fresh, monkeypatch):
    key = structures.text_key(1 - alpha)
    cache.store("display-texts", {"sympy": "0.0.1", "texts": {key: "WRONG"}})  # valid MAC, other SymPy
    display_cache.load()
    assert not structures.PRETTY_KNOWN
    assert structures.pretty(1 - alpha) == structures._pretty(1 - alpha) != "WRONG"


# ------------------------------------------------------------------------------------ regulated engine forms
def _same_index(a, b) -> bool:
    return (tuple(a.indices) == tuple(b.indices) and list(a.terms) == list(b.terms)
            and all(a.terms[m] == b.terms[m] and sp.sstr(a.terms[m]) == sp.sstr(b.terms[m]) for m in a.terms))


@pytest.mark.parametrize("name,args", [("f2_regulated", (("j", "l"), 1)), ("f1_regulated", (("i", "j", "k", "l"), 2))])
def test_regulated_forms_read_back_identical(fresh, monkeypatch, name, args):
    ref = fourier_transform(*args).regulated
    assert _same_index(efc.regulated(name, lambda: ref), ref)
    monkeypatch.setattr(efc, "_state", {"loaded": False, "values": {}})
    calls = []
    got = efc.regulated(name, lambda: calls.append(1) or ref)
    assert not calls and got is not ref and _same_index(got, ref)


def test_tampered_regulated_form_is_recomputed(fresh, monkeypatch, caplog):
    ref = fourier_transform(("j", "l"), 1).regulated
    efc.regulated("f2_regulated", lambda: ref)

    def edit(payload):
        payload["values"]["f2_regulated"]["terms"][0][1] = ["int", "7"]
    _tamper(fresh / "engine-regulated-forms.json", edit)
    monkeypatch.setattr(efc, "_state", {"loaded": False, "values": {}})
    calls = []
    got = efc.regulated("f2_regulated", lambda: calls.append(1) or ref)
    assert calls and got is ref and "failed its checksum" in caplog.text


# ---------------------------------------------------------------------------------- mpmath confirmations
def test_mpmath_confirmations_read_back_bit_identical(fresh, monkeypatch):
    w, temps = 2 * np.pi * 1e6, (0.1, 1.0)
    now = audit_numeric._kk_unreduced_thermal_now(w, temps, "mpmath")
    first = audit_numeric._kk_unreduced_thermal(w, temps, "mpmath")
    assert np.array_equal(first, now)
    audit_numeric._mp_flush()
    monkeypatch.setattr(audit_numeric, "_mp_state", {"loaded": False, "values": {}, "dirty": False})
    monkeypatch.setattr(audit_numeric, "_kk_unreduced_thermal_now", lambda *a: pytest.fail("recomputed"))
    again = audit_numeric._kk_unreduced_thermal(w, temps, "mpmath")
    assert again.shape == now.shape and [x.hex() for x in again.tolist()] == [x.hex() for x in now.tolist()]


def test_tampered_mpmath_value_is_recomputed(fresh, monkeypatch, caplog):
    assert audit_numeric._mpmath_value("k", lambda: 0.25) == 0.25
    audit_numeric._mp_flush()
    _tamper(fresh / "numeric-mpmath.json", lambda p: p["values"]["k"].update(data=[0.5]))
    monkeypatch.setattr(audit_numeric, "_mp_state", {"loaded": False, "values": {}, "dirty": False})
    assert float(audit_numeric._mpmath_value("k", lambda: 0.25)) == 0.25
    assert "failed its checksum" in caplog.text


def test_mpmath_values_of_other_library_versions_are_not_used(fresh, monkeypatch):
    cache.store("numeric-mpmath", {"versions": {"mpmath": "0", "numpy": "0"},
                                   "values": {"k": {"shape": [], "data": [0.5]}}})
    assert float(audit_numeric._mpmath_value("k", lambda: 0.25)) == 0.25


# ------------------------------------------------------------------------------------------- memos
def test_ring_memo_equals_fresh_route():
    units = [comps for comps, _ in tensor._unit_relations()]
    exprs = [alpha * (N[0]**2 + N[1]**2 + N[2]**2) - alpha, (N[0]**2 - 1) / (c_l**2 - c_t**2),
             sp.Rational(1, 2) * N[2]**2 + sp.pi * N[0] * N[1] / c_l]
    for e in exprs:
        for _ in range(2):
            assert rc.ring_canonical_memo(e, units) == rc.ring_canonical(e, units) == tensor.reference_canonical(e)
        assert rc.ring_cancel_memo(e) == rc.ring_cancel(e) == sp.cancel(e)
    # a Float is not the Rational it equals numerically: no shared memo entry
    assert rc.ring_cancel_memo(sp.Rational(1, 2) * c_l) == c_l / 2
    assert rc.ring_cancel_memo(sp.Float(0.5) * c_l) is None  # floats take sympy.cancel


def test_decompose_index_memo_returns_a_fresh_dict():
    e = delta("i", "k") * (delta("j", "l") - 3 * vec("n", "j") * vec("n", "l")) * 2
    d = structures.decompose_index(e)
    d["d_ik d_jl"] = 99
    assert structures.decompose_index(e) == structures._decompose_index_now(e) == {"d_ik d_jl": 2, "d_ik n_j n_l": -6}


def test_equal_candidates_share_fingerprints_equal_to_reference():
    def build():
        return (1 - alpha) * delta("i", "j") + sp.pi * c_t / c_l * vec("n", "i") * vec("n", "j")
    a, b = build(), build()
    assert a is not b
    for k in range(len(forensics._POINTS)):
        fa, fb = forensics._fingerprint(a, k), forensics._fingerprint(b, k)
        ref = forensics._fingerprint_reference(b, k)
        assert [sp.srepr(x) for x in fb] == [sp.srepr(x) for x in fa] == [sp.srepr(x) for x in ref]


def test_sample_ratio_of_rational_fingerprints():
    x = (delta("i", "j") - 3 * vec("n", "i") * vec("n", "j")) * c_t**2 / c_l**2
    assert forensics._sample_ratio(x * sp.Rational(-3, 2), x) == sp.Rational(-3, 2)
    assert forensics._sample_ratio(x + delta("i", "j"), x) is None


def test_one_command_imports_only_its_module():
    code = ("import sys, io, contextlib\nfrom glass_sym.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    rc = main(['show'])\n"
            "print(rc, sorted(m for m in sys.modules if m.startswith('glass_sym.cli.commands.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")[-2]
    assert out == "0 ['glass_sym.cli.commands.show']"


def test_split_alpha_and_expand_alpha_memos_equal_fresh_routes():
    dec = {"d_ij d_kl": -alpha / 2, "d_ik d_jl": sp.Rational(1, 2) - alpha / 2}
    first = structures._split_alpha_memo(dec)
    first["d_ik d_jl"] = 99
    assert structures._split_alpha_memo(dec) == structures.split_alpha(dec) == {
        "d_ik d_jl": sp.Rational(1, 2), "alpha d_ij d_kl": sp.Rational(-1, 2), "alpha d_ik d_jl": sp.Rational(-1, 2)}
    assert structures._split_alpha_memo({"d_ij": alpha**2}) is None
    for e in (alpha / 2, alpha**2 * c_l, 3 * c_t):
        assert structures.expand_alpha(e) == sp.expand(e.subs(alpha, 1 - c_t**2 / c_l**2))


def test_text_key_is_structural():
    r1, r2 = sp.Symbol("r", positive=True), sp.Symbol("r", positive=True, real=True, nonnegative=True, nonzero=True)
    assert r1 == r2 and sp.srepr(r1) != sp.srepr(r2)
    assert structures.text_key(3 * r1 / c_l) == structures.text_key(3 * r2 / c_l)
    others = [3 * sp.Symbol("r") / c_l, 3 * sp.Symbol("r", real=True) / c_l, sp.Float(3.0) * r1 / c_l, 2 * r1 / c_l,
              3 * r1 / c_t, 3 * r1 * c_l]
    keys = {structures.text_key(e) for e in [3 * r1 / c_l, *others]}
    assert len(keys) == 1 + len(others)

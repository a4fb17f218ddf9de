"""Speed-ups must not change any result of the report: ``glass-sym reproduce``'s report.json (every audit row with
its parts, classes and forensics, every verdict, every derivation step's residual and status, the RG/Table 1 and
lattice figures) equals a stored reference (tests/data/report_reference.json, written by
``scripts/update_report_reference.py`` from the code before the issue-14 audit/reproduce speed-ups), and
``glass-sym audit --json`` prints exactly the reference's audit rows (tests/test_audit_cold_warm.py, on the output of
its warm run).  Only timings, paths and versions are left
out (``normalise``).  A deliberate change of a result regenerates the reference with that script."""

from __future__ import annotations

import importlib.util
import json
import pathlib

import pytest
import sympy as sp

from glass_sym.algebra import structures, tensor
from glass_sym.algebra.ring_canonical import ring_canonical, ring_is_zero

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("update_report_reference",
                                                  ROOT / "scripts" / "update_report_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


SCRIPT = _script()


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(SCRIPT.REFERENCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(reproduce_report) -> dict:
    """report.json of one in-process full ``glass-sym reproduce`` (conftest ``reproduce_report``, shared with the
    other tests that read a full report); the arguments of ``canonical`` were recorded during it."""
    assert reproduce_report.rc == 0
    return reproduce_report.report


def _first_difference(a, b, where="report"):
    """Path and values of the first difference of two JSON trees (for a readable failure)."""
    if type(a) is not type(b):
        return where, a, b
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}.{k}", a.get(k, "<missing>"), b.get(k, "<missing>")
            d = _first_difference(a[k], b[k], f"{where}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = _first_difference(x, y, f"{where}[{i}]")
            if d:
                return d
        return (f"{where} (length)", len(a), len(b)) if len(a) != len(b) else None
    return None if a == b else (where, a, b)


def test_report_json_equals_the_reference(report, reference):
    now = json.loads(SCRIPT.dumps(report))
    assert [s["key"] for s in now["sections"]] == [s["key"] for s in reference["sections"]]
    assert _first_difference(now, reference) is None, _first_difference(now, reference)
    assert now == reference


def test_ring_canonical_equals_reference_on_the_report_inputs(report, reproduce_report):
    """The fast path (:mod:`glass_sym.algebra.ring_canonical`) gives the identical expression (``srepr``) and zero
    decision as the general SymPy path on every real input of the report that it takes, and it takes most."""
    units = [comps for comps, _ in tensor._unit_relations()]
    inputs = list(reproduce_report.canonical_inputs.values())
    assert len(inputs) >= 30  # 45 with a warm cache (forensics cached), more when cold
    taken = 0
    for e in inputs:
        fast = ring_canonical(e, units)
        if fast is None:
            continue
        taken += 1
        ref = tensor.reference_canonical(e)
        assert sp.srepr(fast) == sp.srepr(ref), e
        assert ring_is_zero(e, units) == (ref == 0), e
    assert taken >= 0.9 * len(inputs)


def test_ring_component_count_equals_reference_on_the_report_inputs(report, reproduce_report, monkeypatch):
    """The ring route of :func:`glass_sym.algebra.structures.differing_components` (coefficients over one common
    denominator in a sparse ring) counts the same nonzero components as the reference route (SymPy
    ``together``/``lcm``/``cancel``) on every printed-minus-derived difference of the report, and some differ."""
    assert len(reproduce_report.component_inputs) >= 50
    ring, ref = [], []
    for flag, out in ((True, ring), (False, ref)):
        monkeypatch.setattr(structures, "_RING_COMPONENTS", flag)
        out.extend(structures.differing_components(e) for e in reproduce_report.component_inputs)
    assert ring == ref
    assert any(n == 0 for n in ref) and any(n > 0 for n in ref)


def test_reference_has_the_audited_results(reference):
    """The stored reference is a full report: every section ran, each audit row has a class and its parts."""
    assert reference["ok"] is True and len(reference["verdicts"]) >= 10
    rows = next(s for s in reference["sections"] if s["key"] == "audit")["data"]["rows"]
    assert len(rows) >= 40 and all(r["class"] and r["parts"] for r in rows)
    steps = next(s for s in reference["sections"] if s["key"] == "derivations")
    assert steps["ran"] and steps["ok"] and steps["data"]["steps"] == steps["data"]["verified"] >= 50

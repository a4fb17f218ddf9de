"""The forensic search's exact sample-point fingerprints (:func:`glass_sym.audit.forensics._fingerprint`: coefficients
evaluated once, components in exact rational arithmetic when the point makes them rational) equal the plain
route (every explicit component substituted and expanded, ``_fingerprint_reference``) on the real inputs: every
registered closed form, its alpha -> g alpha and c_l <-> c_t variants, and hand cases with pi, radicals, I."""

from __future__ import annotations

import pytest
import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr, delta, vec
from glass_sym.audit import forensics
from glass_sym.audit.printed import derived_value, known_forms
from glass_sym.errors import GlassSymError
from glass_sym.symbols import alpha, c_l, c_t


def _forms():
    out = []
    for name in known_forms():
        try:
            v = derived_value(name)
        except GlassSymError:
            continue
        if v is not None:
            out.append((name, v))
    return out


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return len(a) == len(b) and all(sp.srepr(x) == sp.srepr(y) for x, y in zip(a, b))


def _variants(v):
    rules = [{}, {alpha: 2 * alpha}, {c_l: c_t, c_t: c_l}]
    for rule in rules:
        if isinstance(v, IndexExpr):
            yield v.map_coefficients(lambda c: c.xreplace(rule))
        else:
            yield sp.sympify(v).xreplace(rule)


def test_fingerprints_equal_the_reference_on_every_closed_form():
    forms = _forms()
    assert len(forms) >= 20
    rational = 0
    for name, v in forms:
        for x in _variants(v):
            for k in range(len(forensics._POINTS)):
                fast, ref = forensics._fingerprint_uncached(x, k), forensics._fingerprint_reference(x, k)
                assert _same(fast, ref), (name, k)
                rational += fast is not None and all(y.is_Rational for y in fast)
    assert rational >= 20  # the rational-arithmetic route is exercised


@pytest.mark.parametrize("x", [
    (sp.pi * alpha * delta("i", "j") - sp.sqrt(2) * vec("n", "i") * vec("n", "j")) / c_l,
    sp.I * vec("n", "i") * vec("m", "j") + c_t / c_l * delta("i", "j"),
    sp.Rational(3, 7) * vec("n", "i") * vec("n", "j") * vec("n", "k") * vec("n", "l") - alpha * delta("i", "k") * delta("j", "l"),
    sp.exp(alpha) * c_l,
])
def test_fingerprints_equal_the_reference_on_hand_cases(x):
    for k in range(len(forensics._POINTS)):
        assert _same(forensics._fingerprint_uncached(x, k), forensics._fingerprint_reference(x, k))

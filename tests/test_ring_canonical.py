"""The ring fast path of the canonical form (:mod:`glass_sym.algebra.ring_canonical`) against the general SymPy path
(:func:`glass_sym.algebra.tensor.reference_canonical`) on hand-made cases (a polynomial denominator, Gaussian rationals,
pi) and outside the ring (radicals, functions: the reference path is used).  The comparison on the real inputs,
every expression ``glass-sym reproduce`` hands to :func:`glass_sym.algebra.tensor.canonical`, is in
``tests/test_report_reference.py`` (recorded during its reproduce run)."""

from __future__ import annotations

import pytest
import sympy as sp

from glass_sym.algebra import tensor
from glass_sym.algebra.ring_canonical import ring_canonical, ring_is_zero
from glass_sym.symbols import N, alpha, c_l, c_t, rho

UNITS = [comps for comps, _ in tensor._unit_relations()]


@pytest.mark.parametrize("expr", [
    (N[0]**2 + N[1]**2 + N[2]**2 - 1) / (c_l**2 * rho),                      # zero on the sphere
    (N[0]**2 * c_t**2 - c_l**2 + c_l**2 * N[1]**2) / (c_l**2 - c_t**2),      # a polynomial denominator (sign)
    sp.I * N[0] * N[1] / (2 * sp.pi * c_t**3) + alpha * N[2]**4,             # Gaussian rationals and pi
    (c_l - c_t) * (c_l + c_t) / (16 * sp.pi * c_l**2 * c_t**2 * rho),
    -(N[0] + N[1])**3 / (3 * (c_t**2 - c_l**2)),
])
def test_fast_path_equals_reference_on_hand_cases(expr):
    fast = ring_canonical(expr, UNITS)
    assert fast is not None
    assert sp.srepr(fast) == sp.srepr(tensor.reference_canonical(expr))


@pytest.mark.parametrize("expr", [sp.sqrt(2) * N[0], sp.exp(N[0]), sp.Float(0.5) * N[1] / c_l, N[0] ** sp.Rational(1, 2)])
def test_outside_the_ring_the_reference_path_is_used(expr):
    assert ring_canonical(expr, UNITS) is None and ring_is_zero(expr, UNITS) is None
    assert sp.srepr(tensor.canonical(expr)) == sp.srepr(tensor.reference_canonical(expr))

"""Testing helpers: one exact symbolic-equality assertion that prints both sides and the leftover difference.

>>> from glass_sym.algebra.indexnotation import delta
>>> assert_tensor_equal(delta("i", "j") * 2, delta("i", "j") + delta("i", "j"))
"""

from __future__ import annotations

__all__ = ["assert_tensor_equal"]


def assert_tensor_equal(derived, expected, what: str = "tensor") -> None:
    """Exact component-wise equality modulo the unit relations (IndexExpr or Tensor on either side).

    Raises AssertionError showing both sides and the canonical residual of the differing components.
    """
    from glass_sym.algebra.indexnotation import \
        IndexExpr  # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.algebra.tensor import compare  # lazy: keeps start-up light (this module is imported without SymPy)

    a = derived.to_tensor() if isinstance(derived, IndexExpr) else derived
    b = expected.to_tensor() if isinstance(expected, IndexExpr) else expected
    res = compare(a, b)
    if not res.equal:
        raise AssertionError(f"{what} differs:\n  derived : {derived!r}\n  expected: {expected!r}\n"
                             f"  residual: {res.summary(6)}")

"""Type aliases of the domain, in one place (used in annotations across the package).

``Scalar``     an exact scalar: a Python int or a SymPy expression
``Factor``     a factor of an index-notation monomial: ``("d", a, b)`` (Kronecker delta, a <= b) or ``("v", name, a)``
``Monomial``   a sorted tuple of factors
``Vector3``    the three component symbols of a vector (``glass_sym.symbols.N`` ...)
``ArrayLike``  a float or a NumPy array (numerical helpers broadcast over it)
``Mutant``     ``(description, value)``: a value that violates exactly one property (mutation tests)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

import numpy as np

if TYPE_CHECKING:  # SymPy only for type checkers: the CLI's start-up (--help, lattice, rg) does not load it
    import sympy as sp

__all__ = ["Scalar", "Factor", "Monomial", "Vector3", "ArrayLike", "Mutant"]

Scalar = Union[int, "sp.Expr"]
Factor = tuple  # ("d", a, b) with a <= b, or ("v", name, a)
Monomial = tuple  # sorted tuple of factors
Vector3 = tuple["sp.Symbol", "sp.Symbol", "sp.Symbol"]
ArrayLike = Union[float, np.ndarray]
Mutant = tuple[str, Any]

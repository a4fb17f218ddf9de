"""Real-space stress-stress interaction: Lambda_ijkl(x), tilde Lambda_ijkl(n) and its parts.

Lambda(x) = int d^3q/(2pi)^3 Lambda(q) e^{i q.x} (journal (A.13)); every term of Lambda(q) is a product of
deltas and k factors qhat = q/|q|, i.e. q_{a1}..q_{ak}/(q^2)^{k/2}, transformed by the Fourier engine.
Then tilde Lambda = -8 pi rho c_t^2 |x|^3 Lambda(x) ((A.18)), split into the alpha-independent part (1) and the
part proportional to alpha (2) as in (A.19).

>>> from glass_sym.physics.interaction import lambda_tilde
>>> lt = lambda_tilde()
>>> lt.to_tensor()[0, 0, 0, 0].expand()
-15*alpha*n1**4/2 + 9*alpha*n1**2 - 3*alpha/2 - 3*n1**2 + 1
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from glass_sym.algebra.fourier import fourier_transform
from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.algebra.tensor import Comparison, proportionality, symmetrize_pairs
from glass_sym.errors import InputError
from glass_sym.symbols import alpha, c_t, r, rho

from .elastic import lambda_q

__all__ = ["fourier_of_qhat_expr", "lambda_x", "lambda_tilde", "lambda_tilde_parts", "split_by_alpha",
           "PartComparison", "compare_parts", "IJKL"]

IJKL = ("i", "j", "k", "l")


def fourier_of_qhat_expr(expr: IndexExpr, vector: str = "qhat") -> IndexExpr:
    """int d^3q/(2pi)^3 expr(qhat) e^{i q.x} for an index expression in deltas and qhat components.

    A term with k qhat factors is q_{a1}..q_{ak}/(q^2)^{k/2}; deltas and coefficients pass through the integral.
    """
    out = IndexExpr.zero(expr.indices)
    for mono, coeff in expr.terms.items():
        qidx = tuple(f[2] for f in mono if f[0] == "v" and f[1] == vector)
        others = tuple(f for f in mono if not (f[0] == "v" and f[1] == vector))
        if any(f[0] == "v" for f in others):
            raise InputError(f"term {mono} holds vectors other than {vector!r}; only deltas may accompany it")
        if len(qidx) % 2:
            raise InputError(f"odd number of {vector} factors in {mono}: not of the form q^(2m)/(q^2)^m")
        ft = fourier_transform(qidx, len(qidx) // 2).value
        rest_indices = [i for i in expr.indices if i not in qidx]
        rest = IndexExpr({others: coeff}, rest_indices)
        out = out + (rest * ft).reorder(expr.indices)
    return out


@functools.lru_cache(maxsize=None)
def lambda_x(convention: str = "symmetric") -> IndexExpr:
    """Lambda_ijkl(x) of (A.13), in n = x/|x| with r = |x|."""
    return fourier_of_qhat_expr(lambda_q(convention)).map_coefficients(sp.factor)


@functools.lru_cache(maxsize=None)
def lambda_tilde(convention: str = "symmetric") -> IndexExpr:
    """tilde Lambda_ijkl(n) = -8 pi rho c_t^2 |x|^3 Lambda_ijkl(x) ((A.18))."""
    lt = (lambda_x(convention) * (-8 * sp.pi * rho * c_t**2 * r**3)).map_coefficients(sp.expand)
    leftover = {s for c in lt.coefficients() for s in c.free_symbols} - {alpha}
    if leftover:
        raise ArithmeticError(f"tilde Lambda depends on {leftover}: not of the form -Lt/(8 pi rho c_t^2 r^3)")
    return lt


def split_by_alpha(expr: IndexExpr) -> tuple[IndexExpr, IndexExpr]:
    """(alpha^0 part, alpha^1 part) of an index expression linear in alpha."""
    p0 = expr.map_coefficients(lambda c: sp.expand(c).coeff(alpha, 0))
    p1 = expr.map_coefficients(lambda c: sp.expand(c).coeff(alpha, 1) * alpha)
    rest = expr - p0 - p1
    if rest.terms:
        raise InputError("expression is not linear in alpha")
    return p0, p1


def lambda_tilde_parts(convention: str = "symmetric") -> tuple[IndexExpr, IndexExpr]:
    """(tilde Lambda^(1), tilde Lambda^(2)) as in (A.19): the alpha-independent and the alpha part."""
    return split_by_alpha(lambda_tilde(convention))


@dataclass(frozen=True)
class PartComparison:
    """How a derived tensor compares with another (e.g. a printed one), computed exactly.

    ``ratio``: c with derived = c * other component by component, or None;
    ``symmetrized_ratio``: the same after symmetrizing both in (ij) and (kl) (what contraction with symmetric
    stress tensors T_ij T'_kl sees), or None; ``survives_contraction``: whether the two differ after
    symmetrization, i.e. whether the difference changes T Lambda T'.
    """

    ratio: sp.Expr | None
    symmetrized_ratio: sp.Expr | None
    survives_contraction: bool
    symmetrized_residual: str

    def as_dict(self) -> dict:
        return {"ratio": None if self.ratio is None else sp.sstr(self.ratio),
                "symmetrized_ratio": None if self.symmetrized_ratio is None else sp.sstr(self.symmetrized_ratio),
                "survives_contraction": self.survives_contraction,
                "symmetrized_residual": self.symmetrized_residual}


def compare_parts(derived: IndexExpr, other: IndexExpr) -> PartComparison:
    """Compare two rank-4 tensors exactly: overall ratio, ratio after (ij),(kl) symmetrization, and whether
    their difference survives contraction with symmetric stress tensors.

    >>> from glass_sym.algebra.indexnotation import delta
    >>> c = compare_parts(delta("i", "k") * delta("j", "l"), -2 * delta("i", "k") * delta("j", "l"))
    >>> c.ratio, c.survives_contraction
    (-1/2, True)
    """
    a, b = derived.reorder(IJKL).to_tensor(), other.reorder(IJKL).to_tensor()
    ca, cb = a.canonical(), b.canonical()
    sa, sb = symmetrize_pairs(ca).map(sp.expand), symmetrize_pairs(cb).map(sp.expand)  # still canonical
    residual = {idx: x - y for (idx, x), y in zip(sa.items(), sb.components) if sp.expand(x - y) != 0}
    diff = Comparison(not residual, {k: sp.expand(v) for k, v in residual.items()})
    return PartComparison(proportionality(ca, cb, canonical_inputs=True),
                          proportionality(sa, sb, canonical_inputs=True), not diff.equal, diff.summary())
